//! The test harness: the real application on port 0 with a fresh database per test:
//! a SQLite file in a temporary folder, or, when `TEST_DATABASE_URL` names a PostgreSQL
//! server, a new database on it.

use std::sync::OnceLock;

use awc::http::StatusCode;
use diesel::{Connection, RunQueryDsl};
use igf_scheduler::auth::Role;
use igf_scheduler::config::{Secret, Settings};
use igf_scheduler::demo::{Stage, Summary};
use serde_json::{Value, json};

/// The password of every account the harness makes.
pub const PASSWORD: &str = "correct horse battery";

/// A running application and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The database URL the app uses.
    pub database_url: String,
    /// HTTP client.
    pub client: awc::Client,
    /// Pool onto the same database, for set-up and for checking what was written.
    pub pool: igf_scheduler::db::DbPool,
    _dir: Option<tempfile::TempDir>,
}

/// A response: status, headers and the body parsed as JSON (`Null` when empty).
#[derive(Debug)]
pub struct Resp {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: awc::http::header::HeaderMap,
    /// Body as JSON (text that is not JSON as a string).
    pub body: Value,
    /// Body as received.
    pub raw: actix_web::web::Bytes,
}

impl Resp {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// Asserts the status and, for problem responses, the problem shape; returns self.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.body
        );
        if status >= 400 {
            assert_eq!(
                self.header("content-type").as_deref(),
                Some("application/problem+json"),
                "{}",
                self.body
            );
            assert_eq!(self.body["status"], json!(status));
            assert!(
                self.body["code"].is_string()
                    && self.body["title"].is_string()
                    && self.body["type"].is_string()
            );
        }
        self
    }

    /// The `code` of a problem response.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// Asserts that the problem names exactly one broken rule: `rule` on `field`.
    #[track_caller]
    pub fn only_rule(&self, field: &str, rule: &str) {
        assert_eq!(
            self.field_rules(),
            vec![(field.to_string(), rule.to_string())],
            "{}",
            self.body
        );
    }

    /// Asserts that the problem names each `(field, rule)` pair, among others.
    #[track_caller]
    pub fn has_rules(&self, pairs: &[(&str, &str)]) {
        let rules = self.field_rules();
        for (f, r) in pairs {
            assert!(
                rules.contains(&(f.to_string(), r.to_string())),
                "{f}/{r} not in {rules:?}"
            );
        }
    }

    /// The `(field, rule)` pairs of a 422.
    pub fn field_rules(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["field"].as_str().unwrap_or("").to_string(),
                            e["rule"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn quiet_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        if std::env::var("TEST_LOG").is_ok() {
            igf_scheduler::telemetry::init();
        }
    });
}

/// Makes a fresh database for one test and returns its URL (and the folder to keep).
pub fn fresh_database() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("igf_test_{}", fastrand::u64(..));
            let mut c =
                diesel::PgConnection::establish(&admin).expect("connect to TEST_DATABASE_URL");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut c)
                .expect("create test database");
            let base = admin
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin)
                .to_string();
            (format!("{base}/{name}"), None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = dir.path().join("test.db").to_string_lossy().to_string();
            (url, Some(dir))
        }
    }
}

/// The demo seeded up to one stage, once per test run, as a database every test that
/// starts from the demo copies: seeding takes tens of seconds, a copy well under one.
struct DemoTemplate {
    stage: Stage,
    /// PostgreSQL: the template database's name; SQLite: the seeded file's path.
    source: String,
    summary: Summary,
}

/// The demo's templates made so far in this test run.
static DEMO_TEMPLATES: std::sync::Mutex<Vec<DemoTemplate>> = std::sync::Mutex::new(Vec::new());

fn admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Seeds the demo to `stage` into a database of its own and closes every connection
/// to it, so that it can be copied.
fn seed_template(stage: Stage) -> DemoTemplate {
    let (url, source) = match admin_url() {
        Some(_) => {
            let (url, _) = fresh_database();
            let name = url.rsplit_once('/').map(|(_, n)| n.to_string()).unwrap();
            (url, name)
        }
        None => {
            let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
            let path = folder.join(format!("demo-{stage:?}-{}.db", std::process::id()));
            for f in [
                path.clone(),
                path.with_extension("db-wal"),
                path.with_extension("db-shm"),
            ] {
                let _ = std::fs::remove_file(f);
            }
            let p = path.to_string_lossy().to_string();
            (p.clone(), p)
        }
    };
    let pool = igf_scheduler::db::connect(&url, 1).expect("connect and migrate");
    let summary = {
        let mut c = pool.get().expect("connection");
        let s = igf_scheduler::demo::seed_to(&mut c, stage).expect("seed the demo");
        if admin_url().is_none() {
            diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut c)
                .expect("checkpoint");
        }
        s
    };
    drop(pool);
    if let Some(admin) = admin_url() {
        let mut c = diesel::PgConnection::establish(&admin).expect("connect to TEST_DATABASE_URL");
        diesel::sql_query(format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{source}' AND pid <> pg_backend_pid()"
        ))
        .execute(&mut c)
        .expect("close the template's connections");
    }
    DemoTemplate {
        stage,
        source,
        summary,
    }
}

/// A fresh database holding the demo seeded to `stage` (a copy of this run's
/// template, seeded on first use), and what seeding it did.
fn demo_database(stage: Stage) -> (String, Option<tempfile::TempDir>, Summary) {
    let (source, summary) = {
        let mut all = DEMO_TEMPLATES.lock().unwrap_or_else(|e| e.into_inner());
        if !all.iter().any(|t| t.stage == stage) {
            all.push(seed_template(stage));
        }
        let t = all.iter().find(|t| t.stage == stage).unwrap();
        (t.source.clone(), t.summary.clone())
    };
    match admin_url() {
        Some(admin) => {
            let name = format!("igf_test_{}", fastrand::u64(..));
            let mut c =
                diesel::PgConnection::establish(&admin).expect("connect to TEST_DATABASE_URL");
            diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {source}"))
                .execute(&mut c)
                .expect("copy the demo's template");
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            (format!("{base}/{name}"), None, summary)
        }
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("test.db");
            std::fs::copy(&source, &path).expect("copy the demo's template");
            (path.to_string_lossy().to_string(), Some(dir), summary)
        }
    }
}

/// Settings for a test app on the given database.
pub fn test_settings(database_url: &str) -> Settings {
    Settings {
        database_url: database_url.to_string(),
        bind: "127.0.0.1:0".into(),
        jwt_secret: Secret::new(b"test-secret-test-secret-test-secret!".to_vec()),
        token_ttl_seconds: 3600,
        body_limit_bytes: 256 * 1024,
        pool_size: 4,
        job_stale_seconds: 60,
        login_failures_per_account: 5,
        login_failures_per_address: 100,
        login_window_seconds: 900,
        // Every test client comes from 127.0.0.1: limits per address are raised where
        // a test does not measure them.
        registrations_per_address_hour: 100_000,
        agendas_per_address_hour: 100_000,
        hash_concurrency: 2,
        public_url: None,
        trusted_proxies: vec![],
        mail: None,
        outbox_poll_ms: 200,
        outbox_lease_seconds: 5,
        outbox_retry_base_seconds: 1,
        webhook_private_allowed: vec![],
        webhook_timeout_seconds: 2,
        webhook_disable_after: 3,
    }
}

impl TestApp {
    /// Starts the application on a fresh database.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the application with adjusted settings.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        quiet_logs();
        let (url, dir) = fresh_database();
        let mut settings = test_settings(&url);
        adjust(&mut settings);
        Self::start(settings, dir).await
    }

    /// Starts the application on a copy of the demo seeded to `stage`; also returns
    /// what seeding did.
    pub async fn spawn_demo(stage: Stage) -> (TestApp, Summary) {
        Self::spawn_demo_with(stage, |_| {}).await
    }

    /// [`TestApp::spawn_demo`] with adjusted settings.
    pub async fn spawn_demo_with(
        stage: Stage,
        adjust: impl FnOnce(&mut Settings),
    ) -> (TestApp, Summary) {
        quiet_logs();
        let (url, dir, summary) = actix_web::rt::task::spawn_blocking(move || demo_database(stage))
            .await
            .expect("copy the demo");
        let mut settings = test_settings(&url);
        adjust(&mut settings);
        (Self::start(settings, dir).await, summary)
    }

    /// Starts an instance with these settings; `dir` is kept as long as it runs.
    async fn start(settings: Settings, dir: Option<tempfile::TempDir>) -> TestApp {
        let url = settings.database_url.clone();
        let pool = igf_scheduler::db::connect(&url, 4).expect("connect and migrate");
        let app =
            igf_scheduler::app::Application::build(settings, pool.clone()).expect("build app");
        let address = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        TestApp {
            address,
            database_url: url,
            client: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(60))
                // As many connections as the tests open at once (the default is 100).
                .connector(awc::Connector::new().limit(0))
                .finish(),
            pool,
            _dir: dir,
        }
    }

    /// A client onto an instance running in another process at `address`, with a pool
    /// onto its database for checks (which applies no migration the instance has not).
    pub fn external(address: String, database_url: &str) -> TestApp {
        let pool = igf_scheduler::db::connect(database_url, 2).expect("connect");
        TestApp {
            address,
            database_url: database_url.to_string(),
            client: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(60))
                .connector(awc::Connector::new().limit(0))
                .finish(),
            pool,
            _dir: None,
        }
    }

    /// A second instance of the service on the same database, as a deployment runs
    /// N of them: its own pool, caches, limiter and job worker.
    pub async fn another(&self) -> TestApp {
        self.another_with(|_| {}).await
    }

    /// A second instance with adjusted settings.
    pub async fn another_with(&self, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = test_settings(&self.database_url);
        adjust(&mut settings);
        Self::start(settings, None).await
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
        let build = || {
            let mut req = self
                .client
                .request(method.clone(), format!("{}{}", self.address, path));
            if let Some(t) = token {
                req = req.insert_header(("Authorization", format!("Bearer {t}")));
            }
            for (k, v) in headers {
                req = req.insert_header((*k, *v));
            }
            req
        };
        let sent = match body {
            Some(b) => build().send_json(b).await,
            None => build().send().await,
        };
        let resp = match sent {
            // A pooled connection the server closed as it was taken (its keep-alive
            // ran out): a read is sent again on a new one, as HTTP clients do.
            Err(awc::error::SendRequestError::Connect(_))
                if method == awc::http::Method::GET && body.is_none() =>
            {
                build().send().await
            }
            other => other,
        }
        .expect("request sent");
        read(resp).await
    }

    /// Sends raw bytes with a content type.
    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Resp {
        let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .client
            .request(method, format!("{}{}", self.address, path))
            .insert_header(("Content-Type", content_type));
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        let resp = req.send_body(bytes).await.expect("request sent");
        read(resp).await
    }

    /// POSTs a form as a browser would, without following a redirect.
    pub async fn post_form(&self, path: &str, form: &str, headers: &[(&str, &str)]) -> Resp {
        let client = awc::Client::builder()
            .disable_redirects()
            .timeout(std::time::Duration::from_secs(60))
            .finish();
        let mut req = client
            .post(format!("{}{}", self.address, path))
            .insert_header(("Content-Type", "application/x-www-form-urlencoded"));
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let resp = req.send_body(form.to_string()).await.expect("request sent");
        read(resp).await
    }

    /// GET.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.send("GET", path, token, None, &[]).await
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.send("POST", path, token, Some(body), &[]).await
    }

    /// PATCH with a JSON body.
    pub async fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.send("PATCH", path, token, Some(body), &[]).await
    }

    /// Creates an account straight in the database (as the CLI does) and signs in.
    pub async fn user(&self, email: &str, role: Role) -> String {
        let pool = self.pool.clone();
        let email_owned = email.to_string();
        actix_web::rt::task::spawn_blocking(move || {
            let hash = igf_scheduler::auth::password::hash(PASSWORD).expect("hash");
            let mut c = pool.get().expect("conn");
            igf_scheduler::auth::service::create_account(
                &mut c,
                None,
                &email_owned,
                "Test User",
                &hash,
                role,
            )
            .expect("account");
        })
        .await
        .expect("join");
        self.login(email).await
    }

    /// The `total` of a list endpoint (asserting a 200).
    pub async fn total(&self, path: &str, token: Option<&str>) -> i64 {
        self.get(path, token).await.expect(200).body["total"]
            .as_i64()
            .expect("total")
    }

    /// Signs in and returns the access token.
    pub async fn login(&self, email: &str) -> String {
        self.login_with(email, PASSWORD).await
    }

    /// Signs in with this password and returns the access token.
    pub async fn login_with(&self, email: &str, password: &str) -> String {
        let r = self
            .post(
                "/api/v1/auth/login",
                None,
                &json!({"email": email, "password": password}),
            )
            .await
            .expect(200);
        r.body["access_token"].as_str().expect("token").to_string()
    }

    /// Registers a proposer over the API and signs in.
    pub async fn proposer(&self, email: &str) -> String {
        self.post(
            "/api/v1/auth/register",
            None,
            &json!({"email": email, "name": "Pat Proposer", "password": PASSWORD}),
        )
        .await
        .expect(202);
        self.login(email).await
    }

    /// Creates a meeting as the secretariat and returns its JSON.
    pub async fn meeting(&self, token: &str, body: &Value) -> Value {
        self.post("/api/v1/meetings", Some(token), body)
            .await
            .expect(201)
            .body
    }
}

/// Reads a response: status, headers, and the body as JSON (text when it is not JSON).
async fn read<S>(mut resp: awc::ClientResponse<S>) -> Resp
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let bytes = resp
        .body()
        .limit(64 * 1024 * 1024)
        .await
        .expect("body read");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    Resp {
        status: resp.status(),
        headers: resp.headers().clone(),
        body,
        raw: bytes,
    }
}

/// A meeting whose call is open now, in Oslo, with two themes and the default types;
/// each has a name of its own, as current meetings must.
pub fn open_meeting() -> Value {
    static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let now = chrono::Utc::now();
    json!({
        "name": format!("IGF Test {n}"),
        "year": 2027,
        "venue": "Lillestrøm",
        "timezone": "Europe/Oslo",
        "day_zero": "2027-06-21",
        "first_day": "2027-06-22",
        "last_day": "2027-06-24",
        "cfp_opens_at": (now - chrono::Duration::days(10)).to_rfc3339(),
        "cfp_closes_at": (now + chrono::Duration::days(30)).to_rfc3339(),
        "themes": [{"name": "Digital trust", "target_share": 0.5}, {"name": "Universal access", "target_share": 0.5}],
        "rooms": [
            {"name": "Plenary", "capacity": 1000, "hybrid": true, "layout": "theater"},
            {"name": "Room 1", "capacity": 80, "hybrid": false, "layout": "u_shape"}
        ],
        "slot_template": [{"start": "09:00", "duration_min": 60}, {"start": "10:30", "duration_min": 90}],
        "published": true
    })
}

/// A person on a proposal.
pub fn person(role: &str, name: &str, gender: &str, participation: &str) -> Value {
    json!({
        "role": role,
        "name": name,
        "email": format!("{}@example.org", name.to_lowercase().replace(' ', ".")),
        "organisation": format!("{name} Institute"),
        "country": "KE",
        "stakeholder_group": "civil_society",
        "regional_group": "african",
        "gender": gender,
        "timezone": "Africa/Nairobi",
        "participation": participation
    })
}

/// A proposal that passes every default screening rule.
pub fn complete_proposal(theme_id: i64) -> Value {
    json!({
        "title": "Community networks beyond the capitals",
        "description": "Who connects the last billion, and under which rules?",
        "policy_questions": ["What licensing helps community networks?"],
        "theme_id": theme_id,
        "session_type": "workshop",
        "duration_min": 90,
        "format": "roundtable",
        "layout": "u_shape",
        "sdgs": [9, 17],
        "expected_outcomes": "A report with recommendations.",
        "hybrid_plan": "One queue for the room and online.",
        "first_time": true,
        "participants": [
            person("organiser", "Amina Organiser", "female", "onsite"),
            person("speaker", "Ben Speaker", "male", "onsite"),
            person("speaker", "Chen Speaker", "female", "onsite"),
            person("speaker", "Dara Speaker", "non_binary", "online"),
            person("onsite_moderator", "Eve Moderator", "female", "onsite"),
            person("online_moderator", "Femi Moderator", "male", "online")
        ]
    })
}

/// A port for a service started in its own process, free now and below the range the
/// system gives outgoing connections (32768 and up on Linux), so that no other test's
/// client socket takes it before the process binds it.
pub fn free_port() -> u16 {
    for _ in 0..500 {
        let port = fastrand::u16(20_000..32_000);
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

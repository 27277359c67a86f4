//! Settings read from the environment (and the command line), with the defaults the
//! README documents.

use std::path::Path;

use anyhow::Context;

/// Default SQLite file when `IGF_DATABASE_URL` is unset.
pub const DEFAULT_DATABASE_URL: &str = "data/igf.db";
/// Default listen address when `IGF_BIND` is unset.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Everything the service needs to start.
#[derive(Clone)]
pub struct Settings {
    /// SQLite file path or `postgres://` URL.
    pub database_url: String,
    /// Address to listen on; port 0 picks a free port.
    pub bind: String,
    /// Secret that signs access tokens.
    pub jwt_secret: Secret,
    /// Lifetime of an access token in seconds.
    pub token_ttl_seconds: i64,
    /// Largest accepted request body in bytes.
    pub body_limit_bytes: usize,
    /// Size of the database connection pool.
    pub pool_size: u32,
    /// A running schedule job whose heartbeat is older than this many seconds is taken
    /// to have lost its instance, and is queued again or failed.
    pub job_stale_seconds: u64,
    /// Failed sign-ins allowed per account within `login_window_seconds`.
    pub login_failures_per_account: u32,
    /// Failed sign-ins allowed per client address within `login_window_seconds`.
    pub login_failures_per_address: u32,
    /// The window over which failed sign-ins are counted.
    pub login_window_seconds: u64,
    /// Accounts one client address may register per hour.
    pub registrations_per_address_hour: u32,
    /// Personal agendas one client address may create per hour.
    pub agendas_per_address_hour: u32,
    /// Password hashes computed at once by this instance (each takes 19 MiB).
    pub hash_concurrency: usize,
    /// The origin every link the service writes starts with (`https://host[:port]`,
    /// optionally with a path prefix); the request's `Host` is never used.
    pub public_url: Option<String>,
    /// Proxies (load balancers) whose `X-Forwarded-For` names the client's address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How this instance sends email; `None`: it sends none (messages wait in the
    /// outbox for an instance that does).
    pub mail: Option<MailSettings>,
    /// How often the outbox worker looks for messages due, in milliseconds.
    pub outbox_poll_ms: u64,
    /// How long a worker holds a message it is sending before another may take it.
    pub outbox_lease_seconds: u64,
    /// The wait after a message's first failed attempt; it doubles with each failure.
    pub outbox_retry_base_seconds: u64,
    /// Private and loopback addresses webhook deliveries may go to (none by default).
    pub webhook_private_allowed: Vec<std::net::IpAddr>,
    /// How long a webhook endpoint has to answer, in seconds.
    pub webhook_timeout_seconds: u64,
    /// Failed deliveries in a row after which an endpoint is disabled.
    pub webhook_disable_after: u32,
}

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// TLS from the first byte (usually port 465).
    Tls,
    /// Plain, then STARTTLS, which must succeed (usually port 587).
    StartTls,
    /// No TLS at all: for a relay on the same host or in tests.
    None,
}

/// The SMTP server email goes through.
#[derive(Clone)]
pub struct MailSettings {
    /// Host name of the server.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How the connection is secured.
    pub tls: SmtpTls,
    /// User name and password, if the server asks for them.
    pub credentials: Option<(String, Secret)>,
    /// The sender, `Name <address>` or an address.
    pub from: String,
}

impl MailSettings {
    /// Reads `IGF_SMTP_*` and `IGF_MAIL_FROM`; `None` when `IGF_SMTP_HOST` is unset.
    fn load() -> anyhow::Result<Option<MailSettings>> {
        let host = match std::env::var("IGF_SMTP_HOST") {
            Ok(h) if !h.trim().is_empty() => h.trim().to_string(),
            _ => return Ok(None),
        };
        let tls = match std::env::var("IGF_SMTP_TLS")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "" | "starttls" => SmtpTls::StartTls,
            "tls" => SmtpTls::Tls,
            "none" => SmtpTls::None,
            other => anyhow::bail!("IGF_SMTP_TLS={other:?} must be starttls, tls or none"),
        };
        let port = env_or(
            "IGF_SMTP_PORT",
            match tls {
                SmtpTls::Tls => 465,
                SmtpTls::StartTls => 587,
                SmtpTls::None => 25,
            },
        )?;
        let credentials = match std::env::var("IGF_SMTP_USERNAME") {
            Ok(u) if !u.trim().is_empty() => {
                let password = std::env::var("IGF_SMTP_PASSWORD").map_err(|_| {
                    anyhow::anyhow!("IGF_SMTP_USERNAME is set but IGF_SMTP_PASSWORD is not")
                })?;
                Some((u.trim().to_string(), Secret::new(password.into_bytes())))
            }
            _ => None,
        };
        let from = std::env::var("IGF_MAIL_FROM").map_err(|_| {
            anyhow::anyhow!(
                "IGF_SMTP_HOST is set but IGF_MAIL_FROM is not: say whom the messages come \
                 from, for example \"IGF Secretariat <igf@example.org>\""
            )
        })?;
        if from.trim().parse::<lettre::message::Mailbox>().is_err() {
            anyhow::bail!("IGF_MAIL_FROM={from:?} is not an email address (Name <address>)");
        }
        Ok(Some(MailSettings {
            host,
            port,
            tls,
            credentials,
            from: from.trim().to_string(),
        }))
    }
}

/// A secret value that never prints.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps raw secret bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    /// The secret bytes, for the one place that signs with them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("token_ttl_seconds", &self.token_ttl_seconds)
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field("pool_size", &self.pool_size)
            .field(
                "login_failures_per_account",
                &self.login_failures_per_account,
            )
            .field(
                "login_failures_per_address",
                &self.login_failures_per_address,
            )
            .field("login_window_seconds", &self.login_window_seconds)
            .field(
                "registrations_per_address_hour",
                &self.registrations_per_address_hour,
            )
            .field("agendas_per_address_hour", &self.agendas_per_address_hour)
            .field("hash_concurrency", &self.hash_concurrency)
            .field("public_url", &self.public_url)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

/// Hides a password in a database URL for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map_err(|e| anyhow::anyhow!("{name}={v:?} is not valid: {e}")),
        _ => Ok(default),
    }
}

impl Settings {
    /// Reads the settings from the environment; `database_url` and `bind` come from the
    /// command line (which falls back to the same variables).
    pub fn load(database_url: String, bind: String) -> anyhow::Result<Self> {
        let jwt_secret = match std::env::var("IGF_JWT_SECRET") {
            Ok(s) if !s.is_empty() => {
                check_secret(&s)?;
                Secret::new(s.into_bytes())
            }
            _ if crate::db::Backend::of(&database_url) == crate::db::Backend::Postgres => {
                anyhow::bail!(
                    "IGF_JWT_SECRET is not set: on PostgreSQL every instance must sign tokens \
                     with the same secret, so set it (32 characters or more, for example \
                     from `openssl rand -hex 32`) in each instance's environment"
                )
            }
            _ => dev_secret(&database_url)?,
        };
        let public_url = match std::env::var("IGF_PUBLIC_URL") {
            Ok(u) if !u.trim().is_empty() => Some(check_public_url(u.trim())?),
            _ => None,
        };
        let trusted_proxies = match std::env::var("IGF_TRUSTED_PROXIES") {
            Ok(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse().map_err(|_| {
                        anyhow::anyhow!("IGF_TRUSTED_PROXIES: {s:?} is not an IP address")
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?,
            Err(_) => vec![],
        };
        Ok(Settings {
            database_url,
            bind,
            jwt_secret,
            token_ttl_seconds: env_or("IGF_TOKEN_TTL_SECONDS", 8 * 3600)?,
            body_limit_bytes: env_or("IGF_BODY_LIMIT_BYTES", 1024 * 1024)?,
            pool_size: env_or("IGF_DB_POOL_SIZE", 8)?,
            job_stale_seconds: env_or("IGF_JOB_STALE_SECONDS", 60)?,
            login_failures_per_account: env_or("IGF_LOGIN_FAILURES_PER_ACCOUNT", 5)?,
            login_failures_per_address: env_or("IGF_LOGIN_FAILURES_PER_ADDRESS", 100)?,
            login_window_seconds: env_or("IGF_LOGIN_WINDOW_SECONDS", 900)?,
            registrations_per_address_hour: env_or("IGF_REGISTRATIONS_PER_ADDRESS_HOUR", 20)?,
            agendas_per_address_hour: env_or("IGF_AGENDAS_PER_ADDRESS_HOUR", 300)?,
            hash_concurrency: env_or("IGF_HASH_CONCURRENCY", 2)?,
            public_url,
            trusted_proxies,
            mail: MailSettings::load()?,
            outbox_poll_ms: env_or("IGF_OUTBOX_POLL_MS", 2000)?,
            outbox_lease_seconds: env_or("IGF_OUTBOX_LEASE_SECONDS", 120)?,
            outbox_retry_base_seconds: env_or("IGF_OUTBOX_RETRY_BASE_SECONDS", 30)?,
            webhook_private_allowed: match std::env::var("IGF_WEBHOOK_PRIVATE_ADDRESSES") {
                Ok(list) => list
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.parse().map_err(|_| {
                            anyhow::anyhow!(
                                "IGF_WEBHOOK_PRIVATE_ADDRESSES: {s:?} is not an IP address"
                            )
                        })
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?,
                Err(_) => vec![],
            },
            webhook_timeout_seconds: env_or("IGF_WEBHOOK_TIMEOUT_SECONDS", 10)?,
            webhook_disable_after: env_or("IGF_WEBHOOK_DISABLE_AFTER", 10)?,
        })
    }
}

/// Refuses a secret that is short or guessable: fewer than 32 bytes, or fewer than
/// 10 different characters (32 spaces, one word repeated).
pub fn check_secret(s: &str) -> anyhow::Result<()> {
    if s.len() < 32 {
        anyhow::bail!("IGF_JWT_SECRET must be at least 32 characters long");
    }
    let distinct: std::collections::BTreeSet<u8> = s.bytes().collect();
    if distinct.len() < 10 || s.trim().is_empty() {
        anyhow::bail!(
            "IGF_JWT_SECRET is too easy to guess ({} different characters); use a random \
             value, for example from `openssl rand -hex 32`",
            distinct.len()
        );
    }
    Ok(())
}

/// Checks `IGF_PUBLIC_URL`: an http(s) origin with an optional path prefix, and no
/// query, fragment or trailing slash (which are dropped).
pub fn check_public_url(u: &str) -> anyhow::Result<String> {
    let u = u.trim_end_matches('/');
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| {
            anyhow::anyhow!("IGF_PUBLIC_URL={u:?} must start with https:// or http://")
        })?;
    let host = rest.split('/').next().unwrap_or("");
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "-.:[]_~%/".contains(c);
    if host.is_empty() || !rest.chars().all(ok_char) {
        anyhow::bail!(
            "IGF_PUBLIC_URL={u:?} must be an origin such as https://igf.example.org, \
             optionally with a path, and no query or fragment"
        );
    }
    Ok(u.to_string())
}

/// A development secret: kept beside the SQLite file so tokens survive restarts, or
/// made fresh for this process when the database is a server.
fn dev_secret(database_url: &str) -> anyhow::Result<Secret> {
    let random = || -> anyhow::Result<Vec<u8>> {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
        Ok(b.iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
            .into_bytes())
    };
    let dir = Path::new(database_url)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let path = dir.join("jwt-secret");
    if let Ok(s) = std::fs::read(&path)
        && s.len() >= 32
    {
        tracing::warn!(path = %path.display(), "IGF_JWT_SECRET is not set: using the development secret kept beside the database");
        return Ok(Secret::new(s));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let s = random()?;
    write_private(&path, &s).with_context(|| format!("writing {}", path.display()))?;
    tracing::warn!(path = %path.display(), "IGF_JWT_SECRET is not set: generated a development secret beside the database");
    Ok(Secret::new(s))
}

#[cfg(unix)]
fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(data)
}

#[cfg(not(unix))]
fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_secrets_and_odd_public_urls_are_refused() {
        assert!(check_secret(&" ".repeat(40)).is_err());
        assert!(check_secret(&"ab".repeat(20)).is_err());
        assert!(check_secret("short-but-random-9f3k").is_err());
        assert!(check_secret("3f9c1a7be2d04c58a6e1f0b7d9c2e4a1").is_ok());
        assert_eq!(
            check_public_url("https://igf.example.org/").ok().as_deref(),
            Some("https://igf.example.org")
        );
        assert!(check_public_url("https://igf.example.org/sched").is_ok());
        assert!(check_public_url("ftp://igf.example.org").is_err());
        assert!(check_public_url("https://igf.example.org/?a=b").is_err());
        assert!(check_public_url("https://").is_err());
    }

    #[test]
    fn redact_url_hides_the_password_only() {
        assert_eq!(
            redact_url("postgres://app:hunter2@db:5432/igf"),
            "postgres://app:***@db:5432/igf"
        );
        assert_eq!(redact_url("data/igf.db"), "data/igf.db");
    }
}

//! The working pages over HTTP, as a browser uses them: cookies made for a sign-in
//! (HttpOnly, SameSite, Secure behind https, only for `/desk`), a token on every form,
//! refusals of forms from other sites or without their token (nothing changes), a
//! sign-in ended on every instance by signing out, by the API's "sign out everywhere",
//! a password change or deactivation; the proposal form saving exactly what the API
//! saves, with refusals and screening beside their fields; and an evaluator scoring
//! only what is assigned. The browser journeys are in `tests/browser/`.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Resp, TestApp, complete_proposal, open_meeting};
use igf_scheduler::auth::Role;

/// A browser: the cookies it holds for `/desk`.
#[derive(Default, Clone)]
struct Browser {
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Keeps what a response sets (an empty value or Max-Age=0 drops the cookie).
    fn keep(&mut self, r: &Resp) {
        for c in set_cookies(r) {
            let (pair, _) = c.split_once(';').unwrap_or((&c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !v.is_empty() && !c.contains("Max-Age=0") {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
    }

    async fn get(&mut self, app: &TestApp, path: &str) -> Resp {
        let client = awc::Client::builder().disable_redirects().finish();
        let resp = client
            .get(format!("{}{path}", app.address))
            .insert_header(("cookie", self.header()))
            .insert_header(("accept", "text/html"))
            .send()
            .await
            .unwrap();
        let r = read(resp).await;
        self.keep(&r);
        r
    }

    async fn post(&mut self, app: &TestApp, path: &str, form: &str) -> Resp {
        self.post_with(app, path, form, &[]).await
    }

    async fn post_with(
        &mut self,
        app: &TestApp,
        path: &str,
        form: &str,
        headers: &[(&str, &str)],
    ) -> Resp {
        let cookie = self.header();
        let mut all = vec![("cookie", cookie.as_str())];
        all.extend_from_slice(headers);
        let r = app.post_form(path, form, &all).await;
        self.keep(&r);
        r
    }
}

async fn read<S>(mut resp: awc::ClientResponse<S>) -> Resp
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let raw = resp.body().limit(8 * 1024 * 1024).await.unwrap();
    Resp {
        status: resp.status(),
        headers: resp.headers().clone(),
        body: serde_json::from_slice(&raw)
            .unwrap_or(Value::String(String::from_utf8_lossy(&raw).into())),
        raw,
    }
}

fn set_cookies(r: &Resp) -> Vec<String> {
    r.headers
        .get_all("set-cookie")
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

fn html(r: &Resp) -> String {
    String::from_utf8(r.raw.to_vec()).unwrap()
}

/// The value of the first hidden field `name` on a page.
fn hidden(page: &str, name: &str) -> String {
    let re = regex::Regex::new(&format!(r#"name="{name}" value="([^"]*)""#)).unwrap();
    re.captures(page)
        .unwrap_or_else(|| panic!("no {name} on the page"))[1]
        .to_string()
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Signs a browser in through the sign-in page.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> (Browser, String) {
    let mut b = Browser::default();
    let page = b.get(app, "/desk/sign-in").await;
    assert_eq!(page.status, 200);
    let csrf = hidden(&html(&page), "csrf");
    let r = b
        .post(
            app,
            "/desk/sign-in",
            &format!(
                "csrf={csrf}&email={}&password={}",
                enc(email),
                enc(password)
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let home = b.get(app, "/desk").await;
    assert_eq!(home.status, 200);
    let csrf = hidden(&html(&home), "csrf");
    (b, csrf)
}

#[actix_web::test]
async fn a_sign_in_lives_in_a_cookie_made_for_it_and_ends_on_every_instance() {
    let app = TestApp::spawn().await;
    let other = app.another().await;
    // Registering makes a proposer and signs this browser in.
    let mut b = Browser::default();
    let page = b.get(&app, "/desk/register").await;
    assert_eq!(page.status, 200);
    let form_cookie = set_cookies(&page).join("\n");
    assert!(form_cookie.contains("igf_desk_form=") && form_cookie.contains("HttpOnly"));
    let csrf = hidden(&html(&page), "csrf");
    // Bad input is said beside its field, and what was typed is kept.
    let r = b
        .post(
            &app,
            "/desk/register",
            &format!("csrf={csrf}&name=Ana&email=not-an-email&password=short&password_again=short"),
        )
        .await;
    assert_eq!(r.status, 422);
    let text = html(&r);
    assert!(text.contains(r#"id="email-error""#) && text.contains(r#"id="password-error""#));
    assert!(text.contains(r#"value="not-an-email""#));
    let r = b
        .post(
            &app,
            "/desk/register",
            &format!(
                "csrf={csrf}&name=Ana&email=ana%40example.org&password={p}&password_again={p}",
                p = enc(PASSWORD)
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let cookie = set_cookies(&r)
        .into_iter()
        .find(|c| c.starts_with("igf_desk="))
        .expect("sign-in cookie");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/desk", "Max-Age=43200"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "served over http: {cookie}");
    // The API knows the account; the cookie is no bearer token for it.
    let token = app.login("ana@example.org").await;
    let secret = cookie.split(['=', ';']).nth(1).unwrap();
    app.get("/api/v1/auth/me", Some(secret)).await.expect(401);
    // The other instance knows the sign-in.
    let home = b.get(&other, "/desk").await;
    assert_eq!(home.status, 200);
    assert!(html(&home).contains("Ana"));
    let csrf = hidden(&html(&home), "csrf");
    // Signing out on one instance ends it on the other; the API token lives on.
    let r = b
        .post(&app, "/desk/sign-out", &format!("csrf={csrf}"))
        .await;
    assert_eq!(r.status, 303);
    assert!(set_cookies(&r).iter().any(|c| c.starts_with("igf_desk=;")));
    let mut replay = Browser {
        cookies: vec![("igf_desk".into(), secret.into())],
    };
    let r = replay.get(&other, "/desk").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location").unwrap(), "/desk/sign-in?next=%2Fdesk");
    app.get("/api/v1/auth/me", Some(&token)).await.expect(200);
    // A wrong password is said beside the field, with 401; an address outside the
    // site after signing in is not followed.
    let mut c = Browser::default();
    let page = c.get(&app, "/desk/sign-in").await;
    let csrf = hidden(&html(&page), "csrf");
    let r = c
        .post(
            &app,
            "/desk/sign-in",
            &format!("csrf={csrf}&email=ana%40example.org&password=wrong-password-1"),
        )
        .await;
    assert_eq!(r.status, 401);
    assert!(html(&r).contains(r#"id="password-error""#));
    let r = c
        .post(
            &app,
            "/desk/sign-in",
            &format!(
                "csrf={csrf}&email=ana%40example.org&password={}&next=%2F%2Fevil.example",
                enc(PASSWORD)
            ),
        )
        .await;
    assert_eq!(r.header("location").unwrap(), "/desk");
}

#[actix_web::test]
async fn behind_https_the_sign_in_cookie_is_secure() {
    let app = TestApp::spawn_with(|s| s.public_url = Some("https://igf.example.org".into())).await;
    app.user("sec@example.org", Role::Secretariat).await;
    let mut b = Browser::default();
    let page = b.get(&app, "/desk/sign-in").await;
    assert!(set_cookies(&page).iter().all(|c| c.contains("Secure")));
    let csrf = hidden(&html(&page), "csrf");
    let r = b
        .post_with(
            &app,
            "/desk/sign-in",
            &format!(
                "csrf={csrf}&email=sec%40example.org&password={}",
                enc(PASSWORD)
            ),
            &[("origin", "https://igf.example.org")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(set_cookies(&r).iter().all(|c| c.contains("Secure")));
}

#[actix_web::test]
async fn forms_without_their_token_or_from_another_site_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, &open_meeting()).await;
    let theme = m["themes"][0]["id"].as_i64().unwrap();
    let token = app.proposer("pat@example.org").await;
    let id = app
        .post(
            &format!("/api/v1/meetings/{}/proposals", m["id"]),
            Some(&token),
            &complete_proposal(theme),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let (mut b, csrf) = sign_in(&app, "pat@example.org", PASSWORD).await;
    let path = format!("/desk/proposals/{id}/withdraw");
    // Without this sign-in's token the form is kept to be sent again; nothing changes.
    for form in ["", "csrf=0000"] {
        let r = b.post(&app, &path, form).await;
        assert_eq!(r.status, 403, "{form}");
        assert!(html(&r).contains("Send this form again?"), "{}", html(&r));
    }
    for (form, headers) in [
        (
            format!("csrf={csrf}"),
            vec![("origin", "https://evil.example")],
        ),
        (format!("csrf={csrf}"), vec![("origin", "null")]),
        (
            format!("csrf={csrf}"),
            vec![("sec-fetch-site", "cross-site")],
        ),
    ] {
        let r = b.post_with(&app, &path, &form, &headers).await;
        assert_eq!(r.status, 403, "{form} {headers:?}");
        assert!(html(&r).contains("This form cannot be accepted"));
    }
    let p = app
        .get(&format!("/api/v1/proposals/{id}"), Some(&token))
        .await
        .expect(200);
    assert_eq!(p.body["status"], "draft");
    // The sign-in form too: without the form cookie's token, or from elsewhere.
    let mut c = Browser::default();
    let page = c.get(&app, "/desk/sign-in").await;
    let good = hidden(&html(&page), "csrf");
    let login = format!("email=pat%40example.org&password={}", enc(PASSWORD));
    let r = Browser::default()
        .post(&app, "/desk/sign-in", &format!("csrf={good}&{login}"))
        .await;
    assert_eq!(r.status, 403, "another browser's form token");
    let r = c
        .post_with(
            &app,
            "/desk/sign-in",
            &format!("csrf={good}&{login}"),
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(set_cookies(&r).iter().all(|c| !c.starts_with("igf_desk=")));
    // With its token, from our own page, it goes through.
    let r = b
        .post_with(
            &app,
            &path,
            &format!("csrf={csrf}"),
            &[("origin", &app.address), ("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(r.status, 303);
    let p = app
        .get(&format!("/api/v1/proposals/{id}"), Some(&token))
        .await
        .expect(200);
    assert_eq!(p.body["status"], "withdrawn");
}

/// The hidden fields of the first form posting to `action` on a page, as sent.
fn hidden_fields(page: &str, action: &str) -> Vec<(String, String)> {
    let start = page
        .find(&format!(r#"action="{action}""#))
        .unwrap_or_else(|| panic!("no form to {action}: {page}"));
    let form = &page[start..start + page[start..].find("</form>").unwrap()];
    let re = regex::Regex::new(r#"<input type="hidden" name="([^"]*)" value="([^"]*)">"#).unwrap();
    let refs = regex::Regex::new(r"&#(x?)([0-9a-fA-F]+);").unwrap();
    let unescape = |s: &str| {
        let s = refs.replace_all(s, |c: &regex::Captures| {
            let n = u32::from_str_radix(&c[2], if c[1].is_empty() { 10 } else { 16 }).unwrap();
            char::from_u32(n).unwrap().to_string()
        });
        s.replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    re.captures_iter(form)
        .map(|c| (unescape(&c[1]), unescape(&c[2])))
        .collect()
}

fn encoded(fields: &[(String, String)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        out.append_pair(k, v);
    }
    out.finish()
}

#[actix_web::test]
async fn a_form_sent_under_an_older_or_ended_sign_in_is_kept_to_be_sent_again() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, &open_meeting()).await;
    let (meeting, theme) = (
        m["id"].as_i64().unwrap(),
        m["themes"][0]["id"].as_i64().unwrap(),
    );
    let token = app.proposer("pat@example.org").await;
    let list = format!("/api/v1/meetings/{meeting}/proposals");
    let new = format!("/desk/meetings/{meeting}/proposals/new");
    let wanted = complete_proposal(theme);
    let (mut b, _) = sign_in(&app, "pat@example.org", PASSWORD).await;
    // Another browser's sign-in token: an older form of this person's, say.
    let (_, older) = sign_in(&app, "pat@example.org", PASSWORD).await;
    let r = b
        .post(&app, &new, &format!("csrf={older}&{}", form_of(&wanted)))
        .await;
    assert_eq!(r.status, 403);
    let page = html(&r);
    assert!(
        page.contains("Ben Speaker"),
        "what was typed is shown: {page}"
    );
    assert_eq!(app.total(&list, Some(&token)).await, 0, "nothing is stored");
    let fields = hidden_fields(&page, &new);
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "title" && v == wanted["title"].as_str().unwrap())
    );
    let r = b.post(&app, &new, &encoded(&fields)).await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let id: i64 = r
        .header("location")
        .unwrap()
        .trim_start_matches("/desk/proposals/")
        .trim_end_matches("?saved=1")
        .parse()
        .unwrap();
    let stored = app
        .get(&format!("/api/v1/proposals/{id}"), Some(&token))
        .await
        .expect(200)
        .body;
    assert_eq!(content(&stored), content(&wanted));
    // The sign-in ends while a second form is open: it is kept through signing in.
    let home = b.get(&app, "/desk").await;
    let csrf = hidden(&html(&home), "csrf");
    let r = b
        .post(&app, "/desk/sign-out", &format!("csrf={csrf}"))
        .await;
    assert_eq!(r.status, 303);
    let mut second = wanted.clone();
    second["title"] = json!("Community networks & \"last-mile\" access <2027>");
    let r = b
        .post(&app, &new, &format!("csrf={csrf}&{}", form_of(&second)))
        .await;
    assert_eq!(r.status, 403);
    let page = html(&r);
    assert!(page.contains("Your sign-in had ended"), "{page}");
    assert_eq!(app.total(&list, Some(&token)).await, 1);
    // Another site cannot use that path: its form is refused outright.
    let r = Browser::default()
        .post_with(
            &app,
            &new,
            &form_of(&second),
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(!html(&r).contains("carried"));
    let mut sign = hidden_fields(&page, "/desk/sign-in");
    assert!(sign.iter().any(|(k, v)| k == "resend_to" && *v == new));
    sign.push(("email".into(), "pat@example.org".into()));
    sign.push(("password".into(), PASSWORD.into()));
    let r = b.post(&app, "/desk/sign-in", &encoded(&sign)).await;
    assert_eq!(r.status, 200, "{}", html(&r));
    assert!(set_cookies(&r).iter().any(|c| c.starts_with("igf_desk=")));
    let fields = hidden_fields(&html(&r), &new);
    let r = b.post(&app, &new, &encoded(&fields)).await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let items = app.get(&list, Some(&token)).await.expect(200).body["items"].clone();
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["title"] == second["title"]),
        "{items}"
    );
}

#[actix_web::test]
async fn what_ends_the_apis_tokens_ends_the_browsers_sign_ins_too() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let token = app.user("eve@example.org", Role::Evaluator).await;
    let me = app.get("/api/v1/auth/me", Some(&token)).await.body["id"]
        .as_i64()
        .unwrap();
    // The API's "sign out everywhere" ends a browser's sign-in.
    let (mut b, _) = sign_in(&app, "eve@example.org", PASSWORD).await;
    app.post("/api/v1/auth/sign-out", Some(&token), &json!({}))
        .await
        .expect(204);
    assert_eq!(b.get(&app, "/desk").await.status, 303);
    // The page's "sign out everywhere" ends the API's tokens and other browsers.
    let token = app.login("eve@example.org").await;
    let (mut b1, csrf1) = sign_in(&app, "eve@example.org", PASSWORD).await;
    let (mut b2, _) = sign_in(&app, "eve@example.org", PASSWORD).await;
    let r = b1
        .post(
            &app,
            "/desk/account/sign-out-everywhere",
            &format!("csrf={csrf1}"),
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(b1.get(&app, "/desk").await.status, 303);
    assert_eq!(b2.get(&app, "/desk").await.status, 303);
    app.get("/api/v1/auth/me", Some(&token)).await.expect(401);
    // A password changed on a page keeps this browser, and ends the rest.
    let token = app.login("eve@example.org").await;
    let (mut b1, csrf1) = sign_in(&app, "eve@example.org", PASSWORD).await;
    let (mut b2, _) = sign_in(&app, "eve@example.org", PASSWORD).await;
    let r = b1
        .post(
            &app,
            "/desk/account/password",
            &format!(
                "csrf={csrf1}&current_password={}&new_password=another-long-one&new_password_again=another-long-oen",
                enc(PASSWORD)
            ),
        )
        .await;
    assert_eq!(r.status, 422, "the two new passwords differ");
    assert!(html(&r).contains(r#"id="new_password_again-error""#));
    let r = b1
        .post(
            &app,
            "/desk/account/password",
            &format!(
                "csrf={csrf1}&current_password=not-it-at-all&new_password=another-long-one&new_password_again=another-long-one"
            ),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(html(&r).contains(r#"id="current_password-error""#));
    let r = b1
        .post(
            &app,
            "/desk/account/password",
            &format!(
                "csrf={csrf1}&current_password={}&new_password=another-long-one&new_password_again=another-long-one",
                enc(PASSWORD)
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    assert_eq!(r.header("location").unwrap(), "/desk/account?changed=1");
    assert_eq!(b1.get(&app, "/desk").await.status, 200);
    assert_eq!(b2.get(&app, "/desk").await.status, 303);
    app.get("/api/v1/auth/me", Some(&token)).await.expect(401);
    app.login_with("eve@example.org", "another-long-one").await;
    // Deactivation ends it; turning the account on again does not bring it back.
    app.patch(
        &format!("/api/v1/users/{me}"),
        Some(&sec),
        &json!({"active": false}),
    )
    .await
    .expect(200);
    assert_eq!(b1.get(&app, "/desk").await.status, 303);
    app.patch(
        &format!("/api/v1/users/{me}"),
        Some(&sec),
        &json!({"active": true}),
    )
    .await
    .expect(200);
    assert_eq!(b1.get(&app, "/desk").await.status, 303);
    // The beat forgets the sign-ins that ended; a good one stays.
    let (mut kept, _) = sign_in(&app, "sec@example.org", PASSWORD).await;
    let pool = app.pool.clone();
    let left = actix_web::rt::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use igf_scheduler::db::schema::web_sessions as ws;
        let mut c = pool.get().unwrap();
        igf_scheduler::auth::browser::forget_ended(&mut c).unwrap();
        ws::table.select(ws::user_id).load::<i64>(&mut c).unwrap()
    })
    .await
    .unwrap();
    assert!(!left.contains(&me), "{left:?}");
    assert_eq!(left.len(), 1);
    assert_eq!(kept.get(&app, "/desk").await.status, 200);
}

/// The proposal form's fields for a proposal's content as the API takes it.
fn form_of(p: &Value) -> String {
    let mut out = vec![];
    let mut put = |k: String, v: &str| out.push(format!("{k}={}", enc(v)));
    for k in [
        "title",
        "description",
        "session_type",
        "format",
        "layout",
        "expected_outcomes",
        "hybrid_plan",
    ] {
        put(k.into(), p[k].as_str().unwrap_or(""));
    }
    let number = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    put("theme_id".into(), &number(&p["theme_id"]));
    put("duration_min".into(), &number(&p["duration_min"]));
    let questions: Vec<&str> = p["policy_questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap())
        .collect();
    put("policy_questions".into(), &questions.join("\n"));
    for g in p["sdgs"].as_array().unwrap() {
        put("sdgs".into(), &g.to_string());
    }
    for flag in ["first_time", "captioning", "sign_language"] {
        if p[flag] == true {
            put(flag.into(), "on");
        }
    }
    if let Some(codes) = p["interpretation"].as_array() {
        let codes: Vec<&str> = codes.iter().map(|c| c.as_str().unwrap()).collect();
        put("interpretation".into(), &codes.join(", "));
    }
    for (i, x) in p["participants"].as_array().unwrap().iter().enumerate() {
        for k in [
            "role",
            "name",
            "email",
            "organisation",
            "country",
            "stakeholder_group",
            "regional_group",
            "gender",
            "timezone",
            "participation",
        ] {
            put(format!("p{i}_{k}"), x[k].as_str().unwrap_or(""));
        }
    }
    out.join("&")
}

/// A proposal's content as the API shows it, without what the store adds.
fn content(p: &Value) -> Value {
    let mut p = p.clone();
    let o = p.as_object_mut().unwrap();
    for k in [
        "id",
        "meeting_id",
        "proposer_id",
        "status",
        "version",
        "created_at",
        "updated_at",
        "submitted_at",
        "withdrawn_at",
        "outcome",
        "screening",
    ] {
        o.remove(k);
    }
    // What the API takes as left out, it stores as its default.
    for (k, v) in [
        ("developing_country", json!(false)),
        ("past_organiser", json!(false)),
        ("first_time", json!(false)),
        ("previous_report_url", Value::Null),
        ("interpretation", json!([])),
        ("captioning", json!(false)),
        ("sign_language", json!(false)),
    ] {
        o.entry(k).or_insert(v);
    }
    p
}

#[actix_web::test]
async fn the_proposal_form_saves_what_the_api_saves_and_says_what_is_wrong_beside_each_field() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, &open_meeting()).await;
    let (meeting, theme) = (
        m["id"].as_i64().unwrap(),
        m["themes"][0]["id"].as_i64().unwrap(),
    );
    let token = app.proposer("pat@example.org").await;
    let (mut b, csrf) = sign_in(&app, "pat@example.org", PASSWORD).await;
    let new = format!("/desk/meetings/{meeting}/proposals/new");
    assert_eq!(b.get(&app, &new).await.status, 200);
    // What does not even parse is said beside its field, and nothing is stored.
    let mut wanted = complete_proposal(theme);
    wanted["interpretation"] = json!(["es", "fr"]);
    wanted["captioning"] = json!(true);
    let mut bad = wanted.clone();
    bad["participants"][1]["timezone"] = json!("Mars/Olympus");
    bad["interpretation"] = json!(["fr", "Spanish"]);
    let mut unparsed = bad.clone();
    unparsed["duration_min"] = json!("ninety");
    let r = b
        .post(&app, &new, &format!("csrf={csrf}&{}", form_of(&unparsed)))
        .await;
    assert_eq!(r.status, 422);
    let text = html(&r);
    assert!(text.contains(r#"id="duration_min-error""#), "{text}");
    let list = format!("/api/v1/meetings/{meeting}/proposals");
    assert_eq!(app.total(&list, Some(&token)).await, 0);
    // A zone the API refuses is said at its row, with the rest kept as typed.
    let r = b
        .post(&app, &new, &format!("csrf={csrf}&{}", form_of(&bad)))
        .await;
    assert_eq!(r.status, 422);
    let text = html(&r);
    assert!(text.contains(r#"data-screen="p1_timezone">"#), "{text}");
    assert!(text.contains("Mars/Olympus") && text.contains("Ben Speaker"));
    assert!(
        text.contains(r#"id="interpretation-error""#) && text.contains("fr, Spanish"),
        "{text}"
    );
    assert_eq!(app.total(&list, Some(&token)).await, 0);
    // A draft missing its moderators saves, and screening says what is missing.
    let mut short = wanted.clone();
    short["participants"].as_array_mut().unwrap().truncate(4);
    let r = b
        .post(&app, &new, &format!("csrf={csrf}&{}", form_of(&short)))
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let loc = r.header("location").unwrap();
    let id: i64 = loc
        .trim_start_matches("/desk/proposals/")
        .trim_end_matches("?saved=1")
        .parse()
        .unwrap();
    let stored = app
        .get(&format!("/api/v1/proposals/{id}"), Some(&token))
        .await
        .expect(200)
        .body;
    assert_eq!(content(&stored), content(&short));
    let page = html(&b.get(&app, &format!("/desk/proposals/{id}")).await);
    let api_screen: Vec<String> = stored["screening"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert!(!api_screen.is_empty());
    assert!(
        page.contains(&format!("{} things to fix", api_screen.len())),
        "{page}"
    );
    assert!(page.contains(r#"data-screen="participants">"#));
    // The live check says what the API's screening says of the same content.
    let check = b
        .post(
            &app,
            &format!("/desk/proposals/{id}/check"),
            &format!("csrf={csrf}&{}", form_of(&short)),
        )
        .await;
    assert_eq!(check.status, 200);
    let mut live: Vec<String> = check.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    let mut api_sorted = api_screen.clone();
    live.sort();
    api_sorted.sort();
    assert_eq!(live, api_sorted);
    let clean = b
        .post(
            &app,
            &format!("/desk/proposals/{id}/check"),
            &format!("csrf={csrf}&{}", form_of(&wanted)),
        )
        .await;
    assert_eq!(clean.body["problems"], json!([]));
    assert_eq!(
        b.post(
            &app,
            &format!("/desk/proposals/{id}/check"),
            &form_of(&wanted)
        )
        .await
        .status,
        403
    );
    // Submitting while screening fails is refused beside the fields; nothing changes.
    let version = hidden(&page, "version");
    let r = b
        .post(
            &app,
            &format!("/desk/proposals/{id}"),
            &format!("csrf={csrf}&version={version}&submit=1&{}", form_of(&short)),
        )
        .await;
    assert_eq!(r.status, 422);
    let status = app
        .get(&format!("/api/v1/proposals/{id}"), Some(&token))
        .await
        .body["status"]
        .clone();
    assert_eq!(status, "draft");
    // A save over a version another window changed is refused with what was typed.
    wanted["title"] = json!("Community networks, revised");
    app.patch(
        &format!("/api/v1/proposals/{id}"),
        Some(&token),
        &json!({"description": "Changed in another tab."}),
    )
    .await
    .expect(200);
    let r = b
        .post(
            &app,
            &format!("/desk/proposals/{id}"),
            &format!("csrf={csrf}&version={version}&{}", form_of(&wanted)),
        )
        .await;
    assert_eq!(r.status, 412);
    let text = html(&r);
    assert!(text.contains("Community networks, revised") && text.contains("another window"));
    // With the version now stored, the whole form is saved and submitted.
    let version = hidden(&text, "version");
    let r = b
        .post(
            &app,
            &format!("/desk/proposals/{id}"),
            &format!(
                "csrf={csrf}&version={version}&submit=1&{}",
                form_of(&wanted)
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let stored = app
        .get(&format!("/api/v1/proposals/{id}"), Some(&token))
        .await
        .body;
    assert_eq!(stored["status"], "submitted");
    assert_eq!(content(&stored), content(&wanted));
    // Another proposer's proposal is the 404 page; an evaluator is refused the form.
    app.proposer("other@example.org").await;
    let (mut o, _) = sign_in(&app, "other@example.org", PASSWORD).await;
    assert_eq!(
        o.get(&app, &format!("/desk/proposals/{id}")).await.status,
        404
    );
    app.user("eve@example.org", Role::Evaluator).await;
    let (mut e, _) = sign_in(&app, "eve@example.org", PASSWORD).await;
    assert_eq!(e.get(&app, &new).await.status, 403);
    // Signed out, a page sends the browser to sign in and back.
    let r = Browser::default()
        .get(&app, &format!("/desk/proposals/{id}"))
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location").unwrap(),
        format!("/desk/sign-in?next=%2Fdesk%2Fproposals%2F{id}")
    );
}

#[actix_web::test]
async fn an_evaluator_scores_an_assigned_proposal_on_its_page_and_cannot_open_another() {
    let p = crate::evaluation::panel().await;
    p.app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    p.close_call().await;
    p.set_phase("scoring").await.expect(200);
    let prop = p.proposals[0];
    let assigned = p.assigned_to(prop).await;
    let (e, outsider) = (assigned[0], (1..6).find(|i| !assigned.contains(i)).unwrap());
    let email = |i: usize| format!("mag{i}@example.org");
    let (mut b, csrf) = sign_in(&p.app, &email(e), PASSWORD).await;
    let list = html(
        &b.get(&p.app, &format!("/desk/meetings/{}/evaluation", p.meeting))
            .await,
    );
    assert!(list.contains(&format!("/desk/evaluation/proposals/{prop}")));
    let page = html(
        &b.get(&p.app, &format!("/desk/evaluation/proposals/{prop}"))
            .await,
    );
    // No email, no gender on the evaluator's page.
    assert!(!page.contains("@example.org") && !page.contains("female"));
    let path = format!("/desk/evaluation/proposals/{prop}/score");
    let r = b
        .post(
            &p.app,
            &path,
            &format!("csrf={csrf}&score_relevance=4&score_content=9&comment=Good"),
        )
        .await;
    assert_eq!(r.status, 422);
    let text = html(&r);
    assert!(text.contains(r#"id="c-content-error""#) && text.contains(r#"id="c-diversity-error""#));
    assert!(text.contains(">Good</textarea>"));
    let scores = format!("/api/v1/meetings/{}/evaluation/scores", p.meeting);
    assert_eq!(p.app.total(&scores, Some(&p.sec)).await, 0);
    let good = format!(
        "csrf={csrf}&score_relevance=4&score_content=3&score_format_and_hybrid=5&score_diversity=2&comment=Good&could_merge_with={}",
        p.proposals[1]
    );
    let r = b.post(&p.app, &path, &good).await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let api = p
        .app
        .get(
            &format!("/api/v1/proposals/{prop}/score"),
            Some(&p.evaluators[e].0),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        api["scores"],
        json!({"relevance": 4, "content": 3, "format_and_hybrid": 5, "diversity": 2})
    );
    assert_eq!(api["could_merge_with"], json!(p.proposals[1]));
    assert_eq!(api["comment"], "Good");
    // Someone else's assignment is the 404 page, as the API's 404.
    let (mut o, ocsrf) = sign_in(&p.app, &email(outsider), PASSWORD).await;
    assert_eq!(
        o.get(&p.app, &format!("/desk/evaluation/proposals/{prop}"))
            .await
            .status,
        404
    );
    let r = o.post(&p.app, &path, &good.replace(&csrf, &ocsrf)).await;
    assert!(r.status == 404 || r.status == 403, "{}", r.status);
    assert_eq!(p.app.total(&scores, Some(&p.sec)).await, 1);
    // A conflict declared on the page takes the proposal off the evaluator's list.
    let next = p.proposals[1];
    let ev = p.assigned_to(next).await[0];
    let (mut c, ccsrf) = sign_in(&p.app, &email(ev), PASSWORD).await;
    let conflict = format!("/desk/evaluation/proposals/{next}/conflict");
    let r = c
        .post(&p.app, &conflict, &format!("csrf={ccsrf}&reason="))
        .await;
    assert_eq!(r.status, 422, "a reason is needed");
    assert!(html(&r).contains(r#"id="reason-error""#));
    let r = c
        .post(
            &p.app,
            &conflict,
            &format!("csrf={ccsrf}&reason=I+advised+them"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let back = c.get(&p.app, &r.header("location").unwrap()).await;
    let text = html(&back);
    assert!(text.contains("conflict of interest is recorded"));
    assert!(!text.contains(&format!("/desk/evaluation/proposals/{next}\"")));
    assert!(!p.pairs(&p.sec).await.contains(&(next, p.evaluators[ev].1)));
}

#[actix_web::test]
async fn the_secretariat_runs_the_evaluation_from_its_pages_as_the_api_would() {
    let p = crate::evaluation::panel().await;
    let m = p.meeting;
    let (mut b, csrf) = sign_in(&p.app, "sec@example.org", PASSWORD).await;
    let manage = format!("/desk/meetings/{m}/manage");
    let page = html(&b.get(&p.app, &manage).await);
    assert!(
        page.contains("Assign evaluators to the submitted proposals."),
        "{page}"
    );
    // The assignment: a bad number beside its field, then the run and what it did.
    let r = b
        .post(
            &p.app,
            &format!("{manage}/assignment"),
            &format!("csrf={csrf}&per_proposal=many"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(html(&r).contains(r#"id="per_proposal-error""#));
    assert!(p.pairs(&p.sec).await.is_empty());
    // More evaluators than any proposal has free of conflicts: queued, the job fails,
    // and its form opens again with the number asked and the reason beside it.
    let r = b
        .post(
            &p.app,
            &format!("{manage}/assignment"),
            &format!("csrf={csrf}&per_proposal=6"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let watched = r.header("location").unwrap();
    assert!(watched.starts_with(&format!("{manage}/jobs/")), "{watched}");
    let page = job_ended(&mut b, &p.app, &watched).await;
    assert!(page.contains("Failed"), "{page}");
    let again = format!(
        "{manage}/evaluation?job={}",
        watched.rsplit('/').next().unwrap()
    );
    assert!(page.contains(&again), "{page}");
    let form = html(&b.get(&p.app, &again).await);
    assert!(
        form.contains(r#"id="per_proposal" name="per_proposal" inputmode="numeric" value="6""#),
        "{form}"
    );
    assert!(form.contains(r#"id="per_proposal-error""#), "{form}");
    assert!(p.pairs(&p.sec).await.is_empty());
    // The assignment that can be made is, watched to its end.
    let r = b
        .post(
            &p.app,
            &format!("{manage}/assignment"),
            &format!("csrf={csrf}&per_proposal=3"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let page = job_ended(&mut b, &p.app, &r.header("location").unwrap()).await;
    assert!(page.contains("9 assignments of 3 proposals"), "{page}");
    assert!(
        page.contains(r#"<progress id="job-progress" max="1" value="1">"#),
        "{page}"
    );
    assert_eq!(p.pairs(&p.sec).await.len(), 9);
    // Scoring cannot open while the call is open: the API's refusal, on the page.
    let version = hidden(&html(&b.get(&p.app, &manage).await), "version");
    let r = b
        .post(
            &p.app,
            &format!("{manage}/phase"),
            &format!("csrf={csrf}&version={version}&phase=scoring"),
        )
        .await;
    assert_eq!(r.status, 409, "{}", html(&r));
    p.close_call().await;
    let r = b
        .post(
            &p.app,
            &format!("{manage}/phase"),
            &format!("csrf={csrf}&version={version}&phase=scoring"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let eval = format!("/api/v1/meetings/{m}/evaluation");
    assert_eq!(
        p.app.get(&eval, Some(&p.sec)).await.body["phase"],
        "scoring"
    );
    // A stale version is refused, not applied over another's change.
    let r = b
        .post(
            &p.app,
            &format!("{manage}/phase"),
            &format!("csrf={csrf}&version={version}&phase=closed"),
        )
        .await;
    assert_eq!(r.status, 412);
    for (prop, e) in p.pairs(&p.sec).await {
        let tok = &p.evaluators.iter().find(|x| x.1 == e).unwrap().0;
        let s = 2 + (prop + e) % 3;
        p.app
            .send(
                "PUT",
                &format!("/api/v1/proposals/{prop}/score"),
                Some(tok),
                Some(&json!({"scores": {"relevance": s, "content": s, "format_and_hybrid": 4, "diversity": 3}})),
                &[],
            )
            .await
            .expect(201);
    }
    let version = hidden(&html(&b.get(&p.app, &manage).await), "version");
    let r = b
        .post(
            &p.app,
            &format!("{manage}/phase"),
            &format!("csrf={csrf}&version={version}&phase=closed"),
        )
        .await;
    assert_eq!(r.status, 303);
    // The results page lists what the API's results list.
    let results = html(&b.get(&p.app, &format!("{manage}/results")).await);
    let api = p
        .app
        .get(
            &format!("/api/v1/meetings/{m}/evaluation/results"),
            Some(&p.sec),
        )
        .await
        .expect(200)
        .body;
    for row in api["items"].as_array().unwrap() {
        let mean = format!("{:.2}", row["mean"].as_f64().unwrap());
        assert!(results.contains(&mean), "{mean}");
    }
    // Its download link gives the API's export, to this browser's sign-in only.
    let csv_link = regex::Regex::new(r#"href="(/desk/meetings/\d+/exports/results\?format=csv)""#)
        .unwrap()
        .captures(&results)
        .expect("a download link on the results page")[1]
        .to_string();
    let got = b.get(&p.app, &csv_link).await;
    assert_eq!(got.status, 200);
    let api_csv = p
        .app
        .get(
            &format!("/api/v1/meetings/{m}/exports/results"),
            Some(&p.sec),
        )
        .await
        .expect(200);
    assert_eq!(got.raw, api_csv.raw);
    assert_eq!(
        Browser::default().get(&p.app, &csv_link).await.status,
        303,
        "a browser that is not signed in is sent to sign in"
    );
    // The selection: a bad quota beside its field; then a run, its charts and outcomes.
    let select = format!("{manage}/selection");
    let r = b
        .post(
            &p.app,
            &select,
            &format!("csrf={csrf}&slots_per_type.workshop=two"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(html(&r).contains(r#"id="slots_per_type.workshop-error""#));
    let r = b
        .post(
            &p.app,
            &select,
            &format!("csrf={csrf}&slots_per_type.workshop=2&waitlist=1&stakeholder_min_share.civil_society=50"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let page = job_ended(&mut b, &p.app, &r.header("location").unwrap()).await;
    assert!(
        page.contains("Score of the programme"),
        "the best so far: {page}"
    );
    let link = format!(r#"href="{select}?run="#);
    let at = page.find(&link).expect("a link to the run") + link.len();
    let run: i64 = page[at..].split('"').next().unwrap().parse().unwrap();
    let page = html(&b.get(&p.app, &format!("{select}?run={run}")).await);
    let api = p
        .app
        .get(
            &format!("/api/v1/meetings/{m}/selection/{run}"),
            Some(&p.sec),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(api["selected"], 2);
    assert_eq!(
        api["request"]["stakeholder_min_share"]["civil_society"],
        0.5
    );
    assert!(page.contains(r#"<svg class="bars""#) && page.contains("2 chosen of 3"));
    assert!(
        page.contains(r#"value="50""#),
        "the run's request fills the form again"
    );
    for prop in api["proposals"].as_array().unwrap() {
        assert!(page.contains(&html_escape(prop["reason"].as_str().unwrap())));
    }
    let r = b
        .post(
            &p.app,
            &format!("{manage}/decisions"),
            &format!("csrf={csrf}&selection_run_id={run}"),
        )
        .await;
    assert_eq!(r.status, 303);
    let decided = p
        .app
        .total(&format!("/api/v1/meetings/{m}/decisions"), Some(&p.sec))
        .await;
    assert_eq!(decided, 3);
    // One proposal decided by hand: the API records it, and the run's page shows it.
    let one = p.proposals[2];
    let r = b
        .post(
            &p.app,
            &format!("{manage}/decisions"),
            &format!("csrf={csrf}&selection_run_id={run}&proposal_id={one}&outcome=maybe"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(html(&r).contains("Choose an outcome."));
    let r = b
        .post(
            &p.app,
            &format!("{manage}/decisions"),
            &format!(
                "csrf={csrf}&selection_run_id={run}&proposal_id={one}&outcome=waitlisted&reason=Next+in+line"
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let list = p
        .app
        .get(
            &format!("/api/v1/meetings/{m}/decisions?per_page=100"),
            Some(&p.sec),
        )
        .await
        .expect(200)
        .body;
    let mine = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["proposal_id"] == one)
        .unwrap()
        .clone();
    assert_eq!(
        (mine["outcome"].as_str(), mine["reason"].as_str()),
        (Some("waitlisted"), Some("Next in line"))
    );
    let page = html(&b.get(&p.app, &format!("{select}?run={run}")).await);
    assert!(page.contains("Waitlisted: Next in line"), "{page}");
    let version = hidden(&html(&b.get(&p.app, &manage).await), "version");
    let r = b
        .post(
            &p.app,
            &format!("{manage}/phase"),
            &format!("csrf={csrf}&version={version}&phase=published"),
        )
        .await;
    assert_eq!(r.status, 303);
    p.app
        .get(&format!("/api/v1/meetings/{m}/evaluation/report"), None)
        .await
        .expect(200);
    // The set-up: a room refused beside its field, then added and removed.
    let setup = format!("{manage}/setup");
    let r = b
        .post(
            &p.app,
            &format!("{manage}/rooms"),
            &format!("csrf={csrf}&name=Booth&capacity=lots&layout=classroom"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        html(&r).contains(r#"id="room-new-capacity-error""#)
            && html(&r).contains(r#"value="Booth""#),
        "{}",
        html(&r)
    );
    let r = b
        .post(
            &p.app,
            &format!("{manage}/rooms"),
            &format!("csrf={csrf}&name=Booth&capacity=12&layout=classroom&hybrid=on"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let rooms = p
        .app
        .get(&format!("/api/v1/meetings/{m}/rooms"), Some(&p.sec))
        .await
        .body;
    let booth = items(&rooms)
        .iter()
        .find(|r| r["name"] == "Booth")
        .expect("the room is there")
        .clone();
    assert_eq!(
        (booth["capacity"].as_i64(), booth["hybrid"].as_bool()),
        (Some(12), Some(true))
    );
    // Changed on its own form: a refusal stays beside that form's field.
    let r = b
        .post(
            &p.app,
            &format!("{manage}/rooms/{}", booth["id"]),
            &format!("csrf={csrf}&name=Booth&capacity=-3&layout=classroom"),
        )
        .await;
    assert_eq!(r.status, 422, "{}", html(&r));
    let room_form = format!(r#"id="room-{}-capacity-error""#, booth["id"]);
    assert!(html(&r).contains(&room_form), "{}", html(&r));
    let r = b
        .post(
            &p.app,
            &format!("{manage}/rooms/{}", booth["id"]),
            &format!("csrf={csrf}&name=Booth&capacity=20&layout=classroom"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let rooms = p
        .app
        .get(&format!("/api/v1/meetings/{m}/rooms"), Some(&p.sec))
        .await
        .expect(200)
        .body;
    let room = items(&rooms)
        .iter()
        .find(|r| r["id"] == booth["id"])
        .unwrap()
        .clone();
    assert_eq!(
        (room["capacity"].as_i64(), room["hybrid"].as_bool()),
        (Some(20), Some(false))
    );
    let r = b
        .post(
            &p.app,
            &format!("{manage}/rooms/{}/remove", booth["id"]),
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(!html(&b.get(&p.app, &setup).await).contains(">Booth<"));
    // A session type: durations that are none refused beside the field, then added
    // with its placement, changed and removed, each as the API stores it.
    let types = format!("/api/v1/meetings/{m}/session-types");
    let r = b
        .post(
            &p.app,
            &format!("{manage}/types"),
            &format!("csrf={csrf}&code=lightning&name=Lightning+talks&durations=twenty&days=day_zero&rooms=Room+1&from_call=on"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        html(&r).contains(r#"id="type-new-durations-error""#),
        "{}",
        html(&r)
    );
    assert!(html(&r).contains(r#"value="Lightning talks""#));
    let r = b
        .post(
            &p.app,
            &format!("{manage}/types"),
            &format!("csrf={csrf}&code=lightning&name=Lightning+talks&durations=20%2C+30&days=day_zero&rooms=Room+1&from_call=on"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let listed = p.app.get(&types, Some(&p.sec)).await.expect(200).body;
    let all = items(&listed).clone();
    let lightning = all
        .iter()
        .find(|t| t["code"] == "lightning")
        .expect("added")
        .clone();
    let room1 = m_rooms(&p.app, m, &p.sec).await["Room 1"];
    assert_eq!(lightning["durations"], json!([20, 30]));
    assert_eq!(lightning["placement"]["days"], "day_zero");
    assert_eq!(lightning["placement"]["room_ids"], json!([room1]));
    assert_eq!(
        (
            lightning["from_call"].as_bool(),
            lightning["exclusive"].as_bool()
        ),
        (Some(true), Some(false))
    );
    let r = b
        .post(
            &p.app,
            &format!("{manage}/types/{}", lightning["id"]),
            &format!(
                "csrf={csrf}&name=Lightning+talks&durations=30&days=main&position=&exclusive=on"
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let listed = p.app.get(&types, Some(&p.sec)).await.expect(200).body;
    let changed = items(&listed)
        .iter()
        .find(|t| t["code"] == "lightning")
        .unwrap()
        .clone();
    assert_eq!(changed["durations"], json!([30]));
    assert_eq!(changed["placement"]["days"], "main");
    assert!(
        changed["placement"]
            .get("room_ids")
            .is_none_or(|r| r == &json!([])),
        "{changed}"
    );
    assert_eq!(
        (
            changed["from_call"].as_bool(),
            changed["exclusive"].as_bool()
        ),
        (Some(false), Some(true))
    );
    let r = b
        .post(
            &p.app,
            &format!("{manage}/types/{}/remove", lightning["id"]),
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let listed = p.app.get(&types, Some(&p.sec)).await.expect(200).body;
    assert!(!listed.to_string().contains("\"lightning\""), "{listed}");
    // A day: a date that is none refused; added with a main day's slots, moved, removed.
    let days = format!("/api/v1/meetings/{m}/days");
    let r = b
        .post(
            &p.app,
            &format!("{manage}/days"),
            &format!("csrf={csrf}&number=4&date=next+friday&copy_slots_from=1"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        html(&r).contains(r#"id="day-new-date-error""#),
        "{}",
        html(&r)
    );
    let r = b
        .post(
            &p.app,
            &format!("{manage}/days"),
            &format!("csrf={csrf}&number=4&date=2027-06-25&copy_slots_from=1"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let listed = p.app.get(&days, Some(&p.sec)).await.expect(200).body;
    let day4 = items(&listed)
        .iter()
        .find(|d| d["number"] == 4)
        .expect("added")
        .clone();
    let day1 = items(&listed)
        .iter()
        .find(|d| d["number"] == 1)
        .unwrap()
        .clone();
    assert_eq!(
        (day4["date"].as_str(), &day4["slots"]),
        (Some("2027-06-25"), &day1["slots"])
    );
    let r = b
        .post(
            &p.app,
            &format!("{manage}/days/4"),
            &format!("csrf={csrf}&date=2027-06-26"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let listed = p.app.get(&days, Some(&p.sec)).await.expect(200).body;
    let day = items(&listed)
        .iter()
        .find(|d| d["number"] == 4)
        .unwrap()
        .clone();
    assert_eq!(day["date"], "2027-06-26");
    let r = b
        .post(
            &p.app,
            &format!("{manage}/days/4/remove"),
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let listed = p.app.get(&days, Some(&p.sec)).await.expect(200).body;
    assert!(items(&listed).iter().all(|d| d["number"] != 4), "{listed}");
    // A slot: a time that is none refused beside its field; then added and removed.
    let r = b
        .post(
            &p.app,
            &format!("{manage}/slots"),
            &format!("csrf={csrf}&day_number=1&start=25%3A00&duration_min=45"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        html(&r).contains(r#"id="slot-new-start-error""#),
        "{}",
        html(&r)
    );
    let before = p
        .app
        .get(&format!("/api/v1/meetings/{m}/slots"), Some(&p.sec))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .len();
    let r = b
        .post(
            &p.app,
            &format!("{manage}/slots"),
            &format!("csrf={csrf}&day_number=1&start=18%3A15&duration_min=45"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let slots = p
        .app
        .get(&format!("/api/v1/meetings/{m}/slots"), Some(&p.sec))
        .await
        .body;
    let added = slots["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["starts_at"]["local"]
                .as_str()
                .unwrap()
                .contains("T18:15:00")
        })
        .expect("the slot is there")
        .clone();
    assert_eq!(added["duration_min"], 45);
    assert_eq!(slots["items"].as_array().unwrap().len(), before + 1);
    let r = b
        .post(
            &p.app,
            &format!("{manage}/slots/{}/remove", added["id"]),
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(r.status, 303);
    // An evaluator is refused the secretariat's pages, as by the API.
    let (mut e, _) = sign_in(&p.app, "mag1@example.org", PASSWORD).await;
    assert_eq!(e.get(&p.app, &manage).await.status, 403);
}

/// The items of a list answer (a bare array or a page's `items`).
/// Reads a job's page until the job has ended; answers the last page.
async fn job_ended(b: &mut Browser, app: &TestApp, path: &str) -> String {
    for _ in 0..600 {
        let page = html(&b.get(app, path).await);
        if page.contains(r#"data-running="0""#) {
            return page;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the job at {path} did not end within a minute");
}

fn items(v: &Value) -> &Vec<Value> {
    v.as_array()
        .or(v["items"].as_array())
        .expect("a list answer")
}

/// A meeting's rooms by name, with their ids.
async fn m_rooms(
    app: &TestApp,
    meeting: i64,
    token: &str,
) -> std::collections::BTreeMap<String, i64> {
    let rooms = app
        .get(&format!("/api/v1/meetings/{meeting}/rooms"), Some(token))
        .await
        .expect(200)
        .body;
    items(&rooms)
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// The sessions a board page shows, cell by cell: `(room, slot, session)`.
fn board_cells(page: &str) -> Vec<(i64, i64, i64)> {
    let cell =
        regex::Regex::new(r#"(?s)<td class="cell" data-room="(\d+)" data-slot="(\d+)">(.*?)</td>"#)
            .unwrap();
    let card =
        regex::Regex::new(r#"class="card[^"]*" draggable="true" data-session="(\d+)""#).unwrap();
    let mut out = vec![];
    for c in cell.captures_iter(page) {
        for s in card.captures_iter(&c[3]) {
            out.push((
                c[1].parse().unwrap(),
                c[2].parse().unwrap(),
                s[1].parse().unwrap(),
            ));
        }
    }
    out
}

#[actix_web::test]
async fn the_board_moves_as_the_api_moves_and_refuses_hard_rules_and_stale_boards() {
    let (app, summary) = TestApp::spawn_demo(igf_scheduler::demo::Stage::Scheduled).await;
    let m = summary.meeting_id;
    let other = app.another().await;
    let sec = app
        .login_with(
            igf_scheduler::demo::SECRETARIAT_EMAIL,
            igf_scheduler::demo::DEMO_PASSWORD,
        )
        .await;
    let (mut b, csrf) = sign_in(
        &app,
        igf_scheduler::demo::SECRETARIAT_EMAIL,
        igf_scheduler::demo::DEMO_PASSWORD,
    )
    .await;
    let versions = app
        .get(&format!("/api/v1/meetings/{m}/schedules"), Some(&sec))
        .await
        .expect(200)
        .body;
    let v1 = versions["items"][0]["id"].as_i64().unwrap();
    let api = app
        .get(&format!("/api/v1/schedules/{v1}"), Some(&sec))
        .await
        .expect(200)
        .body;
    let placements = api["placements"].as_array().unwrap().clone();
    let day = placements
        .iter()
        .map(|p| p["starts_at"].as_str().unwrap()[..10].to_string())
        .find(|d| {
            placements
                .iter()
                .filter(|p| p["starts_at"].as_str().unwrap().starts_with(d.as_str()))
                .count()
                > 5
        })
        .unwrap();
    let board = format!("/desk/meetings/{m}/manage/board");
    // The grid of a day is the API's placements of that day, cell by cell.
    let page = html(
        &b.get(&app, &format!("{board}?version={v1}&day={day}"))
            .await,
    );
    let mut shown = board_cells(&page);
    let mut wanted: Vec<(i64, i64, i64)> = placements
        .iter()
        .filter(|p| p["starts_at"].as_str().unwrap().starts_with(&day))
        .map(|p| {
            (
                p["room_id"].as_i64().unwrap(),
                p["slot_id"].as_i64().unwrap(),
                p["session_id"].as_i64().unwrap(),
            )
        })
        .collect();
    shown.sort();
    wanted.sort();
    assert_eq!(shown, wanted);
    // Onto a taken room: refused with the API's reason, nothing stored.
    let ((_, sa, a), (rb, _, _)) = wanted
        .iter()
        .flat_map(|x| wanted.iter().map(move |y| (*x, *y)))
        .find(|(x, y)| x.1 == y.1 && x.0 != y.0)
        .expect("two sessions at one time");
    let form = |session: i64, room: i64, slot: i64, seen: i64| {
        format!(
            "csrf={csrf}&version={v1}&newest_seen={seen}&day={day}&session_id={session}&room_id={room}&slot_id={slot}"
        )
    };
    let r = b
        .post(&app, &format!("{board}/moves"), &form(a, rb, sa, v1))
        .await;
    assert_eq!(r.status, 422);
    let said = app
        .post(
            &format!("/api/v1/schedules/{v1}/moves"),
            Some(&sec),
            &json!({"moves": [{"session_id": a, "room_id": rb, "slot_id": sa}]}),
        )
        .await
        .expect(422);
    let reason = said.body["errors"][0]["message"].as_str().unwrap();
    assert!(html(&r).contains(&html_escape(reason)), "{reason}");
    assert!(html(&r).contains("it would break a hard rule"));
    assert_eq!(
        app.total(&format!("/api/v1/meetings/{m}/schedules"), Some(&sec))
            .await,
        1
    );
    // Onto free cells of that day until the rules take one: a draft with its cost.
    let slots: Vec<i64> = items(
        &app.get(&format!("/api/v1/meetings/{m}/slots"), Some(&sec))
            .await
            .expect(200)
            .body,
    )
    .iter()
    .filter(|s| s["starts_at"]["local"].as_str().unwrap().starts_with(&day))
    .map(|s| s["id"].as_i64().unwrap())
    .collect();
    assert!(!slots.is_empty(), "the day's slots");
    let rooms = app
        .get(&format!("/api/v1/meetings/{m}"), Some(&sec))
        .await
        .body["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect::<Vec<_>>();
    // The day's sessions in turn (a main session has few places it may go), from the
    // one refused above.
    let mut movers: Vec<i64> = wanted.iter().map(|w| w.2).filter(|&s| s != a).collect();
    movers.insert(0, a);
    let mut made = None;
    'search: for &a in &movers {
        for (slot, room) in slots.iter().flat_map(|s| rooms.iter().map(move |r| (s, r))) {
            if wanted.iter().any(|(r, s, _)| r == room && s == slot) {
                continue;
            }
            let r = b
                .post(&app, &format!("{board}/moves"), &form(a, *room, *slot, v1))
                .await;
            match r.status.as_u16() {
                303 => {
                    made = Some((r.header("location").unwrap(), *room, *slot, a));
                    break 'search;
                }
                422 => assert!(html(&r).contains("it would break a hard rule")),
                other => panic!("{other}: {}", html(&r)),
            }
        }
    }
    let (location, room, slot, a) = made.expect("a free cell the rules allow");
    let v2 = app
        .get(&format!("/api/v1/meetings/{m}/schedules"), Some(&sec))
        .await
        .body["items"][0]
        .clone();
    assert_eq!(v2["parent_id"], v1);
    let page = html(&b.get(&app, &location).await);
    let delta = v2["soft"].as_i64().unwrap() - api["soft"].as_i64().unwrap();
    assert!(
        page.contains(&format!("{} → {} points", api["soft"], v2["soft"])),
        "{page}"
    );
    assert!(page.contains(&format!("({}{delta})", if delta >= 0 { "+" } else { "" })));
    assert!(board_cells(&page).contains(&(room, slot, a)));
    // A board on the other instance that still shows version 1 is refused, not branched.
    let (mut late, late_csrf) = sign_in(
        &other,
        igf_scheduler::demo::SECRETARIAT_EMAIL,
        igf_scheduler::demo::DEMO_PASSWORD,
    )
    .await;
    let r = late
        .post(
            &other,
            &format!("{board}/moves"),
            &form(wanted[1].2, room, slot, v1).replace(&csrf, &late_csrf),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(html(&r).contains("was made since the one you saw"));
    // Pinned where it is now; the API says so.
    let v2id = v2["id"].as_i64().unwrap();
    let r = b
        .post(
            &app,
            &format!("{board}/pins"),
            &format!(
                "csrf={csrf}&version={v2id}&day={day}&session_id={a}&room_id={room}&slot_id={slot}"
            ),
        )
        .await;
    assert_eq!(r.status, 303);
    let s = app
        .get(&format!("/api/v1/sessions/{a}"), Some(&sec))
        .await
        .expect(200)
        .body;
    assert_eq!(s["pin"], json!({"room_id": room, "slot_id": slot}));
    // Published from the board: the public programme has the session where it was moved.
    let r = b
        .post(
            &app,
            &format!("{board}/publish"),
            &format!("csrf={csrf}&version={v2id}"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let programme = other
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    let moved = programme["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["session_id"] == a)
        .unwrap()
        .clone();
    let placed = app
        .get(&format!("/api/v1/schedules/{v2id}"), Some(&sec))
        .await
        .body["placements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["session_id"] == a)
        .unwrap()
        .clone();
    assert_eq!(moved["starts_at_utc"], placed["starts_at_utc"]);
    assert_eq!(moved["room"], placed["room"]);
    // A solve from the board goes on to its job page.
    let r = b
        .post(
            &app,
            &format!("{board}/jobs"),
            &format!("csrf={csrf}&kind=solve&time_limit_seconds=1"),
        )
        .await;
    assert_eq!(r.status, 303);
    let job = b.get(&app, &r.header("location").unwrap()).await;
    assert_eq!(job.status, 200);
    assert!(html(&job).contains(r#"<progress id="job-progress""#));
}

#[actix_web::test]
async fn a_delegation_books_and_cancels_a_bilateral_room_on_its_page_as_the_api_would() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, &open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    let room = app
        .post(
            &format!("/api/v1/meetings/{m}/bilateral-rooms"),
            Some(&sec),
            &json!({"name": "Fjord", "capacity": 8, "opens": "09:00", "closes": "11:00"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let token = app.proposer("delegate@example.org").await;
    let (mut b, csrf) = sign_in(&app, "delegate@example.org", PASSWORD).await;
    // The desk links the page; the page shows the first day to come, all free.
    let home = html(&b.get(&app, "/desk").await);
    let path = format!("/desk/meetings/{m}/bilaterals");
    assert!(home.contains(&path), "{home}");
    let page = html(&b.get(&app, &format!("{path}?day=2027-06-22")).await);
    assert_eq!(page.matches(r#"name="slot""#).count(), 4, "{page}");
    // No delegation named: refused beside the field, nothing booked.
    let slot = enc(&format!("{room}@2027-06-22T09:30:00+02:00"));
    let r = b
        .post(
            &app,
            &path,
            &format!("csrf={csrf}&day=2027-06-22&delegation=&slots=1&slot={slot}"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(html(&r).contains(r#"id="delegation-error""#));
    let mine = format!("/api/v1/meetings/{m}/bilateral-bookings");
    assert_eq!(
        app.get(&mine, Some(&token)).await.expect(200).body["items"],
        json!([])
    );
    // Booked for two slots: the API holds what the page booked.
    let r = b
        .post(
            &app,
            &path,
            &format!("csrf={csrf}&day=2027-06-22&delegation=Norway&note=ITU&slots=2&slot={slot}"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let held = app.get(&mine, Some(&token)).await.expect(200).body;
    let booking = &held["items"][0];
    assert_eq!(booking["starts_at"], "2027-06-22T09:30:00+02:00");
    assert_eq!(booking["ends_at"], "2027-06-22T10:30:00+02:00");
    assert_eq!(booking["delegation"], "Norway");
    let page = html(
        &b.get(&app, &format!("{path}?day=2027-06-22&booked=1"))
            .await,
    );
    assert!(page.contains("Yours: Norway"), "{page}");
    assert_eq!(page.matches(r#"name="slot""#).count(), 2);
    // The same time again: the API's refusal, in words, on the page.
    let r = b
        .post(
            &app,
            &path,
            &format!("csrf={csrf}&day=2027-06-22&delegation=Kenya&slots=1&slot={slot}"),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(html(&r).contains("Fjord is taken"), "{}", html(&r));
    // Its calendar file, then cancelling it frees the time.
    let id = booking["id"].as_i64().unwrap();
    let ics = b
        .get(&app, &format!("/desk/bilaterals/{id}/calendar.ics"))
        .await;
    assert_eq!(ics.status, 200);
    assert!(html(&ics).contains("DTSTART;TZID=Europe/Oslo:20270622T093000"));
    let r = b
        .post(
            &app,
            &format!("/desk/bilaterals/{id}/cancel"),
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        app.get(&mine, Some(&token)).await.expect(200).body["items"],
        json!([])
    );
    // Another account cannot cancel what is not theirs.
    let other = app
        .post(
            &format!("/api/v1/meetings/{m}/bilateral-bookings"),
            Some(&sec),
            &json!({"room_id": room, "starts_at": "2027-06-22T09:00:00+02:00",
                    "delegation": "Secretariat"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let r = b
        .post(
            &app,
            &format!("/desk/bilaterals/{other}/cancel"),
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(r.status, 404);
}

/// The entity tag a page carries in its hidden `tag` field, unescaped.
fn page_tag(page: &str) -> String {
    hidden(page, "tag")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
}

#[actix_web::test]
async fn the_secretariat_sets_the_technical_services_on_the_set_up_page_as_the_api_would() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, &open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    let (mut b, csrf) = sign_in(&app, "sec@example.org", PASSWORD).await;
    let manage = format!("/desk/meetings/{m}/manage");
    let setup = format!("{manage}/setup");
    let api = format!("/api/v1/meetings/{m}/logistics");
    let page = html(&b.get(&app, &setup).await);
    assert!(page.contains("Technical services"), "{page}");
    let tag = page_tag(&page);
    // Channels that are no number are refused beside the field, as typed.
    let r = b
        .post(
            &app,
            &format!("{manage}/services"),
            &format!(
                "csrf={csrf}&tag={}&online_channels=ten&captioners=&bilateral_daily_limit=2",
                enc(&tag)
            ),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        html(&r).contains(r#"id="services-online_channels-error""#)
            && html(&r).contains(r#"value="ten""#),
        "{}",
        html(&r)
    );
    // Saved: the API reads what the page stored; an empty field is no limit.
    let services = |tag: &str, channels: &str| {
        format!(
            "csrf={csrf}&tag={}&online_channels={channels}&captioners=&bilateral_daily_limit=3",
            enc(tag)
        )
    };
    let r = b
        .post(&app, &format!("{manage}/services"), &services(&tag, "4"))
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let got = app.get(&api, Some(&sec)).await.expect(200).body;
    assert_eq!(
        (
            &got["online_channels"],
            &got["captioners"],
            &got["bilateral_daily_limit"]
        ),
        (&json!(4), &Value::Null, &json!(3))
    );
    // A form sent from a page shown before that change is refused and keeps the rest.
    let r = b
        .post(&app, &format!("{manage}/services"), &services(&tag, "9"))
        .await;
    assert_eq!(r.status, 412, "{}", html(&r));
    assert!(html(&r).contains("Someone saved this"), "{}", html(&r));
    assert_eq!(
        app.get(&api, Some(&sec)).await.body["online_channels"],
        json!(4)
    );
    // A team: a language by name is refused beside the languages, then added.
    let tag = page_tag(&html(&b.get(&app, &setup).await));
    let team = |tag: &str, languages: &str, minutes: &str| {
        format!(
            "csrf={csrf}&tag={}&name=Francophone&languages={}&max_sessions_per_day=2&max_minutes_per_day={minutes}&min_break_min=30",
            enc(tag),
            enc(languages)
        )
    };
    let r = b
        .post(
            &app,
            &format!("{manage}/teams"),
            &team(&tag, "French", "240"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        html(&r).contains(r#"id="team-new-languages-error""#)
            && html(&r).contains(r#"value="French""#),
        "{}",
        html(&r)
    );
    let r = b
        .post(
            &app,
            &format!("{manage}/teams"),
            &team(&tag, "fr, ar", "240"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let got = app.get(&api, Some(&sec)).await.expect(200).body;
    let t = &got["interpreter_teams"][0];
    assert_eq!(
        (
            &t["name"],
            &t["languages"],
            &t["max_sessions_per_day"],
            &t["max_minutes_per_day"],
            &t["min_break_min"]
        ),
        (
            &json!("Francophone"),
            &json!(["fr", "ar"]),
            &json!(2),
            &json!(240),
            &json!(30)
        ),
        "{got}"
    );
    assert_eq!(got["online_channels"], 4, "the services are kept");
    let id = t["id"].as_i64().unwrap();
    // Changed on its own form: an out-of-range break is said beside its field there.
    let tag = page_tag(&html(&b.get(&app, &setup).await));
    let r = b
        .post(
            &app,
            &format!("{manage}/teams/{id}"),
            &format!(
                "csrf={csrf}&tag={}&name=Francophone&languages=fr&max_sessions_per_day=&max_minutes_per_day=&min_break_min=-5",
                enc(&tag)
            ),
        )
        .await;
    assert_eq!(r.status, 422, "{}", html(&r));
    assert!(
        html(&r).contains(&format!(r#"id="team-{id}-min_break_min-error""#)),
        "{}",
        html(&r)
    );
    let r = b
        .post(
            &app,
            &format!("{manage}/teams/{id}"),
            &format!(
                "csrf={csrf}&tag={}&name=Francophone&languages=fr&max_sessions_per_day=&max_minutes_per_day=&min_break_min=15",
                enc(&tag)
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let t = app.get(&api, Some(&sec)).await.body["interpreter_teams"][0].clone();
    assert_eq!(
        (
            &t["id"],
            &t["languages"],
            &t["max_sessions_per_day"],
            &t["min_break_min"]
        ),
        (&json!(id), &json!(["fr"]), &Value::Null, &json!(15)),
        "{t}"
    );
    let tag = page_tag(&html(&b.get(&app, &setup).await));
    let r = b
        .post(
            &app,
            &format!("{manage}/teams/{id}/remove"),
            &format!("csrf={csrf}&tag={}", enc(&tag)),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    assert_eq!(
        app.get(&api, Some(&sec)).await.body["interpreter_teams"],
        json!([])
    );
    // A bilateral room: closing before a slot has passed is refused beside the
    // field; then added, changed and removed as the API stores it.
    let rooms = format!("/api/v1/meetings/{m}/bilateral-rooms");
    let r = b
        .post(
            &app,
            &format!("{manage}/bilaterals"),
            &format!(
                "csrf={csrf}&name=Fjord&capacity=8&opens=09%3A00&closes=09%3A10&slot_minutes=30"
            ),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        html(&r).contains(r#"id="bilateral-new-closes-error""#),
        "{}",
        html(&r)
    );
    let r = b
        .post(
            &app,
            &format!("{manage}/bilaterals"),
            &format!(
                "csrf={csrf}&name=Fjord&capacity=8&opens=09%3A00&closes=12%3A00&slot_minutes=30"
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let listed = app.get(&rooms, Some(&sec)).await.expect(200).body;
    let fjord = items(&listed)[0].clone();
    assert_eq!(
        (&fjord["name"], &fjord["closes"], &fjord["slot_minutes"]),
        (&json!("Fjord"), &json!("12:00"), &json!(30))
    );
    let r = b
        .post(
            &app,
            &format!("{manage}/bilaterals/{}", fjord["id"]),
            &format!(
                "csrf={csrf}&name=Fjord&capacity=10&opens=08%3A30&closes=12%3A00&slot_minutes=45"
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let changed = items(&app.get(&rooms, Some(&sec)).await.body)[0].clone();
    assert_eq!(
        (
            &changed["capacity"],
            &changed["opens"],
            &changed["slot_minutes"]
        ),
        (&json!(10), &json!("08:30"), &json!(45))
    );
    let r = b
        .post(
            &app,
            &format!("{manage}/bilaterals/{}/remove", fjord["id"]),
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    assert_eq!(items(&app.get(&rooms, Some(&sec)).await.body).len(), 0);
}

#[actix_web::test]
async fn organisers_file_and_the_secretariat_reviews_a_report_on_its_page_as_the_api_would() {
    let (app, sec, m, ids) = crate::scheduling::reports::held_meeting().await;
    let s1 = ids[0];
    app.post(
        "/api/v1/auth/register",
        None,
        &json!({"email": "amina.organiser@example.org", "name": "Amina Organiser", "password": PASSWORD}),
    )
    .await
    .expect(202);
    let (mut b, csrf) = sign_in(&app, "amina.organiser@example.org", PASSWORD).await;
    // The desk links her sessions' reports; the list shows hers only, each deadline
    // in the venue's time and in the organisers' own zone.
    let home = html(&b.get(&app, "/desk").await);
    let list = format!("/desk/meetings/{m}/reports");
    assert!(home.contains(&list), "{home}");
    let page = html(&b.get(&app, &list).await);
    assert!(page.contains("Cables under the sea"), "{page}");
    assert!(!page.contains("Spectrum for all"), "{page}");
    assert!(
        page.contains("(Europe/Oslo)") && page.contains("(Africa/Nairobi, for Amina Organiser)"),
        "{page}"
    );
    // A full report with a count that is no number and too many women: both refused
    // beside their fields, what was typed kept, nothing stored.
    let path = format!("/desk/sessions/{s1}/reports/full");
    let form = html(&b.get(&app, &path).await);
    let version = hidden(&form, "version");
    assert_eq!(version, "0");
    let body = |onsite: &str, women: &str, action: &str| {
        format!(
            "csrf={csrf}&version={version}&action={action}&discussion={}&way_forward={}&participants_onsite={onsite}&participants_online=10&women_estimate={women}&key_issues={}",
            enc("We compared repair times."),
            enc("A shared fault registry."),
            enc("Repair ships\nFault data")
        )
    };
    let r = b.post(&app, &path, &body("forty", "12", "save")).await;
    assert_eq!(r.status, 422, "{}", html(&r));
    let page = html(&r);
    assert!(page.contains(r#"id="participants_onsite-error""#), "{page}");
    assert!(
        page.contains("We compared repair times."),
        "typed text is kept"
    );
    let api = format!("/api/v1/sessions/{s1}/reports/full");
    assert_eq!(
        app.get(&api, Some(&sec)).await.expect(200).body["version"],
        0
    );
    let r = b.post(&app, &path, &body("40", "70", "save")).await;
    assert_eq!(r.status, 422);
    assert!(html(&r).contains(r#"id="women_estimate-error""#));
    // Saved, then submitted: the API holds what the page sent.
    let r = b.post(&app, &path, &body("40", "20", "save")).await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let v = app.get(&api, Some(&sec)).await.expect(200).body;
    assert_eq!(v["state"], "draft");
    assert_eq!(
        v["content"]["key_issues"],
        json!(["Repair ships", "Fault data"])
    );
    assert_eq!(v["content"]["participants_onsite"], 40);
    let form = html(&b.get(&app, &format!("{path}?done=saved")).await);
    assert!(form.contains("Draft saved."));
    let version = hidden(&form, "version");
    let r = b
        .post(
            &app,
            &path,
            &format!(
                "csrf={csrf}&version={version}&action=submit&discussion={}&way_forward={}&participants_onsite=40&participants_online=10&women_estimate=20",
                enc("We compared repair times."),
                enc("A shared fault registry.")
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    assert_eq!(
        app.get(&api, Some(&sec)).await.expect(200).body["state"],
        "submitted"
    );
    // The secretariat returns it on the same page: a comment is needed.
    let token_form = html(&b.get(&app, &path).await);
    assert!(
        token_form.contains("with the secretariat"),
        "locked while submitted"
    );
    app.post(
        "/api/v1/users",
        Some(&sec),
        &json!({"email": "desk.sec@example.org", "name": "Desk Secretariat", "password": PASSWORD, "role": "secretariat"}),
    )
    .await
    .expect(201);
    let (mut s, scsrf) = sign_in(&app, "desk.sec@example.org", PASSWORD).await;
    let page = html(&s.get(&app, &format!("{list}?filter=waiting")).await);
    assert!(page.contains("Cables under the sea"), "{page}");
    let version = hidden(&html(&s.get(&app, &path).await), "version");
    let r = s
        .post(
            &app,
            &path,
            &format!("csrf={scsrf}&version={version}&action=return&comment="),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(html(&r).contains(r#"id="comment-error""#));
    let r = s
        .post(
            &app,
            &path,
            &format!(
                "csrf={scsrf}&version={version}&action=return&comment={}",
                enc("Add the transcript.")
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    let v = app.get(&api, Some(&sec)).await.expect(200).body;
    assert_eq!(
        (&v["state"], &v["review"]["comment"]),
        (&json!("returned"), &json!("Add the transcript."))
    );
    // Amina reads the comment on her page; a stale form of hers is refused.
    let page = html(&b.get(&app, &path).await);
    assert!(page.contains("Add the transcript."), "{page}");
    let r = b.post(&app, &path, &body("40", "20", "save")).await;
    assert_eq!(r.status, 412, "the form's version is old: {}", html(&r));
}

#[actix_web::test]
async fn pages_register_confirm_and_reset_an_account_as_the_api_would_where_email_is_sent() {
    use crate::recovery::{link, mails};
    let app = TestApp::spawn_with(mails).await;
    // Registering says to look in the inbox, and signs nobody in.
    let mut b = Browser::default();
    let page = html(&b.get(&app, "/desk/register").await);
    let csrf = hidden(&page, "csrf");
    let form = |email: &str| {
        format!(
            "csrf={csrf}&name=Zara&email={}&password={}&password_again={}",
            enc(email),
            enc(PASSWORD),
            enc(PASSWORD)
        )
    };
    let r = b
        .post(&app, "/desk/register", &form("zara@example.org"))
        .await;
    assert_eq!(r.status, 200);
    assert!(html(&r).contains("Look in your inbox"));
    assert_eq!(b.get(&app, "/desk").await.status, 303, "not signed in");
    // Signing in first is refused with words that name the unconfirmed address too.
    let page = html(&b.get(&app, "/desk/sign-in").await);
    let sign_in_csrf = hidden(&page, "csrf");
    let refused = b
        .post(
            &app,
            "/desk/sign-in",
            &format!(
                "csrf={sign_in_csrf}&email=zara%40example.org&password={}",
                enc(PASSWORD)
            ),
        )
        .await;
    assert_eq!(refused.status, 401);
    assert!(
        html(&refused).contains("not confirmed yet"),
        "{}",
        html(&refused)
    );
    // A taken address gets the same page.
    let again = b
        .post(&app, "/desk/register", &form("zara@example.org"))
        .await;
    assert_eq!(html(&again), html(&r));

    // The link's page: a wrong password is said beside the field; the right one
    // confirms the address and signs in.
    let token = link(&app, "confirm_email", "zara@example.org");
    let page = html(&b.get(&app, &format!("/desk/confirm?token={token}")).await);
    let csrf = hidden(&page, "csrf");
    assert_eq!(hidden(&page, "token"), token);
    let r = b
        .post(
            &app,
            "/desk/confirm",
            &format!("csrf={csrf}&token={token}&password=not+her+password"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(html(&r).contains(r#"id="password-error""#));
    let r = b
        .post(
            &app,
            "/desk/confirm",
            &format!("csrf={csrf}&token={token}&password={}", enc(PASSWORD)),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    assert!(html(&b.get(&app, "/desk").await).contains("Zara"));

    // A forgotten password, asked for on the page, is set through its link there;
    // the page says the same for an address with no account.
    let mut other = Browser::default();
    let page = html(&other.get(&app, "/desk/forgot").await);
    let csrf = hidden(&page, "csrf");
    let known = other
        .post(
            &app,
            "/desk/forgot",
            &format!("csrf={csrf}&email=zara%40example.org"),
        )
        .await;
    let unknown = other
        .post(
            &app,
            "/desk/forgot",
            &format!("csrf={csrf}&email=nobody%40example.org"),
        )
        .await;
    assert_eq!(known.status, 200);
    assert_eq!(html(&known), html(&unknown));
    let token = link(&app, "password_reset", "zara@example.org");
    let page = html(&other.get(&app, &format!("/desk/reset?token={token}")).await);
    let csrf = hidden(&page, "csrf");
    let differ = other
        .post(
            &app,
            "/desk/reset",
            &format!("csrf={csrf}&token={token}&password=a+new+password+1&password_again=other"),
        )
        .await;
    assert_eq!(differ.status, 422);
    assert!(html(&differ).contains(r#"id="password_again-error""#));
    let r = other
        .post(
            &app,
            "/desk/reset",
            &format!(
                "csrf={csrf}&token={token}&password=a+new+password+1&password_again=a+new+password+1"
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", html(&r));
    // Signed in here; the first browser's sign-in ended with the old password.
    assert!(html(&other.get(&app, "/desk").await).contains("Zara"));
    assert_eq!(b.get(&app, "/desk").await.status, 303);
    app.login_with("zara@example.org", "a new password 1").await;
}

#[actix_web::test]
async fn the_secretariat_reads_each_messages_state_on_its_pages_as_the_api_lists_it() {
    let app = TestApp::spawn_with(crate::recovery::mails).await;
    app.user("sec@example.org", Role::Secretariat).await;
    let sec = app.login("sec@example.org").await;
    let m = app.meeting(&sec, &crate::helpers::open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    app.user("pat@example.org", Role::Proposer).await;
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": "sec@example.org"}),
    )
    .await
    .expect(202);
    let token = crate::recovery::link(&app, "password_reset", "sec@example.org");
    let (mut b, _) = sign_in(&app, "sec@example.org", PASSWORD).await;
    // The accounts' messages: the reset link's message with its state, never its link.
    let page = html(&b.get(&app, "/desk/messages").await);
    assert!(page.contains("Set a new password") && page.contains("sec@example.org"));
    assert!(!page.contains(&token));
    let api = app
        .get("/api/v1/messages?state=queued", Some(&sec))
        .await
        .expect(200);
    assert!(page.contains(&format!("{} messages", api.body["total"])));
    let failed = html(&b.get(&app, "/desk/messages?state=failed").await);
    assert!(failed.contains("0 messages"));
    // A meeting's page, linked from the desk; the page is the secretariat's only.
    assert!(html(&b.get(&app, "/desk").await).contains(&format!("/desk/meetings/{m}/messages")));
    let r = b.get(&app, &format!("/desk/meetings/{m}/messages")).await;
    assert_eq!(r.status, 200);
    assert!(html(&r).contains("0 messages"));
    let (mut p, _) = sign_in(&app, "pat@example.org", PASSWORD).await;
    assert_eq!(p.get(&app, "/desk/messages").await.status, 403);
}

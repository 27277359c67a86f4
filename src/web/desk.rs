//! What the working pages (under `/desk`) share: the signed-in browser behind the
//! request's cookie, the cookies themselves, the check every posted form passes (sent
//! from our own pages, carrying this sign-in's token) and the private answers these
//! pages give. The pages decide nothing the API decides: each calls the use case the
//! API calls and shows what it says. (Their one guard of their own: the board pins only
//! from a board that shows the newest version.)

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieAge};
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, web};
use askama::Template;

use super::assets::{CSS, DESK_JS};
use super::forms::{Form, Problems, Sender};
use super::service::{HTML, render};
use super::words::{DESK, DeskWords, EN, Words};
use crate::auth::Role;
use crate::auth::browser;
pub use crate::auth::browser::Browser;
use crate::error::ApiError;
use crate::state::AppState;

/// Where the working pages live; their cookies are sent nowhere else.
pub const ROOT: &str = "/desk";
/// The cookie of a signed-in browser.
pub const COOKIE: &str = "igf_desk";
/// The cookie that ties the sign-in and registration forms to this browser before
/// anyone is signed in (the form carries the same value).
pub const FORM_COOKIE: &str = "igf_desk_form";

/// The request's visitor: the signed-in browser, if its cookie names a sign-in that
/// is still good.
pub struct Visitor {
    /// Who is signed in.
    pub browser: Option<Browser>,
    /// The cookie's secret, for signing out.
    pub secret: Option<String>,
    /// The token the sign-in form's cookie holds, if any.
    pub form_token: Option<String>,
}

impl FromRequest for Visitor {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let secret = req.cookie(COOKIE).map(|c| c.value().to_string());
        let form_token = req.cookie(FORM_COOKIE).map(|c| c.value().to_string());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let browser = match (&secret, state) {
                (Some(s), Some(state)) => {
                    let s = s.clone();
                    crate::db::run(&state.pool, move |c| browser::find(c, &s)).await?
                }
                _ => None,
            };
            Ok(Visitor {
                browser,
                secret,
                form_token,
            })
        })
    }
}

fn cookie(state: &AppState, name: &'static str, value: String, age: CookieAge) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(ROOT)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.public_url.starts_with("https://"))
        .max_age(age)
        .finish()
}

/// The cookie of a new sign-in.
pub fn signed_in_cookie(state: &AppState, started: &browser::Started) -> Cookie<'static> {
    let age = CookieAge::seconds(browser::LIFETIME.num_seconds());
    cookie(state, COOKIE, started.secret.clone(), age)
}

/// The cookie that drops a sign-in from the browser.
pub fn ended_cookie(state: &AppState) -> Cookie<'static> {
    cookie(state, COOKIE, String::new(), CookieAge::ZERO)
}

/// The form cookie, with a new token, for a sign-in or registration form.
pub fn form_cookie(state: &AppState) -> Result<(String, Cookie<'static>), ApiError> {
    let token = crate::secret::new_token()?;
    let c = cookie(state, FORM_COOKIE, token.clone(), CookieAge::hours(2));
    Ok((token, c))
}

/// A private page: never kept by any cache, not indexed, no referrer sent on.
pub fn private(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(HTML)
        .insert_header(("Cache-Control", "private, no-store"))
        .insert_header(("Referrer-Policy", "same-origin"))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header(("Content-Security-Policy", "frame-ancestors 'none'"))
        .body(body)
}

/// A redirect after a form (303), never cached.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location.to_string()))
        .insert_header(("Cache-Control", "no-store"))
        .finish()
}

/// A path this site may send a browser on to after signing in: one of its own,
/// never another site's (`//host`, `/\host`).
pub fn local_path(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.chars().any(|c| c.is_control()) =>
        {
            p.to_string()
        }
        _ => ROOT.to_string(),
    }
}

/// What the top of every working page shows of the signed-in account.
pub struct Chrome {
    /// The account's name.
    pub name: String,
    /// Its role, in words.
    pub role: &'static str,
    /// The sign-in's form token, for the sign-out form and every other.
    pub csrf: String,
    /// The page's script.
    pub js: String,
}

impl Chrome {
    /// The header of a signed-in browser's pages.
    pub fn of(b: &Browser) -> Chrome {
        Chrome {
            name: b.name.clone(),
            role: DESK.role_name(b.user.role),
            csrf: b.csrf.clone(),
            js: DESK_JS.name.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "desk/sign_in.html")]
struct SignInPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    registering: bool,
    csrf: String,
    next: String,
    email: String,
    name: String,
    problems: Problems,
    /// Where a form kept through signing in goes once sent again (empty: none kept).
    resend_to: String,
    /// That form's fields, urlencoded.
    carried: String,
}

/// The form token of a page for visitors who are not signed in, and the cookie that
/// carries it when the browser holds none yet.
pub fn anonymous_token(
    state: &AppState,
    visitor: &Visitor,
) -> Result<(String, Option<Cookie<'static>>), ApiError> {
    match &visitor.form_token {
        Some(t) => Ok((t.clone(), None)),
        None => form_cookie(state).map(|(t, c)| (t, Some(c))),
    }
}

/// The sign-in or registration form, with a new form cookie unless the browser
/// already holds one.
pub fn sign_in_page(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    registering: bool,
    form: &Form,
    problems: Problems,
) -> HttpResponse {
    let (csrf, cookie) = match anonymous_token(state, visitor) {
        Ok(m) => m,
        Err(e) => return refusal(None, &e),
    };
    let page = SignInPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: None,
        registering,
        csrf,
        next: local_path(form.get("next")),
        email: form.get("email").unwrap_or_default().to_string(),
        name: form.get("name").unwrap_or_default().to_string(),
        problems,
        resend_to: match form.filled("resend_to") {
            Some(p) => local_path(Some(p)),
            None => String::new(),
        },
        carried: form.get("carried").unwrap_or_default().to_string(),
    };
    match render(&page) {
        Ok(body) => {
            let mut resp = private(status, body);
            if let Some(c) = cookie {
                let _ = resp.add_cookie(&c);
            }
            resp
        }
        Err(e) => refusal(None, &e),
    }
}

/// The sign-in form for a form posted after its sign-in ended: what it held is kept
/// through signing in, then offered to be sent again to `action` (403 until then:
/// nothing was done).
pub fn sign_in_to_send(
    state: &AppState,
    visitor: &Visitor,
    action: &str,
    carried: &str,
) -> HttpResponse {
    let mut form = Form::default();
    form.push("resend_to", action);
    form.push("carried", carried);
    form.push("next", ROOT);
    sign_in_page(
        state,
        visitor,
        StatusCode::FORBIDDEN,
        false,
        &form,
        Problems::default(),
    )
}

#[derive(Template)]
#[template(path = "desk/message.html")]
struct MessagePage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    title: String,
    text: String,
    back: Option<(String, String)>,
}

/// A page that says one thing: a refusal, a missing proposal.
pub fn message(
    status: StatusCode,
    browser: Option<&Browser>,
    title: &str,
    text: &str,
    back: Option<(&str, &str)>,
) -> HttpResponse {
    let page = MessagePage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: browser.map(Chrome::of),
        title: title.to_string(),
        text: text.to_string(),
        back: back.map(|(h, t)| (h.to_string(), t.to_string())),
    };
    match render(&page) {
        Ok(body) => private(status, body),
        Err(_) => HttpResponse::build(status).finish(),
    }
}

/// The answer to an error of a use case on a page that has no form to show it
/// beside: the 404 page, or a page saying what was refused and why.
pub fn refusal(browser: Option<&Browser>, e: &ApiError) -> HttpResponse {
    use actix_web::ResponseError;
    let status = e.status_code();
    match e {
        ApiError::NotFound(_) => super::pages::not_found(),
        _ if status.is_server_error() => {
            tracing::error!(error = ?e, "page failed");
            message(status, browser, DESK.failed, DESK.failed_text, None)
        }
        _ => {
            let p = super::forms::Problems::from_error(e);
            let mut text = p.general.join(" ");
            for f in p.fields() {
                text.push(' ');
                text.push_str(&p.of(f).unwrap_or_default());
            }
            message(status, browser, DESK.refused, text.trim(), None)
        }
    }
}

/// Where a page sends the browser instead of answering: to sign in, or to a refusal.
pub type Detour = Box<HttpResponse>;

/// The signed-in browser, or the way to sign in (coming back here after).
pub fn require(v: &Visitor, req: &HttpRequest) -> Result<Browser, Detour> {
    match &v.browser {
        Some(b) => Ok(b.clone()),
        None => {
            let here = match req.uri().path_and_query() {
                Some(pq) if req.method() == actix_web::http::Method::GET => pq.as_str(),
                _ => ROOT,
            };
            let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
            Err(Box::new(see_other(&format!("{ROOT}/sign-in?next={next}"))))
        }
    }
}

/// The signed-in browser of a role, or the page that says the role is needed (the
/// refusal the API gives).
pub fn require_role(v: &Visitor, req: &HttpRequest, role: Role) -> Result<Browser, Detour> {
    let b = require(v, req)?;
    b.user
        .require(role)
        .map_err(|e| Box::new(refusal(Some(&b), &e)))?;
    Ok(b)
}

/// The signed-in browser of one of some roles, or the page that refuses the rest.
pub fn require_any(v: &Visitor, req: &HttpRequest, roles: &[Role]) -> Result<Browser, Detour> {
    let b = require(v, req)?;
    if roles.contains(&b.user.role) {
        return Ok(b);
    }
    let e = ApiError::Forbidden(format!("this page is not for the {} role", b.user.role));
    Err(Box::new(refusal(Some(&b), &e)))
}

/// A form posted by a signed-in browser, once it has shown that it came from our own
/// pages and carries this sign-in's token. A form from another site is refused (403)
/// outright; one of ours that carries an older sign-in's token is kept, unchanged, on
/// a page that offers to send it again (403, nothing done).
pub fn posted(
    state: &AppState,
    req: &HttpRequest,
    browser: &Browser,
    body: &[u8],
) -> Result<Form, Detour> {
    let form = Form::parse(body);
    if Sender::of(req).from_elsewhere(&state.public_url) {
        return Err(Box::new(from_elsewhere(Some(browser))));
    }
    if !browser::form_is_ours(browser, form.get("csrf")) {
        return Err(Box::new(send_again(
            StatusCode::FORBIDDEN,
            browser,
            req.path(),
            &form.carried(),
            DESK.resend_stale,
        )));
    }
    Ok(form)
}

/// The refusal of a form another site's page sent: nothing is kept or done.
fn from_elsewhere(browser: Option<&Browser>) -> HttpResponse {
    message(
        StatusCode::FORBIDDEN,
        browser,
        DESK.stale_form,
        DESK.stale_form_text,
        None,
    )
}

#[derive(Template)]
#[template(path = "desk/resend.html")]
struct ResendPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    text: &'a str,
    action: String,
    fields: Vec<(String, String)>,
    shown: Vec<(String, String)>,
}

/// A form that was not accepted (an older sign-in's token, or sent after the sign-in
/// ended) kept for the browser now signed in: what it holds, and a button that sends
/// it again, with this sign-in's token, to where it was going (`action`, one of our
/// own paths). `carried` is [`Form::carried`]'s.
pub fn send_again(
    status: StatusCode,
    browser: &Browser,
    action: &str,
    carried: &str,
    text: &str,
) -> HttpResponse {
    let fields: Vec<(String, String)> = form_urlencoded::parse(carried.as_bytes())
        .into_owned()
        .collect();
    let shown = fields
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (super::forms::in_words(k), v.clone()))
        .collect();
    let page = ResendPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(browser)),
        text,
        action: local_path(Some(action)),
        fields,
        shown,
    };
    match render(&page) {
        Ok(body) => private(status, body),
        Err(e) => refusal(Some(browser), &e),
    }
}

/// A form posted by a signed-in browser of a role: the browser and its form, or where
/// to go instead (sign in, the role's refusal, a refused form).
pub fn posted_by(
    state: &AppState,
    req: &HttpRequest,
    visitor: &Visitor,
    role: Role,
    body: &[u8],
) -> Result<(Browser, Form), Detour> {
    posted_by_any(state, req, visitor, &[role], body)
}

/// A form posted by a signed-in browser of one of some roles.
pub fn posted_by_any(
    state: &AppState,
    req: &HttpRequest,
    visitor: &Visitor,
    roles: &[Role],
    body: &[u8],
) -> Result<(Browser, Form), Detour> {
    if visitor.browser.is_none() {
        // The sign-in ended while the form was open: what it holds is kept through
        // signing in again, unless another site sent it.
        if Sender::of(req).from_elsewhere(&state.public_url) {
            return Err(Box::new(from_elsewhere(None)));
        }
        let carried = Form::parse(body).carried();
        return Err(Box::new(sign_in_to_send(
            state,
            visitor,
            req.path(),
            &carried,
        )));
    }
    let b = require_any(visitor, req, roles)?;
    let form = posted(state, req, &b, body)?;
    Ok((b, form))
}

/// Whether a use case's refusal is one the person can mend on the form they sent
/// (bad input, a state that forbids it now, a change made elsewhere first): such a
/// form is shown again with what was typed and the refusal beside its fields.
pub fn mendable(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Validation { .. } | ApiError::Conflict { .. } | ApiError::PreconditionFailed
    )
}

/// What a form's use case answered: what it made, or a refusal the person can mend
/// together with what the page needs to show the form again.
pub type Mended<T, V> = Result<Result<T, (ApiError, V)>, ApiError>;

/// A use case's answer to a form, with the page's data read again for a refusal the
/// person can mend ([`mendable`]); any other error is passed on.
pub fn mend<T, V>(
    conn: &mut crate::db::DbConn,
    attempt: Result<T, ApiError>,
    view: impl FnOnce(&mut crate::db::DbConn) -> Result<V, ApiError>,
) -> Mended<T, V> {
    match attempt {
        Ok(made) => Ok(Ok(made)),
        Err(e) if mendable(&e) => Ok(Err((e, view(conn)?))),
        Err(e) => Err(e),
    }
}

/// A rendered page of a signed-in browser, or the page that says what went wrong.
pub fn answer(b: &Browser, status: StatusCode, rendered: Result<String, ApiError>) -> HttpResponse {
    match rendered {
        Ok(body) => private(status, body),
        Err(e) => refusal(Some(b), &e),
    }
}

/// A sign-in or registration form, once it has shown that it came from our own pages
/// and carries the token of this browser's form cookie.
pub fn posted_anonymously(
    state: &AppState,
    req: &HttpRequest,
    visitor: &Visitor,
    body: &[u8],
) -> Result<Form, Detour> {
    let form = Form::parse(body);
    let ours = match (&visitor.form_token, form.get("csrf")) {
        (Some(kept), Some(sent)) => crate::secret::same(kept, sent),
        _ => false,
    };
    if Sender::of(req).from_elsewhere(&state.public_url) || !ours {
        return Err(Box::new(message(
            StatusCode::FORBIDDEN,
            None,
            DESK.stale_form,
            DESK.stale_form_text,
            Some((req.path(), DESK.try_again)),
        )));
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_paths_are_followed_after_signing_in() {
        assert_eq!(
            local_path(Some("/desk/proposals/3?x=1")),
            "/desk/proposals/3?x=1"
        );
        for bad in [
            None,
            Some(""),
            Some("https://evil.example/"),
            Some("//evil.example"),
            Some("/\\evil.example"),
            Some("desk"),
            Some("/desk\r\nSet-Cookie: x=1"),
        ] {
            assert_eq!(local_path(bad), ROOT, "{bad:?}");
        }
    }
}

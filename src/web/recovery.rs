//! The pages that prove an address: confirming it through the link a new account is
//! sent, asking for a password-reset link and setting a new password through it. Each
//! calls the API's use case in [`crate::auth::recovery`]; none says whether an address
//! has an account.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::assets::CSS;
use super::desk::{self, Chrome, Visitor};
use super::forms::{Form, Problems};
use super::service::render;
use super::words::{DESK, DeskWords, EN, Words};
use crate::auth::browser::{self, Started};
use crate::auth::types::{ConfirmEmailRequest, ResetPasswordRequest, ResetRequest};
use crate::client::ClientAddress;
use crate::error::ApiError;
use crate::state::AppState;

/// Which of the three forms a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The address and its account's password, to confirm the address.
    Confirm,
    /// An address, to send a reset link to.
    Forgot,
    /// A new password, twice.
    Reset,
}

#[derive(Template)]
#[template(path = "desk/recover.html")]
struct RecoverPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    step: Step,
    csrf: String,
    token: String,
    email: String,
    problems: Problems,
}

impl RecoverPage<'_> {
    fn is(&self, step: Step) -> bool {
        self.step == step
    }
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    step: Step,
    form: &Form,
    problems: Problems,
) -> HttpResponse {
    let (csrf, cookie) = match desk::anonymous_token(state, visitor) {
        Ok(m) => m,
        Err(e) => return desk::refusal(None, &e),
    };
    let view = RecoverPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: None,
        step,
        csrf,
        token: form.get("token").unwrap_or_default().to_string(),
        email: form.get("email").unwrap_or_default().to_string(),
        problems,
    };
    match render(&view) {
        Ok(body) => {
            // The desk's Referrer-Policy (same-origin) keeps the link's secret, in
            // this page's address, from any other site; no-referrer would make the
            // browser send its form with `Origin: null`, which the form check refuses.
            let mut resp = desk::private(status, body);
            if let Some(c) = cookie {
                let _ = resp.add_cookie(&c);
            }
            resp
        }
        Err(e) => desk::refusal(None, &e),
    }
}

/// A form refused: its problems beside their fields, a dead link said under the
/// password (the form has no field for the link itself).
fn refused(
    state: &AppState,
    visitor: &Visitor,
    step: Step,
    form: &Form,
    e: &ApiError,
) -> HttpResponse {
    use actix_web::ResponseError;
    let mut p = Problems::from_error(e);
    if p.of("token").is_some() {
        p = Problems::default();
        p.add(
            if step == Step::Forgot {
                "email"
            } else {
                "password"
            },
            DESK.link_dead,
        );
    }
    page(state, visitor, e.status_code(), step, form, p)
}

fn signed_in(state: &AppState, started: &Started) -> HttpResponse {
    let mut resp = desk::see_other(desk::ROOT);
    let _ = resp.add_cookie(&desk::signed_in_cookie(state, started));
    resp
}

/// The form of `step`, as a link opens it (the token, if any, from its query).
fn show(state: &AppState, req: &HttpRequest, visitor: &Visitor, step: Step) -> HttpResponse {
    let query = Form::parse(req.query_string().as_bytes());
    page(
        state,
        visitor,
        StatusCode::OK,
        step,
        &query,
        Problems::default(),
    )
}

/// `GET /desk/confirm?token=…`: the form that confirms an address with the account's
/// password (a link followed by a mail scanner does nothing: confirming is a POST).
pub async fn confirm_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
) -> HttpResponse {
    show(&state, &req, &visitor, Step::Confirm)
}

/// `POST /desk/confirm`: confirms the address and signs this browser in.
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    ClientAddress(address): ClientAddress,
    body: web::Bytes,
) -> HttpResponse {
    let form = match desk::posted_anonymously(&state, &req, &visitor, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let input = ConfirmEmailRequest {
        token: form.get("token").unwrap_or_default().to_string(),
        password: form.get("password").unwrap_or_default().to_string(),
    };
    let s = state.clone();
    let replacing = visitor.secret.clone();
    match crate::db::blocking(move || {
        browser::confirm_email(&s.pool, s.sign_in, &address, &input, replacing.as_deref())
    })
    .await
    {
        Ok(started) => signed_in(&state, &started),
        Err(e) => refused(&state, &visitor, Step::Confirm, &form, &e),
    }
}

/// `GET /desk/forgot`: the form that asks for a password-reset link.
pub async fn forgot_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
) -> HttpResponse {
    show(&state, &req, &visitor, Step::Forgot)
}

/// `POST /desk/forgot`: sends the link if the address has an account, and says the
/// same either way.
pub async fn forgot(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    ClientAddress(address): ClientAddress,
    body: web::Bytes,
) -> HttpResponse {
    let form = match desk::posted_anonymously(&state, &req, &visitor, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let input = ResetRequest {
        email: form.get("email").unwrap_or_default().to_string(),
    };
    let (pool, per_hour, mails) = (
        state.pool.clone(),
        state.settings.registrations_per_address_hour,
        state.sign_in.confirmed_only,
    );
    match crate::db::blocking(move || {
        crate::auth::recovery::request_reset(&pool, &address, per_hour, mails, &input)
    })
    .await
    {
        Ok(()) => desk::message(
            StatusCode::OK,
            None,
            DESK.forgot_title,
            if mails {
                DESK.reset_sent
            } else {
                DESK.reset_no_email
            },
            Some(("/desk/sign-in", DESK.sign_in)),
        ),
        Err(e) => refused(&state, &visitor, Step::Forgot, &form, &e),
    }
}

/// `GET /desk/reset?token=…`: the form that sets a new password through its link.
pub async fn reset_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
) -> HttpResponse {
    show(&state, &req, &visitor, Step::Reset)
}

/// `POST /desk/reset`: sets the new password and signs this browser in.
pub async fn reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    body: web::Bytes,
) -> HttpResponse {
    let form = match desk::posted_anonymously(&state, &req, &visitor, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    if form.get("password") != form.get("password_again") {
        let mut p = Problems::default();
        p.add("password_again", DESK.passwords_differ);
        return page(
            &state,
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            Step::Reset,
            &form,
            p,
        );
    }
    let input = ResetPasswordRequest {
        token: form.get("token").unwrap_or_default().to_string(),
        password: form.get("password").unwrap_or_default().to_string(),
    };
    let s = state.clone();
    let replacing = visitor.secret.clone();
    match crate::db::blocking(move || {
        browser::reset_password(&s.pool, &input, replacing.as_deref())
    })
    .await
    {
        Ok(started) => signed_in(&state, &started),
        Err(e) => refused(&state, &visitor, Step::Reset, &form, &e),
    }
}

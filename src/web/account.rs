//! The account pages: sign in, register (a proposer account, as the API's register),
//! sign out of this browser or everywhere, change the password, and the desk's home,
//! which shows each role where its work is.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::assets::CSS;
use super::desk::{self, Chrome, Visitor};
use super::forms::{Form, Problems};
use super::service::render;
use super::words::{DESK, DeskWords, EN, Words};
use crate::auth::browser::{self, Browser};
use crate::auth::types::{ChangePasswordRequest, LoginRequest, RegisterRequest};
use crate::auth::{AuthUser, Role};
use crate::client::ClientAddress;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::state::AppState;

/// `GET /desk/sign-in`: the sign-in form (a signed-in browser goes on at once).
pub async fn sign_in_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
) -> HttpResponse {
    let query = Form::parse(req.query_string().as_bytes());
    if visitor.browser.is_some() {
        return desk::see_other(&desk::local_path(query.get("next")));
    }
    desk::sign_in_page(
        &state,
        &visitor,
        StatusCode::OK,
        false,
        &query,
        Problems::default(),
    )
}

/// `GET /desk/register`: the form that makes a proposer account.
pub async fn register_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
) -> HttpResponse {
    let query = Form::parse(req.query_string().as_bytes());
    if visitor.browser.is_some() {
        return desk::see_other(desk::ROOT);
    }
    desk::sign_in_page(
        &state,
        &visitor,
        StatusCode::OK,
        true,
        &query,
        Problems::default(),
    )
}

/// The answer to a sign-in that worked: the sign-in cookie, and on to where the
/// visitor was going.
fn signed_in(state: &AppState, started: &browser::Started, next: &str) -> HttpResponse {
    let mut resp = desk::see_other(next);
    let _ = resp.add_cookie(&desk::signed_in_cookie(state, started));
    resp
}

/// `POST /desk/sign-in`: email and password, within the API's sign-in limits.
pub async fn sign_in(
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
    let input = LoginRequest {
        email: form.get("email").unwrap_or_default().to_string(),
        password: form.get("password").unwrap_or_default().to_string(),
    };
    let s = state.clone();
    let replacing = visitor.secret.clone();
    match crate::db::blocking(move || {
        browser::sign_in(&s.pool, s.sign_in, &address, &input, replacing.as_deref())
    })
    .await
    {
        Ok(started) => match form.filled("resend_to") {
            // A form kept through signing in is offered to be sent again.
            Some(action) => {
                let mut resp = desk::send_again(
                    StatusCode::OK,
                    &started.browser,
                    action,
                    form.get("carried").unwrap_or_default(),
                    DESK.resend_signed_in,
                );
                let _ = resp.add_cookie(&desk::signed_in_cookie(&state, &started));
                resp
            }
            None => signed_in(&state, &started, &desk::local_path(form.get("next"))),
        },
        Err(e) => {
            use actix_web::ResponseError;
            let mut p = Problems::default();
            match &e {
                ApiError::Unauthorized(_) if state.sign_in.confirmed_only => {
                    p.add("password", DESK.wrong_or_unconfirmed)
                }
                ApiError::Unauthorized(_) => p.add("password", DESK.wrong_password),
                other => p = Problems::from_error(other),
            }
            desk::sign_in_page(&state, &visitor, e.status_code(), false, &form, p)
        }
    }
}

/// `POST /desk/register`: makes a proposer account, signs this browser in to it and
/// goes on to where the visitor was going.
pub async fn register(
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
    let input = RegisterRequest {
        email: form.get("email").unwrap_or_default().to_string(),
        name: form.get("name").unwrap_or_default().to_string(),
        password: form.get("password").unwrap_or_default().to_string(),
    };
    let mut problems = Problems::default();
    if form.get("password") != form.get("password_again") {
        problems.add("password_again", DESK.passwords_differ);
        return desk::sign_in_page(
            &state,
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            true,
            &form,
            problems,
        );
    }
    let s = state.clone();
    let per_hour = state.settings.registrations_per_address_hour;
    match crate::db::blocking(move || {
        browser::register(&s.pool, s.sign_in, &address, per_hour, &input)
    })
    .await
    {
        Ok(Some(started)) => signed_in(&state, &started, &desk::local_path(form.get("next"))),
        Ok(None) => desk::message(
            StatusCode::OK,
            None,
            DESK.register_sent_title,
            if state.sign_in.confirmed_only {
                DESK.register_sent
            } else {
                DESK.register_not_signed_in
            },
            Some(("/desk/sign-in", DESK.sign_in)),
        ),
        Err(e) => {
            use actix_web::ResponseError;
            desk::sign_in_page(
                &state,
                &visitor,
                e.status_code(),
                true,
                &form,
                Problems::from_error(&e),
            )
        }
    }
}

/// `POST /desk/sign-out`: ends this browser's sign-in.
pub async fn sign_out(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    body: web::Bytes,
) -> HttpResponse {
    let Some(b) = &visitor.browser else {
        // Already signed out (or the sign-in ended elsewhere): nothing to end.
        let mut resp = desk::see_other("/");
        let _ = resp.add_cookie(&desk::ended_cookie(&state));
        return resp;
    };
    if let Err(refused) = desk::posted(&state, &req, b, &body) {
        return *refused;
    }
    if let Some(secret) = visitor.secret.clone()
        && let Err(e) = crate::db::run(&state.pool, move |c| browser::sign_out(c, &secret)).await
    {
        return desk::refusal(Some(b), &e);
    }
    let mut resp = desk::see_other("/");
    let _ = resp.add_cookie(&desk::ended_cookie(&state));
    resp
}

#[derive(Template)]
#[template(path = "desk/account.html")]
struct AccountPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    email: String,
    changed: bool,
    problems: Problems,
}

fn account_page(
    state: &AppState,
    b: &Browser,
    status: StatusCode,
    changed: bool,
    problems: Problems,
) -> impl Future<Output = HttpResponse> + use<> {
    let pool = state.pool.clone();
    let b = b.clone();
    async move {
        let actor = b.user.clone();
        let me = crate::db::run(&pool, move |c| crate::auth::service::me(c, &actor)).await;
        let me = match me {
            Ok(me) => me,
            Err(e) => return desk::refusal(Some(&b), &e),
        };
        let page = AccountPage {
            w: &EN,
            k: &DESK,
            css: &CSS.name,
            shown_zone: String::new(),
            d: Some(Chrome::of(&b)),
            email: me.email,
            changed,
            problems,
        };
        desk::answer(&b, status, render(&page))
    }
}

/// `GET /desk/account`: the account, its password form and "sign out everywhere".
pub async fn account(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
) -> HttpResponse {
    let b = match desk::require(&visitor, &req) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let changed = req.query_string() == "changed=1";
    account_page(&state, &b, StatusCode::OK, changed, Problems::default()).await
}

/// `POST /desk/account/password`: changes the password (every other sign-in and
/// token ends) and keeps this browser signed in.
pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    ClientAddress(address): ClientAddress,
    body: web::Bytes,
) -> HttpResponse {
    let b = match desk::require(&visitor, &req) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let form = match desk::posted(&state, &req, &b, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    if form.get("new_password") != form.get("new_password_again") {
        let mut p = Problems::default();
        p.add("new_password_again", DESK.passwords_differ);
        return account_page(&state, &b, StatusCode::UNPROCESSABLE_ENTITY, false, p).await;
    }
    let input = ChangePasswordRequest {
        current_password: form.get("current_password").unwrap_or_default().to_string(),
        new_password: form.get("new_password").unwrap_or_default().to_string(),
    };
    let (s, actor) = (state.clone(), b.user.clone());
    match crate::db::blocking(move || {
        browser::change_password(&s.pool, s.sign_in, &address, &actor, &input)
    })
    .await
    {
        Ok(started) => signed_in(
            &state,
            &started,
            &format!("{}/account?changed=1", desk::ROOT),
        ),
        Err(e) => {
            use actix_web::ResponseError;
            let status = e.status_code();
            account_page(&state, &b, status, false, Problems::from_error(&e)).await
        }
    }
}

/// `POST /desk/account/sign-out-everywhere`: ends every sign-in and API token of the
/// account, this browser's too.
pub async fn sign_out_everywhere(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    body: web::Bytes,
) -> HttpResponse {
    let b = match desk::require(&visitor, &req) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    if let Err(refused) = desk::posted(&state, &req, &b, &body) {
        return *refused;
    }
    let actor = b.user.clone();
    if let Err(e) = crate::db::run(&state.pool, move |c| {
        browser::sign_out_everywhere(c, &actor)
    })
    .await
    {
        return desk::refusal(Some(&b), &e);
    }
    let mut resp = desk::see_other(&format!("{}/sign-in", desk::ROOT));
    let _ = resp.add_cookie(&desk::ended_cookie(&state));
    resp
}

/// A meeting on the desk's home, with what this account may do there.
struct MeetingWork {
    name: String,
    dates: String,
    links: Vec<(String, String)>,
    note: Option<String>,
}

#[derive(Template)]
#[template(path = "desk/home.html")]
struct HomePage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    meetings: Vec<MeetingWork>,
    /// Whether to link the accounts' own messages.
    secretariat: bool,
}

/// What each current meeting offers this account: a proposer its call and its own
/// proposals, an evaluator the proposals assigned to it, the secretariat its views.
fn home_work(conn: &mut DbConn, actor: &AuthUser) -> Result<Vec<MeetingWork>, ApiError> {
    let q = crate::meetings::types::ListMeetingsQuery {
        archived: false,
        page: None,
        per_page: Some(100),
    };
    let viewer = Some(actor.clone());
    let meetings = crate::meetings::service::list(conn, &viewer, &q)?.items;
    let mut out = vec![];
    for m in meetings {
        let mut links = vec![];
        let mut note = None;
        let id = m.id;
        match actor.role {
            Role::Proposer => {
                let mine = super::proposer::count_own(conn, actor, id)?;
                let may = crate::proposals::service::window(conn, actor, id)?.edit;
                if may {
                    links.push((
                        format!("{}/meetings/{id}/proposals/new", desk::ROOT),
                        DESK.new_proposal.to_string(),
                    ));
                }
                if mine > 0 || may {
                    links.push((format!("/meetings/{id}/call"), DESK.the_call.to_string()));
                }
                if mine > 0 {
                    links.push((
                        format!("{}/meetings/{id}/proposals", desk::ROOT),
                        format!("{} ({mine})", DESK.my_proposals),
                    ));
                }
            }
            Role::Evaluator => {
                if let Some((done, total)) = super::evaluator::progress(conn, actor, id)? {
                    links.push((
                        format!("{}/meetings/{id}/evaluation", desk::ROOT),
                        DESK.my_assignments.to_string(),
                    ));
                    note = Some(format!("{done} / {total} {}", DESK.scored));
                }
            }
            Role::Secretariat => {
                links.push((
                    format!("{}/meetings/{id}/manage", desk::ROOT),
                    DESK.dashboard.to_string(),
                ));
                links.push((format!("/meetings/{id}/call"), DESK.the_call.to_string()));
                links.push((format!("/meetings/{id}/report"), DESK.report.to_string()));
                links.push((format!("/meetings/{id}"), EN.programme.to_string()));
                links.push((
                    format!("{}/meetings/{id}/messages", desk::ROOT),
                    DESK.messages.to_string(),
                ));
            }
        }
        let q = crate::reports::types::ListReportsQuery {
            per_page: Some(1),
            ..Default::default()
        };
        let owed = crate::reports::list(conn, actor, id, &q)?.total;
        if owed > 0 {
            links.push((
                format!("{}/meetings/{id}/reports", desk::ROOT),
                format!("{} ({owed})", super::words::REPORTS.my_reports),
            ));
        }
        if !crate::bilaterals::list_rooms(conn, actor, id)?.is_empty() {
            links.push((
                format!("{}/meetings/{id}/bilaterals", desk::ROOT),
                super::words::BILATERAL.heading.to_string(),
            ));
        }
        if links.is_empty() {
            continue;
        }
        out.push(MeetingWork {
            dates: super::service::dates_of(&m),
            name: m.name,
            links,
            note,
        });
    }
    Ok(out)
}

/// `GET /desk`: where this account's work is, meeting by meeting.
pub async fn home(state: web::Data<AppState>, req: HttpRequest, visitor: Visitor) -> HttpResponse {
    let b = match desk::require(&visitor, &req) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let actor = b.user.clone();
    let work = crate::db::run(&state.pool, move |c| home_work(c, &actor)).await;
    let meetings = match work {
        Ok(m) => m,
        Err(e) => return desk::refusal(Some(&b), &e),
    };
    let page = HomePage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(&b)),
        meetings,
        secretariat: b.user.is_secretariat(),
    };
    desk::answer(&b, StatusCode::OK, render(&page))
}

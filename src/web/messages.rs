//! The secretariat's page of messages: a meeting's (or the accounts' own) email and
//! webhook deliveries with each one's state, attempts and last error, filtered by
//! state, through the API's use cases in [`crate::notify::service`].

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::assets::CSS;
use super::desk::{self, Chrome, Visitor};
use super::forms::Form;
use super::service::render;
use super::words::{DESK, DeskWords, EN, Words};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::outbox::{MessageView, state};
use crate::notify::service::MessagesQuery;
use crate::page::Paginated;
use crate::state::AppState;

/// Messages per page.
const PER_PAGE: i64 = 100;

#[derive(Template)]
#[template(path = "desk/messages.html")]
struct MessagesPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    /// The meeting's name, or none for the accounts' own messages.
    meeting: Option<String>,
    /// Each filter's label, link and whether it is the one shown.
    filters: Vec<(&'static str, String, bool)>,
    items: Vec<MessageView>,
    total: i64,
    previous: Option<String>,
    next: Option<String>,
}

impl MessagesPage<'_> {
    fn when(&self, at: &str) -> String {
        at.replace('T', " ").trim_end_matches('Z').to_string() + " UTC"
    }
}

/// The meeting's name (none for the accounts' messages) and a page of its messages.
fn read(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: Option<i64>,
    q: &MessagesQuery,
) -> Result<(Option<String>, Paginated<MessageView>), ApiError> {
    match meeting_id {
        Some(id) => {
            let m = crate::meetings::service::get(c, &Some(actor.clone()), id)?;
            let page = crate::notify::service::list(c, actor, id, q)?;
            Ok((Some(m.name), page))
        }
        None => Ok((
            None,
            crate::notify::service::list_for_accounts(c, actor, q)?,
        )),
    }
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    meeting_id: Option<i64>,
) -> HttpResponse {
    let b = match desk::require_role(&visitor, &req, Role::Secretariat) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let form = Form::parse(req.query_string().as_bytes());
    let filter = form
        .filled("state")
        .filter(|s| state::ALL.contains(s))
        .unwrap_or_default()
        .to_string();
    let page_no: i64 = form
        .filled("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .clamp(1, 1_000_000);
    let q = MessagesQuery {
        state: (!filter.is_empty()).then(|| filter.clone()),
        kind: None,
        page: Some(page_no),
        per_page: Some(PER_PAGE),
    };
    let actor = b.user.clone();
    let got = crate::db::run(&state.pool, move |c| read(c, &actor, meeting_id, &q)).await;
    let (meeting, page) = match got {
        Ok(x) => x,
        Err(e) => return desk::refusal(Some(&b), &e),
    };
    let link = |s: &str, n: i64| {
        let mut pairs = vec![];
        if !s.is_empty() {
            pairs.push(("state", s.to_string()));
        }
        if n > 1 {
            pairs.push(("page", n.to_string()));
        }
        super::service::with_query("", &pairs)
    };
    let mut filters = vec![(DESK.all_messages, link("", 1), filter.is_empty())];
    filters.extend(
        state::ALL
            .iter()
            .map(|&s| (DESK.choice(s), link(s, 1), filter == s)),
    );
    let view = MessagesPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(&b)),
        meeting,
        previous: (page_no > 1).then(|| link(&filter, page_no - 1)),
        next: (page_no * PER_PAGE < page.total).then(|| link(&filter, page_no + 1)),
        filters,
        total: page.total,
        items: page.items,
    };
    desk::answer(&b, StatusCode::OK, render(&view))
}

/// `GET /desk/meetings/{meeting_id}/messages?state=…`: a meeting's messages.
pub async fn meeting(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    show(state, req, visitor, Some(path.into_inner())).await
}

/// `GET /desk/messages?state=…`: the accounts' own messages.
pub async fn accounts(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
) -> HttpResponse {
    show(state, req, visitor, None).await
}

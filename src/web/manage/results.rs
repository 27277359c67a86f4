//! The evaluation's results: each proposal's scores, normalised score and whether it
//! polarises its evaluators.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::evaluation::scores::ResultRow;
use crate::evaluation::service as evaluation_service;
use crate::evaluation::types::ResultsQuery;
use crate::meetings::types::MeetingResponse;
use crate::state::AppState;
use crate::web::assets::CSS;
use crate::web::desk::{self, Chrome, Visitor};
use crate::web::service::render;
use crate::web::words::{DESK, DeskWords, EN, Words};

use super::{Nav, meeting_and_phase, nav};

#[derive(Template)]
#[template(path = "desk/manage_results.html")]
struct ResultsPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    nav: Nav,
    m: MeetingResponse,
    rows: Vec<ResultRow>,
    normalisation: String,
    downloads: Vec<crate::web::exports::Links>,
}

impl ResultsPage<'_> {
    fn two(&self, x: &Option<f64>) -> String {
        x.map_or_else(|| "—".to_string(), |v| format!("{v:.2}"))
    }
}

fn results_of(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<(MeetingResponse, Vec<ResultRow>, String), ApiError> {
    let (m, _, _) = meeting_and_phase(c, actor, meeting_id)?;
    let mut normalisation = String::new();
    let rows = crate::page::every(|page, per_page| {
        let q = ResultsQuery {
            sort: None,
            page: Some(page),
            per_page: Some(per_page),
        };
        let got = evaluation_service::results(c, actor, meeting_id, &q)?;
        normalisation = got.normalisation.notes.join(" ");
        Ok(got.page)
    })?;
    Ok((m, rows, normalisation))
}

/// `GET /desk/meetings/{meeting_id}/manage/results`: every proposal's scores, with
/// the normalised score and the polarising flag.
pub async fn results(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_role(&visitor, &req, Role::Secretariat) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let actor = b.user.clone();
    let (m, rows, normalisation) =
        match crate::db::run(&state.pool, move |c| results_of(c, &actor, meeting_id)).await {
            Ok(x) => x,
            Err(e) => return desk::refusal(Some(&b), &e),
        };
    let page = ResultsPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(&b)),
        nav: nav(meeting_id, "/results"),
        m,
        rows,
        normalisation,
        downloads: vec![
            crate::web::exports::links(DESK.download_results, meeting_id, "results", &[]),
            crate::web::exports::links(DESK.download_scores, meeting_id, "scores", &[]),
        ],
    };
    desk::answer(&b, StatusCode::OK, render(&page))
}

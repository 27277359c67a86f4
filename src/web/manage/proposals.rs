//! Every proposal of the meeting, filtered, with its screening state and outcome.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::{ApiError, FieldError};
use crate::meetings::types::MeetingResponse;
use crate::proposals::types::{
    ListProposalsQuery, ProposalResponse, ProposalStatus, RegionalGroup,
};
use crate::state::AppState;
use crate::web::assets::CSS;
use crate::web::desk::{self, Chrome, Visitor};
use crate::web::forms::{Form, Problems};
use crate::web::service::render;
use crate::web::words::{DESK, DeskWords, EN, Words};

use super::{Nav, meeting_and_phase, nav, root};

/// A proposal in the secretariat's list.
struct ProposalLine {
    href: String,
    id: i64,
    title: String,
    status: String,
    theme: String,
    kind: String,
    problems: usize,
    first_problem: String,
    outcome: String,
}

#[derive(Template)]
#[template(path = "desk/manage_proposals.html")]
struct ProposalsPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    nav: Nav,
    m: MeetingResponse,
    lines: Vec<ProposalLine>,
    total: i64,
    page: i64,
    pages: i64,
    query: BTreeMap<&'static str, String>,
    statuses: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    problems: Problems,
    prev_href: Option<String>,
    next_href: Option<String>,
    downloads: Vec<crate::web::exports::Links>,
}

impl ProposalsPage<'_> {
    fn asked(&self, key: &str) -> &str {
        self.query.get(key).map_or("", String::as_str)
    }
}

const PER_PAGE: i64 = 50;

/// The filters as the form sends them; what does not parse is said beside its field.
fn proposal_filters(form: &Form) -> (ListProposalsQuery, Vec<FieldError>) {
    let mut bad = vec![];
    let mut q = ListProposalsQuery {
        theme_id: None,
        session_type: form.filled("session_type").map(str::to_string),
        status: None,
        regional_group: None,
        q: form.filled("q").map(str::to_string),
        page: None,
        per_page: Some(PER_PAGE),
    };
    if let Some(t) = form.filled("theme_id") {
        match t.parse() {
            Ok(id) => q.theme_id = Some(id),
            Err(_) => bad.push(FieldError::new("theme_id", "integer", "choose a theme")),
        }
    }
    if let Some(s) = form.filled("status") {
        q.status = ProposalStatus::parse(s);
        if q.status.is_none() {
            bad.push(FieldError::new("status", "one_of", "choose a state"));
        }
    }
    if let Some(r) = form.filled("regional_group") {
        q.regional_group = RegionalGroup::parse(r);
        if q.regional_group.is_none() {
            bad.push(FieldError::new(
                "regional_group",
                "one_of",
                "choose a region",
            ));
        }
    }
    if let Some(p) = form.filled("page") {
        match p.parse::<i64>() {
            Ok(n) if n >= 1 => q.page = Some(n),
            _ => bad.push(FieldError::new(
                "page",
                "range",
                "a page is a number from 1",
            )),
        }
    }
    (q, bad)
}

/// The meeting's proposals under the filters, each with its screening.
fn proposal_lines(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ListProposalsQuery,
) -> Result<(MeetingResponse, Vec<ProposalLine>, i64), ApiError> {
    let (m, _, _) = meeting_and_phase(c, actor, meeting_id)?;
    let found = crate::proposals::service::list(c, actor, meeting_id, q)?;
    let type_of = |code: &Option<String>| {
        code.as_ref()
            .map(|c| {
                m.session_types
                    .iter()
                    .find(|t| &t.code == c)
                    .map_or_else(|| c.clone(), |t| t.name.clone())
            })
            .unwrap_or_default()
    };
    let theme_of = |id: Option<i64>| {
        id.and_then(|id| m.themes.iter().find(|t| t.id == id))
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let mut lines = vec![];
    for p in found.items {
        let screening: Vec<FieldError> = crate::proposals::service::screening(c, actor, p.id)?
            .into_iter()
            .filter(|e| e.rule != "within_window")
            .collect();
        let mut line = line_of(&p, &screening, theme_of(p.theme_id));
        line.kind = type_of(&p.session_type);
        lines.push(line);
    }
    Ok((m, lines, found.total))
}

fn line_of(p: &ProposalResponse, screening: &[FieldError], theme: String) -> ProposalLine {
    ProposalLine {
        href: format!("{}/proposals/{}", desk::ROOT, p.id),
        id: p.id,
        title: p.title.clone(),
        status: DESK.choice(&p.status).to_string(),
        theme,
        kind: p.session_type.clone().unwrap_or_default(),
        problems: screening.len(),
        first_problem: screening
            .first()
            .map(|e| crate::web::forms::sentence(&e.message))
            .unwrap_or_default(),
        outcome: p
            .outcome
            .as_ref()
            .map(|o| EN.group(&o.outcome).to_string())
            .unwrap_or_default(),
    }
}

/// `GET /desk/meetings/{meeting_id}/manage/proposals`: every proposal of the
/// meeting, filtered, with its screening state.
pub async fn proposals(
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
    let form = Form::parse(req.query_string().as_bytes());
    let (mut q, bad) = proposal_filters(&form);
    let mut problems = Problems::default();
    for e in &bad {
        problems.add(&e.field, &e.message);
    }
    if !bad.is_empty() {
        q = proposal_filters(&Form::default()).0;
    }
    let page = q.page.unwrap_or(1);
    let actor = b.user.clone();
    let asked = q.clone();
    let result = crate::db::run(&state.pool, move |c| {
        proposal_lines(c, &actor, meeting_id, &asked)
    })
    .await;
    let (m, lines, total) = match result {
        Ok(x) => x,
        Err(e) => return desk::refusal(Some(&b), &e),
    };
    let mut query = BTreeMap::new();
    for k in ["q", "status", "theme_id", "session_type", "regional_group"] {
        query.insert(k, form.get(k).unwrap_or_default().to_string());
    }
    // The export takes the filters this page applied (none, when some were refused).
    let applied: Vec<(&str, String)> = if bad.is_empty() {
        query.iter().map(|(k, v)| (*k, v.clone())).collect()
    } else {
        vec![]
    };
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let link = |n: i64| {
        let mut pairs: Vec<(&str, String)> = query
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        pairs.push(("page", n.to_string()));
        crate::web::service::with_query(&format!("{}/proposals", root(meeting_id)), &pairs)
    };
    let page_view = ProposalsPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(&b)),
        nav: nav(meeting_id, "/proposals"),
        lines,
        total,
        page,
        pages,
        prev_href: (page > 1).then(|| link(page - 1)),
        next_href: (page < pages).then(|| link(page + 1)),
        downloads: vec![crate::web::exports::links(
            DESK.download_proposals,
            meeting_id,
            "proposals",
            &applied,
        )],
        query,
        statuses: ProposalStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), DESK.choice(s.as_str()).to_string()))
            .collect(),
        regions: RegionalGroup::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), DESK.choice(s.as_str()).to_string()))
            .collect(),
        problems,
        m,
    };
    let status = if bad.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    desk::answer(&b, status, render(&page_view))
}

//! The evaluator's pages: the proposals assigned to me in a meeting with my progress,
//! each proposal as an evaluator may see it (no email or gender; no organisers under
//! blind review), the scoring form per criterion with a comment and "could merge
//! with", and declaring a conflict of interest. Each calls the API's use case in
//! [`crate::evaluation::service`] or [`crate::proposals::service`], which decide.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use std::collections::{BTreeMap, BTreeSet};

use super::assets::CSS;
use super::desk::{self, Chrome, Visitor};
use super::forms::Problems;
use super::service::render;
use super::words::{DESK, DeskWords, EN, Words};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::{ApiError, FieldError};
use crate::evaluation::phase::{Criterion, Phase};
use crate::evaluation::scores::{ScoreInput, ScoreView};
use crate::evaluation::service as evaluation;
use crate::evaluation::types::{ConflictRequest, ListAssignmentsQuery, ListScoresQuery};
use crate::proposals::types::ProposalResponse;
use crate::state::AppState;

/// Every proposal assigned to the evaluator in a meeting, page by page.
fn assigned(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<Vec<(i64, String)>, ApiError> {
    let all = crate::page::every(|page, per_page| {
        let q = ListAssignmentsQuery {
            evaluator_id: None,
            page: Some(page),
            per_page: Some(per_page),
        };
        evaluation::list_assignments(conn, actor, meeting_id, &q)
    })?;
    Ok(all.into_iter().map(|a| (a.proposal_id, a.title)).collect())
}

/// The proposals the evaluator has scored in a meeting.
fn scored(conn: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<BTreeSet<i64>, ApiError> {
    let all = crate::page::every(|page, per_page| {
        let q = ListScoresQuery {
            evaluator_id: None,
            proposal_id: None,
            page: Some(page),
            per_page: Some(per_page),
        };
        evaluation::list_scores(conn, actor, meeting_id, &q)
    })?;
    Ok(all.into_iter().map(|s| s.proposal_id).collect())
}

/// The evaluator's progress in a meeting (scored, assigned), if anything is assigned.
pub fn progress(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<Option<(usize, usize)>, ApiError> {
    let mine = assigned(conn, actor, meeting_id)?;
    if mine.is_empty() {
        return Ok(None);
    }
    let done = scored(conn, actor, meeting_id)?;
    Ok(Some((
        mine.iter().filter(|(p, _)| done.contains(p)).count(),
        mine.len(),
    )))
}

struct Line {
    href: String,
    title: String,
    scored: bool,
}

#[derive(Template)]
#[template(path = "desk/assignments.html")]
struct ListPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    meeting: String,
    phase: String,
    scoring_open: bool,
    lines: Vec<Line>,
    done: usize,
    notice: Option<&'static str>,
    downloads: Vec<crate::web::exports::Links>,
}

/// The meeting's name, the evaluation's phase and my assignments, each marked scored
/// or not.
fn own_list(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<(String, Phase, Vec<Line>), ApiError> {
    let m = crate::meetings::service::get(c, &Some(actor.clone()), meeting_id)?;
    let (settings, _) = evaluation::get(c, actor, meeting_id)?;
    let done = scored(c, actor, meeting_id)?;
    let lines: Vec<Line> = assigned(c, actor, meeting_id)?
        .into_iter()
        .map(|(id, title)| Line {
            href: format!("{}/evaluation/proposals/{id}", desk::ROOT),
            title,
            scored: done.contains(&id),
        })
        .collect();
    Ok((m.name, settings.phase, lines))
}

/// `GET /desk/meetings/{meeting_id}/evaluation`: the proposals assigned to me, each
/// marked scored or not, with my progress.
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_role(&visitor, &req, Role::Evaluator) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let actor = b.user.clone();
    let result = crate::db::run(&state.pool, move |c| own_list(c, &actor, meeting_id)).await;
    let (meeting, phase, lines) = match result {
        Ok(x) => x,
        Err(e) => return desk::refusal(Some(&b), &e),
    };
    let notice = match req.query_string() {
        "conflict=1" => Some(DESK.conflict_recorded),
        _ => None,
    };
    let page = ListPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(&b)),
        meeting,
        phase: DESK.choice(phase.as_str()).to_string(),
        scoring_open: phase == Phase::Scoring,
        done: lines.iter().filter(|l| l.scored).count(),
        lines,
        notice,
        downloads: vec![crate::web::exports::links(
            DESK.download_assignments,
            meeting_id,
            "assignments",
            &[],
        )],
    };
    desk::answer(&b, StatusCode::OK, render(&page))
}

/// The scoring form's values, as stored or as typed.
#[derive(Debug, Clone, Default)]
struct ScoreFields {
    scores: BTreeMap<String, String>,
    /// The conflict form's reason, as typed.
    reason: String,
    comment: String,
    could_merge_with: String,
    version: Option<i32>,
}

impl ScoreFields {
    fn of(v: &ScoreView) -> ScoreFields {
        ScoreFields {
            scores: v
                .scores
                .iter()
                .map(|(k, s)| (k.clone(), s.to_string()))
                .collect(),
            comment: v.comment.clone(),
            could_merge_with: v
                .could_merge_with
                .map(|m| m.to_string())
                .unwrap_or_default(),
            version: Some(v.version),
            reason: String::new(),
        }
    }

    fn given(&self, key: &str, value: &i64) -> bool {
        self.scores
            .get(key)
            .is_some_and(|s| *s == value.to_string())
    }
}

#[derive(Template)]
#[template(path = "desk/score.html")]
struct ScorePage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    p: ProposalResponse,
    back: String,
    criteria: Vec<Criterion>,
    scale: Vec<i64>,
    scoring_open: bool,
    f: ScoreFields,
    problems: Problems,
    saved: bool,
    blind: bool,
    type_name: Option<String>,
    others: Vec<(i64, String)>,
}

impl ScorePage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.problems.of(field)
    }
}

/// What the scoring page shows: the proposal as the evaluator sees it, its session
/// type's name, the criteria, my score if there is one, and my other assignments
/// (what "could merge with" may name).
struct Scoring {
    p: ProposalResponse,
    type_name: Option<String>,
    settings: crate::evaluation::phase::SettingsView,
    own: Option<ScoreView>,
    others: Vec<(i64, String)>,
}

/// What the scoring page needs.
fn scoring(c: &mut DbConn, actor: &AuthUser, id: i64) -> Result<Scoring, ApiError> {
    let p = crate::proposals::service::get(c, actor, id)?;
    let (settings, _) = evaluation::get(c, actor, p.meeting_id)?;
    let own = match evaluation::get_score(c, actor, id) {
        Ok(v) => Some(v),
        Err(ApiError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    let m = crate::meetings::service::get(c, &Some(actor.clone()), p.meeting_id)?;
    let type_name = p.session_type.as_ref().map(|code| {
        m.session_types
            .iter()
            .find(|t| &t.code == code)
            .map_or_else(|| code.clone(), |t| t.name.clone())
    });
    let others = assigned(c, actor, p.meeting_id)?
        .into_iter()
        .filter(|(other, _)| *other != id)
        .collect();
    Ok(Scoring {
        p,
        type_name,
        settings,
        own,
        others,
    })
}

fn score_page(
    b: &desk::Browser,
    status: StatusCode,
    x: Scoring,
    typed: Option<ScoreFields>,
    problems: Problems,
    saved: bool,
) -> HttpResponse {
    let Scoring {
        p,
        type_name,
        settings,
        own,
        others,
    } = x;
    let mut f = typed.unwrap_or_else(|| own.as_ref().map(ScoreFields::of).unwrap_or_default());
    // A form sent again after another save is made over the version now stored.
    f.version = own.as_ref().map(|v| v.version);
    let page = ScorePage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(b)),
        back: format!("{}/meetings/{}/evaluation", desk::ROOT, p.meeting_id),
        criteria: settings.criteria,
        scale: (settings.scale[0]..=settings.scale[1]).collect(),
        scoring_open: settings.phase == Phase::Scoring,
        blind: settings.blind_review,
        type_name,
        others,
        p,
        f,
        problems,
        saved,
    };
    desk::answer(b, status, render(&page))
}

/// `GET /desk/evaluation/proposals/{proposal_id}`: an assigned proposal as an
/// evaluator sees it, with my scoring form; any other proposal is the 404 page.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_role(&visitor, &req, Role::Evaluator) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let id = path.into_inner();
    let actor = b.user.clone();
    match crate::db::run(&state.pool, move |c| scoring(c, &actor, id)).await {
        Ok(x) => score_page(
            &b,
            StatusCode::OK,
            x,
            None,
            Problems::default(),
            req.query_string() == "saved=1",
        ),
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// The score a posted form gives, or what of it does not parse.
fn score_input(
    form: &super::forms::Form,
    criteria: &[Criterion],
) -> Result<ScoreInput, Vec<FieldError>> {
    let mut bad = vec![];
    let mut scores = BTreeMap::new();
    for k in criteria {
        let field = format!("scores.{}", k.key);
        let name = format!("score_{}", k.key);
        if let Some(v) = form.whole_as::<i64>(&name, &field, "must be a whole number", &mut bad) {
            scores.insert(k.key.clone(), v);
        }
    }
    let could_merge_with = form.whole_as(
        "could_merge_with",
        "could_merge_with",
        "must be a proposal's number",
        &mut bad,
    );
    if bad.is_empty() {
        Ok(ScoreInput {
            scores,
            comment: form.get("comment").unwrap_or_default().to_string(),
            could_merge_with,
        })
    } else {
        Err(bad)
    }
}

/// Records the score a form gives (the API's, at the version the form showed); a
/// refusal the evaluator can mend comes back with what the page needs.
fn score_from(
    c: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    form: &super::forms::Form,
) -> desk::Mended<(), Scoring> {
    let p = crate::proposals::service::get(c, actor, id)?;
    let (settings, _) = evaluation::get(c, actor, p.meeting_id)?;
    let expected = form
        .filled("version")
        .and_then(|v| v.parse::<i32>().ok())
        .map(|v| vec![crate::etag::tag(&format!("score-{id}"), actor.id, v)]);
    let attempt = match score_input(form, &settings.criteria) {
        Ok(input) => evaluation::put_score(c, actor, id, &input, &expected).map(|_| ()),
        Err(bad) => Err(ApiError::validation(bad)),
    };
    desk::mend(c, attempt, |c| scoring(c, actor, id))
}

/// `POST /desk/evaluation/proposals/{proposal_id}/score`: records my score (the
/// API's, at the version the page showed); what is refused is shown beside its field.
pub async fn score(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by(&state, &req, &visitor, Role::Evaluator, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let id = path.into_inner();
    let actor = b.user.clone();
    let typed = ScoreFields {
        scores: form
            .pairs_with_prefix("score_")
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        comment: form.get("comment").unwrap_or_default().to_string(),
        could_merge_with: form.get("could_merge_with").unwrap_or_default().to_string(),
        version: None,
        reason: String::new(),
    };
    let result = crate::db::run(&state.pool, move |c| score_from(c, &actor, id, &form)).await;
    match result {
        Ok(Ok(())) => desk::see_other(&format!("{}/evaluation/proposals/{id}?saved=1", desk::ROOT)),
        Ok(Err((e, x))) => {
            use actix_web::ResponseError;
            let problems = Problems::from_error(&e);
            score_page(&b, e.status_code(), x, Some(typed), problems, false)
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// Declares the conflict (the API's); answers the meeting to go back to, or a
/// refusal with what the page needs.
fn conflict_from(
    c: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    input: &ConflictRequest,
) -> desk::Mended<i64, Scoring> {
    let meeting_id = crate::proposals::service::get(c, actor, id)?.meeting_id;
    let attempt = evaluation::declare_conflict(c, actor, id, input).map(|_| meeting_id);
    desk::mend(c, attempt, |c| scoring(c, actor, id))
}

/// `POST /desk/evaluation/proposals/{proposal_id}/conflict`: declares a conflict of
/// interest with the reason given; the assignment goes at once.
pub async fn conflict(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by(&state, &req, &visitor, Role::Evaluator, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let id = path.into_inner();
    let actor = b.user.clone();
    let reason = form.get("reason").unwrap_or_default().to_string();
    let input = ConflictRequest {
        reason: reason.clone(),
    };
    let result = crate::db::run(&state.pool, move |c| conflict_from(c, &actor, id, &input)).await;
    match result {
        Ok(Ok(meeting_id)) => desk::see_other(&format!(
            "{}/meetings/{meeting_id}/evaluation?conflict=1",
            desk::ROOT
        )),
        Ok(Err((e, x))) => {
            use actix_web::ResponseError;
            // The scoring form keeps the stored score; the conflict form what was typed.
            let mut typed = x.own.as_ref().map(ScoreFields::of).unwrap_or_default();
            typed.reason = reason;
            score_page(
                &b,
                e.status_code(),
                x,
                Some(typed),
                Problems::from_error(&e),
                false,
            )
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

//! A selection run: its quotas and targets as a form (a stored run's request fills
//! it again), the programme's shares against the targets as charts, each proposal's
//! proposed outcome and reason, and the run's decisions recorded.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::{ApiError, FieldError};
use crate::evaluation::phase::Phase;
use crate::meetings::types::MeetingResponse;
use crate::proposals::types::{RegionalGroup, StakeholderGroup};
use crate::scheduling::jobs::{JobStatus, JobView, Kind};
use crate::selection::programme::{ProgrammeDiversity, ShareBounds};
use crate::selection::service as selection_service;
use crate::selection::types::{
    DecisionInput, DecisionsRequest, ListDecisionsQuery, Outcome, RunView, SelectionRequest,
};
use crate::state::AppState;
use crate::web::assets::CSS;
use crate::web::desk::{self, Chrome, Visitor};
use crate::web::forms::{Form, Problems};
use crate::web::report::{Chart, charts_of};
use crate::web::service::render;
use crate::web::words::{DESK, DeskWords, EN, Words};

use super::{Nav, meeting_and_phase, nav, root};

/// The selection form's fields, every one as typed, by the API's field path.
type Typed = BTreeMap<String, String>;

#[derive(Template)]
#[template(path = "desk/manage_selection.html")]
struct SelectionPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    nav: Nav,
    m: MeetingResponse,
    phase: Phase,
    types: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    f: Typed,
    problems: Problems,
    run: Option<RunView>,
    decided: BTreeMap<i64, (String, String)>,
    outcomes: Vec<(String, String)>,
    charts: Vec<Chart>,
    chosen: usize,
    notice: Option<&'static str>,
}

impl SelectionPage<'_> {
    fn v(&self, field: &str) -> &str {
        self.f.get(field).map_or("", String::as_str)
    }

    fn err(&self, field: &str) -> Option<String> {
        self.problems.of(field)
    }
}

fn percent_text(x: f64) -> String {
    let p = (x * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

/// A run's request as the form shows it.
fn typed_of(r: &SelectionRequest) -> Typed {
    let mut f = Typed::new();
    let mut put = |k: String, v: String| {
        f.insert(k, v);
    };
    for (code, n) in &r.slots_per_type {
        put(format!("slots_per_type.{code}"), n.to_string());
    }
    for (k, v) in [
        ("total", r.total),
        ("waitlist", r.waitlist),
        ("min_scores", r.min_scores),
        ("max_per_organisation", r.max_per_organisation),
        ("max_per_speaker", r.max_per_speaker),
        ("time_limit_s", r.time_limit_s),
    ] {
        if let Some(v) = v {
            put(k.to_string(), v.to_string());
        }
    }
    if r.diversity_bonus != 0.0 {
        put("diversity_bonus".into(), r.diversity_bonus.to_string());
    }
    for (name, b) in &r.theme_shares {
        if let Some(v) = b.min {
            put(format!("theme_shares.{name}.min"), percent_text(v));
        }
        if let Some(v) = b.max {
            put(format!("theme_shares.{name}.max"), percent_text(v));
        }
    }
    for (code, v) in &r.stakeholder_min_share {
        put(format!("stakeholder_min_share.{code}"), percent_text(*v));
    }
    for (code, v) in &r.region_min_share {
        put(format!("region_min_share.{code}"), percent_text(*v));
    }
    if let Some(v) = r.first_time_min_share {
        put("first_time_min_share".into(), percent_text(v));
    }
    if let Some(v) = r.developing_min_share {
        put("developing_min_share".into(), percent_text(v));
    }
    f
}

/// The request a selection form makes, or what of it does not parse.
fn request_of(form: &Form, m: &MeetingResponse) -> Result<SelectionRequest, Vec<FieldError>> {
    let mut bad = vec![];
    let whole = |field: &str, bad: &mut Vec<FieldError>| -> Option<u32> { form.whole(field, bad) };
    let share = |field: &str, bad: &mut Vec<FieldError>| -> Option<f64> {
        let v = form.filled(field)?;
        match v
            .trim_end_matches('%')
            .trim()
            .replace(',', ".")
            .parse::<f64>()
        {
            Ok(p) if (0.0..=100.0).contains(&p) => Some(p / 100.0),
            _ => {
                bad.push(FieldError::new(
                    field,
                    "range",
                    "must be a percentage from 0 to 100",
                ));
                None
            }
        }
    };
    let mut slots = BTreeMap::new();
    for t in m.session_types.iter().filter(|t| t.from_call) {
        if let Some(n) = whole(&format!("slots_per_type.{}", t.code), &mut bad)
            && n > 0
        {
            slots.insert(t.code.clone(), n);
        }
    }
    let mut theme_shares = BTreeMap::new();
    for t in &m.themes {
        let min = share(&format!("theme_shares.{}.min", t.name), &mut bad);
        let max = share(&format!("theme_shares.{}.max", t.name), &mut bad);
        if min.is_some() || max.is_some() {
            theme_shares.insert(t.name.clone(), ShareBounds { min, max });
        }
    }
    let mut stakeholder_min_share = BTreeMap::new();
    for g in StakeholderGroup::ALL {
        if let Some(v) = share(&format!("stakeholder_min_share.{}", g.as_str()), &mut bad) {
            stakeholder_min_share.insert(g.as_str().to_string(), v);
        }
    }
    let mut region_min_share = BTreeMap::new();
    for g in RegionalGroup::ALL {
        if let Some(v) = share(&format!("region_min_share.{}", g.as_str()), &mut bad) {
            region_min_share.insert(g.as_str().to_string(), v);
        }
    }
    let diversity_bonus = match form
        .filled("diversity_bonus")
        .map(|v| v.replace(',', ".").parse::<f64>())
    {
        None => 0.0,
        Some(Ok(v)) => v,
        Some(Err(_)) => {
            bad.push(FieldError::new(
                "diversity_bonus",
                "number",
                "must be a number",
            ));
            0.0
        }
    };
    let r = SelectionRequest {
        score: None,
        slots_per_type: slots,
        total: whole("total", &mut bad),
        theme_shares,
        stakeholder_min_share,
        region_min_share,
        first_time_min_share: share("first_time_min_share", &mut bad),
        developing_min_share: share("developing_min_share", &mut bad),
        max_per_organisation: whole("max_per_organisation", &mut bad),
        max_per_speaker: whole("max_per_speaker", &mut bad),
        diversity_bonus,
        waitlist: whole("waitlist", &mut bad),
        min_scores: whole("min_scores", &mut bad),
        time_limit_s: whole("time_limit_s", &mut bad),
    };
    if bad.is_empty() { Ok(r) } else { Err(bad) }
}

/// The selection page's data: the meeting, its phase and the run asked for.
struct SelectionView {
    m: MeetingResponse,
    phase: Phase,
    run: Option<RunView>,
    /// The decisions recorded so far, by proposal: outcome and reason.
    decided: BTreeMap<i64, (String, String)>,
}

fn selection_of(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    run: Option<i64>,
) -> Result<SelectionView, ApiError> {
    let (m, s, _) = meeting_and_phase(c, actor, meeting_id)?;
    let run = match run {
        Some(id) => Some(selection_service::get_run(c, actor, meeting_id, id)?),
        None => None,
    };
    let mut decided = BTreeMap::new();
    if run.is_some() {
        decided = crate::page::every(|page, per_page| {
            let q = ListDecisionsQuery {
                outcome: None,
                page: Some(page),
                per_page: Some(per_page),
            };
            selection_service::list_decisions(c, actor, meeting_id, &q)
        })?
        .into_iter()
        .map(|d| (d.proposal_id, (d.outcome, d.reason)))
        .collect();
    }
    Ok(SelectionView {
        m,
        phase: s.phase,
        run,
        decided,
    })
}

fn selection_page(
    b: &desk::Browser,
    x: SelectionView,
    status: StatusCode,
    typed: Option<Typed>,
    problems: Problems,
    notice: Option<&'static str>,
) -> HttpResponse {
    let f = typed
        .or_else(|| x.run.as_ref().map(|r| typed_of(&r.request)))
        .unwrap_or_default();
    let charts = x
        .run
        .as_ref()
        .and_then(|r| serde_json::from_value::<ProgrammeDiversity>(r.diversity.clone()).ok())
        .map(|p| charts_of(&p))
        .unwrap_or_default();
    let page = SelectionPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(b)),
        nav: nav(x.m.id, "/selection"),
        phase: x.phase,
        types: x
            .m
            .session_types
            .iter()
            .filter(|t| t.from_call)
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
        groups: StakeholderGroup::ALL
            .iter()
            .map(|g| (g.as_str().to_string(), EN.group(g.as_str()).to_string()))
            .collect(),
        regions: RegionalGroup::ALL
            .iter()
            .map(|g| (g.as_str().to_string(), DESK.choice(g.as_str()).to_string()))
            .collect(),
        chosen: x.run.as_ref().map_or(0, |r| r.selected),
        run: x.run,
        decided: x.decided,
        outcomes: Outcome::ALL
            .iter()
            .map(|o| (o.as_str().to_string(), EN.group(o.as_str()).to_string()))
            .collect(),
        charts,
        f,
        problems,
        notice,
        m: x.m,
    };
    desk::answer(b, status, render(&page))
}

/// `GET /desk/meetings/{meeting_id}/manage/selection`: the selection form, and with
/// `?run=` a stored run: its programme's shares against the targets, each proposal's
/// proposed outcome and reason.
pub async fn selection_view(
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
    let query = Form::parse(req.query_string().as_bytes());
    let run = query.filled("run").and_then(|r| r.parse::<i64>().ok());
    let job = query.filled("job").and_then(|r| r.parse::<i64>().ok());
    let notice = query.has("decided").then_some(DESK.decisions_recorded);
    let actor = b.user.clone();
    match crate::db::run(&state.pool, move |c| {
        selection_with_job(c, &actor, meeting_id, run, job)
    })
    .await
    {
        Ok((x, None)) => selection_page(&b, x, StatusCode::OK, None, Problems::default(), notice),
        // A failed job's page sent the secretariat back here: its quotas as asked,
        // with the problems beside them.
        Ok((x, Some(job))) => {
            let typed = serde_json::from_value::<SelectionRequest>(job.request.clone())
                .ok()
                .map(|r| typed_of(&r));
            let notice = (job.status == JobStatus::Failed).then_some(DESK.job_failed_for);
            let problems = super::jobs::problems_of(&job);
            selection_page(&b, x, StatusCode::OK, typed, problems, notice)
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// The selection page's view, and the selection job it was opened from, if any.
fn selection_with_job(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    run: Option<i64>,
    job_id: Option<i64>,
) -> Result<(SelectionView, Option<JobView>), ApiError> {
    let job = match job_id {
        Some(id) => Some(super::jobs::job_for_form(
            c,
            actor,
            meeting_id,
            id,
            Kind::Selection,
        )?),
        None => None,
    };
    Ok((selection_of(c, actor, meeting_id, run)?, job))
}

/// Queues the optimiser with the form's quotas (the API's run, asked to respond at
/// once); answers its job.
fn select_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
) -> desk::Mended<i64, SelectionView> {
    let view = selection_of(c, actor, meeting_id, None)?;
    let attempt = match request_of(form, &view.m) {
        Ok(r) => selection_service::queue(c, actor, meeting_id, r).map(|job| job.id),
        Err(bad) => Err(ApiError::validation(bad)),
    };
    match attempt {
        Ok(id) => Ok(Ok(id)),
        Err(e) if desk::mendable(&e) => Ok(Err((e, view))),
        Err(e) => Err(e),
    }
}

/// `POST /desk/meetings/{meeting_id}/manage/selection`: queues the optimiser and goes
/// on to watch it.
pub async fn select(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by(&state, &req, &visitor, Role::Secretariat, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let typed: Typed = form
        .pairs_with_prefix("")
        .into_iter()
        .filter(|(k, _)| *k != "csrf")
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let actor = b.user.clone();
    match crate::db::run(&state.pool, move |c| {
        select_from(c, &actor, meeting_id, &form)
    })
    .await
    {
        Ok(Ok(job)) => {
            state.jobs.notify();
            desk::see_other(&super::jobs::job_path(meeting_id, job))
        }
        Ok(Err((e, view))) => {
            use actix_web::ResponseError;
            selection_page(
                &b,
                view,
                e.status_code(),
                Some(typed),
                Problems::from_error(&e),
                None,
            )
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// Records a run's proposed decisions, or the secretariat's own decision on one
/// proposal (both the API's decisions); answers the run to go back to.
fn decide_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
) -> desk::Mended<i64, SelectionView> {
    let id = |k: &str| form.filled(k).and_then(|v| v.parse::<i64>().ok());
    let Some(run) = id("selection_run_id") else {
        return Err(ApiError::field(
            "selection_run_id",
            "required",
            "choose a run",
        ));
    };
    let body = match id("proposal_id") {
        // One proposal, decided by hand.
        Some(proposal_id) => match form.get("outcome").and_then(Outcome::parse) {
            Some(outcome) => Ok(DecisionsRequest {
                selection_run_id: None,
                decisions: vec![DecisionInput {
                    proposal_id,
                    outcome,
                    reason: form.filled("reason").map(str::to_string),
                    merge_with: id("merge_with"),
                }],
            }),
            None => Err(ApiError::field("outcome", "one_of", "choose an outcome")),
        },
        None => Ok(DecisionsRequest {
            selection_run_id: Some(run),
            decisions: vec![],
        }),
    };
    let attempt = body
        .and_then(|body| selection_service::record_decisions(c, actor, meeting_id, body))
        .map(|_| run);
    desk::mend(c, attempt, |c| {
        selection_of(c, actor, meeting_id, Some(run))
    })
}

/// `POST /desk/meetings/{meeting_id}/manage/decisions`: confirms a run's proposed
/// decisions.
pub async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by(&state, &req, &visitor, Role::Secretariat, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let actor = b.user.clone();
    match crate::db::run(&state.pool, move |c| {
        decide_from(c, &actor, meeting_id, &form)
    })
    .await
    {
        Ok(Ok(run)) => desk::see_other(&format!(
            "{}/selection?run={run}&decided=1",
            root(meeting_id)
        )),
        Ok(Err((e, view))) => {
            use actix_web::ResponseError;
            selection_page(
                &b,
                view,
                e.status_code(),
                None,
                Problems::from_error(&e),
                None,
            )
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

//! The session reports' working pages: the list of one's sessions (every session, for
//! the secretariat) with where their reports stand, and one report's form, where its
//! organisers and rapporteur save drafts and submit, and the secretariat accepts or
//! returns it with a comment. Each action calls the API's use case in
//! [`crate::reports`], which decides.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono_tz::Tz;

use super::assets::CSS;
use super::desk::{self, Chrome, Visitor};
use super::forms::{Form, Problems};
use super::service::render;
use super::words::{DESK, DeskWords, EN, REPORTS, ReportWords, Words};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::{ApiError, FieldError};
use crate::reports::types::{
    Decision, ListReportsQuery, ReportContent, ReportKind, ReportState, ReportView, ReviewRequest,
    SessionReports,
};
use crate::state::AppState;
use crate::time::Instant;

/// Sessions per page of the list.
const PER_PAGE: i64 = 100;

const EVERY_ROLE: [Role; 3] = [Role::Proposer, Role::Evaluator, Role::Secretariat];

fn state_words(s: ReportState) -> &'static str {
    REPORTS
        .states
        .iter()
        .find(|(code, _)| *code == s.as_str())
        .map_or("", |(_, w)| w)
}

/// A deadline in the venue's time and in each organiser's own zone.
fn due_words(due: &Instant, organisers: &[(String, Option<String>)]) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(&due.utc) else {
        return due.utc.clone();
    };
    let at = |z: Tz| t.with_timezone(&z).format("%a %-d %b %Y %H:%M").to_string();
    let venue: Tz = due.zone.parse().unwrap_or(chrono_tz::UTC);
    let mut out = format!("{} ({})", at(venue), venue.name());
    let mut seen = vec![venue];
    for (name, zone) in organisers {
        if let Some(z) = zone.as_deref().and_then(|z| z.parse::<Tz>().ok())
            && !seen.contains(&z)
        {
            seen.push(z);
            out.push_str(&format!(
                "; {} ({}, {} {name})",
                at(z),
                z.name(),
                REPORTS.in_zone_of
            ));
        }
    }
    out
}

/// A session's line in the list.
struct Line {
    session_id: i64,
    title: String,
    when: String,
    short: (&'static str, String, bool),
    full: (&'static str, String, bool),
}

fn line(s: &SessionReports) -> Line {
    let zones: Vec<(String, Option<String>)> = s
        .organisers
        .iter()
        .map(|o| (o.name.clone(), o.timezone.clone()))
        .collect();
    let st = |r: &crate::reports::types::ReportStanding| {
        (state_words(r.state), due_words(&r.due_at, &zones), r.late)
    };
    Line {
        session_id: s.session_id,
        title: s.title.clone(),
        when: s
            .starts_at
            .local
            .replace('T', " ")
            .chars()
            .take(16)
            .collect(),
        short: st(&s.short),
        full: st(&s.full),
    }
}

#[derive(Template)]
#[template(path = "desk/reports.html")]
struct ListPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    r: &'a ReportWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    meeting_id: i64,
    meeting: String,
    filter: String,
    lines: Vec<Line>,
    previous: Option<String>,
    next: Option<String>,
}

/// The meeting's name and the sessions the list shows.
fn read_list(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    query: &ListReportsQuery,
) -> Result<(String, Vec<SessionReports>, i64), ApiError> {
    let m = crate::meetings::service::get(c, &Some(actor.clone()), meeting_id)?;
    let page = crate::reports::list(c, actor, meeting_id, query)?;
    Ok((m.name, page.items, page.total))
}

/// `GET /desk/meetings/{meeting_id}/reports?filter=late|waiting`: one's sessions (every
/// session, for the secretariat) and where their reports stand.
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_any(&visitor, &req, &EVERY_ROLE) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let q = Form::parse(req.query_string().as_bytes());
    let filter = q.filled("filter").unwrap_or_default().to_string();
    let page_no: i64 = q
        .filled("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let query = ListReportsQuery {
        late: (filter == "late").then_some(true),
        state: (filter == "waiting").then_some(ReportState::Submitted),
        page: Some(page_no),
        per_page: Some(PER_PAGE),
        ..ListReportsQuery::default()
    };
    let actor = b.user.clone();
    let read = crate::db::run(&state.pool, move |c| {
        read_list(c, &actor, meeting_id, &query)
    })
    .await;
    match read {
        Ok((meeting, items, total)) => {
            let more = |n: i64| {
                let f = if filter.is_empty() {
                    String::new()
                } else {
                    format!("filter={filter}&")
                };
                format!("?{f}page={n}")
            };
            let page = ListPage {
                w: &EN,
                k: &DESK,
                r: &REPORTS,
                css: &CSS.name,
                shown_zone: String::new(),
                d: Some(Chrome::of(&b)),
                meeting_id,
                meeting,
                previous: (page_no > 1).then(|| more(page_no - 1)),
                next: (page_no * PER_PAGE < total).then(|| more(page_no + 1)),
                filter,
                lines: items.iter().map(line).collect(),
            };
            desk::answer(&b, StatusCode::OK, render(&page))
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// What the report's form held, as typed.
#[derive(Default)]
struct Typed {
    key_takeaways: String,
    calls_to_action: String,
    key_issues: String,
    discussion: String,
    way_forward: String,
    participants_onsite: String,
    participants_online: String,
    women_estimate: String,
    recording_url: String,
    transcript_url: String,
    comment: String,
}

impl Typed {
    fn of(c: &ReportContent) -> Typed {
        let list = |v: &Option<Vec<String>>| v.as_deref().unwrap_or_default().join("\n");
        let n = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
        Typed {
            key_takeaways: list(&c.key_takeaways),
            calls_to_action: list(&c.calls_to_action),
            key_issues: list(&c.key_issues),
            discussion: c.discussion.clone().unwrap_or_default(),
            way_forward: c.way_forward.clone().unwrap_or_default(),
            participants_onsite: n(c.participants_onsite),
            participants_online: n(c.participants_online),
            women_estimate: n(c.women_estimate),
            recording_url: c.recording_url.clone().unwrap_or_default(),
            transcript_url: c.transcript_url.clone().unwrap_or_default(),
            comment: String::new(),
        }
    }

    fn posted(f: &Form) -> Typed {
        let g = |k: &str| f.get(k).unwrap_or_default().to_string();
        Typed {
            key_takeaways: g("key_takeaways"),
            calls_to_action: g("calls_to_action"),
            key_issues: g("key_issues"),
            discussion: g("discussion"),
            way_forward: g("way_forward"),
            participants_onsite: g("participants_onsite"),
            participants_online: g("participants_online"),
            women_estimate: g("women_estimate"),
            recording_url: g("recording_url"),
            transcript_url: g("transcript_url"),
            comment: g("comment"),
        }
    }
}

/// The content a posted form asks for, for a report of `kind`; a count that is not a
/// whole number is refused beside its field.
fn content(f: &Form, kind: ReportKind) -> Result<ReportContent, ApiError> {
    let lines = |k: &str| {
        f.get(k).map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
    };
    let text = |k: &str| f.get(k).map(String::from);
    let mut bad: Vec<FieldError> = vec![];
    let c = match kind {
        ReportKind::Short => ReportContent {
            key_takeaways: lines("key_takeaways"),
            calls_to_action: lines("calls_to_action"),
            ..ReportContent::default()
        },
        ReportKind::Full => ReportContent {
            key_issues: lines("key_issues"),
            discussion: text("discussion"),
            way_forward: text("way_forward"),
            participants_onsite: f.whole("participants_onsite", &mut bad),
            participants_online: f.whole("participants_online", &mut bad),
            women_estimate: f.whole("women_estimate", &mut bad),
            recording_url: text("recording_url"),
            transcript_url: text("transcript_url"),
            ..ReportContent::default()
        },
    };
    if bad.is_empty() {
        Ok(c)
    } else {
        Err(ApiError::validation(bad))
    }
}

#[derive(Template)]
#[template(path = "desk/report.html")]
struct ReportPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    r: &'a ReportWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    v: ReportView,
    state: &'static str,
    due: String,
    short: bool,
    secretariat: bool,
    editable: bool,
    f: Typed,
    problems: Problems,
    notice: Option<&'static str>,
}

impl ReportPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        let all = self.problems.under(field, &[]);
        (!all.is_empty()).then(|| all.join(" "))
    }
}

/// What the report page reads: the report and its organisers' zones.
fn read(
    c: &mut DbConn,
    actor: &AuthUser,
    session_id: i64,
    kind: ReportKind,
) -> Result<Data, ApiError> {
    let v = crate::reports::get(c, &Some(actor.clone()), session_id, kind)?;
    let zones = if v.history.is_empty() && v.state == ReportState::Accepted && v.review.is_none() {
        // Read as anyone reads an accepted report: its organisers are not listed.
        vec![]
    } else {
        crate::reports::organisers_of(c, session_id)?
            .into_iter()
            .map(|o| (o.name, o.timezone))
            .collect()
    };
    Ok((v, zones))
}

fn report_page(
    b: &desk::Browser,
    status: StatusCode,
    (v, zones): Data,
    f: Option<Typed>,
    problems: Problems,
    notice: Option<&'static str>,
) -> HttpResponse {
    let secretariat = b.user.role == Role::Secretariat;
    let editable =
        secretariat || !matches!(v.state, ReportState::Submitted | ReportState::Accepted);
    let page = ReportPage {
        w: &EN,
        k: &DESK,
        r: &REPORTS,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(b)),
        state: state_words(v.state),
        due: due_words(&v.due_at, &zones),
        short: v.kind == ReportKind::Short,
        secretariat,
        editable,
        f: f.unwrap_or_else(|| Typed::of(&v.content)),
        problems,
        notice,
        v,
    };
    desk::answer(b, status, render(&page))
}

fn kind_of(s: &str) -> Result<ReportKind, ApiError> {
    ReportKind::parse(s).ok_or(ApiError::NotFound("report"))
}

/// `GET /desk/sessions/{session_id}/reports/{kind}`: the report's form.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, String)>,
) -> HttpResponse {
    let b = match desk::require_any(&visitor, &req, &EVERY_ROLE) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let (session_id, kind) = path.into_inner();
    let kind = match kind_of(&kind) {
        Ok(k) => k,
        Err(e) => return desk::refusal(Some(&b), &e),
    };
    let q = Form::parse(req.query_string().as_bytes());
    let notice = match q.filled("done") {
        Some("saved") => Some(REPORTS.saved),
        Some("submitted") => Some(REPORTS.submitted),
        Some("reviewed") => Some(REPORTS.reviewed),
        _ => None,
    };
    let actor = b.user.clone();
    match crate::db::run(&state.pool, move |c| read(c, &actor, session_id, kind)).await {
        Ok(data) => report_page(&b, StatusCode::OK, data, None, Problems::default(), notice),
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// Does what the form's button asks through the use cases: save (and submit), or the
/// secretariat's review. Answers which notice to show.
fn act(
    c: &mut DbConn,
    actor: &AuthUser,
    session_id: i64,
    kind: ReportKind,
    form: &Form,
) -> Result<(&'static str, i64), ApiError> {
    let expected = form.filled("version").map(|n| {
        vec![crate::reports::tag(
            kind,
            session_id,
            n.parse().unwrap_or(-1),
        )]
    });
    match form.get("action").unwrap_or("save") {
        "accept" | "return" => {
            let body = ReviewRequest {
                decision: if form.get("action") == Some("accept") {
                    Decision::Accept
                } else {
                    Decision::Return
                },
                comment: form.filled("comment").map(String::from),
            };
            let v = crate::reports::review(c, actor, session_id, kind, &body, &expected)?;
            Ok(("reviewed", v.meeting_id))
        }
        "submit" => {
            // What is on the form is saved first, then submitted, in one transaction.
            let content = content(form, kind)?;
            let v =
                crate::reports::save_and_submit(c, actor, session_id, kind, content, &expected)?;
            Ok(("submitted", v.meeting_id))
        }
        _ => {
            let content = content(form, kind)?;
            let v = crate::reports::save(c, actor, session_id, kind, content, &expected)?;
            Ok(("saved", v.meeting_id))
        }
    }
}

type Data = (ReportView, Vec<(String, Option<String>)>);

/// [`act`], with the page's data read again for a refusal the person can mend.
fn act_from(
    c: &mut DbConn,
    actor: &AuthUser,
    session_id: i64,
    kind: ReportKind,
    form: &Form,
) -> desk::Mended<(&'static str, i64), Data> {
    let attempt = act(c, actor, session_id, kind, form);
    desk::mend(c, attempt, |c| read(c, actor, session_id, kind))
}

/// `POST /desk/sessions/{session_id}/reports/{kind}`: saves, submits or reviews.
pub async fn post(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by_any(&state, &req, &visitor, &EVERY_ROLE, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let (session_id, kind) = path.into_inner();
    let kind = match kind_of(&kind) {
        Ok(k) => k,
        Err(e) => return desk::refusal(Some(&b), &e),
    };
    let typed = Typed::posted(&form);
    let actor = b.user.clone();
    let result = crate::db::run(&state.pool, move |c| {
        act_from(c, &actor, session_id, kind, &form)
    })
    .await;
    match result {
        Ok(Ok((done, meeting_id))) => {
            state.feeds.forget(meeting_id);
            state.pages.forget(meeting_id);
            see_report(session_id, kind, done)
        }
        Ok(Err((e, data))) => {
            use actix_web::ResponseError;
            report_page(
                &b,
                e.status_code(),
                data,
                Some(typed),
                Problems::from_error(&e),
                None,
            )
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

fn see_report(session_id: i64, kind: ReportKind, done: &str) -> HttpResponse {
    desk::see_other(&format!(
        "{}/sessions/{session_id}/reports/{}?done={done}",
        desk::ROOT,
        kind.as_str()
    ))
}

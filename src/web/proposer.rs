//! The proposer's pages: the call of a meeting (public, dates in the reader's zone),
//! the proposer's own proposals, and the proposal form with its people. Saving,
//! submitting and withdrawing call the API's use cases in [`crate::proposals::service`];
//! what they refuse is shown beside the field the API names. Screening is shown as it
//! stands after every save, and the page's script asks [`check`] (the same checks and
//! screening as the API's create, edit and submit, storing nothing) as the
//! proposer types, so that complaints go away as they are fixed.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono_tz::Tz;

use super::assets::CSS;
use super::desk::{self, Chrome, Visitor};
use super::forms::{Form, Problems};
use super::service::{dates_of, read_query, render};
use super::words::{DESK, DeskWords, EN, Words};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::{ApiError, FieldError};
use crate::meetings::types::MeetingResponse;
use crate::proposals::service as proposals;
use crate::proposals::types::*;
use crate::state::AppState;

/// Rows of people the form offers beyond those already named (more come with the
/// script, or by saving).
const SPARE_ROWS: usize = 2;
/// The most rows of people a form is read for.
const MAX_ROWS: usize = 60;

/// Who opens a stored proposal's page: its proposer, and the secretariat, which may
/// correct any proposal (the use cases decide which proposal each may open).
const EDITORS: &[Role] = &[Role::Proposer, Role::Secretariat];

/// How many proposals the proposer has in a meeting.
pub fn count_own(conn: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<i64, ApiError> {
    let q = ListProposalsQuery {
        per_page: Some(1),
        ..all_proposals()
    };
    Ok(proposals::list(conn, actor, meeting_id, &q)?.total)
}

/// A list query with no filter.
fn all_proposals() -> ListProposalsQuery {
    ListProposalsQuery {
        theme_id: None,
        session_type: None,
        status: None,
        regional_group: None,
        q: None,
        page: None,
        per_page: None,
    }
}

/// One option of a select.
pub struct Choice {
    value: String,
    label: String,
}

fn choices(codes: impl IntoIterator<Item = &'static str>) -> Vec<Choice> {
    codes
        .into_iter()
        .map(|c| Choice {
            value: c.to_string(),
            label: DESK.choice(c).to_string(),
        })
        .collect()
}

/// A person's row of the form, every field as typed.
#[derive(Debug, Clone, Default)]
pub struct PersonRow {
    /// The row of the form it came from (rows left blank are dropped, so the API's
    /// `participants[k]` may be another row of the page).
    row: usize,
    role: String,
    name: String,
    email: String,
    organisation: String,
    country: String,
    stakeholder_group: String,
    regional_group: String,
    gender: String,
    timezone: String,
    participation: String,
}

impl PersonRow {
    fn is_blank(&self) -> bool {
        [
            &self.name,
            &self.email,
            &self.organisation,
            &self.country,
            &self.timezone,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

/// The proposal form's fields as typed (or as stored), whatever they hold.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    title: String,
    description: String,
    policy_questions: String,
    theme_id: String,
    session_type: String,
    duration_min: String,
    format: String,
    layout: String,
    sdgs: Vec<i32>,
    expected_outcomes: String,
    hybrid_plan: String,
    first_time: bool,
    developing_country: bool,
    past_organiser: bool,
    previous_report_url: String,
    /// Interpretation languages, codes separated by commas.
    interpretation: String,
    captioning: bool,
    sign_language: bool,
    people: Vec<PersonRow>,
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

impl Fields {
    /// A stored proposal's content.
    fn of(p: &ProposalResponse) -> Fields {
        Fields {
            title: p.title.clone(),
            description: p.description.clone(),
            policy_questions: p.policy_questions.join("\n"),
            theme_id: p.theme_id.map(|t| t.to_string()).unwrap_or_default(),
            session_type: text(&p.session_type),
            duration_min: p.duration_min.map(|d| d.to_string()).unwrap_or_default(),
            format: text(&p.format),
            layout: text(&p.layout),
            sdgs: p.sdgs.clone(),
            expected_outcomes: p.expected_outcomes.clone(),
            hybrid_plan: p.hybrid_plan.clone(),
            first_time: p.first_time,
            developing_country: p.developing_country,
            past_organiser: p.past_organiser,
            previous_report_url: text(&p.previous_report_url),
            interpretation: p.interpretation.join(", "),
            captioning: p.captioning,
            sign_language: p.sign_language,
            people: p
                .participants
                .iter()
                .enumerate()
                .map(|(row, x)| PersonRow {
                    row,
                    role: x.role.clone(),
                    name: x.name.clone(),
                    email: text(&x.email),
                    organisation: text(&x.organisation),
                    country: text(&x.country),
                    stakeholder_group: text(&x.stakeholder_group),
                    regional_group: text(&x.regional_group),
                    gender: text(&x.gender),
                    timezone: text(&x.timezone),
                    participation: text(&x.participation),
                })
                .collect(),
        }
    }

    /// What a posted form holds; rows of people left blank are dropped, so that row
    /// `k` of the page is the API's `participants[k]`.
    fn posted(f: &Form) -> Fields {
        let get = |k: &str| f.get(k).unwrap_or_default().to_string();
        let people = (0..MAX_ROWS)
            .map(|i| {
                let g = |k: &str| f.get(&format!("p{i}_{k}")).unwrap_or_default().to_string();
                PersonRow {
                    row: i,
                    role: g("role"),
                    name: g("name"),
                    email: g("email"),
                    organisation: g("organisation"),
                    country: g("country"),
                    stakeholder_group: g("stakeholder_group"),
                    regional_group: g("regional_group"),
                    gender: g("gender"),
                    timezone: g("timezone"),
                    participation: g("participation"),
                }
            })
            .filter(|r| !r.is_blank())
            .collect();
        Fields {
            title: get("title"),
            description: get("description"),
            policy_questions: get("policy_questions"),
            theme_id: get("theme_id"),
            session_type: get("session_type"),
            duration_min: get("duration_min"),
            format: get("format"),
            layout: get("layout"),
            sdgs: f
                .all("sdgs")
                .iter()
                .filter_map(|s| s.trim().parse().ok())
                .collect(),
            expected_outcomes: get("expected_outcomes"),
            hybrid_plan: get("hybrid_plan"),
            first_time: f.has("first_time"),
            developing_country: f.has("developing_country"),
            past_organiser: f.has("past_organiser"),
            previous_report_url: get("previous_report_url"),
            interpretation: get("interpretation"),
            captioning: f.has("captioning"),
            sign_language: f.has("sign_language"),
            people,
        }
    }

    /// The content as the API takes it, or what of it does not even parse, by the
    /// API's field paths.
    fn data(&self) -> Result<ProposalData, Vec<FieldError>> {
        let mut bad = vec![];
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        fn pick<T>(
            bad: &mut Vec<FieldError>,
            field: String,
            value: &str,
            parse: fn(&str) -> Option<T>,
        ) -> Option<T> {
            let v = value.trim();
            if v.is_empty() {
                return None;
            }
            let got = parse(v);
            if got.is_none() {
                bad.push(FieldError::new(
                    field,
                    "one_of",
                    "choose one of the options",
                ));
            }
            got
        }
        fn number<T: std::str::FromStr>(
            bad: &mut Vec<FieldError>,
            field: &str,
            value: &str,
        ) -> Option<T> {
            let v = value.trim();
            if v.is_empty() {
                return None;
            }
            let got = v.parse().ok();
            if got.is_none() {
                bad.push(FieldError::new(field, "integer", "must be a whole number"));
            }
            got
        }
        let participants = self
            .people
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let at = |k: &str| format!("participants[{i}].{k}");
                // A role that is none is said at its row, and the row stays in the
                // list so that every other row keeps its place.
                let role = ParticipantRole::parse(r.role.trim()).unwrap_or_else(|| {
                    bad.push(FieldError::new(at("role"), "one_of", "choose a role"));
                    ParticipantRole::Speaker
                });
                ParticipantInput {
                    role,
                    name: r.name.trim().to_string(),
                    email: opt(&r.email),
                    organisation: opt(&r.organisation),
                    country: opt(&r.country).map(|c| c.to_ascii_uppercase()),
                    stakeholder_group: pick(
                        &mut bad,
                        at("stakeholder_group"),
                        &r.stakeholder_group,
                        StakeholderGroup::parse,
                    ),
                    regional_group: pick(
                        &mut bad,
                        at("regional_group"),
                        &r.regional_group,
                        RegionalGroup::parse,
                    ),
                    gender: pick(&mut bad, at("gender"), &r.gender, Gender::parse),
                    timezone: opt(&r.timezone),
                    participation: pick(
                        &mut bad,
                        at("participation"),
                        &r.participation,
                        Participation::parse,
                    ),
                }
            })
            .collect();
        let data = ProposalData {
            title: self.title.trim().to_string(),
            description: self.description.clone(),
            policy_questions: self
                .policy_questions
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            theme_id: number(&mut bad, "theme_id", &self.theme_id),
            session_type: opt(&self.session_type),
            duration_min: number(&mut bad, "duration_min", &self.duration_min),
            format: pick(&mut bad, "format".into(), &self.format, Format::parse),
            layout: pick(&mut bad, "layout".into(), &self.layout, Layout::parse),
            sdgs: self.sdgs.clone(),
            expected_outcomes: self.expected_outcomes.clone(),
            hybrid_plan: self.hybrid_plan.clone(),
            first_time: self.first_time,
            developing_country: self.developing_country,
            past_organiser: self.past_organiser,
            previous_report_url: opt(&self.previous_report_url),
            interpretation: self
                .interpretation
                .split([',', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            captioning: self.captioning,
            sign_language: self.sign_language,
            participants,
        };
        if bad.is_empty() {
            return Ok(data);
        }
        // What does parse is checked as the API checks it, so that one answer says
        // everything that is wrong, not one round of it at a time.
        if let Err(ApiError::Validation { errors, .. }) = data.check() {
            let more: Vec<FieldError> = errors
                .into_iter()
                .filter(|e| !bad.iter().any(|b| b.field == e.field))
                .collect();
            bad.extend(more);
        }
        Err(bad)
    }
}

/// Every field of a stored proposal's PATCH, so that saving the form replaces the
/// whole content as the form shows it.
fn whole(d: ProposalData) -> UpdateProposalRequest {
    UpdateProposalRequest {
        title: Some(d.title),
        description: Some(d.description),
        policy_questions: Some(d.policy_questions),
        theme_id: Some(d.theme_id),
        session_type: Some(d.session_type),
        duration_min: Some(d.duration_min),
        format: Some(d.format),
        layout: Some(d.layout),
        sdgs: Some(d.sdgs),
        expected_outcomes: Some(d.expected_outcomes),
        hybrid_plan: Some(d.hybrid_plan),
        first_time: Some(d.first_time),
        developing_country: Some(d.developing_country),
        past_organiser: Some(d.past_organiser),
        previous_report_url: Some(d.previous_report_url),
        interpretation: Some(d.interpretation),
        captioning: Some(d.captioning),
        sign_language: Some(d.sign_language),
        participants: Some(d.participants),
    }
}

/// A row of people as the template draws it: its fields and their messages.
pub struct RowView {
    i: usize,
    r: PersonRow,
    msgs: Vec<(&'static str, Option<String>)>,
}

impl RowView {
    fn msg(&self, k: &str) -> Option<&String> {
        self.msgs
            .iter()
            .find(|(name, _)| *name == k)
            .and_then(|(_, m)| m.as_ref())
    }
}

/// What the proposal page shows of the proposal's state.
pub struct Status {
    status: String,
    editable: bool,
    submittable: bool,
    withdrawable: bool,
    outcome: Option<OutcomeView>,
    version: i32,
}

#[derive(Template)]
#[template(path = "desk/proposal.html")]
struct ProposalPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    meeting: MeetingResponse,
    deadline: String,
    action: String,
    check_action: String,
    id: Option<i64>,
    state: Option<Status>,
    f: Fields,
    rows: Vec<RowView>,
    problems: Problems,
    screening: Problems,
    screening_count: usize,
    saved: bool,
    submitted: bool,
    editable: bool,
    secretariat: bool,
    other: Vec<String>,
    themes: Vec<Choice>,
    types: Vec<(String, String, String)>,
    roles: Vec<Choice>,
    groups: Vec<Choice>,
    regions: Vec<Choice>,
    genders: Vec<Choice>,
    participations: Vec<Choice>,
    formats: Vec<Choice>,
    layouts: Vec<Choice>,
    zones: Vec<&'static str>,
}

impl ProposalPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        // A list of values (`interpretation[1]`) is said beside its one control; the
        // people have a control per field.
        let mut all: Vec<String> = self.problems.of(field).into_iter().collect();
        if field != "participants" {
            all.extend(self.problems.under(&format!("{field}["), &[]));
        }
        (!all.is_empty()).then(|| all.join(" "))
    }

    fn screen(&self, field: &str) -> Option<String> {
        self.screening.of(field)
    }

    fn has_sdg(&self, n: &i32) -> bool {
        self.f.sdgs.contains(n)
    }
}

/// Everything the proposal page needs beyond the fields.
struct Frame {
    meeting: MeetingResponse,
    id: Option<i64>,
    state: Option<Status>,
    /// Whether the page follows a submit that went through.
    submitted: bool,
}

/// The proposal's own fields that have a control on the form.
const TOP_FIELDS: [&str; 13] = [
    "participants",
    "title",
    "description",
    "policy_questions",
    "theme_id",
    "session_type",
    "duration_min",
    "format",
    "layout",
    "sdgs",
    "expected_outcomes",
    "hybrid_plan",
    "previous_report_url",
];

const ROW_FIELDS: [&str; 10] = [
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
];

fn proposal_page(
    b: &desk::Browser,
    frame: Frame,
    mut f: Fields,
    problems: Problems,
    screening: Vec<FieldError>,
    saved: bool,
) -> Result<String, ApiError> {
    let m = frame.meeting;
    let venue: Tz = m.timezone.parse().unwrap_or(Tz::UTC);
    let closes = chrono::DateTime::parse_from_rfc3339(&m.cfp.closes_at.utc)
        .map(|t| {
            t.with_timezone(&venue)
                .format("%A %-d %B %Y, %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    let extra = if frame.state.as_ref().is_none_or(|s| s.editable) {
        SPARE_ROWS
    } else {
        0
    };
    let named = f.people.len();
    f.people
        .extend((0..extra.max(usize::from(named == 0))).map(|_| PersonRow {
            role: if named == 0 {
                "organiser".into()
            } else {
                String::new()
            },
            ..Default::default()
        }));
    let mut screen_problems = Problems::default();
    let mut other = vec![];
    for e in &screening {
        let control = super::forms::control_of(&e.field);
        let shown = TOP_FIELDS.contains(&control.as_str())
            || (e.field.starts_with("participants[") && control.starts_with('p'));
        if shown {
            screen_problems.add(&e.field, &e.message);
        } else {
            other.push(e.message.clone());
        }
    }
    let rows = f
        .people
        .iter()
        .enumerate()
        .map(|(i, r)| RowView {
            i,
            r: r.clone(),
            msgs: ROW_FIELDS
                .iter()
                .map(|k| {
                    let path = format!("participants[{i}].{k}");
                    let both: Vec<String> = [problems.of(&path), screen_problems.of(&path)]
                        .into_iter()
                        .flatten()
                        .collect();
                    (*k, (!both.is_empty()).then(|| both.join(" ")))
                })
                .collect(),
        })
        .collect();
    let action = match frame.id {
        Some(id) => format!("{}/proposals/{id}", desk::ROOT),
        None => format!("{}/meetings/{}/proposals/new", desk::ROOT, m.id),
    };
    let check_action = match frame.id {
        Some(id) => format!("{}/proposals/{id}/check", desk::ROOT),
        None => format!("{}/meetings/{}/proposals/check", desk::ROOT, m.id),
    };
    let editable = frame.state.as_ref().is_none_or(|s| s.editable);
    let page = ProposalPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(b)),
        deadline: format!("{closes} ({})", m.timezone),
        action,
        check_action,
        id: frame.id,
        state: frame.state,
        rows,
        problems,
        screening_count: screening.len(),
        editable,
        secretariat: b.user.is_secretariat(),
        other,
        screening: screen_problems,
        saved,
        submitted: frame.submitted,
        themes: m
            .themes
            .iter()
            .map(|t| Choice {
                value: t.id.to_string(),
                label: t.name.clone(),
            })
            .collect(),
        types: m
            .session_types
            .iter()
            .filter(|t| t.from_call)
            .map(|t| {
                let mins: Vec<String> = t.durations.iter().map(i32::to_string).collect();
                (t.code.clone(), t.name.clone(), mins.join(", "))
            })
            .collect(),
        roles: choices(ParticipantRole::ALL.iter().map(|v| v.as_str())),
        groups: choices(StakeholderGroup::ALL.iter().map(|v| v.as_str())),
        regions: choices(RegionalGroup::ALL.iter().map(|v| v.as_str())),
        genders: choices(Gender::ALL.iter().map(|v| v.as_str())),
        participations: choices(Participation::ALL.iter().map(|v| v.as_str())),
        formats: choices(Format::ALL.iter().map(|v| v.as_str())),
        layouts: choices(Layout::ALL.iter().map(|v| v.as_str())),
        zones: super::zones::choices().collect(),
        meeting: m,
        f,
    };
    render(&page)
}

/// What the page offers: what the use cases would accept now ([`proposals::window`]).
fn status_of(v: &ProposalResponse, window: proposals::Window) -> Status {
    Status {
        editable: window.edit && v.status != "withdrawn",
        submittable: window.submit && v.status == "draft",
        withdrawable: v.status != "withdrawn",
        status: v.status.clone(),
        outcome: v.outcome.clone(),
        version: v.version,
    }
}

/// The meeting of a new proposal's form, when the proposer may start one there now.
fn new_of(c: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<MeetingResponse, ApiError> {
    proposals::may_start(c, actor, meeting_id)?;
    crate::meetings::service::get(c, &Some(actor.clone()), meeting_id)
}

/// `GET /desk/meetings/{meeting_id}/proposals/new`: an empty proposal form.
pub async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_role(&visitor, &req, Role::Proposer) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let actor = b.user.clone();
    let result = crate::db::run(&state.pool, move |c| new_of(c, &actor, meeting_id)).await;
    let meeting = match result {
        Ok(m) => m,
        Err(ApiError::Conflict { message, .. }) => {
            return desk::message(
                StatusCode::CONFLICT,
                Some(&b),
                DESK.call_closed,
                &format!(
                    "{} {}",
                    DESK.call_closed_text,
                    super::forms::sentence(&message)
                ),
                Some((&format!("/meetings/{meeting_id}/call"), DESK.the_call)),
            );
        }
        Err(e) => return desk::refusal(Some(&b), &e),
    };
    let frame = Frame {
        meeting,
        id: None,
        state: None,
        submitted: false,
    };
    let page = proposal_page(
        &b,
        frame,
        Fields::default(),
        Problems::default(),
        vec![],
        false,
    );
    desk::answer(&b, StatusCode::OK, page)
}

/// What a refused form is shown again with: the error and what the page needs.
type Refused<T> = Result<T, (ApiError, MeetingResponse)>;

/// Creates a draft from the form (the API's create); a refusal the proposer can
/// mend comes back with the meeting, to show the form again.
fn create_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    f: &Fields,
) -> Result<Refused<i64>, ApiError> {
    let attempt = match f.data() {
        Ok(data) => proposals::create(c, actor, meeting_id, data),
        Err(bad) => Err(ApiError::validation(bad)),
    };
    desk::mend(c, attempt.map(|v| v.id), |c| {
        crate::meetings::service::get(c, &Some(actor.clone()), meeting_id)
    })
}

/// `POST /desk/meetings/{meeting_id}/proposals/new`: saves a new draft (the API's
/// create) and goes on to its page; what is refused is shown beside its field with
/// nothing lost.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by(&state, &req, &visitor, Role::Proposer, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let fields = Fields::posted(&form);
    let actor = b.user.clone();
    let f = fields.clone();
    let result = crate::db::run(&state.pool, move |c| create_from(c, &actor, meeting_id, &f)).await;
    match result {
        Ok(Ok(id)) => desk::see_other(&format!("{}/proposals/{id}?saved=1", desk::ROOT)),
        Ok(Err((e, meeting))) => {
            use actix_web::ResponseError;
            let frame = Frame {
                meeting,
                id: None,
                state: None,
                submitted: false,
            };
            let status = e.status_code();
            let page = proposal_page(&b, frame, fields, Problems::from_error(&e), vec![], false);
            desk::answer(&b, status, page)
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// A stored proposal with its meeting, as its proposer may see it.
fn load(c: &mut DbConn, actor: &AuthUser, id: i64) -> Result<Loaded, ApiError> {
    let v = proposals::get(c, actor, id)?;
    let m = crate::meetings::service::get(c, &Some(actor.clone()), v.meeting_id)?;
    let w = proposals::window(c, actor, v.meeting_id)?;
    Ok((v, m, w))
}

/// A stored proposal, its meeting and what the caller may do with it now.
type Loaded = (ProposalResponse, MeetingResponse, proposals::Window);

/// `GET /desk/proposals/{proposal_id}`: the proposal in its form, with what screening
/// says of it now, its state and, once published, its outcome.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_any(&visitor, &req, EDITORS) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let id = path.into_inner();
    let submitted = req.query_string().contains("submitted=1");
    let saved = submitted || req.query_string().contains("saved=1");
    let actor = b.user.clone();
    let result = crate::db::run(&state.pool, move |c| load(c, &actor, id)).await;
    let (v, meeting, window) = match result {
        Ok(x) => x,
        Err(e) => return desk::refusal(Some(&b), &e),
    };
    let screening = v.screening.clone().unwrap_or_default();
    let frame = Frame {
        state: Some(status_of(&v, window)),
        meeting,
        id: Some(id),
        submitted,
    };
    let page = proposal_page(
        &b,
        frame,
        Fields::of(&v),
        Problems::default(),
        screening,
        saved,
    );
    desk::answer(&b, StatusCode::OK, page)
}

/// A stored proposal's refusal, with what its page needs to show the form again.
type RefusedEdit = (ApiError, Loaded);

/// Saves the whole form over a stored proposal (the API's edit) and submits it when
/// asked; a refusal the proposer can mend comes back with the proposal as stored.
fn save_from(
    c: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    f: &Fields,
    expected: &Option<Vec<String>>,
    submitting: bool,
) -> Result<Result<(), RefusedEdit>, ApiError> {
    let attempt = match f.data() {
        Ok(data) => proposals::update(c, actor, id, whole(data), expected).and_then(|v| {
            if submitting {
                proposals::submit(c, actor, id)
            } else {
                Ok(v)
            }
        }),
        Err(bad) => Err(ApiError::validation(bad)),
    };
    desk::mend(c, attempt.map(|_| ()), |c| load(c, actor, id))
}

/// `POST /desk/proposals/{proposal_id}`: saves the whole form (the API's edit, at
/// the version the page showed), then submits it when the submit button was pressed.
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by_any(&state, &req, &visitor, EDITORS, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let id = path.into_inner();
    let fields = Fields::posted(&form);
    let submitting = form.has("submit");
    let expected = form
        .filled("version")
        .and_then(|v| v.parse::<i32>().ok())
        .map(|v| vec![crate::etag::tag("proposal", id, v)]);
    let actor = b.user.clone();
    let f = fields.clone();
    let result = crate::db::run(&state.pool, move |c| {
        save_from(c, &actor, id, &f, &expected, submitting)
    })
    .await;
    match result {
        Ok(Ok(())) => desk::see_other(&format!(
            "{}/proposals/{id}?{}=1",
            desk::ROOT,
            if submitting { "submitted" } else { "saved" }
        )),
        Ok(Err((e, (v, meeting, window)))) => {
            use actix_web::ResponseError;
            let status = e.status_code();
            let problems = Problems::from_error(&e);
            let screening = v.screening.clone().unwrap_or_default();
            let mut st = status_of(&v, window);
            // The form keeps what was typed; a save that was refused for another's
            // change is made again over the version now stored.
            st.version = v.version;
            let frame = Frame {
                state: Some(st),
                meeting,
                id: Some(id),
                submitted: false,
            };
            let page = proposal_page(&b, frame, fields, problems, screening, false);
            desk::answer(&b, status, page)
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// `POST /desk/proposals/{proposal_id}/withdraw`: withdraws the proposal.
pub async fn withdraw(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let b = match desk::require_any(&visitor, &req, EDITORS) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    if let Err(refused) = desk::posted(&state, &req, &b, &body) {
        return *refused;
    }
    let id = path.into_inner();
    let actor = b.user.clone();
    match crate::db::run(&state.pool, move |c| proposals::withdraw(c, &actor, id)).await {
        Ok(_) => desk::see_other(&format!("{}/proposals/{id}", desk::ROOT)),
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// The control of the form as the browser has it for a field path: the API's
/// `participants[k]` is the form's k-th row that was not left blank.
fn control_in_form(field: &str, rows: &[usize]) -> String {
    if let Some(rest) = field.strip_prefix("participants[")
        && let Some((k, name)) = rest.split_once("].")
        && let Some(row) = k.parse::<usize>().ok().and_then(|k| rows.get(k))
    {
        return format!("p{row}_{name}");
    }
    super::forms::control_of(field)
}

/// What the live check answers: each complaint under the form's own field name.
#[derive(serde::Serialize)]
struct Checked {
    problems: Vec<CheckedField>,
}

#[derive(serde::Serialize)]
struct CheckedField {
    /// The API's path (`participants[1].timezone`).
    field: String,
    /// The form control's id (`p1_timezone`).
    control: String,
    message: String,
}

/// What screening says of the form as typed, for a new proposal of a meeting or a
/// stored one ([`proposals::preview`]: the checks of the API's create and edit, and
/// the screening of its submit).
fn preview_of(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: Option<i64>,
    id: Option<i64>,
    fields: &Fields,
) -> Result<Vec<FieldError>, ApiError> {
    let meeting_id = match (meeting_id, id) {
        (Some(m), _) => m,
        (None, Some(id)) => proposals::get(c, actor, id)?.meeting_id,
        (None, None) => return Err(ApiError::NotFound("proposal")),
    };
    match fields.data() {
        Ok(data) => proposals::preview(c, actor, meeting_id, id, &data),
        Err(bad) => Ok(bad),
    }
}

async fn check_answer(
    state: &AppState,
    req: &HttpRequest,
    visitor: &Visitor,
    body: &[u8],
    meeting_id: Option<i64>,
    id: Option<i64>,
) -> Result<HttpResponse, ApiError> {
    let Some(b) = &visitor.browser else {
        return Err(ApiError::Unauthorized("sign in again"));
    };
    if desk::posted(state, req, b, body).is_err() {
        return Err(ApiError::Forbidden(
            "this form has expired; reload the page".into(),
        ));
    }
    let fields = Fields::posted(&Form::parse(body));
    let rows: Vec<usize> = fields.people.iter().map(|r| r.row).collect();
    let actor = b.user.clone();
    let found = crate::db::run(&state.pool, move |c| {
        preview_of(c, &actor, meeting_id, id, &fields)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Checked {
            problems: found
                .into_iter()
                .map(|e| CheckedField {
                    control: control_in_form(&e.field, &rows),
                    field: e.field,
                    message: super::forms::sentence(&e.message),
                })
                .collect(),
        }))
}

/// `POST /desk/meetings/{meeting_id}/proposals/check`: what the new proposal's form,
/// as typed, breaks (nothing is saved); the form's script asks as the proposer types.
pub async fn check_new(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    check_answer(&state, &req, &visitor, &body, Some(path.into_inner()), None).await
}

/// `POST /desk/proposals/{proposal_id}/check`: the same for a stored proposal's form.
pub async fn check(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    check_answer(&state, &req, &visitor, &body, None, Some(path.into_inner())).await
}

/// A proposal in the proposer's list.
struct Line {
    href: String,
    title: String,
    status: String,
    problems: usize,
    outcome: Option<String>,
}

/// The proposer's proposals in a meeting as the list shows them, with the meeting.
fn own_lines(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<(MeetingResponse, Vec<Line>, bool), ApiError> {
    let m = crate::meetings::service::get(c, &Some(actor.clone()), meeting_id)?;
    let may_start = proposals::window(c, actor, meeting_id)?.edit;
    let q = ListProposalsQuery {
        per_page: Some(100),
        ..all_proposals()
    };
    let mut lines = vec![];
    for p in proposals::list(c, actor, meeting_id, &q)?.items {
        let problems = proposals::screening(c, actor, p.id)?
            .into_iter()
            .filter(|e| e.rule != "within_window")
            .count();
        lines.push(Line {
            href: format!("{}/proposals/{}", desk::ROOT, p.id),
            status: DESK.choice(&p.status).to_string(),
            outcome: p.outcome.map(|o| EN.group(&o.outcome).to_string()),
            title: p.title,
            problems,
        });
    }
    Ok((m, lines, may_start))
}

#[derive(Template)]
#[template(path = "desk/proposals.html")]
struct ListPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    meeting: MeetingResponse,
    lines: Vec<Line>,
    new_href: Option<String>,
}

/// `GET /desk/meetings/{meeting_id}/proposals`: the proposer's proposals in a
/// meeting, each with its state, screening and outcome.
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_role(&visitor, &req, Role::Proposer) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let actor = b.user.clone();
    let result = crate::db::run(&state.pool, move |c| own_lines(c, &actor, meeting_id)).await;
    let (meeting, lines, may_start) = match result {
        Ok(x) => x,
        Err(e) => return desk::refusal(Some(&b), &e),
    };
    let page = ListPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(&b)),
        new_href: may_start.then(|| format!("{}/meetings/{meeting_id}/proposals/new", desk::ROOT)),
        meeting,
        lines,
    };
    desk::answer(&b, StatusCode::OK, render(&page))
}

#[derive(Template)]
#[template(path = "call.html")]
struct CallPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    js: &'a str,
    shown_zone: String,
    meeting: MeetingResponse,
    dates: String,
    opens: String,
    closes: String,
    venue_zone: String,
    zones: Vec<&'static str>,
    zone_error: Option<String>,
    types: Vec<(String, String, String)>,
    rules: Vec<String>,
    new_href: String,
}

/// `GET /meetings/{meeting_id}/call`: the call for proposals, public: its dates in the
/// reader's zone (`?tz=`, else the venue's), themes, session types and the rules
/// screening applies.
pub async fn call(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<i64>,
) -> HttpResponse {
    let meeting_id = path.into_inner();
    let asked = read_query(req.query_string());
    let zone = asked.zone();
    let zone_error = asked.zone_error().map(str::to_string);
    let result = crate::db::run(&state.pool, move |c| {
        crate::meetings::service::get(c, &None, meeting_id)
    })
    .await;
    let m = match result {
        Ok(m) => m,
        Err(e) => return desk::refusal(None, &e),
    };
    let venue: Tz = m.timezone.parse().unwrap_or(Tz::UTC);
    let shown = zone.unwrap_or(venue);
    let at = |utc: &str| {
        chrono::DateTime::parse_from_rfc3339(utc)
            .map(|t| {
                t.with_timezone(&shown)
                    .format("%A %-d %B %Y, %H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let r = &m.screening;
    let mut rules = vec![];
    if r.within_window {
        rules.push(DESK.rule_window.to_string());
    }
    if r.required_fields {
        rules.push(DESK.rule_required.to_string());
    }
    if let Some(n) = r.min_speakers {
        rules.push(format!("{} {n}.", DESK.rule_speakers));
    }
    if r.speaker_gender_mix {
        rules.push(DESK.rule_gender.to_string());
    }
    if r.onsite_moderator {
        rules.push(DESK.rule_onsite_moderator.to_string());
    }
    if let Some(n) = r.min_onsite_speakers {
        rules.push(format!("{} {n}.", DESK.rule_onsite_speakers));
    }
    if r.online_moderator_for_online_speakers {
        rules.push(DESK.rule_online_moderator.to_string());
    }
    if let Some(n) = r.max_proposals_per_organiser {
        rules.push(format!("{} {n}.", DESK.rule_per_organiser));
    }
    if let Some(n) = r.max_proposals_per_organisation {
        rules.push(format!("{} {n}.", DESK.rule_per_organisation));
    }
    if r.no_mag_proposer {
        rules.push(DESK.rule_no_mag.to_string());
    }
    if r.past_report_filed {
        rules.push(DESK.rule_report.to_string());
    }
    if r.duration_allowed {
        rules.push(DESK.rule_duration.to_string());
    }
    let page = CallPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        js: &super::assets::JS.name,
        shown_zone: shown.name().to_string(),
        dates: dates_of(&m),
        opens: at(&m.cfp.opens_at.utc),
        closes: at(&m.cfp.closes_at.utc),
        venue_zone: m.timezone.clone(),
        zones: super::zones::choices().collect(),
        zone_error,
        types: m
            .session_types
            .iter()
            .filter(|t| t.from_call)
            .map(|t| {
                let mins: Vec<String> = t.durations.iter().map(i32::to_string).collect();
                (t.code.clone(), t.name.clone(), mins.join(", "))
            })
            .collect(),
        rules,
        new_href: format!("{}/meetings/{meeting_id}/proposals/new", desk::ROOT),
        meeting: m,
    };
    let refused = page.zone_error.is_some();
    match render(&page) {
        Ok(body) if refused => HttpResponse::UnprocessableEntity()
            .content_type(super::service::HTML)
            .insert_header(("Cache-Control", "no-store"))
            .body(body),
        Ok(body) => HttpResponse::Ok()
            .content_type(super::service::HTML)
            .insert_header(("Cache-Control", "public, max-age=60"))
            .body(body),
        Err(e) => desk::refusal(None, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaint_goes_to_the_row_the_browser_shows() {
        let f = Form::parse(b"p0_role=organiser&p0_name=A&p2_role=speaker&p2_name=B");
        let rows: Vec<usize> = Fields::posted(&f).people.iter().map(|r| r.row).collect();
        assert_eq!(rows, [0, 2]);
        assert_eq!(
            control_in_form("participants[1].timezone", &rows),
            "p2_timezone"
        );
        assert_eq!(control_in_form("title", &rows), "title");
        assert_eq!(control_in_form("participants", &rows), "participants");
    }

    #[test]
    fn a_posted_form_drops_blank_rows_and_names_what_does_not_parse() {
        let f = Form::parse(
            b"title=T&duration_min=ninety&sdgs=4&sdgs=9&first_time=on\
              &p0_role=organiser&p0_name=&p1_role=speaker&p1_name=Ana&p1_gender=x\
              &p2_role=organiser&p2_name=Bo&p2_country=ke",
        );
        let fields = Fields::posted(&f);
        assert_eq!(fields.people.len(), 2);
        assert_eq!(fields.sdgs, [4, 9]);
        assert!(fields.first_time && !fields.past_organiser);
        let bad = fields.data().unwrap_err();
        let at: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(at, ["participants[0].gender", "duration_min"]);
        let mut ok = fields.clone();
        ok.duration_min = "90".into();
        ok.people[0].gender.clear();
        let d = ok.data().unwrap();
        assert_eq!(d.duration_min, Some(90));
        assert_eq!(d.participants[1].country.as_deref(), Some("KE"));
    }
}

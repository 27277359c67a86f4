//! Session reports: every session of a meeting's published programme (ceremonies
//! aside) owes a short report some hours after it ends and a full report some days
//! after the meeting's last day (both delays are the meeting's settings). Any of the
//! session's organisers or rapporteurs (matched by the proposal's account or by the
//! email the line-up gives) writes drafts and submits; the secretariat accepts or
//! returns with a comment, and may write a report itself. Every step is on the audit
//! trail. An accepted report is public. The use cases and their storage; the meeting's
//! summary in [`summary`], HTTP in [`handlers`].

pub mod handlers;
pub mod summary;
pub mod types;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use serde_json::json;

use crate::audit;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::db::schema::{
    audit_log, meeting_days, meetings, proposals, rooms, schedule_placements as pl,
    schedule_versions, session_people, session_reports as sr, session_types, sessions, themes,
    time_slots, users,
};
use crate::error::{ApiError, Code};
use crate::meetings::models::Meeting;
use crate::meetings::service::load_visible;
use crate::page::{Page, Paginated};
use crate::time::{from_db, to_db};
use crate::validate::Checker;
use types::*;

/// The audit trail's name for a report.
const ENTITY: &str = "session_report";

/// The longest review comment, in characters.
const LONGEST_COMMENT: usize = 4000;

/// A session of the published programme that owes reports.
#[derive(Debug, Clone)]
pub struct Held {
    /// Session id.
    pub session_id: i64,
    /// Meeting id.
    pub meeting_id: i64,
    /// Title.
    pub title: String,
    /// The session type's code and name.
    pub type_code: String,
    /// The session type's name.
    pub type_name: String,
    /// Theme id and name.
    pub theme: Option<(i64, String)>,
    /// The proposal it came from.
    pub proposal_id: Option<i64>,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// The room.
    pub room: String,
}

/// A meeting's report deadlines.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    /// Hours after a session's end that its short report is due.
    pub short_hours: i32,
    /// The full reports' deadline: the end of the meeting's last day plus the
    /// meeting's days, at midnight venue time.
    pub full_due: Option<DateTime<Utc>>,
}

impl Deadlines {
    /// When a session's report of `kind` is due.
    pub fn due(&self, kind: ReportKind, h: &Held) -> DateTime<Utc> {
        match kind {
            ReportKind::Short => h.ends_at + chrono::Duration::hours(i64::from(self.short_hours)),
            ReportKind::Full => self.full_due.unwrap_or(h.ends_at).max(h.ends_at),
        }
    }
}

/// The meeting's deadlines: short reports `short_report_hours` after each session,
/// full reports at the end of the day `full_report_days` after the last day.
pub fn deadlines(conn: &mut DbConn, m: &Meeting) -> Result<Deadlines, ApiError> {
    let (short_hours, full_days) = (m.short_report_hours, m.full_report_days);
    let last: Option<chrono::NaiveDate> = meeting_days::table
        .filter(meeting_days::meeting_id.eq(m.id))
        .select(diesel::dsl::max(meeting_days::date))
        .first(conn)?;
    let venue = m.venue()?;
    let full_due = last
        .and_then(|d| {
            d.checked_add_days(chrono::Days::new(u64::try_from(full_days).unwrap_or(0) + 1))
        })
        .map(|d| day_start(d, venue));
    Ok(Deadlines {
        short_hours,
        full_due,
    })
}

/// The first instant of a venue-local date (midnight, or the first time after a gap).
fn day_start(d: chrono::NaiveDate, zone: Tz) -> DateTime<Utc> {
    // A date the zone skipped whole (Samoa's 30 December 2011) has no local time:
    // its UTC midnight stands in.
    (0..96)
        .map(|q| chrono::NaiveTime::MIN + chrono::Duration::minutes(15 * q))
        .find_map(|t| crate::time::local_to_utc(d, t, zone).ok())
        .unwrap_or_else(|| d.and_time(chrono::NaiveTime::MIN).and_utc())
}

/// A session type whose sessions owe no report (ceremonies).
fn is_ceremony(placement: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(placement)
        .ok()
        .and_then(|v| v.get("position").and_then(|p| p.as_str().map(String::from)))
        .is_some_and(|p| p == "opening" || p == "closing")
}

type HeldRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
    NaiveDateTime,
    i32,
    String,
);

/// The sessions of a meeting's published programme that owe reports (none before a
/// publication), in start order; `only` narrows to one session.
pub fn held(conn: &mut DbConn, meeting_id: i64, only: Option<i64>) -> Result<Vec<Held>, ApiError> {
    // The meeting's published version (the last publication), read here rather than
    // through the scheduling module, which screening (and so this module) sits below.
    let version: Option<i64> = schedule_versions::table
        .filter(schedule_versions::meeting_id.eq(meeting_id))
        .filter(schedule_versions::published_at.is_not_null())
        .order(schedule_versions::publication.desc())
        .select(schedule_versions::id)
        .first(conn)
        .optional()?;
    let Some(version) = version else {
        return Ok(vec![]);
    };
    let mut q = pl::table
        .inner_join(
            sessions::table
                .inner_join(session_types::table)
                .left_join(themes::table),
        )
        .inner_join(time_slots::table)
        .inner_join(rooms::table)
        .filter(pl::version_id.eq(version))
        .filter(sessions::status.eq(crate::sessions::types::SessionStatus::Active.as_str()))
        .into_boxed();
    if let Some(id) = only {
        q = q.filter(sessions::id.eq(id));
    }
    let rows: Vec<HeldRow> = q
        .order((time_slots::starts_at, rooms::name, sessions::id))
        .select((
            sessions::id,
            sessions::meeting_id,
            sessions::title,
            session_types::code,
            session_types::name,
            session_types::placement,
            themes::id.nullable(),
            themes::name.nullable(),
            sessions::proposal_id,
            time_slots::starts_at,
            sessions::duration_min,
            rooms::name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| !is_ceremony(&r.5))
        .map(
            |(
                id,
                meeting,
                title,
                code,
                name,
                _,
                theme_id,
                theme,
                proposal,
                start,
                minutes,
                room,
            )| {
                let starts_at = from_db(start);
                Held {
                    session_id: id,
                    meeting_id: meeting,
                    title,
                    type_code: code,
                    type_name: name,
                    theme: theme_id.zip(theme),
                    proposal_id: proposal,
                    starts_at,
                    ends_at: starts_at + chrono::Duration::minutes(i64::from(minutes)),
                    room,
                }
            },
        )
        .collect())
}

/// Who may file a session's reports: the proposal's account, and the organisers and
/// rapporteurs of its line-up with their emails and zones.
#[derive(Debug, Clone, Default)]
pub struct Filers {
    /// The account that proposed the session.
    pub proposer: Option<i64>,
    /// Each organiser and rapporteur.
    pub people: Vec<Filer>,
}

/// An organiser or rapporteur of a session.
#[derive(Debug, Clone, Queryable)]
pub struct Filer {
    /// The session.
    pub session_id: i64,
    /// Name.
    pub name: String,
    /// `organiser` or `rapporteur`.
    pub role: String,
    /// Email, normalised.
    pub email: Option<String>,
    /// IANA zone, when given.
    pub timezone: Option<String>,
}

impl Filers {
    /// Whether this account (id, normalised email) may file.
    fn admits(&self, id: i64, email: &str) -> bool {
        self.proposer == Some(id)
            || self
                .people
                .iter()
                .any(|p| p.email.as_deref() == Some(email))
    }
}

/// The filers of each of these sessions.
pub fn filers(conn: &mut DbConn, held: &[Held]) -> Result<HashMap<i64, Filers>, ApiError> {
    let ids: Vec<i64> = held.iter().map(|h| h.session_id).collect();
    let mut out: HashMap<i64, Filers> = HashMap::new();
    let proposal_ids: Vec<i64> = held.iter().filter_map(|h| h.proposal_id).collect();
    let proposers: HashMap<i64, i64> = proposals::table
        .filter(proposals::id.eq_any(&proposal_ids))
        .select((proposals::id, proposals::proposer_id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    for h in held {
        out.entry(h.session_id).or_default().proposer =
            h.proposal_id.and_then(|p| proposers.get(&p).copied());
    }
    let people: Vec<Filer> = session_people::table
        .filter(session_people::session_id.eq_any(&ids))
        .filter(session_people::role.eq_any(["organiser", "rapporteur"]))
        .order((session_people::session_id, session_people::position))
        .select((
            session_people::session_id,
            session_people::name,
            session_people::role,
            session_people::email,
            session_people::timezone,
        ))
        .load(conn)?;
    for mut p in people {
        p.email = p.email.map(|e| crate::validate::normalise_email(&e));
        out.entry(p.session_id).or_default().people.push(p);
    }
    Ok(out)
}

/// The account's address where it has shown that the address is its own (empty
/// otherwise): only a confirmed address makes an account one of a session's people.
fn account_email(conn: &mut DbConn, id: i64) -> Result<String, ApiError> {
    let e: Option<String> = users::table
        .find(id)
        .filter(users::email_confirmed_at.is_not_null())
        .select(users::email)
        .first(conn)
        .optional()?;
    Ok(e.map(|e| crate::validate::normalise_email(&e))
        .unwrap_or_default())
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = sr)]
struct Row {
    id: i64,
    kind: String,
    state: String,
    content: String,
    version: i32,
    updated_at: NaiveDateTime,
    first_submitted_at: Option<NaiveDateTime>,
    submitted_at: Option<NaiveDateTime>,
    reviewed_at: Option<NaiveDateTime>,
    reviewed_by: Option<i64>,
    review_comment: Option<String>,
}

impl Row {
    fn state(&self) -> ReportState {
        ReportState::parse(&self.state).unwrap_or(ReportState::Draft)
    }

    fn content(&self) -> Result<ReportContent, ApiError> {
        crate::db::json_column(&self.content, "session_reports.content", self.id)
    }
}

/// A session's stored report of one kind.
fn row_of(conn: &mut DbConn, session_id: i64, kind: ReportKind) -> Result<Option<Row>, ApiError> {
    Ok(sr::table
        .filter(sr::session_id.eq(session_id))
        .filter(sr::kind.eq(kind.as_str()))
        .select(Row::as_select())
        .first(conn)
        .optional()?)
}

/// Where a report stands against its deadline.
fn standing(
    row: Option<&Row>,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
    venue: Tz,
) -> ReportStanding {
    let first = row.and_then(|r| r.first_submitted_at).map(from_db);
    let on_time = first.map(|t| t <= due);
    ReportStanding {
        state: row.map_or(ReportState::NotStarted, Row::state),
        due_at: crate::time::show(due, venue),
        first_submitted_at: first.map(utc),
        on_time,
        late: first.map_or(now > due, |t| t > due),
    }
}

fn utc(t: DateTime<Utc>) -> String {
    crate::time::rfc3339(t, chrono_tz::UTC)
}

/// The entity tag of version `version` of a session's report of `kind`.
pub fn tag(kind: ReportKind, session_id: i64, version: i32) -> String {
    crate::etag::tag(&format!("report-{}", kind.as_str()), session_id, version)
}

/// The report's entity tag.
pub fn etag(v: &ReportView) -> String {
    tag(v.kind, v.session_id, v.version)
}

/// A stored report's entity tag (version 0 before the first save) and state, what a
/// write checks before it changes anything.
fn stored(kind: ReportKind, session_id: i64, row: Option<&Row>) -> (String, ReportState) {
    (
        tag(kind, session_id, row.map_or(0, |r| r.version)),
        row.map_or(ReportState::NotStarted, Row::state),
    )
}

/// A held session, its meeting, and whether the caller may file its reports.
struct Context {
    meeting: Meeting,
    held: Held,
    deadlines: Deadlines,
    may_file: bool,
}

/// Loads a session of a visible meeting's published programme. A session the caller
/// cannot see, or one that is not in the programme, is a 404.
fn context(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    session_id: i64,
) -> Result<Context, ApiError> {
    let meeting_id: Option<i64> = sessions::table
        .find(session_id)
        .select(sessions::meeting_id)
        .first(conn)
        .optional()?;
    let meeting_id = meeting_id.ok_or(ApiError::NotFound("session"))?;
    let meeting = load_visible(conn, meeting_id, viewer)?;
    let Some(held) = held(conn, meeting_id, Some(session_id))?.pop() else {
        return Err(if viewer.as_ref().is_some_and(AuthUser::is_secretariat) {
            ApiError::conflict(
                Code::NotHeld,
                format!(
                    "session {session_id} is not in the published programme (or is a ceremony, or cancelled), so it owes no report"
                ),
            )
        } else {
            ApiError::NotFound("session")
        });
    };
    let deadlines = deadlines(conn, &meeting)?;
    let may_file = match viewer {
        Some(u) if u.is_secretariat() => true,
        Some(u) => {
            let email = account_email(conn, u.id)?;
            filers(conn, std::slice::from_ref(&held))?
                .get(&session_id)
                .is_some_and(|f| f.admits(u.id, &email))
        }
        None => false,
    };
    Ok(Context {
        meeting,
        held,
        deadlines,
        may_file,
    })
}

/// The trail of one report, oldest first.
fn history(conn: &mut DbConn, report_id: i64) -> Result<Vec<HistoryEntry>, ApiError> {
    let rows: Vec<(NaiveDateTime, String, Option<String>)> = audit_log::table
        .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_id)))
        .filter(audit_log::entity_type.eq(ENTITY))
        .filter(audit_log::entity_id.eq(report_id))
        .order(audit_log::id)
        .select((audit_log::at, audit_log::action, users::name.nullable()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, action, by)| HistoryEntry {
            at: utc(from_db(at)),
            action,
            by,
        })
        .collect())
}

fn user_name(conn: &mut DbConn, id: Option<i64>) -> Result<Option<String>, ApiError> {
    let Some(id) = id else { return Ok(None) };
    Ok(users::table
        .find(id)
        .select(users::name)
        .first(conn)
        .optional()?)
}

/// The report as the caller may see it.
fn view(
    conn: &mut DbConn,
    ctx: &Context,
    kind: ReportKind,
    row: Option<&Row>,
    now: DateTime<Utc>,
) -> Result<ReportView, ApiError> {
    let venue = ctx.meeting.venue()?;
    let due = ctx.deadlines.due(kind, &ctx.held);
    let s = standing(row, due, now, venue);
    let full = ctx.may_file;
    let review = match row {
        Some(r) if full => match (r.reviewed_at, r.state()) {
            (Some(at), ReportState::Accepted | ReportState::Returned) => Some(ReviewView {
                decision: if r.state() == ReportState::Accepted {
                    Decision::Accept
                } else {
                    Decision::Return
                },
                at: utc(from_db(at)),
                by: user_name(conn, r.reviewed_by)?,
                comment: r.review_comment.clone(),
            }),
            _ => None,
        },
        _ => None,
    };
    Ok(ReportView {
        session_id: ctx.held.session_id,
        meeting_id: ctx.meeting.id,
        title: ctx.held.title.clone(),
        kind,
        state: s.state,
        content: row.map(Row::content).transpose()?.unwrap_or_default(),
        due_at: s.due_at,
        first_submitted_at: s.first_submitted_at,
        submitted_at: row.and_then(|r| r.submitted_at).map(|t| utc(from_db(t))),
        on_time: s.on_time,
        late: s.late,
        review,
        history: match row {
            Some(r) if full => history(conn, r.id)?,
            _ => vec![],
        },
        version: row.map_or(0, |r| r.version),
        updated_at: row.map(|r| utc(from_db(r.updated_at))),
    })
}

/// One report of a session: in full for its organisers and the secretariat; for
/// anyone else (signed in or not) only once accepted, and then its content and dates.
pub fn get(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    session_id: i64,
    kind: ReportKind,
) -> Result<ReportView, ApiError> {
    let ctx = context(conn, viewer, session_id)?;
    let row = row_of(conn, session_id, kind)?;
    if !ctx.may_file
        && row
            .as_ref()
            .is_none_or(|r| r.state() != ReportState::Accepted)
    {
        return Err(ApiError::NotFound("report"));
    }
    view(conn, &ctx, kind, row.as_ref(), crate::time::now())
}

/// Refuses a caller who may not file this session's reports, and a session that has
/// not begun.
fn may_write(ctx: &Context, actor: &AuthUser, now: DateTime<Utc>) -> Result<(), ApiError> {
    if !ctx.may_file {
        return Err(ApiError::Forbidden(format!(
            "only the organisers and rapporteurs of session {} (or the secretariat) file its reports",
            ctx.held.session_id
        )));
    }
    if now < ctx.held.starts_at && !actor.is_secretariat() {
        return Err(ApiError::conflict(
            Code::NotHeld,
            format!(
                "session {} has not begun; its reports open at {}",
                ctx.held.session_id,
                utc(ctx.held.starts_at)
            ),
        ));
    }
    Ok(())
}

/// When an accepted report's public content changes, the public pages learn of it.
fn public_changed(conn: &mut DbConn, meeting_id: i64) -> Result<(), ApiError> {
    let last: Option<NaiveDateTime> = meetings::table
        .find(meeting_id)
        .select(meetings::feed_changed_at)
        .first(conn)?;
    crate::feeds::truth::revised(conn, meeting_id, last).map(|_| ())
}

/// Saves a report's content as a draft (a report returned by the secretariat becomes
/// a draft again). Organisers and rapporteurs save until they submit; the secretariat
/// may correct a report in any state, which keeps its state.
pub fn save(
    conn: &mut DbConn,
    actor: &AuthUser,
    session_id: i64,
    kind: ReportKind,
    content: ReportContent,
    expected: &Option<Vec<String>>,
) -> Result<ReportView, ApiError> {
    save_at(
        conn,
        actor,
        session_id,
        kind,
        content,
        expected,
        crate::time::now(),
    )
}

/// [`save`] at a given instant (the demo writes its meeting's reports as if held).
pub fn save_at(
    conn: &mut DbConn,
    actor: &AuthUser,
    session_id: i64,
    kind: ReportKind,
    content: ReportContent,
    expected: &Option<Vec<String>>,
    now: DateTime<Utc>,
) -> Result<ReportView, ApiError> {
    let content = content.tidy();
    let mut c = Checker::new();
    content.check_draft(kind, &mut c);
    c.finish()?;
    let who = Some(actor.clone());
    crate::db::write_tx(conn, |conn| {
        let ctx = context(conn, &who, session_id)?;
        may_write(&ctx, actor, now)?;
        let row = row_of(conn, session_id, kind)?;
        let (current_tag, current_state) = stored(kind, session_id, row.as_ref());
        crate::etag::check(expected, &current_tag)?;
        let state = current_state;
        if matches!(state, ReportState::Submitted | ReportState::Accepted)
            && !actor.is_secretariat()
        {
            return Err(ApiError::conflict(
                Code::InvalidTransition,
                format!(
                    "the {} report is {}; it changes again only if the secretariat returns it",
                    kind.as_str(),
                    state.as_str()
                ),
            ));
        }
        let state = match state {
            ReportState::Returned | ReportState::NotStarted => ReportState::Draft,
            s => s,
        };
        // A correction keeps a submitted or accepted report whole.
        if matches!(state, ReportState::Submitted | ReportState::Accepted) {
            let mut c = Checker::new();
            content.check_complete(kind, &mut c);
            c.finish()?;
        }
        let text = serde_json::to_string(&content).map_err(|e| ApiError::Internal(e.into()))?;
        let at = to_db(now);
        let id = match &row {
            Some(r) => {
                let n = diesel::update(sr::table.find(r.id).filter(sr::version.eq(r.version)))
                    .set((
                        sr::content.eq(&text),
                        sr::state.eq(state.as_str()),
                        sr::version.eq(r.version + 1),
                        sr::updated_at.eq(at),
                        sr::updated_by.eq(actor.id),
                    ))
                    .execute(conn)?;
                if n == 0 {
                    return Err(ApiError::PreconditionFailed);
                }
                r.id
            }
            None => diesel::insert_into(sr::table)
                .values((
                    sr::meeting_id.eq(ctx.meeting.id),
                    sr::session_id.eq(session_id),
                    sr::kind.eq(kind.as_str()),
                    sr::state.eq(state.as_str()),
                    sr::content.eq(&text),
                    sr::version.eq(1),
                    sr::created_at.eq(at),
                    sr::updated_at.eq(at),
                    sr::updated_by.eq(actor.id),
                ))
                .returning(sr::id)
                .get_result(conn)
                .map_err(|e| match e {
                    diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    ) => ApiError::PreconditionFailed,
                    e => e.into(),
                })?,
        };
        let before = row
            .as_ref()
            .map(Row::content)
            .transpose()?
            .unwrap_or_default();
        audit::record(
            conn,
            Some(actor.id),
            "report.save",
            ENTITY,
            id,
            Some(ctx.meeting.id),
            json!({"session_id": session_id, "kind": kind.as_str(),
                   "changes": audit::diff(&json!(before), &json!(content))}),
        )?;
        if state == ReportState::Accepted {
            public_changed(conn, ctx.meeting.id)?;
        }
        let row = row_of(conn, session_id, kind)?;
        view(conn, &ctx, kind, row.as_ref(), now)
    })
}

/// Submits a report for review: it must hold what its kind needs. The first
/// submission's instant decides whether it came on time.
pub fn submit(
    conn: &mut DbConn,
    actor: &AuthUser,
    session_id: i64,
    kind: ReportKind,
    expected: &Option<Vec<String>>,
) -> Result<ReportView, ApiError> {
    submit_at(conn, actor, session_id, kind, expected, crate::time::now())
}

/// [`submit`] at a given instant.
pub fn submit_at(
    conn: &mut DbConn,
    actor: &AuthUser,
    session_id: i64,
    kind: ReportKind,
    expected: &Option<Vec<String>>,
    now: DateTime<Utc>,
) -> Result<ReportView, ApiError> {
    let who = Some(actor.clone());
    crate::db::write_tx(conn, |conn| {
        let ctx = context(conn, &who, session_id)?;
        may_write(&ctx, actor, now)?;
        let row = row_of(conn, session_id, kind)?;
        let (current_tag, current_state) = stored(kind, session_id, row.as_ref());
        crate::etag::check(expected, &current_tag)?;
        if matches!(
            current_state,
            ReportState::Submitted | ReportState::Accepted
        ) {
            return Err(ApiError::conflict(
                Code::InvalidTransition,
                format!(
                    "the {} report is {} already",
                    kind.as_str(),
                    current_state.as_str()
                ),
            ));
        }
        let mut c = Checker::new();
        let content = row
            .as_ref()
            .map(Row::content)
            .transpose()?
            .unwrap_or_default();
        content.check_complete(kind, &mut c);
        c.finish()?;
        let Some(r) = row else {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "a complete report without a row"
            )));
        };
        let at = to_db(now);
        let n = diesel::update(sr::table.find(r.id).filter(sr::version.eq(r.version)))
            .set((
                sr::state.eq(ReportState::Submitted.as_str()),
                sr::version.eq(r.version + 1),
                sr::updated_at.eq(at),
                sr::updated_by.eq(actor.id),
                sr::submitted_at.eq(at),
                sr::first_submitted_at.eq(r.first_submitted_at.unwrap_or(at)),
            ))
            .execute(conn)?;
        if n == 0 {
            return Err(ApiError::PreconditionFailed);
        }
        let due = ctx.deadlines.due(kind, &ctx.held);
        audit::record(
            conn,
            Some(actor.id),
            "report.submit",
            ENTITY,
            r.id,
            Some(ctx.meeting.id),
            json!({"session_id": session_id, "kind": kind.as_str(),
                   "on_time": r.first_submitted_at.unwrap_or(at) <= to_db(due)}),
        )?;
        let row = row_of(conn, session_id, kind)?;
        view(conn, &ctx, kind, row.as_ref(), now)
    })
}

/// The secretariat accepts a submitted report (it becomes public) or returns it with
/// a comment (the organisers change it and submit again). An accepted report may be
/// returned later, which takes it off the public pages.
pub fn review(
    conn: &mut DbConn,
    actor: &AuthUser,
    session_id: i64,
    kind: ReportKind,
    body: &ReviewRequest,
    expected: &Option<Vec<String>>,
) -> Result<ReportView, ApiError> {
    review_at(
        conn,
        actor,
        session_id,
        kind,
        body,
        expected,
        crate::time::now(),
    )
}

/// [`review`] at a given instant.
pub fn review_at(
    conn: &mut DbConn,
    actor: &AuthUser,
    session_id: i64,
    kind: ReportKind,
    body: &ReviewRequest,
    expected: &Option<Vec<String>>,
    now: DateTime<Utc>,
) -> Result<ReportView, ApiError> {
    actor.require(Role::Secretariat)?;
    let comment = body
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    let mut c = Checker::new();
    if let Some(t) = &comment {
        c.max_len("comment", t, LONGEST_COMMENT);
    }
    if body.decision == Decision::Return && comment.is_none() {
        c.add(
            "comment",
            "required",
            "a returned report needs a comment saying what to change",
        );
    }
    c.finish()?;
    let who = Some(actor.clone());
    crate::db::write_tx(conn, |conn| {
        let ctx = context(conn, &who, session_id)?;
        let row = row_of(conn, session_id, kind)?;
        let (current_tag, current_state) = stored(kind, session_id, row.as_ref());
        crate::etag::check(expected, &current_tag)?;
        let allowed = match body.decision {
            Decision::Accept => current_state == ReportState::Submitted,
            Decision::Return => {
                matches!(
                    current_state,
                    ReportState::Submitted | ReportState::Accepted
                )
            }
        };
        let (Some(r), true) = (row, allowed) else {
            return Err(ApiError::conflict(
                Code::InvalidTransition,
                format!(
                    "the {} report is {}; only a submitted report is {}",
                    kind.as_str(),
                    current_state.as_str(),
                    match body.decision {
                        Decision::Accept => "accepted",
                        Decision::Return => "returned (or an accepted one)",
                    }
                ),
            ));
        };
        let state = match body.decision {
            Decision::Accept => ReportState::Accepted,
            Decision::Return => ReportState::Returned,
        };
        let at = to_db(now);
        let n = diesel::update(sr::table.find(r.id).filter(sr::version.eq(r.version)))
            .set((
                sr::state.eq(state.as_str()),
                sr::version.eq(r.version + 1),
                sr::updated_at.eq(at),
                sr::reviewed_at.eq(at),
                sr::reviewed_by.eq(actor.id),
                sr::review_comment.eq(comment.as_deref()),
            ))
            .execute(conn)?;
        if n == 0 {
            return Err(ApiError::PreconditionFailed);
        }
        audit::record(
            conn,
            Some(actor.id),
            match body.decision {
                Decision::Accept => "report.accept",
                Decision::Return => "report.return",
            },
            ENTITY,
            r.id,
            Some(ctx.meeting.id),
            json!({"session_id": session_id, "kind": kind.as_str(), "comment": comment}),
        )?;
        if state == ReportState::Accepted || current_state == ReportState::Accepted {
            public_changed(conn, ctx.meeting.id)?;
        }
        let row = row_of(conn, session_id, kind)?;
        view(conn, &ctx, kind, row.as_ref(), now)
    })
}

/// Every stored report of a meeting, by session and kind.
fn rows_of(
    conn: &mut DbConn,
    meeting_id: i64,
) -> Result<HashMap<(i64, ReportKind), Row>, ApiError> {
    let rows: Vec<(i64, Row)> = sr::table
        .filter(sr::meeting_id.eq(meeting_id))
        .select((sr::session_id, Row::as_select()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, r)| ReportKind::parse(&r.kind).map(|k| ((s, k), r)))
        .collect())
}

/// Where the reports of a meeting's held sessions stand: every session for the
/// secretariat, the caller's own sessions for anyone else; filtered by kind, state
/// and lateness, in start order.
pub fn list(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ListReportsQuery,
) -> Result<Paginated<SessionReports>, ApiError> {
    let page = Page::new(q.page, q.per_page)?;
    let now = crate::time::now();
    let m = load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let venue = m.venue()?;
    let d = deadlines(conn, &m)?;
    let held = held(conn, meeting_id, None)?;
    let filers = filers(conn, &held)?;
    let email = account_email(conn, actor.id)?;
    let rows = rows_of(conn, meeting_id)?;
    let kinds: Vec<ReportKind> = q.kind.map_or(ReportKind::ALL.to_vec(), |k| vec![k]);
    let mut out = vec![];
    for h in &held {
        let f = filers.get(&h.session_id).cloned().unwrap_or_default();
        if !actor.is_secretariat() && !f.admits(actor.id, &email) {
            continue;
        }
        let st = |k: ReportKind| standing(rows.get(&(h.session_id, k)), d.due(k, h), now, venue);
        let (short, full) = (st(ReportKind::Short), st(ReportKind::Full));
        let pick = |k: ReportKind| {
            if k == ReportKind::Short {
                &short
            } else {
                &full
            }
        };
        if let Some(want) = q.state
            && !kinds.iter().any(|k| pick(*k).state == want)
        {
            continue;
        }
        if let Some(late) = q.late
            && kinds.iter().any(|k| pick(*k).late) != late
        {
            continue;
        }
        out.push(SessionReports {
            session_id: h.session_id,
            title: h.title.clone(),
            session_type: h.type_code.clone(),
            theme: h.theme.as_ref().map(|(_, n)| n.clone()),
            starts_at: crate::time::show(h.starts_at, venue),
            ends_at: crate::time::show(h.ends_at, venue),
            organisers: f
                .people
                .iter()
                .map(|p| Organiser {
                    name: p.name.clone(),
                    role: p.role.clone(),
                    timezone: p.timezone.clone(),
                })
                .collect(),
            short,
            full,
        });
    }
    let total = out.len() as i64;
    let items = out
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(0))
        .take(usize::try_from(page.per_page).unwrap_or(0))
        .collect();
    Ok(page.of(items, total))
}

/// A report an earlier session on this installation still owes, for the
/// past-organiser screening rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The organiser's email it was found by (none: found by the proposing account).
    pub email: Option<String>,
    /// The session.
    pub session_id: i64,
    /// Its title.
    pub title: String,
    /// Its meeting's name.
    pub meeting: String,
    /// Which report.
    pub kind: ReportKind,
    /// When it was due (UTC).
    pub due: DateTime<Utc>,
}

/// The reports owed by sessions of other meetings on this installation that this
/// account proposed, or that these emails (any email, for `None`) organised: every
/// report whose deadline has passed and that the secretariat has
/// not accepted.
pub fn missing_for(
    conn: &mut DbConn,
    meeting_id: i64,
    proposer_id: i64,
    emails: Option<&[String]>,
    now: DateTime<Utc>,
) -> Result<Vec<Missing>, ApiError> {
    let emails: Option<HashSet<String>> = emails.map(|es| {
        es.iter()
            .map(|e| crate::validate::normalise_email(e))
            .collect()
    });
    let by_account: Vec<(i64, i64)> = sessions::table
        .inner_join(proposals::table.on(sessions::proposal_id.eq(proposals::id.nullable())))
        .filter(proposals::proposer_id.eq(proposer_id))
        .filter(sessions::meeting_id.ne(meeting_id))
        .select((sessions::id, sessions::meeting_id))
        .load(conn)?;
    let by_email: Vec<(i64, i64, Option<String>)> = session_people::table
        .inner_join(sessions::table)
        .filter(sessions::meeting_id.ne(meeting_id))
        .filter(session_people::role.eq("organiser"))
        .filter(session_people::email.is_not_null())
        .select((sessions::id, sessions::meeting_id, session_people::email))
        .load(conn)?;
    // Every way each session was found: by the account (no email) and by each of
    // its organisers' emails, so that any one of them is told.
    let mut meetings_of: BTreeMap<i64, Vec<(i64, Option<String>)>> = BTreeMap::new();
    for (s, m) in by_account {
        meetings_of.entry(m).or_default().push((s, None));
    }
    for (s, m, e) in by_email {
        let e = e.map(|e| crate::validate::normalise_email(&e));
        if let Some(e) = e.filter(|e| emails.as_ref().is_none_or(|set| set.contains(e))) {
            let found = meetings_of.entry(m).or_default();
            if !found.contains(&(s, Some(e.clone()))) {
                found.push((s, Some(e)));
            }
        }
    }
    let mut out = vec![];
    for (mid, wanted) in meetings_of {
        let Some(m) = crate::meetings::queries::find(conn, mid)? else {
            continue;
        };
        let d = deadlines(conn, &m)?;
        let held: HashMap<i64, Held> = held(conn, mid, None)?
            .into_iter()
            .map(|h| (h.session_id, h))
            .collect();
        let rows = rows_of(conn, mid)?;
        for (sid, email) in wanted {
            let Some(h) = held.get(&sid) else { continue };
            for kind in ReportKind::ALL {
                let due = d.due(*kind, h);
                let accepted = rows
                    .get(&(sid, *kind))
                    .is_some_and(|r| r.state() == ReportState::Accepted);
                if due < now && !accepted {
                    out.push(Missing {
                        email: email.clone(),
                        session_id: sid,
                        title: h.title.clone(),
                        meeting: m.name.clone(),
                        kind: *kind,
                        due,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// A session's accepted reports, short then full, for its public page.
pub fn accepted(
    conn: &mut DbConn,
    session_id: i64,
) -> Result<(Option<ReportContent>, Option<ReportContent>), ApiError> {
    let rows: Vec<Row> = sr::table
        .filter(sr::session_id.eq(session_id))
        .filter(sr::state.eq(ReportState::Accepted.as_str()))
        .select(Row::as_select())
        .load(conn)?;
    let of = |k: ReportKind| {
        rows.iter()
            .find(|r| r.kind == k.as_str())
            .map(Row::content)
            .transpose()
    };
    Ok((of(ReportKind::Short)?, of(ReportKind::Full)?))
}

/// How long before a full report's deadline its filers are reminded.
const FULL_REMINDER: chrono::Duration = chrono::Duration::days(3);

/// Reminds the filers of every report that is due soon and not submitted: a short
/// report from its session's end, a full report from three days before its deadline
/// (never before the session ends). Each organiser, rapporteur and proposing account
/// with an address hears once per report (the outbox keeps one message per key), in
/// their own zone, so every instance may sweep. Returns the messages owed now.
pub fn remind(conn: &mut DbConn, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let ids: Vec<i64> = schedule_versions::table
        .inner_join(meetings::table.on(meetings::id.eq(schedule_versions::meeting_id)))
        .filter(schedule_versions::published_at.is_not_null())
        .filter(meetings::archived_at.is_null())
        .select(meetings::id)
        .distinct()
        .load(conn)?;
    let mut owed = 0;
    for id in ids {
        // One meeting's trouble does not keep the others' reminders back.
        match crate::db::write_tx(conn, |c| remind_meeting(c, id, now)) {
            Ok(n) => owed += n,
            Err(e) => {
                tracing::warn!(meeting = id, error = %e, "report reminders failed for this meeting")
            }
        }
    }
    Ok(owed)
}

fn remind_meeting(
    conn: &mut DbConn,
    meeting_id: i64,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    use crate::notify::messages::Mail;
    let Some(m) = crate::meetings::queries::find(conn, meeting_id)? else {
        return Ok(0);
    };
    let venue = m.venue()?;
    let d = deadlines(conn, &m)?;
    let held: Vec<Held> = held(conn, meeting_id, None)?
        .into_iter()
        .filter(|h| h.ends_at <= now)
        // A session whose two deadlines have passed is owed no reminder.
        .filter(|h| ReportKind::ALL.iter().any(|k| now < d.due(*k, h)))
        .collect();
    if held.is_empty() {
        return Ok(0);
    }
    let rows = rows_of(conn, meeting_id)?;
    let filers = filers(conn, &held)?;
    let mut owed = 0;
    for h in &held {
        for kind in ReportKind::ALL {
            let due = d.due(*kind, h);
            let opens = match kind {
                ReportKind::Short => h.ends_at,
                ReportKind::Full => (due - FULL_REMINDER).max(h.ends_at),
            };
            let submitted = rows
                .get(&(h.session_id, *kind))
                .is_some_and(|r| r.first_submitted_at.is_some());
            if submitted || now < opens || now >= due {
                continue;
            }
            let f = filers.get(&h.session_id).cloned().unwrap_or_default();
            let mut to: Vec<(String, Option<i64>, String, Option<String>)> = f
                .people
                .iter()
                .filter_map(|p| {
                    p.email
                        .clone()
                        .map(|e| (e, None, p.name.clone(), p.timezone.clone()))
                })
                .collect();
            if let Some(account) = f.proposer {
                let row: Option<(String, String)> = users::table
                    .find(account)
                    .select((users::email, users::name))
                    .first(conn)
                    .optional()?;
                if let Some((email, name)) = row {
                    to.push((
                        crate::validate::normalise_email(&email),
                        Some(account),
                        name,
                        None,
                    ));
                }
            }
            let mut seen = HashSet::new();
            for (email, account, name, zone) in to {
                if !seen.insert(email.clone()) {
                    continue;
                }
                let zone: Tz = zone
                    .as_deref()
                    .and_then(|z| z.parse().ok())
                    .unwrap_or(venue);
                let mail = Mail::ReportDue {
                    name,
                    meeting: m.name.clone(),
                    meeting_id,
                    title: h.title.clone(),
                    kind: kind.as_str().to_string(),
                    due: format!(
                        "{} ({})",
                        due.with_timezone(&zone).format("%a %-d %b %Y %H:%M"),
                        zone.name()
                    ),
                };
                crate::notify::outbox::email_address(
                    conn,
                    Some(meeting_id),
                    account,
                    &email,
                    &format!("report-due:{}:{}:{email}", h.session_id, kind.as_str()),
                    &mail,
                )?;
                owed += 1;
            }
        }
    }
    Ok(owed)
}

/// Saves a report's content and submits it, in one transaction: the form's "submit"
/// (a refusal of either keeps nothing).
pub fn save_and_submit(
    conn: &mut DbConn,
    actor: &AuthUser,
    session_id: i64,
    kind: ReportKind,
    content: ReportContent,
    expected: &Option<Vec<String>>,
) -> Result<ReportView, ApiError> {
    crate::db::write_tx(conn, |c| {
        let v = save(c, actor, session_id, kind, content.clone(), expected)?;
        submit(c, actor, session_id, kind, &Some(vec![etag(&v)]))
    })
}

/// The organisers and rapporteurs of a held session, with their zones, for a page
/// that shows its report to someone [`get`] let see it in full.
pub fn organisers_of(conn: &mut DbConn, session_id: i64) -> Result<Vec<Organiser>, ApiError> {
    let meeting_id: i64 = sessions::table
        .find(session_id)
        .select(sessions::meeting_id)
        .first(conn)?;
    let held = held(conn, meeting_id, Some(session_id))?;
    Ok(filers(conn, &held)?
        .remove(&session_id)
        .unwrap_or_default()
        .people
        .into_iter()
        .map(|p| Organiser {
            name: p.name,
            role: p.role,
            timezone: p.timezone,
        })
        .collect())
}

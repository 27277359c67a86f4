//! Storage of sessions and their people.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::types::*;
use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{
    proposal_decisions as pd, proposal_participants as pp, proposals, session_people as sp,
    sessions, themes,
};
use crate::error::ApiError;
use crate::evaluation::phase::{self, Phase};
use crate::meetings::models::{Meeting, SessionType};
use crate::meetings::queries::session_types_of;
use crate::proposals::types::ParticipantInput;
use crate::scheduling::solver::diversity::{Member, line_up};
use crate::selection::types::Outcome;
use crate::time::{from_db, now, to_db};
use crate::validate::Checker;

/// A session row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// Source proposal.
    pub proposal_id: Option<i64>,
    /// Type.
    pub session_type_id: i64,
    /// Theme.
    pub theme_id: Option<i64>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Minutes.
    pub duration_min: i32,
    /// Expected attendance.
    pub expected_attendance: i32,
    /// Needs a hybrid room.
    pub hybrid: bool,
    /// Join link.
    pub join_url: Option<String>,
    /// `active` or `cancelled`.
    pub status: String,
    /// Version.
    pub version: i32,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Updated (UTC).
    pub updated_at: NaiveDateTime,
    /// Pinned room.
    pub pinned_room_id: Option<i64>,
    /// Pinned slot.
    pub pinned_slot_id: Option<i64>,
    /// Languages it is interpreted into, a JSON array.
    pub interpretation: String,
    /// Needs real-time captioning.
    pub captioning: bool,
    /// Needs sign language interpretation.
    pub sign_language: bool,
}

/// A person of a session.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sp)]
pub struct PersonRow {
    /// The session.
    pub session_id: i64,
    /// Role.
    pub role: String,
    /// Name.
    pub name: String,
    /// Email.
    pub email: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// Stakeholder group.
    pub stakeholder_group: Option<String>,
    /// Regional group.
    pub regional_group: Option<String>,
    /// Gender.
    pub gender: Option<String>,
    /// Home zone.
    pub timezone: Option<String>,
    /// `onsite` or `online`.
    pub participation: Option<String>,
}

/// Seats expected when nothing better is known, by session type.
pub fn default_attendance(code: &str) -> i32 {
    match code {
        "opening_ceremony" | "closing_ceremony" => 1000,
        "main_session" => 400,
        "workshop" => 100,
        "open_forum" | "town_hall" => 80,
        "launch_award" | "dynamic_coalition" | "nri" | "day_zero" => 60,
        _ => 50,
    }
}

/// Finds a session.
pub fn find(conn: &mut DbConn, id: i64) -> Result<Option<Session>, ApiError> {
    Ok(sessions::table
        .find(id)
        .select(Session::as_select())
        .first(conn)
        .optional()?)
}

/// The people of some sessions, by session id, in form order.
pub fn people_of(
    conn: &mut DbConn,
    ids: &[i64],
) -> Result<BTreeMap<i64, Vec<PersonRow>>, ApiError> {
    let rows: Vec<PersonRow> = sp::table
        .filter(sp::session_id.eq_any(ids))
        .order((sp::session_id, sp::position))
        .select(PersonRow::as_select())
        .load(conn)?;
    let mut out: BTreeMap<i64, Vec<PersonRow>> = BTreeMap::new();
    for r in rows {
        out.entry(r.session_id).or_default().push(r);
    }
    Ok(out)
}

/// The line-up diversity of a session's people (each person once).
pub fn diversity_of(people: &[PersonRow]) -> crate::scheduling::solver::diversity::LineUpDiversity {
    let mut seen = std::collections::BTreeSet::new();
    let members: Vec<Member<'_>> = people
        .iter()
        .filter(|p| {
            seen.insert(
                p.email
                    .as_deref()
                    .map(crate::validate::normalise_email)
                    .unwrap_or_else(|| p.name.to_lowercase()),
            )
        })
        .map(|p| Member {
            stakeholder_group: p.stakeholder_group.as_deref(),
            regional_group: p.regional_group.as_deref(),
            gender: p.gender.as_deref(),
            online: p.participation.as_deref() == Some("online"),
        })
        .collect();
    line_up(&members)
}

/// What remote participation in a session still lacks.
pub fn warnings(hybrid: bool, join_url: Option<&str>, people: &[PersonRow]) -> Vec<String> {
    let mut out = vec![];
    let online = people
        .iter()
        .any(|p| p.participation.as_deref() == Some("online"));
    if hybrid && !people.iter().any(|p| p.role == "online_moderator") {
        out.push("hybrid session without an online moderator".to_string());
    }
    if hybrid && join_url.is_none() {
        out.push("hybrid session without an online join link".to_string());
    }
    if online && !hybrid {
        out.push("people take part online but the session does not need a hybrid room".to_string());
    }
    out
}

/// Views of sessions; `full` adds people's email and gender (secretariat).
pub fn views(
    conn: &mut DbConn,
    rows: Vec<Session>,
    full: bool,
) -> Result<Vec<SessionView>, ApiError> {
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let mut people = people_of(conn, &ids)?;
    let types: BTreeMap<i64, String> = crate::db::schema::session_types::table
        .filter(crate::db::schema::session_types::id.eq_any(rows.iter().map(|s| s.session_type_id)))
        .select((
            crate::db::schema::session_types::id,
            crate::db::schema::session_types::code,
        ))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let theme_names: BTreeMap<i64, String> = themes::table
        .filter(themes::id.eq_any(rows.iter().filter_map(|s| s.theme_id)))
        .select((themes::id, themes::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let ts = |t: NaiveDateTime| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Ok(rows
        .into_iter()
        .map(|s| {
            let mine = people.remove(&s.id).unwrap_or_default();
            let warnings = warnings(s.hybrid, s.join_url.as_deref(), &mine);
            SessionView {
                id: s.id,
                meeting_id: s.meeting_id,
                proposal_id: s.proposal_id,
                session_type: types.get(&s.session_type_id).cloned().unwrap_or_default(),
                theme: s.theme_id.and_then(|t| theme_names.get(&t).cloned()),
                theme_id: s.theme_id,
                title: s.title,
                description: s.description,
                duration_min: s.duration_min,
                expected_attendance: s.expected_attendance,
                hybrid: s.hybrid,
                interpretation: serde_json::from_str(&s.interpretation).unwrap_or_default(),
                captioning: s.captioning,
                sign_language: s.sign_language,
                join_url: s.join_url,
                status: s.status,
                diversity: diversity_of(&mine),
                warnings,
                pin: s
                    .pinned_room_id
                    .zip(s.pinned_slot_id)
                    .map(|(room_id, slot_id)| Pin { room_id, slot_id }),
                people: mine
                    .into_iter()
                    .map(|p| PersonView {
                        role: p.role,
                        name: p.name,
                        organisation: p.organisation,
                        stakeholder_group: p.stakeholder_group,
                        regional_group: p.regional_group,
                        timezone: p.timezone,
                        participation: p.participation,
                        email: if full { p.email } else { None },
                        gender: if full { p.gender } else { None },
                    })
                    .collect(),
                version: s.version,
                created_at: ts(s.created_at),
                updated_at: ts(s.updated_at),
            }
        })
        .collect())
}

/// One session's view.
pub fn view(conn: &mut DbConn, s: Session, full: bool) -> Result<SessionView, ApiError> {
    views(conn, vec![s], full)?
        .pop()
        .ok_or(ApiError::NotFound("session"))
}

/// A person to store with a session (also read back, in this order, from a
/// proposal's participants).
#[derive(Queryable)]
struct NewPerson {
    role: String,
    name: String,
    email: Option<String>,
    organisation: Option<String>,
    stakeholder_group: Option<String>,
    regional_group: Option<String>,
    gender: Option<String>,
    timezone: Option<String>,
    participation: Option<String>,
}

impl From<&ParticipantInput> for NewPerson {
    fn from(p: &ParticipantInput) -> Self {
        NewPerson {
            role: p.role.as_str().into(),
            name: p.name.trim().into(),
            email: p.email.as_deref().map(|e| e.trim().to_string()),
            organisation: p.organisation.as_deref().map(|o| o.trim().to_string()),
            stakeholder_group: p.stakeholder_group.map(|g| g.as_str().into()),
            regional_group: p.regional_group.map(|g| g.as_str().into()),
            gender: p.gender.map(|g| g.as_str().into()),
            timezone: p.timezone.clone(),
            participation: p.participation.map(|g| g.as_str().into()),
        }
    }
}

/// What a new session row holds.
struct NewSession<'a> {
    meeting_id: i64,
    proposal_id: Option<i64>,
    session_type_id: i64,
    theme_id: Option<i64>,
    title: &'a str,
    description: &'a str,
    duration_min: i32,
    expected_attendance: i32,
    hybrid: bool,
    join_url: Option<String>,
    needs: Needs,
}

/// What a session needs besides a room: interpretation into languages, real-time
/// captioning, sign language.
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// Languages.
    pub interpretation: Vec<String>,
    /// Captioning.
    pub captioning: bool,
    /// Sign language.
    pub sign_language: bool,
}

fn insert(conn: &mut DbConn, s: &NewSession<'_>, people: &[NewPerson]) -> Result<i64, ApiError> {
    let at = to_db(now());
    let id: i64 = crate::with_backend!(conn, |c| diesel::insert_into(sessions::table)
        .values((
            sessions::meeting_id.eq(s.meeting_id),
            sessions::proposal_id.eq(s.proposal_id),
            sessions::session_type_id.eq(s.session_type_id),
            sessions::theme_id.eq(s.theme_id),
            sessions::title.eq(s.title),
            sessions::description.eq(s.description),
            sessions::duration_min.eq(s.duration_min),
            sessions::expected_attendance.eq(s.expected_attendance),
            sessions::hybrid.eq(s.hybrid),
            sessions::join_url.eq(&s.join_url),
            sessions::interpretation.eq(crate::meetings::queries::languages_text(
                &s.needs.interpretation,
            )),
            sessions::captioning.eq(s.needs.captioning),
            sessions::sign_language.eq(s.needs.sign_language),
            sessions::status.eq(crate::sessions::types::SessionStatus::Active.as_str()),
            sessions::version.eq(1),
            sessions::created_at.eq(at),
            sessions::updated_at.eq(at),
        ))
        .returning(sessions::id)
        .get_result(c))?;
    insert_people(conn, id, people)?;
    if let Some(t) = &s.join_url
        && t.contains("{session_id}")
    {
        diesel::update(sessions::table.find(id))
            .set(sessions::join_url.eq(t.replace("{session_id}", &id.to_string())))
            .execute(conn)?;
    }
    Ok(id)
}

/// Stores a session's line-up in order, after any people it has (positions follow).
fn insert_people(conn: &mut DbConn, id: i64, people: &[NewPerson]) -> Result<(), ApiError> {
    let start: Option<i32> = sp::table
        .filter(sp::session_id.eq(id))
        .select(diesel::dsl::max(sp::position))
        .first(conn)?;
    let start = start.map_or(0, |p| p + 1);
    for (i, p) in people.iter().enumerate() {
        diesel::insert_into(sp::table)
            .values((
                sp::session_id.eq(id),
                sp::position.eq(start + i as i32),
                sp::role.eq(&p.role),
                sp::name.eq(&p.name),
                sp::email.eq(&p.email),
                sp::organisation.eq(&p.organisation),
                sp::stakeholder_group.eq(&p.stakeholder_group),
                sp::regional_group.eq(&p.regional_group),
                sp::gender.eq(&p.gender),
                sp::timezone.eq(&p.timezone),
                sp::participation.eq(&p.participation),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn type_by_code<'a>(types: &'a [SessionType], code: &str) -> Option<&'a SessionType> {
    types.iter().find(|t| t.code == code)
}

/// Creates a session that does not come from the call, audited.
pub fn create(
    conn: &mut DbConn,
    actor: i64,
    meeting: &Meeting,
    req: &CreateSessionRequest,
) -> Result<Session, ApiError> {
    crate::db::write_tx(conn, |c| {
        let types = session_types_of(c, meeting.id)?;
        let mut ck = Checker::new();
        ck.text("title", &req.title, 300);
        ck.languages("interpretation", &req.interpretation);
        ck.max_len("description", &req.description, 20_000);
        ck.range("expected_attendance", req.expected_attendance, 1, 100_000);
        if let Some(u) = &req.join_url {
            ck.url("join_url", u);
        }
        crate::proposals::content::check_participants(&mut ck, "people", &req.people);
        let t = type_by_code(&types, &req.session_type);
        match t {
            None => ck.add(
                "session_type",
                "exists",
                format!(
                    "{:?} is not a session type of this meeting",
                    req.session_type
                ),
            ),
            Some(t) if !t.durations()?.contains(&req.duration_min) => ck.add(
                "duration_min",
                "allowed_duration",
                format!("a {} lasts one of {:?} minutes", t.name, t.durations()?),
            ),
            Some(_) => {}
        }
        if let Some(th) = req.theme_id {
            let n: i64 = themes::table
                .filter(themes::id.eq(th))
                .filter(themes::meeting_id.eq(meeting.id))
                .count()
                .get_result(c)?;
            if n == 0 {
                ck.add("theme_id", "exists", "not a theme of this meeting");
            }
        }
        ck.finish()?;
        let t = t.ok_or(ApiError::NotFound("session type"))?;
        let people: Vec<NewPerson> = req.people.iter().map(NewPerson::from).collect();
        let id = insert(
            c,
            &NewSession {
                meeting_id: meeting.id,
                proposal_id: None,
                session_type_id: t.id,
                theme_id: req.theme_id,
                title: req.title.trim(),
                description: &req.description,
                duration_min: req.duration_min,
                expected_attendance: req.expected_attendance,
                hybrid: req.hybrid,
                join_url: req.join_url.clone(),
                needs: Needs {
                    interpretation: req.interpretation.clone(),
                    captioning: req.captioning,
                    sign_language: req.sign_language,
                },
            },
            &people,
        )?;
        audit::record(
            c,
            Some(actor),
            "session.create",
            "session",
            id,
            Some(meeting.id),
            json!({"title": req.title, "session_type": req.session_type}),
        )?;
        find(c, id)?.ok_or(ApiError::NotFound("session"))
    })
}

/// What creating sessions from the selection did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FromSelection {
    /// Sessions created now.
    pub created: usize,
    /// Accepted proposals that already had a session.
    pub existing: usize,
    /// Sessions of the meeting now.
    pub sessions: i64,
}

type AcceptedRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i32>,
    (String, bool, bool),
);

/// Creates a session for every accepted proposal (approved, approved if merged,
/// converted to a lightning talk) that has none yet; needs published results.
pub fn from_selection(
    conn: &mut DbConn,
    actor: i64,
    meeting: &Meeting,
    req: &FromSelectionRequest,
) -> Result<FromSelection, ApiError> {
    if let Some(u) = &req.join_url_template {
        let mut ck = Checker::new();
        ck.url("join_url_template", u);
        ck.finish()?;
    }
    crate::db::write_tx(conn, |c| {
        let settings = phase::load(c, meeting.id)?;
        phase::require(
            &settings,
            &[Phase::Published],
            "creating sessions from the selection",
        )?;
        let types = session_types_of(c, meeting.id)?;
        let lightning = type_by_code(&types, "lightning_talk");
        let accepted: Vec<AcceptedRow> = pd::table
            .inner_join(proposals::table)
            .filter(pd::meeting_id.eq(meeting.id))
            // Withdrawn after acceptance: the decision stays on record, no session.
            .filter(
                proposals::status.ne(crate::proposals::types::ProposalStatus::Withdrawn.as_str()),
            )
            .order(pd::proposal_id)
            .select((
                proposals::id,
                pd::outcome,
                proposals::title,
                proposals::description,
                proposals::theme_id,
                proposals::session_type_id,
                proposals::duration_min,
                (
                    proposals::interpretation,
                    proposals::captioning,
                    proposals::sign_language,
                ),
            ))
            .load(c)?;
        let have: Vec<i64> = sessions::table
            .filter(sessions::meeting_id.eq(meeting.id))
            .filter(sessions::proposal_id.is_not_null())
            .select(sessions::proposal_id.assume_not_null())
            .load(c)?;
        let (mut created, mut existing) = (0, 0);
        for (pid, outcome, title, description, theme_id, type_id, duration, asked) in accepted {
            let Some(outcome) = Outcome::parse(&outcome).filter(|o| o.in_programme()) else {
                continue;
            };
            if have.contains(&pid) {
                existing += 1;
                continue;
            }
            let proposed = types.iter().find(|t| Some(t.id) == type_id);
            let t = match outcome {
                Outcome::Lightning => lightning.or(proposed),
                _ => proposed,
            }
            .ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!("proposal {pid} has no session type"))
            })?;
            let allowed = t.durations()?;
            let duration = duration
                .filter(|d| allowed.contains(d))
                .or_else(|| allowed.iter().copied().max())
                .unwrap_or(60);
            let people: Vec<NewPerson> = pp::table
                .filter(pp::proposal_id.eq(pid))
                .order(pp::position)
                .select((
                    pp::role,
                    pp::name,
                    pp::email,
                    pp::organisation,
                    pp::stakeholder_group,
                    pp::regional_group,
                    pp::gender,
                    pp::timezone,
                    pp::participation,
                ))
                .load::<NewPerson>(c)?;
            let hybrid = people
                .iter()
                .any(|p| p.participation.as_deref() == Some("online"));
            let id = insert(
                c,
                &NewSession {
                    meeting_id: meeting.id,
                    proposal_id: Some(pid),
                    session_type_id: t.id,
                    theme_id,
                    title: &title,
                    description: &description,
                    duration_min: duration,
                    expected_attendance: default_attendance(&t.code),
                    hybrid,
                    join_url: req.join_url_template.clone(),
                    // What the proposal asked of the services; the secretariat
                    // changes it on the session.
                    needs: Needs {
                        interpretation: crate::db::json_column(
                            &asked.0,
                            "proposals.interpretation",
                            pid,
                        )?,
                        captioning: asked.1,
                        sign_language: asked.2,
                    },
                },
                &people,
            )?;
            audit::record(
                c,
                Some(actor),
                "session.create",
                "session",
                id,
                Some(meeting.id),
                json!({"proposal_id": pid, "outcome": outcome.as_str(), "session_type": t.code}),
            )?;
            created += 1;
        }
        let total = sessions::table
            .filter(sessions::meeting_id.eq(meeting.id))
            .count()
            .get_result(c)?;
        Ok(FromSelection {
            created,
            existing,
            sessions: total,
        })
    })
}

/// A page of a meeting's sessions, optionally of one status.
pub fn list(
    conn: &mut DbConn,
    meeting_id: i64,
    status: Option<SessionStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Session>, i64), ApiError> {
    let mut q = sessions::table
        .filter(sessions::meeting_id.eq(meeting_id))
        .into_boxed();
    let mut count = sessions::table
        .filter(sessions::meeting_id.eq(meeting_id))
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(sessions::status.eq(s.as_str()));
        count = count.filter(sessions::status.eq(s.as_str()));
    }
    let total = count.count().get_result(conn)?;
    let rows = q
        .order(sessions::id)
        .limit(limit)
        .offset(offset)
        .select(Session::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Applies a change, honouring `If-Match`, audited.
pub fn update(
    conn: &mut DbConn,
    actor: i64,
    id: i64,
    req: &UpdateSessionRequest,
    expected: &Option<Vec<String>>,
) -> Result<Session, ApiError> {
    crate::db::write_tx(conn, |c| {
        let s = find(c, id)?.ok_or(ApiError::NotFound("session"))?;
        crate::etag::check(expected, &crate::etag::tag("session", s.id, s.version))?;
        let types = session_types_of(c, s.meeting_id)?;
        let mut ck = Checker::new();
        if let Some(l) = &req.interpretation {
            ck.languages("interpretation", l);
        }
        if let Some(t) = &req.title {
            ck.text("title", t, 300);
        }
        if let Some(d) = &req.description {
            ck.max_len("description", d, 20_000);
        }
        if let Some(a) = req.expected_attendance {
            ck.range("expected_attendance", a, 1, 100_000);
        }
        if let Some(u) = &req.join_url {
            ck.url("join_url", u);
        }
        let new_type = match &req.session_type {
            None => types.iter().find(|t| t.id == s.session_type_id),
            Some(code) => {
                let t = type_by_code(&types, code);
                if t.is_none() {
                    ck.add(
                        "session_type",
                        "exists",
                        format!("{code:?} is not a session type of this meeting"),
                    );
                }
                t
            }
        };
        let duration = req.duration_min.unwrap_or(s.duration_min);
        if let Some(t) = new_type
            && !t.durations()?.contains(&duration)
        {
            let field = if req.duration_min.is_some() {
                "duration_min"
            } else {
                "session_type"
            };
            ck.add(
                field,
                "allowed_duration",
                format!(
                    "a {} lasts one of {:?} minutes, and this session lasts {duration}{}",
                    t.name,
                    t.durations()?,
                    if req.duration_min.is_none() {
                        "; give duration_min too"
                    } else {
                        ""
                    }
                ),
            );
        }
        if let Some(Some(th)) = req.theme_id {
            let n: i64 = themes::table
                .filter(themes::id.eq(th))
                .filter(themes::meeting_id.eq(s.meeting_id))
                .count()
                .get_result(c)?;
            if n == 0 {
                ck.add("theme_id", "exists", "not a theme of this meeting");
            }
        }
        if let Some(people) = &req.people {
            crate::proposals::content::check_participants(&mut ck, "people", people);
        }
        if let Some(Some(pin)) = &req.pin {
            let rooms: i64 = crate::db::schema::rooms::table
                .filter(crate::db::schema::rooms::id.eq(pin.room_id))
                .filter(crate::db::schema::rooms::meeting_id.eq(s.meeting_id))
                .count()
                .get_result(c)?;
            if rooms == 0 {
                ck.add("pin.room_id", "exists", "not a room of this meeting");
            }
            let slots: i64 = crate::db::schema::time_slots::table
                .filter(crate::db::schema::time_slots::id.eq(pin.slot_id))
                .filter(crate::db::schema::time_slots::meeting_id.eq(s.meeting_id))
                .count()
                .get_result(c)?;
            if slots == 0 {
                ck.add("pin.slot_id", "exists", "not a time slot of this meeting");
            }
        }
        ck.finish()?;
        let (pin_room, pin_slot) = match &req.pin {
            None => (s.pinned_room_id, s.pinned_slot_id),
            Some(None) => (None, None),
            Some(Some(p)) => (Some(p.room_id), Some(p.slot_id)),
        };
        let n = diesel::update(
            sessions::table
                .find(id)
                .filter(sessions::version.eq(s.version)),
        )
        .set((
            sessions::title.eq(req.title.as_deref().map(str::trim).unwrap_or(&s.title)),
            sessions::description.eq(req.description.as_deref().unwrap_or(&s.description)),
            sessions::duration_min.eq(req.duration_min.unwrap_or(s.duration_min)),
            sessions::expected_attendance
                .eq(req.expected_attendance.unwrap_or(s.expected_attendance)),
            sessions::hybrid.eq(req.hybrid.unwrap_or(s.hybrid)),
            sessions::join_url.eq(req.join_url.clone().or(s.join_url.clone())),
            sessions::interpretation.eq(req.interpretation.as_deref().map_or(
                s.interpretation.clone(),
                crate::meetings::queries::languages_text,
            )),
            sessions::captioning.eq(req.captioning.unwrap_or(s.captioning)),
            sessions::sign_language.eq(req.sign_language.unwrap_or(s.sign_language)),
            sessions::status.eq(req.status.map_or(s.status.as_str(), |x| x.as_str())),
            sessions::pinned_room_id.eq(pin_room),
            sessions::pinned_slot_id.eq(pin_slot),
            sessions::session_type_id.eq(new_type.map_or(s.session_type_id, |t| t.id)),
            sessions::theme_id.eq(req.theme_id.unwrap_or(s.theme_id)),
            sessions::version.eq(s.version + 1),
            sessions::updated_at.eq(to_db(now())),
        ))
        .execute(c)?;
        if n == 0 {
            return Err(ApiError::PreconditionFailed);
        }
        if let Some(people) = &req.people {
            diesel::delete(sp::table.filter(sp::session_id.eq(id))).execute(c)?;
            let people: Vec<NewPerson> = people.iter().map(NewPerson::from).collect();
            insert_people(c, id, &people)?;
        }
        audit::record(
            c,
            Some(actor),
            if req.status == Some(SessionStatus::Cancelled)
                && s.status != SessionStatus::Cancelled.as_str()
            {
                "session.cancel"
            } else {
                "session.update"
            },
            "session",
            id,
            Some(s.meeting_id),
            json!({"title": req.title, "duration_min": req.duration_min,
                   "expected_attendance": req.expected_attendance, "hybrid": req.hybrid,
                   "interpretation": req.interpretation, "captioning": req.captioning,
                   "sign_language": req.sign_language,
                   "status": req.status.map(|x| x.as_str()), "pin": {"room_id": pin_room, "slot_id": pin_slot},
                   "session_type": req.session_type, "theme_id": req.theme_id,
                   "people": req.people.as_ref().map(|p| p.iter().map(|x| x.name.trim().to_string()).collect::<Vec<_>>())}),
        )?;
        let after = find(c, id)?.ok_or(ApiError::NotFound("session"))?;
        crate::notify::session_changed(
            c,
            &facts(&after),
            after.status == SessionStatus::Cancelled.as_str() && s.status != after.status,
            false,
        )?;
        Ok(after)
    })
}

/// A session's public facts, for the webhooks that tell of its changes.
fn facts(s: &Session) -> crate::notify::SessionFacts<'_> {
    crate::notify::SessionFacts {
        meeting_id: s.meeting_id,
        session_id: s.id,
        title: &s.title,
        status: &s.status,
        version: s.version,
    }
}

/// Merges session `other` into session `id`: its people join (each person once, by
/// email or else by name), the merged session needs a hybrid room if either did, and
/// `other` is cancelled; both audited. Both must be active sessions of one meeting.
pub fn merge(
    conn: &mut DbConn,
    actor: i64,
    id: i64,
    req: &crate::sessions::types::MergeRequest,
) -> Result<Session, ApiError> {
    let mut ck = Checker::new();
    if let Some(t) = &req.title {
        ck.text("title", t, 300);
    }
    if req.session_id == id {
        ck.add(
            "session_id",
            "other",
            "a session cannot be merged into itself",
        );
    }
    ck.finish()?;
    crate::db::write_tx(conn, |c| {
        let s = find(c, id)?.ok_or(ApiError::NotFound("session"))?;
        let o = find(c, req.session_id)?;
        let mut ck = Checker::new();
        match &o {
            Some(o) if o.meeting_id != s.meeting_id => {
                ck.add("session_id", "exists", "not a session of this meeting")
            }
            None => ck.add("session_id", "exists", "not a session of this meeting"),
            Some(o) if o.status != SessionStatus::Active.as_str() => ck.add(
                "session_id",
                "active",
                format!(
                    "session {} is {}; only active sessions merge",
                    o.id, o.status
                ),
            ),
            Some(_) => {}
        }
        ck.finish()?;
        let o = o.ok_or(ApiError::NotFound("session"))?;
        if s.status != SessionStatus::Active.as_str() {
            return Err(ApiError::conflict(
                crate::error::Code::SessionNotActive,
                format!("session {id} is {}; only active sessions merge", s.status),
            ));
        }
        let key = |p: &PersonRow| match &p.email {
            Some(e) => crate::validate::normalise_email(e),
            None => format!("name:{}", p.name.trim().to_lowercase()),
        };
        let mut all = people_of(c, &[s.id, o.id])?;
        let mine = all.remove(&s.id).unwrap_or_default();
        let theirs = all.remove(&o.id).unwrap_or_default();
        let have: std::collections::BTreeSet<(String, String)> =
            mine.iter().map(|p| (key(p), p.role.clone())).collect();
        let joining: Vec<NewPerson> = theirs
            .iter()
            .filter(|p| !have.contains(&(key(p), p.role.clone())))
            .map(|p| NewPerson {
                role: p.role.clone(),
                name: p.name.clone(),
                email: p.email.clone(),
                organisation: p.organisation.clone(),
                stakeholder_group: p.stakeholder_group.clone(),
                regional_group: p.regional_group.clone(),
                gender: p.gender.clone(),
                timezone: p.timezone.clone(),
                participation: p.participation.clone(),
            })
            .collect();
        insert_people(c, s.id, &joining)?;
        let at = to_db(now());
        diesel::update(sessions::table.find(s.id))
            .set((
                sessions::title.eq(req.title.as_deref().map(str::trim).unwrap_or(&s.title)),
                sessions::hybrid.eq(s.hybrid || o.hybrid),
                sessions::expected_attendance.eq(s.expected_attendance.max(o.expected_attendance)),
                sessions::version.eq(s.version + 1),
                sessions::updated_at.eq(at),
            ))
            .execute(c)?;
        diesel::update(sessions::table.find(o.id))
            .set((
                sessions::status.eq(SessionStatus::Cancelled.as_str()),
                sessions::version.eq(o.version + 1),
                sessions::updated_at.eq(at),
            ))
            .execute(c)?;
        audit::record(
            c,
            Some(actor),
            "session.merge",
            "session",
            s.id,
            Some(s.meeting_id),
            json!({"merged": o.id, "people_added": joining.len(), "title": req.title}),
        )?;
        audit::record(
            c,
            Some(actor),
            "session.cancel",
            "session",
            o.id,
            Some(s.meeting_id),
            json!({"merged_into": s.id}),
        )?;
        let merged = find(c, id)?.ok_or(ApiError::NotFound("session"))?;
        let gone = find(c, o.id)?.ok_or(ApiError::NotFound("session"))?;
        crate::notify::session_changed(c, &facts(&merged), false, false)?;
        crate::notify::session_changed(c, &facts(&gone), true, true)?;
        Ok(merged)
    })
}

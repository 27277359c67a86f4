//! When rooms are closed and people cannot take part: periods the secretariat records,
//! which every solve and repair then respects as hard rules. (Online people's
//! acceptable hours need no entry: they follow each person's own IANA zone.) The use
//! cases (add, list, remove) and their storage; HTTP in [`super::handlers`].

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::db::schema::{rooms, unavailability as un};
use crate::error::ApiError;
use crate::meetings::service::load_visible;
use crate::page::{Page, Paginated};
use crate::time::{from_db, now, to_db};
use crate::validate::{Checker, normalise_email};

/// Body of `POST /api/v1/meetings/{meeting_id}/unavailability`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnavailabilityRequest {
    /// The room that is closed (or give `email`).
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub room_id: Option<i64>,
    /// The person who cannot take part, by the email on their sessions (or `room_id`).
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub email: Option<String>,
    /// From (RFC 3339).
    pub starts_at: DateTime<FixedOffset>,
    /// Until (RFC 3339, exclusive).
    pub ends_at: DateTime<FixedOffset>,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// A stored period as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct UnavailabilityView {
    /// Id.
    pub id: i64,
    /// The room, when a room is closed.
    pub room_id: Option<i64>,
    /// The person, when a person is away.
    pub email: Option<String>,
    /// From, UTC.
    pub starts_at: String,
    /// Until, UTC.
    pub ends_at: String,
    /// Why.
    pub reason: String,
}

/// A stored period.
#[derive(Queryable, Selectable)]
#[diesel(table_name = un)]
struct Row {
    id: i64,
    room_id: Option<i64>,
    person_email: Option<String>,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    reason: String,
}

fn to_view(r: Row) -> UnavailabilityView {
    let ts = |t: NaiveDateTime| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    UnavailabilityView {
        id: r.id,
        room_id: r.room_id,
        email: r.person_email,
        starts_at: ts(r.starts_at),
        ends_at: ts(r.ends_at),
        reason: r.reason,
    }
}

/// Every period of a meeting, as stored.
pub fn all(conn: &mut DbConn, meeting_id: i64) -> Result<Vec<UnavailabilityView>, ApiError> {
    let rows: Vec<Row> = un::table
        .filter(un::meeting_id.eq(meeting_id))
        .order(un::id)
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(to_view).collect())
}

/// Closed periods per room id and away periods per normalised email, for the solver.
pub type Periods = (
    std::collections::BTreeMap<i64, Vec<super::solver::Interval>>,
    std::collections::BTreeMap<String, Vec<super::solver::Interval>>,
);

/// The periods of a meeting, grouped for [`super::build`].
pub fn periods(conn: &mut DbConn, meeting_id: i64) -> Result<Periods, ApiError> {
    let rows: Vec<(Option<i64>, Option<String>, NaiveDateTime, NaiveDateTime)> = un::table
        .filter(un::meeting_id.eq(meeting_id))
        .select((un::room_id, un::person_email, un::starts_at, un::ends_at))
        .load(conn)?;
    let mut out: Periods = Default::default();
    for (room, email, s, e) in rows {
        let iv = super::solver::Interval {
            start: from_db(s),
            end: from_db(e),
        };
        match (room, email) {
            (Some(r), _) => out.0.entry(r).or_default().push(iv),
            (None, Some(m)) => out.1.entry(m).or_default().push(iv),
            (None, None) => {}
        }
    }
    Ok(out)
}

/// The secretariat records a closed room or an absent person.
pub fn add(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &UnavailabilityRequest,
) -> Result<UnavailabilityView, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = Checker::new();
    match (&body.room_id, &body.email) {
        (Some(_), Some(_)) | (None, None) => c.add(
            "room_id",
            "one_of",
            "give either room_id or email, not both",
        ),
        (None, Some(e)) => c.email("email", e),
        _ => {}
    }
    let (s, e) = (body.starts_at.to_utc(), body.ends_at.to_utc());
    if s >= e {
        c.add("ends_at", "order", "ends_at must come after starts_at");
    } else if e - s > chrono::Duration::days(31) {
        c.add("ends_at", "range", "a period lasts at most 31 days");
    }
    c.max_len("reason", &body.reason, 500);
    c.finish()?;
    crate::db::write_tx(conn, |c| {
        load_visible(c, meeting_id, &Some(actor.clone()))?;
        if let Some(r) = body.room_id {
            let n: i64 = rooms::table
                .filter(rooms::id.eq(r))
                .filter(rooms::meeting_id.eq(meeting_id))
                .count()
                .get_result(c)?;
            if n == 0 {
                return Err(ApiError::field(
                    "room_id",
                    "exists",
                    "not a room of this meeting",
                ));
            }
        }
        let email = body.email.as_deref().map(normalise_email);
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(un::table)
            .values((
                un::meeting_id.eq(meeting_id),
                un::room_id.eq(body.room_id),
                un::person_email.eq(&email),
                un::starts_at.eq(to_db(s)),
                un::ends_at.eq(to_db(e)),
                un::reason.eq(body.reason.trim()),
                un::created_at.eq(to_db(now())),
            ))
            .returning(un::id)
            .get_result(b))?;
        audit::record(
            c,
            Some(actor.id),
            "unavailability.add",
            "unavailability",
            id,
            Some(meeting_id),
            json!({"room_id": body.room_id, "person": email.is_some(), "reason": body.reason}),
        )?;
        all(c, meeting_id)?
            .into_iter()
            .find(|v| v.id == id)
            .ok_or(ApiError::NotFound("unavailability"))
    })
}

/// Query of the list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// A meeting's closed rooms and absent people, for the secretariat.
pub fn list(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ListQuery,
) -> Result<Paginated<UnavailabilityView>, ApiError> {
    actor.require(Role::Secretariat)?;
    let page = Page::new(q.page, q.per_page)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let v = all(conn, meeting_id)?;
    let total = v.len() as i64;
    let items = v
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.per_page as usize)
        .collect();
    Ok(page.of(items, total))
}

/// The secretariat removes a period.
pub fn remove(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<(), ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let meeting: i64 = un::table
            .find(id)
            .select(un::meeting_id)
            .first(c)
            .optional()?
            .ok_or(ApiError::NotFound("unavailability"))?;
        diesel::delete(un::table.find(id)).execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "unavailability.remove",
            "unavailability",
            id,
            Some(meeting),
            json!({}),
        )
    })
}

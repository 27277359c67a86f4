//! Remote hubs: places (a city, a university, an NRI office) where people follow
//! sessions together online. The secretariat records each hub and the sessions it
//! follows; the hub's agenda is public and shown in the hub's own time zone. The
//! hub's contact stays with the secretariat. The use cases and their storage; HTTP
//! in [`super::handlers`].

use chrono_tz::Tz;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::db::schema::{hub_sessions as hs, remote_hubs as rh, sessions};
use crate::error::ApiError;
use crate::meetings::service::load_visible;
use crate::time::{now, to_db};
use crate::validate::Checker;

/// Body of `POST /api/v1/meetings/{meeting_id}/hubs`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubRequest {
    /// Name.
    pub name: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// IANA zone of the hub.
    pub timezone: String,
    /// Whom the secretariat contacts.
    pub contact_email: String,
}

/// A hub as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct HubView {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// Name.
    pub name: String,
    /// City.
    pub city: String,
    /// Country.
    pub country: String,
    /// IANA zone.
    pub timezone: String,
    /// Contact (secretariat only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Sessions it follows.
    pub session_ids: Vec<i64>,
}

/// A hub row.
#[derive(Queryable, Selectable)]
#[diesel(table_name = rh)]
struct HubRow {
    id: i64,
    meeting_id: i64,
    name: String,
    city: String,
    country: String,
    timezone: String,
    contact_email: String,
}

fn load(conn: &mut DbConn, id: i64, full: bool) -> Result<HubView, ApiError> {
    let r: HubRow = rh::table
        .find(id)
        .select(HubRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("hub"))?;
    let session_ids = hs::table
        .filter(hs::hub_id.eq(id))
        .order(hs::session_id)
        .select(hs::session_id)
        .load(conn)?;
    Ok(HubView {
        id: r.id,
        meeting_id: r.meeting_id,
        name: r.name,
        city: r.city,
        country: r.country,
        timezone: r.timezone,
        contact_email: full.then_some(r.contact_email),
        session_ids,
    })
}

/// The secretariat records a hub.
pub fn create(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &HubRequest,
) -> Result<HubView, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = Checker::new();
    c.text("name", &body.name, 200);
    c.text("city", &body.city, 200);
    c.country("country", &body.country);
    c.zone("timezone", &body.timezone);
    c.email("contact_email", &body.contact_email);
    c.finish()?;
    crate::db::write_tx(conn, |c| {
        load_visible(c, meeting_id, &Some(actor.clone()))?;
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(rh::table)
            .values((
                rh::meeting_id.eq(meeting_id),
                rh::name.eq(body.name.trim()),
                rh::city.eq(body.city.trim()),
                rh::country.eq(body.country.trim().to_uppercase()),
                rh::timezone.eq(body.timezone.trim()),
                rh::contact_email.eq(body.contact_email.trim()),
                rh::created_at.eq(to_db(now())),
            ))
            .returning(rh::id)
            .get_result(b))?;
        audit::record(
            c,
            Some(actor.id),
            "hub.create",
            "hub",
            id,
            Some(meeting_id),
            json!({"name": body.name, "city": body.city}),
        )?;
        load(c, id, true)
    })
}

/// A meeting's hubs, public; the contact only for the secretariat.
pub fn list(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
) -> Result<Vec<HubView>, ApiError> {
    let full = viewer.as_ref().is_some_and(AuthUser::is_secretariat);
    load_visible(conn, meeting_id, viewer)?;
    let ids: Vec<i64> = rh::table
        .filter(rh::meeting_id.eq(meeting_id))
        .order(rh::id)
        .select(rh::id)
        .load(conn)?;
    ids.into_iter().map(|id| load(conn, id, full)).collect()
}

/// Body of `PUT /api/v1/hubs/{hub_id}/sessions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubSessionsRequest {
    /// Every session the hub follows (replaces the list).
    pub session_ids: Vec<i64>,
}

/// The secretariat sets the sessions a hub follows (replacing the list).
pub fn set_sessions(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    body: &HubSessionsRequest,
) -> Result<HubView, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = Checker::new();
    c.max_items("session_ids", body.session_ids.len(), 500);
    c.finish()?;
    crate::db::write_tx(conn, |c| {
        let hub = load(c, id, true)?;
        let mut ids = body.session_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        let known: Vec<i64> = sessions::table
            .filter(sessions::meeting_id.eq(hub.meeting_id))
            .filter(sessions::id.eq_any(&ids))
            .select(sessions::id)
            .load(c)?;
        let errors: Vec<crate::error::FieldError> = body
            .session_ids
            .iter()
            .enumerate()
            .filter(|(_, s)| !known.contains(s))
            .map(|(i, s)| {
                crate::error::FieldError::new(
                    format!("session_ids[{i}]"),
                    "exists",
                    format!("session {s} is not a session of this meeting"),
                )
            })
            .collect();
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        diesel::delete(hs::table.filter(hs::hub_id.eq(id))).execute(c)?;
        for s in &ids {
            diesel::insert_into(hs::table)
                .values((hs::hub_id.eq(id), hs::session_id.eq(s)))
                .execute(c)?;
        }
        audit::record(
            c,
            Some(actor.id),
            "hub.sessions",
            "hub",
            id,
            Some(hub.meeting_id),
            json!({"sessions": ids.len()}),
        )?;
        load(c, id, true)
    })
}

/// A hub's agenda.
#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    /// The hub (without its contact).
    pub hub: HubView,
    /// The followed sessions of the published programme, with `_local` times in the
    /// hub's zone.
    pub programme: crate::scheduling::versions::Programme,
}

/// A hub's agenda, public: the followed sessions of the published programme in the
/// hub's own zone.
pub fn agenda(conn: &mut DbConn, viewer: &Option<AuthUser>, id: i64) -> Result<Agenda, ApiError> {
    let hub = load(conn, id, false)?;
    let m = load_visible(conn, hub.meeting_id, viewer)?;
    let venue: Tz = m.venue()?;
    let zone: Tz = crate::time::stored_zone(&hub.timezone)?;
    let mut programme =
        crate::scheduling::versions::programme(conn, m.id, venue, &Default::default(), Some(zone))?;
    programme
        .sessions
        .retain(|s| hub.session_ids.contains(&s.session_id));
    Ok(Agenda { hub, programme })
}

/// A hub's followed sessions of the published programme as a calendar feed (public),
/// from the feeds' cache or rendered once per state of the meeting and hub.
pub fn calendar(
    conn: &mut DbConn,
    cache: &crate::feeds::cache::FeedCache,
    viewer: &Option<AuthUser>,
    id: i64,
    base: &str,
) -> Result<std::sync::Arc<crate::feeds::calendar::Feed>, ApiError> {
    let hub = load(conn, id, false)?;
    let q = crate::feeds::calendar::FeedQuery {
        only: Some(hub.session_ids.iter().copied().collect()),
        ..Default::default()
    };
    crate::feeds::service::public_feed(
        conn,
        cache,
        viewer,
        hub.meeting_id,
        &format!("hub-{id}"),
        &q,
        base,
        |c, m, q, base| crate::feeds::calendar::programme_feed(c, m, q, base, None),
    )
}

//! Remote hubs: places (a city, a university, an NRI office) where people follow
//! sessions together online. The secretariat records each hub and the sessions it
//! follows; the hub's agenda is public and shown in the hub's own time zone. The
//! hub's contact stays with the secretariat.

use crate::auth::extract::Secretariat;
use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::app::AppState;
use crate::audit;
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::DbConn;
use crate::db::schema::{hub_sessions as hs, remote_hubs as rh, sessions};
use crate::error::ApiError;
use crate::extract::Json;
use crate::meetings::handlers::load_visible;
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

type HubRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
);

fn load(conn: &mut DbConn, id: i64, full: bool) -> Result<HubView, ApiError> {
    let r: HubRow = rh::table
        .find(id)
        .select((
            rh::id,
            rh::meeting_id,
            rh::name,
            rh::city,
            rh::country,
            rh::timezone,
            rh::contact_email,
            rh::created_at,
        ))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("hub"))?;
    let session_ids = hs::table
        .filter(hs::hub_id.eq(id))
        .order(hs::session_id)
        .select(hs::session_id)
        .load(conn)?;
    Ok(HubView {
        id: r.0,
        meeting_id: r.1,
        name: r.2,
        city: r.3,
        country: r.4,
        timezone: r.5,
        contact_email: full.then_some(r.6),
        session_ids,
    })
}

/// `POST /api/v1/meetings/{meeting_id}/hubs` (secretariat).
#[tracing::instrument(skip_all)]
pub async fn create(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<HubRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut c = Checker::new();
    c.text("name", &body.name, 200);
    c.text("city", &body.city, 200);
    c.country("country", &body.country);
    c.zone("timezone", &body.timezone);
    c.email("contact_email", body.contact_email.trim());
    c.finish()?;
    let (meeting_id, actor, who) = (path.into_inner(), user.id, Some(user));
    let v = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        crate::db::write_tx(c, |c| {
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
                Some(actor),
                "hub.create",
                "hub",
                id,
                Some(meeting_id),
                json!({"name": body.name, "city": body.city}),
            )?;
            load(c, id, true)
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/hubs`: public; the contact only for the
/// secretariat.
pub async fn list(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, who) = (path.into_inner(), user.0);
    let full = who.as_ref().is_some_and(AuthUser::is_secretariat);
    let items = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        let ids: Vec<i64> = rh::table
            .filter(rh::meeting_id.eq(meeting_id))
            .order(rh::id)
            .select(rh::id)
            .load(c)?;
        ids.into_iter()
            .map(|id| load(c, id, full))
            .collect::<Result<Vec<_>, _>>()
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "items": items })))
}

/// Body of `PUT /api/v1/hubs/{hub_id}/sessions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubSessionsRequest {
    /// Every session the hub follows (replaces the list).
    pub session_ids: Vec<i64>,
}

/// `PUT /api/v1/hubs/{hub_id}/sessions`: the sessions a hub follows (secretariat).
#[tracing::instrument(skip_all)]
pub async fn set_sessions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<HubSessionsRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut c = Checker::new();
    c.max_items("session_ids", body.session_ids.len(), 500);
    c.finish()?;
    let (id, actor) = (path.into_inner(), user.id);
    let v = crate::db::run(&state.pool, move |c| {
        crate::db::write_tx(c, |c| {
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
                Some(actor),
                "hub.sessions",
                "hub",
                id,
                Some(hub.meeting_id),
                json!({"sessions": ids.len()}),
            )?;
            load(c, id, true)
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
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

/// `GET /api/v1/hubs/{hub_id}/agenda`: public; the hub's sessions in its own zone.
pub async fn agenda(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, who) = (path.into_inner(), user.0);
    let v = crate::db::run(&state.pool, move |c| {
        let hub = load(c, id, false)?;
        let m = load_visible(c, hub.meeting_id, &who)?;
        let venue: Tz = m.venue()?;
        let zone: Tz = crate::time::stored_zone(&hub.timezone)?;
        let mut programme = crate::scheduling::versions::programme(
            c,
            m.id,
            venue,
            &Default::default(),
            Some(zone),
        )?;
        programme
            .sessions
            .retain(|s| hub.session_ids.contains(&s.session_id));
        Ok(Agenda { hub, programme })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=60"))
        .json(v))
}

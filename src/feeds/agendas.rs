//! Personal agendas: anyone makes one without an account and gets a secret token (256
//! random bits, in hex; only its SHA-256 is stored). The token is the agenda's address: it
//! adds and removes sessions, reads the agenda, subscribes to its calendar (private,
//! never cached by a CDN), and can be rotated (the old one stops working at once) or
//! revoked. Responses give both the `https://` and the `webcal://` link.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

use super::calendar::{self, FeedQuery};
use crate::app::AppState;
use crate::db::DbConn;
use crate::db::schema::{agenda_sessions as ags, agendas, sessions};
use crate::error::ApiError;
use crate::extract::Json;
use crate::meetings::handlers::load_visible;
use crate::time::{now, to_db};
use crate::validate::Checker;

fn new_token() -> Result<String, ApiError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Body of `POST /api/v1/meetings/{meeting_id}/agendas`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaRequest {
    /// A name for the calendar ("My IGF").
    #[serde(default)]
    pub name: String,
}

/// Subscription links of an agenda's calendar.
#[derive(Debug, Clone, Serialize)]
pub struct Links {
    /// `https://…/calendar.ics`.
    pub https: String,
    /// The same as `webcal://`, which calendar apps open as a subscription.
    pub webcal: String,
}

/// An agenda as its owner sees it.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaView {
    /// The meeting.
    pub meeting_id: i64,
    /// Its name.
    pub name: String,
    /// The secret token (shown here and on rotation; keep it).
    pub token: String,
    /// Sessions in it.
    pub session_ids: Vec<i64>,
    /// Calendar links.
    pub links: Links,
}

/// The scheme and host the client used, for links.
#[derive(Debug, Clone)]
struct Origin {
    scheme: String,
    host: String,
}

impl Origin {
    fn of(req: &HttpRequest) -> Origin {
        let info = req.connection_info();
        Origin {
            scheme: info.scheme().to_string(),
            host: info.host().to_string(),
        }
    }
}

fn links(origin: &Origin, token: &str) -> Links {
    let rest = format!("{}/api/v1/agendas/{token}/calendar.ics", origin.host);
    Links {
        https: format!("{}://{rest}", origin.scheme),
        webcal: format!("webcal://{rest}"),
    }
}

/// The agenda of a token: (id, meeting, name, version).
fn find(conn: &mut DbConn, token: &str) -> Result<(i64, i64, String, i32), ApiError> {
    agendas::table
        .filter(agendas::token_hash.eq(hash(token)))
        .select((
            agendas::id,
            agendas::meeting_id,
            agendas::name,
            agendas::version,
        ))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("agenda"))
}

fn view(conn: &mut DbConn, origin: &Origin, token: &str) -> Result<AgendaView, ApiError> {
    let (id, meeting_id, name, _) = find(conn, token)?;
    let session_ids = ags::table
        .filter(ags::agenda_id.eq(id))
        .order(ags::session_id)
        .select(ags::session_id)
        .load(conn)?;
    Ok(AgendaView {
        meeting_id,
        name,
        token: token.to_string(),
        session_ids,
        links: links(origin, token),
    })
}

fn touch(conn: &mut DbConn, id: i64) -> Result<(), ApiError> {
    diesel::update(agendas::table.find(id))
        .set((
            agendas::version.eq(agendas::version + 1),
            agendas::updated_at.eq(to_db(now())),
        ))
        .execute(conn)?;
    Ok(())
}

/// `POST /api/v1/meetings/{meeting_id}/agendas`: a new, empty agenda (no account).
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<i64>,
    Json(body): Json<AgendaRequest>,
) -> Result<HttpResponse, ApiError> {
    let origin = Origin::of(&req);
    let mut c = Checker::new();
    c.max_len("name", &body.name, 200);
    c.finish()?;
    let meeting_id = path.into_inner();
    let token = new_token()?;
    let v = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &None)?;
        let at = to_db(now());
        diesel::insert_into(agendas::table)
            .values((
                agendas::meeting_id.eq(meeting_id),
                agendas::token_hash.eq(hash(&token)),
                agendas::name.eq(body.name.trim()),
                agendas::created_at.eq(at),
                agendas::updated_at.eq(at),
            ))
            .execute(c)?;
        view(c, &origin, &token)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(v))
}

/// `GET /api/v1/agendas/{token}`.
pub async fn get(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let origin = Origin::of(&req);
    let token = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| view(c, &origin, &token)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, no-store"))
        .json(v))
}

/// `PUT /api/v1/agendas/{token}/sessions/{session_id}`: adds a session.
pub async fn add_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let origin = Origin::of(&req);
    let (token, session) = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        crate::db::write_tx(c, |c| {
            let (id, meeting_id, _, _) = find(c, &token)?;
            let n: i64 = sessions::table
                .filter(sessions::id.eq(session))
                .filter(sessions::meeting_id.eq(meeting_id))
                .count()
                .get_result(c)?;
            if n == 0 {
                return Err(ApiError::NotFound("session"));
            }
            let have: i64 = ags::table
                .filter(ags::agenda_id.eq(id))
                .filter(ags::session_id.eq(session))
                .count()
                .get_result(c)?;
            if have == 0 {
                diesel::insert_into(ags::table)
                    .values((ags::agenda_id.eq(id), ags::session_id.eq(session)))
                    .execute(c)?;
                touch(c, id)?;
            }
            view(c, &origin, &token)
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/agendas/{token}/sessions/{session_id}`: removes a session.
pub async fn remove_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let origin = Origin::of(&req);
    let (token, session) = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        crate::db::write_tx(c, |c| {
            let (id, _, _, _) = find(c, &token)?;
            let n = diesel::delete(
                ags::table
                    .filter(ags::agenda_id.eq(id))
                    .filter(ags::session_id.eq(session)),
            )
            .execute(c)?;
            if n > 0 {
                touch(c, id)?;
            }
            view(c, &origin, &token)
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `POST /api/v1/agendas/{token}/rotate`: a new token; the old one stops working.
pub async fn rotate(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let origin = Origin::of(&req);
    let token = path.into_inner();
    let fresh = new_token()?;
    let v = crate::db::run(&state.pool, move |c| {
        crate::db::write_tx(c, |c| {
            let (id, _, _, _) = find(c, &token)?;
            diesel::update(agendas::table.find(id))
                .set(agendas::token_hash.eq(hash(&fresh)))
                .execute(c)?;
            touch(c, id)?;
            view(c, &origin, &fresh)
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(v))
}

/// `DELETE /api/v1/agendas/{token}`: revokes the agenda and its token for good.
pub async fn revoke(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner();
    crate::db::run(&state.pool, move |c| {
        let (id, _, _, _) = find(c, &token)?;
        diesel::delete(agendas::table.find(id)).execute(c)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET`/`HEAD /api/v1/agendas/{token}/calendar.ics`: the agenda's sessions from the
/// published programme, as a private calendar.
pub async fn calendar_ics(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner();
    let base = {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    };
    let cache = state.feeds.clone();
    let feed = crate::db::run(&state.pool, move |c| {
        let (id, meeting_id, name, version) = find(c, &token)?;
        let m = load_visible(c, meeting_id, &None)?;
        let (published, _) = crate::scheduling::versions::published_at(c, m.id)?
            .ok_or(ApiError::NotFound("published programme"))?;
        let key = format!("agenda-{id}-{version}-{published}-{base}");
        if let Some(f) = cache.get(&key) {
            return Ok(f);
        }
        let only = ags::table
            .filter(ags::agenda_id.eq(id))
            .select(ags::session_id)
            .load::<i64>(c)?
            .into_iter()
            .collect();
        let q = FeedQuery {
            only: Some(only),
            ..FeedQuery::default()
        };
        let title = if name.is_empty() {
            format!("{}: my agenda", m.name)
        } else {
            name
        };
        let f = Arc::new(calendar::programme_feed(c, &m, &q, &base, Some(&title))?);
        cache.put(key, f.clone());
        Ok(f)
    })
    .await?;
    Ok(super::handlers::respond(
        &req,
        &feed,
        "private, max-age=300",
    ))
}

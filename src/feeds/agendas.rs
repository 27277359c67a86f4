//! Personal agendas: anyone makes one without an account and gets a secret token (256
//! random bits, in hex; only its SHA-256 is stored). The token is the agenda's address: it
//! adds and removes sessions, reads the agenda, subscribes to its calendar (private,
//! never cached by a CDN), and can be rotated (the old one stops working at once) or
//! revoked. Responses give both the `https://` and the `webcal://` link. The use
//! cases and their storage; HTTP in [`super::handlers::agendas`].

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

use super::cache::FeedCache;
use super::calendar::{self, Feed, FeedQuery};
use crate::db::DbConn;
use crate::db::schema::{agenda_sessions as ags, agendas, sessions};
use crate::error::ApiError;
use crate::meetings::service::load_visible;
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

/// The service's public origin (`https://host[:port][/prefix]`), for links.
#[derive(Debug, Clone)]
pub struct Origin(pub String);

impl Origin {
    /// A link to `path` (which starts with `/`) as `https` (or `http`) and as
    /// `webcal`.
    pub fn links(&self, path: &str) -> Links {
        let https = format!("{}{path}", self.0);
        let rest = https.split_once("://").map_or(https.as_str(), |(_, r)| r);
        Links {
            webcal: format!("webcal://{rest}"),
            https,
        }
    }
}

fn links(origin: &Origin, token: &str) -> Links {
    origin.links(&format!("/api/v1/agendas/{token}/calendar.ics"))
}

/// An agenda row, found by its token.
#[derive(Queryable, Selectable)]
#[diesel(table_name = agendas)]
struct AgendaRow {
    id: i64,
    meeting_id: i64,
    name: String,
    version: i32,
    updated_at: chrono::NaiveDateTime,
}

/// The agenda of a token.
fn find(conn: &mut DbConn, token: &str) -> Result<AgendaRow, ApiError> {
    agendas::table
        .filter(agendas::token_hash.eq(hash(token)))
        .select(AgendaRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("agenda"))
}

fn view(conn: &mut DbConn, origin: &Origin, token: &str) -> Result<AgendaView, ApiError> {
    let AgendaRow {
        id,
        meeting_id,
        name,
        ..
    } = find(conn, token)?;
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

/// Anyone makes a new, empty agenda of a published meeting, without an account.
pub fn create(
    conn: &mut DbConn,
    origin: &Origin,
    address: &str,
    per_hour: u32,
    meeting_id: i64,
    body: &AgendaRequest,
) -> Result<AgendaView, ApiError> {
    let mut c = Checker::new();
    c.max_len("name", &body.name, 200);
    c.finish()?;
    crate::throttle::take(
        conn,
        &format!("agenda:{address}"),
        crate::throttle::Rate::per(per_hour, 3600),
    )?;
    let token = new_token()?;
    crate::db::write_tx(conn, |c| {
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
        view(c, origin, &token)
    })
}

/// The agenda behind a token.
pub fn get(conn: &mut DbConn, origin: &Origin, token: &str) -> Result<AgendaView, ApiError> {
    view(conn, origin, token)
}

/// Adds a session of the agenda's meeting.
pub fn add_session(
    conn: &mut DbConn,
    origin: &Origin,
    token: &str,
    session: i64,
) -> Result<AgendaView, ApiError> {
    crate::db::write_tx(conn, |c| {
        let a = find(c, token)?;
        let n: i64 = sessions::table
            .filter(sessions::id.eq(session))
            .filter(sessions::meeting_id.eq(a.meeting_id))
            .count()
            .get_result(c)?;
        if n == 0 {
            return Err(ApiError::NotFound("session"));
        }
        let have: i64 = ags::table
            .filter(ags::agenda_id.eq(a.id))
            .filter(ags::session_id.eq(session))
            .count()
            .get_result(c)?;
        if have == 0 {
            diesel::insert_into(ags::table)
                .values((ags::agenda_id.eq(a.id), ags::session_id.eq(session)))
                .execute(c)?;
            touch(c, a.id)?;
        }
        view(c, origin, token)
    })
}

/// Removes a session.
pub fn remove_session(
    conn: &mut DbConn,
    origin: &Origin,
    token: &str,
    session: i64,
) -> Result<AgendaView, ApiError> {
    crate::db::write_tx(conn, |c| {
        let a = find(c, token)?;
        let n = diesel::delete(
            ags::table
                .filter(ags::agenda_id.eq(a.id))
                .filter(ags::session_id.eq(session)),
        )
        .execute(c)?;
        if n > 0 {
            touch(c, a.id)?;
        }
        view(c, origin, token)
    })
}

/// A new token for the agenda; the old one stops working at once.
pub fn rotate(conn: &mut DbConn, origin: &Origin, token: &str) -> Result<AgendaView, ApiError> {
    let fresh = new_token()?;
    crate::db::write_tx(conn, |c| {
        let a = find(c, token)?;
        diesel::update(agendas::table.find(a.id))
            .set(agendas::token_hash.eq(hash(&fresh)))
            .execute(c)?;
        touch(c, a.id)?;
        view(c, origin, &fresh)
    })
}

/// Revokes the agenda and its token for good.
pub fn revoke(conn: &mut DbConn, token: &str) -> Result<(), ApiError> {
    crate::db::write_tx(conn, |c| {
        let a = find(c, token)?;
        diesel::delete(agendas::table.find(a.id)).execute(c)?;
        Ok(())
    })
}

/// The agenda's sessions from the published programme as a private calendar, from
/// the cache or rendered once per agenda version and publication.
pub fn calendar(
    conn: &mut DbConn,
    cache: &FeedCache,
    base: &str,
    token: &str,
) -> Result<Arc<Feed>, ApiError> {
    let a = find(conn, token)?;
    let m = load_visible(conn, a.meeting_id, &None)?;
    let (published, _) = crate::scheduling::versions::published_at(conn, m.id)?
        .ok_or(ApiError::NotFound("published programme"))?;
    let key = format!(
        "agenda-{}-{}-{published}-{}-{base}",
        a.id, a.version, m.feed_revision
    );
    if let Some(f) = cache.get(&key) {
        return Ok(f);
    }
    let only = ags::table
        .filter(ags::agenda_id.eq(a.id))
        .select(ags::session_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let q = FeedQuery {
        only: Some(only),
        ..FeedQuery::default()
    };
    let title = if a.name.is_empty() {
        format!("{}: my agenda", m.name)
    } else {
        a.name
    };
    let mut f = calendar::programme_feed(conn, &m, &q, base, Some(&title))?;
    // The agenda's own edits move it too.
    f.modified = f.modified.max(crate::time::from_db(a.updated_at));
    let f = Arc::new(f);
    cache.put(key, f.clone());
    Ok(f)
}

//! Personal agendas: anyone makes one without an account and gets a secret token (256
//! random bits, in hex; only its SHA-256 is stored). The token is the agenda's address: it
//! adds and removes sessions, reads the agenda, subscribes to its calendar (private,
//! never cached by a CDN), and can be rotated (the old one stops working at once) or
//! revoked. Responses give both the `https://` and the `webcal://` link. The use
//! cases and their storage; HTTP in [`super::handlers::agendas`].

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::cache::FeedCache;
use super::calendar::{self, Feed, FeedQuery};
use crate::db::DbConn;
use crate::db::schema::{agenda_sessions as ags, agendas, sessions};
use crate::error::ApiError;
use crate::meetings::service::load_visible;
use crate::time::{now, to_db};
use crate::validate::Checker;

use crate::secret::{digest as hash, new_token};

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
    /// Pairs of its sessions that overlap in the published programme (cancelled ones
    /// clash with nothing).
    pub clashes: Vec<Clash>,
}

/// Two sessions of an agenda that run at the same time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clash {
    /// The two sessions, the one that starts first (or the lower id) first.
    pub session_ids: [i64; 2],
    /// How many minutes they share.
    pub minutes: i64,
}

/// The clashes among sessions given as `(id, start, end)`, in the order of their starts.
pub fn clashes_of(
    sessions: &[(
        i64,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
    )],
) -> Vec<Clash> {
    let mut sorted = sessions.to_vec();
    sorted.sort_by_key(|s| (s.1, s.0));
    let mut out = vec![];
    for (i, a) in sorted.iter().enumerate() {
        for b in &sorted[i + 1..] {
            if b.1 >= a.2 {
                break;
            }
            let shared = a.2.min(b.2) - b.1;
            out.push(Clash {
                session_ids: [a.0, b.0],
                minutes: shared.num_minutes(),
            });
        }
    }
    out
}

/// The clashes among an agenda's sessions in its meeting's published programme (none
/// before a publication).
fn clashes(conn: &mut DbConn, meeting_id: i64, ids: &[i64]) -> Result<Vec<Clash>, ApiError> {
    if ids.len() < 2 {
        return Ok(vec![]);
    }
    let q = crate::scheduling::versions::ProgrammeQuery::default();
    let programme =
        match crate::scheduling::versions::programme(conn, meeting_id, chrono_tz::UTC, &q, None) {
            Ok(p) => p,
            Err(ApiError::NotFound(_)) => return Ok(vec![]),
            Err(e) => return Err(e),
        };
    let mut timed = vec![];
    for s in programme.sessions {
        if s.status == "cancelled" || ids.binary_search(&s.session_id).is_err() {
            continue;
        }
        let at = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .map(|d| d.with_timezone(&chrono::Utc))
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("a stored time {t}: {e}")))
        };
        timed.push((s.session_id, at(&s.starts_at_utc)?, at(&s.ends_at_utc)?));
    }
    Ok(clashes_of(&timed))
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
    let clashes = clashes(conn, meeting_id, &session_ids)?;
    Ok(AgendaView {
        meeting_id,
        name,
        token: token.to_string(),
        session_ids,
        links: links(origin, token),
        clashes,
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
    create_with(conn, origin, address, per_hour, meeting_id, body, None)
}

/// A new agenda that holds `first` from the start, in the same transaction, so that a
/// first star never leaves an empty agenda behind.
pub fn create_with(
    conn: &mut DbConn,
    origin: &Origin,
    address: &str,
    per_hour: u32,
    meeting_id: i64,
    body: &AgendaRequest,
    first: Option<i64>,
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
        if let Some(session) = first {
            insert_session(c, &token, session)?;
        }
        view(c, origin, &token)
    })
}

/// Puts a session of the agenda's meeting in it (once), inside the caller's
/// transaction.
fn insert_session(c: &mut DbConn, token: &str, session: i64) -> Result<(), ApiError> {
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
    Ok(())
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
        insert_session(c, token, session)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn at(h: u32, m: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 6, 22, h, m, 0).unwrap()
    }

    #[test]
    fn overlapping_sessions_clash_and_touching_ones_do_not() {
        let got = clashes_of(&[
            (3, at(11, 0), at(12, 0)),
            (1, at(9, 0), at(10, 30)),
            (2, at(10, 0), at(11, 0)),
            (4, at(9, 30), at(9, 45)),
        ]);
        assert_eq!(
            got,
            vec![
                Clash {
                    session_ids: [1, 4],
                    minutes: 15
                },
                Clash {
                    session_ids: [1, 2],
                    minutes: 30
                },
            ]
        );
        assert!(clashes_of(&[(1, at(9, 0), at(10, 0)), (2, at(10, 0), at(11, 0))]).is_empty());
    }
}

//! What every feed of a meeting is made from, kept true inside the transaction of each
//! change: the meeting's feed revision (what a rendered feed is keyed by, on every
//! instance) and, for each session of the published programme, its SEQUENCE and the
//! time of its last published change (RFC 5546: it rises for every change of start,
//! end, location, status or summary, and never repeats for different content).
//!
//! The rule every reader follows: a published session's room and slot change only with
//! a publication; everything else about it (title, description, people, duration,
//! status, join link) shows at once, in the JSON programme and in every feed, and so
//! does a change to a slot itself (its time, its day's date, the venue's zone).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::DbConn;
use crate::db::schema::{
    feed_sessions as fs, installation, meetings, rooms, schedule_placements as pl,
    schedule_versions as sv, sessions, time_slots,
};
use crate::error::ApiError;
use crate::time::{from_db, to_db};

/// Where a published session is.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Room id.
    pub room_id: i64,
    /// Room name.
    pub room: String,
    /// Start (UTC).
    pub start: DateTime<Utc>,
}

/// A session of a meeting's publications, as the feeds show it.
#[derive(Debug, Clone)]
pub struct Track {
    /// Where the latest publication that had it put it.
    pub place: Place,
    /// Whether the latest publication has it (a dropped session shows as cancelled).
    pub present: bool,
    /// Its SEQUENCE.
    pub sequence: u32,
    /// When what SEQUENCE counts last changed.
    pub changed: DateTime<Utc>,
}

/// The sessions of every publication of a meeting, walked in publication order: where
/// each is, and (for sessions the feeds have not yet recorded) how often its place
/// changed.
fn walk(conn: &mut DbConn, meeting_id: i64) -> Result<BTreeMap<i64, Track>, ApiError> {
    let versions: Vec<(i64, NaiveDateTime)> = sv::table
        .filter(sv::meeting_id.eq(meeting_id))
        .filter(sv::published_at.is_not_null())
        .order(sv::publication)
        .select((sv::id, sv::published_at.assume_not_null()))
        .load(conn)?;
    let ids: Vec<i64> = versions.iter().map(|v| v.0).collect();
    let rows: Vec<(i64, i64, i64, String, NaiveDateTime)> = pl::table
        .inner_join(rooms::table)
        .inner_join(time_slots::table)
        .filter(pl::version_id.eq_any(&ids))
        .select((
            pl::version_id,
            pl::session_id,
            rooms::id,
            rooms::name,
            time_slots::starts_at,
        ))
        .load(conn)?;
    let mut by_version: BTreeMap<i64, BTreeMap<i64, Place>> = BTreeMap::new();
    for (v, s, room_id, room, start) in rows {
        by_version.entry(v).or_default().insert(
            s,
            Place {
                room_id,
                room,
                start: from_db(start),
            },
        );
    }
    let mut track: BTreeMap<i64, Track> = BTreeMap::new();
    for (v, at) in &versions {
        let at = from_db(*at);
        let here = by_version.remove(v).unwrap_or_default();
        for (s, t) in track.iter_mut() {
            if t.present && !here.contains_key(s) {
                t.present = false;
                t.sequence += 1;
                t.changed = at;
            }
        }
        for (s, place) in here {
            match track.get_mut(&s) {
                Some(t) => {
                    if t.place != place || !t.present {
                        t.sequence += 1;
                        t.changed = at;
                    }
                    t.place = place;
                    t.present = true;
                }
                None => {
                    track.insert(
                        s,
                        Track {
                            place,
                            present: true,
                            sequence: 0,
                            changed: at,
                        },
                    );
                }
            }
        }
    }
    Ok(track)
}

/// What SEQUENCE counts of one session, as a short digest.
fn fingerprint(t: &Track, title: &str, status: &str, duration: i32) -> String {
    let end = t.place.start + chrono::Duration::minutes(i64::from(duration));
    let shown_status = if t.present { status } else { "cancelled" };
    let text = format!(
        "{}|{}|{}|{}|{}",
        t.place.start.to_rfc3339(),
        end.to_rfc3339(),
        t.place.room,
        shown_status,
        title
    );
    Sha256::digest(text.as_bytes())
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

type Live = BTreeMap<i64, (String, String, i32)>;

fn live(conn: &mut DbConn, ids: &[i64]) -> Result<Live, ApiError> {
    Ok(sessions::table
        .filter(sessions::id.eq_any(ids))
        .select((
            sessions::id,
            sessions::title,
            sessions::status,
            sessions::duration_min,
        ))
        .load::<(i64, String, String, i32)>(conn)?
        .into_iter()
        .map(|(id, t, s, d)| (id, (t, s, d)))
        .collect())
}

/// The sessions of a meeting's publications with the SEQUENCE and last change the
/// feeds show: as recorded, or as the publications alone say for a session the feeds
/// have not recorded yet.
pub fn published_sessions(
    conn: &mut DbConn,
    meeting_id: i64,
) -> Result<BTreeMap<i64, Track>, ApiError> {
    let mut track = walk(conn, meeting_id)?;
    let ids: Vec<i64> = track.keys().copied().collect();
    let info = live(conn, &ids)?;
    let recorded: BTreeMap<i64, (i32, NaiveDateTime)> = fs::table
        .filter(fs::meeting_id.eq(meeting_id))
        .select((fs::session_id, fs::sequence, fs::changed_at))
        .load::<(i64, i32, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(s, q, at)| (s, (q, at)))
        .collect();
    for (id, t) in track.iter_mut() {
        match recorded.get(id) {
            Some((q, at)) => {
                t.sequence = u32::try_from(*q).unwrap_or(0);
                t.changed = from_db(*at);
            }
            None => {
                // Never recorded: the publications' count, and one more if it has been
                // cancelled since.
                let cancelled = info
                    .get(id)
                    .is_some_and(|(_, s, _)| s == "cancelled" && t.present);
                t.sequence += u32::from(cancelled);
            }
        }
    }
    Ok(track)
}

/// Records a change the public pages show but no session's calendar entry carries
/// (an accepted session report): bumps the meeting's feed revision and the time of it
/// (never earlier than the last), so every instance renders its pages again. Returns
/// that time.
pub fn revised(
    conn: &mut DbConn,
    meeting_id: i64,
    last: Option<NaiveDateTime>,
) -> Result<NaiveDateTime, ApiError> {
    let now = to_db(crate::time::now());
    let at = last.map_or(now, |l| l.max(now));
    diesel::update(meetings::table.find(meeting_id))
        .set((
            meetings::feed_revision.eq(meetings::feed_revision + 1),
            meetings::feed_changed_at.eq(at),
        ))
        .execute(conn)?;
    Ok(at)
}

/// Records a change to a meeting: bumps its feed revision and the time of it (never
/// earlier than the last), and raises the SEQUENCE of every published session whose
/// start, end, location, status or summary the change altered. Runs inside the
/// change's transaction ([`crate::audit::record`] calls it, with the meeting's
/// `feed_changed_at` as it read it), so every instance sees the change and its feeds
/// together, or neither.
pub fn changed(
    conn: &mut DbConn,
    meeting_id: i64,
    last: Option<NaiveDateTime>,
) -> Result<(), ApiError> {
    let at = revised(conn, meeting_id, last)?;
    let published: i64 = sv::table
        .filter(sv::meeting_id.eq(meeting_id))
        .filter(sv::published_at.is_not_null())
        .count()
        .get_result(conn)?;
    if published == 0 {
        return Ok(());
    }
    let track = walk(conn, meeting_id)?;
    let ids: Vec<i64> = track.keys().copied().collect();
    let info = live(conn, &ids)?;
    let recorded: BTreeMap<i64, (i32, String)> = fs::table
        .filter(fs::meeting_id.eq(meeting_id))
        .select((fs::session_id, fs::sequence, fs::fingerprint))
        .load::<(i64, i32, String)>(conn)?
        .into_iter()
        .map(|(s, q, f)| (s, (q, f)))
        .collect();
    for (id, t) in &track {
        let Some((title, status, duration)) = info.get(id) else {
            continue;
        };
        let print = fingerprint(t, title, status, *duration);
        match recorded.get(id) {
            Some((_, f)) if *f == print => {}
            Some((q, _)) => {
                diesel::update(fs::table.find(id))
                    .set((
                        fs::sequence.eq(q + 1),
                        fs::fingerprint.eq(&print),
                        fs::changed_at.eq(at),
                    ))
                    .execute(conn)?;
            }
            None => {
                // First record: what the publications alone said, so a subscriber's
                // SEQUENCE never goes down; a cancellation since then counts once.
                let cancelled = status == "cancelled" && t.present;
                let (sequence, when) = if cancelled {
                    (t.sequence + 1, at)
                } else {
                    (t.sequence, to_db(t.changed))
                };
                diesel::insert_into(fs::table)
                    .values((
                        fs::session_id.eq(id),
                        fs::meeting_id.eq(meeting_id),
                        fs::sequence.eq(i32::try_from(sequence).unwrap_or(i32::MAX)),
                        fs::fingerprint.eq(&print),
                        fs::changed_at.eq(when),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

/// The domain this installation's calendar UIDs end in: made at random once, so that
/// two installations never share a UID (RFC 5545 asks for global uniqueness).
pub fn uid_domain(conn: &mut DbConn) -> Result<String, ApiError> {
    Ok(installation::table
        .find(1)
        .select(installation::uid_domain)
        .first(conn)?)
}

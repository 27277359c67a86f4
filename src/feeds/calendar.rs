//! The programme feed: one VEVENT per session of the published schedule, plus every
//! session an earlier publication had that is now cancelled or dropped (shown as
//! cancelled, never silently removed). A session's UID never changes; its SEQUENCE
//! counts the publications that moved it (and its cancellation); DTSTAMP is the
//! publication, LAST-MODIFIED the publication that last changed it. No personal data:
//! people appear by public name and organisation only.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::ics::{escape_text, prop, prop_with, write};
use crate::db::DbConn;
use crate::db::schema::{session_people as sp, session_types, sessions, themes};
use crate::error::ApiError;
use crate::meetings::models::Meeting;
use crate::time::from_db;

/// Filters of a feed (query parameters).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// Only this theme id.
    pub theme_id: Option<i64>,
    /// Only this session type code.
    pub session_type: Option<String>,
    /// Only this room id.
    pub room_id: Option<i64>,
    /// Only this venue-local date.
    pub day: Option<NaiveDate>,
    /// Only sessions with a person whose public name contains this (case-insensitive):
    /// a speaker's feed.
    pub person: Option<String>,
    /// Only these sessions (a personal agenda); not a query parameter.
    #[serde(skip)]
    pub only: Option<std::collections::BTreeSet<i64>>,
}

/// Longest `person` filter accepted: longer than any name, short enough that filters
/// cannot be used to fill memory.
pub const MAX_PERSON_FILTER: usize = 200;

/// Refuses a `person` filter longer than [`MAX_PERSON_FILTER`] characters (422).
pub fn check_person(person: Option<&str>) -> Result<(), ApiError> {
    let mut c = crate::validate::Checker::new();
    if let Some(p) = person {
        c.max_len("person", p, MAX_PERSON_FILTER);
    }
    c.finish()
}

impl FeedQuery {
    /// A stable key for the cache.
    pub fn key(&self) -> String {
        format!(
            "t{:?}s{:?}r{:?}d{:?}p{:?}o{:?}",
            self.theme_id,
            self.session_type,
            self.room_id,
            self.day,
            self.person.as_deref().map(|p| p.trim().to_lowercase()),
            self.only
        )
    }
}

/// A rendered feed.
#[derive(Debug, Clone)]
pub struct Feed {
    /// The rendered text.
    pub body: actix_web::web::Bytes,
    /// The same, gzip-compressed once, for clients that accept it.
    pub gzip: Option<actix_web::web::Bytes>,
    /// Strong entity tag of the body (the gzip representation's tag adds `-gzip`).
    pub etag: String,
    /// When what it was made from last changed: its Last-Modified.
    pub modified: DateTime<Utc>,
    /// Its media type.
    pub content_type: &'static str,
}

impl Feed {
    /// A rendered body with its strong entity tag (a SHA-256 prefix of the body).
    pub fn new(body: String, modified: DateTime<Utc>, content_type: &'static str) -> Self {
        use std::io::Write;
        let digest = Sha256::digest(body.as_bytes());
        let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing into memory cannot fail; should it, clients get the identity body.
        let gzip = gz
            .write_all(body.as_bytes())
            .and_then(|()| gz.finish())
            .ok();
        Feed {
            body: body.into(),
            gzip: gzip.map(Into::into),
            etag: format!("\"{hex}\""),
            modified,
            content_type,
        }
    }
}

struct SessionInfo {
    title: String,
    description: String,
    status: String,
    type_code: String,
    type_name: String,
    theme_id: Option<i64>,
    theme: Option<String>,
    join_url: Option<String>,
    duration: i32,
}

/// An instant as an iCalendar UTC date-time (`DTSTAMP`, `LAST-MODIFIED`).
pub fn utc_stamp(t: DateTime<Utc>) -> String {
    ts(t)
}

fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A DTSTART or DTEND: venue time with its TZID, unless that local time names two
/// instants (the hour repeated when clocks go back) or none, where only the UTC form
/// cannot be misread.
pub fn instant(name: &str, t: DateTime<Utc>, venue: Tz) -> ical::property::Property {
    use chrono::TimeZone;
    let local = t.with_timezone(&venue).naive_local();
    match venue.from_local_datetime(&local) {
        chrono::LocalResult::Single(_) => prop_with(
            name,
            &[("TZID", venue.name())],
            local.format("%Y%m%dT%H%M%S").to_string(),
        ),
        _ => prop(name, ts(t)),
    }
}

/// A session of the feed with its type and theme, in the order of the select below.
#[derive(Queryable)]
struct SessionRow {
    id: i64,
    title: String,
    description: String,
    status: String,
    type_code: String,
    type_name: String,
    theme_id: Option<i64>,
    theme: Option<String>,
    join_url: Option<String>,
    duration: i32,
}

/// Renders the programme feed of a meeting's published schedule; `title` names the
/// calendar (the meeting's programme when `None`).
pub fn programme_feed(
    conn: &mut DbConn,
    meeting: &Meeting,
    q: &FeedQuery,
    base_url: &str,
    title: Option<&str>,
) -> Result<Feed, ApiError> {
    let venue: Tz = meeting.venue()?;
    let (_, published_at) = crate::scheduling::versions::published_at(conn, meeting.id)?
        .ok_or(ApiError::NotFound("published programme"))?;
    let track = super::truth::published_sessions(conn, meeting.id)?;
    let uid_domain = super::truth::uid_domain(conn)?;
    // DTSTAMP: when the meeting's feeds last changed (never earlier than the
    // publication, never going backwards).
    let stamp = meeting
        .feed_changed_at
        .map(from_db)
        .map_or(published_at, |c| c.max(published_at));
    let session_ids: Vec<i64> = track.keys().copied().collect();
    let info: BTreeMap<i64, SessionInfo> = sessions::table
        .inner_join(session_types::table)
        .left_join(themes::table)
        .filter(sessions::id.eq_any(&session_ids))
        .select((
            sessions::id,
            sessions::title,
            sessions::description,
            sessions::status,
            session_types::code,
            session_types::name,
            sessions::theme_id,
            themes::name.nullable(),
            sessions::join_url,
            sessions::duration_min,
        ))
        .load::<SessionRow>(conn)?
        .into_iter()
        .map(|r| {
            (
                r.id,
                SessionInfo {
                    title: r.title,
                    description: r.description,
                    status: r.status,
                    type_code: r.type_code,
                    type_name: r.type_name,
                    theme_id: r.theme_id,
                    theme: r.theme,
                    join_url: r.join_url,
                    duration: r.duration,
                },
            )
        })
        .collect();
    let mut people: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut names: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (s, role, name, org) in sp::table
        .filter(sp::session_id.eq_any(&session_ids))
        .filter(sp::role.ne("rapporteur"))
        .order((sp::session_id, sp::position))
        .select((sp::session_id, sp::role, sp::name, sp::organisation))
        .load::<(i64, String, String, Option<String>)>(conn)?
    {
        names.entry(s).or_default().push(name.to_lowercase());
        let role = role.replace('_', " ");
        let who = match org {
            Some(o) => format!("{name} ({o}), {role}"),
            None => format!("{name}, {role}"),
        };
        people.entry(s).or_default().push(who);
    }
    let mut cal = IcalCalendar::new();
    cal.properties.push(prop("VERSION", "2.0"));
    cal.properties
        .push(prop("PRODID", "-//igf-scheduler//programme//EN"));
    cal.properties.push(prop("CALSCALE", "GREGORIAN"));
    cal.properties.push(prop("METHOD", "PUBLISH"));
    let name = escape_text(
        &title
            .map(str::to_string)
            .unwrap_or_else(|| format!("{} programme", meeting.name)),
    );
    cal.properties.push(prop("NAME", name.clone()));
    cal.properties.push(prop("X-WR-CALNAME", name));
    cal.properties.push(prop("X-WR-TIMEZONE", venue.name()));
    cal.properties.push(prop_with(
        "REFRESH-INTERVAL",
        &[("VALUE", "DURATION")],
        "PT1H",
    ));
    cal.properties.push(prop("X-PUBLISHED-TTL", "PT1H"));
    let (mut first, mut last): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = (None, None);
    for (id, t) in &track {
        let Some(s) = info.get(id) else { continue };
        let start = t.place.start;
        let end = start + chrono::Duration::minutes(i64::from(s.duration));
        let day = start.with_timezone(&venue).date_naive();
        if q.theme_id.is_some_and(|x| Some(x) != s.theme_id)
            || q.session_type.as_ref().is_some_and(|x| *x != s.type_code)
            || q.room_id.is_some_and(|x| x != t.place.room_id)
            || q.day.is_some_and(|x| x != day)
            || q.only.as_ref().is_some_and(|o| !o.contains(id))
            || q.person.as_deref().is_some_and(|p| {
                let p = p.trim().to_lowercase();
                !names
                    .get(id)
                    .is_some_and(|n| n.iter().any(|x| x.contains(&p)))
            })
        {
            continue;
        }
        first = Some(first.map_or(start, |f: DateTime<Utc>| f.min(start)));
        last = Some(last.map_or(end, |l: DateTime<Utc>| l.max(end)));
        let cancelled =
            !t.present || s.status == crate::sessions::types::SessionStatus::Cancelled.as_str();
        let mut e = IcalEvent::new();
        e.properties.push(prop(
            "UID",
            format!("session-{id}.meeting-{}@{uid_domain}", meeting.id),
        ));
        e.properties.push(prop("DTSTAMP", ts(stamp)));
        e.properties
            .push(prop("LAST-MODIFIED", ts(t.changed.min(stamp))));
        e.properties.push(prop("SEQUENCE", t.sequence.to_string()));
        e.properties.push(instant("DTSTART", start, venue));
        e.properties.push(instant("DTEND", end, venue));
        e.properties.push(prop("SUMMARY", escape_text(&s.title)));
        e.properties.push(prop(
            "LOCATION",
            escape_text(&format!("{}, {}", t.place.room, meeting.venue)),
        ));
        let mut description = s.description.trim().to_string();
        if let Some(p) = people.get(id) {
            description.push_str("\n\n");
            description.push_str(&p.join("\n"));
        }
        if let Some(u) = &s.join_url {
            description.push_str(&format!("\n\nJoin online: {u}"));
        }
        e.properties
            .push(prop("DESCRIPTION", escape_text(description.trim())));
        let mut categories = vec![escape_text(&s.type_name)];
        if let Some(th) = &s.theme {
            categories.insert(0, escape_text(th));
        }
        e.properties.push(prop("CATEGORIES", categories.join(",")));
        if let Some(u) = &s.join_url {
            e.properties.push(prop("URL", u.clone()));
        } else {
            // The session's own page.
            e.properties.push(prop(
                "URL",
                format!("{base_url}/meetings/{}/sessions/{id}", meeting.id),
            ));
        }
        e.properties.push(prop(
            "STATUS",
            if cancelled { "CANCELLED" } else { "CONFIRMED" },
        ));
        e.properties.push(prop("TRANSP", "OPAQUE"));
        cal.events.push(e);
    }
    let from = first.unwrap_or(published_at) - chrono::Duration::days(7);
    let to = last.unwrap_or(published_at) + chrono::Duration::days(7);
    cal.timezones
        .push(super::vtimezone::vtimezone(venue, from, to));
    Ok(Feed::new(
        write(&cal),
        stamp,
        "text/calendar; charset=utf-8",
    ))
}

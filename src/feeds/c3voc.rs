//! The published programme as `schedule.json` in the c3voc format that conference apps
//! (Giggity, ConfClerk, Fahrplan, the VOC's recording tools) read, and as the frab
//! `schedule.xml` of the same lineage: days, rooms per day, events with offset
//! datetimes and durations, tracks, and people by public name only.
//! Cancelled sessions are left out, as that format has no status for them (the calendar
//! feed keeps them as cancelled).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Timelike};
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::Serialize;
use uuid::Uuid;

use super::calendar::Feed;
use crate::db::DbConn;
use crate::db::schema::{rooms, themes, time_slots};
use crate::error::ApiError;
use crate::meetings::models::Meeting;
use crate::scheduling::versions::{self, ProgrammeQuery};
use crate::time::from_db;

/// The JSON Schema the document declares.
const SCHEMA: &str = "https://c3voc.de/schedule/schema.json";

/// A whole `schedule.json` document.
#[derive(Debug, Serialize)]
pub struct Document {
    #[serde(rename = "$schema")]
    schema: &'static str,
    generator: Generator,
    schedule: Schedule,
}

#[derive(Debug, Serialize)]
struct Generator {
    name: &'static str,
    version: &'static str,
}

#[derive(Debug, Serialize)]
struct Schedule {
    version: String,
    base_url: String,
    conference: Conference,
}

#[derive(Debug, Serialize)]
struct Conference {
    acronym: String,
    title: String,
    start: String,
    end: String,
    #[serde(rename = "daysCount")]
    days_count: usize,
    timeslot_duration: String,
    time_zone_name: String,
    url: String,
    tracks: Vec<TrackOut>,
    rooms: Vec<RoomOut>,
    days: Vec<DayOut>,
}

#[derive(Debug, Serialize)]
struct TrackOut {
    name: String,
    slug: String,
}

#[derive(Debug, Serialize)]
struct RoomOut {
    name: String,
    slug: String,
    guid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    capacity: i32,
}

#[derive(Debug, Serialize)]
struct DayOut {
    index: usize,
    date: String,
    day_start: String,
    day_end: String,
    rooms: BTreeMap<String, Vec<Event>>,
}

#[derive(Debug, Serialize)]
struct Event {
    guid: String,
    id: i64,
    date: String,
    start: String,
    end: String,
    duration: String,
    room: String,
    slug: String,
    url: String,
    title: String,
    subtitle: Option<String>,
    track: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    language: Option<String>,
    #[serde(rename = "abstract")]
    summary: Option<String>,
    description: Option<String>,
    persons: Vec<PersonOut>,
    links: Vec<Link>,
}

#[derive(Debug, Serialize)]
struct PersonOut {
    name: String,
    guid: String,
}

#[derive(Debug, Serialize)]
struct Link {
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
    title: String,
}

/// A lowercase slug of letters, digits and one `sep` between words.
fn slugify(s: &str, sep: char) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(sep) {
            out.push(sep);
        }
    }
    out.trim_end_matches(sep).to_string()
}

/// The conference acronym c3voc asks for (`^[a-z0-9_-][a-z0-9_]{3,}…`): the meeting's
/// name with underscores, or `meeting_{id}` when the name has too few letters.
fn acronym(meeting: &Meeting) -> String {
    let a = slugify(&meeting.name, '_');
    if a.len() >= 4 {
        a
    } else {
        format!("meeting_{}", meeting.id)
    }
}

/// A stable UUID for a thing of a meeting, under this installation's own domain
/// ([`super::truth::uid_domain`]), so that no two installations share one.
fn guid(domain: &str, meeting_id: i64, what: &str) -> String {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("igf-scheduler:{domain}:meeting-{meeting_id}:{what}").as_bytes(),
    )
    .to_string()
}

fn hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn room_kind(layout: &str) -> &'static str {
    match layout {
        "auditorium" | "theater" => "lecturehall",
        _ => "workshop",
    }
}

type RoomRow = (i64, String, i32, String);

/// Builds the `schedule.json` of a meeting's published schedule.
pub fn document(
    conn: &mut DbConn,
    meeting: &Meeting,
    base_url: &str,
) -> Result<Document, ApiError> {
    let venue: Tz = meeting.venue()?;
    let domain = super::truth::uid_domain(conn)?;
    let programme = versions::programme(conn, meeting.id, venue, &ProgrammeQuery::default(), None)?;
    let room_rows: Vec<RoomRow> = rooms::table
        .filter(rooms::meeting_id.eq(meeting.id))
        .order(rooms::id)
        .select((rooms::id, rooms::name, rooms::capacity, rooms::layout))
        .load(conn)?;
    let theme_names: Vec<String> = themes::table
        .filter(themes::meeting_id.eq(meeting.id))
        .order((themes::position, themes::id))
        .select(themes::name)
        .load(conn)?;
    let slots: Vec<(NaiveDateTime, NaiveDateTime)> = time_slots::table
        .filter(time_slots::meeting_id.eq(meeting.id))
        .select((time_slots::starts_at, time_slots::ends_at))
        .load(conn)?;
    // Each venue-local day of the meeting: from its first slot's start to its last end.
    let mut day_bounds: BTreeMap<chrono::NaiveDate, (DateTime<Tz>, DateTime<Tz>)> = BTreeMap::new();
    for (s, e) in slots {
        let (s, e) = (
            from_db(s).with_timezone(&venue),
            from_db(e).with_timezone(&venue),
        );
        let b = day_bounds.entry(s.date_naive()).or_insert((s, e));
        b.0 = b.0.min(s);
        b.1 = b.1.max(e);
    }
    let programme_url = format!("{base_url}/api/v1/meetings/{}/programme", meeting.id);
    let mut grid = 0i64;
    let mut by_day: BTreeMap<chrono::NaiveDate, BTreeMap<String, Vec<Event>>> = BTreeMap::new();
    let acronym = acronym(meeting);
    for item in programme.sessions {
        if item.status == crate::sessions::types::SessionStatus::Cancelled.as_str() {
            continue;
        }
        let start = DateTime::<FixedOffset>::parse_from_rfc3339(&item.starts_at)
            .map_err(|e| ApiError::Internal(e.into()))?;
        let end = DateTime::<FixedOffset>::parse_from_rfc3339(&item.ends_at)
            .map_err(|e| ApiError::Internal(e.into()))?;
        let minutes = (end - start).num_minutes();
        grid = gcd(grid, gcd(minutes, i64::from(start.minute())));
        let day = start.date_naive();
        let bounds = day_bounds
            .entry(day)
            .or_insert((start.with_timezone(&venue), end.with_timezone(&venue)));
        bounds.0 = bounds.0.min(start.with_timezone(&venue));
        bounds.1 = bounds.1.max(end.with_timezone(&venue));
        let title_slug = slugify(&item.title, '-');
        let title_slug: String = title_slug.chars().take(60).collect();
        let slug = format!(
            "{}-{}{}{}",
            slugify(&acronym, '-'),
            item.session_id,
            if title_slug.is_empty() { "" } else { "-" },
            title_slug.trim_end_matches('-')
        );
        let persons = item
            .people
            .iter()
            .map(|p| PersonOut {
                name: p.name.clone(),
                guid: guid(
                    &domain,
                    meeting.id,
                    &format!(
                        "person:{}|{}",
                        p.name.trim().to_lowercase(),
                        p.organisation
                            .as_deref()
                            .unwrap_or_default()
                            .trim()
                            .to_lowercase()
                    ),
                ),
            })
            .collect();
        let description = (!item.people.is_empty()).then(|| {
            item.people
                .iter()
                .map(|p| {
                    let role = p.role.replace('_', " ");
                    match &p.organisation {
                        Some(o) => format!("{} ({o}), {role}", p.name),
                        None => format!("{}, {role}", p.name),
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        });
        let links = item
            .join_url
            .iter()
            .map(|u| Link {
                kind: "web",
                url: u.clone(),
                title: "Join online".into(),
            })
            .collect();
        let event = Event {
            guid: guid(&domain, meeting.id, &format!("session-{}", item.session_id)),
            id: item.session_id,
            date: item.starts_at.clone(),
            start: start.format("%H:%M").to_string(),
            end: item.ends_at.clone(),
            duration: hhmm(minutes),
            room: item.room.clone(),
            slug,
            url: format!("{programme_url}#session-{}", item.session_id),
            title: item.title,
            subtitle: None,
            track: item.theme,
            kind: item.session_type,
            language: None,
            summary: Some(item.description),
            description,
            persons,
            links,
        };
        by_day
            .entry(day)
            .or_default()
            .entry(item.room)
            .or_default()
            .push(event);
    }
    let days: Vec<DayOut> = day_bounds
        .iter()
        .enumerate()
        .map(|(index, (date, (s, e)))| DayOut {
            index,
            date: date.to_string(),
            day_start: s.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            day_end: e.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            rooms: by_day.remove(date).unwrap_or_default(),
        })
        .collect();
    let first = day_bounds.keys().next().copied();
    let last = day_bounds.keys().next_back().copied();
    let date_or_empty = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    Ok(Document {
        schema: SCHEMA,
        generator: Generator {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        schedule: Schedule {
            version: format!("{} ({})", programme.version, programme.published_at),
            base_url: format!("{base_url}/"),
            conference: Conference {
                acronym,
                title: meeting.name.clone(),
                start: date_or_empty(first),
                end: date_or_empty(last),
                days_count: days.len(),
                timeslot_duration: hhmm(if grid > 0 { grid } else { 15 }),
                time_zone_name: venue.name().to_string(),
                url: programme_url,
                tracks: theme_names
                    .into_iter()
                    .map(|name| TrackOut {
                        slug: slugify(&name, '-'),
                        name,
                    })
                    .collect(),
                rooms: room_rows
                    .into_iter()
                    .map(|(id, name, capacity, layout)| RoomOut {
                        slug: slugify(&name, '-'),
                        guid: guid(&domain, meeting.id, &format!("room-{id}")),
                        name,
                        kind: room_kind(&layout),
                        capacity,
                    })
                    .collect(),
                days,
            },
        },
    })
}

/// Renders the document once, with its strong entity tag.
pub fn schedule_feed(
    conn: &mut DbConn,
    meeting: &Meeting,
    base_url: &str,
) -> Result<Feed, ApiError> {
    let modified = modified_of(conn, meeting)?;
    let doc = document(conn, meeting, base_url)?;
    let body = serde_json::to_string(&doc).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(Feed::new(body, modified, "application/json"))
}

/// Text XML 1.0 can hold: characters it does not allow (control characters other
/// than tab and line ends, U+FFFE, U+FFFF) become U+FFFD.
fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
    };
    if s.chars().any(bad) {
        s.chars()
            .map(|c| if bad(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// Writes an element holding only text (escaped).
fn text_element<W: std::io::Write>(
    w: &mut quick_xml::Writer<W>,
    name: &str,
    text: &str,
) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(quick_xml::events::BytesText::new(&xml_safe(text)))?;
    Ok(())
}

/// The document as frab's `schedule.xml` (the XML Schema in the voc/schedule
/// repository): the same days, rooms and events as `schedule.json`.
pub fn xml(doc: &Document) -> std::io::Result<String> {
    use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event as X};
    let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(X::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(X::Start(BytesStart::new("schedule")))?;
    let s = &doc.schedule;
    text_element(&mut w, "version", &s.version)?;
    let c = &s.conference;
    w.write_event(X::Start(BytesStart::new("conference")))?;
    text_element(&mut w, "title", &c.title)?;
    text_element(&mut w, "acronym", &c.acronym)?;
    if !c.start.is_empty() {
        text_element(&mut w, "start", c.start.get(..10).unwrap_or(&c.start))?;
        text_element(&mut w, "end", c.end.get(..10).unwrap_or(&c.end))?;
    }
    text_element(&mut w, "days", &c.days_count.to_string())?;
    text_element(&mut w, "timeslot_duration", &c.timeslot_duration)?;
    w.write_event(X::End(BytesEnd::new("conference")))?;
    for day in &c.days {
        let index = (day.index + 1).to_string();
        let start = BytesStart::new("day").with_attributes([
            ("index", index.as_str()),
            ("date", day.date.as_str()),
            ("start", day.day_start.as_str()),
            ("end", day.day_end.as_str()),
        ]);
        w.write_event(X::Start(start))?;
        for (room, events) in &day.rooms {
            let room_name = xml_safe(room);
            w.write_event(X::Start(
                BytesStart::new("room").with_attributes([("name", room_name.as_ref())]),
            ))?;
            for e in events {
                let id = e.id.to_string();
                w.write_event(X::Start(
                    BytesStart::new("event")
                        .with_attributes([("id", id.as_str()), ("guid", e.guid.as_str())]),
                ))?;
                text_element(&mut w, "room", &e.room)?;
                text_element(&mut w, "title", &e.title)?;
                text_element(
                    &mut w,
                    "subtitle",
                    e.subtitle.as_deref().unwrap_or_default(),
                )?;
                text_element(&mut w, "type", &e.kind)?;
                text_element(&mut w, "date", &e.date)?;
                text_element(&mut w, "start", &e.start)?;
                text_element(&mut w, "duration", &e.duration)?;
                text_element(&mut w, "abstract", e.summary.as_deref().unwrap_or_default())?;
                if let Some(d) = &e.description {
                    text_element(&mut w, "description", d)?;
                }
                text_element(&mut w, "slug", &e.slug)?;
                text_element(&mut w, "track", e.track.as_deref().unwrap_or_default())?;
                if let Some(l) = &e.language {
                    text_element(&mut w, "language", l)?;
                }
                w.write_event(X::Start(BytesStart::new("persons")))?;
                for p in &e.persons {
                    text_element(&mut w, "person", &p.name)?;
                }
                w.write_event(X::End(BytesEnd::new("persons")))?;
                w.write_event(X::Start(BytesStart::new("links")))?;
                for l in &e.links {
                    w.create_element("link")
                        .with_attribute(("href", xml_safe(&l.url).as_ref()))
                        .write_text_content(quick_xml::events::BytesText::new(&xml_safe(
                            &l.title,
                        )))?;
                }
                w.write_event(X::End(BytesEnd::new("links")))?;
                w.write_event(X::End(BytesEnd::new("event")))?;
            }
            w.write_event(X::End(BytesEnd::new("room")))?;
        }
        w.write_event(X::End(BytesEnd::new("day")))?;
    }
    w.write_event(X::End(BytesEnd::new("schedule")))?;
    String::from_utf8(w.into_inner()).map_err(std::io::Error::other)
}

/// When what the schedule documents are made of last changed (404 with nothing
/// published): the publication, or a later change to what the feeds show.
fn modified_of(
    conn: &mut DbConn,
    meeting: &Meeting,
) -> Result<chrono::DateTime<chrono::Utc>, ApiError> {
    let (_, published_at) = versions::published_at(conn, meeting.id)?
        .ok_or(ApiError::NotFound("published programme"))?;
    Ok(meeting
        .feed_changed_at
        .map(crate::time::from_db)
        .map_or(published_at, |c| c.max(published_at)))
}

/// The published programme as `schedule.xml`, cached and sequenced as `schedule.json`.
pub fn schedule_xml_feed(
    conn: &mut DbConn,
    meeting: &Meeting,
    base_url: &str,
) -> Result<Feed, ApiError> {
    let modified = modified_of(conn, meeting)?;
    let doc = document(conn, meeting, base_url)?;
    let body = xml(&doc).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(Feed::new(body, modified, "application/xml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped() {
        let mut w = quick_xml::Writer::new(Vec::new());
        text_element(&mut w, "title", "Bits & <bytes> \"quoted\"").unwrap();
        let out = String::from_utf8(w.into_inner()).unwrap();
        assert_eq!(
            out,
            "<title>Bits &amp; &lt;bytes&gt; &quot;quoted&quot;</title>"
        );
        assert_eq!(xml_safe("a\u{FFFE}b\u{1}c\td"), "a\u{FFFD}b\u{FFFD}c\td");
    }

    #[test]
    fn slugs_fit_the_patterns() {
        assert_eq!(slugify("IGF 2027 (demo)", '_'), "igf_2027_demo");
        assert_eq!(slugify("  Öffentliche -- Räume!", '-'), "ffentliche-r-ume");
        assert_eq!(slugify("!!!", '-'), "");
    }

    #[test]
    fn guids_are_stable_and_distinct() {
        assert_eq!(guid("a", 1, "session-4"), guid("a", 1, "session-4"));
        assert_ne!(guid("a", 1, "session-4"), guid("a", 2, "session-4"));
        assert_ne!(guid("a", 1, "session-4"), guid("b", 1, "session-4"));
        assert_eq!(guid("a", 1, "session-4").len(), 36);
    }

    #[test]
    fn grid_and_durations() {
        assert_eq!(hhmm(90), "01:30");
        assert_eq!(gcd(gcd(0, 90), 30), 30);
        assert_eq!(gcd(60, gcd(45, 15)), 15);
    }
}

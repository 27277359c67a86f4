//! The page use cases: the programme of a meeting (filtered, in any zone), a session,
//! and the list of meetings, each rendered from the published programme as
//! [`crate::scheduling::versions::programme`] gives it to the API, once per change,
//! filter set and zone, through the feeds' cache ([`feeds_service::public_feed`]).

use std::collections::BTreeSet;

use std::sync::Arc;

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::assets::{CSS, JS};
use super::words::{EN, Words};
use super::zones;
use crate::auth::AuthUser;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::feeds::agendas::Origin;
use crate::feeds::cache::FeedCache;
use crate::feeds::calendar::{Feed, FeedQuery, MAX_PERSON_FILTER};
use crate::feeds::service as feeds_service;
use crate::meetings::models::Meeting;
use crate::meetings::types::MeetingResponse;
use crate::scheduling::versions::{self, Programme, ProgrammeItem, ProgrammeQuery};

/// The media type of every page.
pub const HTML: &str = "text/html; charset=utf-8";

/// The filters and zone of a page, as the visitor's form sends them: every field a
/// string, an empty one meaning "all", unknown ones ignored.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PageQuery {
    day: Option<String>,
    theme_id: Option<String>,
    session_type: Option<String>,
    room_id: Option<String>,
    person: Option<String>,
    tz: Option<String>,
    view: Option<String>,
}

/// What a field of the page's forms got wrong, to show beside it.
#[derive(Debug, Default, Clone)]
struct Errors {
    day: Option<String>,
    theme_id: Option<String>,
    session_type: Option<String>,
    room_id: Option<String>,
    person: Option<String>,
    tz: Option<String>,
}

impl Errors {
    fn any(&self) -> bool {
        self.day.is_some()
            || self.theme_id.is_some()
            || self.session_type.is_some()
            || self.room_id.is_some()
            || self.person.is_some()
            || self.tz.is_some()
    }
}

/// What a page of one room, theme or person is about: the programme's filter it
/// fixes, with a heading of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Focus {
    /// `/meetings/{id}/rooms/{room_id}`.
    Room(i64),
    /// `/meetings/{id}/themes/{theme_id}`.
    Theme(i64),
    /// `/meetings/{id}/people/{name}`: sessions with a person whose public name
    /// contains it, as the feed's `person` filter finds them.
    Person(String),
}

/// A page's query read: the filters that parse, the zone, and what did not parse.
#[derive(Debug, Clone)]
pub struct Asked {
    focus: Option<Focus>,
    grid: bool,
    filters: FeedQuery,
    zone: Option<Tz>,
    raw: PageQuery,
    errors: Errors,
}

/// What a visitor typed, as a message may repeat it: without control characters, and
/// short.
fn shown(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(60).collect()
}

fn filled(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Asked {
    /// The zone asked for, under its current name.
    pub fn zone(&self) -> Option<Tz> {
        self.zone
    }

    /// What is wrong with the zone asked for, in words, if it is not one.
    pub fn zone_error(&self) -> Option<&str> {
        self.errors.tz.as_deref()
    }

    /// The query of a room, theme or person page: its own filter replaces any the
    /// query names, and it is a list.
    pub fn focused(mut self, focus: Focus) -> Self {
        match &focus {
            Focus::Room(id) => self.filters.room_id = Some(*id),
            Focus::Theme(id) => self.filters.theme_id = Some(*id),
            Focus::Person(name) => self.filters.person = Some(name.trim().to_string()),
        }
        self.errors.room_id = None;
        self.errors.theme_id = None;
        self.errors.person = None;
        self.grid = false;
        self.focus = Some(focus);
        self
    }
}

/// Reads a page's query string; nothing in it is refused, only noted beside its field.
/// A name given twice counts once, the first time; names the page does not know are
/// left alone.
pub fn read_query(query: &str) -> Asked {
    let mut raw = PageQuery::default();
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        let slot = match k.as_ref() {
            "day" => &mut raw.day,
            "theme_id" => &mut raw.theme_id,
            "session_type" => &mut raw.session_type,
            "room_id" => &mut raw.room_id,
            "person" => &mut raw.person,
            "tz" => &mut raw.tz,
            "view" => &mut raw.view,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(v.into_owned());
        }
    }
    let mut errors = Errors::default();
    let mut filters = FeedQuery::default();
    if let Some(d) = filled(&raw.day) {
        match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => filters.day = Some(d),
            Err(_) => errors.day = Some(format!("“{}” {}", shown(d), EN.not_a_date)),
        }
    }
    for (v, slot, err) in [
        (&raw.theme_id, &mut filters.theme_id, &mut errors.theme_id),
        (&raw.room_id, &mut filters.room_id, &mut errors.room_id),
    ] {
        if let Some(s) = filled(v) {
            match s.parse::<i64>() {
                Ok(n) => *slot = Some(n),
                Err(_) => *err = Some(format!("“{}” {}", shown(s), EN.not_a_choice)),
            }
        }
    }
    let plain = |s: &str, max: usize| {
        crate::text::control_character(s).is_none() && s.chars().count() <= max
    };
    if let Some(s) = filled(&raw.session_type) {
        if plain(s, 40) {
            filters.session_type = Some(s.to_string());
        } else {
            errors.session_type = Some(format!("“{}” {}", shown(s), EN.not_a_choice));
        }
    }
    if let Some(s) = filled(&raw.person) {
        if plain(s, MAX_PERSON_FILTER) {
            filters.person = Some(s.to_string());
        } else {
            errors.person = Some(EN.person_too_long.to_string());
        }
    }
    let mut zone = None;
    if let Some(z) = filled(&raw.tz) {
        match zones::canonical(z) {
            Some(tz) => zone = Some(tz),
            None => errors.tz = Some(format!("“{}” {}", shown(z), EN.unknown_zone)),
        }
    }
    Asked {
        focus: None,
        grid: filled(&raw.view) == Some("grid"),
        filters,
        zone,
        raw,
        errors,
    }
}

/// A choice in a filter.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// A filter with its choices.
struct Select {
    name: &'static str,
    label: &'static str,
    options: Vec<Choice>,
    error: Option<String>,
}

/// A session as a line of the programme.
struct Line {
    id: i64,
    href: String,
    title: String,
    cancelled: bool,
    highlight: bool,
    type_name: String,
    theme: Option<String>,
    room: String,
    room_href: String,
    theme_href: Option<String>,
    time: String,
    venue_time: Option<String>,
    start_utc: String,
    end_utc: String,
    people: Vec<(String, String)>,
}

/// A day of the programme.
struct DayBlock {
    date: String,
    heading: String,
    items: Vec<Line>,
}

/// A session in a cell of the grid.
struct Cell {
    href: String,
    title: String,
    cancelled: bool,
    highlight: bool,
    time: String,
}

/// A start time of the grid's day, with what starts then in each room.
struct GridRow {
    time: String,
    start_utc: String,
    cells: Vec<Vec<Cell>>,
}

/// One venue day as a grid: rooms across, start times down.
struct Grid {
    caption: String,
    rooms: Vec<String>,
    rows: Vec<GridRow>,
}

/// The heading of a room, theme or person page.
struct FocusView {
    kind: &'static str,
    name: String,
    about: String,
    path: String,
}

/// What the programme page shows.
struct ProgrammeView {
    hubs: Vec<(String, String)>,
    now_href: String,
    report_href: Option<String>,
    summary_href: String,
    summary_label: &'static str,
    agenda_action: String,
    home: String,
    focus: Option<FocusView>,
    agenda_href: String,
    grid: Option<Grid>,
    list_href: String,
    grid_href: String,
    meeting: String,
    venue: String,
    dates: String,
    venue_zone: String,
    path: String,
    tz_param: Option<String>,
    tz_value: String,
    zone_error: Option<String>,
    keep_for_zone: Vec<(&'static str, String)>,
    zones: Vec<&'static str>,
    selects: Vec<Select>,
    person: String,
    person_error: Option<String>,
    clear_href: String,
    venue_href: Option<String>,
    renamed: String,
    webcal: String,
    https: String,
    days: Vec<DayBlock>,
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage<'a> {
    w: &'a Words,
    css: &'a str,
    js: &'a str,
    shown_zone: String,
    p: ProgrammeView,
}

/// A person on a session page.
struct PersonLine {
    href: String,
    name: String,
    role: String,
    organisation: Option<String>,
    participation: Option<String>,
}

/// What a session page shows.
struct SessionView {
    id: i64,
    theme_href: Option<String>,
    policy_questions: Vec<String>,
    room_href: String,
    title: String,
    cancelled: bool,
    type_name: String,
    theme: Option<String>,
    date_time: String,
    venue_time: Option<String>,
    start_utc: String,
    room: String,
    hybrid: bool,
    join_url: Option<String>,
    description: Vec<String>,
    people_list: Vec<PersonLine>,
    ics_href: String,
    google_href: String,
    outlook_href: String,
}

/// The meeting around a session page.
/// A session's accepted full report as its page shows it.
struct FullReport {
    key_issues: Vec<String>,
    discussion: Vec<String>,
    way_forward: Vec<String>,
    participants: Option<String>,
    recording: Option<String>,
    transcript: Option<String>,
}

fn paragraphs(t: Option<&str>) -> Vec<String> {
    t.unwrap_or_default()
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn full_report(c: crate::reports::types::ReportContent) -> FullReport {
    let r = &super::words::REPORTS;
    let participants = match (c.participants_onsite, c.participants_online) {
        (None, None) => None,
        (on, off) => Some(format!(
            "{} {}, {} {}{}",
            on.unwrap_or(0),
            r.onsite.to_lowercase(),
            off.unwrap_or(0),
            r.online.to_lowercase(),
            c.women_estimate
                .map(|w| format!("; {} {w}", r.women.to_lowercase()))
                .unwrap_or_default()
        )),
    };
    FullReport {
        key_issues: c.key_issues.unwrap_or_default(),
        discussion: paragraphs(c.discussion.as_deref()),
        way_forward: paragraphs(c.way_forward.as_deref()),
        participants,
        recording: c.recording_url,
        transcript: c.transcript_url,
    }
}

struct SessionMeeting {
    agenda_href: String,
    agenda_action: String,
    tz_param: Option<String>,
    meeting: String,
    venue_zone: String,
    back_href: String,
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage<'a> {
    w: &'a Words,
    r: &'a super::words::ReportWords,
    short_report: Option<crate::reports::types::ReportContent>,
    full_report: Option<FullReport>,
    css: &'a str,
    js: &'a str,
    shown_zone: String,
    p: SessionMeeting,
    s: SessionView,
}

/// A meeting in the list.
struct MeetingLine {
    href: String,
    name: String,
    venue: String,
    dates: String,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    w: &'a Words,
    css: &'a str,
    shown_zone: String,
    meetings: Vec<MeetingLine>,
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage<'a> {
    w: &'a Words,
    css: &'a str,
    shown_zone: String,
}

pub(super) fn render(t: &impl Template) -> Result<String, ApiError> {
    t.render().map_err(|e| ApiError::Internal(e.into()))
}

pub(super) fn parse_utc(s: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| ApiError::Internal(e.into()))
}

/// "09:00–10:30"; "23:30–01:00 (+1)" when it ends on the next day there; with each
/// end's offset, "02:30 (UTC+02:00)–02:30 (UTC+01:00)", when the clocks change in
/// between.
pub(super) fn span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    use chrono::Offset;
    let (a, b) = (start.with_timezone(&zone), end.with_timezone(&zone));
    let later = (b.date_naive() - a.date_naive()).num_days();
    let mark = if later > 0 {
        format!(" (+{later})")
    } else {
        String::new()
    };
    if a.offset().fix() != b.offset().fix() {
        return format!(
            "{} (UTC{})–{} (UTC{}){mark}",
            a.format("%H:%M"),
            a.format("%:z"),
            b.format("%H:%M"),
            b.format("%:z")
        );
    }
    format!("{}–{}{mark}", a.format("%H:%M"), b.format("%H:%M"))
}

/// "23–26 June 2026", or across months "30 June – 2 July 2026".
pub(super) fn dates_of(m: &MeetingResponse) -> String {
    let (Some(first), Some(last)) = (m.days.first(), m.days.last()) else {
        return String::new();
    };
    let (a, b) = (first.date, last.date);
    if a == b {
        a.format("%-d %B %Y").to_string()
    } else if a.format("%m%Y").to_string() == b.format("%m%Y").to_string() {
        format!("{}–{}", a.format("%-d"), b.format("%-d %B %Y"))
    } else {
        format!("{} – {}", a.format("%-d %B"), b.format("%-d %B %Y"))
    }
}

/// A query string for the page's own links: the filters and zone given.
fn page_query(filters: &FeedQuery, zone: Option<Tz>) -> Vec<(&'static str, String)> {
    let mut out = vec![];
    if let Some(d) = filters.day {
        out.push(("day", d.to_string()));
    }
    if let Some(t) = filters.theme_id {
        out.push(("theme_id", t.to_string()));
    }
    if let Some(t) = &filters.session_type {
        out.push(("session_type", t.clone()));
    }
    if let Some(r) = filters.room_id {
        out.push(("room_id", r.to_string()));
    }
    if let Some(p) = &filters.person {
        out.push(("person", p.clone()));
    }
    if let Some(z) = zone {
        out.push(("tz", z.name().to_string()));
    }
    out
}

pub(super) fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("{path}?{}", q.finish())
}

/// The published programme of a visible meeting, as the API gives it.
pub(super) fn programme_of(
    conn: &mut DbConn,
    m: &Meeting,
    filters: &FeedQuery,
) -> Result<(Programme, MeetingResponse), ApiError> {
    let venue = m.venue()?;
    let q = ProgrammeQuery {
        day: filters.day,
        theme_id: filters.theme_id,
        session_type: filters.session_type.clone(),
        room_id: filters.room_id,
        person: filters.person.clone(),
        tz: None,
    };
    let programme = versions::programme(conn, m.id, venue, &q, None)?;
    let view = crate::meetings::queries::view(conn, m)?;
    Ok((programme, view))
}

fn modified(conn: &mut DbConn, m: &Meeting) -> Result<DateTime<Utc>, ApiError> {
    let (_, published) =
        versions::published_at(conn, m.id)?.ok_or(ApiError::NotFound("published programme"))?;
    Ok(m.feed_changed_at
        .map(crate::time::from_db)
        .map_or(published, |c| c.max(published)))
}

fn type_name(view: &MeetingResponse, code: &str) -> (String, bool) {
    view.session_types
        .iter()
        .find(|t| t.code == code)
        .map_or((code.to_string(), false), |t| (t.name.clone(), t.exclusive))
}

fn programme_page(
    conn: &mut DbConn,
    m: &Meeting,
    asked: &Asked,
    base: &str,
) -> Result<String, ApiError> {
    let venue = m.venue()?;
    let shown = asked.zone.unwrap_or(venue);
    if let Some(Focus::Person(name)) = &asked.focus {
        // A name no person search takes has no page.
        crate::feeds::calendar::check_person(Some(name))
            .map_err(|_| ApiError::NotFound("person"))?;
    }
    let (mut programme, view) = programme_of(conn, m, &asked.filters)?;
    if let Some(Focus::Person(name)) = &asked.focus {
        // The person of that name, not every name that contains it.
        let needle = name.trim().to_lowercase();
        programme
            .sessions
            .retain(|s| s.people.iter().any(|p| p.name.to_lowercase() == needle));
    }
    let home = format!("/meetings/{}", m.id);
    let f = &asked.filters;
    let focus = match &asked.focus {
        None => None,
        Some(Focus::Room(id)) => {
            let r = view
                .rooms
                .iter()
                .find(|r| r.id == *id)
                .ok_or(ApiError::NotFound("room"))?;
            let mut about = format!("{} {}", EN.capacity, r.capacity);
            if r.hybrid {
                about = format!("{about} · {}", EN.hybrid_room);
            }
            Some(FocusView {
                kind: EN.room,
                name: r.name.clone(),
                about,
                path: format!("{home}/rooms/{id}"),
            })
        }
        Some(Focus::Theme(id)) => {
            let t = view
                .themes
                .iter()
                .find(|t| t.id == *id)
                .ok_or(ApiError::NotFound("theme"))?;
            Some(FocusView {
                kind: EN.theme,
                name: t.name.clone(),
                about: t.description.clone(),
                path: format!("{home}/themes/{id}"),
            })
        }
        Some(Focus::Person(name)) => {
            let needle = name.trim().to_lowercase();
            if !programme
                .sessions
                .iter()
                .any(|s| s.people.iter().any(|p| p.name.to_lowercase() == needle))
            {
                // A person's page is for a name as the programme writes it.
                return Err(ApiError::NotFound("person"));
            }
            let mut orgs: Vec<String> = programme
                .sessions
                .iter()
                .flat_map(|s| &s.people)
                .filter(|p| p.name.to_lowercase() == needle)
                .filter_map(|p| p.organisation.clone())
                .collect();
            orgs.sort();
            orgs.dedup();
            Some(FocusView {
                kind: EN.person,
                name: name.trim().to_string(),
                about: orgs.join(" · "),
                path: format!("{home}/people/{}", person_segment(name.trim())),
            })
        }
    };
    let path = focus.as_ref().map_or(home.clone(), |f| f.path.clone());
    let zone_only: Vec<(&'static str, String)> = asked
        .zone
        .map(|z| vec![("tz", z.name().to_string())])
        .unwrap_or_default();
    let session_query = zone_only.clone();
    let mut days: Vec<DayBlock> = vec![];
    for item in &programme.sessions {
        let start = parse_utc(&item.starts_at_utc)?;
        let end = parse_utc(&item.ends_at_utc)?;
        let venue_date = start.with_timezone(&venue).date_naive();
        let shown_date = start.with_timezone(&shown).date_naive();
        let mut time = span(start, end, shown);
        if shown_date != venue_date {
            time = format!("{} {time}", start.with_timezone(&shown).format("%a %-d %b"));
        }
        let (type_label, exclusive) = type_name(&view, &item.session_type);
        let line = Line {
            id: item.session_id,
            href: with_query(
                &format!("{home}/sessions/{}", item.session_id),
                &session_query,
            ),
            title: item.title.clone(),
            cancelled: item.status == "cancelled",
            highlight: exclusive,
            type_name: type_label,
            theme: item.theme.clone(),
            room: item.room.clone(),
            room_href: with_query(&format!("{home}/rooms/{}", item.room_id), &zone_only),
            theme_href: item
                .theme
                .as_ref()
                .and_then(|t| view.themes.iter().find(|x| &x.name == t))
                .map(|t| with_query(&format!("{home}/themes/{}", t.id), &zone_only)),
            time,
            venue_time: (shown != venue).then(|| span(start, end, venue)),
            start_utc: item.starts_at_utc.clone(),
            end_utc: item.ends_at_utc.clone(),
            people: item
                .people
                .iter()
                .map(|p| {
                    let href = format!("{home}/people/{}", person_segment(&p.name));
                    (p.name.clone(), with_query(&href, &zone_only))
                })
                .collect(),
        };
        let date = venue_date.to_string();
        match days.last_mut() {
            Some(d) if d.date == date => d.items.push(line),
            _ => {
                let label = view
                    .days
                    .iter()
                    .find(|d| d.date == venue_date)
                    .map(|d| d.label.clone())
                    .unwrap_or_default();
                let heading = if label.is_empty() {
                    venue_date.format("%A %-d %B %Y").to_string()
                } else {
                    format!("{label}: {}", venue_date.format("%A %-d %B %Y"))
                };
                days.push(DayBlock {
                    date,
                    heading,
                    items: vec![line],
                });
            }
        }
    }
    let grid = if asked.grid {
        let day = f.day.or_else(|| view.days.first().map(|d| d.date));
        let on_day: Vec<&ProgrammeItem> = programme
            .sessions
            .iter()
            .filter(|s| Some(s.day.as_str()) == day.map(|d| d.to_string()).as_deref())
            .collect();
        let rooms: Vec<(i64, String)> = view
            .rooms
            .iter()
            .filter(|r| on_day.iter().any(|s| s.room_id == r.id))
            .map(|r| (r.id, r.name.clone()))
            .collect();
        let mut rows: Vec<GridRow> = vec![];
        for s in &on_day {
            let start = parse_utc(&s.starts_at_utc)?;
            let end = parse_utc(&s.ends_at_utc)?;
            if rows.last().is_none_or(|r| r.start_utc != s.starts_at_utc) {
                let local = start.with_timezone(&shown);
                let mut time = local.format("%H:%M").to_string();
                if local.date_naive() != start.with_timezone(&venue).date_naive() {
                    time = format!("{} {time}", local.format("%a %-d %b"));
                }
                rows.push(GridRow {
                    time,
                    start_utc: s.starts_at_utc.clone(),
                    cells: rooms.iter().map(|_| vec![]).collect(),
                });
            }
            let (_, exclusive) = type_name(&view, &s.session_type);
            if let (Some(row), Some(col)) =
                (rows.last_mut(), rooms.iter().position(|r| r.0 == s.room_id))
            {
                row.cells[col].push(Cell {
                    href: with_query(&format!("{home}/sessions/{}", s.session_id), &session_query),
                    title: s.title.clone(),
                    cancelled: s.status == "cancelled",
                    highlight: exclusive,
                    time: span(start, end, shown),
                });
            }
        }
        Some(Grid {
            caption: day.map_or(String::new(), |d| d.format("%A %-d %B %Y").to_string()),
            rooms: rooms.into_iter().map(|r| r.1).collect(),
            rows,
        })
    } else {
        None
    };
    let mut list_query = page_query(f, asked.zone);
    let list_href = with_query(&path, &list_query);
    if !list_query.iter().any(|(k, _)| *k == "day")
        && let Some(d) = view.days.first()
    {
        list_query.push(("day", d.date.to_string()));
    }
    list_query.push(("view", "grid".to_string()));
    let grid_href = with_query(&path, &list_query);
    let selects = vec![
        Select {
            name: "day",
            label: EN.day,
            options: view
                .days
                .iter()
                .map(|d| Choice {
                    value: d.date.to_string(),
                    label: if d.label.is_empty() {
                        d.date.format("%a %-d %b").to_string()
                    } else {
                        format!("{}: {}", d.label, d.date.format("%a %-d %b"))
                    },
                    selected: f.day == Some(d.date),
                })
                .collect(),
            error: asked.errors.day.clone(),
        },
        Select {
            name: "theme_id",
            label: EN.theme,
            options: view
                .themes
                .iter()
                .map(|t| Choice {
                    value: t.id.to_string(),
                    label: t.name.clone(),
                    selected: f.theme_id == Some(t.id),
                })
                .collect(),
            error: asked.errors.theme_id.clone(),
        },
        Select {
            name: "session_type",
            label: EN.session_type,
            options: view
                .session_types
                .iter()
                .map(|t| Choice {
                    value: t.code.clone(),
                    label: t.name.clone(),
                    selected: f.session_type.as_deref() == Some(t.code.as_str()),
                })
                .collect(),
            error: asked.errors.session_type.clone(),
        },
        Select {
            name: "room_id",
            label: EN.room,
            options: view
                .rooms
                .iter()
                .map(|r| Choice {
                    value: r.id.to_string(),
                    label: r.name.clone(),
                    selected: f.room_id == Some(r.id),
                })
                .collect(),
            error: asked.errors.room_id.clone(),
        },
    ];
    let mut feed_filters = page_query(f, None);
    feed_filters.retain(|(k, _)| *k != "tz");
    let links = Origin(base.to_string()).links(&with_query(
        &format!("/api/v1/meetings/{}/programme.ics", m.id),
        &feed_filters,
    ));
    let mut keep = page_query(f, None);
    // A room, theme or person page has its filter in its path.
    let own = match asked.focus {
        Some(Focus::Room(_)) => "room_id",
        Some(Focus::Theme(_)) => "theme_id",
        Some(Focus::Person(_)) => "person",
        None => "",
    };
    keep.retain(|(k, _)| *k != "tz" && *k != own);
    if asked.grid {
        keep.push(("view", "grid".to_string()));
    }
    let page = ProgrammePage {
        w: &EN,
        css: &CSS.name,
        js: &JS.name,
        shown_zone: shown.name().to_string(),
        p: ProgrammeView {
            // Hub pages are public: a meeting the public cannot see lists none.
            hubs: match crate::scheduling::hubs::list(conn, &None, m.id) {
                Ok(hubs) => hubs
                    .into_iter()
                    .map(|h| (format!("/hubs/{}", h.id), format!("{}, {}", h.name, h.city)))
                    .collect(),
                Err(ApiError::NotFound(_)) => vec![],
                Err(e) => return Err(e),
            },
            now_href: with_query(&format!("{home}/now"), &zone_only),
            report_href: (crate::evaluation::phase::load(conn, m.id)?.phase
                == crate::evaluation::phase::Phase::Published)
                .then(|| format!("{home}/report")),
            summary_href: format!("{home}/reports"),
            summary_label: super::words::REPORTS.summary,
            agenda_href: with_query(&format!("{home}/agenda"), &zone_only),
            agenda_action: format!("{home}/agenda"),
            home: with_query(&home, &zone_only),
            focus,
            grid,
            list_href,
            grid_href,
            meeting: view.name.clone(),
            venue: view.venue.clone(),
            dates: dates_of(&view),
            venue_zone: venue.name().to_string(),
            path: path.clone(),
            tz_param: asked.zone.map(|z| z.name().to_string()),
            tz_value: match (&asked.errors.tz, asked.zone) {
                (Some(_), _) => asked.raw.tz.clone().unwrap_or_default(),
                (None, Some(z)) => z.name().to_string(),
                (None, None) => String::new(),
            },
            zone_error: asked.errors.tz.clone(),
            keep_for_zone: keep,
            zones: zones::choices().collect(),
            selects,
            person: f.person.clone().unwrap_or_default(),
            person_error: asked.errors.person.clone(),
            clear_href: with_query(&path, &zone_only),
            venue_href: (shown != venue).then(|| {
                let mut q = page_query(f, None);
                q.push(("tz", venue.name().to_string()));
                with_query(&path, &q)
            }),
            renamed: zones::renamed().collect::<Vec<_>>().join(" "),
            webcal: links.webcal,
            https: links.https,
            days,
        },
    };
    render(&page)
}

fn session_page(
    conn: &mut DbConn,
    m: &Meeting,
    session_id: i64,
    zone: Option<Tz>,
) -> Result<String, ApiError> {
    let venue = m.venue()?;
    let shown = zone.unwrap_or(venue);
    let (programme, view) = programme_of(conn, m, &FeedQuery::default())?;
    let item: &ProgrammeItem = programme
        .sessions
        .iter()
        .find(|s| s.session_id == session_id)
        .ok_or(ApiError::NotFound("session"))?;
    let start = parse_utc(&item.starts_at_utc)?;
    let end = parse_utc(&item.ends_at_utc)?;
    let (type_label, _) = type_name(&view, &item.session_type);
    let zone_only: Vec<(&'static str, String)> = zone
        .map(|z| vec![("tz", z.name().to_string())])
        .unwrap_or_default();
    let when = |z: Tz| {
        format!(
            "{}, {}",
            start.with_timezone(&z).format("%A %-d %B %Y"),
            span(start, end, z)
        )
    };
    let room_hybrid = view
        .rooms
        .iter()
        .find(|r| r.id == item.room_id)
        .is_some_and(|r| r.hybrid);
    let place = format!("{}, {}", item.room, view.venue);
    let compact = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let mut google = form_urlencoded::Serializer::new(String::new());
    google
        .append_pair("action", "TEMPLATE")
        .append_pair("text", &item.title)
        .append_pair("dates", &format!("{}/{}", compact(start), compact(end)))
        .append_pair("location", &place);
    let mut outlook = form_urlencoded::Serializer::new(String::new());
    outlook
        .append_pair("subject", &item.title)
        .append_pair(
            "startdt",
            &start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
        .append_pair(
            "enddt",
            &end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
        .append_pair("location", &place);
    let (short_report, full) = crate::reports::accepted(conn, session_id)?;
    let page = SessionPage {
        w: &EN,
        r: &super::words::REPORTS,
        short_report,
        full_report: full.map(full_report),
        css: &CSS.name,
        js: &JS.name,
        shown_zone: shown.name().to_string(),
        p: SessionMeeting {
            agenda_href: with_query(&format!("/meetings/{}/agenda", m.id), &zone_only),
            agenda_action: format!("/meetings/{}/agenda", m.id),
            tz_param: zone.map(|z| z.name().to_string()),
            meeting: view.name.clone(),
            venue_zone: venue.name().to_string(),
            back_href: with_query(&format!("/meetings/{}", m.id), &zone_only),
        },
        s: SessionView {
            id: item.session_id,
            theme_href: item
                .theme
                .as_ref()
                .and_then(|t| view.themes.iter().find(|x| &x.name == t))
                .map(|t| with_query(&format!("/meetings/{}/themes/{}", m.id, t.id), &zone_only)),
            policy_questions: item.policy_questions.clone(),
            room_href: with_query(
                &format!("/meetings/{}/rooms/{}", m.id, item.room_id),
                &zone_only,
            ),
            title: item.title.clone(),
            cancelled: item.status == "cancelled",
            type_name: type_label,
            theme: item.theme.clone(),
            date_time: when(shown),
            venue_time: (shown != venue).then(|| when(venue)),
            start_utc: item.starts_at_utc.clone(),
            room: item.room.clone(),
            hybrid: item.hybrid && room_hybrid,
            join_url: item.join_url.clone().filter(|_| item.hybrid),
            description: item
                .description
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            people_list: item
                .people
                .iter()
                .map(|p| PersonLine {
                    href: with_query(
                        &format!("/meetings/{}/people/{}", m.id, person_segment(&p.name)),
                        &zone_only,
                    ),
                    name: p.name.clone(),
                    role: EN.role(&p.role).to_string(),
                    organisation: p.organisation.clone(),
                    participation: p.participation.as_deref().map(|how| {
                        if how == "online" {
                            EN.online
                        } else {
                            EN.onsite
                        }
                        .to_string()
                    }),
                })
                .collect(),
            ics_href: format!("/meetings/{}/sessions/{session_id}/calendar.ics", m.id),
            google_href: format!(
                "https://calendar.google.com/calendar/render?{}",
                google.finish()
            ),
            outlook_href: format!(
                "https://outlook.live.com/calendar/0/action/compose?{}",
                outlook.finish()
            ),
        },
    };
    render(&page)
}

/// A person's name as a path segment of their page.
pub(super) fn person_segment(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A page rendered with its strong ETag, as the feeds are.
fn page_feed(body: String, modified: DateTime<Utc>) -> Feed {
    Feed::new(body, modified, HTML)
}

fn zone_kind(zone: Option<Tz>) -> String {
    zone.map_or("venue".to_string(), |z| z.name().to_string())
}

/// The page's cache kind: its zone, and the person search as typed (the filter itself
/// ignores case, but the page shows the text back).
fn programme_kind(asked: &Asked) -> String {
    let view = match &asked.focus {
        None if asked.grid => "grid",
        None => "list",
        Some(Focus::Room(_)) => "room",
        Some(Focus::Theme(_)) => "theme",
        Some(Focus::Person(_)) => "person",
    };
    format!(
        "page-programme-{view}-{}-{:?}",
        zone_kind(asked.zone),
        asked.filters.person
    )
}

fn session_kind(session_id: i64, zone: Option<Tz>) -> String {
    format!("page-session-{session_id}-{}", zone_kind(zone))
}

/// A page as it is answered: kept in the cache (and answered with its ETag), or made
/// for this request alone (it repeats what the visitor typed wrong: 422).
pub enum Rendered {
    /// Rendered once per change, filter set and zone.
    Kept(Arc<Feed>),
    /// With the visitor's mistakes beside their fields.
    Refused(String),
}

/// The programme page from memory alone, when it is rendered already.
pub fn cached_programme(
    cache: &FeedCache,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
    asked: &Asked,
    base: &str,
) -> Option<Arc<Feed>> {
    if asked.errors.any() {
        return None;
    }
    feeds_service::cached_public_feed(
        cache,
        viewer,
        meeting_id,
        &programme_kind(asked),
        &asked.filters,
        base,
    )
    .ok()
    .flatten()
}

/// Notes beside their fields the filters that name no day, theme, type or room of the
/// meeting, and drops them, so that the rest of the page is as it would be (a room or
/// theme page's own is left to that page, which is then none).
fn among_choices(asked: &mut Asked, view: &MeetingResponse) {
    let f = asked.filters.clone();
    let not_one =
        |v: &dyn std::fmt::Display| format!("“{}” {}", shown(&v.to_string()), EN.not_a_choice);
    if let Some(d) = f.day
        && !view.days.iter().any(|x| x.date == d)
    {
        asked.errors.day = Some(format!("“{d}” {}", EN.not_a_day_of_meeting));
        asked.filters.day = None;
    }
    let focus_room = matches!(asked.focus, Some(Focus::Room(_)));
    let focus_theme = matches!(asked.focus, Some(Focus::Theme(_)));
    if let Some(t) = f.theme_id
        && !focus_theme
        && !view.themes.iter().any(|x| x.id == t)
    {
        asked.errors.theme_id = Some(not_one(&t));
        asked.filters.theme_id = None;
    }
    if let Some(r) = f.room_id
        && !focus_room
        && !view.rooms.iter().any(|x| x.id == r)
    {
        asked.errors.room_id = Some(not_one(&r));
        asked.filters.room_id = None;
    }
    if let Some(c) = &f.session_type
        && !view.session_types.iter().any(|x| &x.code == c)
    {
        asked.errors.session_type = Some(not_one(c));
        asked.filters.session_type = None;
    }
}

/// The published programme of a meeting the viewer may see, as a page.
pub fn programme(
    conn: &mut DbConn,
    cache: &FeedCache,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
    asked: &Asked,
    base: &str,
) -> Result<Rendered, ApiError> {
    let m = crate::meetings::service::load_visible(conn, meeting_id, viewer)?;
    let mut asked = asked.clone();
    among_choices(&mut asked, &crate::meetings::queries::view(conn, &m)?);
    if asked.errors.any() {
        return Ok(Rendered::Refused(programme_page(conn, &m, &asked, base)?));
    }
    let asked = &asked;
    let feed = feeds_service::public_feed(
        conn,
        cache,
        viewer,
        meeting_id,
        &programme_kind(asked),
        &asked.filters,
        base,
        |c, m, _, base| {
            let body = programme_page(c, m, asked, base)?;
            Ok(page_feed(body, modified(c, m)?))
        },
    )?;
    Ok(Rendered::Kept(feed))
}

/// The session page from memory alone, when it is rendered already.
pub fn cached_session(
    cache: &FeedCache,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
    session_id: i64,
    zone: Option<Tz>,
    base: &str,
) -> Option<Arc<Feed>> {
    feeds_service::cached_public_feed(
        cache,
        viewer,
        meeting_id,
        &session_kind(session_id, zone),
        &FeedQuery::default(),
        base,
    )
    .ok()
    .flatten()
}

/// One session of the published programme as a page.
pub fn session(
    conn: &mut DbConn,
    cache: &FeedCache,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
    session_id: i64,
    zone: Option<Tz>,
    base: &str,
) -> Result<Arc<Feed>, ApiError> {
    feeds_service::public_feed(
        conn,
        cache,
        viewer,
        meeting_id,
        &session_kind(session_id, zone),
        &FeedQuery::default(),
        base,
        |c, m, _, _| {
            let body = session_page(c, m, session_id, zone)?;
            Ok(page_feed(body, modified(c, m)?))
        },
    )
}

/// One session of the published programme as a calendar file.
pub fn session_calendar(
    conn: &mut DbConn,
    cache: &FeedCache,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
    session_id: i64,
    base: &str,
) -> Result<Arc<Feed>, ApiError> {
    let q = FeedQuery {
        only: Some(BTreeSet::from([session_id])),
        ..FeedQuery::default()
    };
    feeds_service::public_feed(
        conn,
        cache,
        viewer,
        meeting_id,
        "session-ics",
        &q,
        base,
        |c, m, q, base| {
            let (programme, _) = programme_of(c, m, &FeedQuery::default())?;
            if !programme
                .sessions
                .iter()
                .any(|s| s.session_id == session_id)
            {
                return Err(ApiError::NotFound("session"));
            }
            crate::feeds::calendar::programme_feed(c, m, q, base, None)
        },
    )
}

/// The meetings with a published programme that the viewer may see, as a page.
pub fn index(conn: &mut DbConn, viewer: &Option<AuthUser>) -> Result<String, ApiError> {
    let q = crate::meetings::types::ListMeetingsQuery {
        archived: false,
        page: None,
        per_page: Some(100),
    };
    let page = crate::meetings::service::list(conn, viewer, &q)?;
    let mut meetings = vec![];
    for m in page.items {
        if versions::published(conn, m.id)?.is_some() {
            meetings.push(MeetingLine {
                href: format!("/meetings/{}", m.id),
                dates: dates_of(&m),
                name: m.name,
                venue: m.venue,
            });
        }
    }
    render(&IndexPage {
        w: &EN,
        css: &CSS.name,
        shown_zone: String::new(),
        meetings,
    })
}

/// The page for a missing meeting, session or programme.
pub fn not_found_page() -> Result<String, ApiError> {
    render(&NotFoundPage {
        w: &EN,
        css: &CSS.name,
        shown_zone: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_session_past_midnight_there_says_it_ends_the_next_day() {
        let start = Utc.with_ymd_and_hms(2027, 6, 22, 21, 30, 0).unwrap();
        let end = start + chrono::Duration::minutes(90);
        assert_eq!(span(start, end, Tz::UTC), "21:30–23:00");
        assert_eq!(span(start, end, Tz::Europe__Oslo), "23:30–01:00 (+1)");
        assert_eq!(span(start, end, Tz::Asia__Kathmandu), "03:15–04:45");
    }

    #[test]
    fn a_session_over_a_clock_change_says_each_ends_offset() {
        // Adelaide goes back from +10:30 to +09:30 at 03:00 on 4 April 2027.
        let start = Utc.with_ymd_and_hms(2027, 4, 3, 16, 0, 0).unwrap();
        let end = start + chrono::Duration::minutes(60);
        assert_eq!(
            span(start, end, Tz::Australia__Adelaide),
            "02:30 (UTC+10:30)–02:30 (UTC+09:30)"
        );
        assert_eq!(span(start, end, Tz::UTC), "16:00–17:00");
    }

    #[test]
    fn a_query_is_read_without_refusing_anything() {
        let a = read_query("tz=Asia%2FKatmandu&tz=Europe%2FOslo&day=&theme_id=x&view=grid");
        assert_eq!(a.zone(), Some(Tz::Asia__Kathmandu));
        assert_eq!(a.filters.day, None);
        assert!(a.errors.theme_id.is_some() && a.errors.day.is_none());
        let b = read_query("%%%&&==");
        assert!(!b.errors.any() && b.zone().is_none());
    }
}

//! Request and response bodies of the meeting endpoints, the product's default session
//! types, and the pure parts of meeting set-up: validation and time-slot generation.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::models::{Days, Position};
use crate::proposals::screening::{ScreeningPatch, ScreeningRules};
use crate::proposals::types::Layout;
use crate::time::{Instant, local_to_utc};
use crate::validate::Checker;

/// A theme as the secretariat defines it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeInput {
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Target share of the programme, 0 to 1.
    pub target_share: Option<f64>,
}

/// A session type and the durations it allows.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SessionTypeInput {
    /// Stable code, e.g. `workshop`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Allowed durations in minutes.
    pub durations: Vec<i32>,
    /// Whether proposers may propose it in the call.
    #[serde(default = "yes")]
    pub from_call: bool,
    /// Nothing may run in parallel (ceremonies).
    #[serde(default)]
    pub exclusive: bool,
    /// Where its sessions may be placed: days, a ceremony's position, rooms.
    #[serde(default)]
    pub placement: PlacementInput,
}

/// A session type's placement rules as the secretariat gives them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlacementInput {
    /// `main` (the default: the main days), `day_zero` (Day 0 only) or `any`.
    #[serde(default)]
    pub days: Days,
    /// `opening` (first on the first main day) or `closing` (last on the last).
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub position: Option<Position>,
    /// Names of the rooms it may use; all rooms when empty.
    #[serde(default)]
    pub rooms: Vec<String>,
}

fn yes() -> bool {
    true
}

/// A room of the venue.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RoomInput {
    /// Name.
    pub name: String,
    /// Seats.
    pub capacity: i32,
    /// Equipped for hybrid sessions.
    pub hybrid: bool,
    /// Layout.
    pub layout: Layout,
    /// Languages it has an interpretation booth for (ISO 639 codes, e.g. `fr`).
    #[serde(default)]
    pub booths: Vec<String>,
    /// Has a display for real-time captions.
    #[serde(default)]
    pub caption_display: bool,
}

/// One slot of the day template, in venue-local wall-clock time.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SlotTemplate {
    /// Local start, `HH:MM`.
    pub start: String,
    /// Length in minutes.
    pub duration_min: i32,
}

/// Body of `POST /api/v1/meetings`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateMeetingRequest {
    /// Name, e.g. "IGF 2025".
    pub name: String,
    /// Year.
    pub year: i32,
    /// Venue.
    pub venue: String,
    /// Venue IANA time zone.
    pub timezone: String,
    /// Day 0 (pre-events), venue-local date.
    pub day_zero: Option<NaiveDate>,
    /// First main day, venue-local date.
    pub first_day: NaiveDate,
    /// Last main day, venue-local date.
    pub last_day: NaiveDate,
    /// When the call opens (any offset; stored in UTC).
    pub cfp_opens_at: DateTime<FixedOffset>,
    /// When the call closes (IGF deadlines are 23:59 UTC).
    pub cfp_closes_at: DateTime<FixedOffset>,
    /// Themes.
    pub themes: Vec<ThemeInput>,
    /// Session types; the product's defaults when absent.
    pub session_types: Option<Vec<SessionTypeInput>>,
    /// Rooms.
    #[serde(default)]
    pub rooms: Vec<RoomInput>,
    /// Slots of each main day in venue-local time.
    #[serde(default)]
    pub slot_template: Vec<SlotTemplate>,
    /// Slots of Day 0; the main-day template when absent.
    pub day_zero_slot_template: Option<Vec<SlotTemplate>>,
    /// Screening rules; all on with the 2023 limits when absent.
    pub screening: Option<ScreeningRules>,
    /// ISO codes of developing countries for this meeting.
    #[serde(default)]
    pub developing_countries: Vec<String>,
    /// Visible to everyone (and open to proposers).
    #[serde(default)]
    pub published: bool,
}

/// Body of `PATCH /api/v1/meetings/{meeting_id}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeetingRequest {
    /// Name.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub name: Option<String>,
    /// Year.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub year: Option<i32>,
    /// Venue.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub venue: Option<String>,
    /// Call opening.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub cfp_opens_at: Option<DateTime<FixedOffset>>,
    /// Call closing.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub cfp_closes_at: Option<DateTime<FixedOffset>>,
    /// The venue's IANA zone: slots keep their local times, so their instants move.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub timezone: Option<String>,
    /// Screening rules: only those named change.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub screening: Option<ScreeningPatch>,
    /// Developing countries (replaced whole).
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub developing_countries: Option<Vec<String>>,
    /// Published flag.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub published: Option<bool>,
    /// `false` restores an archived meeting; `true` archives it.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub archived: Option<bool>,
    /// Report deadlines: only those named change.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub reports: Option<ReportDeadlinesPatch>,
}

/// When a meeting's session reports are due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReportDeadlines {
    /// Hours after a session ends that its short report is due.
    pub short_due_hours: i32,
    /// Days after the meeting's last day that the full reports are due (at the end of
    /// that day, venue time).
    pub full_due_days: i32,
}

impl Default for ReportDeadlines {
    /// The product's defaults: short reports a day after the session, full reports
    /// two weeks after the meeting (DOMAIN.md, reports).
    fn default() -> Self {
        ReportDeadlines {
            short_due_hours: 24,
            full_due_days: 14,
        }
    }
}

/// A change to a meeting's report deadlines.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportDeadlinesPatch {
    /// See [`ReportDeadlines::short_due_hours`]; 1 to 720.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub short_due_hours: Option<i32>,
    /// See [`ReportDeadlines::full_due_days`]; 0 to 365.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub full_due_days: Option<i32>,
}

/// The product's default session types (DOMAIN.md, part B).
pub fn default_session_types() -> Vec<SessionTypeInput> {
    let t = |code: &str, name: &str, durations: &[i32], from_call: bool, exclusive: bool| {
        let placement = PlacementInput {
            days: if code == "day_zero" {
                Days::DayZero
            } else {
                Days::Main
            },
            position: match code {
                "opening_ceremony" => Some(Position::Opening),
                "closing_ceremony" => Some(Position::Closing),
                _ => None,
            },
            rooms: vec![],
        };
        SessionTypeInput {
            code: code.into(),
            name: name.into(),
            durations: durations.to_vec(),
            from_call,
            exclusive,
            placement,
        }
    };
    vec![
        t("workshop", "Workshop", &[60, 90], true, false),
        t("open_forum", "Open forum", &[30, 60], true, false),
        t("town_hall", "Town hall", &[30, 60], true, false),
        t(
            "launch_award",
            "Launch or award",
            &[20, 30, 45, 60],
            true,
            false,
        ),
        t("lightning_talk", "Lightning talk", &[20, 30], true, false),
        t(
            "dynamic_coalition",
            "Dynamic coalition",
            &[60, 90],
            true,
            false,
        ),
        t("nri", "NRI session", &[60, 90], true, false),
        t("networking", "Networking session", &[60], true, false),
        t("main_session", "Main session", &[75, 90], false, false),
        t(
            "day_zero",
            "Day 0 event",
            &[30, 45, 60, 75, 90, 105, 120],
            true,
            false,
        ),
        t(
            "opening_ceremony",
            "Opening ceremony",
            &[30, 45, 60, 90],
            false,
            true,
        ),
        t(
            "closing_ceremony",
            "Closing ceremony",
            &[30, 45, 60, 90],
            false,
            true,
        ),
    ]
}

/// Parses `HH:MM`.
pub fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !(h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

fn check_template(c: &mut Checker, field: &str, tpl: &[SlotTemplate]) {
    // Over the cap the list is refused whole; its items are not read.
    let listed = if c.max_items(field, tpl.len(), 48) {
        tpl.len()
    } else {
        0
    };
    let mut spans: Vec<(i64, i64, usize)> = vec![];
    for (i, s) in tpl.iter().take(listed).enumerate() {
        let f = format!("{field}[{i}]");
        c.range(&format!("{f}.duration_min"), s.duration_min, 5, 720);
        match parse_hhmm(&s.start) {
            None => c.add(
                format!("{f}.start"),
                "time",
                "start must be a local time HH:MM, e.g. 09:30",
            ),
            Some(t) => {
                let start = i64::from(t.num_seconds_from_midnight()) / 60;
                let end = start + i64::from(s.duration_min);
                if end > 24 * 60 {
                    c.add(
                        format!("{f}.duration_min"),
                        "same_day",
                        "a slot must end by midnight of its day",
                    );
                }
                spans.push((start, end, i));
            }
        }
    }
    spans.sort();
    for w in spans.windows(2) {
        if w[1].0 < w[0].1 {
            c.add(
                format!("{field}[{}]", w[1].2),
                "overlap",
                format!("this slot overlaps {field}[{}]", w[0].2),
            );
        }
    }
}

/// Checks the fields of a new meeting that need no database; every failure is kept.
pub fn check_create(r: &CreateMeetingRequest) -> Checker {
    let mut c = Checker::new();
    c.text("name", &r.name, 200);
    c.text("venue", &r.venue, 200);
    c.range("year", r.year, 2000, 2100);
    c.zone("timezone", &r.timezone);
    if r.last_day < r.first_day {
        c.add("last_day", "order", "last_day must not be before first_day");
    } else if (r.last_day - r.first_day).num_days() > 13 {
        c.add("last_day", "range", "a meeting has at most 14 main days");
    }
    if let Some(d0) = r.day_zero {
        if d0 >= r.first_day {
            c.add("day_zero", "order", "day_zero must come before first_day");
        } else if (r.first_day - d0).num_days() > 7 {
            c.add(
                "day_zero",
                "range",
                "day_zero must be within a week before first_day",
            );
        }
    }
    if r.cfp_closes_at <= r.cfp_opens_at {
        c.add(
            "cfp_closes_at",
            "order",
            "the call must close after it opens",
        );
    }
    // The call closes before the meeting's first day (Day 0 included) begins.
    if let Ok(zone) = r.timezone.parse::<Tz>() {
        let first = r.day_zero.unwrap_or(r.first_day);
        if let Ok(start) = local_to_utc(first, NaiveTime::MIN, zone)
            && r.cfp_closes_at.with_timezone(&Utc) >= start
        {
            c.add(
                "cfp_closes_at",
                "before_meeting",
                format!("the call must close before the meeting begins on {first}"),
            );
        }
    }
    if r.rooms.is_empty() {
        c.add("rooms", "min_items", "a meeting needs at least one room");
    }
    if r.slot_template.is_empty() {
        c.add(
            "slot_template",
            "min_items",
            "a meeting needs at least one time slot a day",
        );
    }
    check_themes(&mut c, &r.themes);
    if let Some(types) = &r.session_types {
        check_session_types(&mut c, types);
        let rooms: std::collections::HashSet<&str> =
            r.rooms.iter().map(|room| room.name.trim()).collect();
        for (i, t) in types.iter().enumerate() {
            for (j, name) in t.placement.rooms.iter().enumerate() {
                if !rooms.contains(name.trim()) {
                    c.add(
                        format!("session_types[{i}].placement.rooms[{j}]"),
                        "exists",
                        format!("{name:?} is not one of the meeting's rooms"),
                    );
                }
            }
        }
    }
    // Over the cap the list is refused whole; its items are not read.
    let listed = if c.max_items("rooms", r.rooms.len(), 500) {
        r.rooms.len()
    } else {
        0
    };
    let mut names = std::collections::HashSet::new();
    for (i, room) in r.rooms.iter().take(listed).enumerate() {
        c.text(&format!("rooms[{i}].name"), &room.name, 200);
        c.range(&format!("rooms[{i}].capacity"), room.capacity, 1, 100_000);
        if !names.insert(room.name.trim().to_lowercase()) {
            c.add(
                format!("rooms[{i}].name"),
                "unique",
                "two rooms have this name",
            );
        }
    }
    check_template(&mut c, "slot_template", &r.slot_template);
    if let Some(t) = &r.day_zero_slot_template {
        check_template(&mut c, "day_zero_slot_template", t);
    }
    // Over the cap the list is refused whole; its items are not read.
    let listed = if c.max_items("developing_countries", r.developing_countries.len(), 300) {
        r.developing_countries.len()
    } else {
        0
    };
    for (i, cc) in r.developing_countries.iter().take(listed).enumerate() {
        c.country(&format!("developing_countries[{i}]"), cc);
    }
    c
}

fn check_themes(c: &mut Checker, themes: &[ThemeInput]) {
    if themes.is_empty() {
        c.add("themes", "required", "a meeting needs at least one theme");
    }
    // Over the cap the list is refused whole; its items are not read.
    let listed = if c.max_items("themes", themes.len(), 50) {
        themes.len()
    } else {
        0
    };
    let mut names = std::collections::HashSet::new();
    let mut total = 0.0;
    for (i, t) in themes.iter().take(listed).enumerate() {
        c.text(&format!("themes[{i}].name"), &t.name, 200);
        c.max_len(&format!("themes[{i}].description"), &t.description, 5000);
        if !names.insert(t.name.trim().to_lowercase()) {
            c.add(
                format!("themes[{i}].name"),
                "unique",
                "two themes have this name",
            );
        }
        if let Some(s) = t.target_share {
            if !(0.0..=1.0).contains(&s) || s.is_nan() {
                c.add(
                    format!("themes[{i}].target_share"),
                    "range",
                    "target_share must be between 0 and 1",
                );
            } else {
                total += s;
            }
        }
    }
    if total > 1.0 + 1e-9 {
        c.add(
            "themes",
            "share_sum",
            format!("the target shares add up to {total:.3}; they may add up to at most 1"),
        );
    }
}

fn check_session_types(c: &mut Checker, types: &[SessionTypeInput]) {
    if types.is_empty() {
        c.add(
            "session_types",
            "required",
            "give at least one session type, or leave the field out for the defaults",
        );
    }
    // Over the cap the list is refused whole; its items are not read.
    let listed = if c.max_items("session_types", types.len(), 50) {
        types.len()
    } else {
        0
    };
    let mut codes = std::collections::HashSet::new();
    for (i, t) in types.iter().take(listed).enumerate() {
        let f = format!("session_types[{i}]");
        let code_ok = !t.code.is_empty()
            && t.code.len() <= 40
            && t.code
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !code_ok {
            c.add(
                format!("{f}.code"),
                "code",
                "code must be 1 to 40 characters of a-z, 0-9 and _",
            );
        }
        if !codes.insert(t.code.clone()) {
            c.add(
                format!("{f}.code"),
                "unique",
                "two session types have this code",
            );
        }
        c.text(&format!("{f}.name"), &t.name, 200);
        if t.durations.is_empty() {
            c.add(
                format!("{f}.durations"),
                "required",
                "give at least one allowed duration",
            );
        }
        // Over the cap the list is refused whole; its items are not read.
        let listed = if c.max_items(&format!("{f}.durations"), t.durations.len(), 20) {
            t.durations.len()
        } else {
            0
        };
        for (j, d) in t.durations.iter().take(listed).enumerate() {
            c.range(&format!("{f}.durations[{j}]"), *d, 5, 720);
        }
    }
}

/// A generated slot: its day number and UTC interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedSlot {
    /// Day number (0 = Day 0).
    pub day_number: i32,
    /// Venue-local date.
    pub date: NaiveDate,
    /// Start, UTC.
    pub starts_at: DateTime<Utc>,
    /// End, UTC.
    pub ends_at: DateTime<Utc>,
}

/// The meeting's days as `(number, date)`, Day 0 first.
pub fn meeting_days(
    day_zero: Option<NaiveDate>,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<(i32, NaiveDate)> {
    let mut days = vec![];
    if let Some(d0) = day_zero {
        days.push((0, d0));
    }
    let mut d = first;
    let mut n = 1;
    while d <= last {
        days.push((n, d));
        n += 1;
        d += Duration::days(1);
    }
    days
}

/// Places each day's template on the UTC line in the venue's zone. A start time that a
/// DST change skips is an error naming the template entry and the date. The end is
/// the start plus the duration in elapsed time, so a slot across a change keeps its
/// real length.
pub fn generate_slots(
    zone: Tz,
    days: &[(i32, NaiveDate)],
    main: &[SlotTemplate],
    day_zero: Option<&[SlotTemplate]>,
) -> Result<Vec<GeneratedSlot>, Checker> {
    let mut c = Checker::new();
    let mut out = vec![];
    for &(n, date) in days {
        let (tpl, field) = match (n, day_zero) {
            (0, Some(t)) => (t, "day_zero_slot_template"),
            _ => (main, "slot_template"),
        };
        for (i, s) in tpl.iter().enumerate() {
            let Some(t) = parse_hhmm(&s.start) else {
                continue;
            };
            match local_to_utc(date, t, zone) {
                Ok(start) => out.push(GeneratedSlot {
                    day_number: n,
                    date,
                    starts_at: start,
                    ends_at: start + Duration::minutes(i64::from(s.duration_min)),
                }),
                Err(e) => c.add(format!("{field}[{i}].start"), "local_time", e.to_string()),
            }
        }
    }
    if c.is_ok() { Ok(out) } else { Err(c) }
}

/// A day as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DayResponse {
    /// Day number; 0 is Day 0.
    pub number: i32,
    /// Venue-local date.
    pub date: NaiveDate,
    /// "Day 0", "Day 1", ...
    pub label: String,
}

/// A theme as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeResponse {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Target share.
    pub target_share: Option<f64>,
}

/// A session type as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionTypeResponse {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Allowed durations.
    pub durations: Vec<i32>,
    /// Open to proposers.
    pub from_call: bool,
    /// Nothing in parallel.
    pub exclusive: bool,
    /// Where its sessions may be placed.
    pub placement: super::models::Placement,
}

/// A room as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RoomResponse {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Seats.
    pub capacity: i32,
    /// Hybrid equipment.
    pub hybrid: bool,
    /// Layout.
    pub layout: String,
    /// Languages it has an interpretation booth for.
    pub booths: Vec<String>,
    /// Has a display for real-time captions.
    pub caption_display: bool,
}

/// The call window in venue time and UTC.
#[derive(Debug, Clone, Serialize)]
pub struct CfpResponse {
    /// Opening.
    pub opens_at: Instant,
    /// Closing (deadline).
    pub closes_at: Instant,
    /// Whether the call is open now.
    pub open_now: bool,
}

/// A meeting as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingResponse {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Year.
    pub year: i32,
    /// Venue.
    pub venue: String,
    /// Venue IANA zone.
    pub timezone: String,
    /// Visible to everyone.
    pub published: bool,
    /// Call for proposals.
    pub cfp: CfpResponse,
    /// Days.
    pub days: Vec<DayResponse>,
    /// Themes.
    pub themes: Vec<ThemeResponse>,
    /// Session types.
    pub session_types: Vec<SessionTypeResponse>,
    /// Rooms.
    pub rooms: Vec<RoomResponse>,
    /// Number of time slots (listed at `/slots`).
    pub slot_count: i64,
    /// Screening rules.
    pub screening: ScreeningRules,
    /// Developing countries.
    pub developing_countries: Vec<String>,
    /// When its session reports are due.
    pub reports: ReportDeadlines,
    /// Version (also the ETag).
    pub version: i32,
    /// Created, UTC.
    pub created_at: String,
    /// Last changed, UTC.
    pub updated_at: String,
    /// When it was archived, RFC 3339 UTC; archived meetings stay readable and leave
    /// the default list.
    pub archived_at: Option<String>,
}

/// A time slot as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SlotResponse {
    /// Id.
    pub id: i64,
    /// Day number.
    pub day_number: i32,
    /// Venue-local date.
    pub date: NaiveDate,
    /// Start in UTC and venue time.
    pub starts_at: Instant,
    /// End in UTC and venue time.
    pub ends_at: Instant,
    /// Length in minutes.
    pub duration_min: i64,
}

/// Query of `GET /api/v1/meetings`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListMeetingsQuery {
    /// Include archived meetings.
    #[serde(default)]
    pub archived: bool,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tpl(start: &str, d: i32) -> SlotTemplate {
        SlotTemplate {
            start: start.into(),
            duration_min: d,
        }
    }
    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn slots_keep_local_wall_clock_across_a_dst_change() {
        let oslo: Tz = "Europe/Oslo".parse().unwrap();
        let days = meeting_days(None, date(2025, 10, 25), date(2025, 10, 27));
        let slots = generate_slots(oslo, &days, &[tpl("09:00", 60)], None).unwrap();
        let utc: Vec<String> = slots
            .iter()
            .map(|s| s.starts_at.format("%d %H:%M").to_string())
            .collect();
        assert_eq!(utc, vec!["25 07:00", "26 08:00", "27 08:00"]);
        assert!(
            slots
                .iter()
                .all(|s| s.ends_at - s.starts_at == Duration::minutes(60))
        );
    }

    #[test]
    fn a_start_skipped_by_dst_is_reported_with_its_field() {
        let oslo: Tz = "Europe/Oslo".parse().unwrap();
        let days = meeting_days(None, date(2025, 3, 30), date(2025, 3, 30));
        let err =
            generate_slots(oslo, &days, &[tpl("09:00", 60), tpl("02:30", 30)], None).unwrap_err();
        match err.finish() {
            Err(crate::error::ApiError::Validation { errors, .. }) => {
                assert_eq!(errors[0].field, "slot_template[1].start");
                assert!(
                    errors[0].message.contains("daylight saving"),
                    "{}",
                    errors[0].message
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn day_zero_gets_its_own_template_and_number() {
        let tz: Tz = "Asia/Tokyo".parse().unwrap();
        let days = meeting_days(
            Some(date(2023, 10, 8)),
            date(2023, 10, 9),
            date(2023, 10, 10),
        );
        assert_eq!(days.iter().map(|d| d.0).collect::<Vec<_>>(), vec![0, 1, 2]);
        let slots = generate_slots(
            tz,
            &days,
            &[tpl("09:00", 60), tpl("10:30", 90)],
            Some(&[tpl("13:00", 120)]),
        )
        .unwrap();
        assert_eq!(slots.len(), 5);
        assert_eq!(slots[0].starts_at.to_rfc3339(), "2023-10-08T04:00:00+00:00");
    }

    #[test]
    fn overlapping_template_slots_are_refused() {
        let mut c = Checker::new();
        check_template(
            &mut c,
            "slot_template",
            &[tpl("09:00", 90), tpl("10:00", 60), tpl("9:00", 30)],
        );
        match c.finish() {
            Err(crate::error::ApiError::Validation { errors, .. }) => {
                let rules: Vec<&str> = errors.iter().map(|e| e.rule.as_str()).collect();
                assert_eq!(rules, vec!["time", "overlap"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn default_session_types_follow_the_domain_defaults() {
        let types = default_session_types();
        let ws = types.iter().find(|t| t.code == "workshop").unwrap();
        assert_eq!(ws.durations, vec![60, 90]);
        assert!(
            types
                .iter()
                .filter(|t| t.exclusive)
                .all(|t| t.code.ends_with("ceremony"))
        );
    }
}

//! The meeting's set-up: rooms, themes, session types (with where they may be placed)
//! and days added, changed and removed; time slots added and removed; the technical
//! services (online channels, captioners, interpreter teams, bilateral rooms). Every
//! change is the API's use case for it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;

use crate::auth::{AuthUser, Role};
use crate::bilaterals::types::{
    RoomChange as BilateralChange, RoomInput as BilateralInput, RoomView as BilateralRoom,
};
use crate::db::DbConn;
use crate::error::{ApiError, FieldError};
use crate::meetings::days::{self, DayChange, DayNew};
use crate::meetings::models::{Days, Position};
use crate::meetings::shape::{self, RoomChange, SessionTypeChange, ThemeChange};
use crate::meetings::types::{
    MeetingResponse, PlacementInput, RoomInput, RoomResponse, SessionTypeInput,
    SessionTypeResponse, ThemeInput,
};
use crate::proposals::types::Layout;
use crate::scheduling::logistics::{LogisticsInput, LogisticsView, TeamInput, TeamView};
use crate::state::AppState;
use crate::web::assets::CSS;
use crate::web::desk::{self, Chrome, Visitor};
use crate::web::forms::{Form, Problems};
use crate::web::service::render;
use crate::web::words::{DESK, DeskWords, EN, SERVICES, ServicesWords, Words};

use super::{Nav, meeting_and_phase, nav, root};

/// A day of the meeting with how many slots it has, as the page lists it.
pub struct DayRow {
    number: i32,
    label: String,
    date: String,
    slots: usize,
}

#[derive(Template)]
#[template(path = "desk/manage_setup.html")]
struct SetupPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    v: &'a ServicesWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    nav: Nav,
    m: MeetingResponse,
    days: Vec<DayRow>,
    slots: Vec<(String, Vec<(i64, String)>)>,
    /// Channels, captioners, teams and the bilateral limit.
    lg: LogisticsView,
    /// Their entity tag, sent back with every form that changes them.
    tag: String,
    /// The bilateral rooms.
    bilaterals: Vec<BilateralRoom>,
    layouts: Vec<(String, String)>,
    day_rules: Vec<(String, String)>,
    positions: Vec<(String, String)>,
    problems: Problems,
    f: Form,
    /// The form that was sent (`room-new`, `type-12`, …), empty when none was.
    which: String,
    notice: Option<&'static str>,
    /// What the form for a new session type starts from.
    blank: SessionTypeResponse,
}

impl SetupPage<'_> {
    /// What a field of a form shows: what was typed when that form was sent, else
    /// what is stored.
    fn val(&self, form: &str, field: &str, stored: impl std::fmt::Display) -> String {
        if self.which == form {
            self.f.get(field).unwrap_or_default().to_string()
        } else {
            stored.to_string()
        }
    }

    /// Whether a checkbox of a form is ticked: as sent, else as stored.
    fn on(&self, form: &str, field: &str, stored: impl std::borrow::Borrow<bool>) -> bool {
        if self.which == form {
            self.f.has(field)
        } else {
            *stored.borrow()
        }
    }

    /// Whether one of a form's choices of a field is ticked: as sent, else as stored.
    fn picked(&self, form: &str, field: &str, value: &str, stored: bool) -> bool {
        if self.which == form {
            self.f.all(field).contains(&value)
        } else {
            stored
        }
    }

    /// The refusal of a form's field, when that form was sent.
    fn err(&self, form: &str, field: &str) -> Option<String> {
        if self.which != form {
            return None;
        }
        // A list's items (`booths[1]`) are said beside the list's one control.
        let mut all: Vec<String> = self.problems.of(field).into_iter().collect();
        all.extend(self.problems.under(&format!("{field}["), &[]));
        (!all.is_empty()).then(|| all.join(" "))
    }

    /// A room's booth languages as its form shows them: codes separated by commas.
    fn r_booths(&self, r: &RoomResponse) -> String {
        r.booths.join(", ")
    }

    /// A limit as a form shows it: the number, or empty for none.
    fn limit(&self, n: &Option<i32>) -> String {
        n.map(|n| n.to_string()).unwrap_or_default()
    }

    /// A limit as a table shows it: the number, or "no limit".
    fn limit_shown(&self, n: &Option<i32>) -> String {
        n.map_or_else(|| SERVICES.unlimited.to_string(), |n| n.to_string())
    }

    /// A team's languages as its form shows them.
    fn t_languages(&self, t: &TeamView) -> String {
        t.languages.join(", ")
    }

    /// Whether the form was the one sent (a refused change form stays open).
    fn sent(&self, form: &str) -> bool {
        self.which == form
    }

    /// A session type's name.
    fn t_name(&self, t: &SessionTypeResponse) -> String {
        t.name.clone()
    }

    /// A session type's durations as its form shows them.
    fn t_durations(&self, t: &SessionTypeResponse) -> String {
        t.durations
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether proposers may propose it.
    fn t_from_call(&self, t: &SessionTypeResponse) -> bool {
        t.from_call
    }

    /// Whether nothing may run beside it.
    fn t_exclusive(&self, t: &SessionTypeResponse) -> bool {
        t.exclusive
    }

    /// The days it may run on.
    fn t_days(&self, t: &SessionTypeResponse) -> &'static str {
        t.placement.days.as_str()
    }

    /// Its fixed place, if any (empty: none).
    fn t_position(&self, t: &SessionTypeResponse) -> &'static str {
        t.placement.position.map_or("", |p| p.as_str())
    }

    /// A share as its form shows it, in per cent (empty: none).
    fn percent(&self, share: &Option<f64>) -> String {
        share.map_or(String::new(), |s| {
            format!("{}", (s * 1000.0).round() / 10.0)
        })
    }

    /// The days a slot may be added to, as choices.
    fn day_options(&self) -> Vec<(String, String)> {
        self.days
            .iter()
            .map(|d| (d.number.to_string(), format!("{} · {}", d.label, d.date)))
            .collect()
    }

    /// Whether it names this room among the only ones it may use.
    fn t_room(&self, t: &SessionTypeResponse, room_id: &i64) -> bool {
        t.placement.room_ids.contains(room_id)
    }
}

/// What the set-up page lists.
struct SetupView {
    /// The meeting with its rooms, themes, session types and days.
    m: MeetingResponse,
    /// Its days with their slot counts.
    days: Vec<DayRow>,
    /// Its slots' times by venue day.
    slots: Vec<(String, Vec<(i64, String)>)>,
    /// Its technical services.
    logistics: LogisticsView,
    /// Their entity tag.
    tag: String,
    /// Its bilateral rooms.
    bilaterals: Vec<BilateralRoom>,
}

/// The meeting, its days and its slots by day, as the set-up page lists them.
fn setup_of(c: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<SetupView, ApiError> {
    let (logistics, tag) = crate::scheduling::service::get_logistics(c, actor, meeting_id)?;
    let bilaterals = crate::bilaterals::list_rooms(c, actor, meeting_id)?;
    let (m, _, _) = meeting_and_phase(c, actor, meeting_id)?;
    let slots = crate::meetings::service::slots(c, &Some(actor.clone()), meeting_id)?;
    let days = m
        .days
        .iter()
        .map(|d| DayRow {
            number: d.number,
            label: d.label.clone(),
            date: d.date.format("%a %-d %b %Y").to_string(),
            slots: slots.iter().filter(|s| s.day_number == d.number).count(),
        })
        .collect();
    let mut by_day: Vec<(String, Vec<(i64, String)>)> = vec![];
    for s in slots {
        let day = format!(
            "{} {} · {}",
            EN.day,
            s.day_number,
            s.date.format("%a %-d %b %Y")
        );
        let time = format!(
            "{}–{}",
            s.starts_at.local.get(11..16).unwrap_or_default(),
            s.ends_at.local.get(11..16).unwrap_or_default()
        );
        match by_day.last_mut() {
            Some((d, times)) if *d == day => times.push((s.id, time)),
            _ => by_day.push((day, vec![(s.id, time)])),
        }
    }
    Ok(SetupView {
        m,
        days,
        slots: by_day,
        logistics,
        tag,
        bilaterals,
    })
}

fn choices(codes: &[&'static str]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|c| (c.to_string(), DESK.choice(c).to_string()))
        .collect()
}

fn setup_page(
    b: &desk::Browser,
    view: SetupView,
    status: StatusCode,
    problems: Problems,
    f: Form,
    which: String,
    notice: Option<&'static str>,
) -> HttpResponse {
    let SetupView {
        m,
        days,
        slots,
        logistics,
        tag,
        bilaterals,
    } = view;
    let page = SetupPage {
        w: &EN,
        k: &DESK,
        v: &SERVICES,
        lg: logistics,
        tag,
        bilaterals,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(b)),
        nav: nav(m.id, "/setup"),
        days,
        slots,
        layouts: choices(&Layout::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>()),
        day_rules: choices(&Days::ALL.iter().map(|d| d.as_str()).collect::<Vec<_>>()),
        positions: choices(&Position::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>()),
        problems: problems.scoped(&which),
        f,
        which,
        notice,
        m,
        blank: SessionTypeResponse {
            id: 0,
            code: String::new(),
            name: String::new(),
            durations: vec![],
            from_call: true,
            exclusive: false,
            placement: Default::default(),
        },
    };
    desk::answer(b, status, render(&page))
}

/// `GET /desk/meetings/{meeting_id}/manage/setup`: rooms, themes, session types, days
/// and slots, each changed here.
pub async fn setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_role(&visitor, &req, Role::Secretariat) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let actor = b.user.clone();
    let notice = (req.query_string() == "changed=1").then_some(DESK.setup_changed);
    match crate::db::run(&state.pool, move |c| setup_of(c, &actor, meeting_id)).await {
        Ok(x) => setup_page(
            &b,
            x,
            StatusCode::OK,
            Problems::default(),
            Form::default(),
            String::new(),
            notice,
        ),
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// A part of the set-up a form changes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Rooms,
    Themes,
    Types,
    Days,
    Slots,
    /// Online channels, captioners and the bilateral daily limit: one form.
    Services,
    Teams,
    Bilaterals,
}

impl Part {
    fn parse(s: &str) -> Option<Part> {
        Some(match s {
            "rooms" => Part::Rooms,
            "themes" => Part::Themes,
            "types" => Part::Types,
            "days" => Part::Days,
            "slots" => Part::Slots,
            "services" => Part::Services,
            "teams" => Part::Teams,
            "bilaterals" => Part::Bilaterals,
            _ => return None,
        })
    }

    /// The stem of its forms' names (`room-new`, `room-12`).
    fn stem(self) -> &'static str {
        match self {
            Part::Rooms => "room",
            Part::Themes => "theme",
            Part::Types => "type",
            Part::Days => "day",
            Part::Slots => "slot",
            Part::Services => "services",
            Part::Teams => "team",
            Part::Bilaterals => "bilateral",
        }
    }
}

/// What a set-up form asks: add one, change one, remove one (by id; a day by number).
#[derive(Debug, Clone, Copy)]
enum Change {
    Add(Part),
    Edit(Part, i64),
    Remove(Part, i64),
}

impl Change {
    /// The name of the form that asked it, which shows the refusal.
    fn form(self) -> String {
        match self {
            Change::Add(Part::Services) => "services".into(),
            Change::Add(p) => format!("{}-new", p.stem()),
            Change::Edit(p, id) | Change::Remove(p, id) => format!("{}-{id}", p.stem()),
        }
    }
}

/// A whole number a form must give, or its refusal (left empty too).
fn whole<T: std::str::FromStr>(
    form: &Form,
    field: &str,
    bad: &mut Vec<FieldError>,
    message: &str,
) -> Option<T> {
    if form.filled(field).is_none() {
        bad.push(FieldError::new(field, "integer", message));
    }
    form.whole_as(field, field, message, bad)
}

/// A room as its form gives it.
fn room_of(form: &Form, bad: &mut Vec<FieldError>) -> Option<RoomInput> {
    let capacity = whole(form, "capacity", bad, "must be a whole number");
    let layout = form.get("layout").and_then(Layout::parse);
    if layout.is_none() {
        bad.push(FieldError::new("layout", "one_of", "choose a layout"));
    }
    Some(RoomInput {
        name: form.get("name").unwrap_or_default().to_string(),
        capacity: capacity?,
        hybrid: form.has("hybrid"),
        layout: layout?,
        booths: form
            .get("booths")
            .unwrap_or_default()
            .split([',', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
        caption_display: form.has("caption_display"),
    })
}

/// A theme's target share as its form gives it, in per cent (empty: none).
fn share_of(form: &Form, bad: &mut Vec<FieldError>) -> Option<f64> {
    match form
        .filled("target_share")
        .map(|v| v.replace(',', ".").parse::<f64>())
    {
        None => None,
        Some(Ok(p)) => Some(p / 100.0),
        Some(Err(_)) => {
            bad.push(FieldError::new(
                "target_share",
                "number",
                "must be a percentage",
            ));
            None
        }
    }
}

/// A session type's name, durations, flags and placement as its form gives them.
fn type_of(
    form: &Form,
    bad: &mut Vec<FieldError>,
) -> (String, Vec<i32>, bool, bool, PlacementInput) {
    let mut durations = vec![];
    for part in form.get("durations").unwrap_or_default().split([',', ' ']) {
        if part.trim().is_empty() {
            continue;
        }
        match part.trim().parse::<i32>() {
            Ok(n) => durations.push(n),
            Err(_) => {
                bad.push(FieldError::new(
                    "durations",
                    "integer",
                    "give whole minutes separated by commas",
                ));
                break;
            }
        }
    }
    let days = match form.get("days").map(Days::parse) {
        Some(Some(d)) => d,
        _ => {
            bad.push(FieldError::new("days", "one_of", "choose the days"));
            Days::Main
        }
    };
    let position = match form.filled("position") {
        None => None,
        Some(p) => match Position::parse(p) {
            Some(p) => Some(p),
            None => {
                bad.push(FieldError::new("position", "one_of", "choose a place"));
                None
            }
        },
    };
    let placement = PlacementInput {
        days,
        position,
        rooms: form.all("rooms").into_iter().map(str::to_string).collect(),
    };
    (
        form.get("name").unwrap_or_default().to_string(),
        durations,
        form.has("from_call"),
        form.has("exclusive"),
        placement,
    )
}

/// A venue-local date as a form gives it.
fn date_of(form: &Form, bad: &mut Vec<FieldError>) -> Option<NaiveDate> {
    match form
        .filled("date")
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d"))
    {
        Some(Ok(d)) => Some(d),
        _ => {
            bad.push(FieldError::new("date", "date", "give a date as YYYY-MM-DD"));
            None
        }
    }
}

/// A whole number a form may leave empty (for none).
fn optional_whole(form: &Form, field: &str, bad: &mut Vec<FieldError>) -> Option<i32> {
    form.filled(field)?;
    form.whole_as(field, field, "must be a whole number, or empty", bad)
}

/// Codes a form gives separated by commas or spaces.
fn codes(form: &Form, field: &str) -> Vec<String> {
    form.get(field)
        .unwrap_or_default()
        .split([',', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// An interpreter team as its form gives it.
fn team_of(form: &Form, id: Option<i64>, bad: &mut Vec<FieldError>) -> TeamInput {
    TeamInput {
        id,
        name: form.get("name").unwrap_or_default().to_string(),
        languages: codes(form, "languages"),
        max_sessions_per_day: optional_whole(form, "max_sessions_per_day", bad),
        max_minutes_per_day: optional_whole(form, "max_minutes_per_day", bad),
        min_break_min: optional_whole(form, "min_break_min", bad),
    }
}

/// The logistics as stored, to be sent back whole with one part changed.
fn logistics_input(now: &LogisticsView) -> LogisticsInput {
    LogisticsInput {
        online_channels: now.online_channels,
        captioners: now.captioners,
        interpreter_teams: now
            .interpreter_teams
            .iter()
            .map(|t| TeamInput {
                id: Some(t.id),
                name: t.name.clone(),
                languages: t.languages.clone(),
                max_sessions_per_day: t.max_sessions_per_day,
                max_minutes_per_day: t.max_minutes_per_day,
                min_break_min: t.min_break_min,
            })
            .collect(),
        bilateral_daily_limit: now.bilateral_daily_limit,
    }
}

/// Replaces the logistics with what `change` makes of them, against the tag the page
/// was shown (another change since is refused); a team's refused fields are said
/// beside its form's own fields.
fn change_logistics(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
    change: impl FnOnce(&mut LogisticsInput) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let (now, tag) = crate::scheduling::service::get_logistics(c, actor, meeting_id)?;
    // What the page showed must still hold, and nothing may change between this
    // read and the write (on any instance).
    crate::etag::check(&form.filled("tag").map(|t| vec![t.to_string()]), &tag)?;
    let mut input = logistics_input(&now);
    change(&mut input)?;
    match crate::scheduling::service::put_logistics(c, actor, meeting_id, &input, &Some(vec![tag]))
    {
        Ok(_) => Ok(()),
        Err(ApiError::Validation {
            code,
            message,
            errors,
            omitted,
        }) => Err(ApiError::Validation {
            code,
            message,
            errors: errors
                .into_iter()
                .map(|mut e| {
                    if let Some(rest) = e.field.strip_prefix("interpreter_teams[")
                        && let Some((_, field)) = rest.split_once("].")
                    {
                        e.message = e.message.replace(&e.field, field);
                        e.field = field.to_string();
                    }
                    e
                })
                .collect(),
            omitted,
        }),
        Err(e) => Err(e),
    }
}

/// A bilateral room as its form gives it.
fn bilateral_of(form: &Form, bad: &mut Vec<FieldError>) -> Option<BilateralInput> {
    let capacity = whole(form, "capacity", bad, "must be a whole number");
    let slot_minutes = whole(
        form,
        "slot_minutes",
        bad,
        "must be a whole number of minutes",
    );
    Some(BilateralInput {
        name: form.get("name").unwrap_or_default().to_string(),
        capacity: capacity?,
        opens: form.get("opens").unwrap_or_default().trim().to_string(),
        closes: form.get("closes").unwrap_or_default().trim().to_string(),
        slot_minutes: Some(slot_minutes?),
    })
}

/// The use case a form asks for, with what the form gives; what the form cannot even
/// give is refused beside its fields without calling it.
fn attempt(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    change: Change,
    form: &Form,
) -> Result<(), ApiError> {
    let mut bad = vec![];
    match change {
        Change::Add(Part::Rooms) => match room_of(form, &mut bad) {
            Some(r) if bad.is_empty() => shape::add_room(c, actor, meeting_id, &r).map(|_| ()),
            _ => Err(ApiError::validation(bad)),
        },
        Change::Edit(Part::Rooms, id) => match room_of(form, &mut bad) {
            Some(r) if bad.is_empty() => {
                let input = RoomChange {
                    name: Some(r.name),
                    capacity: Some(r.capacity),
                    hybrid: Some(r.hybrid),
                    layout: Some(r.layout),
                    booths: Some(r.booths),
                    caption_display: Some(r.caption_display),
                };
                shape::update_room(c, actor, id, &input).map(|_| ())
            }
            _ => Err(ApiError::validation(bad)),
        },
        Change::Add(Part::Themes) => {
            let target_share = share_of(form, &mut bad);
            if !bad.is_empty() {
                return Err(ApiError::validation(bad));
            }
            let input = ThemeInput {
                name: form.get("name").unwrap_or_default().to_string(),
                description: form.get("description").unwrap_or_default().to_string(),
                target_share,
            };
            shape::add_theme(c, actor, meeting_id, &input).map(|_| ())
        }
        Change::Edit(Part::Themes, id) => {
            let target_share = share_of(form, &mut bad);
            if !bad.is_empty() {
                return Err(ApiError::validation(bad));
            }
            let input = ThemeChange {
                name: Some(form.get("name").unwrap_or_default().to_string()),
                description: Some(form.get("description").unwrap_or_default().to_string()),
                target_share: Some(target_share),
            };
            shape::update_theme(c, actor, id, &input).map(|_| ())
        }
        Change::Add(Part::Types) => {
            let (name, durations, from_call, exclusive, placement) = type_of(form, &mut bad);
            if !bad.is_empty() {
                return Err(ApiError::validation(bad));
            }
            let input = SessionTypeInput {
                code: form.get("code").unwrap_or_default().trim().to_string(),
                name,
                durations,
                from_call,
                exclusive,
                placement,
            };
            shape::add_type(c, actor, meeting_id, &input).map(|_| ())
        }
        Change::Edit(Part::Types, id) => {
            let (name, durations, from_call, exclusive, placement) = type_of(form, &mut bad);
            if !bad.is_empty() {
                return Err(ApiError::validation(bad));
            }
            let input = SessionTypeChange {
                name: Some(name),
                durations: Some(durations),
                from_call: Some(from_call),
                exclusive: Some(exclusive),
                placement: Some(placement),
            };
            shape::update_type(c, actor, id, &input).map(|_| ())
        }
        Change::Add(Part::Days) => {
            let number = whole(form, "number", &mut bad, "must be a whole number");
            let date = date_of(form, &mut bad);
            let copy_slots_from = match form.filled("copy_slots_from") {
                None => None,
                Some(_) => whole(form, "copy_slots_from", &mut bad, "choose a day"),
            };
            match (number, date) {
                (Some(number), Some(date)) if bad.is_empty() => days::add(
                    c,
                    actor,
                    meeting_id,
                    &DayNew {
                        number,
                        date,
                        copy_slots_from,
                    },
                )
                .map(|_| ()),
                _ => Err(ApiError::validation(bad)),
            }
        }
        Change::Edit(Part::Days, number) => match date_of(form, &mut bad) {
            Some(date) => {
                let number = i32::try_from(number).map_err(|_| ApiError::NotFound("day"))?;
                days::update(c, actor, meeting_id, number, &DayChange { date }).map(|_| ())
            }
            None => Err(ApiError::validation(bad)),
        },
        Change::Add(Part::Slots) => {
            let day_number = whole(form, "day_number", &mut bad, "choose a day");
            let duration_min = whole(
                form,
                "duration_min",
                &mut bad,
                "must be a whole number of minutes",
            );
            match (day_number, duration_min) {
                (Some(day_number), Some(duration_min)) if bad.is_empty() => shape::add_slot(
                    c,
                    actor,
                    meeting_id,
                    &shape::SlotNew {
                        day_number,
                        start: form.get("start").unwrap_or_default().trim().to_string(),
                        duration_min,
                    },
                )
                .map(|_| ()),
                _ => Err(ApiError::validation(bad)),
            }
        }
        Change::Add(Part::Services) => {
            let online_channels = optional_whole(form, "online_channels", &mut bad);
            let captioners = optional_whole(form, "captioners", &mut bad);
            let daily = whole(
                form,
                "bilateral_daily_limit",
                &mut bad,
                "must be a whole number",
            );
            match daily {
                Some(daily) if bad.is_empty() => {
                    change_logistics(c, actor, meeting_id, form, |l| {
                        l.online_channels = online_channels;
                        l.captioners = captioners;
                        l.bilateral_daily_limit = daily;
                        Ok(())
                    })
                }
                _ => Err(ApiError::validation(bad)),
            }
        }
        Change::Add(Part::Teams) => {
            let team = team_of(form, None, &mut bad);
            if !bad.is_empty() {
                return Err(ApiError::validation(bad));
            }
            change_logistics(c, actor, meeting_id, form, |l| {
                l.interpreter_teams.push(team);
                Ok(())
            })
        }
        Change::Edit(Part::Teams, id) => {
            let team = team_of(form, Some(id), &mut bad);
            if !bad.is_empty() {
                return Err(ApiError::validation(bad));
            }
            change_logistics(c, actor, meeting_id, form, |l| {
                let at = l
                    .interpreter_teams
                    .iter_mut()
                    .find(|t| t.id == Some(id))
                    .ok_or(ApiError::NotFound("interpreter team"))?;
                *at = team;
                Ok(())
            })
        }
        Change::Remove(Part::Teams, id) => change_logistics(c, actor, meeting_id, form, |l| {
            let before = l.interpreter_teams.len();
            l.interpreter_teams.retain(|t| t.id != Some(id));
            if l.interpreter_teams.len() == before {
                return Err(ApiError::NotFound("interpreter team"));
            }
            Ok(())
        }),
        Change::Add(Part::Bilaterals) => match bilateral_of(form, &mut bad) {
            Some(r) if bad.is_empty() => {
                crate::bilaterals::create_room(c, actor, meeting_id, &r).map(|_| ())
            }
            _ => Err(ApiError::validation(bad)),
        },
        Change::Edit(Part::Bilaterals, id) => match bilateral_of(form, &mut bad) {
            Some(r) if bad.is_empty() => {
                let input = BilateralChange {
                    name: Some(r.name),
                    capacity: Some(r.capacity),
                    opens: Some(r.opens),
                    closes: Some(r.closes),
                    slot_minutes: r.slot_minutes,
                };
                crate::bilaterals::update_room(c, actor, id, &input).map(|_| ())
            }
            _ => Err(ApiError::validation(bad)),
        },
        Change::Remove(Part::Bilaterals, id) => crate::bilaterals::delete_room(c, actor, id),
        Change::Edit(Part::Slots | Part::Services, _) | Change::Remove(Part::Services, _) => {
            Err(ApiError::NotFound("page"))
        }
        Change::Remove(Part::Rooms, id) => shape::remove_room(c, actor, id),
        Change::Remove(Part::Themes, id) => shape::remove_theme(c, actor, id),
        Change::Remove(Part::Types, id) => shape::remove_type(c, actor, id),
        Change::Remove(Part::Slots, id) => shape::remove_slot(c, actor, id),
        Change::Remove(Part::Days, number) => {
            let number = i32::try_from(number).map_err(|_| ApiError::NotFound("day"))?;
            days::remove(c, actor, meeting_id, number)
        }
    }
}

/// Makes the change; a refusal the person can mend comes back with the page.
fn change_setup(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    change: Change,
    form: &Form,
) -> desk::Mended<(), SetupView> {
    let tried = attempt(c, actor, meeting_id, change, form);
    desk::mend(c, tried, |c| setup_of(c, actor, meeting_id))
}

async fn setup_answer(
    state: &AppState,
    req: &HttpRequest,
    visitor: &Visitor,
    meeting_id: i64,
    change: Change,
    body: &[u8],
) -> HttpResponse {
    let (b, form) = match desk::posted_by(state, req, visitor, Role::Secretariat, body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let actor = b.user.clone();
    let f = form.clone();
    match crate::db::run(&state.pool, move |c| {
        change_setup(c, &actor, meeting_id, change, &f)
    })
    .await
    {
        Ok(Ok(())) => desk::see_other(&format!("{}/setup?changed=1", root(meeting_id))),
        Ok(Err((e, x))) => {
            use actix_web::ResponseError;
            setup_page(
                &b,
                x,
                e.status_code(),
                Problems::from_error(&e),
                form,
                change.form(),
                None,
            )
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// `POST /desk/meetings/{meeting_id}/manage/{part}`: adds a room, theme, session type,
/// day or slot.
pub async fn add(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let (m, part) = path.into_inner();
    let Some(part) = Part::parse(&part) else {
        return crate::web::pages::not_found();
    };
    setup_answer(&state, &req, &visitor, m, Change::Add(part), &body).await
}

/// `POST /desk/meetings/{meeting_id}/manage/{part}/{id}`: changes a room, theme,
/// session type or day (by its number).
pub async fn edit(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, String, i64)>,
    body: web::Bytes,
) -> HttpResponse {
    let (m, part, id) = path.into_inner();
    let Some(part) = Part::parse(&part).filter(|p| !matches!(p, Part::Slots | Part::Services))
    else {
        return crate::web::pages::not_found();
    };
    setup_answer(&state, &req, &visitor, m, Change::Edit(part, id), &body).await
}

/// `POST /desk/meetings/{meeting_id}/manage/{part}/{id}/remove`: removes what nothing
/// uses (what uses it is named otherwise).
pub async fn remove(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, String, i64)>,
    body: web::Bytes,
) -> HttpResponse {
    let (m, part, id) = path.into_inner();
    let Some(part) = Part::parse(&part) else {
        return crate::web::pages::not_found();
    };
    setup_answer(&state, &req, &visitor, m, Change::Remove(part, id), &body).await
}

//! "Now and next": what runs at a moment of the meeting and what starts after it, in
//! the visitor's zone. The moment is the database's clock (so every instance agrees),
//! or `?at=` (an RFC 3339 instant) to look at another one.

use askama::Template;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::assets::{CSS, JS};
use super::service::{parse_utc, programme_of, read_query, render, span, with_query};
use super::words::{EN, Words};
use crate::auth::AuthUser;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::feeds::calendar::FeedQuery;
use crate::meetings::service::load_visible;

/// How far ahead "next" looks once the first later start is found.
const NEXT_WINDOW_MIN: i64 = 90;

/// A session as a line of a short list (`now_item.html`): its time in the shown zone,
/// the venue's beside it, and its room.
pub(super) struct Item {
    pub(super) href: String,
    pub(super) title: String,
    pub(super) cancelled: bool,
    pub(super) time: String,
    pub(super) venue_time: Option<String>,
    pub(super) start_utc: String,
    pub(super) room: String,
    pub(super) day: Option<String>,
}

impl Item {
    /// The line of a published session, linked with the zone shown.
    pub(super) fn of(
        s: &crate::scheduling::versions::ProgrammeItem,
        meeting_id: i64,
        shown: Tz,
        venue: Tz,
        zone_query: &[(&str, String)],
    ) -> Result<Self, ApiError> {
        let (start, end) = (parse_utc(&s.starts_at_utc)?, parse_utc(&s.ends_at_utc)?);
        Ok(Item {
            href: with_query(
                &format!("/meetings/{meeting_id}/sessions/{}", s.session_id),
                zone_query,
            ),
            title: s.title.clone(),
            cancelled: s.status == "cancelled",
            time: span(start, end, shown),
            venue_time: (shown != venue).then(|| span(start, end, venue)),
            start_utc: s.starts_at_utc.clone(),
            room: s.room.clone(),
            day: None,
        })
    }
}

#[derive(Template)]
#[template(path = "now.html")]
struct NowPage<'a> {
    w: &'a Words,
    css: &'a str,
    js: &'a str,
    shown_zone: String,
    meeting: String,
    programme_href: String,
    venue_zone: String,
    at: String,
    at_utc: String,
    state: Option<&'static str>,
    errors: Vec<String>,
    now: Vec<Item>,
    next: Vec<Item>,
}

/// The moment a `?at=` names; none given is the database's clock.
fn moment(conn: &mut DbConn, query: &str) -> Result<(DateTime<Utc>, Option<String>), ApiError> {
    let asked = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "at")
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty());
    let clock = crate::db::now(conn)?;
    Ok(match asked {
        None => (clock, None),
        Some(v) => match DateTime::parse_from_rfc3339(&v) {
            Ok(t) => (t.with_timezone(&Utc), None),
            Err(_) => (
                clock,
                Some(v.chars().filter(|c| !c.is_control()).take(40).collect()),
            ),
        },
    })
}

/// The page of what runs at the moment asked (or now) and what starts next, and
/// whether the moment asked did not parse (the page then shows the present, with a
/// message that says so).
pub fn page(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
    query: &str,
) -> Result<(bool, String), ApiError> {
    let asked = read_query(query);
    let zone = asked.zone();
    let (at, bad) = moment(conn, query)?;
    let m = load_visible(conn, meeting_id, viewer)?;
    let venue: Tz = m.venue()?;
    let shown = zone.unwrap_or(venue);
    let (programme, view) = programme_of(conn, &m, &FeedQuery::default())?;
    let zone_query: Vec<(&str, String)> = zone
        .map(|z| vec![("tz", z.name().to_string())])
        .unwrap_or_default();
    let mut timed = vec![];
    for s in &programme.sessions {
        timed.push((parse_utc(&s.starts_at_utc)?, parse_utc(&s.ends_at_utc)?, s));
    }
    let now: Vec<Item> = timed
        .iter()
        .filter(|(a, b, _)| *a <= at && at < *b)
        .map(|(_, _, s)| Item::of(s, meeting_id, shown, venue, &zone_query))
        .collect::<Result<_, _>>()?;
    let first_later = timed.iter().map(|t| t.0).filter(|a| *a > at).min();
    let local = at.with_timezone(&shown);
    let next: Vec<Item> = match first_later {
        None => vec![],
        Some(first) => timed
            .iter()
            .filter(|(a, _, _)| *a >= first && *a <= first + Duration::minutes(NEXT_WINDOW_MIN))
            .map(|(a, _, s)| {
                let mut item = Item::of(s, meeting_id, shown, venue, &zone_query)?;
                // What starts on another day there says which.
                let starts = a.with_timezone(&shown);
                if starts.date_naive() != local.date_naive() {
                    item.day = Some(starts.format("%a %-d %b").to_string());
                }
                Ok(item)
            })
            .collect::<Result<_, ApiError>>()?,
    };
    let first_start = timed.iter().map(|t| t.0).min();
    let last_end = timed.iter().map(|t| t.1).max();
    let state = match (first_start, last_end) {
        (Some(a), _) if at < a => Some(EN.not_started),
        (_, Some(b)) if at >= b => Some(EN.has_ended),
        _ if now.is_empty() => Some(EN.between_sessions),
        _ => None,
    };
    let mut errors: Vec<String> = bad
        .map(|v| format!("“{v}” {}", EN.not_an_instant))
        .into_iter()
        .collect();
    errors.extend(asked.zone_error().map(str::to_string));
    let refused = !errors.is_empty();
    let body = render(&NowPage {
        w: &EN,
        css: &CSS.name,
        js: &JS.name,
        shown_zone: shown.name().to_string(),
        meeting: view.name.clone(),
        programme_href: with_query(&format!("/meetings/{meeting_id}"), &zone_query),
        venue_zone: venue.name().to_string(),
        at: local.format("%A %-d %B %Y, %H:%M").to_string(),
        at_utc: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        state,
        errors,
        now,
        next,
    })?;
    Ok((refused, body))
}

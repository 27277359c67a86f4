//! "My agenda" without an account: a visitor stars sessions on the programme and
//! session pages, and the first star makes a personal agenda (the API's
//! [`crate::feeds::agendas`], token and all) whose token this browser keeps in a
//! cookie. The agenda page lists the starred sessions in the visitor's zone, warns of
//! the ones that clash, and shows the agenda's private calendar links to copy.

use askama::Template;
use chrono_tz::Tz;

use super::assets::{CSS, JS};
use super::service::{parse_utc, programme_of, render, span, with_query};
use super::words::{EN, Words};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::feeds::agendas::{self, AgendaRequest, AgendaView, Origin};
use crate::feeds::calendar::FeedQuery;
use crate::meetings::service::load_visible;

/// The cookie of a meeting's agenda in this browser (its value is the agenda's token).
pub fn cookie_name(meeting_id: i64) -> String {
    format!("igf_agenda_{meeting_id}")
}

/// What a star button asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Star {
    /// Put the session in the agenda.
    Add,
    /// Take it out.
    Remove,
}

/// A star request as it came: the form's body, whether the browser says it was sent
/// from another site, and the agenda token this browser holds, if any.
#[derive(Debug, Clone)]
pub struct StarRequest {
    /// `application/x-www-form-urlencoded`: `session_id`, and `remove=1` to unstar.
    pub body: Vec<u8>,
    /// Where the browser says the form was sent from.
    pub sender: super::forms::Sender,
    /// The token from this browser's cookie.
    pub token: Option<String>,
    /// The client's address, for the limit on new agendas.
    pub address: String,
    /// New agendas an address may make in an hour.
    pub per_hour: u32,
}

/// What a star did: the agenda afterwards (its token for the cookie) and the session.
#[derive(Debug, Clone)]
pub struct Starred {
    /// The agenda, with its token.
    pub agenda: AgendaView,
    /// The session starred or unstarred.
    pub session_id: i64,
    /// Where the browser goes next: the agenda page at that session.
    pub location: String,
}

/// The session a star form names, what to do with it, and the zone its page showed
/// (kept for the agenda page; one that does not parse is venue time).
fn read_star(body: &[u8]) -> Result<(i64, Star, Option<Tz>), ApiError> {
    let mut session = None;
    let mut remove = false;
    let mut zone = None;
    for (k, v) in form_urlencoded::parse(body) {
        match k.as_ref() {
            "session_id" if session.is_none() => session = Some(v.into_owned()),
            "remove" => remove = v == "1",
            "tz" if zone.is_none() => zone = super::zones::canonical(v.trim()),
            _ => {}
        }
    }
    let id = session
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::field("session_id", "integer", "must be a session's number"))?;
    Ok((id, if remove { Star::Remove } else { Star::Add }, zone))
}

/// Stars or unstars a session of a published meeting in this browser's agenda, making
/// the agenda at the first star (or when the browser's token no longer works).
pub fn star(
    conn: &mut DbConn,
    origin: &Origin,
    meeting_id: i64,
    req: &StarRequest,
) -> Result<Starred, ApiError> {
    if req.sender.from_elsewhere(&origin.0) {
        return Err(ApiError::Forbidden(
            "a star must come from this site's own pages".to_string(),
        ));
    }
    let (session_id, star, zone) = read_star(&req.body)?;
    let held = match &req.token {
        Some(t) => match agendas::get(conn, origin, t) {
            Ok(a) if a.meeting_id == meeting_id => Some(a),
            Ok(_) | Err(ApiError::NotFound(_)) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    if star == Star::Add {
        // A star is for a session of the published programme, as its pages show it.
        let m = load_visible(conn, meeting_id, &None)?;
        let (programme, _) = programme_of(conn, &m, &FeedQuery::default())?;
        if !programme
            .sessions
            .iter()
            .any(|s| s.session_id == session_id)
        {
            return Err(ApiError::NotFound("session"));
        }
    }
    let agenda = match (held, star) {
        (Some(a), Star::Add) => agendas::add_session(conn, origin, &a.token, session_id)?,
        (Some(a), Star::Remove) => agendas::remove_session(conn, origin, &a.token, session_id)?,
        (None, Star::Remove) => return Err(ApiError::NotFound("agenda")),
        (None, Star::Add) => agendas::create_with(
            conn,
            origin,
            &req.address,
            req.per_hour,
            meeting_id,
            &AgendaRequest::default(),
            Some(session_id),
        )?,
    };
    let zone_query: Vec<(&str, String)> = zone
        .map(|z| vec![("tz", z.name().to_string())])
        .unwrap_or_default();
    let page = with_query(&format!("/meetings/{meeting_id}/agenda"), &zone_query);
    Ok(Starred {
        location: format!("{page}#s-{session_id}"),
        agenda,
        session_id,
    })
}

/// A starred session on the agenda page.
struct Entry {
    id: i64,
    href: String,
    title: String,
    cancelled: bool,
    day: String,
    time: String,
    venue_time: Option<String>,
    start_utc: String,
    room: String,
    clashes: Vec<String>,
}

/// Two sessions that overlap, in words.
struct ClashLine {
    first: String,
    second: String,
    minutes: i64,
}

#[derive(Template)]
#[template(path = "agenda.html")]
struct AgendaPage<'a> {
    w: &'a Words,
    css: &'a str,
    js: &'a str,
    shown_zone: String,
    meeting: String,
    programme_href: String,
    venue_zone: String,
    action: String,
    entries: Vec<Entry>,
    clashes: Vec<ClashLine>,
    links: Option<agendas::Links>,
    errors: Vec<String>,
}

/// The agenda page of a meeting for the agenda this browser holds (none yet: how to
/// start one), in the zone the query asks for or the venue's; `error` says what a
/// star got wrong. Also whether the query's zone is none (the page then says so).
pub fn page(
    conn: &mut DbConn,
    origin: &Origin,
    meeting_id: i64,
    token: Option<&str>,
    query: &str,
    error: Option<&ApiError>,
) -> Result<(bool, String), ApiError> {
    let asked = super::service::read_query(query);
    let zone = asked.zone();
    let m = load_visible(conn, meeting_id, &None)?;
    let venue = m.venue()?;
    let shown = zone.unwrap_or(venue);
    let (programme, view) = programme_of(conn, &m, &FeedQuery::default())?;
    let agenda = match token {
        Some(t) => match agendas::get(conn, origin, t) {
            Ok(a) if a.meeting_id == meeting_id => Some(a),
            Ok(_) | Err(ApiError::NotFound(_)) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let zone_query: Vec<(&str, String)> = zone
        .map(|z| vec![("tz", z.name().to_string())])
        .unwrap_or_default();
    let title_of = |id: i64| {
        programme
            .sessions
            .iter()
            .find(|s| s.session_id == id)
            .map_or_else(|| format!("#{id}"), |s| s.title.clone())
    };
    let mut entries = vec![];
    let mut clashes = vec![];
    let mut links = None;
    if let Some(a) = &agenda {
        for s in programme
            .sessions
            .iter()
            .filter(|s| a.session_ids.binary_search(&s.session_id).is_ok())
        {
            let (start, end) = (parse_utc(&s.starts_at_utc)?, parse_utc(&s.ends_at_utc)?);
            let local = start.with_timezone(&shown);
            entries.push(Entry {
                id: s.session_id,
                href: with_query(
                    &format!("/meetings/{meeting_id}/sessions/{}", s.session_id),
                    &zone_query,
                ),
                title: s.title.clone(),
                cancelled: s.status == "cancelled",
                day: local.format("%A %-d %B").to_string(),
                time: span(start, end, shown),
                venue_time: (shown != venue).then(|| span(start, end, venue)),
                start_utc: s.starts_at_utc.clone(),
                room: s.room.clone(),
                clashes: a
                    .clashes
                    .iter()
                    .filter_map(|c| match c.session_ids {
                        [x, y] if x == s.session_id => Some(title_of(y)),
                        [x, y] if y == s.session_id => Some(title_of(x)),
                        _ => None,
                    })
                    .collect(),
            });
        }
        clashes = a
            .clashes
            .iter()
            .map(|c| ClashLine {
                first: title_of(c.session_ids[0]),
                second: title_of(c.session_ids[1]),
                minutes: c.minutes,
            })
            .collect();
        links = Some(a.links.clone());
    }
    let mut errors: Vec<String> = asked.zone_error().map(str::to_string).into_iter().collect();
    let refused = !errors.is_empty();
    errors.extend(error.map(|e| match e {
        ApiError::NotFound("session") => EN.no_such_session.to_string(),
        ApiError::NotFound(_) => EN.no_agenda_yet.to_string(),
        ApiError::Forbidden(_) => EN.star_elsewhere.to_string(),
        ApiError::TooManyRequests { .. } => EN.too_many_agendas.to_string(),
        _ => EN.not_a_session.to_string(),
    }));
    let body = render(&AgendaPage {
        w: &EN,
        css: &CSS.name,
        js: &JS.name,
        shown_zone: shown.name().to_string(),
        meeting: view.name.clone(),
        programme_href: with_query(&format!("/meetings/{meeting_id}"), &zone_query),
        venue_zone: venue.name().to_string(),
        action: format!("/meetings/{meeting_id}/agenda"),
        entries,
        clashes,
        links,
        errors,
    })?;
    Ok((refused, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_form_names_one_session_and_may_remove_it() {
        assert_eq!(read_star(b"session_id=12").unwrap(), (12, Star::Add, None));
        assert_eq!(
            read_star(b"session_id=12&remove=1&tz=Asia%2FKatmandu").unwrap(),
            (12, Star::Remove, Some(chrono_tz::Asia::Kathmandu))
        );
        assert_eq!(read_star(b"session_id=3&session_id=4").unwrap().0, 3);
        for bad in [&b""[..], b"session_id=", b"session_id=x", b"session_id=-2"] {
            assert!(read_star(bad).is_err(), "{bad:?}");
        }
    }
}

//! A remote hub's page: the sessions a hub follows (the API's
//! [`crate::scheduling::hubs::agenda`]), by day in the hub's own zone unless another is
//! asked for, with the hub's calendar feed to subscribe to.

use askama::Template;
use chrono_tz::Tz;

use super::assets::CSS;
use super::now::Item;
use super::service::{parse_utc, render, with_query};
use super::words::{EN, Words};
use crate::auth::AuthUser;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::feeds::agendas::Origin;

/// A day in the shown zone.
struct Day {
    heading: String,
    items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "hub.html")]
struct HubPage<'a> {
    w: &'a Words,
    css: &'a str,
    shown_zone: String,
    name: String,
    place: String,
    hub_zone: String,
    venue_zone: String,
    meeting_href: String,
    days: Vec<Day>,
    webcal: String,
    https: String,
}

/// The hub's page, in `zone` or the hub's own.
pub fn page(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    hub_id: i64,
    zone: Option<Tz>,
    base: &str,
) -> Result<String, ApiError> {
    let a = crate::scheduling::hubs::agenda(conn, viewer, hub_id)?;
    let hub_zone = crate::time::stored_zone(&a.hub.timezone)?;
    let venue: Tz = crate::time::stored_zone(&a.programme.timezone)?;
    let shown = zone.unwrap_or(hub_zone);
    let zone_query: Vec<(&str, String)> = vec![("tz", shown.name().to_string())];
    let mut days: Vec<Day> = vec![];
    for s in &a.programme.sessions {
        let heading = parse_utc(&s.starts_at_utc)?
            .with_timezone(&shown)
            .format("%A %-d %B %Y")
            .to_string();
        let item = Item::of(s, a.hub.meeting_id, shown, venue, &zone_query)?;
        match days.last_mut() {
            Some(d) if d.heading == heading => d.items.push(item),
            _ => days.push(Day {
                heading,
                items: vec![item],
            }),
        }
    }
    let links = Origin(base.to_string()).links(&format!("/api/v1/hubs/{hub_id}/calendar.ics"));
    render(&HubPage {
        w: &EN,
        css: &CSS.name,
        shown_zone: shown.name().to_string(),
        name: a.hub.name.clone(),
        place: [a.hub.city.as_str(), a.hub.country.as_str()]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        hub_zone: hub_zone.name().to_string(),
        venue_zone: venue.name().to_string(),
        meeting_href: with_query(&format!("/meetings/{}", a.hub.meeting_id), &zone_query),
        days,
        webcal: links.webcal,
        https: links.https,
    })
}

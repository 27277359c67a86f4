//! A meeting's summary from its reports: how many sessions owe reports, how many were
//! filed and on time, participation onsite and online (with the women among them) by
//! session type and by theme from the accepted full reports, and the key takeaways
//! and calls to action of the accepted short reports gathered by theme. Public with
//! the meeting's programme; the page draws it ([`crate::web::pages`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::types::{ReportContent, ReportKind, ReportState};
use super::{Held, deadlines, held, rows_of};
use crate::auth::AuthUser;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::meetings::service::load_visible;

/// How the reports of one kind stand across the meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts {
    /// Reports whose deadline has passed.
    pub due: i64,
    /// Reports submitted at least once.
    pub filed: i64,
    /// Of those, first submitted by the deadline.
    pub on_time: i64,
    /// Reports the secretariat accepted (public).
    pub accepted: i64,
    /// Reports first submitted after their deadline, or past it and not submitted.
    pub late: i64,
}

/// Participation in a group of sessions, from their accepted full reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participation {
    /// The group's key: a session type's code or a theme's id (none: no theme).
    pub key: Option<String>,
    /// The group's name.
    pub name: String,
    /// Sessions in the group that owe reports.
    pub sessions: i64,
    /// Of those, sessions with an accepted full report (the figures below add these).
    pub reported: i64,
    /// People in the room.
    pub onsite: i64,
    /// People online.
    pub online: i64,
    /// Estimated women among them.
    pub women: i64,
}

/// One session's takeaways and calls to action, from its accepted short report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionMessages {
    /// The session.
    pub session_id: i64,
    /// Its title.
    pub title: String,
    /// Key takeaways.
    pub key_takeaways: Vec<String>,
    /// Calls to action.
    pub calls_to_action: Vec<String>,
}

/// The takeaways and calls to action of one theme's sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeMessages {
    /// The theme's id (none: sessions without a theme).
    pub theme_id: Option<i64>,
    /// Its name.
    pub theme: String,
    /// Its sessions with an accepted short report, in programme order.
    pub sessions: Vec<SessionMessages>,
}

/// The meeting's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The meeting.
    pub meeting_id: i64,
    /// Its name.
    pub meeting: String,
    /// Sessions of the published programme that owe reports (ceremonies aside).
    pub sessions: i64,
    /// Of those, sessions that have ended.
    pub held: i64,
    /// Short reports.
    pub short: KindCounts,
    /// Full reports.
    pub full: KindCounts,
    /// Participation across all sessions with an accepted full report.
    pub participation: Participation,
    /// By session type, in the meeting's order of types.
    pub by_session_type: Vec<Participation>,
    /// By theme, then sessions without a theme.
    pub by_theme: Vec<Participation>,
    /// Key takeaways and calls to action by theme.
    pub messages: Vec<ThemeMessages>,
}

const NO_THEME: &str = "No theme";

/// The summary of a meeting whose programme the caller may see.
pub fn summary(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
) -> Result<Summary, ApiError> {
    let m = load_visible(conn, meeting_id, viewer)?;
    let now = crate::time::now();
    let d = deadlines(conn, &m)?;
    let held = held(conn, meeting_id, None)?;
    let rows = rows_of(conn, meeting_id)?;
    let mut short = KindCounts::default();
    let mut full = KindCounts::default();
    let mut total = Participation {
        name: "All sessions".into(),
        ..Participation::default()
    };
    let mut by_type: BTreeMap<String, Participation> = BTreeMap::new();
    let mut type_order: Vec<String> = vec![];
    let mut by_theme: BTreeMap<Option<i64>, Participation> = BTreeMap::new();
    let mut messages: BTreeMap<Option<i64>, ThemeMessages> = BTreeMap::new();
    for h in &held {
        for kind in ReportKind::ALL {
            let counts = if *kind == ReportKind::Short {
                &mut short
            } else {
                &mut full
            };
            let due = d.due(*kind, h);
            let row = rows.get(&(h.session_id, *kind));
            let first = row
                .and_then(|r| r.first_submitted_at)
                .map(crate::time::from_db);
            let on_time = first.is_some_and(|t| t <= due);
            counts.due += i64::from(due < now);
            counts.filed += i64::from(first.is_some());
            counts.on_time += i64::from(on_time);
            counts.late += i64::from(first.map_or(due < now, |t| t > due));
            counts.accepted += i64::from(row.is_some_and(|r| r.state() == ReportState::Accepted));
        }
        let accepted = |k: ReportKind| -> Result<Option<ReportContent>, ApiError> {
            rows.get(&(h.session_id, k))
                .filter(|r| r.state() == ReportState::Accepted)
                .map(super::Row::content)
                .transpose()
        };
        let figures = accepted(ReportKind::Full)?;
        if !type_order.contains(&h.type_code) {
            type_order.push(h.type_code.clone());
        }
        let groups = [
            by_type
                .entry(h.type_code.clone())
                .or_insert_with(|| group(Some(h.type_code.clone()), &h.type_name)),
            by_theme
                .entry(h.theme.as_ref().map(|(id, _)| *id))
                .or_insert_with(|| {
                    group(
                        h.theme.as_ref().map(|(id, _)| id.to_string()),
                        h.theme.as_ref().map_or(NO_THEME, |(_, n)| n),
                    )
                }),
        ];
        for g in groups.into_iter().chain([&mut total]) {
            add(g, figures.as_ref());
        }
        if let Some(s) = accepted(ReportKind::Short)? {
            messages
                .entry(h.theme.as_ref().map(|(id, _)| *id))
                .or_insert_with(|| theme_messages(h))
                .sessions
                .push(SessionMessages {
                    session_id: h.session_id,
                    title: h.title.clone(),
                    key_takeaways: s.key_takeaways.unwrap_or_default(),
                    calls_to_action: s.calls_to_action.unwrap_or_default(),
                });
        }
    }
    // Themed groups first (by id, the meeting's order), the unthemed last.
    let last_none = |mut v: Vec<(Option<i64>, Participation)>| {
        v.sort_by_key(|(k, _)| (k.is_none(), *k));
        v.into_iter().map(|(_, p)| p).collect::<Vec<_>>()
    };
    let mut msgs: Vec<(Option<i64>, ThemeMessages)> = messages.into_iter().collect();
    msgs.sort_by_key(|(k, _)| (k.is_none(), *k));
    Ok(Summary {
        meeting_id,
        meeting: m.name.clone(),
        sessions: held.len() as i64,
        held: held.iter().filter(|h| h.ends_at <= now).count() as i64,
        short,
        full,
        participation: total,
        by_session_type: type_order
            .iter()
            .filter_map(|c| by_type.remove(c))
            .collect(),
        by_theme: last_none(by_theme.into_iter().collect()),
        messages: msgs.into_iter().map(|(_, t)| t).collect(),
    })
}

fn group(key: Option<String>, name: &str) -> Participation {
    Participation {
        key,
        name: name.to_string(),
        ..Participation::default()
    }
}

fn add(g: &mut Participation, figures: Option<&ReportContent>) {
    g.sessions += 1;
    if let Some(f) = figures {
        g.reported += 1;
        g.onsite += i64::from(f.participants_onsite.unwrap_or(0));
        g.online += i64::from(f.participants_online.unwrap_or(0));
        g.women += i64::from(f.women_estimate.unwrap_or(0));
    }
}

fn theme_messages(h: &Held) -> ThemeMessages {
    ThemeMessages {
        theme_id: h.theme.as_ref().map(|(id, _)| *id),
        theme: h
            .theme
            .as_ref()
            .map_or(NO_THEME.to_string(), |(_, n)| n.clone()),
        sessions: vec![],
    }
}

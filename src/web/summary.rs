//! The meeting's summary as a page: the API's summary
//! ([`crate::reports::summary::summary`]) with the reports filed (on time, late, not
//! filed) and participation onsite and online by session type and by theme drawn as
//! stacked bars (SVG made here), each with its numbers in a table beside it, then the
//! accepted short reports' takeaways and calls to action by theme.

use askama::Template;

use super::assets::CSS;
use super::service::render;
use super::words::{EN, REPORTS, ReportWords, Words};
use crate::auth::AuthUser;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::reports::summary::{KindCounts, Participation, Summary, ThemeMessages};

const BAR_X: f64 = 2.0;
const BAR_W: f64 = 440.0;
const ROW_H: f64 = 38.0;

/// One part of a stacked bar.
struct Segment {
    class: &'static str,
    x: String,
    width: String,
}

/// One row of a stacked bar chart.
struct Row {
    label: String,
    label_y: String,
    y: String,
    text_y: String,
    value_x: String,
    total: i64,
    segments: Vec<Segment>,
}

/// A stacked bar chart: its rows, the legend's entries, and its size.
struct Stacked {
    id: &'static str,
    title: &'static str,
    height: String,
    axis_y: String,
    legend: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
}

fn stacked(
    id: &'static str,
    title: &'static str,
    legend: Vec<(&'static str, &'static str)>,
    data: Vec<(String, Vec<i64>)>,
) -> Stacked {
    let most = data
        .iter()
        .map(|(_, parts)| parts.iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let rows: Vec<Row> = data
        .into_iter()
        .enumerate()
        .map(|(i, (label, parts))| {
            let top = 4.0 + ROW_H * i as f64;
            let mut x = BAR_X;
            let segments = parts
                .iter()
                .zip(&legend)
                .map(|(n, (_, class))| {
                    let w = BAR_W * (*n as f64) / most;
                    let s = Segment {
                        class,
                        x: format!("{x:.1}"),
                        width: format!("{w:.1}"),
                    };
                    x += w;
                    s
                })
                .collect();
            Row {
                label,
                label_y: format!("{:.1}", top + 12.0),
                y: format!("{:.1}", top + 17.0),
                text_y: format!("{:.1}", top + 29.0),
                value_x: format!("{:.1}", x + 4.0),
                total: parts.iter().sum(),
                segments,
            }
        })
        .collect();
    let h = ROW_H * rows.len() as f64;
    Stacked {
        id,
        title,
        height: format!("{:.0}", 12.0 + h),
        axis_y: format!("{:.1}", 4.0 + h),
        legend,
        rows,
    }
}

/// A participation group's line in its table.
struct GroupLine {
    name: String,
    sessions: i64,
    reported: i64,
    onsite: i64,
    online: i64,
    women: String,
}

fn lines(groups: &[Participation]) -> Vec<GroupLine> {
    groups
        .iter()
        .map(|g| GroupLine {
            name: g.name.clone(),
            sessions: g.sessions,
            reported: g.reported,
            onsite: g.onsite,
            online: g.online,
            women: women(g),
        })
        .collect()
}

fn women(g: &Participation) -> String {
    let all = g.onsite + g.online;
    if all == 0 {
        "—".into()
    } else {
        format!("{} ({:.0} %)", g.women, 100.0 * g.women as f64 / all as f64)
    }
}

/// A report kind's line in the table of reports.
struct KindLine {
    name: &'static str,
    c: KindCounts,
}

#[derive(Template)]
#[template(path = "summary.html")]
struct SummaryPage<'a> {
    w: &'a Words,
    r: &'a ReportWords,
    css: &'a str,
    shown_zone: String,
    meeting: String,
    programme_href: String,
    json_href: String,
    sessions: i64,
    held: i64,
    kinds: Vec<KindLine>,
    filed_chart: Stacked,
    type_chart: Stacked,
    type_lines: Vec<GroupLine>,
    theme_chart: Stacked,
    theme_lines: Vec<GroupLine>,
    total: GroupLine,
    messages: Vec<ThemeMessages>,
    session_href: String,
}

fn participation_chart(id: &'static str, title: &'static str, groups: &[Participation]) -> Stacked {
    stacked(
        id,
        title,
        vec![(REPORTS.onsite, "onsite"), (REPORTS.online, "online")],
        groups
            .iter()
            .map(|g| (g.name.clone(), vec![g.onsite, g.online]))
            .collect(),
    )
}

/// The summary of a meeting as a page, public with its programme.
pub fn page(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
) -> Result<String, ApiError> {
    let s: Summary = crate::reports::summary::summary(conn, viewer, meeting_id)?;
    // On time, filed late, past due and not filed, not due yet (and not filed).
    let filed = |c: &KindCounts| {
        let late_filed = c.filed - c.on_time;
        let overdue = c.late - late_filed;
        vec![
            c.on_time,
            late_filed,
            overdue,
            s.sessions - c.filed - overdue,
        ]
    };
    render(&SummaryPage {
        w: &EN,
        r: &REPORTS,
        css: &CSS.name,
        shown_zone: String::new(),
        meeting: s.meeting.clone(),
        programme_href: format!("/meetings/{meeting_id}"),
        json_href: format!("/api/v1/meetings/{meeting_id}/reports/summary"),
        sessions: s.sessions,
        held: s.held,
        kinds: vec![
            KindLine {
                name: REPORTS.short,
                c: s.short.clone(),
            },
            KindLine {
                name: REPORTS.full,
                c: s.full.clone(),
            },
        ],
        filed_chart: stacked(
            "filed",
            REPORTS.when_filed,
            vec![
                (REPORTS.on_time, "on-time"),
                (REPORTS.filed_late, "late"),
                (REPORTS.not_filed, "missing"),
                (REPORTS.not_due, "not-due"),
            ],
            vec![
                (REPORTS.short.to_string(), filed(&s.short)),
                (REPORTS.full.to_string(), filed(&s.full)),
            ],
        ),
        type_chart: participation_chart("types", REPORTS.by_type, &s.by_session_type),
        type_lines: lines(&s.by_session_type),
        theme_chart: participation_chart("themes", REPORTS.by_theme, &s.by_theme),
        theme_lines: lines(&s.by_theme),
        total: lines(std::slice::from_ref(&s.participation))
            .pop()
            .ok_or(ApiError::NotFound("summary"))?,
        messages: s.messages.clone(),
        session_href: format!("/meetings/{meeting_id}/sessions/"),
    })
}

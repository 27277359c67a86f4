//! The transparency report as a page: the API's report
//! ([`crate::selection::service::report`]) with the programme's shares by stakeholder
//! group, region, gender, theme, first-time and developing-country organisers drawn
//! as charts (SVG made here) against their targets, each with its numbers in a table
//! beside it, then every proposal's outcome and anonymous scores.

use std::collections::BTreeMap;

use askama::Template;

use super::assets::CSS;
use super::service::render;
use super::words::{EN, Words};
use crate::auth::AuthUser;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::selection::programme::{ProgrammeDiversity, Share};

/// Where the bars start and how long the axis is, in the chart's units.
const BAR_X: f64 = 2.0;
const BAR_W: f64 = 440.0;
const ROW_H: f64 = 38.0;

/// One bar of a chart, with its row of the table.
pub(super) struct Bar {
    pub(super) label: String,
    pub(super) count: usize,
    pub(super) percent: String,
    pub(super) target: String,
    pub(super) met: &'static str,
    pub(super) met_class: &'static str,
    pub(super) label_y: String,
    pub(super) y: String,
    pub(super) text_y: String,
    pub(super) bottom: String,
    pub(super) width: String,
    pub(super) value_x: String,
    pub(super) min_x: Option<String>,
    pub(super) max_x: Option<String>,
}

/// A chart and its table.
pub(super) struct Chart {
    pub(super) id: &'static str,
    pub(super) title: &'static str,
    pub(super) unit: &'static str,
    pub(super) whole: String,
    pub(super) height: String,
    pub(super) axis_x: String,
    pub(super) axis_end_x: String,
    pub(super) axis_y: String,
    pub(super) label_y: String,
    pub(super) axis_end: String,
    pub(super) bars: Vec<Bar>,
}

/// A proposal's line in the report.
struct ProposalLine {
    title: String,
    theme: String,
    outcome: String,
    reason: String,
    scores: usize,
    mean: String,
    normalised: String,
    withdrawn: bool,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    w: &'a Words,
    css: &'a str,
    shown_zone: String,
    meeting: String,
    programme_href: String,
    published: String,
    preview: bool,
    outcomes: Vec<(String, usize)>,
    all_met: bool,
    charts: Vec<Chart>,
    proposals: Vec<ProposalLine>,
    normalisation: &'static str,
}

fn percent(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

/// The axis runs to 50 % when every share and target fits there, else to 100 %.
fn axis_end(shares: &[(String, &Share)]) -> f64 {
    let most = shares
        .iter()
        .flat_map(|(_, s)| [Some(s.share), s.target_min, s.target_max])
        .flatten()
        .fold(0.0, f64::max);
    if most <= 0.5 { 0.5 } else { 1.0 }
}

fn x_of(share: f64, end: f64) -> f64 {
    BAR_X + BAR_W * (share / end).clamp(0.0, 1.0)
}

fn target_words(s: &Share) -> String {
    match (s.target_min, s.target_max) {
        (Some(a), Some(b)) => format!("{} – {}", percent(a), percent(b)),
        (Some(a), None) => format!("{} {}", EN.at_least, percent(a)),
        (None, Some(b)) => format!("{} {}", EN.at_most, percent(b)),
        (None, None) => "—".to_string(),
    }
}

pub(super) fn chart(
    id: &'static str,
    title: &'static str,
    whole: String,
    shares: Vec<(String, &Share)>,
) -> Chart {
    let end = axis_end(&shares);
    let bars = shares
        .into_iter()
        .enumerate()
        .map(|(i, (label, s))| {
            let top = 4.0 + ROW_H * i as f64;
            let (met, met_class) = match s.met {
                Some(true) => (EN.target_met, "met"),
                Some(false) => (EN.target_missed, "missed"),
                None => (EN.no_target, "none"),
            };
            Bar {
                label,
                count: s.count,
                percent: percent(s.share),
                target: target_words(s),
                met,
                met_class,
                label_y: format!("{:.1}", top + 12.0),
                y: format!("{:.1}", top + 17.0),
                text_y: format!("{:.1}", top + 29.0),
                bottom: format!("{:.1}", top + 33.0),
                width: format!("{:.1}", x_of(s.share, end) - BAR_X),
                value_x: format!("{:.1}", x_of(s.share, end) + 4.0),
                min_x: s.target_min.map(|t| format!("{:.1}", x_of(t, end))),
                max_x: s.target_max.map(|t| format!("{:.1}", x_of(t, end))),
            }
        })
        .collect::<Vec<_>>();
    let rows = ROW_H * bars.len() as f64;
    Chart {
        id,
        title,
        unit: if id == "genders" {
            EN.people_count
        } else {
            EN.proposals_count
        },
        whole,
        height: format!("{:.0}", 30.0 + rows),
        axis_x: format!("{BAR_X:.1}"),
        axis_end_x: format!("{:.1}", BAR_X + BAR_W),
        axis_y: format!("{:.1}", 4.0 + rows),
        label_y: format!("{:.1}", 18.0 + rows),
        axis_end: percent(end),
        bars,
    }
}

pub(super) fn named(map: &BTreeMap<String, Share>) -> Vec<(String, &Share)> {
    map.iter()
        .map(|(code, s)| (EN.group(code).to_string(), s))
        .collect()
}

fn score(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |v| format!("{v:.2}"))
}

/// The charts of a programme's shares against their targets.
pub(super) fn charts_of(p: &ProgrammeDiversity) -> Vec<Chart> {
    let proposals_whole = format!("{} {}", p.proposals, EN.proposals_in_programme);
    let people_whole = format!("{} {}", p.people, EN.people_in_programme);
    vec![
        chart(
            "stakeholders",
            EN.by_stakeholder,
            proposals_whole.clone(),
            named(&p.stakeholder_groups),
        ),
        chart(
            "regions",
            EN.by_region,
            proposals_whole.clone(),
            named(&p.regional_groups),
        ),
        chart("genders", EN.by_gender, people_whole, named(&p.genders)),
        chart(
            "themes",
            EN.by_theme,
            proposals_whole.clone(),
            p.themes.iter().map(|(n, s)| (n.clone(), s)).collect(),
        ),
        chart(
            "organisers",
            EN.by_organiser,
            proposals_whole,
            vec![
                (EN.first_time.to_string(), &p.first_time),
                (EN.developing_country.to_string(), &p.developing_country),
            ],
        ),
    ]
}

/// The transparency report of a meeting as a page: public once results are
/// published, a preview for the secretariat before.
pub fn page(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
) -> Result<String, ApiError> {
    let r = crate::selection::service::report(conn, viewer, meeting_id)?;
    let m = crate::meetings::service::load_visible(conn, meeting_id, viewer)?;
    let p = &r.programme;
    let charts = charts_of(p);
    let proposals = r
        .proposals
        .iter()
        .map(|row| ProposalLine {
            title: row.title.clone(),
            theme: row.theme.clone().unwrap_or_default(),
            outcome: row
                .outcome
                .as_deref()
                .map_or(EN.undecided, |o| EN.group(o))
                .to_string(),
            reason: row.reason.clone().unwrap_or_default(),
            scores: row.scores,
            mean: score(row.mean),
            normalised: score(row.normalised),
            withdrawn: row.withdrawn,
        })
        .collect();
    render(&ReportPage {
        w: &EN,
        css: &CSS.name,
        shown_zone: String::new(),
        meeting: m.name.clone(),
        programme_href: format!("/meetings/{meeting_id}"),
        published: r
            .published_at
            .as_deref()
            .map(|t| t.replace('T', " ").replace('Z', " UTC"))
            .unwrap_or_default(),
        preview: r.preview,
        outcomes: r
            .outcomes
            .iter()
            .map(|(o, n)| (EN.group(o).to_string(), *n))
            .collect(),
        all_met: p.all_targets_met,
        charts,
        proposals,
        normalisation: r.normalisation,
    })
}

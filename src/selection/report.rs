//! The public transparency report of a meeting's selection.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::programme::{self, Targets};
use super::runs::{entry, facts_of, load_run};
use super::types::*;
use crate::db::DbConn;
use crate::db::schema::proposal_decisions as pd;
use crate::error::ApiError;
use crate::evaluation::phase::{self, Phase};
use crate::evaluation::scores::{self};
use crate::time::from_db;

/// The normalisation method in words (also in the API description).
pub const NORMALISATION: &str = "Each evaluator's overall scores are standardised against that evaluator's own mean and spread, then mapped back onto the pool's mean and spread and clamped to the scale; an evaluator who gave one repeated score is only shifted by their mean offset, and one with fewer than 5 scores keeps their raw scores. A proposal's normalised score is the mean of its normalised scores; when normalised scores tell fewer proposals apart than the raw means, the selection ranks by the means. Raw scores are kept unchanged.";

/// The meeting's own theme targets, for a report with no selection run behind it.
fn meeting_targets(conn: &mut DbConn, meeting_id: i64) -> Result<Targets, ApiError> {
    use crate::db::schema::themes;
    let rows: Vec<(String, Option<f64>)> = themes::table
        .filter(themes::meeting_id.eq(meeting_id))
        .select((themes::name, themes::target_share))
        .load(conn)?;
    let mut t = Targets::default();
    for (name, share) in rows {
        if let Some(share) = share {
            t.themes.insert(
                name,
                programme::ShareBounds {
                    min: Some((share - super::runs::TARGET_TOLERANCE).max(0.0)),
                    max: None,
                },
            );
        }
    }
    Ok(t)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Builds the transparency report of a meeting.
pub fn report(conn: &mut DbConn, meeting_id: i64) -> Result<Report, ApiError> {
    let settings = phase::load(conn, meeting_id)?;
    let facts = facts_of(conn, meeting_id, true)?;
    let all_scores = scores::all_scores(conn, meeting_id)?;
    let aggs = scores::aggregates(&all_scores);
    let decisions: Vec<(i64, String, String, Option<i64>)> = pd::table
        .filter(pd::meeting_id.eq(meeting_id))
        .select((
            pd::proposal_id,
            pd::outcome,
            pd::reason,
            pd::selection_run_id,
        ))
        .load(conn)?;
    let decided: BTreeMap<i64, (String, String)> = decisions
        .iter()
        .map(|(p, o, r, _)| (*p, (o.clone(), r.clone())))
        .collect();
    let latest_run = decisions.iter().filter_map(|d| d.3).max();
    let targets = match latest_run {
        Some(run) => load_run(conn, meeting_id, run)?.request.targets(),
        None => meeting_targets(conn, meeting_id)?,
    };
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut entries = vec![];
    let mut rows = vec![];
    for f in &facts {
        let d = decided.get(&f.id);
        if let Some((o, _)) = d {
            *outcomes.entry(o.clone()).or_default() += 1;
            if !f.withdrawn && Outcome::parse(o).is_some_and(Outcome::in_programme) {
                entries.push(entry(f));
            }
        }
        let a = aggs.get(&f.id);
        rows.push(ReportRow {
            proposal_id: f.id,
            title: f.title.clone(),
            theme: f.theme.clone(),
            session_type: f.session_type.clone(),
            outcome: d.map(|x| x.0.clone()),
            reason: d.map(|x| x.1.clone()),
            scores: a.map_or(0, |a| a.count),
            mean: a.map(|a| round2(a.mean)),
            sd: a.map(|a| round2(a.sd)),
            min: a.map(|a| round2(a.min)),
            max: a.map(|a| round2(a.max)),
            normalised: a.map(|a| round2(a.normalised)),
            polarising: a.is_some_and(|a| a.polarising),
            withdrawn: f.withdrawn,
        });
    }
    let in_prog = |r: &ReportRow| {
        r.outcome
            .as_deref()
            .and_then(Outcome::parse)
            .is_some_and(Outcome::in_programme)
    };
    rows.sort_by(|a, b| {
        in_prog(b)
            .cmp(&in_prog(a))
            .then(
                b.normalised
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.normalised.unwrap_or(f64::NEG_INFINITY)),
            )
            .then(a.proposal_id.cmp(&b.proposal_id))
    });
    Ok(Report {
        meeting_id,
        published_at: settings
            .published_at
            .map(|t| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        preview: settings.phase != Phase::Published,
        criteria: settings.criteria,
        scale: [phase::SCALE_MIN, phase::SCALE_MAX],
        normalisation: NORMALISATION,
        outcomes,
        programme: programme::summarise(&entries, &targets),
        proposals: rows,
    })
}

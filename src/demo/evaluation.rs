//! The demo's evaluation: scoring by the MAG, the selection under the demo's quotas,
//! the decisions and the published results.

use diesel::prelude::*;

use super::words::{COMMENTS, THEMES, pick};
use crate::db::DbConn;
use crate::error::ApiError;

/// The selection the demo secretariat asks for: 100 sessions over the call's types,
/// every theme between 15 % and 35 %, each stakeholder group and the larger regions
/// present, a quarter first-timers, a third from developing countries, at most 3
/// sessions per organisation and per speaker, a small bonus for diverse line-ups.
pub fn selection_request() -> crate::selection::types::SelectionRequest {
    let mut themes = std::collections::BTreeMap::new();
    for (name, _) in THEMES {
        themes.insert(
            (*name).to_string(),
            crate::selection::programme::ShareBounds {
                min: Some(0.15),
                max: Some(0.35),
            },
        );
    }
    let shares = |v: &[(&str, f64)]| v.iter().map(|(k, s)| ((*k).to_string(), *s)).collect();
    crate::selection::types::SelectionRequest {
        score: Some(crate::evaluation::scores::ScoreMethod::Normalised),
        slots_per_type: [
            ("workshop", 30),
            ("open_forum", 12),
            ("town_hall", 8),
            ("launch_award", 8),
            ("lightning_talk", 12),
            ("dynamic_coalition", 10),
            ("nri", 10),
            ("networking", 10),
        ]
        .iter()
        .map(|(k, n)| ((*k).to_string(), *n))
        .collect(),
        total: None,
        theme_shares: themes,
        stakeholder_min_share: shares(&[
            ("government", 0.1),
            ("private_sector", 0.1),
            ("civil_society", 0.15),
            ("technical_community", 0.1),
            ("intergovernmental_organization", 0.05),
        ]),
        region_min_share: shares(&[
            ("african", 0.15),
            ("asia_pacific", 0.15),
            ("grulac", 0.1),
            ("eastern_european", 0.05),
        ]),
        first_time_min_share: Some(0.25),
        developing_min_share: Some(0.3),
        max_per_organisation: Some(3),
        max_per_speaker: Some(3),
        diversity_bonus: 0.5,
        waitlist: Some(20),
        min_scores: Some(3),
        time_limit_s: None,
    }
}

/// Scores every assignment (a few evaluators leave some unscored), closes scoring,
/// runs the selection, confirms it (turning three waitlisted proposals into lightning
/// talks) and publishes the results. Returns the scores recorded and the programme size.
pub fn evaluate(
    conn: &mut DbConn,
    secretariat: i64,
    meeting: &crate::meetings::models::Meeting,
    rng: &mut fastrand::Rng,
) -> Result<(usize, usize), ApiError> {
    use crate::db::schema::evaluation_assignments as ea;
    use crate::evaluation::phase::{self, Change, Phase};
    use crate::evaluation::scores::{ScoreInput, put_score};
    use crate::selection::types::{DecisionInput, DecisionsRequest, Outcome};
    use std::collections::BTreeMap;

    let to = |conn: &mut DbConn, p: Phase| {
        let change = Change {
            phase: Some(p),
            ..Change::default()
        };
        phase::update(conn, secretariat, meeting, change, &None)
    };
    to(conn, Phase::Scoring)?;
    let pairs: Vec<(i64, i64)> = ea::table
        .filter(ea::meeting_id.eq(meeting.id))
        .order((ea::proposal_id, ea::evaluator_id))
        .select((ea::proposal_id, ea::evaluator_id))
        .load(conn)?;
    let proposals: Vec<i64> = {
        let mut v: Vec<i64> = pairs.iter().map(|p| p.0).collect();
        v.dedup();
        v
    };
    let criteria = phase::default_criteria();
    let mut quality: BTreeMap<i64, f64> = BTreeMap::new();
    let mut bias: BTreeMap<i64, f64> = BTreeMap::new();
    let mut scored = 0;
    for (p, e) in pairs {
        let q = *quality.entry(p).or_insert_with(|| 1.6 + rng.f64() * 3.2);
        let b = *bias.entry(e).or_insert_with(|| rng.f64() * 1.6 - 0.8);
        if rng.u32(..100) < 3 {
            continue;
        }
        let scores = criteria
            .iter()
            .map(|k| {
                let v = (q + b + rng.f64() * 1.4 - 0.7).round().clamp(1.0, 5.0) as i64;
                (k.key.clone(), v)
            })
            .collect();
        let merge = (rng.u32(..100) < 3)
            .then(|| *pick(rng, &proposals))
            .filter(|m| *m != p);
        let input = ScoreInput {
            scores,
            comment: (*pick(rng, COMMENTS)).to_string(),
            could_merge_with: merge,
        };
        put_score(conn, e, p, &input, &None)?;
        scored += 1;
    }
    to(conn, Phase::Closed)?;
    let run = crate::selection::runs::run_selection(
        conn,
        secretariat,
        meeting,
        selection_request(),
        &mut crate::watched::AtOnce,
    )?;
    let lightning: Vec<DecisionInput> = run
        .proposals
        .iter()
        .filter(|x| x.outcome == Outcome::Waitlisted)
        .take(3)
        .map(|x| DecisionInput {
            proposal_id: x.proposal_id,
            outcome: Outcome::Lightning,
            reason: Some(
                "A strong proposal without a slot of its type: offered a lightning talk.".into(),
            ),
            merge_with: None,
        })
        .collect();
    let converted = lightning.len();
    crate::selection::decisions::record_decisions(
        conn,
        secretariat,
        meeting,
        DecisionsRequest {
            selection_run_id: Some(run.id),
            decisions: lightning,
        },
    )?;
    to(conn, Phase::Published)?;
    Ok((scored, run.selected + converted))
}

//! Aggregation of evaluators' scores. Per proposal: the raw scores, their count,
//! mean, standard deviation, range, a "polarising" flag, and a normalised mean that
//! removes each evaluator's harshness or leniency. Raw scores are never changed.
//!
//! Normalisation (documented for the secretariat): every evaluator's scores are turned
//! into z-scores against that evaluator's own mean and (population) standard deviation,
//! then mapped back onto the scale of the whole pool, `pool_mean + pool_sd * z`, and
//! clamped to the scale (1 to 5) ([`Method::Standardised`]). An evaluator who gave every
//! proposal the same score is only shifted by their mean offset
//! (`score - evaluator_mean + pool_mean`, [`Method::Shifted`]), since their spread says
//! nothing. An evaluator with fewer than `min_scores` scores says too little about
//! their own habits to correct them: their raw scores are used as they are
//! ([`Method::Raw`]). A proposal's normalised score is the mean of its normalised
//! scores. A score given at the edge of the scale may hide a stronger opinion; no
//! normalisation recovers that. [`degenerate`] tells when normalised scores rank less
//! than the raw means do, so that callers fall back to the means.
//! Pure.

use std::collections::BTreeMap;

use serde::Serialize;

/// One evaluator's overall score for one proposal (the mean of their criteria scores).
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// The proposal.
    pub proposal: String,
    /// The evaluator.
    pub evaluator: String,
    /// The score, on the 1-5 scale.
    pub score: f64,
}

/// Settings of the aggregation.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Lowest score of the scale.
    pub scale_min: f64,
    /// Highest score of the scale.
    pub scale_max: f64,
    /// Scores an evaluator needs before their spread is used.
    pub min_scores: usize,
    /// A proposal whose scores have at least this standard deviation is polarising.
    pub polarising_sd: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            scale_min: 1.0,
            scale_max: 5.0,
            min_scores: 5,
            polarising_sd: 1.0,
        }
    }
}

/// A proposal's aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    /// The proposal.
    pub proposal: String,
    /// Scores received.
    pub count: usize,
    /// Raw scores, in evaluator order.
    pub raw: Vec<f64>,
    /// Mean of the raw scores.
    pub mean: f64,
    /// Sample standard deviation of the raw scores (0 for fewer than two).
    pub sd: f64,
    /// Lowest raw score.
    pub min: f64,
    /// Highest raw score.
    pub max: f64,
    /// Whether the evaluators disagree strongly.
    pub polarising: bool,
    /// Mean of the normalised scores.
    pub normalised: f64,
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn population_sd(v: &[f64]) -> f64 {
    let m = mean(v);
    if v.len() < 2 {
        0.0
    } else {
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
    }
}

fn sample_sd(v: &[f64]) -> f64 {
    let m = mean(v);
    if v.len() < 2 {
        0.0
    } else {
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
    }
}

/// How one evaluator's scores were normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Standardised against the evaluator's mean and spread, mapped onto the pool's.
    Standardised,
    /// One repeated score: shifted by the evaluator's mean offset only.
    Shifted,
    /// Too few scores to know the evaluator's habits: used as given.
    Raw,
}

/// One evaluator's scores and how they were normalised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluatorNorm {
    /// The evaluator.
    pub evaluator: String,
    /// Scores given.
    pub count: usize,
    /// Their mean.
    pub mean: f64,
    /// Their population standard deviation.
    pub sd: f64,
    /// The method used for them.
    pub method: Method,
}

/// How each evaluator's scores are normalised, in evaluator order.
pub fn evaluators(ratings: &[Rating], s: &Settings) -> Vec<EvaluatorNorm> {
    let mut by_evaluator: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for r in ratings {
        by_evaluator.entry(&r.evaluator).or_default().push(r.score);
    }
    by_evaluator
        .into_iter()
        .map(|(e, v)| {
            let (m, sd, n) = (mean(&v), population_sd(&v), v.len());
            let method = if n < s.min_scores {
                Method::Raw
            } else if sd <= 1e-9 {
                Method::Shifted
            } else {
                Method::Standardised
            };
            EvaluatorNorm {
                evaluator: e.to_string(),
                count: n,
                mean: m,
                sd,
                method,
            }
        })
        .collect()
}

/// Whether the normalised scores tell proposals apart less than the raw means do
/// (fewer distinct values), so that a ranking by them would rest on a collapsed score.
pub fn degenerate(aggs: &[Aggregate]) -> bool {
    let distinct = |f: &dyn Fn(&Aggregate) -> f64| {
        let mut v: Vec<i64> = aggs.iter().map(|a| (f(a) * 1e6).round() as i64).collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    distinct(&|a| a.normalised) < distinct(&|a| a.mean)
}

/// Aggregates ratings per proposal, in proposal id order.
pub fn aggregate(ratings: &[Rating], s: &Settings) -> Vec<Aggregate> {
    let pool: Vec<f64> = ratings.iter().map(|r| r.score).collect();
    let (pool_mean, pool_sd) = (mean(&pool), population_sd(&pool));
    let stats: BTreeMap<String, EvaluatorNorm> = evaluators(ratings, s)
        .into_iter()
        .map(|e| (e.evaluator.clone(), e))
        .collect();
    let normalise = |r: &Rating| {
        let e = &stats[r.evaluator.as_str()];
        let x = match e.method {
            Method::Standardised => pool_mean + pool_sd * (r.score - e.mean) / e.sd,
            Method::Shifted => r.score - e.mean + pool_mean,
            Method::Raw => r.score,
        };
        x.clamp(s.scale_min, s.scale_max)
    };
    let mut by_proposal: BTreeMap<&str, Vec<&Rating>> = BTreeMap::new();
    for r in ratings {
        by_proposal.entry(&r.proposal).or_default().push(r);
    }
    by_proposal
        .into_iter()
        .map(|(p, rs)| {
            let raw: Vec<f64> = rs.iter().map(|r| r.score).collect();
            let sd = sample_sd(&raw);
            let (min, max) = raw
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            Aggregate {
                proposal: p.to_string(),
                count: raw.len(),
                mean: mean(&raw),
                sd,
                min,
                max,
                polarising: raw.len() >= 2 && sd >= s.polarising_sd,
                normalised: mean(&rs.iter().map(|r| normalise(r)).collect::<Vec<_>>()),
                raw,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(p: &str, e: &str, score: f64) -> Rating {
        Rating {
            proposal: p.into(),
            evaluator: e.into(),
            score,
        }
    }

    #[test]
    fn mean_sd_range_and_polarising_are_computed_from_raw_scores() {
        let a = aggregate(
            &[
                r("A", "e1", 1.0),
                r("A", "e2", 5.0),
                r("A", "e3", 3.0),
                r("B", "e1", 4.0),
            ],
            &Settings::default(),
        );
        assert_eq!(a[0].proposal, "A");
        assert_eq!(
            (a[0].count, a[0].mean, a[0].min, a[0].max),
            (3, 3.0, 1.0, 5.0)
        );
        assert!((a[0].sd - 2.0).abs() < 1e-12);
        assert!(a[0].polarising);
        assert_eq!(a[0].raw, vec![1.0, 5.0, 3.0]);
        assert!(!a[1].polarising, "one score cannot polarise");
        assert_eq!(a[1].sd, 0.0);
    }

    #[test]
    fn normalisation_removes_a_harsh_and_a_lenient_evaluator() {
        // Ten proposals of true quality q; each is scored by one of three evaluators:
        // fair, harsh (-1.2) or lenient (+1.2), so raw means mislead. Qualities stay
        // where the biased scores remain inside the scale: a score clamped at 5 has lost
        // what normalisation would need.
        let quality = [2.25, 2.4, 2.55, 2.7, 2.85, 3.0, 3.15, 3.3, 3.45, 3.6];
        let mut ratings = vec![];
        for (i, q) in quality.iter().enumerate() {
            let p = format!("P{i}");
            ratings.push(r(&p, "fair", *q));
            let (e, bias) = if i % 2 == 0 {
                ("harsh", -1.2)
            } else {
                ("lenient", 1.2)
            };
            ratings.push(r(&p, e, (q + bias).clamp(1.0, 5.0)));
        }
        let a = aggregate(&ratings, &Settings::default());
        let rank = |f: &dyn Fn(&Aggregate) -> f64| {
            let mut v: Vec<(f64, usize)> = a.iter().enumerate().map(|(i, x)| (f(x), i)).collect();
            v.sort_by(|x, y| x.0.total_cmp(&y.0));
            v.iter().map(|x| x.1).collect::<Vec<_>>()
        };
        let truth: Vec<usize> = (0..10).collect();
        assert_ne!(rank(&|x| x.mean), truth, "raw means are misled by the bias");
        assert_eq!(
            rank(&|x| x.normalised),
            truth,
            "normalised scores follow the true quality"
        );
        for x in &a {
            assert!((1.0..=5.0).contains(&x.normalised));
        }
    }

    #[test]
    fn an_evaluator_with_one_repeated_score_is_only_shifted() {
        let mut ratings: Vec<Rating> = (0..6).map(|i| r(&format!("P{i}"), "flat", 4.0)).collect();
        ratings.extend((0..6).map(|i| r(&format!("P{i}"), "varied", 1.0 + i as f64 * 0.8)));
        let a = aggregate(&ratings, &Settings::default());
        assert!(a.iter().all(|x| x.normalised.is_finite()));
        let methods: Vec<Method> = evaluators(&ratings, &Settings::default())
            .iter()
            .map(|e| e.method)
            .collect();
        assert_eq!(methods, [Method::Shifted, Method::Standardised]);
    }

    #[test]
    fn evaluators_with_too_few_scores_keep_their_raw_scores() {
        // One score per evaluator (the case of a small committee): a shift by each
        // evaluator's own mean would give every proposal the pool's mean.
        let ratings: Vec<Rating> = [2.0, 2.75, 4.17, 3.5]
            .iter()
            .enumerate()
            .map(|(i, x)| r(&format!("P{i}"), &format!("E{i}"), *x))
            .collect();
        let a = aggregate(&ratings, &Settings::default());
        let normalised: Vec<f64> = a.iter().map(|x| x.normalised).collect();
        assert_eq!(normalised, [2.0, 2.75, 4.17, 3.5]);
        assert!(!degenerate(&a));
        assert!(
            evaluators(&ratings, &Settings::default())
                .iter()
                .all(|e| e.method == Method::Raw)
        );
    }

    #[test]
    fn a_collapsed_normalisation_is_called_degenerate() {
        // Five evaluators each give all of their five proposals one repeated score, a
        // different one each: shifted, every proposal lands on the pool mean.
        let mut ratings = vec![];
        for e in 0..5 {
            for p in 0..5 {
                ratings.push(r(
                    &format!("P{}", e * 5 + p),
                    &format!("E{e}"),
                    1.0 + e as f64,
                ));
            }
        }
        let a = aggregate(&ratings, &Settings::default());
        assert!(a.iter().all(|x| (x.normalised - 3.0).abs() < 1e-9));
        assert!(degenerate(&a));
    }
}

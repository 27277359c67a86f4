//! Chooses the programme: the set of proposals with the highest total score (plus an
//! optional bonus for line-up diversity) that fills the slot budget of each session type
//! and keeps every quota: theme shares (min and max), minimum counts per stakeholder
//! group, regional group, first-time and developing-country proposals, a cap per
//! organisation and a cap of sessions per speaker. Solved exactly as a 0-1 integer
//! programme (good_lp over the pure-Rust microlp solver), so the answer is proven
//! optimal, unless its time limit runs out first: then the best programme found is
//! returned with its distance from the bound of the linear relaxation. When the quotas
//! cannot all hold, it reports the smallest set of them that conflicts. Pure: plain
//! data in and out.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use good_lp::{
    Expression, ProblemVariables, Solution, SolutionStatus, SolverModel, Variable, WithTimeLimit,
    constraint, microlp, variable,
};
use serde::{Deserialize, Serialize};

use crate::progress::{Step, Watch};

/// A proposal that may be selected.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Candidate {
    /// Id.
    pub id: String,
    /// Aggregate score (mean or normalised, as the caller chose).
    pub score: f64,
    /// Line-up diversity, 0 to 1 (weighted by `Quotas::diversity_bonus`).
    #[serde(default)]
    pub diversity: f64,
    /// Session type.
    pub session_type: String,
    /// Theme.
    pub theme: Option<String>,
    /// Stakeholder groups of its organisers (counted once each).
    pub stakeholder_groups: Vec<String>,
    /// Regional groups of its organisers.
    pub regional_groups: Vec<String>,
    /// Organisations of its organisers.
    pub organisations: Vec<String>,
    /// Speakers (for the cap of sessions per speaker).
    #[serde(default)]
    pub speakers: Vec<String>,
    /// First-time proposer.
    #[serde(default)]
    pub first_time: bool,
    /// From a developing country.
    #[serde(default)]
    pub developing_country: bool,
}

/// Bounds on a count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    /// At least this many.
    pub min: Option<u32>,
    /// At most this many.
    pub max: Option<u32>,
}

/// The rules of one selection.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Quotas {
    /// How many proposals of each session type to select, at most; a type not listed
    /// gets none. `total` caps the sum.
    pub slots_per_type: BTreeMap<String, u32>,
    /// Exactly this many in all, when set.
    pub total: Option<u32>,
    /// Per theme.
    pub themes: BTreeMap<String, Bounds>,
    /// Minimum selected proposals with an organiser of each stakeholder group.
    pub stakeholder_min: BTreeMap<String, u32>,
    /// Minimum selected proposals with an organiser of each regional group.
    pub region_min: BTreeMap<String, u32>,
    /// Minimum first-time proposals.
    pub first_time_min: Option<u32>,
    /// Minimum developing-country proposals.
    pub developing_min: Option<u32>,
    /// Most selected proposals per organisation.
    pub max_per_organisation: Option<u32>,
    /// Most selected proposals per speaker.
    pub max_per_speaker: Option<u32>,
    /// Score added per unit of line-up diversity.
    pub diversity_bonus: f64,
}

/// Why a proposal was not selected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Declined {
    /// The proposal.
    pub id: String,
    /// The rule or score that kept it out, in words.
    pub reason: String,
}

/// The chosen programme.
#[derive(Debug, Clone, Serialize)]
pub struct Selection {
    /// Selected proposal ids, best score first.
    pub selected: Vec<String>,
    /// Objective value (score plus diversity bonus).
    pub objective: f64,
    /// Relative optimality gap; 0 when proven optimal.
    pub gap: f64,
    /// Whether the time limit ended the search before optimality was proven.
    pub timed_out: bool,
    /// Every candidate left out, with its reason.
    pub declined: Vec<Declined>,
}

/// Why no programme can be chosen.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SelectionError {
    /// The quotas contradict each other; `conflict` is a smallest set of rules that
    /// cannot hold together.
    #[error("the quotas cannot all hold; these conflict: {}", conflict.join("; "))]
    Infeasible {
        /// The conflicting rules, in words.
        conflict: Vec<String>,
    },
    /// Bad input.
    #[error("{0}")]
    Invalid(String),
    /// The time limit ran out before any programme that keeps every quota was found.
    #[error("no programme that keeps every quota was found within {} s", .0.as_secs_f64())]
    TimeLimit(Duration),
    /// The solver failed for another reason.
    #[error("the optimiser failed: {0}")]
    Solver(String),
    /// Whoever ran it asked it to stop.
    #[error("stopped before it finished")]
    Stopped,
}

/// "1 session", "3 sessions".
fn count(n: u32, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One quota as a linear constraint over the candidates: `lo <= sum(members) <= hi`.
#[derive(Debug, Clone)]
struct Rule {
    name: String,
    /// The rule as a person states it; per-organisation and per-speaker caps share one.
    family: String,
    members: Vec<usize>,
    lo: Option<u32>,
    hi: Option<u32>,
}

fn rules(c: &[Candidate], q: &Quotas) -> Vec<Rule> {
    let mut out = vec![];
    let members =
        |f: &dyn Fn(&Candidate) -> bool| (0..c.len()).filter(|&i| f(&c[i])).collect::<Vec<_>>();
    let types: BTreeSet<&str> = c.iter().map(|x| x.session_type.as_str()).collect();
    for t in types {
        let cap = q.slots_per_type.get(t).copied().unwrap_or(0);
        out.push(Rule {
            family: format!("at most {}", count(cap, &format!("{t} session"))),
            name: format!("at most {}", count(cap, &format!("{t} session"))),
            members: members(&|x| x.session_type == t),
            lo: None,
            hi: Some(cap),
        });
    }
    if let Some(n) = q.total {
        out.push(Rule {
            family: format!("exactly {} in all", count(n, "session")),
            name: format!("exactly {} in all", count(n, "session")),
            members: (0..c.len()).collect(),
            lo: Some(n),
            hi: Some(n),
        });
    }
    for (th, b) in &q.themes {
        let name = match (b.min, b.max) {
            (Some(a), Some(z)) => format!("between {a} and {z} sessions on \"{th}\""),
            (Some(a), None) => format!("at least {} on \"{th}\"", count(a, "session")),
            (None, Some(z)) => format!("at most {} on \"{th}\"", count(z, "session")),
            (None, None) => continue,
        };
        out.push(Rule {
            family: name.clone(),
            name,
            members: members(&|x| x.theme.as_deref() == Some(th)),
            lo: b.min,
            hi: b.max,
        });
    }
    for (g, n) in &q.stakeholder_min {
        out.push(Rule {
            family: format!("at least {} organised by {g}", count(*n, "session")),
            name: format!("at least {} organised by {g}", count(*n, "session")),
            members: members(&|x| x.stakeholder_groups.contains(g)),
            lo: Some(*n),
            hi: None,
        });
    }
    for (g, n) in &q.region_min {
        out.push(Rule {
            family: format!("at least {} organised from {g}", count(*n, "session")),
            name: format!("at least {} organised from {g}", count(*n, "session")),
            members: members(&|x| x.regional_groups.contains(g)),
            lo: Some(*n),
            hi: None,
        });
    }
    if let Some(n) = q.first_time_min {
        out.push(Rule {
            family: format!("at least {}", count(n, "first-time proposal")),
            name: format!("at least {}", count(n, "first-time proposal")),
            members: members(&|x| x.first_time),
            lo: Some(n),
            hi: None,
        });
    }
    if let Some(n) = q.developing_min {
        out.push(Rule {
            family: format!("at least {}", count(n, "developing-country proposal")),
            name: format!("at least {}", count(n, "developing-country proposal")),
            members: members(&|x| x.developing_country),
            lo: Some(n),
            hi: None,
        });
    }
    if let Some(cap) = q.max_per_organisation {
        let orgs: BTreeSet<&str> = c
            .iter()
            .flat_map(|x| x.organisations.iter().map(String::as_str))
            .collect();
        for o in orgs {
            let m = members(&|x| x.organisations.iter().any(|y| y == o));
            if m.len() as u32 > cap {
                out.push(Rule {
                    family: format!("at most {} per organisation", count(cap, "session")),
                    name: format!("at most {} per organisation ({o})", count(cap, "session")),
                    members: m,
                    lo: None,
                    hi: Some(cap),
                });
            }
        }
    }
    if let Some(cap) = q.max_per_speaker {
        let speakers: BTreeSet<&str> = c
            .iter()
            .flat_map(|x| x.speakers.iter().map(String::as_str))
            .collect();
        for s in speakers {
            let m = members(&|x| x.speakers.iter().any(|y| y == s));
            if m.len() as u32 > cap {
                out.push(Rule {
                    family: format!("at most {} per speaker", count(cap, "session")),
                    name: format!("at most {} per speaker ({s})", count(cap, "session")),
                    members: m,
                    lo: None,
                    hi: Some(cap),
                });
            }
        }
    }
    out
}

/// What one solve found.
enum Found {
    /// A programme; `proven` when its optimality was proven within the time limit.
    Programme { chosen: Vec<bool>, proven: bool },
    /// The rules cannot hold together.
    Infeasible,
    /// The time limit ran out before either was known.
    Unknown,
}

/// Solves with the given rules by `deadline`; the variables are 0-1 unless `relaxed`
/// (then they range over [0, 1], for a bound on the objective).
fn optimise(
    c: &[Candidate],
    q: &Quotas,
    rules: &[&Rule],
    deadline: Instant,
    relaxed: bool,
) -> Result<(Found, f64), SelectionError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Ok((Found::Unknown, 0.0));
    }
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = c
        .iter()
        .map(|_| {
            if relaxed {
                vars.add(variable().min(0).max(1))
            } else {
                vars.add(variable().binary())
            }
        })
        .collect();
    let objective: Expression = c
        .iter()
        .zip(&x)
        .map(|(cand, v)| (cand.score + q.diversity_bonus * cand.diversity) * *v)
        .sum();
    let mut model = vars
        .maximise(objective.clone())
        .using(microlp)
        .with_time_limit(left.as_secs_f64());
    for r in rules {
        let sum: Expression = r.members.iter().map(|&i| x[i]).sum();
        if let Some(lo) = r.lo {
            model = model.with(constraint!(sum.clone() >= f64::from(lo)));
        }
        if let Some(hi) = r.hi {
            model = model.with(constraint!(sum <= f64::from(hi)));
        }
    }
    match model.solve() {
        Ok(sol) => {
            let proven = matches!(sol.status(), SolutionStatus::Optimal);
            let value = sol.eval(&objective);
            let chosen = x.iter().map(|v| sol.value(*v) > 0.5).collect();
            Ok((Found::Programme { chosen, proven }, value))
        }
        Err(good_lp::ResolutionError::Infeasible) => Ok((Found::Infeasible, 0.0)),
        // microlp's only answer when its time limit passes before a first solution.
        Err(good_lp::ResolutionError::Other(_)) if Instant::now() >= deadline => {
            Ok((Found::Unknown, 0.0))
        }
        Err(e) => Err(SelectionError::Solver(e.to_string())),
    }
}

/// A smallest set of rules that cannot hold together, as people state them (all
/// per-organisation caps are one rule): a deletion filter that drops each rule family
/// in turn and keeps it out if the rest is still proven infeasible by `deadline`. When
/// time runs out the set still conflicts, but may not be the smallest.
fn conflict(
    c: &[Candidate],
    q: &Quotas,
    all: &[Rule],
    deadline: Instant,
    watch: &mut dyn Watch,
) -> Result<Vec<String>, SelectionError> {
    let mut families: Vec<&str> = vec![];
    for r in all {
        if !families.contains(&r.family.as_str()) {
            families.push(&r.family);
        }
    }
    let with = |keep: &[&str]| -> Vec<&Rule> {
        all.iter()
            .filter(|r| keep.contains(&r.family.as_str()))
            .collect()
    };
    let mut keep = families.clone();
    let mut i = 0;
    let mut tried = 0;
    while i < keep.len() {
        if !watch.step(Step::of("conflicts", tried, families.len() as u64)) {
            return Err(SelectionError::Stopped);
        }
        tried += 1;
        let mut without = keep.clone();
        without.remove(i);
        if matches!(
            optimise(c, q, &with(&without), deadline, false)?.0,
            Found::Infeasible
        ) {
            keep = without;
        } else {
            i += 1;
        }
    }
    Ok(keep.iter().map(|f| f.to_string()).collect())
}

/// Chooses the programme, searching for at most `limit`.
pub fn select(c: &[Candidate], q: &Quotas, limit: Duration) -> Result<Selection, SelectionError> {
    select_watched(c, q, limit, &mut |_| true)
}

/// [`select`], telling `watch` each step: `optimising` (uncounted: the integer
/// programme runs until it proves its answer or its time runs out), then `bounding`
/// when it was not proven, with the programme's objective as the best so far;
/// `conflicts` counts the rule families tried when the quotas conflict; `explaining`
/// counts the declined proposals given their reason. Stops when the watch asks it to,
/// between steps.
pub fn select_watched(
    c: &[Candidate],
    q: &Quotas,
    limit: Duration,
    watch: &mut dyn Watch,
) -> Result<Selection, SelectionError> {
    let deadline = Instant::now() + limit;
    let mut ids = BTreeSet::new();
    for x in c {
        if !x.score.is_finite() {
            return Err(SelectionError::Invalid(format!(
                "proposal {} has no finite score",
                x.id
            )));
        }
        if !ids.insert(x.id.as_str()) {
            return Err(SelectionError::Invalid(format!(
                "proposal {} appears twice",
                x.id
            )));
        }
    }
    let all = rules(c, q);
    let refs: Vec<&Rule> = all.iter().collect();
    if !watch.step(Step::of("optimising", 0, 0)) {
        return Err(SelectionError::Stopped);
    }
    let (chosen, proven) = match optimise(c, q, &refs, deadline, false)?.0 {
        Found::Programme { chosen, proven } => (chosen, proven),
        Found::Infeasible => {
            // The conflict search gets a time limit of its own, as long again.
            return Err(SelectionError::Infeasible {
                conflict: conflict(c, q, &all, Instant::now() + limit, watch)?,
            });
        }
        Found::Unknown => return Err(SelectionError::TimeLimit(limit)),
    };
    let value = |i: usize| c[i].score + q.diversity_bonus * c[i].diversity;
    let objective = (0..c.len()).filter(|&i| chosen[i]).map(value).sum::<f64>();
    let gap = if proven {
        0.0
    } else {
        if !watch.step(Step::of("bounding", 0, 0).best("objective", objective)) {
            return Err(SelectionError::Stopped);
        }
        // The linear relaxation bounds the best programme from above; it is quick, so
        // it gets a short time of its own. Without it the gap is unknown: 1.
        match optimise(
            c,
            q,
            &refs,
            Instant::now() + limit / 10 + Duration::from_millis(100),
            true,
        )? {
            (Found::Programme { proven: true, .. }, bound) if bound.abs() > f64::EPSILON => {
                ((bound - objective) / bound.abs()).max(0.0)
            }
            _ => 1.0,
        }
    };
    let mut selected: Vec<usize> = (0..c.len()).filter(|&i| chosen[i]).collect();
    selected.sort_by(|&a, &b| value(b).total_cmp(&value(a)).then(c[a].id.cmp(&c[b].id)));
    let out: Vec<usize> = (0..c.len()).filter(|&i| !chosen[i]).collect();
    let mut declined = Vec::with_capacity(out.len());
    for (n, &i) in out.iter().enumerate() {
        let step = Step::of("explaining", n as u64, out.len() as u64).best("objective", objective);
        if !watch.step(step) {
            return Err(SelectionError::Stopped);
        }
        declined.push(Declined {
            id: c[i].id.clone(),
            reason: reason(c, &all, &chosen, i),
        });
    }
    Ok(Selection {
        selected: selected.into_iter().map(|i| c[i].id.clone()).collect(),
        objective,
        gap,
        timed_out: !proven,
        declined,
    })
}

/// Why candidate d is out: a cap it would break, else the score it falls short of.
fn reason(c: &[Candidate], all: &[Rule], chosen: &[bool], d: usize) -> String {
    for r in all {
        if let Some(hi) = r.hi
            && r.members.contains(&d)
            && r.members.iter().filter(|&&i| chosen[i]).count() as u32 >= hi
            && r.lo != r.hi
        {
            let weakest = r
                .members
                .iter()
                .filter(|&&i| chosen[i])
                .map(|&i| c[i].score)
                .fold(f64::INFINITY, f64::min);
            if c[d].score <= weakest || hi == 0 {
                return format!(
                    "score {:.2}; would break \"{}\" (lowest selected there: {:.2})",
                    c[d].score, r.name, weakest
                );
            }
            return format!(
                "would break \"{}\": taking it in means dropping others that a lower rule needs",
                r.name
            );
        }
    }
    // Below the cut-off of its theme (or of the programme).
    let same_theme: Vec<f64> = (0..c.len())
        .filter(|&i| chosen[i] && c[i].theme == c[d].theme)
        .map(|i| c[i].score)
        .collect();
    let cutoff = if same_theme.is_empty() {
        (0..c.len())
            .filter(|&i| chosen[i])
            .map(|i| c[i].score)
            .fold(f64::INFINITY, f64::min)
    } else {
        same_theme.iter().copied().fold(f64::INFINITY, f64::min)
    };
    match &c[d].theme {
        Some(th) => format!(
            "score {:.2} below the cut-off {:.2} of its theme \"{th}\"",
            c[d].score, cutoff
        ),
        None => format!("score {:.2} below the cut-off {:.2}", c[d].score, cutoff),
    }
}

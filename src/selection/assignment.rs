//! Assigning evaluators to proposals: each proposal gets `k` evaluators, never one with
//! a conflict of interest (a participant of the proposal, from one of its
//! organisations, or who declared a conflict), loads balanced so the most and least
//! loaded evaluators differ by at most one (when conflicts leave an evaluator too few
//! proposals, that is reported in `balance_issues`), as many distinct stakeholder groups per
//! proposal as possible (at least `min_stakeholder_groups` where the MAG allows it),
//! expertise in the proposal's theme preferred, and, when re-assigning, as few changes
//! to the previous assignment as possible.
//!
//! Exact where a flow can be: a min-cost flow (source -> proposal -> proposal x
//! stakeholder group -> evaluator -> sink) whose costs are layered so that balanced
//! loads come first, then keeping earlier assignments, then stakeholder coverage, then
//! expertise; its optimum is optimal for that order. Regional coverage is a second
//! dimension a flow cannot carry, so a pass of load-preserving double swaps raises it
//! afterwards; every proposal left below a coverage rule is reported with the reason.
//! Deterministic. Pure.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::progress::{Step, Watch};

/// A MAG member who evaluates.
#[derive(Debug, Clone, Default)]
pub struct Evaluator {
    /// Id.
    pub id: String,
    /// Email, normalised (to detect them as a participant).
    pub email: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// Stakeholder group.
    pub stakeholder_group: Option<String>,
    /// Regional group.
    pub regional_group: Option<String>,
    /// Themes of expertise.
    pub expertise: Vec<String>,
    /// Proposals they declared a conflict with.
    pub declared_conflicts: Vec<String>,
}

/// A proposal to evaluate.
#[derive(Debug, Clone, Default)]
pub struct Proposal {
    /// Id.
    pub id: String,
    /// Theme.
    pub theme: Option<String>,
    /// Emails of everyone on it, normalised.
    pub participant_emails: Vec<String>,
    /// Organisations of everyone on it.
    pub organisations: Vec<String>,
}

/// The assignment rules.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Evaluators per proposal.
    pub per_proposal: usize,
    /// Distinct stakeholder groups wanted among a proposal's evaluators.
    pub min_stakeholder_groups: usize,
    /// Distinct regional groups wanted among a proposal's evaluators.
    pub min_regional_groups: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            per_proposal: 5,
            min_stakeholder_groups: 3,
            min_regional_groups: 3,
        }
    }
}

/// A proposal left below a coverage rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shortfall {
    /// The proposal.
    pub proposal: String,
    /// `stakeholder_groups` or `regional_groups`.
    pub rule: String,
    /// How many it has.
    pub have: usize,
    /// How many the rule asks.
    pub want: usize,
    /// Why, in words.
    pub reason: String,
}

/// The result.
#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    /// `(proposal, evaluator)` pairs, sorted.
    pub pairs: Vec<(String, String)>,
    /// Proposals per evaluator.
    pub loads: BTreeMap<String, usize>,
    /// Coverage rules not met, with reasons.
    pub shortfalls: Vec<Shortfall>,
    /// Evaluators left below the balanced load because too few proposals are free of
    /// conflicts for them (loads then differ by more than one), with reasons.
    pub balance_issues: Vec<String>,
    /// Pairs of the previous assignment that were dropped.
    pub removed: usize,
    /// Pairs not in the previous assignment.
    pub added: usize,
}

/// Why no assignment exists.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssignError {
    /// Some proposals have fewer conflict-free evaluators than they need.
    #[error("not enough conflict-free evaluators: {}", .0.join("; "))]
    TooFewEvaluators(Vec<String>),
    /// Bad input.
    #[error("{0}")]
    Invalid(String),
    /// Whoever ran it asked it to stop.
    #[error("stopped before it finished")]
    Stopped,
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Why evaluator e may not evaluate proposal p, if they may not.
pub fn conflict(e: &Evaluator, p: &Proposal) -> Option<String> {
    if e.declared_conflicts.iter().any(|c| c == &p.id) {
        return Some(format!("{} declared a conflict with {}", e.id, p.id));
    }
    if let Some(mail) = &e.email
        && p.participant_emails.iter().any(|m| m == mail)
    {
        return Some(format!("{} takes part in {}", e.id, p.id));
    }
    if let Some(org) = e.organisation.as_deref().map(norm)
        && p.organisations.iter().any(|o| norm(o) == org)
    {
        return Some(format!("{} works for an organisation of {}", e.id, p.id));
    }
    None
}

/// A min-cost flow graph (successive shortest paths with potentials).
struct Flow {
    adj: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i64>,
}

impl Flow {
    fn new(n: usize) -> Self {
        Flow {
            adj: vec![vec![]; n],
            to: vec![],
            cap: vec![],
            cost: vec![],
        }
    }

    fn edge(&mut self, u: usize, v: usize, cap: i64, cost: i64) -> usize {
        let id = self.to.len();
        for (a, b, c, w) in [(u, v, cap, cost), (v, u, 0, -cost)] {
            self.adj[a].push(self.to.len());
            self.to.push(b);
            self.cap.push(c);
            self.cost.push(w);
        }
        id
    }

    /// Sends up to `want` units from s to t at least cost; returns the flow sent, or
    /// `None` when `sent` (told the flow so far after each path) asks it to stop.
    fn run(
        &mut self,
        s: usize,
        t: usize,
        want: i64,
        sent_so_far: &mut dyn FnMut(i64) -> bool,
    ) -> Option<i64> {
        let n = self.adj.len();
        // Potentials by Bellman-Ford: the graph has negative costs but no negative cycle.
        let mut pot = vec![i64::MAX / 4; n];
        pot[s] = 0;
        for _ in 0..n {
            let mut changed = false;
            for u in 0..n {
                if pot[u] >= i64::MAX / 4 {
                    continue;
                }
                for &e in &self.adj[u] {
                    if self.cap[e] > 0 && pot[u] + self.cost[e] < pot[self.to[e]] {
                        pot[self.to[e]] = pot[u] + self.cost[e];
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let mut sent = 0;
        while sent < want {
            let mut dist = vec![i64::MAX; n];
            let mut prev = vec![usize::MAX; n];
            let mut heap = std::collections::BinaryHeap::new();
            dist[s] = 0;
            heap.push(std::cmp::Reverse((0i64, s)));
            while let Some(std::cmp::Reverse((d, u))) = heap.pop() {
                if d > dist[u] {
                    continue;
                }
                for &e in &self.adj[u] {
                    let v = self.to[e];
                    if self.cap[e] <= 0 || pot[u] >= i64::MAX / 4 || pot[v] >= i64::MAX / 4 {
                        continue;
                    }
                    let nd = d + self.cost[e] + pot[u] - pot[v];
                    if nd < dist[v] {
                        dist[v] = nd;
                        prev[v] = e;
                        heap.push(std::cmp::Reverse((nd, v)));
                    }
                }
            }
            if dist[t] == i64::MAX {
                break;
            }
            for v in 0..n {
                if dist[v] < i64::MAX {
                    pot[v] += dist[v];
                }
            }
            let mut push = want - sent;
            let mut v = t;
            while v != s {
                let e = prev[v];
                push = push.min(self.cap[e]);
                v = self.to[e ^ 1];
            }
            let mut v = t;
            while v != s {
                let e = prev[v];
                self.cap[e] -= push;
                self.cap[e ^ 1] += push;
                v = self.to[e ^ 1];
            }
            sent += push;
            if !sent_so_far(sent) {
                return None;
            }
        }
        Some(sent)
    }
}

fn distinct<'a>(it: impl Iterator<Item = Option<&'a str>>) -> usize {
    it.flatten().collect::<BTreeSet<_>>().len()
}

/// Assigns evaluators; `previous` pairs are kept wherever the rules allow.
///
/// The balanced assignment itself takes polynomial time; the search that raises
/// regional coverage afterwards stops at `limit`, and shortfalls it might have closed
/// then say so.
pub fn assign(
    proposals: &[Proposal],
    evaluators: &[Evaluator],
    rules: &Rules,
    previous: &[(String, String)],
    limit: Duration,
) -> Result<Assignment, AssignError> {
    assign_watched(proposals, evaluators, rules, previous, limit, &mut |_| true)
}

/// [`assign`], telling `watch` each step: `balancing` counts the evaluations placed
/// of all there are to place; `regions` counts the proposals looked at in a round of
/// the search for better regional coverage, with the best so far as the number of
/// proposals still below the regional rule. Stops when the watch asks it to.
pub fn assign_watched(
    proposals: &[Proposal],
    evaluators: &[Evaluator],
    rules: &Rules,
    previous: &[(String, String)],
    limit: Duration,
    watch: &mut dyn Watch,
) -> Result<Assignment, AssignError> {
    let deadline = Instant::now() + limit;
    let (np, ne, k) = (proposals.len(), evaluators.len(), rules.per_proposal);
    if ne == 0 || k == 0 {
        return Err(AssignError::Invalid(
            "there must be evaluators and at least one per proposal".into(),
        ));
    }
    let allowed: Vec<Vec<bool>> = proposals
        .iter()
        .map(|p| {
            evaluators
                .iter()
                .map(|e| conflict(e, p).is_none())
                .collect()
        })
        .collect();
    let short: Vec<String> = (0..np)
        .filter(|&p| allowed[p].iter().filter(|x| **x).count() < k)
        .map(|p| {
            format!(
                "{} has {} of the {k} it needs",
                proposals[p].id,
                allowed[p].iter().filter(|x| **x).count()
            )
        })
        .collect();
    if !short.is_empty() {
        return Err(AssignError::TooFewEvaluators(short));
    }
    let prev: BTreeSet<(&str, &str)> = previous
        .iter()
        .map(|(p, e)| (p.as_str(), e.as_str()))
        .collect();
    let groups: Vec<String> = {
        let set: BTreeSet<String> = evaluators
            .iter()
            .map(|e| e.stakeholder_group.clone().unwrap_or_default())
            .collect();
        set.into_iter().collect()
    };
    let group_of: Vec<usize> = evaluators
        .iter()
        .map(|e| {
            groups
                .iter()
                .position(|g| *g == e.stakeholder_group.clone().unwrap_or_default())
                .unwrap_or(0)
        })
        .collect();
    let total = (np * k) as i64;
    let floor = total / ne as i64;
    let ceil = (total + ne as i64 - 1) / ne as i64;
    // Layered costs: each level outweighs everything below it.
    let expertise: i64 = 1;
    let coverage = expertise * 2 * (k as i64 + 1);
    let keep = coverage * 2 * (k as i64 + 1) * groups.len() as i64;
    let balance = keep * 2 * (total + 1);
    let (s, t) = (0, 1);
    let p_node = |p: usize| 2 + p;
    let pg_node = |p: usize, g: usize| 2 + np + p * groups.len() + g;
    let e_node = |e: usize| 2 + np + np * groups.len() + e;
    let mut f = Flow::new(2 + np + np * groups.len() + ne);
    for p in 0..np {
        f.edge(s, p_node(p), k as i64, 0);
        for g in 0..groups.len() {
            f.edge(p_node(p), pg_node(p, g), 1, -coverage);
            f.edge(p_node(p), pg_node(p, g), k as i64 - 1, 0);
        }
    }
    let mut pair_edges = vec![];
    for (p, prop) in proposals.iter().enumerate() {
        for (e, ev) in evaluators.iter().enumerate() {
            if !allowed[p][e] {
                continue;
            }
            let mut c = 0;
            if prop
                .theme
                .as_ref()
                .is_some_and(|th| ev.expertise.contains(th))
            {
                c -= expertise;
            }
            if prev.contains(&(prop.id.as_str(), ev.id.as_str())) {
                c -= keep;
            }
            pair_edges.push((p, e, f.edge(pg_node(p, group_of[e]), e_node(e), 1, c)));
        }
    }
    for e in 0..ne {
        f.edge(e_node(e), t, floor, -balance);
        if ceil > floor {
            f.edge(e_node(e), t, ceil - floor, 0);
        }
        // Past the ceiling only when conflicts of interest leave no other way, priced
        // above anything balance could gain elsewhere, and each further unit dearer than
        // the last so the excess is shared as evenly as it can be.
        let steps = (total / ne as i64 + 1).min(64);
        for j in 0..steps {
            f.edge(e_node(e), t, 1, (2 + j) * balance);
        }
        f.edge(e_node(e), t, total, (3 + steps) * balance);
    }
    let sent = f
        .run(s, t, total, &mut |sent| {
            watch.step(Step::of("balancing", sent as u64, total as u64))
        })
        .ok_or(AssignError::Stopped)?;
    if sent < total {
        return Err(AssignError::Invalid(format!(
            "only {sent} of {total} evaluations could be placed within balanced loads"
        )));
    }
    let mut on: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); np];
    for &(p, e, id) in &pair_edges {
        if f.cap[id] == 0 {
            on[p].insert(e);
        }
    }
    let kept: BTreeSet<(usize, usize)> = (0..np)
        .flat_map(|p| on[p].iter().map(move |&e| (p, e)))
        .filter(|&(p, e)| prev.contains(&(proposals[p].id.as_str(), evaluators[e].id.as_str())))
        .collect();
    let finished = improve_regions(
        proposals, evaluators, rules, &allowed, &kept, &mut on, deadline, watch,
    )
    .ok_or(AssignError::Stopped)?;

    let region = |e: usize| evaluators[e].regional_group.as_deref();
    let sg = |e: usize| evaluators[e].stakeholder_group.as_deref();
    let all_regions = distinct((0..ne).map(region));
    let all_groups = distinct((0..ne).map(sg));
    let mut shortfalls = vec![];
    for (p, set) in on.iter().enumerate() {
        let (have_g, have_r) = (
            distinct(set.iter().map(|&e| sg(e))),
            distinct(set.iter().map(|&e| region(e))),
        );
        let free_g = distinct((0..ne).filter(|&e| allowed[p][e]).map(sg));
        let free_r = distinct((0..ne).filter(|&e| allowed[p][e]).map(region));
        for (rule, have, want, free, all) in [
            (
                "stakeholder_groups",
                have_g,
                rules.min_stakeholder_groups.min(k),
                free_g,
                all_groups,
            ),
            (
                "regional_groups",
                have_r,
                rules.min_regional_groups.min(k),
                free_r,
                all_regions,
            ),
        ] {
            if have < want {
                let reason = if free < want {
                    format!("only {free} of the {all} groups have a conflict-free evaluator for it")
                } else if !finished {
                    format!(
                        "the search for a better evaluator stopped at its time limit of {} s",
                        limit.as_secs_f64()
                    )
                } else {
                    "balanced loads and the other proposals' needs left no better evaluator free"
                        .to_string()
                };
                shortfalls.push(Shortfall {
                    proposal: proposals[p].id.clone(),
                    rule: rule.to_string(),
                    have,
                    want,
                    reason,
                });
            }
        }
    }
    let mut pairs: Vec<(String, String)> = on
        .iter()
        .enumerate()
        .flat_map(|(p, set)| {
            set.iter()
                .map(move |&e| (proposals[p].id.clone(), evaluators[e].id.clone()))
        })
        .collect();
    pairs.sort();
    let now: BTreeSet<(&str, &str)> = pairs
        .iter()
        .map(|(p, e)| (p.as_str(), e.as_str()))
        .collect();
    let mut loads: BTreeMap<String, usize> = evaluators.iter().map(|e| (e.id.clone(), 0)).collect();
    for (_, e) in &pairs {
        *loads.entry(e.clone()).or_default() += 1;
    }
    // The flow fills every evaluator's floor and keeps under the ceiling when it can;
    // where conflicts of interest prevent that, say who and why.
    let mut balance_issues: Vec<String> = evaluators
        .iter()
        .enumerate()
        .filter(|(_, e)| (loads[&e.id] as i64) < floor)
        .map(|(i, e)| {
            let free = (0..np).filter(|&p| allowed[p][i]).count();
            format!(
                "{} has {} assignments, below the balanced {floor}: only {free} proposals are free of conflicts for them",
                e.id, loads[&e.id]
            )
        })
        .collect();
    if !balance_issues.is_empty() {
        for e in evaluators.iter().filter(|e| (loads[&e.id] as i64) > ceil) {
            balance_issues.push(format!(
                "{} has {} assignments, above the balanced {ceil}, to cover for them",
                e.id, loads[&e.id]
            ));
        }
    }
    Ok(Assignment {
        removed: prev.difference(&now).count(),
        added: now.difference(&prev).count(),
        pairs,
        loads,
        shortfalls,
        balance_issues,
    })
}

/// Raises regional coverage with double swaps that keep every load and never lower a
/// proposal's stakeholder or regional coverage: e1 leaves p for e2, and e2 leaves some
/// p2 for e1. Pairs kept from the previous assignment are never swapped: keeping them
/// ranks above coverage. False when it stopped at `deadline` rather than at the end;
/// `None` when the watch asked it to stop.
#[allow(clippy::too_many_arguments)]
fn improve_regions(
    proposals: &[Proposal],
    ev: &[Evaluator],
    rules: &Rules,
    allowed: &[Vec<bool>],
    kept: &BTreeSet<(usize, usize)>,
    on: &mut [BTreeSet<usize>],
    deadline: Instant,
    watch: &mut dyn Watch,
) -> Option<bool> {
    let region = |e: usize| ev[e].regional_group.as_deref();
    let sg = |e: usize| ev[e].stakeholder_group.as_deref();
    let cover = |set: &BTreeSet<usize>| {
        (
            distinct(set.iter().map(|&e| sg(e))),
            distinct(set.iter().map(|&e| region(e))),
        )
    };
    let want = rules.min_regional_groups.min(rules.per_proposal);
    let np = proposals.len();
    // Proposals below the regional rule, kept up to date as swaps raise them.
    let mut below: Vec<bool> = on.iter().map(|set| cover(set).1 < want).collect();
    let mut left = below.iter().filter(|b| **b).count();
    for _round in 0..3 {
        let mut improved = false;
        for p in 0..np {
            let step = Step::of("regions", p as u64, np as u64).best("below_coverage", left as f64);
            if !watch.step(step) {
                return None;
            }
            if !below[p] {
                continue;
            }
            if Instant::now() >= deadline {
                return Some(false);
            }
            'search: for e1 in on[p].clone() {
                if kept.contains(&(p, e1)) {
                    continue;
                }
                for e2 in 0..ev.len() {
                    if on[p].contains(&e2) || !allowed[p][e2] || region(e2) == region(e1) {
                        continue;
                    }
                    let mut np_set = on[p].clone();
                    np_set.remove(&e1);
                    np_set.insert(e2);
                    let (g0, r0) = cover(&on[p]);
                    let (g1, r1) = cover(&np_set);
                    if r1 <= r0 || g1 < g0.min(rules.min_stakeholder_groups) {
                        continue;
                    }
                    for p2 in 0..proposals.len() {
                        if p2 == p
                            || !on[p2].contains(&e2)
                            || on[p2].contains(&e1)
                            || !allowed[p2][e1]
                            || kept.contains(&(p2, e2))
                        {
                            continue;
                        }
                        let mut set2 = on[p2].clone();
                        set2.remove(&e2);
                        set2.insert(e1);
                        let (ga, ra) = cover(&on[p2]);
                        let (gb, rb) = cover(&set2);
                        if gb >= ga.min(rules.min_stakeholder_groups) && rb >= ra.min(want) {
                            on[p] = np_set;
                            on[p2] = set2;
                            for q in [p, p2] {
                                let now_below = cover(&on[q]).1 < want;
                                if below[q] != now_below {
                                    left = if now_below { left + 1 } else { left - 1 };
                                    below[q] = now_below;
                                }
                            }
                            improved = true;
                            break 'search;
                        }
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
    watch.step(Step::of("regions", np as u64, np as u64).best("below_coverage", left as f64));
    Some(true)
}

use std::collections::{BTreeMap, BTreeSet};

use igf_scheduler::selection::assignment::{
    AssignError, Assignment, Evaluator, Proposal, Rules, assign, conflict,
};
use proptest::prelude::*;

/// Long enough that the search always runs to its end here.
const LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

pub use igf_scheduler::selection::bench::evaluation_pool as pool;

fn check_hard(props: &[Proposal], evs: &[Evaluator], rules: &Rules, a: &Assignment) {
    let ev: BTreeMap<&str, &Evaluator> = evs.iter().map(|e| (e.id.as_str(), e)).collect();
    let pr: BTreeMap<&str, &Proposal> = props.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut per: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (p, e) in &a.pairs {
        assert!(
            conflict(ev[e.as_str()], pr[p.as_str()]).is_none(),
            "conflicted pair {p} {e}"
        );
        assert!(per.entry(p).or_default().insert(e), "{e} twice on {p}");
    }
    for p in props {
        assert_eq!(
            per.get(p.id.as_str()).map_or(0, |s| s.len()),
            rules.per_proposal,
            "{}",
            p.id
        );
    }
    let loads: Vec<usize> = a.loads.values().copied().collect();
    if a.balance_issues.is_empty() {
        assert!(
            loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1,
            "loads {loads:?}"
        );
    } else {
        // Every evaluator outside the balanced band is named with the reason.
        let (floor, ceil) = (a.pairs.len() / evs.len(), a.pairs.len().div_ceil(evs.len()));
        for (e, &l) in &a.loads {
            if l < floor {
                assert!(
                    a.balance_issues
                        .iter()
                        .any(|i| i.starts_with(&format!("{e} has"))
                            && i.contains("free of conflicts"))
                );
            }
            if l > ceil {
                assert!(
                    a.balance_issues
                        .iter()
                        .any(|i| i.starts_with(&format!("{e} has")) && i.contains("above"))
                );
            }
        }
    }
}

fn coverage(evs: &[Evaluator], a: &Assignment) -> BTreeMap<String, (usize, usize)> {
    let ev: BTreeMap<&str, &Evaluator> = evs.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut out: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for (p, e) in &a.pairs {
        let x = out.entry(p.clone()).or_default();
        x.0.insert(ev[e.as_str()].stakeholder_group.clone().unwrap_or_default());
        x.1.insert(ev[e.as_str()].regional_group.clone().unwrap_or_default());
    }
    out.into_iter()
        .map(|(p, (g, r))| (p, (g.len(), r.len())))
        .collect()
}

#[test]
fn four_hundred_proposals_to_fifty_five_evaluators_keep_every_rule() {
    let (props, evs) = pool(400, 55, 1);
    let rules = Rules::default();
    let started = std::time::Instant::now();
    let a = assign(&props, &evs, &rules, &[], LIMIT).unwrap();
    println!(
        "assigned {} pairs in {:?}; shortfalls {}",
        a.pairs.len(),
        started.elapsed(),
        a.shortfalls.len()
    );
    check_hard(&props, &evs, &rules, &a);
    // This pool spreads groups and regions evenly, so coverage is achievable everywhere.
    for (p, (g, r)) in coverage(&evs, &a) {
        assert!(g >= 3 && r >= 3, "{p}: {g} groups, {r} regions");
    }
    assert!(a.shortfalls.is_empty(), "{:?}", a.shortfalls);
}

#[test]
fn the_same_input_gives_the_same_assignment() {
    let (props, evs) = pool(60, 20, 4);
    let a = assign(&props, &evs, &Rules::default(), &[], LIMIT).unwrap();
    let b = assign(&props, &evs, &Rules::default(), &[], LIMIT).unwrap();
    assert_eq!(a.pairs, b.pairs);
}

/// The fewest changes a drop-out forces when every remaining evaluator must take exactly
/// one of the leaver's proposals (tight loads): each orphan that no perfect matching can
/// place costs one more change. Computed with a maximum bipartite matching.
fn forced_changes(props: &[Proposal], evs: &[Evaluator], first: &Assignment, gone: &str) -> usize {
    use pathfinding::kuhn_munkres::kuhn_munkres;
    use pathfinding::matrix::Matrix;
    let orphans: Vec<&String> = first
        .pairs
        .iter()
        .filter(|(_, e)| e == gone)
        .map(|(p, _)| p)
        .collect();
    let on: BTreeSet<(&str, &str)> = first
        .pairs
        .iter()
        .map(|(p, e)| (p.as_str(), e.as_str()))
        .collect();
    let mut w = vec![];
    for p in &orphans {
        let pr = props.iter().find(|x| &&x.id == p).unwrap();
        for e in evs {
            w.push(i64::from(
                conflict(e, pr).is_none() && !on.contains(&(p.as_str(), e.id.as_str())),
            ));
        }
    }
    let (matched, _) = kuhn_munkres(&Matrix::from_vec(orphans.len(), evs.len(), w).unwrap());
    orphans.len() + (orphans.len() - matched as usize)
}

#[test]
fn an_evaluator_dropping_out_changes_only_what_balanced_loads_force() {
    let rules = Rules::default();
    // 120 x 5 over 25 then 24 evaluators: loads are exact (24, then 25 each).
    let (props, mut evs) = pool(120, 25, 2);
    let first = assign(&props, &evs, &rules, &[], LIMIT).unwrap();
    let gone = evs.remove(7).id;
    let second = assign(&props, &evs, &rules, &first.pairs, LIMIT).unwrap();
    check_hard(&props, &evs, &rules, &second);
    let forced = forced_changes(&props, &evs, &first, &gone);
    assert_eq!(
        second.removed, forced,
        "the fewest changes balanced loads allow"
    );
    assert!(!second.pairs.iter().any(|(_, e)| *e == gone));
    // With slack in the loads (121 x 5 over 24: 25 or 26 each) only the leaver's go.
    let (props, mut evs) = pool(121, 25, 2);
    let first = assign(&props, &evs, &rules, &[], LIMIT).unwrap();
    let gone = evs.remove(7).id;
    let theirs = first.pairs.iter().filter(|(_, e)| *e == gone).count();
    let second = assign(&props, &evs, &rules, &first.pairs, LIMIT).unwrap();
    check_hard(&props, &evs, &rules, &second);
    assert_eq!((second.removed, second.added), (theirs, theirs));
}

#[test]
fn a_late_conflict_removes_that_assignment_with_few_other_changes() {
    let (props, mut evs) = pool(120, 25, 3);
    let rules = Rules::default();
    let first = assign(&props, &evs, &rules, &[], LIMIT).unwrap();
    let (p, e) = first.pairs[10].clone();
    evs.iter_mut()
        .find(|x| x.id == e)
        .unwrap()
        .declared_conflicts
        .push(p.clone());
    let second = assign(&props, &evs, &rules, &first.pairs, LIMIT).unwrap();
    check_hard(&props, &evs, &rules, &second);
    assert!(!second.pairs.contains(&(p, e)));
    assert!(
        second.removed >= 1 && second.removed <= 2,
        "removed {}",
        second.removed
    );
}

#[test]
fn too_few_conflict_free_evaluators_is_reported_per_proposal() {
    let (mut props, evs) = pool(5, 6, 5);
    props[2].participant_emails = vec!["e0@mag.test".into(), "e1@mag.test".into()];
    match assign(&props, &evs, &Rules::default(), &[], LIMIT) {
        Err(AssignError::TooFewEvaluators(list)) => {
            assert_eq!(list.len(), 1);
            assert!(
                list[0].contains("P002") && list[0].contains("has 4 of the 5"),
                "{list:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_evaluator_conflicted_with_almost_everything_is_reported_not_hidden() {
    let (mut props, evs) = pool(12, 6, 8);
    for p in props.iter_mut().skip(1) {
        p.participant_emails.push("e0@mag.test".into());
    }
    let rules = Rules {
        per_proposal: 3,
        ..Rules::default()
    };
    let a = assign(&props, &evs, &rules, &[], LIMIT).unwrap();
    check_hard(&props, &evs, &rules, &a);
    assert_eq!(a.loads["E00"], 1);
    assert!(
        a.balance_issues[0]
            .starts_with("E00 has 1 assignments, below the balanced 6: only 1 proposals"),
        "{:?}",
        a.balance_issues
    );
    // The five others share the remaining 35 evenly: 7 each, all named.
    for e in ["E01", "E02", "E03", "E04", "E05"] {
        assert_eq!(a.loads[e], 7, "{:?}", a.loads);
    }
    assert_eq!(a.balance_issues.len(), 1 + 5, "{:?}", a.balance_issues);
}

#[test]
fn unreachable_coverage_is_reported_with_its_reason() {
    let (props, mut evs) = pool(10, 10, 6);
    for e in &mut evs {
        e.regional_group = Some("weog".into());
    }
    let a = assign(&props, &evs, &Rules::default(), &[], LIMIT).unwrap();
    let regional: Vec<_> = a
        .shortfalls
        .iter()
        .filter(|s| s.rule == "regional_groups")
        .collect();
    assert_eq!(regional.len(), 10);
    assert!(
        regional[0].reason.contains("only 1 of the 1 groups"),
        "{}",
        regional[0].reason
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]
    #[test]
    fn no_conflict_is_ever_assigned_and_loads_stay_within_one(np in 1usize..60, ne in 6usize..30, k in 1usize..6, seed in 0u64..10_000) {
        let (props, evs) = pool(np, ne, seed);
        let rules = Rules { per_proposal: k, ..Rules::default() };
        match assign(&props, &evs, &rules, &[], LIMIT) {
            Ok(a) => check_hard(&props, &evs, &rules, &a),
            Err(AssignError::TooFewEvaluators(_)) => {}
            Err(e) => prop_assert!(false, "{e}"),
        }
    }
}

#[test]
fn a_search_out_of_time_still_assigns_everyone_and_says_why_coverage_fell_short() {
    let (props, evs) = pool(400, 55, 11);
    let rules = Rules::default();
    let full = assign(&props, &evs, &rules, &[], LIMIT).unwrap();
    let cut = assign(&props, &evs, &rules, &[], std::time::Duration::ZERO).unwrap();
    assert_eq!(cut.pairs.len(), props.len() * rules.per_proposal);
    for (p, e) in &cut.pairs {
        let prop = props.iter().find(|x| &x.id == p).unwrap();
        let ev = evs.iter().find(|x| &x.id == e).unwrap();
        assert_eq!(conflict(ev, prop), None, "{p} {e}");
    }
    let loads: Vec<usize> = cut.loads.values().copied().collect();
    assert!(loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1);
    // On this pool the search closes shortfalls; stopped at once it leaves more, and
    // none of them claims the loads were to blame.
    assert!(
        cut.shortfalls.len() > full.shortfalls.len(),
        "{} shortfalls cut short, {} in full",
        cut.shortfalls.len(),
        full.shortfalls.len()
    );
    for s in &cut.shortfalls {
        assert!(
            s.reason.contains("only") || s.reason.contains("time limit"),
            "{}",
            s.reason
        );
    }
}

#[test]
fn a_watched_assignment_reports_each_phase_and_stops_when_asked() {
    use igf_scheduler::progress::Step;
    use igf_scheduler::selection::assignment::assign_watched;
    let (props, evs) = pool(400, 55, 11);
    let rules = Rules::default();
    let mut steps: Vec<Step> = vec![];
    let watched = assign_watched(&props, &evs, &rules, &[], LIMIT, &mut |s: Step| {
        steps.push(s);
        true
    })
    .unwrap();
    // The same answer as unwatched.
    let plain = assign(&props, &evs, &rules, &[], LIMIT).unwrap();
    assert_eq!(watched.pairs, plain.pairs);
    // Balancing counts every evaluation placed, up to all of them.
    let total = (props.len() * rules.per_proposal) as u64;
    let balancing: Vec<&Step> = steps.iter().filter(|s| s.phase == "balancing").collect();
    assert!(!balancing.is_empty());
    assert!(
        balancing
            .iter()
            .all(|s| s.total == total && s.done <= total)
    );
    assert!(balancing.windows(2).all(|w| w[0].done < w[1].done));
    assert_eq!(balancing.last().unwrap().done, total);
    // Then the regional search, whose best so far (proposals below the rule) never
    // rises, and ends at what the answer's shortfalls say.
    let regions: Vec<f64> = steps
        .iter()
        .filter(|s| s.phase == "regions")
        .map(|s| s.best.as_ref().unwrap().value)
        .collect();
    assert!(regions.len() > props.len(), "{} steps", regions.len());
    assert!(regions.windows(2).all(|w| w[1] <= w[0]), "{regions:?}");
    let below = watched
        .shortfalls
        .iter()
        .filter(|s| s.rule == "regional_groups")
        .count();
    assert_eq!(*regions.last().unwrap(), below as f64);
    assert!(regions[0] > below as f64, "the search raised coverage");
    // A watch that asks it to stop halfway stops it, with nothing to show.
    let mut seen = 0;
    let stopped = assign_watched(&props, &evs, &rules, &[], LIMIT, &mut |_: Step| {
        seen += 1;
        seen < 100
    });
    assert_eq!(stopped.unwrap_err(), AssignError::Stopped);
    assert_eq!(seen, 100);
}

use std::collections::BTreeMap;

use igf_scheduler::selection::optimizer::{Bounds, Candidate, Quotas, SelectionError, select};
use proptest::prelude::*;

/// Long enough that these instances are always solved to proven optimality.
const LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

const THEMES: [&str; 3] = ["trust", "access", "cooperation"];
const GROUPS: [&str; 3] = ["government", "civil_society", "private_sector"];
const REGIONS: [&str; 3] = ["african", "grulac", "weog"];

fn candidates(n: usize, seed: u64) -> Vec<Candidate> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..n)
        .map(|i| Candidate {
            id: format!("Q{i:02}"),
            score: (rng.f64() * 400.0).round() / 100.0 + 1.0,
            diversity: rng.f64(),
            session_type: ["workshop", "open_forum"][rng.usize(..2)].into(),
            theme: Some(THEMES[rng.usize(..3)].into()),
            stakeholder_groups: vec![GROUPS[rng.usize(..3)].into()],
            regional_groups: vec![REGIONS[rng.usize(..3)].into()],
            organisations: vec![format!("Org{}", rng.usize(..4))],
            speakers: vec![
                format!("P{}", rng.usize(..6)),
                format!("P{}", rng.usize(..6)),
            ],
            first_time: rng.bool(),
            developing_country: rng.bool(),
        })
        .collect()
}

fn quotas(seed: u64) -> Quotas {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
    Quotas {
        slots_per_type: BTreeMap::from([
            ("workshop".into(), 2 + rng.u32(..3)),
            ("open_forum".into(), 1 + rng.u32(..3)),
        ]),
        total: None,
        themes: BTreeMap::from([(
            THEMES[0].into(),
            Bounds {
                min: Some(1),
                max: Some(2),
            },
        )]),
        stakeholder_min: BTreeMap::from([(GROUPS[rng.usize(..3)].into(), 1)]),
        region_min: BTreeMap::from([(REGIONS[rng.usize(..3)].into(), 1)]),
        first_time_min: Some(1),
        developing_min: rng.bool().then_some(1),
        max_per_organisation: Some(2),
        max_per_speaker: Some(2),
        diversity_bonus: 0.5,
    }
}

/// Checks every quota of a chosen set the plain way.
fn violations(c: &[Candidate], q: &Quotas, chosen: &[bool]) -> Vec<String> {
    let mut v = vec![];
    let picked: Vec<&Candidate> = c
        .iter()
        .zip(chosen)
        .filter(|(_, x)| **x)
        .map(|(c, _)| c)
        .collect();
    let count = |f: &dyn Fn(&Candidate) -> bool| picked.iter().filter(|c| f(c)).count() as u32;
    for (t, cap) in &q.slots_per_type {
        if count(&|c| &c.session_type == t) > *cap {
            v.push(format!("type {t}"));
        }
    }
    if picked
        .iter()
        .any(|c| !q.slots_per_type.contains_key(&c.session_type))
    {
        v.push("unlisted type".into());
    }
    if let Some(n) = q.total
        && picked.len() as u32 != n
    {
        v.push("total".into());
    }
    for (th, b) in &q.themes {
        let n = count(&|c| c.theme.as_deref() == Some(th));
        if b.min.is_some_and(|m| n < m) || b.max.is_some_and(|m| n > m) {
            v.push(format!("theme {th}"));
        }
    }
    for (g, m) in &q.stakeholder_min {
        if count(&|c| c.stakeholder_groups.contains(g)) < *m {
            v.push(format!("group {g}"));
        }
    }
    for (g, m) in &q.region_min {
        if count(&|c| c.regional_groups.contains(g)) < *m {
            v.push(format!("region {g}"));
        }
    }
    if q.first_time_min
        .is_some_and(|m| count(&|c| c.first_time) < m)
    {
        v.push("first time".into());
    }
    if q.developing_min
        .is_some_and(|m| count(&|c| c.developing_country) < m)
    {
        v.push("developing".into());
    }
    for o in c.iter().flat_map(|c| c.organisations.clone()) {
        if q.max_per_organisation
            .is_some_and(|m| count(&|c| c.organisations.contains(&o)) > m)
        {
            v.push(format!("org {o}"));
        }
    }
    for s in c.iter().flat_map(|c| c.speakers.clone()) {
        if q.max_per_speaker
            .is_some_and(|m| count(&|c| c.speakers.contains(&s)) > m)
        {
            v.push(format!("speaker {s}"));
        }
    }
    v
}

fn value(c: &[Candidate], q: &Quotas, chosen: &[bool]) -> f64 {
    c.iter()
        .zip(chosen)
        .filter(|(_, x)| **x)
        .map(|(c, _)| c.score + q.diversity_bonus * c.diversity)
        .sum()
}

fn chosen_of(c: &[Candidate], ids: &[String]) -> Vec<bool> {
    c.iter().map(|x| ids.contains(&x.id)).collect()
}

#[test]
fn the_optimiser_matches_brute_force_on_tiny_instances() {
    let mut feasible = 0;
    for seed in 0..40 {
        let c = candidates(12, seed);
        let q = quotas(seed);
        let mut best: Option<f64> = None;
        for mask in 0u32..(1 << c.len()) {
            let chosen: Vec<bool> = (0..c.len()).map(|i| mask & (1 << i) != 0).collect();
            if violations(&c, &q, &chosen).is_empty() {
                let v = value(&c, &q, &chosen);
                best = Some(best.map_or(v, |b: f64| b.max(v)));
            }
        }
        match (select(&c, &q, LIMIT), best) {
            (Ok(sel), Some(b)) => {
                feasible += 1;
                assert!(
                    (sel.objective - b).abs() < 1e-6,
                    "seed {seed}: {} vs brute force {b}",
                    sel.objective
                );
                assert_eq!(sel.gap, 0.0);
                assert!(violations(&c, &q, &chosen_of(&c, &sel.selected)).is_empty());
            }
            (Err(SelectionError::Infeasible { .. }), None) => {}
            (got, want) => panic!("seed {seed}: optimiser {got:?}, brute force {want:?}"),
        }
    }
    assert!(feasible >= 20, "only {feasible} feasible instances");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]
    #[test]
    fn every_quota_holds_and_every_declined_proposal_has_a_reason(n in 10usize..40, seed in 0u64..100_000) {
        let c = candidates(n, seed);
        let q = quotas(seed);
        if let Ok(sel) = select(&c, &q, LIMIT) {
            let chosen = chosen_of(&c, &sel.selected);
            prop_assert!(violations(&c, &q, &chosen).is_empty());
            prop_assert_eq!(sel.selected.len() + sel.declined.len(), n);
            for d in &sel.declined {
                prop_assert!(!d.reason.is_empty());
                prop_assert!(!sel.selected.contains(&d.id));
            }
        }
    }
}

/// Thirty workshops, organised from two regions in turn.
fn two_regions() -> Vec<Candidate> {
    let mut c = candidates(30, 1);
    for (i, x) in c.iter_mut().enumerate() {
        x.regional_groups = vec![REGIONS[i % 2].into()];
        x.session_type = "workshop".into();
    }
    c
}

#[test]
fn contradictory_quotas_report_a_smallest_conflicting_set() {
    let c = two_regions();
    let q = Quotas {
        slots_per_type: BTreeMap::from([("workshop".into(), 30)]),
        total: Some(5),
        region_min: BTreeMap::from([(REGIONS[0].into(), 3), (REGIONS[1].into(), 3)]),
        first_time_min: Some(1),
        ..Quotas::default()
    };
    match select(&c, &q, LIMIT) {
        Err(SelectionError::Infeasible { conflict }) => {
            assert_eq!(conflict.len(), 3, "{conflict:?}");
            assert!(
                conflict.iter().any(|r| r.contains("exactly 5")),
                "{conflict:?}"
            );
            assert!(
                conflict
                    .iter()
                    .filter(|r| r.contains("at least 3 sessions organised from"))
                    .count()
                    == 2,
                "{conflict:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_declined_proposal_names_the_cap_that_kept_it_out() {
    let mut c = candidates(6, 2);
    for (i, x) in c.iter_mut().enumerate() {
        x.session_type = "workshop".into();
        x.organisations = vec![if i < 4 {
            "Big Org".into()
        } else {
            format!("Org{i}")
        }];
        x.score = 5.0 - i as f64 * 0.1;
        x.speakers = vec![];
    }
    let q = Quotas {
        slots_per_type: BTreeMap::from([("workshop".into(), 5)]),
        max_per_organisation: Some(2),
        ..Quotas::default()
    };
    let sel = select(&c, &q, LIMIT).unwrap();
    assert_eq!(sel.selected.len(), 4);
    let r = &sel.declined.iter().find(|d| d.id == "Q02").unwrap().reason;
    assert!(r.contains("Big Org") && r.contains("at most 2"), "{r}");
}

#[test]
fn bad_scores_and_duplicate_ids_are_refused() {
    let mut c = candidates(4, 3);
    c[1].score = f64::NAN;
    assert!(matches!(
        select(&c, &Quotas::default(), LIMIT),
        Err(SelectionError::Invalid(_))
    ));
    let mut c = candidates(4, 3);
    c[2].id = c[0].id.clone();
    assert!(matches!(
        select(&c, &Quotas::default(), LIMIT),
        Err(SelectionError::Invalid(_))
    ));
}

#[test]
fn a_search_out_of_time_says_so_and_never_breaks_a_quota() {
    let c = candidates(30, 4);
    let q = quotas(4);
    assert!(matches!(
        select(&c, &q, std::time::Duration::ZERO),
        Err(SelectionError::TimeLimit(_))
    ));
    // A short limit on larger instances: whatever comes back keeps every quota, and a
    // programme found without a proof of optimality carries a gap between 0 and 1.
    let mut timed_out = 0;
    for seed in 0..6 {
        let c = candidates(400, seed);
        let q = quotas(seed);
        match select(&c, &q, std::time::Duration::from_millis(3)) {
            Ok(sel) => {
                assert!(violations(&c, &q, &chosen_of(&c, &sel.selected)).is_empty());
                if sel.timed_out {
                    timed_out += 1;
                    assert!((0.0..=1.0).contains(&sel.gap), "gap {}", sel.gap);
                } else {
                    assert_eq!(sel.gap, 0.0);
                }
            }
            Err(SelectionError::TimeLimit(_) | SelectionError::Infeasible { .. }) => {}
            Err(e) => panic!("seed {seed}: {e:?}"),
        }
    }
    eprintln!("{timed_out} of 6 stopped at the limit with a programme");
}

#[test]
fn a_watched_selection_reports_its_phases_and_stops_when_asked() {
    use igf_scheduler::progress::Step;
    use igf_scheduler::selection::optimizer::select_watched;
    let c = candidates(30, 7);
    let q = quotas(7);
    let mut steps: Vec<Step> = vec![];
    let watched = select_watched(&c, &q, LIMIT, &mut |s: Step| {
        steps.push(s);
        true
    });
    let plain = select(&c, &q, LIMIT);
    match (watched, plain) {
        (Ok(w), Ok(p)) => {
            assert_eq!(w.selected, p.selected);
            assert_eq!(steps[0].phase, "optimising");
            // Every declined proposal is counted as it gets its reason, with the
            // programme's objective as the best so far.
            let explaining: Vec<&Step> = steps.iter().filter(|s| s.phase == "explaining").collect();
            assert_eq!(explaining.len(), w.declined.len());
            for s in &explaining {
                assert_eq!(s.total, w.declined.len() as u64);
                assert_eq!(s.best.as_ref().unwrap().value, w.objective);
            }
            // A watch that asks it to stop stops it.
            let stopped = select_watched(&c, &q, LIMIT, &mut |_: Step| false);
            assert!(
                matches!(stopped, Err(SelectionError::Stopped)),
                "{stopped:?}"
            );
        }
        (w, p) => panic!("seed 7 should have a programme: {w:?} / {p:?}"),
    }
    // Conflicting quotas count the rule families tried.
    let c = two_regions();
    let q = Quotas {
        slots_per_type: BTreeMap::from([("workshop".into(), 30)]),
        total: Some(5),
        region_min: BTreeMap::from([(REGIONS[0].into(), 3), (REGIONS[1].into(), 3)]),
        ..Quotas::default()
    };
    let mut tried = vec![];
    let r = select_watched(&c, &q, LIMIT, &mut |s: Step| {
        if s.phase == "conflicts" {
            tried.push((s.done, s.total));
        }
        true
    });
    assert!(matches!(r, Err(SelectionError::Infeasible { .. })), "{r:?}");
    assert!(!tried.is_empty());
    assert!(
        tried
            .iter()
            .enumerate()
            .all(|(i, &(d, t))| d == i as u64 && d < t),
        "{tried:?}"
    );
}

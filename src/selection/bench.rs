//! Synthetic evaluation pools for the assignment benchmark (`cargo bench --bench
//! evaluation`) and the property tests: the shared benchmark instance has proposals
//! but no MAG, so the evaluators are generated here.

use super::assignment::{Evaluator, Proposal};

const GROUPS: [&str; 5] = [
    "government",
    "private_sector",
    "civil_society",
    "technical_community",
    "intergovernmental_organization",
];
const REGIONS: [&str; 5] = [
    "african",
    "asia_pacific",
    "eastern_european",
    "grulac",
    "weog",
];
const THEMES: [&str; 4] = ["trust", "access", "cooperation", "innovation"];

/// A MAG-like pool of `np` proposals and `ne` evaluators: evaluators spread over groups
/// and regions, proposals whose people and organisations sometimes include an
/// evaluator (conflicts). Deterministic for a seed.
pub fn evaluation_pool(np: usize, ne: usize, seed: u64) -> (Vec<Proposal>, Vec<Evaluator>) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let evaluators: Vec<Evaluator> = (0..ne)
        .map(|i| Evaluator {
            id: format!("E{i:02}"),
            email: Some(format!("e{i}@mag.test")),
            organisation: Some(format!("Org {}", i % 30)),
            stakeholder_group: Some(GROUPS[i % 5].into()),
            regional_group: Some(REGIONS[(i / 5 + i) % 5].into()),
            expertise: vec![THEMES[rng.usize(..4)].into()],
            declared_conflicts: vec![],
        })
        .collect();
    let proposals = (0..np)
        .map(|i| {
            let mut emails = vec![format!("author{i}@example.org")];
            if rng.u32(..10) == 0 {
                emails.push(format!("e{}@mag.test", rng.usize(..ne)));
            }
            Proposal {
                id: format!("P{i:03}"),
                theme: Some(THEMES[rng.usize(..4)].into()),
                participant_emails: emails,
                organisations: vec![
                    format!("Org {}", 30 + rng.usize(..100)),
                    format!("Org {}", rng.usize(..200)),
                ],
            }
        })
        .collect();
    (proposals, evaluators)
}

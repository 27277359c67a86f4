//! The diversity of a selected programme against the selection's targets: shares of
//! proposals per theme, per organisers' stakeholder and regional group, first-time and
//! developing-country proposals, and the gender mix of the people in it. Shown with a
//! selection run and in the public transparency report; only aggregates leave here.
//! Pure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What the summary needs to know about one selected proposal.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// Theme name.
    pub theme: Option<String>,
    /// Distinct stakeholder groups of its organisers.
    pub stakeholder_groups: Vec<String>,
    /// Distinct regional groups of its organisers.
    pub regional_groups: Vec<String>,
    /// Gender of each person in its line-up (`None` when not given).
    pub genders: Vec<Option<String>>,
    /// First-time proposer.
    pub first_time: bool,
    /// From a developing country.
    pub developing_country: bool,
}

/// Wanted shares, each a fraction of the programme (0 to 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareBounds {
    /// At least this share.
    pub min: Option<f64>,
    /// At most this share.
    pub max: Option<f64>,
}

/// The targets a programme is held against.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Targets {
    /// Per theme name.
    pub themes: BTreeMap<String, ShareBounds>,
    /// Minimum share of proposals with an organiser of each stakeholder group.
    pub stakeholder_groups: BTreeMap<String, f64>,
    /// Minimum share of proposals with an organiser of each regional group.
    pub regional_groups: BTreeMap<String, f64>,
    /// Minimum share of first-time proposals.
    pub first_time: Option<f64>,
    /// Minimum share of developing-country proposals.
    pub developing_country: Option<f64>,
}

/// One count against its target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// How many.
    pub count: usize,
    /// Count over the whole (0 when the whole is empty).
    pub share: f64,
    /// Wanted minimum share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_min: Option<f64>,
    /// Wanted maximum share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_max: Option<f64>,
    /// Whether the share is within its targets (`None` when there is no target).
    pub met: Option<bool>,
}

fn share(count: usize, whole: usize, b: ShareBounds) -> Share {
    let s = if whole == 0 {
        0.0
    } else {
        count as f64 / whole as f64
    };
    let has = b.min.is_some() || b.max.is_some();
    // A share computed from counts may sit a rounding error below its bound.
    let eps = 1e-9;
    Share {
        count,
        share: (s * 10_000.0).round() / 10_000.0,
        target_min: b.min,
        target_max: b.max,
        met: has.then(|| b.min.is_none_or(|m| s + eps >= m) && b.max.is_none_or(|m| s <= m + eps)),
    }
}

/// The diversity of a programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeDiversity {
    /// Proposals in the programme.
    pub proposals: usize,
    /// People in their line-ups (a person in two sessions counts twice).
    pub people: usize,
    /// Per theme.
    pub themes: BTreeMap<String, Share>,
    /// Proposals with an organiser of each stakeholder group.
    pub stakeholder_groups: BTreeMap<String, Share>,
    /// Proposals with an organiser of each regional group.
    pub regional_groups: BTreeMap<String, Share>,
    /// First-time proposals.
    pub first_time: Share,
    /// Developing-country proposals.
    pub developing_country: Share,
    /// People per gender, `undisclosed` included, as shares of all people.
    pub genders: BTreeMap<String, Share>,
    /// Whether every target is met.
    pub all_targets_met: bool,
}

/// Summarises a programme against targets. Every group with a target is listed even
/// when the programme has none of it.
pub fn summarise(entries: &[Entry], targets: &Targets) -> ProgrammeDiversity {
    let n = entries.len();
    let mut themes: BTreeMap<String, usize> =
        targets.themes.keys().map(|k| (k.clone(), 0)).collect();
    let mut sg: BTreeMap<String, usize> = targets
        .stakeholder_groups
        .keys()
        .map(|k| (k.clone(), 0))
        .collect();
    let mut rg: BTreeMap<String, usize> = targets
        .regional_groups
        .keys()
        .map(|k| (k.clone(), 0))
        .collect();
    let mut genders: BTreeMap<String, usize> = BTreeMap::new();
    let mut people = 0;
    for e in entries {
        if let Some(t) = &e.theme {
            *themes.entry(t.clone()).or_default() += 1;
        }
        let mut groups = e.stakeholder_groups.clone();
        groups.sort();
        groups.dedup();
        for g in groups {
            *sg.entry(g).or_default() += 1;
        }
        let mut regions = e.regional_groups.clone();
        regions.sort();
        regions.dedup();
        for r in regions {
            *rg.entry(r).or_default() += 1;
        }
        for g in &e.genders {
            people += 1;
            *genders
                .entry(g.clone().unwrap_or_else(|| "undisclosed".into()))
                .or_default() += 1;
        }
    }
    let min_only = |m: Option<f64>| ShareBounds { min: m, max: None };
    let themes: BTreeMap<String, Share> = themes
        .into_iter()
        .map(|(k, c)| {
            let b = targets.themes.get(&k).copied().unwrap_or_default();
            (k, share(c, n, b))
        })
        .collect();
    let sg: BTreeMap<String, Share> = sg
        .into_iter()
        .map(|(k, c)| {
            let b = min_only(targets.stakeholder_groups.get(&k).copied());
            (k, share(c, n, b))
        })
        .collect();
    let rg: BTreeMap<String, Share> = rg
        .into_iter()
        .map(|(k, c)| {
            let b = min_only(targets.regional_groups.get(&k).copied());
            (k, share(c, n, b))
        })
        .collect();
    let first_time = share(
        entries.iter().filter(|e| e.first_time).count(),
        n,
        min_only(targets.first_time),
    );
    let developing_country = share(
        entries.iter().filter(|e| e.developing_country).count(),
        n,
        min_only(targets.developing_country),
    );
    let genders: BTreeMap<String, Share> = genders
        .into_iter()
        .map(|(k, c)| (k, share(c, people, ShareBounds::default())))
        .collect();
    let all_targets_met = themes
        .values()
        .chain(sg.values())
        .chain(rg.values())
        .chain([&first_time, &developing_country])
        .all(|s| s.met != Some(false));
    ProgrammeDiversity {
        proposals: n,
        people,
        themes,
        stakeholder_groups: sg,
        regional_groups: rg,
        first_time,
        developing_country,
        genders,
        all_targets_met,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(theme: &str, sg: &[&str], first: bool) -> Entry {
        Entry {
            theme: Some(theme.into()),
            stakeholder_groups: sg.iter().map(|s| s.to_string()).collect(),
            regional_groups: vec!["african".into()],
            genders: vec![Some("female".into()), None, Some("male".into())],
            first_time: first,
            developing_country: false,
        }
    }

    #[test]
    fn shares_are_counted_per_proposal_and_held_against_targets() {
        let entries = [
            entry("A", &["government", "government"], true),
            entry("A", &["civil_society"], false),
            entry("B", &["civil_society", "government"], false),
            entry("B", &["private_sector"], false),
        ];
        let mut t = Targets::default();
        t.themes.insert(
            "A".into(),
            ShareBounds {
                min: Some(0.25),
                max: Some(0.5),
            },
        );
        t.themes.insert(
            "C".into(),
            ShareBounds {
                min: Some(0.1),
                max: None,
            },
        );
        t.stakeholder_groups.insert("government".into(), 0.5);
        t.first_time = Some(0.5);
        let d = summarise(&entries, &t);
        assert_eq!(d.proposals, 4);
        assert_eq!(d.themes["A"].count, 2);
        assert_eq!(d.themes["A"].met, Some(true));
        assert_eq!(d.themes["B"].met, None, "no target, nothing to meet");
        assert_eq!(d.themes["C"].count, 0);
        assert_eq!(d.themes["C"].met, Some(false));
        assert_eq!(
            d.stakeholder_groups["government"].count, 2,
            "a proposal counts once per group"
        );
        assert_eq!(d.stakeholder_groups["government"].met, Some(true));
        assert_eq!(d.first_time.share, 0.25);
        assert_eq!(d.first_time.met, Some(false));
        assert_eq!(d.people, 12);
        assert_eq!(d.genders["undisclosed"].count, 4);
        assert_eq!(d.genders["female"].share, 0.3333);
        assert!(!d.all_targets_met);
    }

    #[test]
    fn an_empty_programme_has_zero_shares() {
        let d = summarise(&[], &Targets::default());
        assert_eq!(d.first_time.share, 0.0);
        assert!(d.all_targets_met);
    }
}

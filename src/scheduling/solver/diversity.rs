//! The diversity of one session's line-up, scored the same way wherever it is shown
//! (the session resource) or optimised (selection): how many distinct stakeholder
//! groups, regional groups and genders it brings, against how many it could with its
//! size.

use serde::Serialize;

/// One member of a line-up, as far as diversity goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Member<'a> {
    /// Stakeholder group.
    pub stakeholder_group: Option<&'a str>,
    /// Regional group.
    pub regional_group: Option<&'a str>,
    /// Gender (`undisclosed` counts as unknown).
    pub gender: Option<&'a str>,
    /// Takes part online.
    pub online: bool,
}

/// A line-up's diversity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineUpDiversity {
    /// People counted.
    pub people: usize,
    /// Distinct stakeholder groups.
    pub stakeholder_groups: usize,
    /// Distinct regional groups.
    pub regional_groups: usize,
    /// Distinct disclosed genders.
    pub genders: usize,
    /// People onsite.
    pub onsite: usize,
    /// People online.
    pub online: usize,
    /// 0 (one group of everything) to 1 (as varied as its size allows): the mean of the
    /// three coverages, each distinct groups over the most the line-up could have
    /// (5 stakeholder groups, 5 UN regions, 2 genders, or its size if smaller).
    pub score: f64,
}

fn distinct<'a>(it: impl Iterator<Item = Option<&'a str>>) -> usize {
    let mut v: Vec<&str> = it
        .flatten()
        .filter(|s| !s.is_empty() && *s != "undisclosed")
        .collect();
    v.sort_unstable();
    v.dedup();
    v.len()
}

/// Scores a line-up.
pub fn line_up(members: &[Member<'_>]) -> LineUpDiversity {
    let n = members.len();
    let sg = distinct(members.iter().map(|m| m.stakeholder_group));
    let rg = distinct(members.iter().map(|m| m.regional_group));
    let g = distinct(members.iter().map(|m| m.gender));
    let online = members.iter().filter(|m| m.online).count();
    let cover = |have: usize, most: usize| {
        if most == 0 {
            0.0
        } else {
            have.min(most) as f64 / most as f64
        }
    };
    let score = if n == 0 {
        0.0
    } else {
        (cover(sg, n.min(5)) + cover(rg, n.min(5)) + cover(g, n.min(2))) / 3.0
    };
    LineUpDiversity {
        people: n,
        stakeholder_groups: sg,
        regional_groups: rg,
        genders: g,
        onsite: n - online,
        online,
        score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m<'a>(s: &'a str, r: &'a str, g: &'a str) -> Member<'a> {
        Member {
            stakeholder_group: Some(s),
            regional_group: Some(r),
            gender: Some(g),
            online: false,
        }
    }

    #[test]
    fn a_single_country_panel_scores_low_and_a_varied_one_high() {
        let same = [
            m("government", "weog", "male"),
            m("government", "weog", "male"),
            m("government", "weog", "male"),
        ];
        let varied = [
            m("government", "weog", "male"),
            m("civil_society", "african", "female"),
            m("private_sector", "grulac", "male"),
        ];
        assert!((line_up(&same).score - (1.0 / 3.0 + 1.0 / 3.0 + 0.5) / 3.0).abs() < 1e-9);
        assert!((line_up(&varied).score - 1.0).abs() < 1e-9);
    }

    #[test]
    fn undisclosed_gender_counts_as_unknown_and_empty_is_zero() {
        let d = line_up(&[m("government", "weog", "undisclosed")]);
        assert_eq!(d.genders, 0);
        assert_eq!(line_up(&[]).score, 0.0);
    }
}

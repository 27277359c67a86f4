//! The placement under search and the indexes the rules' incremental costs read:
//! which sessions sit in each slot, and how many of each theme, day and diversity group.
//! The search keeps them up to date; the rules only read them.

use super::model::{Model, hours_over};

/// Marks an empty cell or an unplaced session.
pub const NONE: usize = usize::MAX;

/// Where every session is, with the counts the rules' deltas need.
#[derive(Clone)]
pub struct Placement<'m> {
    /// The compiled problem.
    pub m: &'m Model,
    /// Slot of each session (`NONE`: unplaced).
    pub slot: Vec<usize>,
    /// Room of each session.
    pub room: Vec<usize>,
    /// `occ[r * n_slots + t]`: the session starting in room r at slot t.
    pub occ: Vec<usize>,
    /// Sessions placed in each slot.
    pub in_slot: Vec<Vec<usize>>,
    /// `theme_count[t * n_themes + th]`: sessions of theme th in slot t.
    pub theme_count: Vec<i64>,
    /// `day_theme[d * n_themes + th]`: sessions of theme th on day d.
    pub day_theme: Vec<i64>,
    /// `group_count[t * n_groups + g]`: people of group g speaking in slot t.
    pub group_count: Vec<i32>,
    /// Groups of the programme with nobody speaking in each slot.
    pub missing: Vec<i64>,
    /// Sessions that allow nothing in parallel.
    pub n_exclusive: usize,
    /// Sessions using an online channel in each slot.
    pub channels: Vec<i64>,
    /// Sessions with a captioner in each slot.
    pub captions: Vec<i64>,
    /// `team_slot[k * n_slots + t]`: sessions interpreter team k serves in slot t.
    pub team_slot: Vec<i64>,
    /// `team_day[k * n_days + d]`: sessions team k serves on day d.
    pub team_day: Vec<i64>,
    /// `team_minutes[k * n_days + d]`: minutes of sessions team k serves on day d.
    pub team_minutes: Vec<i64>,
    /// Which of its team options each placed interpreted session uses (`NONE`: none).
    pub team_choice: Vec<usize>,
}

impl<'m> Placement<'m> {
    /// Every session unplaced.
    pub fn new(m: &'m Model) -> Self {
        let (ns, nt, nr) = (m.sessions.len(), m.n_slots(), m.n_rooms());
        Placement {
            m,
            slot: vec![NONE; ns],
            room: vec![NONE; ns],
            occ: vec![NONE; nr * nt],
            in_slot: vec![vec![]; nt],
            theme_count: vec![0; nt * m.n_themes.max(1)],
            day_theme: vec![0; m.n_days.max(1) * m.n_themes.max(1)],
            group_count: vec![0; nt * m.n_groups.max(1)],
            missing: vec![m.n_groups as i64; nt],
            n_exclusive: m.sessions.iter().filter(|s| s.exclusive).count(),
            channels: vec![0; nt],
            captions: vec![0; nt],
            team_slot: vec![0; m.n_teams() * nt],
            team_day: vec![0; m.n_teams() * m.n_days.max(1)],
            team_minutes: vec![0; m.n_teams() * m.n_days.max(1)],
            team_choice: vec![NONE; ns],
        }
    }
}

impl Placement<'_> {
    /// Sessions counted in `per_slot` that run during slot `t` (in any slot
    /// overlapping it).
    pub fn load(&self, per_slot: &[i64], t: usize) -> i64 {
        self.m.slot_overlaps[t].iter().map(|&t2| per_slot[t2]).sum()
    }

    /// What one more session counted in `per_slot` adds in slot `t` to the hard count
    /// of a resource with `limit` at once: one for every slot overlapping `t` whose
    /// load is already at the limit.
    pub fn over_limit(&self, per_slot: &[i64], t: usize, limit: i64) -> i64 {
        self.m.slot_overlaps[t]
            .iter()
            .filter(|&&t2| self.load(per_slot, t2) >= limit)
            .count() as i64
    }

    /// The teams session `s` is served by under option `o` (none when not interpreted).
    pub fn teams_of(&self, s: usize, o: usize) -> &[usize] {
        self.m.sessions[s]
            .team_options
            .get(o)
            .map_or(&[], |v| v.as_slice())
    }

    /// What session `s` in slot `t` with its team option `o` adds to the teams' hard
    /// count: one per session a team of it already serves in an overlapping slot or
    /// within its break (a pair), one per team already at its day's limit of sessions,
    /// and the started hours it takes a team further over its day's minutes.
    pub fn team_excess(&self, s: usize, t: usize, o: usize) -> i64 {
        let m = self.m;
        let nt = m.n_slots();
        let cell = |k: usize| k * m.n_days.max(1) + m.slot_day[t];
        let mut n = 0;
        for &k in self.teams_of(s, o) {
            for &t2 in &m.team_near[k][t] {
                n += self.team_slot[k * nt + t2];
            }
            if let Some(max) = m.team_day_max[k]
                && self.team_day[cell(k)] >= max
            {
                n += 1;
            }
            if let Some(max) = m.team_minutes_max[k] {
                let before = self.team_minutes[cell(k)];
                n += hours_over(before + m.sessions[s].duration, max) - hours_over(before, max);
            }
        }
        n
    }

    /// The team option that costs session `s` least in slot `t` as things stand
    /// (fewest conflicts, then fewest teams); `NONE` when it is not interpreted.
    pub fn best_teams(&self, s: usize, t: usize) -> usize {
        let options = &self.m.sessions[s].team_options;
        (0..options.len())
            .min_by_key(|&o| (self.team_excess(s, t, o), options[o].len(), o))
            .unwrap_or(NONE)
    }
}

/// What the room-level costs see once every session has its slot.
pub struct RoomCx<'a> {
    /// The compiled problem.
    pub m: &'a Model,
    /// Slot of each session.
    pub slot: &'a [usize],
    /// Room of each session as it stands.
    pub room: &'a [usize],
    /// `by_theme_day[d * n_themes + th]`: the theme's sessions of the day in time order.
    pub by_theme_day: &'a [Vec<usize>],
}

//! The placement under search and the indexes the rules' incremental costs read:
//! which sessions sit in each slot, and how many of each theme, day and diversity group.
//! The search keeps them up to date; the rules only read them.

use super::model::Model;

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
        }
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

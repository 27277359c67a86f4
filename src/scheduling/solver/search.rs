//! Search: a most-constrained-first construction, then simulated annealing over slot
//! moves and slot swaps with incremental (delta) scoring. Rooms inside a slot are a
//! bipartite matching kept by augmenting paths, so a move only fails when the slot has
//! no room left that fits. Every change goes through an undo log, so a rejected move
//! costs no more than an accepted one.

use std::time::{Duration, Instant};

use super::constraints;
use super::model::Model;
pub use super::placement::NONE;
use super::placement::Placement;
/// Weight of one hard violation against the soft score.
pub const HARD_WEIGHT: i64 = 1_000_000;

/// One reversible change.
#[derive(Debug, Clone, Copy)]
enum Op {
    Inserted {
        s: usize,
    },
    Removed {
        s: usize,
        t: usize,
        r: usize,
        o: usize,
    },
    Reroomed {
        s: usize,
        from: usize,
    },
}

/// The placement under search with its running score and undo log. It reads as its
/// [`Placement`] (slots, rooms and the rules' indexes) through `Deref`.
#[derive(Clone)]
pub struct State<'m> {
    pl: Placement<'m>,
    /// Hard violations that the domains do not rule out (person overlaps, exclusivity)
    /// plus unplaced sessions.
    pub hard: i64,
    /// Slot-level soft cost.
    pub soft: i64,
    log: Vec<Op>,
}

impl<'m> std::ops::Deref for State<'m> {
    type Target = Placement<'m>;
    fn deref(&self) -> &Placement<'m> {
        &self.pl
    }
}

impl std::ops::DerefMut for State<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.pl
    }
}

impl<'m> State<'m> {
    /// An empty placement: every session unplaced.
    pub fn new(m: &'m Model) -> Self {
        // A session that can never be placed is not the search's to fix: it counts
        // against the schedule (the `unplaced` rule) but not against the search.
        let placeable = m.sessions.iter().filter(|s| !s.slots.is_empty()).count();
        State {
            pl: Placement::new(m),
            hard: placeable as i64,
            soft: 0,
            log: vec![],
        }
    }

    /// Hard and soft folded into one number to minimise.
    pub fn cost(&self) -> i64 {
        self.hard * HARD_WEIGHT + self.soft
    }

    fn nt(&self) -> usize {
        self.m.n_slots()
    }

    /// Hard and soft cost of `s` at `t` against everything else placed (s itself not
    /// counted in the per-slot counts): its static cost and every rule's delta.
    #[inline]
    fn contribution(&self, s: usize, t: usize) -> (i64, i64) {
        let (hard, soft) = constraints::delta(&self.pl, s, t);
        (hard, soft + self.m.static_cost[s * self.nt() + t])
    }

    fn add_counts(&mut self, s: usize, t: usize, sign: i64) {
        let pl = &mut self.pl;
        let m = pl.m;
        let ms = &m.sessions[s];
        if let Some(th) = ms.theme {
            pl.theme_count[t * m.n_themes + th] += sign;
            pl.day_theme[m.slot_day[t] * m.n_themes + th] += sign;
        }
        let ng = m.n_groups;
        for &g in &ms.groups {
            let c = &mut pl.group_count[t * ng + g];
            if sign > 0 {
                if *c == 0 {
                    pl.missing[t] -= 1;
                }
                *c += 1;
            } else {
                *c -= 1;
                if *c == 0 {
                    pl.missing[t] += 1;
                }
            }
        }
        if ms.needs_hybrid {
            pl.channels[t] += sign;
        }
        if ms.captioning {
            pl.captions[t] += sign;
        }
        let o = pl.team_choice[s];
        if o != NONE {
            let (nt, nd) = (m.n_slots(), m.n_days.max(1));
            let day = m.slot_day[t];
            for &k in &ms.team_options[o] {
                pl.team_slot[k * nt + t] += sign;
                pl.team_day[k * nd + day] += sign;
                pl.team_minutes[k * nd + day] += sign * ms.duration;
            }
        }
        if sign > 0 {
            pl.in_slot[t].push(s);
        } else if let Some(i) = pl.in_slot[t].iter().position(|&x| x == s) {
            pl.in_slot[t].swap_remove(i);
        }
    }

    /// Whether room r is free during slot t (no session in it in any overlapping slot).
    fn room_free(&self, r: usize, t: usize) -> bool {
        let nt = self.nt();
        self.m.slot_overlaps[t]
            .iter()
            .all(|&t2| self.occ[r * nt + t2] == NONE)
    }

    /// The one session keeping room r busy during slot t, when it sits in slot t itself
    /// (so it could change room within the slot); `None` when the room is blocked from
    /// another slot or by more than one session.
    fn sole_blocker(&self, r: usize, t: usize) -> Option<usize> {
        let nt = self.nt();
        let mut found = None;
        for &t2 in &self.m.slot_overlaps[t] {
            let o = self.occ[r * nt + t2];
            if o != NONE {
                if t2 != t || found.is_some() {
                    return None;
                }
                found = Some(o);
            }
        }
        found
    }

    /// A free room in slot t that fits s, preferring its previous room, then the
    /// smallest that fits (big rooms stay free for big sessions).
    fn free_room(&self, s: usize, t: usize) -> Option<usize> {
        let m = self.m;
        let nt = self.nt();
        let ms = &m.sessions[s];
        if let Some((r, pt)) = ms.pinned {
            return (pt == t && self.room_free(r, t)).then_some(r);
        }
        if let Some((r, pt)) = ms.previous
            && pt == t
            && self.room_free(r, t)
            && m.room_fits(s, r, t)
        {
            return Some(r);
        }
        ms.rooms
            .iter()
            .copied()
            .filter(|&r| m.room_open[r * nt + t] && self.room_free(r, t))
            .min_by_key(|&r| (m.room_capacity[r], r))
    }

    /// Finds a room for s in slot t, moving other sessions of t to other rooms along
    /// an augmenting path if needed (depth-limited). Logs the re-roomings.
    fn find_room(&mut self, s: usize, t: usize) -> Option<usize> {
        if let Some(r) = self.free_room(s, t) {
            return Some(r);
        }
        if self.m.sessions[s].pinned.is_some() {
            return None;
        }
        let mut visited = vec![];
        self.augment(s, t, 3, &mut visited)
    }

    fn augment(
        &mut self,
        s: usize,
        t: usize,
        depth: u32,
        visited: &mut Vec<usize>,
    ) -> Option<usize> {
        let m = self.m;
        let nt = self.nt();
        let rooms = m.sessions[s].rooms.clone();
        for &r in &rooms {
            if !m.room_open[r * nt + t] || visited.contains(&r) {
                continue;
            }
            if self.room_free(r, t) {
                return Some(r);
            }
            let Some(o) = self.sole_blocker(r, t) else {
                continue;
            };
            if m.sessions[o].pinned.is_some() || depth == 0 {
                continue;
            }
            visited.push(r);
            let alt = match self.free_room_excluding(o, t, visited) {
                Some(a) => Some(a),
                None => self.augment(o, t, depth - 1, visited),
            };
            if let Some(a) = alt {
                self.occ[r * nt + t] = NONE;
                self.occ[a * nt + t] = o;
                self.log.push(Op::Reroomed { s: o, from: r });
                self.room[o] = a;
                return Some(r);
            }
        }
        None
    }

    fn free_room_excluding(&self, s: usize, t: usize, excluded: &[usize]) -> Option<usize> {
        let nt = self.nt();
        self.m.sessions[s]
            .rooms
            .iter()
            .copied()
            .filter(|&r| {
                !excluded.contains(&r) && self.m.room_open[r * nt + t] && self.room_free(r, t)
            })
            .min_by_key(|&r| (self.m.room_capacity[r], r))
    }

    /// Places an unplaced session in slot t (room found or made free). False when no
    /// room can be had; nothing changes then.
    pub fn insert(&mut self, s: usize, t: usize) -> bool {
        let Some(r) = self.find_room(s, t) else {
            return false;
        };
        self.place(s, t, r);
        self.log.push(Op::Inserted { s });
        true
    }

    fn place(&mut self, s: usize, t: usize, r: usize) {
        let o = self.pl.best_teams(s, t);
        self.place_with(s, t, r, o);
    }

    /// Places s in slot t and room r, served by its team option `o`.
    fn place_with(&mut self, s: usize, t: usize, r: usize, o: usize) {
        self.pl.team_choice[s] = o;
        let (h, so) = self.contribution(s, t);
        self.hard += h - 1;
        self.soft += so;
        self.add_counts(s, t, 1);
        self.slot[s] = t;
        self.room[s] = r;
        let nt = self.nt();
        self.occ[r * nt + t] = s;
    }

    /// Takes a placed session out (an unplaced one stays as it is).
    pub fn remove(&mut self, s: usize) {
        let (t, r) = (self.slot[s], self.room[s]);
        if t == NONE {
            return;
        }
        let nt = self.nt();
        self.occ[r * nt + t] = NONE;
        self.slot[s] = NONE;
        self.room[s] = NONE;
        self.add_counts(s, t, -1);
        let (h, so) = self.contribution(s, t);
        self.hard -= h - 1;
        self.soft -= so;
        let o = std::mem::replace(&mut self.pl.team_choice[s], NONE);
        self.log.push(Op::Removed { s, t, r, o });
    }

    /// Starts a new reversible step.
    pub fn begin(&mut self) {
        self.log.clear();
    }

    /// Reverts everything since `begin`.
    pub fn undo(&mut self) {
        let nt = self.nt();
        while let Some(op) = self.log.pop() {
            match op {
                Op::Inserted { s } => {
                    self.remove(s);
                    self.log.pop();
                }
                Op::Removed { s, t, r, o } => self.place_with(s, t, r, o),
                Op::Reroomed { s, from } => {
                    let (t, now) = (self.slot[s], self.room[s]);
                    self.occ[now * nt + t] = NONE;
                    self.occ[from * nt + t] = s;
                    self.room[s] = from;
                }
            }
        }
    }

    /// A Kempe chain move: s goes from its slot to `to`, every session of `to` that
    /// shares a person with it goes the other way, and so on until no shared person
    /// is left between the two groups. Keeps people free of overlaps between the two
    /// slots. False (and nothing changed) when a member cannot take the other slot.
    pub fn kempe(&mut self, s: usize, to: usize) -> bool {
        let m = self.m;
        let from = self.slot[s];
        if from == NONE || from == to {
            return false;
        }
        let mut chain = vec![s];
        let mut i = 0;
        while i < chain.len() {
            let x = chain[i];
            i += 1;
            let other = if self.slot[x] == from { to } else { from };
            for &p in &m.sessions[x].people {
                for &y in &m.person_sessions[p] {
                    if self.slot[y] == other && !chain.contains(&y) {
                        chain.push(y);
                        if chain.len() > 12 {
                            return false;
                        }
                    }
                }
            }
        }
        let targets: Vec<(usize, usize)> = chain
            .iter()
            .map(|&x| (x, if self.slot[x] == from { to } else { from }))
            .collect();
        if targets
            .iter()
            .any(|&(x, t)| m.sessions[x].pinned.is_some() || !m.sessions[x].slots.contains(&t))
        {
            return false;
        }
        for &(x, _) in &targets {
            self.remove(x);
        }
        targets.iter().all(|&(x, t)| self.insert(x, t))
    }

    /// Sessions placed in slot t.
    pub fn sessions_in(&self, t: usize) -> &[usize] {
        &self.in_slot[t]
    }

    /// Whether session s shares its slot's theme with another session there.
    pub fn clashes(&self, s: usize) -> bool {
        let m = self.m;
        match (m.sessions[s].theme, self.slot[s]) {
            (Some(th), t) if t != NONE => {
                m.slot_overlaps[t]
                    .iter()
                    .map(|&t2| self.theme_count[t2 * m.n_themes + th])
                    .sum::<i64>()
                    > 1
            }
            _ => false,
        }
    }

    /// Whether session s takes part in a hard conflict.
    pub fn in_conflict(&self, s: usize) -> bool {
        let t = self.slot[s];
        if t == NONE {
            return true;
        }
        let (h, _) = self.contribution(s, t);
        h > 0
    }

    /// Recomputes hard and soft from scratch (used by tests to check the deltas).
    pub fn recompute(&self) -> (i64, i64) {
        let mut fresh = State::new(self.m);
        let mut order: Vec<usize> = (0..self.slot.len())
            .filter(|&s| self.slot[s] != NONE)
            .collect();
        order.sort_unstable();
        for s in order {
            fresh.place_with(s, self.slot[s], self.room[s], self.team_choice[s]);
        }
        (fresh.hard, fresh.soft)
    }
}

/// Limits of one solve: time, moves, a cancel flag and a progress callback.
pub struct Budget<'a> {
    /// Stop after this long.
    pub time_limit: Option<Duration>,
    /// Stop after this many moves (makes a run reproducible with its seed).
    pub max_moves: Option<u64>,
    /// Stop when this turns true.
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
    /// Told about every new best and about every 250 ms.
    pub progress: Option<&'a mut dyn FnMut(&Progress)>,
}

impl Budget<'_> {
    /// A time limit alone.
    pub fn time(limit: Duration) -> Budget<'static> {
        Budget {
            time_limit: Some(limit),
            max_moves: None,
            cancel: None,
            progress: None,
        }
    }

    /// A move limit alone (deterministic with a seed).
    pub fn moves(n: u64) -> Budget<'static> {
        Budget {
            time_limit: None,
            max_moves: Some(n),
            cancel: None,
            progress: None,
        }
    }
}

/// What the progress callback is told.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Time since the start.
    pub elapsed: Duration,
    /// Moves tried.
    pub moves: u64,
    /// Hard violations of the best placement.
    pub best_hard: i64,
    /// Soft cost of the best placement (slot level).
    pub best_soft: i64,
}

/// What the search reports besides the placement.
#[derive(Debug, Clone, Default)]
pub struct SearchStats {
    /// Moves tried.
    pub moves: u64,
    /// Moves accepted.
    pub accepted: u64,
    /// When a placement with no hard violation was first held.
    pub first_feasible: Option<Duration>,
    /// Best (hard, soft) over time.
    pub trace: Vec<(Duration, i64, i64)>,
    /// Whether the search stopped because it reached the proven lower bound.
    pub reached_bound: bool,
}

/// Most constrained first: sessions with the fewest slots (then the largest) are
/// placed first, each in the slot where it costs least.
pub fn construct(state: &mut State<'_>, rng: &mut fastrand::Rng) {
    let m = state.m;
    let mut order: Vec<usize> = (0..m.sessions.len())
        .filter(|&s| state.slot[s] == NONE && !m.sessions[s].slots.is_empty())
        .collect();
    order.sort_by_key(|&s| {
        let ms = &m.sessions[s];
        (
            ms.pinned.is_none(),
            ms.slots.len() * ms.rooms.len().max(1),
            std::cmp::Reverse(ms.attendance),
            s,
        )
    });
    for s in order {
        let mut best: Option<(i64, usize)> = None;
        let start = rng.usize(..m.sessions[s].slots.len());
        let slots = &m.sessions[s].slots;
        for k in 0..slots.len() {
            let t = slots[(start + k) % slots.len()];
            state.begin();
            let before = state.cost();
            if state.insert(s, t) {
                let delta = state.cost() - before;
                if best.is_none_or(|(b, _)| delta < b) {
                    best = Some((delta, t));
                }
            }
            state.undo();
        }
        if let Some((_, t)) = best {
            state.begin();
            state.insert(s, t);
        }
    }
    state.begin();
}

/// Optional proven lower bound of the slot-level soft cost: when same-theme clashes are
/// the only soft rule, a theme with n sessions over S non-overlapping slots has at least
/// r*C(q+1,2) + (S-r)*C(q,2) clashing pairs (q = n div S, r = n mod S).
pub fn theme_clash_bound(m: &Model) -> Option<i64> {
    let w = &m.weights;
    let only_clash = w.theme_same_day == 0 && w.online_discomfort == 0 && w.slot_diversity == 0;
    let disjoint = m.slot_overlaps.iter().all(|o| o.len() == 1);
    let no_previous = m.sessions.iter().all(|s| s.previous.is_none());
    if !only_clash || !disjoint || !no_previous || w.theme_clash <= 0 {
        return None;
    }
    let slots = m.n_slots() as i64;
    let mut per_theme = vec![0i64; m.n_themes];
    // Only the sessions that can be placed take part.
    for s in m.sessions.iter().filter(|s| !s.slots.is_empty()) {
        if let Some(th) = s.theme {
            per_theme[th] += 1;
        }
    }
    let c2 = |k: i64| k * (k - 1) / 2;
    Some(
        w.theme_clash
            * per_theme
                .iter()
                .map(|&n| (n % slots) * c2(n / slots + 1) + (slots - n % slots) * c2(n / slots))
                .sum::<i64>(),
    )
}

/// Improves a placement within the budget; returns the best placement found as
/// `(slot, room)` vectors and statistics. Times count from `started`, the start of the
/// whole solve (model building and construction included).
pub fn anneal(
    state: &mut State<'_>,
    rng: &mut fastrand::Rng,
    budget: &mut Budget<'_>,
    started: Instant,
) -> (Found, SearchStats) {
    let m = state.m;
    let movable: Vec<usize> = (0..m.sessions.len())
        .filter(|&s| m.sessions[s].pinned.is_none() && m.sessions[s].slots.len() > 1)
        .collect();
    let mut stats = SearchStats::default();
    let mut best = (Found::of(state), state.hard, state.soft);
    let bound = theme_clash_bound(m);
    // Sessions that can never be placed are no part of the search, but they count
    // against every schedule it reports: they are in each figure it hands out.
    let fixed = m.unplaceable.len() as i64;
    let record = |stats: &mut SearchStats, hard: i64, soft: i64| {
        let hard = hard + fixed;
        let el = started.elapsed();
        if hard == 0 && stats.first_feasible.is_none() {
            stats.first_feasible = Some(el);
        }
        stats.trace.push((el, hard, soft));
    };
    record(&mut stats, state.hard, state.soft);
    let done = |state: &State<'_>| state.hard == 0 && bound.is_some_and(|b| state.soft <= b);
    if movable.is_empty() || done(state) {
        stats.reached_bound = done(state);
        return (best.0, stats);
    }
    // Temperature: starts at the mean soft cost of a worsening move (sampled), so
    // such a move is accepted about a third of the time, cools geometrically to a
    // hundredth of that over a cycle, then restarts from the best, a little cooler.
    let mut t0 = calibrate(state, rng, &movable);
    let t_end = t0 / 100.0;
    let mut cycle: u64 = (m.sessions.len() as u64 * 4000).clamp(200_000, 5_000_000);
    if let Some(n) = budget.max_moves {
        // A short move budget still gets a full cooling.
        cycle = cycle.min(n.max(1000));
    }
    let mut in_cycle: u64 = 0;
    let mut last_report = Duration::ZERO;
    loop {
        if let Some(n) = budget.max_moves
            && stats.moves >= n
        {
            break;
        }
        if stats.moves % 256 == 0 {
            let el = started.elapsed();
            if budget.time_limit.is_some_and(|l| el >= l) {
                break;
            }
            if budget
                .cancel
                .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
            {
                break;
            }
            if el - last_report >= Duration::from_millis(250) {
                last_report = el;
                if let Some(cb) = budget.progress.as_mut() {
                    cb(&Progress {
                        elapsed: el,
                        moves: stats.moves,
                        best_hard: best.1 + fixed,
                        best_soft: best.2,
                    });
                }
            }
        }
        stats.moves += 1;
        in_cycle += 1;
        if in_cycle >= cycle {
            in_cycle = 0;
            t0 = (t0 * 0.7).max(t_end * 5.0);
            restore(state, &best.0);
        }
        let temp = t0 * (t_end / t0).powf(in_cycle as f64 / cycle as f64);

        // Choose a session, leaning towards ones in trouble.
        let mut s = movable[rng.usize(..movable.len())];
        for _ in 0..3 {
            if state.hard > 0 && state.in_conflict(s) || state.hard == 0 && state.clashes(s) {
                break;
            }
            s = movable[rng.usize(..movable.len())];
        }
        let from = state.slot[s];
        let dom = &m.sessions[s].slots;
        let to = dom[rng.usize(..dom.len())];
        if to == from {
            continue;
        }
        let before = state.cost();
        state.begin();
        let kind = rng.u32(..100);
        let ok = if from == NONE {
            state.insert(s, to)
        } else if kind < 45 {
            state.remove(s);
            state.insert(s, to)
        } else if kind < 70 {
            state.kempe(s, to)
        } else {
            // Swap with a session of the target slot that may take s's slot.
            let others = state.sessions_in(to);
            if others.is_empty() {
                state.remove(s);
                state.insert(s, to)
            } else {
                let o = others[rng.usize(..others.len())];
                if m.sessions[o].pinned.is_some()
                    || from == NONE
                    || !m.sessions[o].slots.contains(&from)
                {
                    false
                } else {
                    state.remove(s);
                    state.remove(o);
                    state.insert(s, to) && state.insert(o, from)
                }
            }
        };
        if !ok {
            state.undo();
            continue;
        }
        let delta = state.cost() - before;
        if delta <= 0 || rng.f64() < (-(delta as f64) / temp).exp() {
            stats.accepted += 1;
            if state.cost() < best.1 * HARD_WEIGHT + best.2 {
                best = (Found::of(state), state.hard, state.soft);
                record(&mut stats, state.hard, state.soft);
                if let Some(cb) = budget.progress.as_mut() {
                    cb(&Progress {
                        elapsed: started.elapsed(),
                        moves: stats.moves,
                        best_hard: best.1 + fixed,
                        best_soft: best.2,
                    });
                }
                if done(state) {
                    stats.reached_bound = true;
                    break;
                }
            }
        } else {
            state.undo();
        }
    }
    record(&mut stats, best.1, best.2);
    (best.0, stats)
}

/// The mean soft cost of worsening single moves from the current placement, which
/// sets the starting temperature; the placement is left as it was.
fn calibrate(state: &mut State<'_>, rng: &mut fastrand::Rng, movable: &[usize]) -> f64 {
    let m = state.m;
    let (mut sum, mut n) = (0.0, 0u32);
    for _ in 0..400 {
        let s = movable[rng.usize(..movable.len())];
        let dom = &m.sessions[s].slots;
        let to = dom[rng.usize(..dom.len())];
        if state.slot[s] == to {
            continue;
        }
        let (hard, soft) = (state.hard, state.soft);
        state.begin();
        state.remove(s);
        if state.insert(s, to) && state.hard <= hard && state.soft > soft {
            sum += (state.soft - soft) as f64;
            n += 1;
        }
        state.undo();
    }
    if n == 0 {
        1.0
    } else {
        (sum / f64::from(n)).max(0.5)
    }
}

/// A placement the search found: each session's slot, room and interpreter team
/// option (`NONE` where it has none).
#[derive(Debug, Clone)]
pub struct Found {
    /// Slot of each session.
    pub slot: Vec<usize>,
    /// Room of each session.
    pub room: Vec<usize>,
    /// Team option of each session.
    pub teams: Vec<usize>,
}

impl Found {
    fn of(state: &State<'_>) -> Found {
        Found {
            slot: state.slot.clone(),
            room: state.room.clone(),
            teams: state.team_choice.clone(),
        }
    }
}

/// Puts the state back to a saved placement.
pub fn restore(state: &mut State<'_>, found: &Found) {
    for s in 0..found.slot.len() {
        if state.slot[s] != NONE {
            state.remove(s);
        }
    }
    state.begin();
    for s in 0..found.slot.len() {
        if found.slot[s] != NONE {
            state.place_with(s, found.slot[s], found.room[s], found.teams[s]);
        }
    }
    state.begin();
}

//! The problem compiled for search: dense indices, each session's domain (the slots and
//! rooms no static hard rule forbids), per-(session, slot) costs computed once, and
//! the index of who takes part where. [`super::compile`] builds it from a problem.

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;

use super::problem::*;

/// A session in index form.
#[derive(Debug, Clone)]
pub struct MSession {
    /// People (indices).
    pub people: Vec<usize>,
    /// Theme index.
    pub theme: Option<usize>,
    /// Length in minutes.
    pub duration: i64,
    /// Attendance.
    pub attendance: u32,
    /// Needs a hybrid room.
    pub needs_hybrid: bool,
    /// Nothing in parallel.
    pub exclusive: bool,
    /// Pinned room and slot.
    pub pinned: Option<(usize, usize)>,
    /// Previous room and slot.
    pub previous: Option<(usize, usize)>,
    /// Slots the session may take.
    pub slots: Vec<usize>,
    /// Rooms that fit it (capacity, hybrid), before per-slot closures.
    pub rooms: Vec<usize>,
    /// Diversity groups of its people, with multiplicity.
    pub groups: Vec<usize>,
    /// Needs a real-time captioner.
    pub captioning: bool,
    /// The sets of interpreter teams (indices) that could serve it, smallest first;
    /// empty when it is not interpreted.
    pub team_options: Vec<Vec<usize>>,
}

/// The compiled problem.
#[derive(Debug, Clone)]
pub struct Model {
    /// Sessions.
    pub sessions: Vec<MSession>,
    /// Slot starts, minutes since the epoch.
    pub slot_start: Vec<i64>,
    /// Slot ends.
    pub slot_end: Vec<i64>,
    /// Venue-local day index of each slot.
    pub slot_day: Vec<usize>,
    /// For each slot, the slots whose interval overlaps it (itself included).
    pub slot_overlaps: Vec<Vec<usize>>,
    /// Room capacity.
    pub room_capacity: Vec<u32>,
    /// Room hybrid.
    pub room_hybrid: Vec<bool>,
    /// `room_open[r * n_slots + t]`: room r usable in slot t.
    pub room_open: Vec<bool>,
    /// Sessions of each person.
    pub person_sessions: Vec<Vec<usize>>,
    /// `static_cost[s * n_slots + t]`: soft cost of session s in slot t that does not
    /// depend on other sessions (online discomfort, moving away from the previous slot).
    pub static_cost: Vec<i64>,
    /// Sessions that can never be placed (their domain is empty), with every reason.
    pub unplaceable: Vec<(usize, Vec<String>)>,
    /// Number of themes.
    pub n_themes: usize,
    /// Number of days.
    pub n_days: usize,
    /// Number of diversity groups.
    pub n_groups: usize,
    /// Weights.
    pub weights: Weights,
    /// Online channels usable at once, if limited.
    pub channel_limit: Option<i64>,
    /// Captioners at work at once, if limited.
    pub caption_limit: Option<i64>,
    /// Each interpreter team's most sessions a day, if limited.
    pub team_day_max: Vec<Option<i64>>,
    /// Each interpreter team's most minutes of sessions a day, if limited.
    pub team_minutes_max: Vec<Option<i64>>,
    /// `team_near[k][t]`: the slots team k cannot also serve when it serves slot t
    /// (those overlapping it, and those closer to it than the team's break).
    pub team_near: Vec<Vec<Vec<usize>>>,
}

/// How far `minutes` of work go over a daily limit of `max`, in started hours: the
/// hard count of an interpreter team's day, a function of its total alone so that
/// any order of placing gives the same count.
pub fn hours_over(minutes: i64, max: i64) -> i64 {
    if minutes > max {
        (minutes - max + 59) / 60
    } else {
        0
    }
}

/// Minutes of `[start, start + dur)` that fall outside `band` in zone `tz`.
pub fn minutes_outside(start: DateTime<Utc>, dur_min: i64, tz: Tz, band: Hours) -> i64 {
    let local = start.with_timezone(&tz);
    let from = i64::from(local.hour() * 60 + local.minute());
    let mut inside = 0;
    // Walk the interval day by day in local wall-clock minutes.
    let mut day_start = -from; // minute offset (from session start) of this local midnight
    while day_start < dur_min {
        let lo = (day_start + i64::from(band.from_min)).max(0);
        let hi = (day_start + i64::from(band.to_min)).min(dur_min);
        if hi > lo {
            inside += hi - lo;
        }
        day_start += 24 * 60;
    }
    dur_min - inside
}

impl Model {
    /// Number of slots.
    pub fn n_slots(&self) -> usize {
        self.slot_start.len()
    }

    /// Number of rooms.
    pub fn n_rooms(&self) -> usize {
        self.room_capacity.len()
    }

    /// Number of interpreter teams.
    pub fn n_teams(&self) -> usize {
        self.team_day_max.len()
    }

    /// Whether sessions a (in slot ta) and b (in slot tb) run at the same time, by
    /// their real intervals.
    pub fn sessions_overlap(&self, a: usize, ta: usize, b: usize, tb: usize) -> bool {
        let (sa, sb) = (self.slot_start[ta], self.slot_start[tb]);
        sa < sb + self.sessions[b].duration && sb < sa + self.sessions[a].duration
    }

    /// Whether session s may use room r in slot t.
    pub fn room_fits(&self, s: usize, r: usize, t: usize) -> bool {
        let m = &self.sessions[s];
        if let Some((pr, pt)) = m.pinned {
            return pr == r && pt == t;
        }
        // `rooms` holds the rooms no rule forbids (capacity, hybrid, the type's rooms).
        self.room_open[r * self.n_slots() + t] && m.rooms.contains(&r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn minutes_outside_counts_both_ends_and_midnight() {
        let band = Hours {
            from_min: 9 * 60,
            to_min: 18 * 60,
        };
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        // 07:00 UTC is 16:00 in Tokyo: 16:00-17:30 inside.
        let t = Utc.with_ymd_and_hms(2025, 6, 23, 7, 0, 0).unwrap();
        assert_eq!(minutes_outside(t, 90, tokyo, band), 0);
        // 08:30 UTC = 17:30 Tokyo: 30 min inside, 60 outside.
        let t = Utc.with_ymd_and_hms(2025, 6, 23, 8, 30, 0).unwrap();
        assert_eq!(minutes_outside(t, 90, tokyo, band), 60);
        // 14:30 UTC = 23:30 Tokyo, across midnight: all outside.
        let t = Utc.with_ymd_and_hms(2025, 6, 23, 14, 30, 0).unwrap();
        assert_eq!(minutes_outside(t, 90, tokyo, band), 90);
        // 23:30 UTC = 08:30 next day Tokyo: 30 outside, 60 inside.
        let t = Utc.with_ymd_and_hms(2025, 6, 23, 23, 30, 0).unwrap();
        assert_eq!(minutes_outside(t, 90, tokyo, band), 30);
    }
}

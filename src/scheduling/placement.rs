//! Session types' placement rules turned into the slots and rooms each session may
//! take: Day 0 events on Day 0, the rest on the main days unless their type allows
//! Day 0, the opening ceremony first on the first main day and the closing ceremony
//! last on the last, and types kept to their rooms. Pure.

use chrono::NaiveDate;

use crate::meetings::models::{Days, Placement, Position};

/// A slot as the placement rules see it.
#[derive(Debug, Clone)]
pub struct SlotDay {
    /// Start, minutes since the epoch.
    pub start: i64,
    /// Length in minutes.
    pub minutes: i64,
    /// The meeting day's number (0 is Day 0).
    pub day: i32,
}

/// A session as the placement rules see it.
#[derive(Debug, Clone)]
pub struct SessionRules<'a> {
    /// Its type's name, for the words.
    pub type_name: &'a str,
    /// Its type's rules.
    pub placement: &'a Placement,
    /// Its length in minutes.
    pub minutes: i64,
}

/// What the rules leave a session, with the rules in words; `None` lists are "all".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Allowed {
    /// Indices of the slots it may start in.
    pub slots: Option<Vec<usize>>,
    /// Room ids it may use.
    pub rooms: Option<Vec<i64>>,
    /// The rules, in words.
    pub rule: Option<String>,
}

fn hhmm(start: i64, zone: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp(start * 60, 0)
        .map(|t| t.with_timezone(&zone).format("%H:%M").to_string())
        .unwrap_or_default()
}

/// The slot a ceremony of `minutes` takes on `day`: the first (opening) or the
/// last-starting (closing) that fits it.
fn ceremony_slot(slots: &[SlotDay], day: i32, minutes: i64, first: bool) -> Option<usize> {
    let fits = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.day == day && s.minutes >= minutes);
    if first {
        fits.min_by_key(|(i, s)| (s.start, *i)).map(|(i, _)| i)
    } else {
        fits.max_by_key(|(i, s)| (s.start, std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
    }
}

/// What each session may take. `days` gives the date of each day number.
pub fn allowed(
    kinds: &[SessionRules<'_>],
    slots: &[SlotDay],
    days: &[(i32, NaiveDate)],
    zone: chrono_tz::Tz,
) -> Vec<Allowed> {
    let main: Vec<i32> = days.iter().map(|d| d.0).filter(|&d| d > 0).collect();
    let (first, last) = (main.iter().min().copied(), main.iter().max().copied());
    let date = |n: Option<i32>| {
        n.and_then(|n| days.iter().find(|d| d.0 == n))
            .map(|d| d.1.format("%A %-d %B").to_string())
            .unwrap_or_else(|| "none".into())
    };
    let ceremony = |pos: Position| {
        kinds
            .iter()
            .find(|k| k.placement.position == Some(pos))
            .and_then(|k| {
                let day = if pos == Position::Opening {
                    first
                } else {
                    last
                }?;
                ceremony_slot(slots, day, k.minutes, pos == Position::Opening)
            })
    };
    let (opening, closing) = (ceremony(Position::Opening), ceremony(Position::Closing));
    kinds
        .iter()
        .map(|k| {
            let p = k.placement;
            let mut words = vec![];
            let slots_ok: Vec<usize> =
                match p.position {
                    Some(pos) => {
                        let (day, at, which) = match pos {
                            Position::Opening => (first, opening, "opens the first"),
                            Position::Closing => (last, closing, "closes the last"),
                        };
                        let mine = day.and_then(|d| {
                            ceremony_slot(slots, d, k.minutes, pos == Position::Opening)
                        });
                        words.push(match mine {
                        Some(t) => format!(
                            "the {} {which} main day ({}) in its {} slot that fits {} min, at {}",
                            k.type_name.to_lowercase(),
                            date(day),
                            if pos == Position::Opening { "first" } else { "last" },
                            k.minutes,
                            hhmm(slots[t].start, zone)
                        ),
                        None => format!(
                            "the {} {which} main day ({}), which has no slot of {} min",
                            k.type_name.to_lowercase(),
                            date(day),
                            k.minutes
                        ),
                    });
                        // A second ceremony of the same position competes for the same slot.
                        mine.or(at).into_iter().collect()
                    }
                    None => {
                        let mut ok: Vec<usize> = (0..slots.len())
                            .filter(|&t| match p.days {
                                Days::Main => slots[t].day > 0,
                                Days::DayZero => slots[t].day == 0,
                                Days::Any => true,
                            })
                            .collect();
                        words.push(match p.days {
                            Days::Main => format!("{} sessions run on the main days", k.type_name),
                            Days::DayZero if days.iter().any(|d| d.0 == 0) => format!(
                                "{} sessions run on Day 0 ({}) only",
                                k.type_name,
                                date(Some(0))
                            ),
                            Days::DayZero => format!(
                                "{} sessions run on Day 0 only, and the meeting has no Day 0",
                                k.type_name
                            ),
                            Days::Any => format!("{} sessions run on any day", k.type_name),
                        });
                        if let Some(o) = opening {
                            let before = |t: usize| {
                                slots[t].day == slots[o].day && slots[t].start < slots[o].start
                            };
                            if ok.iter().any(|&t| before(t)) {
                                ok.retain(|&t| !before(t));
                                words.push(format!(
                                    "not before the opening ceremony at {}",
                                    hhmm(slots[o].start, zone)
                                ));
                            }
                        }
                        if let Some(c) = closing {
                            let after = |t: usize| {
                                slots[t].day == slots[c].day && slots[t].start >= slots[c].start
                            };
                            if ok.iter().any(|&t| after(t)) {
                                ok.retain(|&t| !after(t));
                                words.push(format!(
                                    "not from the closing ceremony at {} on",
                                    hhmm(slots[c].start, zone)
                                ));
                            }
                        }
                        ok
                    }
                };
            let rooms = (!p.room_ids.is_empty()).then(|| p.room_ids.clone());
            if rooms.is_some() {
                words.push(format!("{} sessions use only their rooms", k.type_name));
            }
            let all = slots_ok.len() == slots.len();
            Allowed {
                slots: (!all).then_some(slots_ok),
                rule: (!all || rooms.is_some()).then(|| words.join(", ")),
                rooms,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 6, 21 + d).unwrap()
    }

    /// Two days of three 90-min slots (09:00, 11:00, 14:00 UTC) after a Day 0 of one.
    fn slots() -> Vec<SlotDay> {
        let base = chrono::NaiveDate::from_ymd_opt(2027, 6, 21)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp()
            / 60;
        let mut v = vec![SlotDay {
            start: base,
            minutes: 90,
            day: 0,
        }];
        for d in 1..=2 {
            for h in [0, 120, 300] {
                v.push(SlotDay {
                    start: base + d * 1440 + h,
                    minutes: if h == 0 { 60 } else { 90 },
                    day: d as i32,
                });
            }
        }
        v
    }

    #[test]
    fn ceremonies_open_and_close_and_the_rest_stays_between_them_on_main_days() {
        let s = slots();
        let days = [(0, day(0)), (1, day(1)), (2, day(2))];
        let (regular, zero, open, close) = (
            Placement::default(),
            Placement {
                days: Days::DayZero,
                ..Default::default()
            },
            Placement {
                position: Some(Position::Opening),
                ..Default::default()
            },
            Placement {
                position: Some(Position::Closing),
                room_ids: vec![7],
                ..Default::default()
            },
        );
        let kinds = [
            SessionRules {
                type_name: "Workshop",
                placement: &regular,
                minutes: 60,
            },
            SessionRules {
                type_name: "Day 0 event",
                placement: &zero,
                minutes: 60,
            },
            SessionRules {
                type_name: "Opening ceremony",
                placement: &open,
                minutes: 90,
            },
            SessionRules {
                type_name: "Closing ceremony",
                placement: &close,
                minutes: 60,
            },
        ];
        let a = allowed(&kinds, &s, &days, chrono_tz::UTC);
        // The opening needs 90 min: the 09:00 slot of day 1 is 60, so 11:00 (index 2).
        assert_eq!(a[2].slots, Some(vec![2]));
        assert!(
            a[2].rule.as_deref().unwrap().contains("at 11:00"),
            "{:?}",
            a[2]
        );
        // The closing takes the last slot of day 2 (index 6), in room 7.
        assert_eq!(a[3].slots, Some(vec![6]));
        assert_eq!(a[3].rooms, Some(vec![7]));
        // A workshop: not Day 0, not before 11:00 on day 1, not from 14:00 on day 2.
        assert_eq!(a[0].slots, Some(vec![2, 3, 4, 5]));
        let rule = a[0].rule.as_deref().unwrap();
        assert!(
            rule.contains("main days") && rule.contains("opening ceremony at 11:00"),
            "{rule}"
        );
        assert_eq!(a[1].slots, Some(vec![0]));
        assert!(
            a[1].rule
                .as_deref()
                .unwrap()
                .contains("Day 0 (Monday 21 June)")
        );
    }

    #[test]
    fn without_a_day_0_its_events_have_nowhere_to_go_and_types_of_any_day_are_free() {
        let s: Vec<SlotDay> = slots().into_iter().filter(|x| x.day > 0).collect();
        let days = [(1, day(1)), (2, day(2))];
        let zero = Placement {
            days: Days::DayZero,
            ..Default::default()
        };
        let any = Placement {
            days: Days::Any,
            ..Default::default()
        };
        let kinds = [
            SessionRules {
                type_name: "Day 0 event",
                placement: &zero,
                minutes: 60,
            },
            SessionRules {
                type_name: "Networking",
                placement: &any,
                minutes: 60,
            },
        ];
        let a = allowed(&kinds, &s, &days, chrono_tz::UTC);
        assert_eq!(a[0].slots, Some(vec![]));
        assert!(a[0].rule.as_deref().unwrap().contains("has no Day 0"));
        assert_eq!(a[1], Allowed::default());
    }
}

//! A VTIMEZONE for a zone over a window of dates, built from the tz database
//! (chrono-tz): one observance per offset change found in the window, each with the
//! local time it starts at on the old clock, its offsets and its abbreviation. Nothing
//! is hard-coded, so any zone and any DST rule come out right.

use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use ical::parser::ical::component::{
    IcalTimeZone, IcalTimeZoneTransition, IcalTimeZoneTransitionType,
};

use super::ics::prop;

#[derive(Debug, Clone, PartialEq)]
struct Phase {
    total: i32,
    dst: bool,
    name: String,
}

fn phase(tz: Tz, t: DateTime<Utc>) -> Phase {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    Phase {
        total: o.fix().local_minus_utc(),
        dst: o.dst_offset() != Duration::zero(),
        name: o.abbreviation().unwrap_or("").to_string(),
    }
}

/// `+HHMM` / `-HHMM`.
fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// The instants in `[from, to)` where the zone's offset, DST flag or name changes.
pub fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut out = vec![];
    let mut t = from;
    let mut before = phase(tz, t);
    while t < to {
        let next = (t + Duration::hours(1)).min(to);
        let after = phase(tz, next);
        if after != before {
            // Narrow down to the second.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if phase(tz, mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(hi);
            before = after;
        }
        t = next;
    }
    out
}

fn observance(p: &Phase, from: i32, start_local: chrono::NaiveDateTime) -> IcalTimeZoneTransition {
    let mut t = IcalTimeZoneTransition::new(if p.dst {
        IcalTimeZoneTransitionType::DAYLIGHT
    } else {
        IcalTimeZoneTransitionType::STANDARD
    });
    t.properties.push(prop(
        "DTSTART",
        start_local.format("%Y%m%dT%H%M%S").to_string(),
    ));
    t.properties.push(prop("TZOFFSETFROM", offset(from)));
    t.properties.push(prop("TZOFFSETTO", offset(p.total)));
    if !p.name.is_empty() {
        t.properties
            .push(prop("TZNAME", super::ics::escape_text(&p.name)));
    }
    t
}

/// The VTIMEZONE of `tz` valid for every instant in `[from, to]`.
pub fn vtimezone(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> IcalTimeZone {
    let mut z = IcalTimeZone::new();
    z.properties.push(prop("TZID", tz.name()));
    let first = phase(tz, from);
    z.transitions.push(observance(
        &first,
        first.total,
        (from + Duration::seconds(i64::from(first.total))).naive_utc(),
    ));
    let mut prev = first.total;
    for t in transitions(tz, from, to) {
        let p = phase(tz, t);
        // DTSTART is the local time on the clock that was in force before the change.
        let local = (t + Duration::seconds(i64::from(prev))).naive_utc();
        z.transitions.push(observance(&p, prev, local));
        prev = p.total;
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn text(z: &IcalTimeZone) -> Vec<Vec<(String, String)>> {
        z.transitions
            .iter()
            .map(|t| {
                t.properties
                    .iter()
                    .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn oslo_in_june_has_one_summer_observance() {
        let z = vtimezone(
            chrono_tz::Europe::Oslo,
            at("2027-06-14T00:00:00Z"),
            at("2027-07-02T00:00:00Z"),
        );
        let t = text(&z);
        assert_eq!(t.len(), 1);
        assert!(matches!(
            z.transitions[0].transition,
            IcalTimeZoneTransitionType::DAYLIGHT
        ));
        assert!(t[0].contains(&("TZOFFSETTO".into(), "+0200".into())));
        assert!(t[0].contains(&("TZNAME".into(), "CEST".into())));
    }

    #[test]
    fn a_meeting_across_the_october_change_gets_both_clocks() {
        // Europe/Oslo leaves summer time on 2027-10-31 at 01:00 UTC (03:00 CEST).
        let z = vtimezone(
            chrono_tz::Europe::Oslo,
            at("2027-10-28T00:00:00Z"),
            at("2027-11-04T00:00:00Z"),
        );
        let t = text(&z);
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(
            t[1],
            vec![
                ("DTSTART".to_string(), "20271031T030000".to_string()),
                ("TZOFFSETFROM".to_string(), "+0200".to_string()),
                ("TZOFFSETTO".to_string(), "+0100".to_string()),
                ("TZNAME".to_string(), "CET".to_string()),
            ]
        );
        assert!(matches!(
            z.transitions[1].transition,
            IcalTimeZoneTransitionType::STANDARD
        ));
    }

    #[test]
    fn southern_and_half_hour_zones_come_out_of_the_database() {
        // Adelaide (+10:30 in summer) starts daylight time on 2027-10-03 at 02:00 local.
        let t = transitions(
            chrono_tz::Australia::Adelaide,
            at("2027-09-01T00:00:00Z"),
            at("2027-11-01T00:00:00Z"),
        );
        assert_eq!(t, vec![at("2027-10-02T16:30:00Z")]);
        assert_eq!(offset(37800), "+1030");
        assert_eq!(offset(-12600), "-0330");
    }
}

//! Time at the edges: parsing IANA zones, turning venue-local wall-clock times into UTC
//! instants (across DST changes), and showing instants in a zone. Everything inside the
//! service computes in `DateTime<Utc>`.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// Why a local time could not be placed on the UTC line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    /// The zone name is not in the tz database.
    #[error("{0:?} is not an IANA time zone name (e.g. Europe/Oslo)")]
    UnknownZone(String),
    /// The wall-clock time is skipped by a DST change in that zone.
    #[error(
        "{time} on {date} does not exist in {zone}: the clocks skip it for daylight saving time"
    )]
    Skipped {
        /// The local date.
        date: NaiveDate,
        /// The local time.
        time: NaiveTime,
        /// The zone.
        zone: String,
    },
}

/// Parses an IANA zone name such as `Asia/Tokyo`.
pub fn parse_zone(name: &str) -> Result<Tz, LocalTimeError> {
    name.parse::<Tz>()
        .map_err(|_| LocalTimeError::UnknownZone(name.to_string()))
}

/// A zone read back from the database, where only valid IANA names are written: one
/// that does not parse is the service's fault (500), not the client's.
pub fn stored_zone(name: &str) -> Result<Tz, crate::error::ApiError> {
    name.parse::<Tz>().map_err(|_| {
        crate::error::ApiError::Internal(anyhow::anyhow!("stored zone {name:?} is not IANA"))
    })
}

/// The UTC instant of a wall-clock time in a zone. An ambiguous time (clocks turned
/// back) resolves to the earlier instant, which is when a meeting starting then begins.
pub fn local_to_utc(
    date: NaiveDate,
    time: NaiveTime,
    zone: Tz,
) -> Result<DateTime<Utc>, LocalTimeError> {
    match zone.from_local_datetime(&date.and_time(time)) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(early, _) => Ok(early.with_timezone(&Utc)),
        LocalResult::None => Err(LocalTimeError::Skipped {
            date,
            time,
            zone: zone.name().to_string(),
        }),
    }
}

/// A UTC instant as stored (naive, UTC by convention) turned back into `DateTime<Utc>`.
pub fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

/// An instant as the database stores it.
pub fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

/// An instant shown both in UTC and in a zone's local time (RFC 3339 with offset).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Instant {
    /// RFC 3339 in UTC, ending in `Z`.
    pub utc: String,
    /// RFC 3339 with the zone's offset at that instant.
    pub local: String,
    /// The IANA zone of `local`.
    pub zone: String,
}

/// Shows an instant in UTC and in the given zone.
pub fn show(t: DateTime<Utc>, zone: Tz) -> Instant {
    Instant {
        utc: t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        local: t
            .with_timezone(&zone)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        zone: zone.name().to_string(),
    }
}

/// An instant as RFC 3339 in a zone, whole seconds (`Z` for UTC itself).
pub fn rfc3339(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The current instant, truncated to whole seconds so that stored and shown values agree.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }
    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    #[test]
    fn nine_in_oslo_moves_in_utc_across_the_autumn_change() {
        let oslo = parse_zone("Europe/Oslo").unwrap_or(Tz::UTC);
        // DST ends on 26 October 2025 at 03:00 local.
        let before = local_to_utc(d(2025, 10, 25), t(9, 0), oslo);
        let after = local_to_utc(d(2025, 10, 27), t(9, 0), oslo);
        assert_eq!(
            before.map(|x| x.to_rfc3339()),
            Ok("2025-10-25T07:00:00+00:00".to_string())
        );
        assert_eq!(
            after.map(|x| x.to_rfc3339()),
            Ok("2025-10-27T08:00:00+00:00".to_string())
        );
    }

    #[test]
    fn a_skipped_spring_time_is_an_error_naming_it() {
        let oslo = parse_zone("Europe/Oslo").unwrap_or(Tz::UTC);
        let e = local_to_utc(d(2025, 3, 30), t(2, 30), oslo);
        assert!(matches!(e, Err(LocalTimeError::Skipped { .. })), "{e:?}");
    }

    #[test]
    fn an_ambiguous_autumn_time_takes_the_earlier_instant() {
        let oslo = parse_zone("Europe/Oslo").unwrap_or(Tz::UTC);
        let r = local_to_utc(d(2025, 10, 26), t(2, 30), oslo).map(|x| x.to_rfc3339());
        assert_eq!(r, Ok("2025-10-26T00:30:00+00:00".to_string()));
    }

    #[test]
    fn unknown_zones_are_refused() {
        assert!(parse_zone("Mars/Olympus_Mons").is_err());
        assert!(parse_zone("Asia/Tokyo").is_ok());
    }

    #[test]
    fn show_gives_utc_and_local_with_offset() {
        let tokyo = parse_zone("Asia/Tokyo").unwrap_or(Tz::UTC);
        let i = show(Utc.with_ymd_and_hms(2025, 6, 23, 7, 0, 0).unwrap(), tokyo);
        assert_eq!(i.utc, "2025-06-23T07:00:00Z");
        assert_eq!(i.local, "2025-06-23T16:00:00+09:00");
    }
}

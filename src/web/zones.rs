//! The zones a visitor may view the programme in: any IANA name the tz database knows,
//! with the old spellings browsers still report (their time zone data keeps some names
//! the tz database has renamed since) read as the current name.

use chrono_tz::Tz;

/// Names the tz database has renamed, as `(old, current)`: each old name is the same
/// place under an earlier spelling, so a visitor is shown the current one.
const RENAMED: [(&str, &str); 18] = [
    ("Africa/Asmera", "Africa/Asmara"),
    ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("America/Catamarca", "America/Argentina/Catamarca"),
    ("America/Cordoba", "America/Argentina/Cordoba"),
    ("America/Godthab", "America/Nuuk"),
    ("America/Indianapolis", "America/Indiana/Indianapolis"),
    ("America/Jujuy", "America/Argentina/Jujuy"),
    ("America/Louisville", "America/Kentucky/Louisville"),
    ("America/Mendoza", "America/Argentina/Mendoza"),
    ("Asia/Calcutta", "Asia/Kolkata"),
    ("Asia/Katmandu", "Asia/Kathmandu"),
    ("Asia/Rangoon", "Asia/Yangon"),
    ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
    ("Atlantic/Faeroe", "Atlantic/Faroe"),
    ("Europe/Kiev", "Europe/Kyiv"),
    ("Pacific/Enderbury", "Pacific/Kanton"),
    ("Pacific/Ponape", "Pacific/Pohnpei"),
    ("Pacific/Truk", "Pacific/Chuuk"),
];

/// The zone a visitor asked for, under its current name; `None` when the tz database
/// does not know the name.
pub fn canonical(name: &str) -> Option<Tz> {
    let name = name.trim();
    let current = RENAMED
        .iter()
        .find(|(old, _)| *old == name)
        .map_or(name, |(_, new)| new);
    current.parse::<Tz>().ok()
}

/// The old spellings read as a current name.
pub fn renamed() -> impl Iterator<Item = &'static str> {
    RENAMED.iter().map(|(old, _)| *old)
}

/// Every zone a visitor can pick, current names only, in the tz database's order.
pub fn choices() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name())
        .filter(|n| !RENAMED.iter().any(|(old, _)| old == n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Offset, TimeZone, Utc};

    #[test]
    fn an_old_spelling_is_the_same_place_under_its_current_name() {
        assert_eq!(canonical("Asia/Katmandu"), Some(Tz::Asia__Kathmandu));
        assert_eq!(canonical(" Asia/Kathmandu "), Some(Tz::Asia__Kathmandu));
        assert_eq!(canonical("Nowhere/City"), None);
        // Each rename keeps the offsets: sampled monthly from 1990 to 2037.
        for (old, new) in RENAMED {
            let (a, b): (Tz, Tz) = (old.parse().unwrap(), new.parse().unwrap());
            for month in 0..(48 * 12) {
                let t = Utc
                    .with_ymd_and_hms(1990 + month / 12, (month % 12) as u32 + 1, 1, 12, 0, 0)
                    .unwrap();
                assert_eq!(
                    t.with_timezone(&a).offset().fix(),
                    t.with_timezone(&b).offset().fix(),
                    "{old} and {new} at {t}"
                );
            }
            assert!(!choices().any(|c| c == old));
            assert!(choices().any(|c| c == new));
        }
    }
}

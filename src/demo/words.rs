//! The demo's fixed vocabulary (names, topics, zones, themes, comments) and how it is
//! drawn from.

use crate::proposals::types::RegionalGroup;

/// The seed every demo draw starts from.
pub const SEED: u64 = 20_270_615;

pub const FIRST: &[&str] = &[
    "Amina",
    "Bilal",
    "Carmen",
    "Dmitri",
    "Esi",
    "Farhan",
    "Grace",
    "Hiroshi",
    "Ines",
    "Jomo",
    "Kavya",
    "Luis",
    "Mei",
    "Nadia",
    "Olu",
    "Priya",
    "Quang",
    "Rania",
    "Sipho",
    "Tamar",
    "Usman",
    "Valentina",
    "Wanjiru",
    "Xavier",
    "Yara",
    "Zeynep",
    "Anders",
    "Beatriz",
    "Chidi",
    "Dalia",
    "Emeka",
    "Fatima",
    "Goran",
    "Hana",
    "Ivan",
    "Juana",
];
pub const LAST: &[&str] = &[
    "Abebe",
    "Baptiste",
    "Chen",
    "Da Silva",
    "Eriksen",
    "Fernandes",
    "Gupta",
    "Haddad",
    "Ibrahim",
    "Jansen",
    "Kowalski",
    "Lopez",
    "Mensah",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Santos",
    "Tanaka",
    "Usman",
    "Vargas",
    "Wang",
    "Yilmaz",
    "Zulu",
    "Andersen",
    "Banda",
    "Cruz",
    "Dlamini",
    "Hansen",
];
pub const TOPICS: &[&str] = &[
    "AI governance",
    "data flows",
    "digital public infrastructure",
    "child online safety",
    "submarine cables",
    "community networks",
    "platform accountability",
    "cybersecurity norms",
    "open standards",
    "digital identity",
    "content moderation",
    "internet fragmentation",
    "green computing",
    "meaningful connectivity",
    "disinformation",
    "multilingual internet",
    "encryption",
    "spectrum policy",
    "digital trade",
    "online gender-based violence",
];
pub const ANGLES: &[&str] = &[
    "for small island states",
    "in the Global South",
    "after the WSIS+20 review",
    "for local languages",
    "and human rights",
    "by design",
    "beyond the capitals",
    "for youth",
    "and the SDGs",
    "in crisis settings",
];
/// Zones people live in, by regional group.
pub const ZONES: &[(RegionalGroup, &[(&str, &str)])] = &[
    (
        RegionalGroup::African,
        &[
            ("Africa/Nairobi", "KE"),
            ("Africa/Lagos", "NG"),
            ("Africa/Johannesburg", "ZA"),
            ("Africa/Accra", "GH"),
        ],
    ),
    (
        RegionalGroup::AsiaPacific,
        &[
            ("Asia/Kolkata", "IN"),
            ("Asia/Tokyo", "JP"),
            ("Asia/Jakarta", "ID"),
            ("Pacific/Auckland", "NZ"),
        ],
    ),
    (
        RegionalGroup::EasternEuropean,
        &[
            ("Europe/Warsaw", "PL"),
            ("Europe/Kyiv", "UA"),
            ("Europe/Bucharest", "RO"),
        ],
    ),
    (
        RegionalGroup::Grulac,
        &[
            ("America/Sao_Paulo", "BR"),
            ("America/Mexico_City", "MX"),
            ("America/Bogota", "CO"),
        ],
    ),
    (
        RegionalGroup::Weog,
        &[
            ("Europe/Oslo", "NO"),
            ("Europe/Berlin", "DE"),
            ("America/New_York", "US"),
            ("Europe/London", "GB"),
        ],
    ),
];
pub const THEMES: &[(&str, f64)] = &[
    ("Innovation and risk in the digital space", 0.25),
    ("Digital trust, security and resilience", 0.25),
    ("Universal access and digital rights", 0.25),
    ("Digital cooperation and sustainable development", 0.25),
];
pub const DEVELOPING: &[&str] = &["KE", "NG", "GH", "IN", "ID", "BR", "MX", "CO", "ZA", "UA"];

pub const COMMENTS: &[&str] = &[
    "",
    "",
    "Strong policy questions; the line-up could be more varied.",
    "Clear format, good hybrid plan.",
    "Overlaps with other proposals on the same topic.",
    "Speakers not yet confirmed.",
    "Very relevant to the theme.",
];

pub fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

//! Screening: the secretariat's minimum rules a proposal must meet to be submitted
//! (DOMAIN.md, the 2023 minimum), each switchable per meeting. Pure: it sees plain data
//! and returns every failed rule with the field to fix, so a proposer fixes all at once.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::types::{ParticipantRole, Participation};
use crate::error::FieldError;

/// Which screening rules a meeting applies, with their limits. A limit of `null`
/// switches its rule off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreeningRules {
    /// Every field the form asks for is filled, for the proposal and each person.
    pub required_fields: bool,
    /// At least this many distinct speakers.
    pub min_speakers: Option<u32>,
    /// At least one speaker of a different (disclosed) gender from the rest.
    pub speaker_gender_mix: bool,
    /// At least one moderator who is onsite.
    pub onsite_moderator: bool,
    /// At least this many speakers onsite.
    pub min_onsite_speakers: Option<u32>,
    /// An online moderator whenever any speaker is online.
    pub online_moderator_for_online_speakers: bool,
    /// At most this many submitted proposals per person as organiser.
    pub max_proposals_per_organiser: Option<u32>,
    /// At most this many submitted proposals per organisation as organiser.
    pub max_proposals_per_organisation: Option<u32>,
    /// No MAG member (evaluator account) as proposer or organiser.
    pub no_mag_proposer: bool,
    /// A past organiser links the report of their earlier session.
    pub past_report_filed: bool,
    /// The duration is one the session type allows.
    pub duration_allowed: bool,
    /// Submission and edits only inside the call-for-proposals window.
    pub within_window: bool,
}

impl Default for ScreeningRules {
    fn default() -> Self {
        ScreeningRules {
            required_fields: true,
            min_speakers: Some(3),
            speaker_gender_mix: true,
            onsite_moderator: true,
            min_onsite_speakers: Some(2),
            online_moderator_for_online_speakers: true,
            max_proposals_per_organiser: Some(3),
            max_proposals_per_organisation: Some(3),
            no_mag_proposer: true,
            past_report_filed: true,
            duration_allowed: true,
            within_window: true,
        }
    }
}

/// A change to a meeting's screening rules: only the rules it names change; a limit
/// given as `null` switches its rule off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreeningPatch {
    /// See [`ScreeningRules::required_fields`].
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub required_fields: Option<bool>,
    /// See [`ScreeningRules::min_speakers`].
    #[serde(deserialize_with = "super::types::double_option")]
    pub min_speakers: Option<Option<u32>>,
    /// See [`ScreeningRules::speaker_gender_mix`].
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub speaker_gender_mix: Option<bool>,
    /// See [`ScreeningRules::onsite_moderator`].
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub onsite_moderator: Option<bool>,
    /// See [`ScreeningRules::min_onsite_speakers`].
    #[serde(deserialize_with = "super::types::double_option")]
    pub min_onsite_speakers: Option<Option<u32>>,
    /// See [`ScreeningRules::online_moderator_for_online_speakers`].
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub online_moderator_for_online_speakers: Option<bool>,
    /// See [`ScreeningRules::max_proposals_per_organiser`].
    #[serde(deserialize_with = "super::types::double_option")]
    pub max_proposals_per_organiser: Option<Option<u32>>,
    /// See [`ScreeningRules::max_proposals_per_organisation`].
    #[serde(deserialize_with = "super::types::double_option")]
    pub max_proposals_per_organisation: Option<Option<u32>>,
    /// See [`ScreeningRules::no_mag_proposer`].
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub no_mag_proposer: Option<bool>,
    /// See [`ScreeningRules::past_report_filed`].
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub past_report_filed: Option<bool>,
    /// See [`ScreeningRules::duration_allowed`].
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub duration_allowed: Option<bool>,
    /// See [`ScreeningRules::within_window`].
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub within_window: Option<bool>,
}

impl ScreeningPatch {
    /// The rules `base` becomes with this change.
    pub fn apply(&self, base: &ScreeningRules) -> ScreeningRules {
        ScreeningRules {
            required_fields: self.required_fields.unwrap_or(base.required_fields),
            min_speakers: self.min_speakers.unwrap_or(base.min_speakers),
            speaker_gender_mix: self.speaker_gender_mix.unwrap_or(base.speaker_gender_mix),
            onsite_moderator: self.onsite_moderator.unwrap_or(base.onsite_moderator),
            min_onsite_speakers: self.min_onsite_speakers.unwrap_or(base.min_onsite_speakers),
            online_moderator_for_online_speakers: self
                .online_moderator_for_online_speakers
                .unwrap_or(base.online_moderator_for_online_speakers),
            max_proposals_per_organiser: self
                .max_proposals_per_organiser
                .unwrap_or(base.max_proposals_per_organiser),
            max_proposals_per_organisation: self
                .max_proposals_per_organisation
                .unwrap_or(base.max_proposals_per_organisation),
            no_mag_proposer: self.no_mag_proposer.unwrap_or(base.no_mag_proposer),
            past_report_filed: self.past_report_filed.unwrap_or(base.past_report_filed),
            duration_allowed: self.duration_allowed.unwrap_or(base.duration_allowed),
            within_window: self.within_window.unwrap_or(base.within_window),
        }
    }
}

/// One person on the proposal, as screening sees them.
#[derive(Debug, Clone, Default)]
pub struct Person {
    /// Role on the proposal.
    pub role: Option<ParticipantRole>,
    /// Name.
    pub name: String,
    /// Email, normalised.
    pub email: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// Stakeholder group (any representation; only presence matters here).
    pub stakeholder_group: Option<String>,
    /// Regional group.
    pub regional_group: Option<String>,
    /// Gender.
    pub gender: Option<String>,
    /// IANA zone.
    pub timezone: Option<String>,
    /// Onsite or online.
    pub participation: Option<Participation>,
}

/// The proposal as screening sees it.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Policy questions.
    pub policy_questions: Vec<String>,
    /// Whether a theme is chosen.
    pub has_theme: bool,
    /// Session type code, when chosen.
    pub session_type: Option<String>,
    /// Duration in minutes.
    pub duration_min: Option<i32>,
    /// Format.
    pub format: Option<String>,
    /// Expected outcomes.
    pub expected_outcomes: String,
    /// Plan for hybrid interaction.
    pub hybrid_plan: String,
    /// Whether the proposer organised an IGF session before.
    pub past_organiser: bool,
    /// Link to the report of that session.
    pub previous_report_url: Option<String>,
    /// The people.
    pub participants: Vec<Person>,
}

/// What screening needs to know beyond the proposal itself.
#[derive(Debug, Clone)]
pub struct Context {
    /// The meeting's rules.
    pub rules: ScreeningRules,
    /// The instant of the check.
    pub now: DateTime<Utc>,
    /// The call window, opening and closing instants.
    pub window: (DateTime<Utc>, DateTime<Utc>),
    /// Durations allowed by the chosen session type, when it is known.
    pub allowed_durations: Option<Vec<i32>>,
    /// Whether the proposing account is a MAG member.
    pub proposer_is_mag: bool,
    /// Emails of MAG members, normalised.
    pub mag_emails: HashSet<String>,
    /// For each organiser email, other submitted proposals where they organise.
    pub other_by_organiser: HashMap<String, u32>,
    /// For each organisation (normalised), other submitted proposals it organises.
    pub other_by_organisation: HashMap<String, u32>,
    /// Reports that sessions of earlier meetings on this installation still owe, found
    /// by the proposing account or by an organiser's email.
    pub missing_reports: Vec<MissingReport>,
}

/// A report an earlier session still owes: past its deadline and not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingReport {
    /// The organiser's email (normalised) it was found by; none for the account that
    /// proposed that session.
    pub email: Option<String>,
    /// The session's title.
    pub title: String,
    /// Its meeting's name.
    pub meeting: String,
    /// `short` or `full`.
    pub kind: &'static str,
    /// When it was due, as the proposer reads it.
    pub due: String,
}

/// Normalises an organisation name for counting.
pub fn organisation_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Checks a proposal against the meeting's rules; empty means it passes.
pub fn screen(d: &Draft, ctx: &Context) -> Vec<FieldError> {
    let r = &ctx.rules;
    let mut out = Vec::new();
    let mut fail = |field: String, rule: &str, message: String| {
        out.push(FieldError::new(field, rule, message))
    };

    if r.within_window {
        let (opens, closes) = ctx.window;
        if ctx.now < opens {
            fail(
                "".into(),
                "within_window",
                format!("the call opens at {}", opens.to_rfc3339()),
            );
        } else if ctx.now > closes {
            fail(
                "".into(),
                "within_window",
                format!("the call closed at {}", closes.to_rfc3339()),
            );
        }
    }

    if r.required_fields {
        let need = |ok: bool, field: &str, what: &str, f: &mut dyn FnMut(String, &str, String)| {
            if !ok {
                f(field.into(), "required", format!("{what} is required"));
            }
        };
        need(!blank(&d.title), "title", "a title", &mut fail);
        need(
            !blank(&d.description),
            "description",
            "a description",
            &mut fail,
        );
        need(
            d.policy_questions.iter().any(|q| !blank(q)),
            "policy_questions",
            "at least one policy question",
            &mut fail,
        );
        need(d.has_theme, "theme_id", "a theme", &mut fail);
        need(
            d.session_type.is_some(),
            "session_type",
            "a session type",
            &mut fail,
        );
        need(
            d.duration_min.is_some(),
            "duration_min",
            "a duration",
            &mut fail,
        );
        need(d.format.is_some(), "format", "a format", &mut fail);
        need(
            !blank(&d.expected_outcomes),
            "expected_outcomes",
            "the expected outcomes",
            &mut fail,
        );
        need(
            !blank(&d.hybrid_plan),
            "hybrid_plan",
            "a plan for onsite and online interaction",
            &mut fail,
        );
        if !d
            .participants
            .iter()
            .any(|p| p.role == Some(ParticipantRole::Organiser))
        {
            fail(
                "participants".into(),
                "required",
                "at least one organiser is required".into(),
            );
        }
        for (i, p) in d.participants.iter().enumerate() {
            let f = |name: &str| format!("participants[{i}].{name}");
            let who = if blank(&p.name) {
                format!("participant {}", i + 1)
            } else {
                p.name.clone()
            };
            let missing: [(&str, bool); 7] = [
                ("organisation", p.organisation.as_deref().is_none_or(blank)),
                ("country", p.country.is_none()),
                ("stakeholder_group", p.stakeholder_group.is_none()),
                ("regional_group", p.regional_group.is_none()),
                ("gender", p.gender.is_none()),
                ("timezone", p.timezone.is_none()),
                ("participation", p.participation.is_none()),
            ];
            for (name, is_missing) in missing {
                if is_missing {
                    fail(
                        f(name),
                        "required",
                        format!("{who}: {} is required", name.replace('_', " ")),
                    );
                }
            }
            if p.role == Some(ParticipantRole::Organiser) && p.email.is_none() {
                fail(
                    f("email"),
                    "required",
                    format!("{who}: organisers need an email address"),
                );
            }
        }
    }

    let speakers: Vec<(usize, &Person)> = d
        .participants
        .iter()
        .enumerate()
        .filter(|(_, p)| p.role == Some(ParticipantRole::Speaker))
        .collect();
    let mut distinct = HashSet::new();
    for (_, p) in &speakers {
        distinct.insert(
            p.email
                .clone()
                .unwrap_or_else(|| p.name.trim().to_lowercase()),
        );
    }

    if let Some(n) = r.min_speakers
        && (distinct.len() as u32) < n
    {
        fail(
            "participants".into(),
            "min_speakers",
            format!(
                "at least {n} speakers are required; there are {}",
                distinct.len()
            ),
        );
    }
    if r.speaker_gender_mix && !speakers.is_empty() {
        let genders: HashSet<&str> = speakers
            .iter()
            .filter_map(|(_, p)| p.gender.as_deref())
            .filter(|g| *g != "undisclosed")
            .collect();
        if genders.len() < 2 {
            fail(
                "participants".into(),
                "speaker_gender_mix",
                "at least one speaker must be of a different gender from the others".into(),
            );
        }
    }
    if r.onsite_moderator
        && !d.participants.iter().any(|p| {
            matches!(p.role, Some(ParticipantRole::OnsiteModerator))
                && p.participation == Some(Participation::Onsite)
        })
    {
        fail(
            "participants".into(),
            "onsite_moderator",
            "an onsite moderator who takes part onsite is required".into(),
        );
    }
    if let Some(n) = r.min_onsite_speakers {
        let onsite = speakers
            .iter()
            .filter(|(_, p)| p.participation == Some(Participation::Onsite))
            .count() as u32;
        if onsite < n {
            fail(
                "participants".into(),
                "min_onsite_speakers",
                format!("at least {n} speakers must be onsite; there are {onsite}"),
            );
        }
    }
    if r.online_moderator_for_online_speakers
        && speakers
            .iter()
            .any(|(_, p)| p.participation == Some(Participation::Online))
        && !d
            .participants
            .iter()
            .any(|p| p.role == Some(ParticipantRole::OnlineModerator))
    {
        fail(
            "participants".into(),
            "online_moderator",
            "a speaker takes part online, so an online moderator is required".into(),
        );
    }

    let organisers: Vec<(usize, &Person)> = d
        .participants
        .iter()
        .enumerate()
        .filter(|(_, p)| p.role == Some(ParticipantRole::Organiser))
        .collect();
    if let Some(cap) = r.max_proposals_per_organiser {
        let mut seen = HashSet::new();
        for (i, p) in &organisers {
            if let Some(e) = &p.email {
                let others = ctx.other_by_organiser.get(e).copied().unwrap_or(0);
                if seen.insert(e.clone()) && others + 1 > cap {
                    fail(
                        format!("participants[{i}].email"),
                        "max_proposals_per_organiser",
                        format!(
                            "{} already organises {others} submitted proposals; at most {cap} are allowed",
                            p.name
                        ),
                    );
                }
            }
        }
    }
    if let Some(cap) = r.max_proposals_per_organisation {
        let mut seen = HashSet::new();
        for (i, p) in &organisers {
            if let Some(o) = p.organisation.as_deref().filter(|o| !blank(o)) {
                let key = organisation_key(o);
                let others = ctx.other_by_organisation.get(&key).copied().unwrap_or(0);
                if seen.insert(key) && others + 1 > cap {
                    fail(
                        format!("participants[{i}].organisation"),
                        "max_proposals_per_organisation",
                        format!(
                            "{o} already organises {others} submitted proposals; at most {cap} are allowed"
                        ),
                    );
                }
            }
        }
    }
    if r.no_mag_proposer {
        if ctx.proposer_is_mag {
            fail(
                "".into(),
                "no_mag_proposer",
                "MAG members may not propose sessions".into(),
            );
        }
        for (i, p) in &organisers {
            if p.email.as_ref().is_some_and(|e| ctx.mag_emails.contains(e)) {
                fail(
                    format!("participants[{i}].email"),
                    "no_mag_proposer",
                    format!("{} is a MAG member and may not organise a proposal", p.name),
                );
            }
        }
    }
    if r.past_report_filed {
        // This installation's own records first: a report filed elsewhere cannot
        // stand in for one this installation's sessions still owe.
        let mut told = HashSet::new();
        for m in &ctx.missing_reports {
            let field = match &m.email {
                None => String::new(),
                Some(e) => match d.participants.iter().position(|p| {
                    p.role == Some(ParticipantRole::Organiser)
                        && p.email
                            .as_deref()
                            .map(crate::validate::normalise_email)
                            .as_ref()
                            == Some(e)
                }) {
                    Some(i) => format!("participants[{i}].email"),
                    None => continue,
                },
            };
            if told.insert((m.title.clone(), m.meeting.clone(), m.kind)) {
                fail(
                    field,
                    "past_report_filed",
                    format!(
                        "the {} report of “{}” ({}), due {}, has not been accepted; its organisers may propose again once it is",
                        m.kind, m.title, m.meeting, m.due
                    ),
                );
            }
        }
    }
    if r.past_report_filed && d.past_organiser && d.previous_report_url.as_deref().is_none_or(blank)
    {
        fail(
            "previous_report_url".into(),
            "past_report_filed",
            "past organisers must link the report of their earlier session".into(),
        );
    }
    if r.duration_allowed
        && let (Some(dur), Some(allowed)) = (d.duration_min, &ctx.allowed_durations)
        && !allowed.contains(&dur)
    {
        let list: Vec<String> = allowed.iter().map(|m| m.to_string()).collect();
        fail(
            "duration_min".into(),
            "duration_allowed",
            format!(
                "{dur} minutes is not allowed for {}; choose {} minutes",
                d.session_type.as_deref().unwrap_or("this type"),
                list.join(", ")
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn person(role: ParticipantRole, name: &str, gender: &str, part: Participation) -> Person {
        Person {
            role: Some(role),
            name: name.into(),
            email: Some(format!("{}@example.org", name.to_lowercase())),
            organisation: Some(format!("Org of {name}")),
            country: Some("KE".into()),
            stakeholder_group: Some("civil_society".into()),
            regional_group: Some("african".into()),
            gender: Some(gender.into()),
            timezone: Some("Africa/Nairobi".into()),
            participation: Some(part),
        }
    }

    fn good() -> Draft {
        use ParticipantRole::*;
        use Participation::*;
        Draft {
            title: "Data governance for the rest of us".into(),
            description: "What goes wrong when data rules are written far away.".into(),
            policy_questions: vec!["Who decides?".into()],
            has_theme: true,
            session_type: Some("workshop".into()),
            duration_min: Some(60),
            format: Some("roundtable".into()),
            expected_outcomes: "A report.".into(),
            hybrid_plan: "One queue for hands, onsite and online.".into(),
            past_organiser: false,
            previous_report_url: None,
            participants: vec![
                person(Organiser, "Amina", "female", Onsite),
                person(Speaker, "Ben", "male", Onsite),
                person(Speaker, "Chen", "female", Onsite),
                person(Speaker, "Dara", "non_binary", Online),
                person(OnsiteModerator, "Eve", "female", Onsite),
                person(OnlineModerator, "Femi", "male", Online),
            ],
        }
    }

    fn ctx() -> Context {
        Context {
            rules: ScreeningRules::default(),
            now: Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap(),
            window: (
                Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2025, 3, 16, 23, 59, 0).unwrap(),
            ),
            allowed_durations: Some(vec![60, 90]),
            proposer_is_mag: false,
            mag_emails: HashSet::new(),
            other_by_organiser: HashMap::new(),
            other_by_organisation: HashMap::new(),
            missing_reports: vec![],
        }
    }

    fn rules_failed(d: &Draft, c: &Context) -> Vec<String> {
        screen(d, c).into_iter().map(|e| e.rule).collect()
    }

    #[test]
    fn a_complete_proposal_passes() {
        assert_eq!(screen(&good(), &ctx()), vec![]);
    }

    #[test]
    fn an_empty_draft_fails_every_rule_at_once_with_field_paths() {
        let d = Draft {
            participants: vec![Person {
                name: "X".into(),
                ..Person::default()
            }],
            ..Draft::default()
        };
        let errs = screen(&d, &ctx());
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "title",
            "description",
            "policy_questions",
            "theme_id",
            "session_type",
            "participants[0].gender",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        let rules: Vec<&str> = errs.iter().map(|e| e.rule.as_str()).collect();
        for r in [
            "required",
            "min_speakers",
            "onsite_moderator",
            "min_onsite_speakers",
        ] {
            assert!(rules.contains(&r), "{r} missing from {rules:?}");
        }
    }

    #[test]
    fn speakers_of_one_gender_fail_the_mix_rule_and_undisclosed_does_not_count() {
        let mut d = good();
        for p in d
            .participants
            .iter_mut()
            .filter(|p| p.role == Some(ParticipantRole::Speaker))
        {
            p.gender = Some("male".into());
        }
        d.participants[3].gender = Some("undisclosed".into());
        assert_eq!(rules_failed(&d, &ctx()), vec!["speaker_gender_mix"]);
    }

    #[test]
    fn an_online_speaker_needs_an_online_moderator() {
        let mut d = good();
        d.participants
            .retain(|p| p.role != Some(ParticipantRole::OnlineModerator));
        assert_eq!(rules_failed(&d, &ctx()), vec!["online_moderator"]);
    }

    #[test]
    fn switched_off_rules_do_not_fire() {
        let mut d = good();
        d.participants
            .retain(|p| p.role != Some(ParticipantRole::OnlineModerator));
        let mut c = ctx();
        c.rules.online_moderator_for_online_speakers = false;
        assert_eq!(screen(&d, &c), vec![]);
    }

    #[test]
    fn organiser_and_organisation_caps_count_other_submissions() {
        let d = good();
        let mut c = ctx();
        c.other_by_organiser.insert("amina@example.org".into(), 3);
        c.other_by_organisation.insert("org of amina".into(), 2);
        assert_eq!(rules_failed(&d, &c), vec!["max_proposals_per_organiser"]);
        c.other_by_organisation.insert("org of amina".into(), 3);
        assert_eq!(
            rules_failed(&d, &c),
            vec![
                "max_proposals_per_organiser",
                "max_proposals_per_organisation"
            ]
        );
    }

    #[test]
    fn mag_members_may_not_propose_or_organise() {
        let mut c = ctx();
        c.mag_emails.insert("amina@example.org".into());
        let errs = screen(&good(), &c);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "participants[0].email");
        c.proposer_is_mag = true;
        assert_eq!(
            rules_failed(&good(), &c),
            vec!["no_mag_proposer", "no_mag_proposer"]
        );
    }

    #[test]
    fn past_organisers_must_link_their_report() {
        let mut d = good();
        d.past_organiser = true;
        assert_eq!(rules_failed(&d, &ctx()), vec!["past_report_filed"]);
        d.previous_report_url = Some("https://example.org/report".into());
        assert_eq!(screen(&d, &ctx()), vec![]);
    }

    #[test]
    fn a_report_this_installation_misses_blocks_its_organisers_and_no_url_stands_in() {
        let owed = |email: Option<&str>| MissingReport {
            email: email.map(String::from),
            title: "Data flows".into(),
            meeting: "IGF 2026".into(),
            kind: "full",
            due: "3 Jul 2026 22:00 UTC".into(),
        };
        let mut c = ctx();
        c.missing_reports = vec![
            owed(Some("amina@example.org")),
            owed(Some("else@example.org")),
        ];
        let mut d = good();
        d.past_organiser = true;
        d.previous_report_url = Some("https://example.org/report".into());
        let errs = screen(&d, &c);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].field, "participants[0].email");
        assert!(
            errs[0]
                .message
                .contains("full report of “Data flows” (IGF 2026)")
        );
        c.missing_reports = vec![owed(None), owed(Some("amina@example.org"))];
        let errs = screen(&d, &c);
        assert_eq!(errs.len(), 1, "one session's report is told once: {errs:?}");
        assert_eq!(errs[0].field, "");
        c.rules.past_report_filed = false;
        assert_eq!(screen(&d, &c), vec![]);
    }

    #[test]
    fn the_duration_must_be_allowed_for_the_type() {
        let mut d = good();
        d.duration_min = Some(45);
        let errs = screen(&d, &ctx());
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].rule, "duration_allowed");
        assert!(errs[0].message.contains("60, 90"), "{}", errs[0].message);
    }

    #[test]
    fn outside_the_window_fails() {
        let mut c = ctx();
        c.now = Utc.with_ymd_and_hms(2025, 3, 17, 0, 0, 0).unwrap();
        assert_eq!(rules_failed(&good(), &c), vec!["within_window"]);
        c.now = Utc.with_ymd_and_hms(2024, 12, 31, 0, 0, 0).unwrap();
        assert_eq!(rules_failed(&good(), &c), vec!["within_window"]);
    }

    #[test]
    fn the_same_speaker_twice_counts_once() {
        let mut d = good();
        let ben = d.participants[1].clone();
        d.participants[2] = ben.clone();
        d.participants[2].gender = Some("male".into());
        let errs = rules_failed(&d, &ctx());
        assert!(errs.contains(&"min_speakers".to_string()), "{errs:?}");
    }
}

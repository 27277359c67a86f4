//! The editable content of a proposal (the body of a create, a stored proposal with a
//! patch applied, or the demo's): its checks, its patching, and how screening reads it.

use std::collections::HashSet;

use super::screening::{Draft, Person};
use super::types::*;
use crate::error::ApiError;
use crate::validate::{Checker, normalise_email};

/// Checks a list of people (a proposal's participants, a session's people): names,
/// emails (one role per person), organisations, countries and zones.
pub fn check_participants(c: &mut Checker, field: &str, people: &[ParticipantInput]) {
    // Over the cap the list is refused whole; its items are not read.
    let listed = if c.max_items(field, people.len(), 40) {
        people.len()
    } else {
        0
    };
    let mut roles = HashSet::new();
    for (i, p) in people.iter().take(listed).enumerate() {
        let f = |n: &str| format!("{field}[{i}].{n}");
        c.text(&f("name"), &p.name, 200);
        if let Some(e) = &p.email {
            c.email(&f("email"), e);
            if !roles.insert((normalise_email(e), p.role)) {
                c.add(
                    f("email"),
                    "unique",
                    "this person already appears in this role",
                );
            }
        }
        if let Some(o) = &p.organisation {
            c.max_len(&f("organisation"), o, 200);
        }
        if let Some(cc) = &p.country {
            c.country(&f("country"), cc);
        }
        if let Some(z) = &p.timezone {
            c.zone(&f("timezone"), z);
        }
    }
}

impl ProposalData {
    /// Applies a patch: present fields replace, `null` clears.
    pub fn apply(mut self, p: UpdateProposalRequest) -> Self {
        if let Some(v) = p.title {
            self.title = v;
        }
        if let Some(v) = p.description {
            self.description = v;
        }
        if let Some(v) = p.policy_questions {
            self.policy_questions = v;
        }
        if let Some(v) = p.theme_id {
            self.theme_id = v;
        }
        if let Some(v) = p.session_type {
            self.session_type = v;
        }
        if let Some(v) = p.duration_min {
            self.duration_min = v;
        }
        if let Some(v) = p.format {
            self.format = v;
        }
        if let Some(v) = p.layout {
            self.layout = v;
        }
        if let Some(v) = p.sdgs {
            self.sdgs = v;
        }
        if let Some(v) = p.expected_outcomes {
            self.expected_outcomes = v;
        }
        if let Some(v) = p.hybrid_plan {
            self.hybrid_plan = v;
        }
        if let Some(v) = p.first_time {
            self.first_time = v;
        }
        if let Some(v) = p.developing_country {
            self.developing_country = v;
        }
        if let Some(v) = p.past_organiser {
            self.past_organiser = v;
        }
        if let Some(v) = p.previous_report_url {
            self.previous_report_url = v;
        }
        if let Some(v) = p.interpretation {
            self.interpretation = v;
        }
        if let Some(v) = p.captioning {
            self.captioning = v;
        }
        if let Some(v) = p.sign_language {
            self.sign_language = v;
        }
        if let Some(v) = p.participants {
            self.participants = v;
        }
        self
    }

    /// Checks that every value present is well-formed (drafts may leave fields out).
    pub fn check(&self) -> Result<(), ApiError> {
        let mut c = Checker::new();
        c.text("title", &self.title, 200);
        c.max_len("description", &self.description, 20_000);
        // Over the cap the list is refused whole; its items are not read.
        let listed = if c.max_items("policy_questions", self.policy_questions.len(), 10) {
            self.policy_questions.len()
        } else {
            0
        };
        for (i, q) in self.policy_questions.iter().take(listed).enumerate() {
            c.max_len(&format!("policy_questions[{i}]"), q, 1000);
        }
        if let Some(st) = &self.session_type {
            c.max_len("session_type", st, 40);
        }
        if let Some(d) = self.duration_min {
            c.range("duration_min", d, 5, 720);
        }
        // Over the cap the list is refused whole; its items are not read.
        let listed = if c.max_items("sdgs", self.sdgs.len(), 17) {
            self.sdgs.len()
        } else {
            0
        };
        let mut seen = HashSet::new();
        for (i, g) in self.sdgs.iter().take(listed).enumerate() {
            c.range(&format!("sdgs[{i}]"), *g, 1, 17);
            if !seen.insert(*g) {
                c.add(
                    format!("sdgs[{i}]"),
                    "unique",
                    "each SDG may be listed once",
                );
            }
        }
        c.max_len("expected_outcomes", &self.expected_outcomes, 10_000);
        c.max_len("hybrid_plan", &self.hybrid_plan, 10_000);
        if let Some(u) = &self.previous_report_url {
            c.url("previous_report_url", u);
        }
        if c.max_items("interpretation", self.interpretation.len(), 20) {
            c.languages("interpretation", &self.interpretation);
        }
        check_participants(&mut c, "participants", &self.participants);
        c.finish()
    }

    /// The content as screening reads it.
    pub fn to_draft(&self) -> Draft {
        Draft {
            title: self.title.clone(),
            description: self.description.clone(),
            policy_questions: self.policy_questions.clone(),
            has_theme: self.theme_id.is_some(),
            session_type: self.session_type.clone(),
            duration_min: self.duration_min,
            format: self.format.map(|f| f.as_str().to_string()),
            expected_outcomes: self.expected_outcomes.clone(),
            hybrid_plan: self.hybrid_plan.clone(),
            past_organiser: self.past_organiser,
            previous_report_url: self.previous_report_url.clone(),
            participants: self
                .participants
                .iter()
                .map(|p| Person {
                    role: Some(p.role),
                    name: p.name.clone(),
                    email: p.email.as_deref().map(normalise_email),
                    organisation: p.organisation.clone(),
                    country: p.country.clone(),
                    stakeholder_group: p.stakeholder_group.map(|x| x.as_str().to_string()),
                    regional_group: p.regional_group.map(|x| x.as_str().to_string()),
                    gender: p.gender.map(|x| x.as_str().to_string()),
                    timezone: p.timezone.clone(),
                    participation: p.participation,
                })
                .collect(),
        }
    }
}

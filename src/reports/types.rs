//! What the session reports' API reads and answers.

use serde::{Deserialize, Serialize};

use crate::time::Instant;
use crate::validate::Checker;
use crate::vocabulary::vocabulary;

vocabulary! {
    /// Which of a session's two reports.
    ReportKind {
        /// Key takeaways and calls to action, soon after the session.
        Short = "short",
        /// The full report: discussion, way forward, participation, links.
        Full = "full",
    }
}

vocabulary! {
    /// Where a report stands. `not_started` is a report nobody has saved yet.
    ReportState {
        /// Nothing saved yet.
        NotStarted = "not_started",
        /// Saved, not submitted.
        Draft = "draft",
        /// Submitted, waiting for the secretariat.
        Submitted = "submitted",
        /// Returned by the secretariat with a comment, to be changed and submitted again.
        Returned = "returned",
        /// Accepted by the secretariat: public.
        Accepted = "accepted",
    }
}

vocabulary! {
    /// The secretariat's answer to a submitted report.
    Decision {
        /// The report is public from now on.
        Accept = "accept",
        /// The organisers change it and submit again; the comment says what to change.
        Return = "return",
    }
}

/// The most takeaways, calls to action or key issues one report lists.
pub const MOST_ITEMS: usize = 5;
/// The longest takeaway, call to action or key issue, in characters.
pub const LONGEST_ITEM: usize = 1000;
/// The longest discussion or way forward, in characters.
pub const LONGEST_TEXT: usize = 20_000;
/// The largest participant count a report may give.
pub const MOST_PARTICIPANTS: i32 = 1_000_000;

/// A report's fields, the body of `PUT /api/v1/sessions/{session_id}/reports/{kind}`.
/// The short report has the first two; the full report the rest. A draft may leave
/// anything empty; submission asks for what the report needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportContent {
    /// Short: the session's key takeaways, one sentence or two each.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::optional::present"
    )]
    pub key_takeaways: Option<Vec<String>>,
    /// Short: the calls to action it made.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::optional::present"
    )]
    pub calls_to_action: Option<Vec<String>>,
    /// Full: the key issues raised, one sentence each.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::optional::present"
    )]
    pub key_issues: Option<Vec<String>>,
    /// Full: a summary of the presentations and the discussion.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::optional::present"
    )]
    pub discussion: Option<String>,
    /// Full: the way forward, next steps and takeaways.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::optional::present"
    )]
    pub way_forward: Option<String>,
    /// Full: people who took part in the room.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::optional::present"
    )]
    pub participants_onsite: Option<i32>,
    /// Full: people who took part online.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::optional::present"
    )]
    pub participants_online: Option<i32>,
    /// Full: an estimate of the women among all participants.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::optional::present"
    )]
    pub women_estimate: Option<i32>,
    /// Full: where the recording is.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::optional::present"
    )]
    pub recording_url: Option<String>,
    /// Full: where the transcript is.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::optional::present"
    )]
    pub transcript_url: Option<String>,
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl ReportContent {
    /// The content with blank text and list items dropped, so that what is stored is
    /// what counts.
    pub fn tidy(mut self) -> Self {
        let list = |v: Option<Vec<String>>| {
            v.map(|items| {
                items
                    .into_iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|items| !items.is_empty())
        };
        let text = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        self.key_takeaways = list(self.key_takeaways);
        self.calls_to_action = list(self.calls_to_action);
        self.key_issues = list(self.key_issues);
        self.discussion = text(self.discussion);
        self.way_forward = text(self.way_forward);
        self.recording_url = text(self.recording_url);
        self.transcript_url = text(self.transcript_url);
        self
    }

    /// Checks what any save needs: fields of this kind only, lengths, counts, links.
    pub fn check_draft(&self, kind: ReportKind, c: &mut Checker) {
        let other: &[(&str, bool)] = match kind {
            ReportKind::Short => &[
                ("key_issues", self.key_issues.is_some()),
                ("discussion", self.discussion.is_some()),
                ("way_forward", self.way_forward.is_some()),
                ("participants_onsite", self.participants_onsite.is_some()),
                ("participants_online", self.participants_online.is_some()),
                ("women_estimate", self.women_estimate.is_some()),
                ("recording_url", self.recording_url.is_some()),
                ("transcript_url", self.transcript_url.is_some()),
            ],
            ReportKind::Full => &[
                ("key_takeaways", self.key_takeaways.is_some()),
                ("calls_to_action", self.calls_to_action.is_some()),
            ],
        };
        let other_kind = match kind {
            ReportKind::Short => "full",
            ReportKind::Full => "short",
        };
        for (field, present) in other {
            if *present {
                c.add(
                    *field,
                    "kind",
                    format!("{field} belongs to the {other_kind} report"),
                );
            }
        }
        for (field, items) in [
            ("key_takeaways", &self.key_takeaways),
            ("calls_to_action", &self.calls_to_action),
            ("key_issues", &self.key_issues),
        ] {
            if let Some(items) = items
                && c.max_items(field, items.len(), MOST_ITEMS)
            {
                for (i, s) in items.iter().enumerate() {
                    c.max_len(&format!("{field}[{i}]"), s, LONGEST_ITEM);
                }
            }
        }
        for (field, text) in [
            ("discussion", &self.discussion),
            ("way_forward", &self.way_forward),
        ] {
            if let Some(t) = text {
                c.max_len(field, t, LONGEST_TEXT);
            }
        }
        for (field, n) in [
            ("participants_onsite", self.participants_onsite),
            ("participants_online", self.participants_online),
            ("women_estimate", self.women_estimate),
        ] {
            if let Some(n) = n {
                c.range(field, n, 0, MOST_PARTICIPANTS);
            }
        }
        if let Some(w) = self.women_estimate {
            let total = self.participants_onsite.unwrap_or(0) as i64
                + self.participants_online.unwrap_or(0) as i64;
            if (self.participants_onsite.is_some() || self.participants_online.is_some())
                && i64::from(w) > total
            {
                c.add(
                    "women_estimate",
                    "at_most_participants",
                    format!("women_estimate ({w}) is more than the participants ({total})"),
                );
            }
        }
        for (field, url) in [
            ("recording_url", &self.recording_url),
            ("transcript_url", &self.transcript_url),
        ] {
            if let Some(u) = url {
                c.url(field, u);
            }
        }
    }

    /// Checks what submission needs beyond a draft.
    pub fn check_complete(&self, kind: ReportKind, c: &mut Checker) {
        let mut need = |field: &str, ok: bool, what: &str| {
            if !ok {
                c.add(field, "required", format!("{what} is required to submit"));
            }
        };
        let listed = |v: &Option<Vec<String>>| v.as_ref().is_some_and(|v| !v.is_empty());
        let written = |v: &Option<String>| v.as_deref().is_some_and(|s| !blank(s));
        match kind {
            ReportKind::Short => {
                need(
                    "key_takeaways",
                    listed(&self.key_takeaways),
                    "at least one key takeaway",
                );
                need(
                    "calls_to_action",
                    listed(&self.calls_to_action),
                    "at least one call to action",
                );
            }
            ReportKind::Full => {
                need(
                    "discussion",
                    written(&self.discussion),
                    "a summary of the discussion",
                );
                need("way_forward", written(&self.way_forward), "the way forward");
                need(
                    "participants_onsite",
                    self.participants_onsite.is_some(),
                    "the number of participants onsite",
                );
                need(
                    "participants_online",
                    self.participants_online.is_some(),
                    "the number of participants online",
                );
                need(
                    "women_estimate",
                    self.women_estimate.is_some(),
                    "an estimate of the women among them",
                );
            }
        }
    }
}

/// Body of `POST /api/v1/sessions/{session_id}/reports/{kind}/review`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// Accept or return.
    pub decision: Decision,
    /// What to change (required to return); shown to the organisers.
    #[serde(default)]
    pub comment: Option<String>,
}

/// The secretariat's last review of a report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewView {
    /// `accept` or `return`.
    pub decision: Decision,
    /// When (UTC).
    pub at: String,
    /// Who reviewed.
    pub by: Option<String>,
    /// The comment, if any.
    pub comment: Option<String>,
}

/// One step of a report's trail: who saved, submitted or reviewed it, and when.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When (UTC).
    pub at: String,
    /// `report.save`, `report.submit`, `report.accept` or `report.return`.
    pub action: String,
    /// The account's name (none once the account is gone).
    pub by: Option<String>,
}

/// A session's report as its organisers and the secretariat see it; anyone else sees
/// an accepted report's content and dates (`review` and `history` empty).
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// The session.
    pub session_id: i64,
    /// Its meeting.
    pub meeting_id: i64,
    /// The session's title.
    pub title: String,
    /// `short` or `full`.
    pub kind: ReportKind,
    /// Where it stands.
    pub state: ReportState,
    /// What it says.
    pub content: ReportContent,
    /// When it is due, in UTC and venue time.
    pub due_at: Instant,
    /// When it was first submitted (UTC): what "on time" is measured by.
    pub first_submitted_at: Option<String>,
    /// When it was last submitted (UTC).
    pub submitted_at: Option<String>,
    /// Whether it was first submitted by the deadline; none until submitted.
    pub on_time: Option<bool>,
    /// It was first submitted after its deadline, or the deadline has passed and it
    /// is not submitted yet.
    pub late: bool,
    /// The secretariat's last review.
    pub review: Option<ReviewView>,
    /// Who did what to it, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Version for `If-Match` (0 before the first save).
    pub version: i32,
    /// Last change (UTC), none before the first save.
    pub updated_at: Option<String>,
}

/// One report's standing, in the list of a meeting's reports.
#[derive(Debug, Clone, Serialize)]
pub struct ReportStanding {
    /// Where it stands.
    pub state: ReportState,
    /// When it is due (UTC and venue time).
    pub due_at: Instant,
    /// When it was first submitted (UTC).
    pub first_submitted_at: Option<String>,
    /// Whether it came by the deadline; none until submitted.
    pub on_time: Option<bool>,
    /// It was first submitted after its deadline, or the deadline has passed and it
    /// is not submitted yet.
    pub late: bool,
}

/// A held session and where its two reports stand.
#[derive(Debug, Clone, Serialize)]
pub struct SessionReports {
    /// The session.
    pub session_id: i64,
    /// Its title.
    pub title: String,
    /// Its type's code.
    pub session_type: String,
    /// Its theme, if any.
    pub theme: Option<String>,
    /// When it began.
    pub starts_at: Instant,
    /// When it ended.
    pub ends_at: Instant,
    /// Its organisers and rapporteurs, with the zone each keeps (deadlines are shown
    /// to each in their own).
    pub organisers: Vec<Organiser>,
    /// The short report.
    pub short: ReportStanding,
    /// The full report.
    pub full: ReportStanding,
}

/// A person who may file a session's reports.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Organiser {
    /// Name.
    pub name: String,
    /// `organiser` or `rapporteur`.
    pub role: String,
    /// Their IANA zone, when given.
    pub timezone: Option<String>,
}

/// Query of `GET /api/v1/meetings/{meeting_id}/reports`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListReportsQuery {
    /// Only sessions whose report of this kind is in `state` or `late`.
    pub kind: Option<ReportKind>,
    /// Only sessions with a report (of `kind`, or either) in this state.
    pub state: Option<ReportState>,
    /// Only sessions with a report (of `kind`, or either) that is late.
    pub late: Option<bool>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

//! What each message says: its data, taken when the event happens, and its subject,
//! text and HTML parts, rendered from the templates in `templates/email/` when it is
//! sent.

use askama::Template;
use serde::{Deserialize, Serialize};

/// A message's data, by kind; stored as JSON in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum Mail {
    /// A proposal was submitted and passed the automatic screening.
    Submitted {
        /// The recipient's name.
        name: String,
        /// The meeting.
        meeting: String,
        /// The proposal's title.
        title: String,
        /// The proposal.
        proposal_id: i64,
    },
    /// The programme committee's decision on a proposal, once results are published.
    Outcome {
        /// The recipient's name.
        name: String,
        /// The meeting.
        meeting: String,
        /// The proposal's title.
        title: String,
        /// The proposal.
        proposal_id: i64,
        /// The outcome's code.
        outcome: String,
        /// Why, in the committee's words.
        reason: String,
        /// For `approved_if_merged`: the title of the proposal to merge with.
        merge_with: Option<String>,
    },
    /// A person's sessions in a newly published schedule: all of them at the first
    /// publication, then only those that changed.
    Schedule {
        /// The recipient's name.
        name: String,
        /// The meeting.
        meeting: String,
        /// The meeting's id, for the link to the programme.
        meeting_id: i64,
        /// Whether this tells of changes to an earlier programme.
        changed: bool,
        /// Their sessions.
        sessions: Vec<SpeakerSession>,
    },
    /// An evaluator was given proposals to score.
    Assignments {
        /// The recipient's name.
        name: String,
        /// The meeting.
        meeting: String,
        /// The meeting's id, for the link to the evaluator's list.
        meeting_id: i64,
        /// Titles of the proposals newly assigned.
        titles: Vec<String>,
    },
    /// A session's report is due soon and not submitted yet.
    ReportDue {
        /// The recipient's name.
        name: String,
        /// The meeting.
        meeting: String,
        /// The meeting's id, for the link to the reports page.
        meeting_id: i64,
        /// The session's title.
        title: String,
        /// `short` or `full`.
        kind: String,
        /// When it is due, in the recipient's own zone.
        due: String,
    },
    /// A new account's link to confirm its address.
    ConfirmEmail {
        /// The recipient's name.
        name: String,
        /// The single-use secret of the link (blanked once the message is sent).
        token: String,
        /// Hours the link works.
        hours: i64,
    },
    /// Someone registered with an address that has an account already.
    AccountExists {
        /// The account holder's name.
        name: String,
    },
    /// A link to set a new password, asked for by someone who knew the address.
    PasswordReset {
        /// The recipient's name.
        name: String,
        /// The single-use secret of the link (blanked once the message is sent).
        token: String,
        /// Minutes the link works.
        minutes: i64,
    },
}

/// One of a person's sessions as their schedule message tells it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerSession {
    /// The session.
    pub session_id: i64,
    /// Its title.
    pub title: String,
    /// Where and when now, in the venue's time (`None`: no longer in the programme).
    pub now: Option<String>,
    /// The same in the person's own zone, when it differs from the venue's.
    pub own: Option<String>,
    /// Where and when before, for a change.
    pub was: Option<String>,
}

impl Mail {
    /// The template's name, kept in the outbox beside the data.
    pub fn template(&self) -> &'static str {
        match self {
            Mail::Submitted { .. } => "submitted",
            Mail::Outcome { .. } => "outcome",
            Mail::Schedule { .. } => "schedule",
            Mail::Assignments { .. } => "assignments",
            Mail::ReportDue { .. } => "report_due",
            Mail::ConfirmEmail { .. } => "confirm_email",
            Mail::AccountExists { .. } => "account_exists",
            Mail::PasswordReset { .. } => "password_reset",
        }
    }

    /// The message without its secret, kept once it has been sent or given up: the
    /// outbox then holds no link that works. `None` for messages that carry none.
    pub fn without_secret(&self) -> Option<Mail> {
        match self {
            Mail::ConfirmEmail { name, hours, .. } => Some(Mail::ConfirmEmail {
                name: name.clone(),
                token: String::new(),
                hours: *hours,
            }),
            Mail::PasswordReset { name, minutes, .. } => Some(Mail::PasswordReset {
                name: name.clone(),
                token: String::new(),
                minutes: *minutes,
            }),
            _ => None,
        }
    }
}

/// A message ready to send.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// An outcome's code in words.
fn outcome_words(code: &str) -> &'static str {
    match code {
        "approved" => "approved",
        "approved_if_merged" => "approved if merged",
        "lightning" => "offered a lightning talk",
        "waitlisted" => "on the waiting list",
        "declined" => "not selected",
        _ => "decided",
    }
}

#[derive(Template)]
#[template(path = "email/submitted.txt")]
struct SubmittedText<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/submitted.html")]
struct SubmittedHtml<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/outcome.txt")]
struct OutcomeText<'a> {
    m: &'a Mail,
    link: String,
    words: &'static str,
}

#[derive(Template)]
#[template(path = "email/outcome.html")]
struct OutcomeHtml<'a> {
    m: &'a Mail,
    link: String,
    words: &'static str,
}

#[derive(Template)]
#[template(path = "email/schedule.txt")]
struct ScheduleText<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/schedule.html")]
struct ScheduleHtml<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/assignments.txt")]
struct AssignmentsText<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/assignments.html")]
struct AssignmentsHtml<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/report_due.txt")]
struct ReportDueText<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/report_due.html")]
struct ReportDueHtml<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/confirm_email.txt")]
struct ConfirmEmailText<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/confirm_email.html")]
struct ConfirmEmailHtml<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/account_exists.txt")]
struct AccountExistsText<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/account_exists.html")]
struct AccountExistsHtml<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/password_reset.txt")]
struct PasswordResetText<'a> {
    m: &'a Mail,
    link: String,
}

#[derive(Template)]
#[template(path = "email/password_reset.html")]
struct PasswordResetHtml<'a> {
    m: &'a Mail,
    link: String,
}

/// Renders a message; `base` is the service's public address, which every link
/// starts with.
pub fn render(mail: &Mail, base: &str) -> Result<Rendered, askama::Error> {
    Ok(match mail {
        Mail::Submitted {
            title, proposal_id, ..
        } => {
            let link = format!("{base}/desk/proposals/{proposal_id}");
            Rendered {
                subject: format!("Proposal received: {title}"),
                text: SubmittedText {
                    m: mail,
                    link: link.clone(),
                }
                .render()?,
                html: SubmittedHtml { m: mail, link }.render()?,
            }
        }
        Mail::Outcome {
            title,
            proposal_id,
            outcome,
            ..
        } => {
            let link = format!("{base}/desk/proposals/{proposal_id}");
            let words = outcome_words(outcome);
            Rendered {
                subject: format!("Your proposal is {words}: {title}"),
                text: OutcomeText {
                    m: mail,
                    link: link.clone(),
                    words,
                }
                .render()?,
                html: OutcomeHtml {
                    m: mail,
                    link,
                    words,
                }
                .render()?,
            }
        }
        Mail::Schedule {
            meeting,
            meeting_id,
            changed,
            ..
        } => {
            let link = format!("{base}/meetings/{meeting_id}");
            Rendered {
                subject: if *changed {
                    format!("Your session has changed: {meeting}")
                } else {
                    format!("When and where you take part: {meeting}")
                },
                text: ScheduleText {
                    m: mail,
                    link: link.clone(),
                }
                .render()?,
                html: ScheduleHtml { m: mail, link }.render()?,
            }
        }
        Mail::Assignments {
            meeting,
            meeting_id,
            titles,
            ..
        } => {
            let link = format!("{base}/desk/meetings/{meeting_id}/evaluation");
            Rendered {
                subject: format!(
                    "{} proposal{} to evaluate for {meeting}",
                    titles.len(),
                    if titles.len() == 1 { "" } else { "s" }
                ),
                text: AssignmentsText {
                    m: mail,
                    link: link.clone(),
                }
                .render()?,
                html: AssignmentsHtml { m: mail, link }.render()?,
            }
        }
        Mail::ReportDue {
            meeting_id,
            title,
            kind,
            due,
            ..
        } => {
            let link = format!("{base}/desk/meetings/{meeting_id}/reports");
            Rendered {
                subject: format!("The {kind} report of “{title}” is due {due}"),
                text: ReportDueText {
                    m: mail,
                    link: link.clone(),
                }
                .render()?,
                html: ReportDueHtml { m: mail, link }.render()?,
            }
        }
        Mail::ConfirmEmail { token, .. } => {
            let link = format!("{base}/desk/confirm?token={token}");
            Rendered {
                subject: "Confirm your email address".into(),
                text: ConfirmEmailText {
                    m: mail,
                    link: link.clone(),
                }
                .render()?,
                html: ConfirmEmailHtml { m: mail, link }.render()?,
            }
        }
        Mail::AccountExists { .. } => {
            let link = format!("{base}/desk/forgot");
            Rendered {
                subject: "Someone tried to register with your address".into(),
                text: AccountExistsText {
                    m: mail,
                    link: link.clone(),
                }
                .render()?,
                html: AccountExistsHtml { m: mail, link }.render()?,
            }
        }
        Mail::PasswordReset { token, .. } => {
            let link = format!("{base}/desk/reset?token={token}");
            Rendered {
                subject: "Set a new password".into(),
                text: PasswordResetText {
                    m: mail,
                    link: link.clone(),
                }
                .render()?,
                html: PasswordResetHtml { m: mail, link }.render()?,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_names_the_proposal_and_escapes_it_in_html() {
        let m = Mail::Outcome {
            name: "Amina".into(),
            meeting: "IGF 2027".into(),
            title: "Bits & <bytes>".into(),
            proposal_id: 7,
            outcome: "approved_if_merged".into(),
            reason: "Close to another".into(),
            merge_with: Some("Bytes & bits".into()),
        };
        let r = render(&m, "https://igf.example.org").unwrap();
        assert_eq!(
            r.subject,
            "Your proposal is approved if merged: Bits & <bytes>"
        );
        assert!(r.text.contains("Bits & <bytes>") && r.text.contains("Bytes & bits"));
        assert!(
            r.html.contains("Bits &#38; &#60;bytes&#62;") && !r.html.contains("<bytes>"),
            "{}",
            r.html
        );
        assert!(r.text.contains("https://igf.example.org/desk/proposals/7"));
    }

    #[test]
    fn a_report_reminder_says_which_report_when_and_where_to_file_it() {
        let m = Mail::ReportDue {
            name: "Kofi".into(),
            meeting: "IGF 2027".into(),
            meeting_id: 3,
            title: "Fibre & <villages>".into(),
            kind: "full".into(),
            due: "Sat 12 Dec 2026 09:00 (Asia/Tokyo)".into(),
        };
        let r = render(&m, "https://igf.example.org").unwrap();
        assert_eq!(
            r.subject,
            "The full report of “Fibre & <villages>” is due Sat 12 Dec 2026 09:00 (Asia/Tokyo)"
        );
        for part in [&r.text, &r.html] {
            assert!(part.contains("https://igf.example.org/desk/meetings/3/reports"));
            assert!(part.contains("Sat 12 Dec 2026 09:00 (Asia/Tokyo)"));
            assert!(part.contains("participants onsite and online"), "{part}");
        }
        assert!(
            r.html.contains("Fibre &#38; &#60;villages&#62;"),
            "{}",
            r.html
        );
    }
}

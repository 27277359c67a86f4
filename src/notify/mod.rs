//! Messages the service owes the people it serves: what each event owes whom, written
//! to the outbox in the event's own transaction ([`outbox`]), the words of each
//! message ([`messages`]), the worker that sends them ([`worker`]) through the SMTP
//! server ([`mail`]), and the secretariat's view of them ([`service`]).
//!
//! Every message goes to one account's own address and says nothing of anyone else.

pub mod handlers;
pub mod mail;
pub mod messages;
pub mod outbox;
pub mod service;
pub mod webhooks;
pub mod worker;

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{
    meetings, proposal_decisions as pd, proposals, session_people as sp, users,
};
use crate::error::ApiError;
use messages::Mail;

/// A meeting's name.
fn meeting_name(c: &mut DbConn, meeting_id: i64) -> Result<String, ApiError> {
    Ok(meetings::table
        .find(meeting_id)
        .select(meetings::name)
        .first(c)?)
}

/// Account names by id.
fn names(c: &mut DbConn, ids: &[i64]) -> Result<HashMap<i64, String>, ApiError> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .load::<(i64, String)>(c)?
        .into_iter()
        .collect())
}

/// Tells a proposer that their proposal is submitted (it passed screening).
pub fn proposal_submitted(
    c: &mut DbConn,
    meeting_id: i64,
    proposal_id: i64,
) -> Result<(), ApiError> {
    let (proposer, title): (i64, String) = proposals::table
        .find(proposal_id)
        .select((proposals::proposer_id, proposals::title))
        .first(c)?;
    let name = names(c, &[proposer])?.remove(&proposer).unwrap_or_default();
    let mail = Mail::Submitted {
        name,
        meeting: meeting_name(c, meeting_id)?,
        title,
        proposal_id,
    };
    webhooks::event(
        c,
        meeting_id,
        "proposal.submitted",
        &format!("submitted:{proposal_id}"),
        serde_json::json!({"meeting_id": meeting_id, "proposal_id": proposal_id}),
    )?;
    outbox::email_account(
        c,
        Some(meeting_id),
        proposer,
        &format!("submitted:{proposal_id}"),
        &mail,
    )
}

/// A session's public facts, as a webhook tells them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SessionFacts<'a> {
    /// Meeting.
    pub meeting_id: i64,
    /// Session.
    pub session_id: i64,
    /// Title.
    pub title: &'a str,
    /// `active` or `cancelled`.
    pub status: &'a str,
    /// Its version after the change.
    pub version: i32,
}

/// Tells the endpoints that want it of a session's change, or of its cancellation
/// when `cancelled_now`, and then also each person on the session with an address
/// unless `merged` (they carry on in the session it was merged into).
pub fn session_changed(
    c: &mut DbConn,
    s: &SessionFacts<'_>,
    cancelled_now: bool,
    merged: bool,
) -> Result<(), ApiError> {
    if cancelled_now && !merged {
        let people: Vec<(String, Option<String>)> = sp::table
            .filter(sp::session_id.eq(s.session_id))
            .filter(sp::email.is_not_null())
            .select((sp::name, sp::email))
            .load(c)?;
        let meeting = meeting_name(c, s.meeting_id)?;
        for (name, email) in people {
            let Some(email) = email else { continue };
            let email = email.trim().to_lowercase();
            let mail = Mail::Schedule {
                name,
                meeting: meeting.clone(),
                meeting_id: s.meeting_id,
                changed: true,
                sessions: vec![messages::SpeakerSession {
                    session_id: s.session_id,
                    title: s.title.to_string(),
                    now: None,
                    own: None,
                    was: None,
                }],
            };
            outbox::email_address(
                c,
                Some(s.meeting_id),
                None,
                &email,
                &format!("cancelled:{}:v{}:{email}", s.session_id, s.version),
                &mail,
            )?;
        }
    }
    webhooks::event(
        c,
        s.meeting_id,
        if cancelled_now {
            "session.cancelled"
        } else {
            "session.changed"
        },
        &format!("session:{}:v{}", s.session_id, s.version),
        serde_json::to_value(s).map_err(|e| ApiError::Internal(e.into()))?,
    )
}

/// Tells the endpoints that want it that a schedule version is published.
pub fn schedule_published(
    c: &mut DbConn,
    meeting_id: i64,
    version_id: i64,
    publication: i64,
) -> Result<(), ApiError> {
    webhooks::event(
        c,
        meeting_id,
        "schedule.published",
        &format!("schedule:{meeting_id}:{publication}"),
        serde_json::json!({"meeting_id": meeting_id, "version_id": version_id,
                           "publication": publication}),
    )
}

/// Tells every proposer with a decision its outcome, as results are published at
/// `published_at` (a later publication of changed results tells them again).
pub fn results_published(
    c: &mut DbConn,
    meeting_id: i64,
    published_at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    type Decided = (i64, String, String, Option<i64>, i64, String);
    let rows: Vec<Decided> = pd::table
        .inner_join(proposals::table)
        .filter(pd::meeting_id.eq(meeting_id))
        .filter(proposals::status.ne(crate::proposals::types::ProposalStatus::Withdrawn.as_str()))
        .order(pd::proposal_id)
        .select((
            pd::proposal_id,
            pd::outcome,
            pd::reason,
            pd::merge_with,
            proposals::proposer_id,
            proposals::title,
        ))
        .load(c)?;
    let titles: BTreeMap<i64, String> = proposals::table
        .filter(proposals::meeting_id.eq(meeting_id))
        .select((proposals::id, proposals::title))
        .load::<(i64, String)>(c)?
        .into_iter()
        .collect();
    let people: Vec<i64> = rows.iter().map(|r| r.4).collect();
    let known = names(c, &people)?;
    let meeting = meeting_name(c, meeting_id)?;
    let stamp = published_at.format("%Y%m%dT%H%M%S");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        *counts.entry(r.1.clone()).or_default() += 1;
    }
    webhooks::event(
        c,
        meeting_id,
        "results.published",
        &format!("results:{meeting_id}:{stamp}"),
        serde_json::json!({"meeting_id": meeting_id, "outcomes": counts}),
    )?;
    for (proposal_id, outcome, reason, merge_with, proposer, title) in rows {
        let mail = Mail::Outcome {
            name: known.get(&proposer).cloned().unwrap_or_default(),
            meeting: meeting.clone(),
            title,
            proposal_id,
            outcome,
            reason,
            merge_with: merge_with.and_then(|m| titles.get(&m).cloned()),
        };
        outbox::email_account(
            c,
            Some(meeting_id),
            proposer,
            &format!("outcome:{proposal_id}:{stamp}"),
            &mail,
        )?;
    }
    Ok(())
}

/// Tells each evaluator the proposals newly assigned to them; `added` holds
/// (proposal, evaluator) pairs, and `at` the assignment's time.
pub fn assigned(
    c: &mut DbConn,
    meeting_id: i64,
    added: &[(i64, i64)],
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    if added.is_empty() {
        return Ok(());
    }
    let mut by_evaluator: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (p, e) in added {
        by_evaluator.entry(*e).or_default().push(*p);
    }
    let all: Vec<i64> = added.iter().map(|(p, _)| *p).collect();
    let titles: HashMap<i64, String> = proposals::table
        .filter(proposals::id.eq_any(&all))
        .select((proposals::id, proposals::title))
        .load::<(i64, String)>(c)?
        .into_iter()
        .collect();
    let evaluators: Vec<i64> = by_evaluator.keys().copied().collect();
    let known = names(c, &evaluators)?;
    let meeting = meeting_name(c, meeting_id)?;
    let stamp = at.format("%Y%m%dT%H%M%S%.f");
    for (evaluator, ps) in by_evaluator {
        let mail = Mail::Assignments {
            name: known.get(&evaluator).cloned().unwrap_or_default(),
            meeting: meeting.clone(),
            meeting_id,
            titles: ps.iter().filter_map(|p| titles.get(p).cloned()).collect(),
        };
        let first = ps.first().copied().unwrap_or_default();
        outbox::email_account(
            c,
            Some(meeting_id),
            evaluator,
            &format!("assignments:{meeting_id}:{evaluator}:{stamp}:{first}"),
            &mail,
        )?;
    }
    Ok(())
}

/// Where and when a session takes place in a published schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The session.
    pub session_id: i64,
    /// Its title.
    pub title: String,
    /// Its room.
    pub room: String,
    /// Start.
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// End.
    pub ends_at: chrono::DateTime<chrono::Utc>,
}

/// "Tue 22 Jun 2027, 10:15–11:45 (Europe/Oslo), Room B": a time span in a zone.
fn when(p: &Placed, zone: chrono_tz::Tz, room: bool) -> String {
    let (s, e) = (
        p.starts_at.with_timezone(&zone),
        p.ends_at.with_timezone(&zone),
    );
    let end = if e.date_naive() == s.date_naive() {
        e.format("%H:%M").to_string()
    } else {
        e.format("%a %-d %b %H:%M").to_string()
    };
    let mut out = format!("{}–{end} ({zone})", s.format("%a %-d %b %Y, %H:%M"));
    if room {
        out.push_str(&format!(", {}", p.room));
    }
    out
}

/// Tells each person with an address on a session of the meeting where and when they
/// take part, as publication `publication` makes `now` the programme: at the first
/// publication every session of theirs; after that only the sessions that moved, came
/// or went since `before`, with what they were (a cancellation is told when it is
/// made, by [`session_changed`]). Times are in the venue's zone and,
/// when theirs differs, in their own. One message per person and publication.
pub fn schedule_published_to_people(
    c: &mut DbConn,
    meeting_id: i64,
    venue: chrono_tz::Tz,
    publication: i64,
    now: &[Placed],
    before: Option<&[Placed]>,
) -> Result<(), ApiError> {
    let now_by: HashMap<i64, &Placed> = now.iter().map(|p| (p.session_id, p)).collect();
    let before_by: HashMap<i64, &Placed> = before
        .unwrap_or_default()
        .iter()
        .map(|p| (p.session_id, p))
        .collect();
    let moved = |id: &i64| match (now_by.get(id), before_by.get(id)) {
        (Some(a), Some(b)) => {
            a.starts_at != b.starts_at || a.ends_at != b.ends_at || a.room != b.room
        }
        (None, None) => false,
        _ => true,
    };
    let mut concerned: Vec<i64> = now_by.keys().chain(before_by.keys()).copied().collect();
    concerned.sort_unstable();
    concerned.dedup();
    if before.is_some() {
        concerned.retain(|id| moved(id));
    }
    if concerned.is_empty() {
        return Ok(());
    }
    let people: Vec<(i64, String, Option<String>, Option<String>)> = sp::table
        .filter(sp::session_id.eq_any(&concerned))
        .filter(sp::email.is_not_null())
        .order((sp::session_id, sp::position))
        .select((sp::session_id, sp::name, sp::email, sp::timezone))
        .load(c)?;
    // By address: the person's name and zone, and their sessions.
    let mut by_person: BTreeMap<String, (String, Option<String>, Vec<i64>)> = BTreeMap::new();
    for (session, name, email, zone) in people {
        let Some(email) = email else { continue };
        let e = by_person
            .entry(email.trim().to_lowercase())
            .or_insert((name, zone, vec![]));
        if !e.2.contains(&session) {
            e.2.push(session);
        }
    }
    let meeting = meeting_name(c, meeting_id)?;
    for (email, (name, zone, sessions)) in by_person {
        let own: Option<chrono_tz::Tz> = zone
            .and_then(|z| z.parse().ok())
            .filter(|z: &chrono_tz::Tz| z.name() != venue.name());
        let told = sessions
            .iter()
            .map(|id| {
                let now = now_by.get(id).copied();
                let was = before_by.get(id).copied().filter(|_| before.is_some());
                messages::SpeakerSession {
                    session_id: *id,
                    title: now.or(was).map(|p| p.title.clone()).unwrap_or_default(),
                    now: now.map(|p| when(p, venue, true)),
                    own: now.zip(own).map(|(p, z)| when(p, z, false)),
                    was: was.map(|p| when(p, venue, true)),
                }
            })
            .collect();
        let mail = Mail::Schedule {
            name,
            meeting: meeting.clone(),
            meeting_id,
            changed: before.is_some(),
            sessions: told,
        };
        outbox::email_address(
            c,
            Some(meeting_id),
            None,
            &email,
            &format!("schedule:{meeting_id}:{publication}:{email}"),
            &mail,
        )?;
    }
    Ok(())
}

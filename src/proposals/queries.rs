//! Proposal storage and the rules of its life cycle.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::models::Proposal;
use super::screening::{self, Context};
use super::types::*;
use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{proposal_participants as pp, proposals, session_types};
use crate::error::ApiError;
use crate::meetings::models::{Meeting, SessionType};
use crate::meetings::queries as meetings;
use crate::time::{from_db, now, to_db};
use crate::validate::{Checker, normalise_email};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pp)]
struct ParticipantRow {
    role: String,
    name: String,
    email: Option<String>,
    organisation: Option<String>,
    country: Option<String>,
    stakeholder_group: Option<String>,
    regional_group: Option<String>,
    gender: Option<String>,
    timezone: Option<String>,
    participation: Option<String>,
}

/// Finds a proposal.
pub fn find(conn: &mut DbConn, id: i64) -> Result<Option<Proposal>, ApiError> {
    Ok(proposals::table
        .find(id)
        .select(Proposal::as_select())
        .first(conn)
        .optional()?)
}

/// What proposals keep in other tables (their people, their session type's code),
/// read for a whole page in one query per table.
struct Related {
    participants: HashMap<i64, Vec<ParticipantRow>>,
    codes: HashMap<i64, String>,
}

fn related(conn: &mut DbConn, rows: &[Proposal]) -> Result<Related, ApiError> {
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let mut participants: HashMap<i64, Vec<ParticipantRow>> = HashMap::new();
    let people: Vec<(i64, ParticipantRow)> = pp::table
        .filter(pp::proposal_id.eq_any(&ids))
        .order((pp::proposal_id, pp::position))
        .select((pp::proposal_id, ParticipantRow::as_select()))
        .load(conn)?;
    for (id, row) in people {
        participants.entry(id).or_default().push(row);
    }
    let type_ids: HashSet<i64> = rows.iter().filter_map(|p| p.session_type_id).collect();
    let codes = session_types::table
        .filter(session_types::id.eq_any(type_ids.into_iter().collect::<Vec<_>>()))
        .select((session_types::id, session_types::code))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(Related {
        participants,
        codes,
    })
}

/// A stored value outside its vocabulary, as an error naming the column and the row:
/// never a quiet default (an unknown role once read as a speaker).
fn stored<T>(
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    column: &str,
    proposal: i64,
) -> Result<Option<T>, ApiError> {
    match value {
        None => Ok(None),
        Some(v) => parse(v).map(Some).ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "{column} of proposal {proposal} holds {v:?}, which is not a known value"
            ))
        }),
    }
}

/// Rebuilds the editable content of a stored proposal.
pub fn data_of(conn: &mut DbConn, p: &Proposal) -> Result<ProposalData, ApiError> {
    let mut rel = related(conn, std::slice::from_ref(p))?;
    data_from(p, &mut rel)
}

/// A proposal's content from its row and what [`related`] read for it.
fn data_from(p: &Proposal, rel: &mut Related) -> Result<ProposalData, ApiError> {
    let participants = rel
        .participants
        .remove(&p.id)
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            Ok(ParticipantInput {
                role: stored(
                    Some(&r.role),
                    ParticipantRole::parse,
                    "proposal_participants.role",
                    p.id,
                )?
                .unwrap_or(ParticipantRole::Speaker),
                name: r.name,
                email: r.email,
                organisation: r.organisation,
                country: r.country,
                stakeholder_group: stored(
                    r.stakeholder_group.as_deref(),
                    StakeholderGroup::parse,
                    "proposal_participants.stakeholder_group",
                    p.id,
                )?,
                regional_group: stored(
                    r.regional_group.as_deref(),
                    RegionalGroup::parse,
                    "proposal_participants.regional_group",
                    p.id,
                )?,
                gender: stored(
                    r.gender.as_deref(),
                    Gender::parse,
                    "proposal_participants.gender",
                    p.id,
                )?,
                timezone: r.timezone,
                participation: stored(
                    r.participation.as_deref(),
                    Participation::parse,
                    "proposal_participants.participation",
                    p.id,
                )?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(ProposalData {
        title: p.title.clone(),
        description: p.description.clone(),
        policy_questions: crate::db::json_column(
            &p.policy_questions,
            "proposals.policy_questions",
            p.id,
        )?,
        theme_id: p.theme_id,
        session_type: match p.session_type_id {
            None => None,
            Some(id) => Some(rel.codes.get(&id).cloned().ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!(
                    "proposals.session_type_id of row {} names session type {id}, which does not exist",
                    p.id
                ))
            })?),
        },
        duration_min: p.duration_min,
        format: stored(p.format.as_deref(), Format::parse, "proposals.format", p.id)?,
        layout: stored(p.layout.as_deref(), Layout::parse, "proposals.layout", p.id)?,
        sdgs: crate::db::json_column(&p.sdgs, "proposals.sdgs", p.id)?,
        expected_outcomes: p.expected_outcomes.clone(),
        hybrid_plan: p.hybrid_plan.clone(),
        first_time: p.first_time,
        developing_country: p.developing_country,
        past_organiser: p.past_organiser,
        previous_report_url: p.previous_report_url.clone(),
        interpretation: crate::db::json_column(
            &p.interpretation,
            "proposals.interpretation",
            p.id,
        )?,
        captioning: p.captioning,
        sign_language: p.sign_language,
        participants,
    })
}

/// The API view of a stored proposal.
pub fn view(conn: &mut DbConn, p: &Proposal) -> Result<ProposalResponse, ApiError> {
    let d = data_of(conn, p)?;
    Ok(response(p, d))
}

/// The views of a page of proposals, with a fixed number of queries whatever its size.
pub fn views(conn: &mut DbConn, rows: &[Proposal]) -> Result<Vec<ProposalResponse>, ApiError> {
    let mut rel = related(conn, rows)?;
    rows.iter()
        .map(|p| Ok(response(p, data_from(p, &mut rel)?)))
        .collect()
}

fn response(p: &Proposal, d: ProposalData) -> ProposalResponse {
    let ts = |t: NaiveDateTime| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    ProposalResponse {
        id: p.id,
        meeting_id: p.meeting_id,
        proposer_id: Some(p.proposer_id),
        status: p.status.clone(),
        title: d.title,
        description: d.description,
        policy_questions: d.policy_questions,
        theme_id: d.theme_id,
        session_type: d.session_type,
        duration_min: d.duration_min,
        format: d.format.map(|f| f.as_str().to_string()),
        layout: d.layout.map(|f| f.as_str().to_string()),
        sdgs: d.sdgs,
        expected_outcomes: d.expected_outcomes,
        hybrid_plan: d.hybrid_plan,
        first_time: d.first_time,
        developing_country: d.developing_country,
        past_organiser: d.past_organiser,
        previous_report_url: d.previous_report_url,
        interpretation: d.interpretation,
        captioning: d.captioning,
        sign_language: d.sign_language,
        participants: d
            .participants
            .into_iter()
            .map(|p| ParticipantResponse {
                role: p.role.as_str().into(),
                name: p.name,
                email: p.email,
                organisation: p.organisation,
                country: p.country,
                stakeholder_group: p.stakeholder_group.map(|x| x.as_str().into()),
                regional_group: p.regional_group.map(|x| x.as_str().into()),
                gender: p.gender.map(|x| x.as_str().into()),
                timezone: p.timezone,
                participation: p.participation.map(|x| x.as_str().into()),
            })
            .collect(),
        version: p.version,
        created_at: ts(p.created_at),
        updated_at: ts(p.updated_at),
        submitted_at: p.submitted_at.map(ts),
        withdrawn_at: p.withdrawn_at.map(ts),
        outcome: None,
        screening: None,
    }
}

/// Resolves the theme and session type against the meeting; 422 when they are not its own.
fn resolve_refs(
    conn: &mut DbConn,
    m: &Meeting,
    d: &ProposalData,
) -> Result<Option<SessionType>, ApiError> {
    let mut c = Checker::new();
    if let Some(t) = d.theme_id
        && !meetings::theme_in_meeting(conn, m.id, t)?
    {
        c.add(
            "theme_id",
            "exists",
            format!("theme {t} is not a theme of this meeting"),
        );
    }
    let mut found = None;
    if let Some(code) = &d.session_type {
        let types = meetings::session_types_of(conn, m.id)?;
        match types.into_iter().find(|t| &t.code == code) {
            Some(t) if t.from_call => found = Some(t),
            Some(_) => c.add(
                "session_type",
                "from_call",
                format!("{code} sessions are not proposed through the call"),
            ),
            None => c.add(
                "session_type",
                "exists",
                format!("{code} is not a session type of this meeting"),
            ),
        }
    }
    c.finish()?;
    Ok(found)
}

fn write_content(conn: &mut DbConn, proposal_id: i64, d: &ProposalData) -> Result<(), ApiError> {
    diesel::delete(pp::table.filter(pp::proposal_id.eq(proposal_id))).execute(conn)?;
    for (i, p) in d.participants.iter().enumerate() {
        diesel::insert_into(pp::table)
            .values((
                pp::proposal_id.eq(proposal_id),
                pp::position.eq(i as i32),
                pp::role.eq(p.role.as_str()),
                pp::name.eq(p.name.trim()),
                pp::email.eq(p.email.as_deref().map(normalise_email)),
                pp::organisation.eq(p.organisation.as_deref().map(str::trim)),
                pp::country.eq(p.country.as_deref()),
                pp::stakeholder_group.eq(p.stakeholder_group.map(|x| x.as_str())),
                pp::regional_group.eq(p.regional_group.map(|x| x.as_str())),
                pp::gender.eq(p.gender.map(|x| x.as_str())),
                pp::timezone.eq(p.timezone.as_deref()),
                pp::participation.eq(p.participation.map(|x| x.as_str())),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn json_text<T: serde::Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(e.into()))
}

/// Creates a draft with its people, in one transaction with its audit entry.
pub fn insert(
    conn: &mut DbConn,
    actor: i64,
    m: &Meeting,
    d: &ProposalData,
) -> Result<i64, ApiError> {
    crate::db::write_tx(conn, |c| {
        let st = resolve_refs(c, m, d)?;
        let t = to_db(now());
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(proposals::table)
            .values((
                proposals::meeting_id.eq(m.id),
                proposals::proposer_id.eq(actor),
                proposals::status.eq(ProposalStatus::Draft.as_str()),
                proposals::title.eq(d.title.trim()),
                proposals::description.eq(&d.description),
                proposals::policy_questions.eq(json_text(&d.policy_questions)?),
                proposals::theme_id.eq(d.theme_id),
                proposals::session_type_id.eq(st.as_ref().map(|s| s.id)),
                proposals::duration_min.eq(d.duration_min),
                proposals::format.eq(d.format.map(|f| f.as_str())),
                proposals::layout.eq(d.layout.map(|f| f.as_str())),
                proposals::sdgs.eq(json_text(&d.sdgs)?),
                proposals::expected_outcomes.eq(&d.expected_outcomes),
                proposals::hybrid_plan.eq(&d.hybrid_plan),
                proposals::first_time.eq(d.first_time),
                proposals::developing_country.eq(d.developing_country),
                proposals::past_organiser.eq(d.past_organiser),
                proposals::previous_report_url.eq(d.previous_report_url.as_deref()),
                proposals::interpretation.eq(json_text(&d.interpretation)?),
                proposals::captioning.eq(d.captioning),
                proposals::sign_language.eq(d.sign_language),
                proposals::version.eq(1),
                proposals::created_at.eq(t),
                proposals::updated_at.eq(t),
            ))
            .returning(proposals::id)
            .get_result(b))?;
        write_content(c, id, d)?;
        audit::record(
            c,
            Some(actor),
            "proposal.create",
            "proposal",
            id,
            Some(m.id),
            json!({"title": d.title.trim(), "participants": d.participants.len()}),
        )?;
        Ok(id)
    })
}

/// Everything screening needs to know about the rest of the meeting.
pub fn screening_context(
    conn: &mut DbConn,
    m: &Meeting,
    p: &Proposal,
    st: Option<&SessionType>,
) -> Result<Context, ApiError> {
    let emails: Vec<String> = pp::table
        .filter(pp::proposal_id.eq(p.id))
        .filter(pp::role.eq(ParticipantRole::Organiser.as_str()))
        .filter(pp::email.is_not_null())
        .select(pp::email.assume_not_null())
        .load(conn)?;
    context_for(conn, m, Some(p.id), p.proposer_id, st, &emails)
}

/// Screening's context for a proposal of `proposer_id` (`own`, once stored, is left
/// out of the counts of other proposals) whose organisers have these emails.
fn context_for(
    conn: &mut DbConn,
    m: &Meeting,
    own: Option<i64>,
    proposer_id: i64,
    st: Option<&SessionType>,
    emails: &[String],
) -> Result<Context, ApiError> {
    let rows: Vec<(Option<String>, Option<String>, i64)> = pp::table
        .inner_join(proposals::table)
        .filter(proposals::meeting_id.eq(m.id))
        .filter(proposals::status.eq(ProposalStatus::Submitted.as_str()))
        .filter(proposals::id.ne(own.unwrap_or(0)))
        .filter(pp::role.eq(ParticipantRole::Organiser.as_str()))
        .select((pp::email, pp::organisation, pp::proposal_id))
        .load(conn)?;
    let mut by_email: HashMap<String, HashSet<i64>> = HashMap::new();
    let mut by_org: HashMap<String, HashSet<i64>> = HashMap::new();
    for (email, org, pid) in rows {
        if let Some(e) = email {
            by_email.entry(e).or_default().insert(pid);
        }
        if let Some(o) = org {
            by_org
                .entry(screening::organisation_key(&o))
                .or_default()
                .insert(pid);
        }
    }
    let proposer = crate::auth::queries::find_by_id(conn, proposer_id)?;
    let rules = m.rules()?;
    // Checked when a proposal is submitted: an earlier report that falls due later
    // does not stop its proposer correcting a proposal already submitted.
    let submitted = own.is_some_and(|id| {
        proposals::table
            .find(id)
            .select(proposals::status)
            .first::<String>(conn)
            .is_ok_and(|s| s == ProposalStatus::Submitted.as_str())
    });
    let missing_reports = if rules.past_report_filed && !submitted {
        crate::reports::missing_for(conn, m.id, proposer_id, Some(emails), now())?
            .into_iter()
            .map(|x| screening::MissingReport {
                email: x.email,
                title: x.title,
                meeting: x.meeting,
                kind: x.kind.as_str(),
                due: x.due.format("%-d %b %Y %H:%M UTC").to_string(),
            })
            .collect()
    } else {
        vec![]
    };
    Ok(Context {
        missing_reports,
        rules,
        now: now(),
        window: (from_db(m.cfp_opens_at), from_db(m.cfp_closes_at)),
        allowed_durations: st.map(SessionType::durations).transpose()?,
        proposer_is_mag: proposer.is_some_and(|u| u.role == "evaluator"),
        mag_emails: crate::auth::queries::evaluator_emails(conn)?
            .into_iter()
            .collect(),
        other_by_organiser: by_email
            .into_iter()
            .map(|(k, v)| (k, v.len() as u32))
            .collect(),
        other_by_organisation: by_org
            .into_iter()
            .map(|(k, v)| (k, v.len() as u32))
            .collect(),
    })
}

/// Screens a stored proposal as it would be submitted now.
pub fn screen_stored(
    conn: &mut DbConn,
    m: &Meeting,
    p: &Proposal,
) -> Result<Vec<crate::error::FieldError>, ApiError> {
    let d = data_of(conn, p)?;
    let st = resolve_refs(conn, m, &d).ok().flatten();
    let ctx = screening_context(conn, m, p, st.as_ref())?;
    Ok(screening::screen(&d.to_draft(), &ctx))
}

/// What the content of a proposal not yet saved breaks: its malformed values and
/// what screening would say of it if it were submitted now, each under its field.
pub fn preview(
    conn: &mut DbConn,
    m: &Meeting,
    own: Option<i64>,
    proposer_id: i64,
    d: &ProposalData,
) -> Result<Vec<crate::error::FieldError>, ApiError> {
    let mut found = match d.check() {
        Err(ApiError::Validation { errors, .. }) => errors,
        Err(e) => return Err(e),
        Ok(()) => vec![],
    };
    let st = match resolve_refs(conn, m, d) {
        Ok(st) => st,
        Err(ApiError::Validation { errors, .. }) => {
            found.extend(errors);
            None
        }
        Err(e) => return Err(e),
    };
    let emails: Vec<String> = d
        .participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Organiser)
        .filter_map(|p| p.email.clone())
        .collect();
    let ctx = context_for(conn, m, own, proposer_id, st.as_ref(), &emails)?;
    for e in screening::screen(&d.to_draft(), &ctx) {
        if !found.iter().any(|f| f.field == e.field && f.rule == e.rule) {
            found.push(e);
        }
    }
    Ok(found)
}

fn screening_failed(errors: Vec<crate::error::FieldError>) -> ApiError {
    ApiError::Validation {
        code: crate::error::Code::ScreeningFailed,
        omitted: 0,
        message: format!(
            "the proposal breaks {} screening rule(s); all are listed",
            errors.len()
        ),
        errors,
    }
}

/// Refuses with 409 when the call is closed (or not yet open) for proposers.
pub fn check_window(m: &Meeting, submitting: bool) -> Result<(), ApiError> {
    if !m.rules()?.within_window {
        return Ok(());
    }
    let (opens, closes) = (from_db(m.cfp_opens_at), from_db(m.cfp_closes_at));
    let zone = m.venue()?;
    let t = now();
    let (code, message, at) = if t > closes {
        let shown = crate::time::show(closes, zone);
        (
            crate::error::Code::CfpClosed,
            format!(
                "the call for proposals closed at {} ({} in {})",
                shown.utc, shown.local, shown.zone
            ),
            closes,
        )
    } else if submitting && t < opens {
        let shown = crate::time::show(opens, zone);
        (
            crate::error::Code::CfpNotOpen,
            format!(
                "the call for proposals opens at {} ({} in {})",
                shown.utc, shown.local, shown.zone
            ),
            opens,
        )
    } else {
        return Ok(());
    };
    let mut extra = serde_json::Map::new();
    extra.insert(
        "deadline".into(),
        serde_json::to_value(crate::time::show(at, zone)).unwrap_or_default(),
    );
    Err(ApiError::Conflict {
        code,
        message,
        extra,
    })
}

/// Applies an edit. With `enforce` (the proposer's edit), a submitted proposal must
/// still pass screening after it, and nothing is written otherwise; the secretariat's
/// edit is written, and what it breaks is shown on the proposal.
pub fn update(
    conn: &mut DbConn,
    actor: i64,
    m: &Meeting,
    id: i64,
    patch: UpdateProposalRequest,
    expected: &Option<Vec<String>>,
    enforce: bool,
) -> Result<Proposal, ApiError> {
    crate::db::write_tx(conn, |c| {
        // The same turn as submits take (caps; one lock order: meeting, then proposal).
        crate::db::lock_meeting(c, m.id)?;
        let p = find(c, id)?.ok_or(ApiError::NotFound("proposal"))?;
        crate::etag::check(expected, &crate::etag::tag("proposal", p.id, p.version))?;
        if p.status == ProposalStatus::Withdrawn.as_str() {
            return Err(ApiError::conflict(
                crate::error::Code::ProposalWithdrawn,
                "a withdrawn proposal cannot be edited",
            ));
        }
        let before = data_of(c, &p)?;
        let after = before.clone().apply(patch.clone());
        after.check()?;
        let st = resolve_refs(c, m, &after)?;
        if enforce && p.status == ProposalStatus::Submitted.as_str() {
            let ctx = screening_context(c, m, &p, st.as_ref())?;
            let errors = screening::screen(&after.to_draft(), &ctx);
            if !errors.is_empty() {
                return Err(screening_failed(errors));
            }
        }
        let n = diesel::update(
            proposals::table
                .filter(proposals::id.eq(id))
                .filter(proposals::version.eq(p.version)),
        )
        .set((
            proposals::title.eq(after.title.trim()),
            proposals::description.eq(&after.description),
            proposals::policy_questions.eq(json_text(&after.policy_questions)?),
            proposals::theme_id.eq(after.theme_id),
            proposals::session_type_id.eq(st.as_ref().map(|s| s.id)),
            proposals::duration_min.eq(after.duration_min),
            proposals::format.eq(after.format.map(|f| f.as_str())),
            proposals::layout.eq(after.layout.map(|f| f.as_str())),
            proposals::sdgs.eq(json_text(&after.sdgs)?),
            proposals::expected_outcomes.eq(&after.expected_outcomes),
            proposals::hybrid_plan.eq(&after.hybrid_plan),
            proposals::first_time.eq(after.first_time),
            proposals::developing_country.eq(after.developing_country),
            proposals::past_organiser.eq(after.past_organiser),
            proposals::previous_report_url.eq(after.previous_report_url.as_deref()),
            proposals::interpretation.eq(json_text(&after.interpretation)?),
            proposals::captioning.eq(after.captioning),
            proposals::sign_language.eq(after.sign_language),
            proposals::version.eq(p.version + 1),
            proposals::updated_at.eq(to_db(now())),
        ))
        .execute(c)?;
        if n == 0 {
            return Err(ApiError::PreconditionFailed);
        }
        if patch.participants.is_some() {
            write_content(c, id, &after)?;
        }
        let updated = find(c, id)?.ok_or(ApiError::NotFound("proposal"))?;
        let before_v = serde_json::to_value(view_parts(&before)).unwrap_or_default();
        let after_v = serde_json::to_value(view_parts(&after)).unwrap_or_default();
        audit::record(
            c,
            Some(actor),
            "proposal.update",
            "proposal",
            id,
            Some(m.id),
            audit::diff(&before_v, &after_v),
        )?;
        Ok(updated)
    })
}

/// The audited fields of a proposal's content.
fn view_parts(d: &ProposalData) -> serde_json::Value {
    json!({
        "title": d.title, "description": d.description, "policy_questions": d.policy_questions,
        "theme_id": d.theme_id, "session_type": d.session_type, "duration_min": d.duration_min,
        "format": d.format.map(|f| f.as_str()), "layout": d.layout.map(|f| f.as_str()), "sdgs": d.sdgs,
        "expected_outcomes": d.expected_outcomes, "hybrid_plan": d.hybrid_plan, "first_time": d.first_time,
        "developing_country": d.developing_country, "past_organiser": d.past_organiser,
        "previous_report_url": d.previous_report_url,
        "interpretation": d.interpretation, "captioning": d.captioning, "sign_language": d.sign_language,
        "participants": d.participants.iter().map(|p| json!({
            "role": p.role.as_str(), "name": p.name, "email": p.email, "organisation": p.organisation,
            "country": p.country, "stakeholder_group": p.stakeholder_group.map(|x| x.as_str()),
            "regional_group": p.regional_group.map(|x| x.as_str()), "gender": p.gender.map(|x| x.as_str()),
            "timezone": p.timezone, "participation": p.participation.map(|x| x.as_str()),
        })).collect::<Vec<_>>(),
    })
}

/// Submits a draft: screening must pass. Returns the stored proposal.
pub fn submit(conn: &mut DbConn, actor: i64, m: &Meeting, id: i64) -> Result<Proposal, ApiError> {
    crate::db::write_tx(conn, |c| {
        // Caps per organiser count the meeting's submitted proposals: writes of one
        // meeting's proposals take turns, or two could both pass a cap only one fits.
        crate::db::lock_meeting(c, m.id)?;
        let p = find(c, id)?.ok_or(ApiError::NotFound("proposal"))?;
        match ProposalStatus::parse(&p.status) {
            Some(ProposalStatus::Draft) => {}
            Some(ProposalStatus::Submitted) => {
                return Err(ApiError::conflict(
                    crate::error::Code::AlreadySubmitted,
                    "the proposal is already submitted",
                ));
            }
            _ => {
                return Err(ApiError::conflict(
                    crate::error::Code::ProposalWithdrawn,
                    "a withdrawn proposal cannot be submitted",
                ));
            }
        }
        let errors = screen_stored(c, m, &p)?;
        if !errors.is_empty() {
            return Err(screening_failed(errors));
        }
        let t = to_db(now());
        let n = diesel::update(
            proposals::table
                .filter(proposals::id.eq(id))
                .filter(proposals::version.eq(p.version)),
        )
        .set((
            proposals::status.eq(ProposalStatus::Submitted.as_str()),
            proposals::submitted_at.eq(Some(t)),
            proposals::updated_at.eq(t),
            proposals::version.eq(p.version + 1),
        ))
        .execute(c)?;
        if n == 0 {
            return Err(ApiError::PreconditionFailed);
        }
        audit::record(
            c,
            Some(actor),
            "proposal.submit",
            "proposal",
            id,
            Some(m.id),
            json!({"status": {"from": "draft", "to": "submitted"}}),
        )?;
        crate::notify::proposal_submitted(c, m.id, id)?;
        find(c, id)?.ok_or(ApiError::NotFound("proposal"))
    })
}

/// Withdraws a draft or submitted proposal.
pub fn withdraw(conn: &mut DbConn, actor: i64, m: &Meeting, id: i64) -> Result<Proposal, ApiError> {
    crate::db::write_tx(conn, |c| {
        crate::db::lock_meeting(c, m.id)?;
        let p = find(c, id)?.ok_or(ApiError::NotFound("proposal"))?;
        if p.status == ProposalStatus::Withdrawn.as_str() {
            return Err(ApiError::conflict(
                crate::error::Code::ProposalWithdrawn,
                "the proposal is already withdrawn",
            ));
        }
        let t = to_db(now());
        diesel::update(proposals::table.filter(proposals::id.eq(id)))
            .set((
                proposals::status.eq(ProposalStatus::Withdrawn.as_str()),
                proposals::withdrawn_at.eq(Some(t)),
                proposals::updated_at.eq(t),
                proposals::version.eq(p.version + 1),
            ))
            .execute(c)?;
        audit::record(
            c,
            Some(actor),
            "proposal.withdraw",
            "proposal",
            id,
            Some(m.id),
            json!({"status": {"from": p.status, "to": "withdrawn"}}),
        )?;
        find(c, id)?.ok_or(ApiError::NotFound("proposal"))
    })
}

diesel::define_sql_function! {
    /// SQL `lower()`, the same on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Lists a meeting's proposals with filters; `only_proposer` limits to one account's.
pub fn list(
    conn: &mut DbConn,
    meeting_id: i64,
    only_proposer: Option<i64>,
    q: &ListProposalsQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Proposal>, i64), ApiError> {
    let st_id: Option<Option<i64>> = match &q.session_type {
        None => None,
        Some(code) => Some(
            session_types::table
                .filter(session_types::meeting_id.eq(meeting_id))
                .filter(session_types::code.eq(code))
                .select(session_types::id)
                .first(conn)
                .optional()?,
        ),
    };
    macro_rules! filtered {
        () => {{
            let mut b = proposals::table
                .filter(proposals::meeting_id.eq(meeting_id))
                .into_boxed();
            if let Some(uid) = only_proposer {
                b = b.filter(proposals::proposer_id.eq(uid));
            }
            if let Some(t) = q.theme_id {
                b = b.filter(proposals::theme_id.eq(t));
            }
            match st_id {
                Some(Some(id)) => b = b.filter(proposals::session_type_id.eq(id)),
                Some(None) => b = b.filter(proposals::id.eq(-1)),
                None => {}
            }
            if let Some(s) = q.status {
                b = b.filter(proposals::status.eq(s.as_str()));
            }
            if let Some(rg) = q.regional_group {
                b = b.filter(
                    proposals::id.eq_any(
                        pp::table
                            .filter(pp::regional_group.eq(rg.as_str()))
                            .select(pp::proposal_id),
                    ),
                );
            }
            if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                let escaped = text
                    .to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                b = b.filter(
                    lower(proposals::title)
                        .like(format!("%{escaped}%"))
                        .escape('\\'),
                );
            }
            b
        }};
    }
    let total: i64 = filtered!().count().get_result(conn)?;
    let rows = filtered!()
        .order(proposals::id.desc())
        .limit(limit)
        .offset(offset)
        .select(Proposal::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The policy questions of the proposals the sessions came from, by session (a session
/// made without a proposal has none): public once the session is in a published
/// programme, as its description is.
pub fn policy_questions_of_sessions(
    conn: &mut DbConn,
    session_ids: &[i64],
) -> Result<std::collections::BTreeMap<i64, Vec<String>>, ApiError> {
    use crate::db::schema::sessions;
    let rows: Vec<(i64, i64, String)> = sessions::table
        .inner_join(proposals::table.on(sessions::proposal_id.eq(proposals::id.nullable())))
        .filter(sessions::id.eq_any(session_ids))
        .select((sessions::id, proposals::id, proposals::policy_questions))
        .load(conn)?;
    rows.into_iter()
        .map(|(session, proposal, text)| {
            crate::db::json_column(&text, "proposals.policy_questions", proposal)
                .map(|q| (session, q))
        })
        .collect()
}

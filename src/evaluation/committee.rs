//! A meeting's evaluation committee: the evaluator accounts the secretariat names to
//! serve on it. Assignment, scoring and results use only its members.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::phase::{self, Phase};
use crate::audit;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::db::schema::{
    evaluation_assignments as ea, evaluation_scores as es, evaluator_profiles as ep,
    meeting_evaluators as me, users,
};
use crate::error::{ApiError, Code};
use crate::meetings::service::load_visible;
use crate::validate::Checker;

/// Body of `POST /api/v1/meetings/{meeting_id}/evaluators`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddMembers {
    /// Evaluator accounts to add; members already on the committee are left as they are.
    pub user_ids: Vec<i64>,
}

/// One member of a committee, with their progress.
#[derive(Debug, Serialize)]
pub struct Member {
    /// The evaluator's account.
    pub user_id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Whether the account can sign in; inactive members get no new assignments.
    pub active: bool,
    /// Stakeholder group from the evaluator profile.
    pub stakeholder_group: Option<String>,
    /// Regional group from the evaluator profile.
    pub regional_group: Option<String>,
    /// Proposals assigned to the member in this meeting.
    pub assigned: i64,
    /// Of those, how many the member has scored.
    pub scored: i64,
}

/// A meeting's committee.
#[derive(Debug, Serialize)]
pub struct Committee {
    /// The meeting.
    pub meeting_id: i64,
    /// Its members, by account id.
    pub members: Vec<Member>,
}

/// The account ids on a meeting's committee that may take new assignments (active
/// evaluators), in id order.
pub fn active_members(conn: &mut DbConn, meeting_id: i64) -> Result<Vec<i64>, ApiError> {
    Ok(me::table
        .inner_join(users::table)
        .filter(me::meeting_id.eq(meeting_id))
        .filter(users::active.eq(true))
        .filter(users::role.eq(Role::Evaluator.as_str()))
        .order(me::user_id)
        .select(me::user_id)
        .load(conn)?)
}

/// Whether an account serves on any committee (its role cannot change while it does).
pub fn serves_anywhere(conn: &mut DbConn, user_id: i64) -> Result<Vec<i64>, ApiError> {
    Ok(me::table
        .filter(me::user_id.eq(user_id))
        .order(me::meeting_id)
        .select(me::meeting_id)
        .load(conn)?)
}

fn read(conn: &mut DbConn, meeting_id: i64) -> Result<Committee, ApiError> {
    type Row = (i64, String, String, bool, Option<String>, Option<String>);
    let rows: Vec<Row> = me::table
        .inner_join(users::table)
        .left_join(ep::table.on(ep::user_id.eq(me::user_id)))
        .filter(me::meeting_id.eq(meeting_id))
        .order(me::user_id)
        .select((
            me::user_id,
            users::name,
            users::email,
            users::active,
            ep::stakeholder_group.nullable(),
            ep::regional_group.nullable(),
        ))
        .load(conn)?;
    let count = |pairs: Vec<i64>| {
        let mut m: BTreeMap<i64, i64> = BTreeMap::new();
        for id in pairs {
            *m.entry(id).or_default() += 1;
        }
        m
    };
    let assigned = count(
        ea::table
            .filter(ea::meeting_id.eq(meeting_id))
            .select(ea::evaluator_id)
            .load(conn)?,
    );
    let scored = count(
        es::table
            .filter(es::meeting_id.eq(meeting_id))
            .select(es::evaluator_id)
            .load(conn)?,
    );
    let members = rows
        .into_iter()
        .map(|(id, name, email, active, sg, rg)| Member {
            user_id: id,
            name,
            email,
            active,
            stakeholder_group: sg,
            regional_group: rg,
            assigned: assigned.get(&id).copied().unwrap_or(0),
            scored: scored.get(&id).copied().unwrap_or(0),
        })
        .collect();
    Ok(Committee {
        meeting_id,
        members,
    })
}

/// Refuses a change of the committee once the results are published.
fn changeable(c: &mut DbConn, meeting_id: i64) -> Result<(), ApiError> {
    let s = phase::load(c, meeting_id)?;
    phase::require(
        &s,
        &[Phase::NotStarted, Phase::Scoring, Phase::Closed],
        "changing the committee",
    )
}

/// The secretariat reads a meeting's committee with each member's progress.
pub fn list(conn: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<Committee, ApiError> {
    actor.require(Role::Secretariat)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    read(conn, meeting_id)
}

/// The secretariat adds evaluator accounts to a meeting's committee, before the
/// results are published; every id that is not an active evaluator is named.
pub fn add(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &AddMembers,
) -> Result<Committee, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = Checker::new();
    if body.user_ids.is_empty() {
        c.add(
            "user_ids",
            "min_items",
            "name at least one evaluator account",
        );
    }
    if body.user_ids.len() > 500 {
        c.add(
            "user_ids",
            "max_items",
            "at most 500 accounts can be added at once",
        );
    }
    c.finish()?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    crate::db::write_tx(conn, |c| {
        changeable(c, meeting_id)?;
        let found: BTreeMap<i64, (String, bool)> = users::table
            .filter(users::id.eq_any(&body.user_ids))
            .select((users::id, users::role, users::active))
            .load::<(i64, String, bool)>(c)?
            .into_iter()
            .map(|(id, role, active)| (id, (role, active)))
            .collect();
        let mut check = Checker::new();
        for (i, id) in body.user_ids.iter().enumerate() {
            let field = format!("user_ids[{i}]");
            match found.get(id) {
                None => check.add(field, "exists", format!("there is no account {id}")),
                Some((role, _)) if role != Role::Evaluator.as_str() => check.add(
                    field,
                    "evaluator",
                    format!("account {id} is a {role} account, not an evaluator"),
                ),
                Some((_, false)) => check.add(
                    field,
                    "active",
                    format!("account {id} is deactivated; reactivate it first"),
                ),
                Some(_) => {}
            }
        }
        check.finish()?;
        let present: BTreeSet<i64> = me::table
            .filter(me::meeting_id.eq(meeting_id))
            .select(me::user_id)
            .load::<i64>(c)?
            .into_iter()
            .collect();
        let new: BTreeSet<i64> = body
            .user_ids
            .iter()
            .copied()
            .filter(|id| !present.contains(id))
            .collect();
        let at = crate::time::to_db(crate::time::now());
        for id in &new {
            diesel::insert_into(me::table)
                .values((
                    me::meeting_id.eq(meeting_id),
                    me::user_id.eq(id),
                    me::added_at.eq(at),
                ))
                .execute(c)?;
        }
        if !new.is_empty() {
            audit::record(
                c,
                Some(actor.id),
                "committee.add",
                "meeting",
                meeting_id,
                Some(meeting_id),
                json!({"added": new}),
            )?;
        }
        read(c, meeting_id)
    })
}

/// The secretariat removes a member from a meeting's committee with their unscored
/// assignments; a member who has scored stays, so that results keep their scores.
pub fn remove(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    user_id: i64,
) -> Result<(), ApiError> {
    actor.require(Role::Secretariat)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    crate::db::write_tx(conn, |c| {
        changeable(c, meeting_id)?;
        let scored: i64 = es::table
            .filter(es::meeting_id.eq(meeting_id))
            .filter(es::evaluator_id.eq(user_id))
            .count()
            .get_result(c)?;
        if scored > 0 {
            return Err(ApiError::conflict(
                Code::EvaluatorHasScores,
                format!(
                    "evaluator {user_id} has scored {scored} proposal(s) of this meeting; \
                     the results keep their scores, so they stay on the committee"
                ),
            ));
        }
        let gone = diesel::delete(
            me::table
                .filter(me::meeting_id.eq(meeting_id))
                .filter(me::user_id.eq(user_id)),
        )
        .execute(c)?;
        if gone == 0 {
            return Err(ApiError::NotFound("committee member"));
        }
        let unassigned = diesel::delete(
            ea::table
                .filter(ea::meeting_id.eq(meeting_id))
                .filter(ea::evaluator_id.eq(user_id)),
        )
        .execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "committee.remove",
            "meeting",
            meeting_id,
            Some(meeting_id),
            json!({"removed": user_id, "assignments_removed": unassigned}),
        )
    })
}

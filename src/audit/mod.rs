//! The audit trail: every create, state change and edit of accounts, meetings and
//! proposals, written in the same transaction as the change it records, and the
//! trail as the secretariat reads it ([`list`]; HTTP in [`handlers`]).

pub mod handlers;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::db::schema::audit_log;
use crate::error::ApiError;
use crate::page::{Page, Paginated};

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
struct NewEntry<'a> {
    at: chrono::NaiveDateTime,
    actor_id: Option<i64>,
    action: &'a str,
    entity_type: &'a str,
    entity_id: i64,
    meeting_id: Option<i64>,
    changes: String,
}

/// The kinds of record the trail names (`entity_type`), as the API's spec lists them.
pub const ENTITY_TYPES: [&str; 17] = [
    "bilateral_booking",
    "bilateral_room",
    "hub",
    "meeting",
    "proposal",
    "room",
    "schedule_job",
    "schedule_version",
    "selection_run",
    "session",
    "session_report",
    "session_type",
    "slot",
    "theme",
    "unavailability",
    "user",
    "webhook",
];

/// Kinds of record whose changes never reach the programme or its feeds.
/// (An accepted report's change tells the pages itself: [`crate::reports`].)
const BESIDE_PROGRAMME: [&str; 4] = [
    "bilateral_booking",
    "bilateral_room",
    "session_report",
    "webhook",
];

/// Actions allowed on an archived meeting: archiving, restoring and deleting it.
const ON_ARCHIVED: [&str; 3] = ["meeting.archive", "meeting.restore", "meeting.delete"];

/// Records one audited action; call it inside the transaction of the change.
///
/// Every change to a meeting records itself here, so this is also where a change to an
/// archived meeting is refused (409 `archived`), whichever use case makes it: the
/// refusal rolls the whole transaction back. Housekeeping with no actor (a stale job
/// failed by the reaper) still goes through. For the same reason it is where the
/// meeting's feeds learn of the change ([`crate::feeds::truth::changed`]).
pub fn record(
    conn: &mut DbConn,
    actor: Option<i64>,
    action: &str,
    entity_type: &str,
    entity_id: i64,
    meeting_id: Option<i64>,
    changes: Value,
) -> Result<(), ApiError> {
    debug_assert!(
        ENTITY_TYPES.contains(&entity_type),
        "{entity_type} is not in audit::ENTITY_TYPES"
    );
    if let Some(id) = meeting_id {
        // One read of the meeting serves both the archive guard and the feeds.
        use crate::db::schema::meetings;
        let row: Option<(Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>)> =
            meetings::table
                .find(id)
                .select((meetings::archived_at, meetings::feed_changed_at))
                .first(conn)
                .optional()?;
        // None: the meeting was deleted in this transaction.
        if let Some((archived_at, feed_changed_at)) = row {
            if archived_at.is_some() && actor.is_some() && !ON_ARCHIVED.contains(&action) {
                return Err(ApiError::conflict(
                    crate::error::Code::Archived,
                    format!(
                        "meeting {id} is archived and read-only; restore it first with PATCH {{\"archived\": false}}"
                    ),
                ));
            }
            if !BESIDE_PROGRAMME.contains(&entity_type) {
                crate::feeds::truth::changed(conn, id, feed_changed_at)?;
            }
        }
    }
    diesel::insert_into(audit_log::table)
        .values(NewEntry {
            at: crate::time::to_db(crate::time::now()),
            actor_id: actor,
            action,
            entity_type,
            entity_id,
            meeting_id,
            changes: changes.to_string(),
        })
        .execute(conn)?;
    Ok(())
}

/// The fields that differ between two JSON snapshots, as `{field: {from, to}}`.
pub fn diff(before: &Value, after: &Value) -> Value {
    let mut out = serde_json::Map::new();
    if let (Value::Object(a), Value::Object(b)) = (before, after) {
        for (k, vb) in b {
            let va = a.get(k).unwrap_or(&Value::Null);
            if va != vb {
                out.insert(k.clone(), serde_json::json!({"from": va, "to": vb}));
            }
        }
    }
    Value::Object(out)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_log)]
struct Entry {
    id: i64,
    at: chrono::NaiveDateTime,
    actor_id: Option<i64>,
    action: String,
    entity_type: String,
    entity_id: i64,
    meeting_id: Option<i64>,
    changes: String,
}

/// An audit entry as the API shows it.
#[derive(Debug, Serialize)]
pub struct EntryResponse {
    /// Id, increasing with time.
    pub id: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who acted (absent for system actions).
    pub actor_id: Option<i64>,
    /// What was done, e.g. `proposal.submit`.
    pub action: String,
    /// Kind of entity.
    pub entity_type: String,
    /// Entity id.
    pub entity_id: i64,
    /// Meeting concerned, if any.
    pub meeting_id: Option<i64>,
    /// What changed.
    pub changes: Value,
}

/// Filters of `GET /api/v1/audit`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only this entity type, one of [`ENTITY_TYPES`].
    pub entity_type: Option<String>,
    /// Only this entity id.
    pub entity_id: Option<i64>,
    /// Only this actor.
    pub actor_id: Option<i64>,
    /// Only this meeting.
    pub meeting_id: Option<i64>,
    /// Only this action.
    pub action: Option<String>,
    /// Only entries at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only entries before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// The trail as the secretariat reads it, newest first, filtered and paginated.
pub fn list(
    conn: &mut DbConn,
    actor: &AuthUser,
    q: &AuditQuery,
) -> Result<Paginated<EntryResponse>, ApiError> {
    actor.require(Role::Secretariat)?;
    if let Some(t) = &q.entity_type
        && !ENTITY_TYPES.contains(&t.as_str())
    {
        return Err(ApiError::field(
            "entity_type",
            "one_of",
            format!("{t:?} is not one of {}", ENTITY_TYPES.join(", ")),
        ));
    }
    let page = Page::new(q.page, q.per_page)?;
    macro_rules! filtered {
        () => {{
            let mut b = audit_log::table.into_boxed();
            if let Some(v) = &q.entity_type {
                b = b.filter(audit_log::entity_type.eq(v.clone()));
            }
            if let Some(v) = q.entity_id {
                b = b.filter(audit_log::entity_id.eq(v));
            }
            if let Some(v) = q.actor_id {
                b = b.filter(audit_log::actor_id.eq(v));
            }
            if let Some(v) = q.meeting_id {
                b = b.filter(audit_log::meeting_id.eq(v));
            }
            if let Some(v) = &q.action {
                b = b.filter(audit_log::action.eq(v.clone()));
            }
            if let Some(v) = q.since {
                b = b.filter(audit_log::at.ge(v.naive_utc()));
            }
            if let Some(v) = q.until {
                b = b.filter(audit_log::at.lt(v.naive_utc()));
            }
            b
        }};
    }
    let total: i64 = filtered!().count().get_result(conn)?;
    let rows: Vec<Entry> = filtered!()
        .order(audit_log::id.desc())
        .limit(page.per_page)
        .offset(page.offset())
        .select(Entry::as_select())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|e| {
            let changes = serde_json::from_str(&e.changes).map_err(|err| {
                ApiError::Internal(anyhow::anyhow!(
                    "audit entry {} holds changes that are not JSON: {err}",
                    e.id
                ))
            })?;
            Ok(EntryResponse {
                id: e.id,
                at: crate::time::from_db(e.at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                actor_id: e.actor_id,
                action: e.action,
                entity_type: e.entity_type,
                entity_id: e.entity_id,
                meeting_id: e.meeting_id,
                changes,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(page.of(items, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_lists_only_changed_fields() {
        let d = diff(
            &json!({"a": 1, "b": "x"}),
            &json!({"a": 2, "b": "x", "c": true}),
        );
        assert_eq!(
            d,
            json!({"a": {"from": 1, "to": 2}, "c": {"from": null, "to": true}})
        );
    }
}

//! Meeting use cases: the secretariat creates and edits meetings; anyone reads a
//! published one (the secretariat every one). Who may see a meeting is decided here,
//! for every domain that reads through one.

use super::models::Meeting;
use super::queries;
use super::types::*;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::page::{Page, Paginated};

/// Whether the caller may see the meeting (published, or the secretariat).
pub fn visible(m: &Meeting, user: &Option<AuthUser>) -> bool {
    m.published || user.as_ref().is_some_and(AuthUser::is_secretariat)
}

/// Loads a meeting the caller may see, else 404.
pub fn load_visible(
    conn: &mut DbConn,
    id: i64,
    user: &Option<AuthUser>,
) -> Result<Meeting, ApiError> {
    match queries::find(conn, id)? {
        Some(m) if visible(&m, user) => Ok(m),
        _ => Err(ApiError::NotFound("meeting")),
    }
}

/// Loads any meeting for the secretariat, else 404.
pub fn load_for_secretariat(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
) -> Result<Meeting, ApiError> {
    actor.require(Role::Secretariat)?;
    queries::find(conn, id)?.ok_or(ApiError::NotFound("meeting"))
}

/// The secretariat creates a meeting with its days, themes, session types, rooms and
/// slots.
pub fn create(
    conn: &mut DbConn,
    actor: &AuthUser,
    body: &CreateMeetingRequest,
) -> Result<MeetingResponse, ApiError> {
    actor.require(Role::Secretariat)?;
    check_create(body).finish()?;
    let zone = crate::time::parse_zone(&body.timezone)
        .map_err(|e| ApiError::field("timezone", "timezone", e.to_string()))?;
    let days = meeting_days(body.day_zero, body.first_day, body.last_day);
    let slots = generate_slots(
        zone,
        &days,
        &body.slot_template,
        body.day_zero_slot_template.as_deref(),
    )
    .map_err(|c| c.finish().err().unwrap_or(ApiError::NotFound("slot")))?;
    crate::db::write_tx(conn, |c| {
        let id = queries::insert(c, actor.id, body, &days, &slots)?;
        let m = queries::find(c, id)?.ok_or(ApiError::NotFound("meeting"))?;
        queries::view(c, &m)
    })
}

/// Published meetings (every one, for the secretariat), a page at a time.
pub fn list(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    q: &ListMeetingsQuery,
) -> Result<Paginated<MeetingResponse>, ApiError> {
    let page = Page::new(q.page, q.per_page)?;
    let all = viewer.as_ref().is_some_and(AuthUser::is_secretariat);
    let (rows, total) = queries::list(conn, all, q.archived, page.per_page, page.offset())?;
    let items = queries::views(conn, &rows)?;
    Ok(page.of(items, total))
}

/// One meeting the caller may see.
pub fn get(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    id: i64,
) -> Result<MeetingResponse, ApiError> {
    let m = load_visible(conn, id, viewer)?;
    queries::view(conn, &m)
}

/// The secretariat edits a meeting; `expected` is the `If-Match` version, if sent.
pub fn update(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    body: &UpdateMeetingRequest,
    expected: &Option<Vec<String>>,
) -> Result<MeetingResponse, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = crate::validate::Checker::new();
    if let Some(n) = &body.name {
        c.text("name", n, 200);
    }
    if let Some(v) = &body.venue {
        c.text("venue", v, 200);
    }
    if let Some(y) = body.year {
        c.range("year", y, 2000, 2100);
    }
    if let Some(z) = &body.timezone {
        c.zone("timezone", z);
    }
    if let Some(list) = &body.developing_countries {
        // Over the cap the list is refused whole; its items are not read.
        let listed = if c.max_items("developing_countries", list.len(), 300) {
            list.len()
        } else {
            0
        };
        for (i, cc) in list.iter().take(listed).enumerate() {
            c.country(&format!("developing_countries[{i}]"), cc);
        }
    }
    if let Some(r) = &body.reports {
        if let Some(h) = r.short_due_hours {
            c.range("reports.short_due_hours", h, 1, 720);
        }
        if let Some(d) = r.full_due_days {
            c.range("reports.full_due_days", d, 0, 365);
        }
    }
    c.finish()?;
    crate::db::write_tx(conn, |c| {
        let m = queries::update(c, actor.id, id, body, expected)?;
        queries::view(c, &m)
    })
}

/// The time slots of a meeting the caller may see.
pub fn slots(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    id: i64,
) -> Result<Vec<SlotResponse>, ApiError> {
    let m = load_visible(conn, id, viewer)?;
    queries::slots(conn, &m)
}

/// The secretariat deletes a meeting that nothing was published from and no proposal
/// was made to (answers `None`); a meeting with proposals, published results or a
/// published programme is archived instead: kept whole, readable and its feeds served,
/// out of the default list (answers it).
pub fn remove(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
) -> Result<Option<MeetingResponse>, ApiError> {
    use diesel::prelude::*;

    use crate::db::schema::{
        evaluation_settings as es, meetings, proposals, schedule_versions as sv,
    };
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let m = queries::find(c, id)?.ok_or(ApiError::NotFound("meeting"))?;
        let proposals: i64 = proposals::table
            .filter(proposals::meeting_id.eq(id))
            .count()
            .get_result(c)?;
        let published_versions: i64 = sv::table
            .filter(sv::meeting_id.eq(id))
            .filter(sv::publication.is_not_null())
            .count()
            .get_result(c)?;
        let results: i64 = es::table
            .filter(es::meeting_id.eq(id))
            .filter(es::published_at.is_not_null())
            .count()
            .get_result(c)?;
        if proposals == 0 && published_versions == 0 && results == 0 {
            // Draft placements name rooms and slots that go with the meeting: they go
            // first, as PostgreSQL checks those references before the cascade is done.
            use crate::db::schema::schedule_placements as sp;
            let versions = sv::table.filter(sv::meeting_id.eq(id)).select(sv::id);
            diesel::delete(sp::table.filter(sp::version_id.eq_any(versions))).execute(c)?;
            diesel::delete(meetings::table.find(id)).execute(c)?;
            crate::audit::record(
                c,
                Some(actor.id),
                "meeting.delete",
                "meeting",
                id,
                None,
                serde_json::json!({"name": m.name, "year": m.year}),
            )?;
            return Ok(None);
        }
        if m.archived_at.is_none() {
            diesel::update(meetings::table.find(id))
                .set(meetings::archived_at.eq(crate::time::to_db(crate::time::now())))
                .execute(c)?;
            crate::audit::record(
                c,
                Some(actor.id),
                "meeting.archive",
                "meeting",
                id,
                Some(id),
                serde_json::json!({"proposals": proposals, "published_versions": published_versions,
                                   "results_published": results > 0}),
            )?;
        }
        let m = queries::find(c, id)?.ok_or(ApiError::NotFound("meeting"))?;
        queries::view(c, &m).map(Some)
    })
}

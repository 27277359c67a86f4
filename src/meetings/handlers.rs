//! Meeting endpoints: the secretariat sets a meeting up; anyone reads published ones.

use crate::auth::extract::Secretariat;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::queries::{self, Meeting};
use super::types::*;
use crate::app::AppState;
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::extract::{Json, Page, Query};

/// Whether the caller may see the meeting (published, or the secretariat).
pub fn visible(m: &Meeting, user: &Option<AuthUser>) -> bool {
    m.published || user.as_ref().is_some_and(AuthUser::is_secretariat)
}

/// Loads a meeting the caller may see, else 404.
pub fn load_visible(
    conn: &mut crate::db::DbConn,
    id: i64,
    user: &Option<AuthUser>,
) -> Result<Meeting, ApiError> {
    match queries::find(conn, id)? {
        Some(m) if visible(&m, user) => Ok(m),
        _ => Err(ApiError::NotFound("meeting")),
    }
}

fn with_etag(mut resp: actix_web::HttpResponseBuilder, m: &MeetingResponse) -> HttpResponse {
    resp.insert_header(("ETag", crate::etag::tag("meeting", m.id, m.version)))
        .json(m)
}

/// `POST /api/v1/meetings`.
#[tracing::instrument(skip_all)]
pub async fn create_meeting(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    Json(body): Json<CreateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    check_create(&body).finish()?;
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
    let actor = user.id;
    let view = crate::db::run(&state.pool, move |c| {
        let id = queries::insert(c, actor, &body, &days, &slots)?;
        let m = queries::find(c, id)?.ok_or(ApiError::NotFound("meeting"))?;
        queries::view(c, &m)
    })
    .await?;
    let mut resp = HttpResponse::Created();
    resp.insert_header(("Location", format!("/api/v1/meetings/{}", view.id)));
    Ok(with_etag(resp, &view))
}

/// Query of `GET /api/v1/meetings`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListMeetingsQuery {
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// `GET /api/v1/meetings`: published meetings (all, for the secretariat).
pub async fn list_meetings(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Query(q): Query<ListMeetingsQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = Page::new(q.page, q.per_page)?;
    let all = user.as_ref().is_some_and(AuthUser::is_secretariat);
    let (items, total) = crate::db::run(&state.pool, move |c| {
        let (rows, total) = queries::list(c, all, page.per_page, page.offset())?;
        let items = rows
            .iter()
            .map(|m| queries::view(c, m))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((items, total))
    })
    .await?;
    Ok(HttpResponse::Ok().json(page.of(items, total)))
}

/// `GET /api/v1/meetings/{meeting_id}`.
pub async fn get_meeting(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let view = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, id, &user)?;
        queries::view(c, &m)
    })
    .await?;
    Ok(with_etag(HttpResponse::Ok(), &view))
}

/// `PATCH /api/v1/meetings/{meeting_id}`: honours `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn update_meeting(
    state: web::Data<AppState>,
    req: HttpRequest,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<UpdateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
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
    if let Some(list) = &body.developing_countries {
        c.max_items("developing_countries", list.len(), 300);
        for (i, cc) in list.iter().enumerate() {
            c.country(&format!("developing_countries[{i}]"), cc);
        }
    }
    c.finish()?;
    let (id, actor, expected) = (path.into_inner(), user.id, crate::etag::if_match(&req));
    let view = crate::db::run(&state.pool, move |c| {
        let m = queries::update(c, actor, id, &body, &expected)?;
        queries::view(c, &m)
    })
    .await?;
    state.feeds.forget(id);
    Ok(with_etag(HttpResponse::Ok(), &view))
}

/// `GET /api/v1/meetings/{meeting_id}/slots`.
pub async fn list_slots(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let slots = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, id, &user)?;
        queries::slots(c, &m)
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": slots })))
}

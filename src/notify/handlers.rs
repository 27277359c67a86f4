//! HTTP for the outbox: the secretariat reads a meeting's messages and keeps its
//! webhook endpoints.

use actix_web::{HttpResponse, web};

use super::service::{self, MessagesQuery};
use super::webhooks::{self, DeliveriesQuery, EndpointChange, EndpointInput};
use crate::auth::extract::Secretariat;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// `GET /api/v1/meetings/{meeting_id}/messages`.
pub async fn list_messages(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<MessagesQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let body = crate::db::run(&state.pool, move |c| {
        service::list(c, &user, meeting_id, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/messages` (secretariat): the accounts' own messages and their state.
pub async fn list_account_messages(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    Query(q): Query<MessagesQuery>,
) -> Result<HttpResponse, ApiError> {
    let body = crate::db::run(&state.pool, move |c| {
        service::list_for_accounts(c, &user, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `POST /api/v1/meetings/{meeting_id}/webhooks` (secretariat): the answer holds the
/// signing secret, once.
pub async fn create_webhook(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<EndpointInput>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let allowed = state.settings.webhook_private_allowed.clone();
    let v = crate::db::run(&state.pool, move |c| {
        webhooks::create(c, &user, meeting_id, &body, &allowed)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/webhooks` (secretariat).
pub async fn list_webhooks(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let items = crate::db::run(&state.pool, move |c| webhooks::list(c, &user, meeting_id)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items })))
}

/// `GET /api/v1/webhooks/{webhook_id}` (secretariat).
pub async fn get_webhook(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| webhooks::get(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `PATCH /api/v1/webhooks/{webhook_id}` (secretariat).
pub async fn update_webhook(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<EndpointChange>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let allowed = state.settings.webhook_private_allowed.clone();
    let v = crate::db::run(&state.pool, move |c| {
        webhooks::update(c, &user, id, &body, &allowed)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/webhooks/{webhook_id}` (secretariat).
pub async fn delete_webhook(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    crate::db::run(&state.pool, move |c| webhooks::delete(c, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/webhooks/{webhook_id}/deliveries` (secretariat).
pub async fn list_deliveries(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<DeliveriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| webhooks::deliveries(c, &user, id, &q)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `POST /api/v1/webhooks/{webhook_id}/messages/{message_id}/redeliver` (secretariat).
pub async fn redeliver(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, message_id) = path.into_inner();
    crate::db::run(&state.pool, move |c| {
        webhooks::redeliver(c, &user, id, message_id)
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

//! HTTP for the outbox: the secretariat reads a meeting's messages.

use actix_web::{HttpResponse, web};

use super::service::{self, MessagesQuery};
use crate::auth::extract::Secretariat;
use crate::error::ApiError;
use crate::extract::Query;
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

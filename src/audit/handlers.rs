//! HTTP for the audit trail.

use actix_web::{HttpResponse, web};

use super::AuditQuery;
use crate::auth::extract::Secretariat;
use crate::error::ApiError;
use crate::extract::Query;
use crate::state::AppState;

/// `GET /api/v1/audit`: the secretariat reads the trail, newest first.
pub async fn list_audit(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    Query(q): Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let body = crate::db::run(&state.pool, move |c| super::list(c, &user, &q)).await?;
    Ok(HttpResponse::Ok().json(body))
}

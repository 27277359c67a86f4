//! Operational endpoints.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::db::Backend;
use crate::state::AppState;

/// `GET /health`: 200 when the database answers, a 503 problem otherwise.
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let backend = match Backend::of(&state.settings.database_url) {
        Backend::Postgres => "postgres",
        Backend::Sqlite => "sqlite",
    };
    let ok = crate::db::run(&state.pool, crate::db::ping).await;
    match ok {
        Ok(()) => {
            HttpResponse::Ok().json(json!({"status": "ok", "database": "ok", "backend": backend}))
        }
        Err(e) => {
            tracing::error!(error = ?e, "health check failed");
            HttpResponse::ServiceUnavailable().json(
                json!({"status": "unavailable", "database": "unreachable", "backend": backend}),
            )
        }
    }
}

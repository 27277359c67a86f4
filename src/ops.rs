//! Operational endpoints.

use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl;
use serde_json::json;

use crate::app::AppState;
use crate::db::Backend;

/// `GET /health`: 200 when the database answers, a 503 problem otherwise.
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let backend = match Backend::of(&state.settings.database_url) {
        Backend::Postgres => "postgres",
        Backend::Sqlite => "sqlite",
    };
    let ok = crate::db::run(&state.pool, |c| {
        diesel::sql_query("SELECT 1").execute(c)?;
        Ok(())
    })
    .await;
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

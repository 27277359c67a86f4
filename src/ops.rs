//! Operational endpoints: health, what the service is, and its API description.

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

/// The API description, as the service serves it.
const OPENAPI: &str = include_str!("../api-spec/openapi.yaml");

/// `GET /`: what the service is and where to start.
pub async fn index() -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "service": "igf-scheduler",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Scheduling and logistics for IGF-style multistakeholder meetings: \
                        the call for proposals, evaluation and selection, the schedule, \
                        and the programme with its calendar feeds.",
        "api_description": "/api/v1/openapi.yaml",
        "meetings": "/api/v1/meetings",
        "health": "/health",
    }))
}

/// `GET /api/v1/openapi.yaml`: the OpenAPI 3.1 description of this API.
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=300"))
        .body(OPENAPI)
}

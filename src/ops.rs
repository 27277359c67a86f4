//! Operational endpoints: health, what the service is, and its API description.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::db::Backend;
use crate::state::AppState;

/// `GET /health`: 200 when the database answers and the instance is ready; a 503
/// problem while it loads what it was started with, or when the database is away.
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let backend = match Backend::of(&state.settings.database_url) {
        Backend::Postgres => "postgres",
        Backend::Sqlite => "sqlite",
    };
    let problem = |code: crate::error::Code, detail: &str, database: &str| {
        HttpResponse::ServiceUnavailable()
            .content_type("application/problem+json")
            .insert_header(("Retry-After", "5"))
            .json(json!({
                "type": format!("urn:igf-scheduler:problem:{code}"),
                "title": "Service Unavailable",
                "status": 503,
                "detail": detail,
                "code": code.as_str(),
                "database": database,
                "backend": backend,
            }))
    };
    match crate::db::run(&state.pool, crate::db::ping).await {
        Err(e) => {
            tracing::error!(error = ?e, "health check failed");
            problem(
                crate::error::Code::DatabaseUnavailable,
                "the database does not answer",
                "unreachable",
            )
        }
        Ok(()) if !state.ready.load(std::sync::atomic::Ordering::SeqCst) => problem(
            crate::error::Code::Starting,
            "the service is loading the demo meeting; try again in a few seconds",
            "ok",
        ),
        Ok(()) => {
            HttpResponse::Ok().json(json!({"status": "ok", "database": "ok", "backend": backend}))
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

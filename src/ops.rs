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

/// `GET /`: what the service is and where to start; for a browser, the page of the
/// meetings with a published programme.
pub async fn index(
    req: actix_web::HttpRequest,
    state: web::Data<crate::state::AppState>,
    user: crate::auth::extract::MaybeAuthUser,
) -> Result<HttpResponse, crate::error::ApiError> {
    if wants_html(&req) {
        return crate::web::pages::index(&state, user.0).await;
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Vary", "Accept"))
        .json(json!({
            "service": "igf-scheduler",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Scheduling and logistics for IGF-style multistakeholder meetings: \
                            the call for proposals, evaluation and selection, the schedule, \
                            and the programme with its calendar feeds.",
            "api_description": "/api/v1/openapi.yaml",
            "meetings": "/api/v1/meetings",
            "health": "/health",
        })))
}

/// Whether the client asked for a page: `text/html` before any JSON in `Accept`, as
/// browsers send it.
fn wants_html(req: &actix_web::HttpRequest) -> bool {
    let accept = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let html = accept.find("text/html");
    let json = accept.find("application/json");
    match (html, json) {
        (Some(h), Some(j)) => h < j,
        (Some(_), None) => true,
        _ => false,
    }
}

/// `GET /api/v1/openapi.yaml`: the OpenAPI 3.1 description of this API.
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=300"))
        .body(OPENAPI)
}

//! Structured logs: `IGF_LOG` sets the filter (default `info`), `IGF_LOG_FORMAT=json`
//! writes one JSON object per event. Every request logs one line with its method,
//! route, path and status; request spans never carry secrets from URLs.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls do nothing.
pub fn init() {
    let filter = EnvFilter::try_from_env("IGF_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("IGF_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    // Colours only on a terminal: a log file or a collector gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// The path as logs may show it: a personal agenda's secret token (it is the agenda's
/// address) is replaced by `[redacted]`.
pub fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/api/v1/agendas/") {
        Some(rest) => {
            let after = rest.find('/').map_or("", |i| &rest[i..]);
            format!("/api/v1/agendas/[redacted]{after}")
        }
        None => path.to_string(),
    }
}

/// The root span of every request, with the fields of the default one but a path from
/// [`loggable_path`], so that secrets in URLs never reach the logs.
pub struct RequestSpan;

impl tracing_actix_web::RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        let route = request.match_pattern().unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %loggable_path(request.path()),
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(resp) => resp.response().status(),
            Err(e) => e.as_response_error().status_code(),
        };
        if status.is_server_error() {
            // The service's own failure: the error goes on the span, and is logged as an
            // error where it is made (`ApiError::error_response`).
            tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span.clone(), outcome);
        } else {
            // A client's mistake is not the service's error, and its message may quote
            // what the client sent: only the status is kept.
            span.record("http.status_code", status.as_u16());
            span.record("otel.status_code", "OK");
        }
        // One access line per request, carrying the span's method, route and path.
        tracing::info!(parent: &span, status = status.as_u16(), "request");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agenda_tokens_are_kept_out_of_logged_paths() {
        let token = "ab".repeat(32);
        assert_eq!(
            loggable_path(&format!("/api/v1/agendas/{token}/calendar.ics")),
            "/api/v1/agendas/[redacted]/calendar.ics"
        );
        assert_eq!(
            loggable_path(&format!("/api/v1/agendas/{token}")),
            "/api/v1/agendas/[redacted]"
        );
        assert_eq!(
            loggable_path("/api/v1/meetings/1/programme"),
            "/api/v1/meetings/1/programme"
        );
    }
}

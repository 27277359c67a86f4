//! Structured logs: `IGF_LOG` sets the filter (default `info`), `IGF_LOG_FORMAT=json`
//! writes one JSON object per event.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls do nothing.
pub fn init() {
    let filter = EnvFilter::try_from_env("IGF_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("IGF_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

//! Builds the HTTP application: the server, its middleware and its schedule worker,
//! over the state in [`crate::state`] and the routes in [`crate::routes`].

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};

use crate::auth::jwt::JwtKeys;
use crate::config::Settings;
use crate::db::DbPool;
use crate::error::ApiError;
use crate::routes::{configure, route_not_found};
use crate::state::AppState;

/// A bound, not yet running, HTTP server with its schedule worker.
pub struct Application {
    server: Server,
    port: u16,
    worker: crate::scheduling::jobs::Worker,
    outbox: Option<crate::notify::worker::OutboxWorker>,
    ready: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Application {
    /// Binds the listener (port 0 picks a free port) and builds the server.
    pub fn build(settings: Settings, pool: DbPool) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&settings.bind)?;
        let port = listener.local_addr()?.port();
        let jwt = JwtKeys::new(settings.jwt_secret.expose(), settings.token_ttl_seconds);
        let signal = std::sync::Arc::new(crate::scheduling::signal::Signal::default());
        let worker = crate::scheduling::jobs::Worker::start(
            pool.clone(),
            signal.clone(),
            std::time::Duration::from_secs(settings.job_stale_seconds),
        );
        let sign_in = crate::auth::limit::SignInRules {
            free_failures: settings.login_failures_per_account,
            per_address: settings.login_failures_per_address,
            window: std::time::Duration::from_secs(settings.login_window_seconds),
            confirmed_only: settings.mail.is_some(),
        };
        crate::auth::password::configure(settings.hash_concurrency);
        let public_url = match &settings.public_url {
            Some(u) => u.clone(),
            None => {
                let host = match listener.local_addr()?.ip() {
                    ip if ip.is_unspecified() => "localhost".to_string(),
                    std::net::IpAddr::V6(v6) => format!("[{v6}]"),
                    ip => ip.to_string(),
                };
                let u = format!("http://{host}:{port}");
                tracing::warn!(links = %u, "IGF_PUBLIC_URL is not set: links in feeds and agendas start with this instance's own address");
                u
            }
        };
        if settings.mail.is_none() {
            tracing::info!(
                "IGF_SMTP_HOST is not set: this instance sends no email (messages wait in the outbox)"
            );
        }
        let outbox = crate::notify::worker::OutboxWorker::start(crate::notify::worker::Setup {
            pool: pool.clone(),
            mail: settings.mail.clone(),
            base: public_url.clone(),
            poll: std::time::Duration::from_millis(settings.outbox_poll_ms.max(50)),
            lease: std::time::Duration::from_secs(settings.outbox_lease_seconds.max(1)),
            retry_base: settings.outbox_retry_base_seconds.max(1),
            private_allowed: settings.webhook_private_allowed.clone(),
            webhook_timeout: std::time::Duration::from_secs(
                settings.webhook_timeout_seconds.max(1),
            ),
            disable_after: settings.webhook_disable_after.max(1),
        });
        let ready = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let state = web::Data::new(AppState {
            pool,
            jwt,
            settings,
            jobs: signal,
            feeds: Default::default(),
            pages: Default::default(),
            sign_in,
            public_url,
            ready: ready.clone(),
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(
                    web::PathConfig::default()
                        .error_handler(|_, _| ApiError::NotFound("resource").into()),
                )
                .wrap(actix_web::middleware::from_fn(
                    crate::auth::extract::authenticate_bearer,
                ))
                .wrap(actix_web::middleware::Compress::default())
                .wrap(actix_web::middleware::from_fn(
                    crate::feeds::handlers::keep_feeds_true,
                ))
                .wrap(tracing_actix_web::TracingLogger::<
                    crate::telemetry::RequestSpan,
                >::new())
                .configure(configure)
                .configure(crate::web::configure)
                .default_service(web::to(route_not_found))
        })
        .shutdown_timeout(20)
        .listen(listener)?
        .run();
        Ok(Application {
            server,
            port,
            worker,
            outbox,
            ready,
        })
    }

    /// The flag `/health` reads: clear it while the instance prepares, set it when done.
    pub fn readiness(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        self.ready.clone()
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until a shutdown signal; in-flight requests get time to finish, and a
    /// running schedule job is handed back to the queue.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        let worker = self.worker;
        let outbox = self.outbox;
        let _ = actix_web::rt::task::spawn_blocking(move || {
            worker.stop();
            if let Some(o) = outbox {
                o.stop();
            }
        })
        .await;
        served
    }
}

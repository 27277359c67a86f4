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
        let logins = std::sync::Arc::new(crate::auth::limit::LoginLimiter::new(
            std::time::Duration::from_secs(settings.login_window_seconds),
            settings.login_failures_per_account,
            settings.login_failures_per_address,
        ));
        let ready = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let state = web::Data::new(AppState {
            pool,
            jwt,
            settings,
            jobs: signal,
            feeds: Default::default(),
            logins,
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
                .default_service(web::to(route_not_found))
        })
        .shutdown_timeout(20)
        .listen(listener)?
        .run();
        Ok(Application {
            server,
            port,
            worker,
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
        let _ = actix_web::rt::task::spawn_blocking(move || worker.stop()).await;
        served
    }
}

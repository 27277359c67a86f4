//! The outbox worker of one instance: it takes the messages due, one at a time under
//! a lease in database time, renders and sends each, and records how it went. Every
//! instance with mail configured runs one; they share the work through the table.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::mail::Mailer;
use super::messages::render;
use super::outbox;
use crate::config::MailSettings;
use crate::db::DbPool;

/// A running outbox worker.
pub struct OutboxWorker {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What the worker needs.
pub struct Setup {
    /// The database.
    pub pool: DbPool,
    /// The SMTP server.
    pub mail: MailSettings,
    /// The public address links start with.
    pub base: String,
    /// How often to look for messages due.
    pub poll: Duration,
    /// How long a taken message is held.
    pub lease: Duration,
}

impl OutboxWorker {
    /// Starts the worker thread; `None` (with the reason logged) when the mailer
    /// cannot be built, in which case the messages wait for another instance.
    pub fn start(setup: Setup) -> Option<OutboxWorker> {
        let mailer = match Mailer::new(&setup.mail, &setup.base) {
            Ok(m) => m,
            Err(e) => {
                tracing::error!(error = %e, "email is configured but cannot be sent from this instance");
                return None;
            }
        };
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let instance = format!("{}-{:016x}", std::process::id(), fastrand::u64(..));
        let thread = std::thread::Builder::new()
            .name("outbox-worker".into())
            .spawn(move || run(&setup, &mailer, &s, &instance))
            .map_err(|e| tracing::error!(error = %e, "could not start the outbox worker"))
            .ok()?;
        Some(OutboxWorker {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the worker after the message in hand, and waits.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(setup: &Setup, mailer: &Mailer, stop: &AtomicBool, instance: &str) {
    let lease = chrono::Duration::from_std(setup.lease).unwrap_or(chrono::Duration::minutes(2));
    while !stop.load(Ordering::SeqCst) {
        let mut sent_any = false;
        // One message at a time, until none is due or the instance stops.
        while !stop.load(Ordering::SeqCst) {
            match one(setup, mailer, instance, lease) {
                Ok(true) => sent_any = true,
                Ok(false) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "the outbox could not be read; trying again shortly");
                    break;
                }
            }
        }
        if !sent_any {
            // Sleep in short steps so that a stop is not kept waiting.
            let mut left = setup.poll;
            while !left.is_zero() && !stop.load(Ordering::SeqCst) {
                let step = left.min(Duration::from_millis(100));
                std::thread::sleep(step);
                left -= step;
            }
        }
    }
}

/// Takes, sends and ends one message; `false` when none was due.
fn one(
    setup: &Setup,
    mailer: &Mailer,
    instance: &str,
    lease: chrono::Duration,
) -> Result<bool, crate::error::ApiError> {
    let mut c = setup.pool.get()?;
    let Some(taken) = outbox::take(&mut c, instance, lease)? else {
        return Ok(false);
    };
    // The connection goes back to the pool while the SMTP server is talked to.
    drop(c);
    let outcome = match render(&taken.mail, &setup.base) {
        Ok(r) => mailer
            .send(taken.id, &taken.recipient, &r)
            .map_err(|e| (e.error, e.permanent)),
        Err(e) => Err((format!("the message could not be rendered: {e}"), true)),
    };
    match &outcome {
        Ok(()) => tracing::info!(message = taken.id, attempt = taken.attempt, "email sent"),
        Err((e, permanent)) => {
            tracing::warn!(message = taken.id, attempt = taken.attempt, permanent, error = %e, "email not sent")
        }
    }
    let mut c = setup.pool.get()?;
    outbox::finish(&mut c, instance, &taken, outcome)?;
    Ok(true)
}

//! The outbox worker of one instance: it takes the messages due, one at a time under
//! a lease in database time, renders and sends each email or delivers each webhook,
//! and records how it went. Every instance runs one (emails only where mail is
//! configured); they share the work through the table.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::mail::Mailer;
use super::messages::render;
use super::outbox::{self, Carried};
use super::webhooks;
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
    /// The SMTP server, if this instance sends email.
    pub mail: Option<MailSettings>,
    /// The public address links start with.
    pub base: String,
    /// How often to look for messages due.
    pub poll: Duration,
    /// How long a taken message is held.
    pub lease: Duration,
    /// The first wait after a failure, in seconds.
    pub retry_base: u64,
    /// Private addresses webhooks may go to.
    pub private_allowed: Vec<std::net::IpAddr>,
    /// How long an endpoint has to answer.
    pub webhook_timeout: Duration,
    /// Failed deliveries in a row that disable an endpoint.
    pub disable_after: u32,
}

/// How this instance sends.
struct Senders {
    mailer: Option<Mailer>,
    agent: ureq::Agent,
}

impl OutboxWorker {
    /// Starts the worker thread. When the mailer cannot be built (the reason is
    /// logged), this instance delivers webhooks only and emails wait for another.
    pub fn start(setup: Setup) -> Option<OutboxWorker> {
        let mailer = setup.mail.as_ref().and_then(|m| {
            Mailer::new(m, &setup.base)
                .map_err(|e| tracing::error!(error = %e, "email is configured but cannot be sent from this instance"))
                .ok()
        });
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(setup.webhook_timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            // Deliveries go straight to the checked addresses, never through a proxy
            // from the environment that would resolve and connect on its own.
            .proxy(None)
            .build()
            .into();
        let senders = Senders { mailer, agent };
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let instance = format!("{}-{:016x}", std::process::id(), fastrand::u64(..));
        let thread = std::thread::Builder::new()
            .name("outbox-worker".into())
            .spawn(move || run(&setup, &senders, &s, &instance))
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

/// How often each instance looks for session reports to remind their filers of.
const REMINDER_SWEEP: Duration = Duration::from_secs(60);

fn run(setup: &Setup, senders: &Senders, stop: &AtomicBool, instance: &str) {
    let lease = chrono::Duration::from_std(setup.lease).unwrap_or(chrono::Duration::minutes(2));
    let mut swept: Option<std::time::Instant> = None;
    while !stop.load(Ordering::SeqCst) {
        if swept.is_none_or(|t| t.elapsed() >= REMINDER_SWEEP) {
            swept = Some(std::time::Instant::now());
            let owed = setup
                .pool
                .get()
                .map_err(crate::error::ApiError::from)
                .and_then(|mut c| crate::reports::remind(&mut c, crate::time::now()));
            if let Err(e) = owed {
                tracing::warn!(error = %e, "report reminders could not be swept; trying again later");
            }
        }
        let mut sent_any = false;
        // One message at a time, until none is due or the instance stops.
        while !stop.load(Ordering::SeqCst) {
            match one(setup, senders, instance, lease) {
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
    senders: &Senders,
    instance: &str,
    lease: chrono::Duration,
) -> Result<bool, crate::error::ApiError> {
    let channels: &[&str] = if senders.mailer.is_some() {
        &["email", "webhook"]
    } else {
        &["webhook"]
    };
    let mut c = setup.pool.get()?;
    let Some(taken) = outbox::take(&mut c, instance, lease, channels)? else {
        return Ok(false);
    };
    match &taken.carried {
        Carried::Email(mail) => {
            // The connection goes back to the pool while the SMTP server is talked to.
            drop(c);
            let outcome = match (render(mail, &setup.base), &senders.mailer) {
                (Ok(r), Some(mailer)) => mailer
                    .send(taken.id, &taken.recipient, &r)
                    .map_err(|e| (e.error, e.permanent)),
                (Ok(_), None) => Err(("this instance sends no email".to_string(), false)),
                (Err(e), _) => Err((format!("the message could not be rendered: {e}"), true)),
            };
            match &outcome {
                Ok(()) => tracing::info!(message = taken.id, attempt = taken.attempt, "email sent"),
                Err((e, permanent)) => {
                    tracing::warn!(message = taken.id, attempt = taken.attempt, permanent, error = %e, "email not sent")
                }
            }
            let mut c = setup.pool.get()?;
            outbox::finish(&mut c, instance, &taken, outcome, setup.retry_base)?;
        }
        Carried::Webhook { endpoint_id, body } => {
            let Some((url, secret)) = webhooks::target(&mut c, *endpoint_id)? else {
                // The endpoint is gone, and its messages with it.
                return Ok(true);
            };
            drop(c);
            let attempt = webhooks::deliver(
                &senders.agent,
                &setup.private_allowed,
                &url,
                &secret,
                taken.id,
                body,
            );
            tracing::info!(message = taken.id, attempt = taken.attempt, status = ?attempt.status, ms = attempt.duration_ms, error = ?attempt.error, "webhook delivery");
            let mut c = setup.pool.get()?;
            let outcome = match &attempt.error {
                None => Ok(()),
                Some(e) => Err((e.clone(), attempt.permanent)),
            };
            crate::db::write_tx(&mut c, |c| {
                // Only the worker that still holds the message logs the attempt and
                // charges the endpoint for it.
                if outbox::finish(c, instance, &taken, outcome.clone(), setup.retry_base)? {
                    webhooks::record(
                        c,
                        taken.id,
                        *endpoint_id,
                        taken.attempt,
                        &attempt,
                        setup.disable_after,
                    )?;
                }
                Ok(())
            })?;
        }
    }
    Ok(true)
}

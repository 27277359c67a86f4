//! The meeting's long actions as jobs: solves and repairs, and also the evaluators'
//! assignment and the selection when asked to run apart from their request. A
//! request only queues a job; a worker thread of some
//! service instance claims it in the database (a conditional update, so exactly one
//! instance runs it), runs the solver off the request threads, reports progress and a
//! heartbeat, and stores the result as a new draft version. A job whose instance died
//! (its heartbeat went stale) is queued again, up to three attempts, then failed with
//! the reason: never lost silently. Cancelling a queued job ends it at once; a running
//! one stops at the solver's next check.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::signal::Signal;
use super::solver::{self, Budget};
use super::versions::{self, Source};
use crate::audit;
use crate::db::schema::schedule_jobs as sj;
use crate::db::{DbConn, DbPool};
use crate::error::{ApiError, ResultExt};
use crate::time::{from_db, now, to_db};
use crate::vocabulary::vocabulary;

vocabulary! {
    /// What a job does.
    Kind {
        /// Schedule from scratch.
        Solve = "solve",
        /// Start from the published schedule and move as little as possible.
        Repair = "repair",
        /// Assign evaluators to every submitted proposal.
        Assignment = "assignment",
        /// Choose the programme with the optimiser.
        Selection = "selection",
    }
}

vocabulary! {
    /// Where a job stands.
    JobStatus {
        /// Waiting for a worker.
        Queued = "queued",
        /// A worker is running it.
        Running = "running",
        /// Finished with a version.
        Succeeded = "succeeded",
        /// Finished without one; `error` says why.
        Failed = "failed",
        /// Stopped on request.
        Cancelled = "cancelled",
    }
}

/// Body of `POST /api/v1/meetings/{meeting_id}/schedules`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobRequest {
    /// `solve` (default) or `repair`.
    #[serde(default = "default_kind")]
    pub kind: Kind,
    /// Seconds the solver may search (1 to 600, default 20).
    #[serde(default = "default_limit")]
    pub time_limit_seconds: f64,
    /// Random seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Rules to use for this job over the meeting's own; a stored job holds every rule
    /// it used.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub rules: Option<super::rules::RuleSettings>,
}

fn default_kind() -> Kind {
    Kind::Solve
}
fn default_limit() -> f64 {
    20.0
}
fn default_seed() -> u64 {
    1
}

/// A job as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// What it does.
    pub kind: Kind,
    /// Where it stands.
    pub status: JobStatus,
    /// What was asked.
    pub request: serde_json::Value,
    /// Attempts so far (more than one after an instance died).
    pub attempts: i32,
    /// Latest progress: elapsed_ms, moves, best_hard, best_soft.
    pub progress: Option<serde_json::Value>,
    /// Whether a cancel was asked.
    pub cancel_requested: bool,
    /// The version it produced.
    pub version_id: Option<i64>,
    /// What an assignment or a selection answered once it succeeded: the assignment's
    /// run, or the selection run's id with its figures.
    pub result: Option<serde_json::Value>,
    /// Why it failed.
    pub error: Option<String>,
    /// The request's fields at fault, when it failed for them (for example quotas that
    /// cannot hold together).
    pub errors: Vec<crate::error::FieldError>,
    /// The sessions its version leaves out, each with every reason (empty until it
    /// has a version).
    pub unplaced: Vec<versions::UnplacedView>,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Started, RFC 3339 UTC.
    pub started_at: Option<String>,
    /// Finished, RFC 3339 UTC.
    pub finished_at: Option<String>,
}

/// A job row.
#[derive(Queryable, Selectable)]
#[diesel(table_name = sj)]
struct JobRow {
    id: i64,
    meeting_id: i64,
    kind: String,
    status: String,
    params: String,
    attempts: i32,
    progress: Option<String>,
    cancel_requested: bool,
    version_id: Option<i64>,
    error: Option<String>,
    created_at: NaiveDateTime,
    started_at: Option<NaiveDateTime>,
    finished_at: Option<NaiveDateTime>,
    result: Option<String>,
}

/// A stored value that is not one of its vocabulary's, as an error naming the row.
fn unreadable(column: &str, id: i64, value: &str) -> ApiError {
    ApiError::Internal(anyhow::anyhow!(
        "{column} of row {id} holds {value:?}, which is not a known value"
    ))
}

/// A job.
pub fn get(conn: &mut DbConn, id: i64) -> Result<JobView, ApiError> {
    let r: JobRow = sj::table
        .find(id)
        .select(JobRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("schedule job"))?;
    let unplaced = match r.version_id {
        Some(v) => versions::unplaced(conn, v)?,
        None => vec![],
    };
    view(r, unplaced)
}

/// A job row as the API shows it, with its version's unplaced sessions.
fn view(r: JobRow, unplaced: Vec<versions::UnplacedView>) -> Result<JobView, ApiError> {
    let ts = |t: NaiveDateTime| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let progress = match &r.progress {
        Some(p) => Some(crate::db::json_column(p, "schedule_jobs.progress", r.id)?),
        None => None,
    };
    let status = JobStatus::parse(&r.status)
        .ok_or_else(|| unreadable("schedule_jobs.status", r.id, &r.status))?;
    let stored: Option<serde_json::Value> = match &r.result {
        Some(x) => Some(crate::db::json_column(x, "schedule_jobs.result", r.id)?),
        None => None,
    };
    // A failed job's result holds the fields at fault; a succeeded one's, its answer.
    let (result, errors) = match (status, stored) {
        (JobStatus::Failed, Some(v)) => (
            None,
            serde_json::from_value(v["errors"].clone())
                .map_err(|e| unreadable("schedule_jobs.result", r.id, &e.to_string()))?,
        ),
        (_, v) => (v, vec![]),
    };
    Ok(JobView {
        id: r.id,
        meeting_id: r.meeting_id,
        kind: Kind::parse(&r.kind)
            .ok_or_else(|| unreadable("schedule_jobs.kind", r.id, &r.kind))?,
        status,
        request: crate::db::json_column(&r.params, "schedule_jobs.params", r.id)?,
        attempts: r.attempts,
        progress,
        cancel_requested: r.cancel_requested,
        unplaced,
        version_id: r.version_id,
        result,
        error: r.error,
        errors,
        created_at: ts(r.created_at),
        started_at: r.started_at.map(ts),
        finished_at: r.finished_at.map(ts),
    })
}

/// A page of a meeting's jobs, newest first, by status if asked.
pub fn list(
    conn: &mut DbConn,
    meeting_id: i64,
    status: Option<JobStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<JobView>, i64), ApiError> {
    let filtered = || {
        let mut q = sj::table.filter(sj::meeting_id.eq(meeting_id)).into_boxed();
        if let Some(s) = status {
            q = q.filter(sj::status.eq(s.as_str()));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<JobRow> = filtered()
        .order(sj::id.desc())
        .limit(limit)
        .offset(offset)
        .select(JobRow::as_select())
        .load(conn)?;
    // Every version's unplaced sessions in two queries, not two per job.
    let versions: Vec<i64> = rows.iter().filter_map(|r| r.version_id).collect();
    let unplaced = versions::unplaced_of(conn, &versions)?;
    let items = rows
        .into_iter()
        .map(|r| {
            let left_out = r
                .version_id
                .and_then(|v| unplaced.get(&v).cloned())
                .unwrap_or_default();
            view(r, left_out)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}

/// Queues a job, audited; refused while another job of the meeting is unfinished.
pub fn enqueue(
    conn: &mut DbConn,
    actor: i64,
    meeting_id: i64,
    req: &JobRequest,
) -> Result<JobView, ApiError> {
    let mut c = crate::validate::Checker::new();
    if !(1.0..=600.0).contains(&req.time_limit_seconds) {
        c.add(
            "time_limit_seconds",
            "range",
            "the time limit is from 1 to 600 seconds",
        );
    }
    if let Some(r) = &req.rules {
        r.check(&mut c, "rules.");
    }
    if !matches!(req.kind, Kind::Solve | Kind::Repair) {
        c.add(
            "kind",
            "enum",
            "a schedule job is a solve or a repair; the assignment and the selection are \
             queued by their own requests",
        );
    }
    c.finish()?;
    let id = crate::db::write_tx(conn, |c| {
        crate::db::lock_meeting(c, meeting_id)?;
        let meeting =
            crate::meetings::queries::find(c, meeting_id)?.ok_or(ApiError::NotFound("meeting"))?;
        let mut recorded = req.clone();
        let asked = req.rules.clone().unwrap_or_default();
        recorded.rules = Some(asked.on_top_of(&super::rules::effective(&meeting)?));
        let params = serde_json::to_string(&recorded).map_err(|e| ApiError::Internal(e.into()))?;
        if req.kind == Kind::Repair && versions::published(c, meeting_id)?.is_none() {
            return Err(ApiError::conflict(
                crate::error::Code::NothingPublished,
                "a repair starts from the published schedule; publish one first",
            ));
        }
        let detail =
            json!({"kind": req.kind.as_str(), "time_limit_seconds": req.time_limit_seconds});
        let id = insert(c, actor, meeting_id, req.kind, &params, detail)?;
        Ok(id)
    })?;
    get(conn, id)
}

/// Queues a job of the meeting, with the meeting locked by the caller's transaction;
/// refused while another job of the meeting is unfinished (checked here, and by the
/// database's index for two instances that check at once). Audited.
fn insert(
    c: &mut DbConn,
    actor: i64,
    meeting_id: i64,
    kind: Kind,
    params: &str,
    detail: serde_json::Value,
) -> Result<i64, ApiError> {
    let busy: Option<i64> = sj::table
        .filter(sj::meeting_id.eq(meeting_id))
        .filter(sj::status.eq_any([JobStatus::Queued.as_str(), JobStatus::Running.as_str()]))
        .select(sj::id)
        .first(c)
        .optional()?;
    if let Some(other) = busy {
        let mut extra = serde_json::Map::new();
        extra.insert("job_id".into(), json!(other));
        return Err(ApiError::Conflict {
            code: crate::error::Code::JobRunning,
            message: format!("job {other} of this meeting is still queued or running"),
            extra,
        });
    }
    let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(sj::table)
        .values((
            sj::meeting_id.eq(meeting_id),
            sj::kind.eq(kind.as_str()),
            sj::status.eq(JobStatus::Queued.as_str()),
            sj::params.eq(params),
            sj::created_by.eq(actor),
            sj::created_at.eq(to_db(now())),
        ))
        .returning(sj::id)
        .get_result(b))
    .on_unique(
        crate::error::Code::JobRunning,
        "another job of this meeting is still queued or running",
    )?;
    audit::record(
        c,
        Some(actor),
        "schedule.job",
        "schedule_job",
        id,
        Some(meeting_id),
        detail,
    )?;
    Ok(id)
}

/// Queues an assignment or a selection whose request its use case has checked:
/// `params` is that request as it will be run.
pub fn enqueue_action(
    conn: &mut DbConn,
    actor: i64,
    meeting_id: i64,
    kind: Kind,
    params: &serde_json::Value,
) -> Result<JobView, ApiError> {
    let text = params.to_string();
    let id = crate::db::write_tx(conn, |c| {
        crate::db::lock_meeting(c, meeting_id)?;
        insert(
            c,
            actor,
            meeting_id,
            kind,
            &text,
            json!({"kind": kind.as_str()}),
        )
    })?;
    get(conn, id)
}

/// Asks a job to stop: a queued one is cancelled at once, a running one at the
/// solver's next check. Finished jobs answer 409.
pub fn cancel(conn: &mut DbConn, actor: i64, id: i64) -> Result<JobView, ApiError> {
    crate::db::write_tx(conn, |c| {
        let j = get(c, id)?;
        match j.status {
            JobStatus::Queued => {
                diesel::update(
                    sj::table
                        .find(id)
                        .filter(sj::status.eq(JobStatus::Queued.as_str())),
                )
                .set((
                    sj::status.eq(JobStatus::Cancelled.as_str()),
                    sj::cancel_requested.eq(true),
                    sj::finished_at.eq(to_db(now())),
                ))
                .execute(c)?;
            }
            JobStatus::Running => {
                diesel::update(sj::table.find(id))
                    .set(sj::cancel_requested.eq(true))
                    .execute(c)?;
            }
            other => {
                return Err(ApiError::conflict(
                    crate::error::Code::JobFinished,
                    format!("job {id} is already {}", other.as_str()),
                ));
            }
        }
        audit::record(
            c,
            Some(actor),
            "schedule.cancel",
            "schedule_job",
            id,
            Some(j.meeting_id),
            json!({"status": j.status}),
        )?;
        Ok(())
    })?;
    get(conn, id)
}

/// Handle of a running worker; stops it when asked.
pub struct Worker {
    stop: Arc<AtomicBool>,
    signal: Arc<Signal>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    /// Starts a worker thread for this instance.
    pub fn start(pool: DbPool, signal: Arc<Signal>, stale_after: Duration) -> Worker {
        let stop = Arc::new(AtomicBool::new(false));
        let instance = format!("{}-{:016x}", std::process::id(), fastrand::u64(..));
        let (s, sig) = (stop.clone(), signal.clone());
        let thread = std::thread::Builder::new()
            .name("schedule-worker".into())
            .spawn(move || supervise(pool, sig, s, instance, stale_after));
        let thread = match thread {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::error!(error = %e, "could not start the schedule worker: this instance runs no schedule jobs (the others still do)");
                None
            }
        };
        Worker {
            stop,
            signal,
            thread,
        }
    }

    /// Asks the worker to stop (a running job is cancelled and queued again) and waits.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.signal.notify();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What a panic said, as text.
fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Runs the worker loop, and runs it again if a panic escapes it, so that nothing one
/// job does stops this instance's scheduling for good.
fn supervise(
    pool: DbPool,
    signal: Arc<Signal>,
    stop: Arc<AtomicBool>,
    instance: String,
    stale_after: Duration,
) {
    loop {
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_worker(&pool, &signal, &stop, &instance, stale_after)
        }));
        match ran {
            Ok(()) => return,
            Err(p) => {
                tracing::error!(panic = %panic_text(p.as_ref()), "the schedule worker stopped unexpectedly; starting it again");
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                signal.wait(Duration::from_secs(1));
            }
        }
    }
}

fn run_worker(
    pool: &DbPool,
    signal: &Signal,
    stop: &AtomicBool,
    instance: &str,
    stale_after: Duration,
) {
    let mut last_recovery: Option<Instant> = None;
    while !stop.load(Ordering::SeqCst) {
        let Ok(mut conn) = pool.get() else {
            signal.wait(Duration::from_secs(2));
            continue;
        };
        if last_recovery.is_none_or(|t| t.elapsed() > Duration::from_secs(5)) {
            if let Err(e) = recover(&mut conn, stale_after) {
                tracing::warn!(error = ?e, "recovering stale schedule jobs failed");
            }
            // The instance's other housekeeping rides on the same beat.
            if let Err(e) = crate::throttle::forget_old(&mut conn) {
                tracing::warn!(error = ?e, "forgetting old request counts failed");
            }
            if let Err(e) = crate::auth::browser::forget_ended(&mut conn) {
                tracing::warn!(error = ?e, "forgetting ended browser sign-ins failed");
            }
            last_recovery = Some(Instant::now());
        }
        match claim(&mut conn, instance) {
            Ok(Some(job)) => {
                drop(conn);
                run_job(pool, job, instance, stop, stale_after);
            }
            Ok(None) => {
                drop(conn);
                signal.wait(Duration::from_secs(2));
            }
            Err(e) => {
                tracing::warn!(error = ?e, "claiming a schedule job failed");
                drop(conn);
                signal.wait(Duration::from_secs(2));
            }
        }
    }
}

/// Queues again (or fails, after three attempts) every running job whose heartbeat is
/// older than `stale_after` by the database's clock. Returns how many were touched.
pub fn recover(conn: &mut DbConn, stale_after: Duration) -> Result<usize, ApiError> {
    crate::db::write_tx(conn, |c| {
        let now = crate::db::now(c)?;
        let cutoff = to_db(now - chrono::Duration::from_std(stale_after).unwrap_or_default());
        let stale: Vec<(i64, i64, i32)> = sj::table
            .filter(sj::status.eq(JobStatus::Running.as_str()))
            .filter(sj::heartbeat_at.lt(cutoff).or(sj::heartbeat_at.is_null()))
            .order(sj::id)
            .select((sj::id, sj::meeting_id, sj::attempts))
            .load(c)?;
        let mut touched = 0;
        for (id, meeting_id, attempts) in &stale {
            let requeue = *attempts < 3;
            let base = sj::table
                .find(id)
                .filter(sj::status.eq(JobStatus::Running.as_str()))
                .filter(sj::heartbeat_at.lt(cutoff).or(sj::heartbeat_at.is_null()));
            let n = if requeue {
                diesel::update(base)
                    .set((
                        sj::status.eq(JobStatus::Queued.as_str()),
                        sj::claimed_by.eq(None::<String>),
                    ))
                    .execute(c)?
            } else {
                diesel::update(base)
                    .set((
                        sj::status.eq(JobStatus::Failed.as_str()),
                        sj::error.eq(format!(
                            "the instance running it stopped {attempts} times; giving up"
                        )),
                        sj::finished_at.eq(to_db(now)),
                    ))
                    .execute(c)?
            };
            if n == 0 {
                // Another instance recovered it first, or its owner renewed it.
                continue;
            }
            touched += 1;
            audit::record(
                c,
                None,
                if requeue {
                    "schedule.job_requeued"
                } else {
                    "schedule.job_failed"
                },
                "schedule_job",
                *id,
                Some(*meeting_id),
                json!({"attempts": attempts}),
            )?;
        }
        Ok(touched)
    })
}

/// A job this instance holds: the instance and the attempt fence it, so that
/// nothing this instance does after losing the job (another took it once the
/// heartbeat went stale) changes it.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    /// The job.
    pub id: i64,
    /// Which attempt this is.
    pub attempt: i32,
}

/// The job's row, only while this claim still holds it.
macro_rules! fenced {
    ($claim:expr, $instance:expr) => {
        sj::table
            .find($claim.id)
            .filter(sj::status.eq(JobStatus::Running.as_str()))
            .filter(sj::claimed_by.eq($instance))
            .filter(sj::attempts.eq($claim.attempt))
    };
}

/// Claims the oldest queued job for this instance; `None` when there is none (or
/// another instance won the race).
pub fn claim(conn: &mut DbConn, instance: &str) -> Result<Option<Claim>, ApiError> {
    let next: Option<(i64, i32)> = sj::table
        .filter(sj::status.eq(JobStatus::Queued.as_str()))
        .order(sj::id)
        .select((sj::id, sj::attempts))
        .first(conn)
        .optional()?;
    let Some((id, attempts)) = next else {
        return Ok(None);
    };
    let at = to_db(crate::db::now(conn)?);
    let n = diesel::update(
        sj::table
            .find(id)
            .filter(sj::status.eq(JobStatus::Queued.as_str()))
            .filter(sj::attempts.eq(attempts)),
    )
    .set((
        sj::status.eq(JobStatus::Running.as_str()),
        sj::claimed_by.eq(instance),
        sj::heartbeat_at.eq(at),
        sj::started_at.eq(at),
        sj::attempts.eq(attempts + 1),
    ))
    .execute(conn)?;
    Ok((n == 1).then_some(Claim {
        id,
        attempt: attempts + 1,
    }))
}

/// Gives a job back to the queue, unfinished, as this instance shuts down, rather than
/// half-finish it; another instance (or this one, started again) runs it.
fn give_back(pool: &DbPool, claim: Claim, instance: &str) {
    if let Ok(mut c) = pool.get() {
        let _ = diesel::update(fenced!(claim, instance))
            .set((
                sj::status.eq(JobStatus::Queued.as_str()),
                sj::claimed_by.eq(None::<String>),
            ))
            .execute(&mut c);
    }
}

/// Ends an assignment or a selection that stored nothing, with what it answered.
fn finish_with(
    pool: &DbPool,
    job: Claim,
    instance: &str,
    status: JobStatus,
    error: Option<String>,
    result: Option<serde_json::Value>,
) {
    let ended = pool.get().map_err(ApiError::from).and_then(|mut c| {
        let at = to_db(crate::db::now(&mut c)?);
        diesel::update(fenced!(job, instance))
            .set((
                sj::status.eq(status.as_str()),
                sj::error.eq(error),
                sj::result.eq(result.map(|r| r.to_string())),
                sj::finished_at.eq(at),
            ))
            .execute(&mut c)
            .map_err(ApiError::from)
    });
    if let Err(e) = ended {
        tracing::error!(job = job.id, error = ?e, "could not record the end of a job");
    }
}

fn finish(
    pool: &DbPool,
    job: Claim,
    instance: &str,
    status: JobStatus,
    version: Option<i64>,
    error: Option<String>,
) {
    let result = pool.get().map_err(ApiError::from).and_then(|mut c| {
        let at = to_db(crate::db::now(&mut c)?);
        diesel::update(fenced!(job, instance))
            .set((
                sj::status.eq(status.as_str()),
                sj::version_id.eq(version),
                sj::error.eq(error),
                sj::finished_at.eq(at),
            ))
            .execute(&mut c)
            .map_err(ApiError::from)
    });
    if let Err(e) = result {
        tracing::error!(job = job.id, error = ?e, "could not record the end of a schedule job");
    }
}

fn problem_rules(p: &solver::Problem) -> super::rules::RuleSettings {
    super::rules::RuleSettings::of(&p.weights)
}

/// The lease on a running job, renewed by a timer of its own (not by the solver's
/// progress, which a long step can hold back): it writes the heartbeat and the latest
/// progress, and passes on a cancel asked by the API. When the job is no longer this
/// claim's, the lease is lost and the job's result will be dropped.
struct Lease {
    cancel: Arc<AtomicBool>,
    lost: Arc<AtomicBool>,
    progress: Arc<std::sync::Mutex<Option<String>>>,
    done: Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Lease {
    fn start(pool: DbPool, job: Claim, instance: String, every: Duration) -> Lease {
        let cancel = Arc::new(AtomicBool::new(false));
        let lost = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(std::sync::Mutex::new(None::<String>));
        let done = Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
        let (c, l, p, d) = (cancel.clone(), lost.clone(), progress.clone(), done.clone());
        let thread = std::thread::Builder::new()
            .name("schedule-lease".into())
            .spawn(move || {
                loop {
                    {
                        let (m, cv) = &*d;
                        let Ok(g) = m.lock() else { return };
                        let Ok((g, _)) = cv.wait_timeout_while(g, every, |done| !*done) else {
                            return;
                        };
                        if *g {
                            return;
                        }
                    }
                    let latest = p.lock().ok().and_then(|g| g.clone());
                    match renew(&pool, job, &instance, latest) {
                        Ok(Some(asked)) => {
                            if asked {
                                c.store(true, Ordering::SeqCst);
                            }
                        }
                        Ok(None) => {
                            tracing::warn!(job = job.id, "this instance lost its schedule job to another; stopping it");
                            l.store(true, Ordering::SeqCst);
                            c.store(true, Ordering::SeqCst);
                            return;
                        }
                        Err(e) => {
                            tracing::warn!(job = job.id, error = ?e, "could not renew a schedule job's lease")
                        }
                    }
                }
            })
            .map_err(|e| tracing::error!(error = %e, "could not start a job's lease timer"))
            .ok();
        Lease {
            cancel,
            lost,
            progress,
            done,
            thread,
        }
    }

    fn end(&mut self) {
        let (m, cv) = &*self.done;
        if let Ok(mut g) = m.lock() {
            *g = true;
        }
        cv.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.end();
    }
}

/// Renews a lease by the database's clock: `None` when the claim no longer holds the
/// job, else whether a cancel was asked.
fn renew(
    pool: &DbPool,
    job: Claim,
    instance: &str,
    progress: Option<String>,
) -> Result<Option<bool>, ApiError> {
    let mut c = pool.get()?;
    let at = to_db(crate::db::now(&mut c)?);
    let n = match progress {
        Some(p) => diesel::update(fenced!(job, instance))
            .set((sj::heartbeat_at.eq(at), sj::progress.eq(p)))
            .execute(&mut c)?,
        None => diesel::update(fenced!(job, instance))
            .set(sj::heartbeat_at.eq(at))
            .execute(&mut c)?,
    };
    if n == 0 {
        return Ok(None);
    }
    let asked: bool = sj::table
        .find(job.id)
        .select(sj::cancel_requested)
        .first(&mut c)?;
    Ok(Some(asked))
}

/// Runs a claimed job; a panic inside fails the job with what it said.
fn run_job(pool: &DbPool, job: Claim, instance: &str, stop: &AtomicBool, stale_after: Duration) {
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        execute(pool, job, instance, stop, stale_after)
    }));
    if let Err(p) = ran {
        let why = panic_text(p.as_ref());
        tracing::error!(job = job.id, panic = %why, "a schedule job panicked");
        finish(
            pool,
            job,
            instance,
            JobStatus::Failed,
            None,
            Some(format!("the solver stopped unexpectedly: {why}")),
        );
    }
}

fn execute(pool: &DbPool, claim: Claim, instance: &str, stop: &AtomicBool, stale_after: Duration) {
    let kind = pool
        .get()
        .map_err(ApiError::from)
        .and_then(|mut c| get(&mut c, claim.id));
    // A job that cannot be read fails below, with the reason.
    if let Ok(Kind::Assignment | Kind::Selection) = kind.map(|j| j.kind) {
        return execute_action(pool, claim, instance, stop, stale_after);
    }
    let id = claim.id;
    let prepared = pool.get().map_err(ApiError::from).and_then(|mut c| {
        let job = get(&mut c, id)?;
        let req: JobRequest = serde_json::from_value(job.request.clone())
            .map_err(|e| ApiError::Internal(e.into()))?;
        let meeting = crate::meetings::queries::find(&mut c, job.meeting_id)?
            .ok_or(ApiError::NotFound("meeting"))?;
        let published = versions::published(&mut c, meeting.id)?;
        let previous = match (req.kind, published) {
            (Kind::Repair, Some(v)) => versions::assignments(&mut c, v)?,
            _ => vec![],
        };
        let mut problem = super::build::problem(&mut c, &meeting, previous)?;
        if let Some(rules) = &req.rules {
            // What the job recorded when it was queued, not what the meeting says now.
            problem.weights = rules.on_top_of(&problem_rules(&problem)).weights();
        }
        Ok((job, req, problem, published))
    });
    let (job, req, problem, published) = match prepared {
        Ok(x) => x,
        Err(e) => {
            finish(
                pool,
                claim,
                instance,
                JobStatus::Failed,
                None,
                Some(format!("{e}")),
            );
            return;
        }
    };
    // The heartbeat carries the job's progress, which people watch while it runs: once a
    // second (one small write), and well inside the time after which a job is stale.
    let every = (stale_after / 4).clamp(Duration::from_millis(250), Duration::from_secs(1));
    let mut lease = Lease::start(pool.clone(), claim, instance.to_string(), every);
    let cancel = lease.cancel.clone();
    let latest = lease.progress.clone();
    let mut on_progress = |p: &solver::Progress| {
        if stop.load(Ordering::SeqCst) {
            cancel.store(true, Ordering::SeqCst);
        }
        let progress = json!({"elapsed_ms": p.elapsed.as_millis() as u64, "moves": p.moves,
                              "best_hard": p.best_hard, "best_soft": p.best_soft});
        if let Ok(mut g) = latest.lock() {
            *g = Some(progress.to_string());
        }
    };
    let budget = Budget {
        time_limit: Some(Duration::from_secs_f64(req.time_limit_seconds)),
        max_moves: None,
        cancel: Some(&lease.cancel),
        progress: Some(&mut on_progress),
    };
    let result = match req.kind {
        Kind::Repair => solver::repair(&problem, budget, req.seed),
        _ => solver::solve(&problem, budget, req.seed),
    };
    lease.end();
    if lease.lost.load(Ordering::SeqCst) {
        // Another instance runs this job now; what this one found is dropped.
        return;
    }
    if stop.load(Ordering::SeqCst) {
        give_back(pool, claim, instance);
        return;
    }
    // A job cancelled while it ran keeps the best schedule it found, as a draft.
    let ended = if lease.cancel.load(Ordering::SeqCst) {
        JobStatus::Cancelled
    } else {
        JobStatus::Succeeded
    };
    match result {
        Ok(solution) => {
            // The last word on progress is the finished search's own, so that a job that
            // ends before its first heartbeat still reports what it did: the same
            // figures as it reported while it ran, from its last point.
            let (best_hard, best_soft) = solution
                .stats
                .trace
                .last()
                .map_or((solution.evaluation.score.hard, 0), |p| (p.hard, p.soft));
            let last = json!({"elapsed_ms": solution.stats.elapsed_ms, "moves": solution.stats.moves,
                              "best_hard": best_hard, "best_soft": best_soft});
            let source = match req.kind {
                Kind::Repair => Source::Repair,
                _ => Source::Solve,
            };
            let parent = if req.kind == Kind::Repair {
                published
            } else {
                None
            };
            // The version and the job's end are one transaction, fenced by the claim:
            // a job this instance lost stores nothing.
            let stored = pool.get().map_err(ApiError::from).and_then(|mut c| {
                crate::db::write_tx(&mut c, |c| {
                    let ours = diesel::update(fenced!(claim, instance))
                        .set(sj::progress.eq(last.to_string()))
                        .execute(c)?;
                    if ours == 0 {
                        return Ok(None);
                    }
                    let created_by: Option<i64> =
                        sj::table.find(id).select(sj::created_by).first(c)?;
                    let v =
                        versions::store(c, created_by, job.meeting_id, source, parent, &solution)?;
                    let at = to_db(crate::db::now(c)?);
                    diesel::update(fenced!(claim, instance))
                        .set((
                            sj::status.eq(ended.as_str()),
                            sj::version_id.eq(Some(v)),
                            sj::error.eq(None::<String>),
                            sj::finished_at.eq(at),
                        ))
                        .execute(c)?;
                    Ok(Some(v))
                })
            });
            match stored {
                Ok(Some(_)) => {}
                Ok(None) => tracing::warn!(
                    job = id,
                    "the job was no longer this instance's when it finished; its result is dropped"
                ),
                Err(e) => finish(
                    pool,
                    claim,
                    instance,
                    JobStatus::Failed,
                    None,
                    Some(format!("{e}")),
                ),
            }
        }
        Err(_) if ended == JobStatus::Cancelled => {
            finish(pool, claim, instance, JobStatus::Cancelled, None, None)
        }
        Err(e) => finish(
            pool,
            claim,
            instance,
            JobStatus::Failed,
            None,
            Some(e.to_string()),
        ),
    }
}

/// A running assignment or selection as its use case sees it: each step goes to the
/// job's progress (the lease writes the latest with its heartbeat), a cancel or this
/// instance's shutdown stops it, and its outcome is stored with the job's end in one
/// transaction, fenced by the claim.
struct ActionRun<'a> {
    claim: Claim,
    instance: &'a str,
    stop: &'a AtomicBool,
    cancel: Arc<AtomicBool>,
    latest: Arc<std::sync::Mutex<Option<String>>>,
    started: Instant,
    best: Option<crate::progress::Best>,
    last: serde_json::Value,
}

impl ActionRun<'_> {
    fn progress(&self, step: &crate::progress::Step) -> serde_json::Value {
        let mut p = json!({"elapsed_ms": self.started.elapsed().as_millis() as u64,
                           "phase": step.phase, "done": step.done, "total": step.total});
        if let Some(b) = &self.best {
            p["best"] = json!(b);
        }
        p
    }
}

impl crate::progress::Watch for ActionRun<'_> {
    fn step(&mut self, step: crate::progress::Step) -> bool {
        if self.stop.load(Ordering::SeqCst) {
            self.cancel.store(true, Ordering::SeqCst);
        }
        if step.best.is_some() {
            self.best = step.best.clone();
        }
        self.last = self.progress(&step);
        if let Ok(mut g) = self.latest.lock() {
            *g = Some(self.last.to_string());
        }
        !self.cancel.load(Ordering::SeqCst)
    }
}

impl crate::watched::Watched for ActionRun<'_> {
    fn seal(&mut self, c: &mut DbConn, outcome: &serde_json::Value) -> Result<(), ApiError> {
        let mut last = self.last.clone();
        last["elapsed_ms"] = json!(self.started.elapsed().as_millis() as u64);
        let at = to_db(crate::db::now(c)?);
        let ours = diesel::update(fenced!(self.claim, self.instance))
            .set((
                sj::status.eq(JobStatus::Succeeded.as_str()),
                sj::result.eq(Some(outcome.to_string())),
                sj::progress.eq(Some(last.to_string())),
                sj::error.eq(None::<String>),
                sj::finished_at.eq(at),
            ))
            .execute(c)?;
        if ours == 0 {
            // Rolls back what the action stored: the job is another instance's now.
            return Err(ApiError::Internal(anyhow::anyhow!(
                "job {} is no longer this instance's",
                self.claim.id
            )));
        }
        Ok(())
    }
}

/// Runs a queued assignment or selection with the use case the request would have
/// run, as the account that queued it.
fn execute_action(
    pool: &DbPool,
    claim: Claim,
    instance: &str,
    stop: &AtomicBool,
    stale_after: Duration,
) {
    let every = (stale_after / 4).clamp(Duration::from_millis(250), Duration::from_secs(1));
    let mut lease = Lease::start(pool.clone(), claim, instance.to_string(), every);
    let mut run = ActionRun {
        claim,
        instance,
        stop,
        cancel: lease.cancel.clone(),
        latest: lease.progress.clone(),
        started: Instant::now(),
        best: None,
        last: json!({}),
    };
    let outcome = pool.get().map_err(ApiError::from).and_then(|mut c| {
        let job = get(&mut c, claim.id)?;
        let actor: Option<i64> = sj::table
            .find(claim.id)
            .select(sj::created_by)
            .first(&mut c)?;
        let actor = actor.ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "job {} has no account that queued it",
                claim.id
            ))
        })?;
        let unreadable_request =
            |e: serde_json::Error| unreadable("schedule_jobs.params", claim.id, &e.to_string());
        match job.kind {
            Kind::Assignment => {
                let body: crate::evaluation::types::AssignRequest =
                    serde_json::from_value(job.request).map_err(unreadable_request)?;
                let rules = body.rules()?;
                crate::evaluation::queries::run_assignment(
                    &mut c,
                    actor,
                    job.meeting_id,
                    &rules,
                    &mut run,
                )
                .map(|_| ())
            }
            Kind::Selection => {
                let body: crate::selection::types::SelectionRequest =
                    serde_json::from_value(job.request).map_err(unreadable_request)?;
                let meeting = crate::meetings::queries::find(&mut c, job.meeting_id)?
                    .ok_or(ApiError::NotFound("meeting"))?;
                crate::selection::runs::run_selection(&mut c, actor, &meeting, body, &mut run)
                    .map(|_| ())
            }
            Kind::Solve | Kind::Repair => Err(ApiError::Internal(anyhow::anyhow!(
                "job {} is a schedule job, not an action",
                claim.id
            ))),
        }
    });
    lease.end();
    if lease.lost.load(Ordering::SeqCst) {
        return;
    }
    let Err(e) = outcome else { return };
    if stop.load(Ordering::SeqCst) {
        give_back(pool, claim, instance);
        return;
    }
    if lease.cancel.load(Ordering::SeqCst) {
        finish(pool, claim, instance, JobStatus::Cancelled, None, None);
        return;
    }
    // Failed for its request (quotas that conflict, too few evaluators): the fields
    // at fault are kept with the job, as the request would have answered them.
    let fields = match &e {
        ApiError::Validation { errors, .. } => Some(json!({"errors": errors})),
        _ => None,
    };
    finish_with(
        pool,
        claim,
        instance,
        JobStatus::Failed,
        Some(e.to_string()),
        fields,
    );
}

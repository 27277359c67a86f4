//! The command line: `serve`, `migrate`, `users add`, `demo`.

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::auth::Role;
use crate::config::{DEFAULT_BIND, DEFAULT_DATABASE_URL, Settings, redact_url};

/// Every environment variable the service reads, for `--help`.
const ENVIRONMENT: &str = "\
Environment (defaults in brackets):
  IGF_DATABASE_URL                SQLite file path or postgres:// URL, as --database-url
  IGF_BIND                        address to listen on, as serve --bind
  IGF_JWT_SECRET                  secret that signs access tokens: 32 characters or more,
                                  not guessable; required on PostgreSQL (every instance
                                  needs the same); unset on SQLite, one is kept beside
                                  the database file
  IGF_PUBLIC_URL                  origin every link starts with, e.g.
                                  https://igf.example.org [this instance's address]
  IGF_TRUSTED_PROXIES             comma-separated addresses of load balancers whose
                                  X-Forwarded-For names the client [none]
  IGF_TOKEN_TTL_SECONDS           lifetime of an access token [28800]
  IGF_BODY_LIMIT_BYTES            largest request body accepted [1048576]
  IGF_DB_POOL_SIZE                database connections per instance [8]
  IGF_JOB_STALE_SECONDS           heartbeat age after which a schedule job is run again [60]
  IGF_LOGIN_FAILURES_PER_ACCOUNT  free failed sign-ins per account and address; then
                                  each waits 30 s, doubling up to the window [5]
  IGF_LOGIN_FAILURES_PER_ADDRESS  failed sign-ins allowed per client address and window [100]
  IGF_LOGIN_WINDOW_SECONDS        length of that window [900]
  IGF_REGISTRATIONS_PER_ADDRESS_HOUR  accounts one address may register per hour [20]
  IGF_AGENDAS_PER_ADDRESS_HOUR    personal agendas one address may make per hour [300]
  IGF_HASH_CONCURRENCY            password hashes at once per instance, 19 MiB each [2]
  IGF_SMTP_HOST                   SMTP server email goes through; unset, this instance
                                  sends no email [unset]
  IGF_SMTP_PORT                   its port [587; 465 with tls; 25 with none]
  IGF_SMTP_TLS                    starttls, tls or none [starttls]
  IGF_SMTP_USERNAME               SMTP user name, if the server asks [unset]
  IGF_SMTP_PASSWORD               SMTP password, if the server asks [unset]
  IGF_MAIL_FROM                   the sender; required with IGF_SMTP_HOST
  IGF_OUTBOX_POLL_MS              how often the outbox worker looks for messages [2000]
  IGF_OUTBOX_LEASE_SECONDS        how long a worker holds a message it sends [120]
  IGF_OUTBOX_RETRY_BASE_SECONDS   wait after a first failed attempt, doubling to 6 h [30]
  IGF_WEBHOOK_TIMEOUT_SECONDS     how long a webhook endpoint has to answer [10]
  IGF_WEBHOOK_DISABLE_AFTER       failed deliveries in a row that disable an endpoint [10]
  IGF_WEBHOOK_PRIVATE_ADDRESSES   comma-separated private addresses deliveries may
                                  go to [none]
  IGF_PASSWORD                    the password for `users add` when there is no terminal
  IGF_LOG                         log filter, e.g. info or igf_scheduler=debug [info]
  IGF_LOG_FORMAT                  json for one JSON object per log event [text]";

/// Scheduling and logistics for IGF-style multistakeholder meetings.
#[derive(Debug, Parser)]
#[command(name = "igf-scheduler", version, about, after_help = ENVIRONMENT)]
pub struct Cli {
    /// SQLite file path or postgres:// URL.
    #[arg(long, global = true, env = "IGF_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "IGF_BIND", default_value = DEFAULT_BIND)]
        bind: String,
        /// Load the demo meeting first (once; later runs keep what is there).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Manage accounts.
    Users {
        /// The account action.
        #[command(subcommand)]
        action: UsersCommand,
    },
    /// Load the demo meeting and exit.
    Demo,
    /// Solve a scheduling instance in the shared benchmark format.
    Solve {
        /// The instance JSON file.
        #[arg(long)]
        instance: std::path::PathBuf,
        /// Stop after this many seconds.
        #[arg(long, default_value_t = 10.0)]
        time_limit: f64,
        /// Stop after this many moves (with a seed, makes the run reproducible).
        #[arg(long)]
        moves: Option<u64>,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write `{"assignments": [...]}`.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Where to write the best score over time as JSON.
        #[arg(long)]
        trace: Option<std::path::PathBuf>,
        /// Where to write the full evaluation: score per rule and every penalty.
        #[arg(long)]
        explain: Option<std::path::PathBuf>,
        /// `benchmark`: same-theme clashes only, as the shared checker scores; `full`:
        /// the product's default soft rules and weights.
        #[arg(long, default_value = "benchmark", value_parser = ["benchmark", "full"])]
        objective: String,
    },
    /// Choose the programme from the selection part of a benchmark instance.
    Select {
        /// The instance JSON file (its `proposals` and `selection`).
        #[arg(long)]
        instance: std::path::PathBuf,
        /// Where to write the selection with the reason for every decline.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

/// Account actions.
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create an account; the password comes from IGF_PASSWORD or a prompt.
    Add {
        /// Login email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// proposer, evaluator or secretariat.
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s)
        .ok_or_else(|| format!("{s:?} is not a role; use proposer, evaluator or secretariat"))
}

/// Parses the command line and runs it.
pub fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { bind, demo } => serve(cli.database_url, bind, demo),
        Command::Migrate => {
            let applied = crate::db::migrate(&cli.database_url)?;
            let db = redact_url(&cli.database_url);
            if applied.is_empty() {
                println!("database {db} was up to date: no migration to apply");
            } else {
                println!("database {db}: applied {} migration(s):", applied.len());
                for m in &applied {
                    println!("  {m}");
                }
            }
            Ok(())
        }
        Command::Users {
            action: UsersCommand::Add { email, name, role },
        } => add_user(&cli.database_url, &email, &name, role),
        Command::Solve {
            instance,
            time_limit,
            moves,
            seed,
            out,
            trace,
            explain,
            objective,
        } => {
            let full = objective == "full";
            solve_file(
                &instance,
                time_limit,
                moves,
                seed,
                &out,
                trace.as_deref(),
                explain.as_deref(),
                full,
            )
        }
        Command::Select { instance, out } => select_file(&instance, out.as_deref()),
        Command::Demo => {
            let pool = crate::db::connect(&cli.database_url, 1)?;
            let mut conn = pool.get()?;
            let summary = crate::demo::seed(&mut conn)?;
            println!("{summary}");
            Ok(())
        }
    }
}

/// `users add`: every broken field is said in one sentence each, before any password
/// is asked for.
fn add_user(database_url: &str, email: &str, name: &str, role: Role) -> anyhow::Result<()> {
    let mut c = crate::validate::Checker::new();
    c.email("email", email);
    c.text("name", name, 200);
    sentences(c.finish())?;
    let password = match std::env::var("IGF_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ if !std::io::IsTerminal::is_terminal(&std::io::stdin()) => anyhow::bail!(
            "no password given: there is no terminal to ask for one, so set IGF_PASSWORD \
             (for example IGF_PASSWORD='a long passphrase' igf-scheduler users add ...)"
        ),
        _ => rpassword::prompt_password("password: ").context("reading the password")?,
    };
    let mut c = crate::validate::Checker::new();
    if password.chars().count() < crate::auth::password::MIN_LENGTH {
        c.add(
            "password",
            "min_length",
            format!(
                "the password needs at least {} characters",
                crate::auth::password::MIN_LENGTH
            ),
        );
    }
    sentences(c.finish())?;
    let pool = crate::db::connect(database_url, 1)?;
    let mut conn = pool.get()?;
    let hash = crate::auth::password::hash(&password)?;
    let id = crate::auth::service::create_account(&mut conn, None, email, name, &hash, role)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("created {role} account {id} for {}", email.trim());
    Ok(())
}

/// A validation failure as one sentence per broken field.
fn sentences(r: Result<(), crate::error::ApiError>) -> anyhow::Result<()> {
    match r {
        Ok(()) => Ok(()),
        Err(crate::error::ApiError::Validation { errors, .. }) => {
            let lines: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
            anyhow::bail!("{}", lines.join("\n"))
        }
        Err(e) => anyhow::bail!("{e}"),
    }
}

fn serve(database_url: String, bind: String, demo: bool) -> anyhow::Result<()> {
    let settings = Settings::load(database_url, bind)?;
    tracing::info!(settings = ?settings, "starting");
    let pool = crate::db::connect(&settings.database_url, settings.pool_size)?;
    if demo {
        crate::demo::check_loadable(&mut *pool.get()?)?;
    } else if crate::demo::was_seeded(&mut *pool.get()?)? {
        tracing::warn!(
            "this database was seeded with the demo: its accounts (secretariat@demo.igf.test \
             and the others) share a password published in the README; deactivate them or \
             use another database before real people use this one"
        );
    }
    actix_web::rt::System::new().block_on(async move {
        let app = crate::app::Application::build(settings.clone(), pool.clone())?;
        tracing::info!(address = %settings.bind, port = app.port(), "listening");
        if demo {
            // The service answers while the demo loads (solving it takes a while);
            // `/health` says 503 "starting" until it is there.
            let ready = app.readiness();
            ready.store(false, std::sync::atomic::Ordering::SeqCst);
            tracing::info!("loading the demo meeting");
            actix_web::rt::spawn(async move {
                let loaded = actix_web::web::block(move || -> anyhow::Result<_> {
                    crate::demo::seed(&mut *pool.get()?)
                })
                .await
                .map_err(anyhow::Error::from)
                .and_then(|r| r);
                match loaded {
                    Ok(summary) => {
                        tracing::info!("{summary}");
                        ready.store(true, std::sync::atomic::Ordering::SeqCst);
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "the demo could not be loaded; stopping");
                        std::process::exit(1);
                    }
                }
            });
        }
        app.run_until_stopped().await?;
        tracing::info!("stopped");
        Ok(())
    })
}

#[allow(clippy::too_many_arguments)]
fn solve_file(
    instance: &std::path::Path,
    time_limit: f64,
    moves: Option<u64>,
    seed: u64,
    out: &std::path::Path,
    trace: Option<&std::path::Path>,
    explain: Option<&std::path::Path>,
    full_objective: bool,
) -> anyhow::Result<()> {
    use crate::scheduling::{bench, solver};
    if !(time_limit > 0.0 && time_limit.is_finite()) {
        anyhow::bail!("--time-limit must be a positive number of seconds");
    }
    let text = std::fs::read_to_string(instance)
        .with_context(|| format!("reading {}", instance.display()))?;
    let mut problem = bench::parse(&text)
        .and_then(|i| i.to_problem())
        .with_context(|| format!("in {}", instance.display()))?;
    if full_objective {
        problem.weights = solver::Weights::default();
    }
    let limit = std::time::Duration::from_secs_f64(time_limit);
    let bar = indicatif::ProgressBar::new(limit.as_millis() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} [{bar:30}] {msg}")
            .map_err(|e| anyhow::anyhow!("{e}"))?,
    );
    let mut on_progress = |p: &solver::Progress| {
        bar.set_position(p.elapsed.as_millis() as u64);
        bar.set_message(format!(
            "best: {} hard, {} soft; {} moves",
            p.best_hard, p.best_soft, p.moves
        ));
    };
    let budget = solver::Budget {
        time_limit: Some(limit),
        max_moves: moves,
        cancel: None,
        progress: Some(&mut on_progress),
    };
    let solution = solver::solve(&problem, budget, seed).map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish_and_clear();
    write_json(out, &bench::to_file(&solution.assignments))?;
    if let Some(path) = trace {
        write_json(path, &solution.stats.trace)?;
    }
    if let Some(path) = explain {
        write_json(path, &solution.evaluation)?;
    }
    let s = &solution.stats;
    println!(
        "{}",
        serde_json::json!({
            "hard": solution.evaluation.score.hard,
            "soft": solution.evaluation.score.soft,
            "first_feasible_ms": s.first_feasible_ms,
            "elapsed_ms": s.elapsed_ms,
            "moves": s.moves,
            "lower_bound": s.lower_bound,
            "optimal": s.optimal,
            "unplaced": solution.unplaced,
        })
    );
    for u in &solution.unplaced {
        eprintln!("not placed: {}: {}", u.session, u.reasons.join("; "));
    }
    Ok(())
}

fn write_json<T: serde::Serialize>(path: &std::path::Path, value: &T) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn select_file(instance: &std::path::Path, out: Option<&std::path::Path>) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(instance)
        .with_context(|| format!("reading {}", instance.display()))?;
    let (candidates, quotas) = crate::scheduling::bench::parse(&text)
        .and_then(|i| i.to_selection())
        .with_context(|| format!("in {}", instance.display()))?;
    let started = std::time::Instant::now();
    // The most a run through the API may take.
    let limit = std::time::Duration::from_secs(300);
    let selection = crate::selection::optimizer::select(&candidates, &quotas, limit)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let elapsed = started.elapsed();
    if let Some(path) = out {
        write_json(path, &selection)?;
    }
    println!(
        "{}",
        serde_json::json!({
            "candidates": candidates.len(),
            "selected": selection.selected.len(),
            "objective": (selection.objective * 1000.0).round() / 1000.0,
            "gap": selection.gap,
            "timed_out": selection.timed_out,
            "elapsed_ms": elapsed.as_secs_f64() * 1000.0,
        })
    );
    Ok(())
}

//! The command line: `serve`, `migrate`, `users add`, `demo`.

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::auth::Role;
use crate::config::{DEFAULT_BIND, DEFAULT_DATABASE_URL, Settings, redact_url};

/// Scheduling and logistics for IGF-style multistakeholder meetings.
#[derive(Debug, Parser)]
#[command(name = "igf-scheduler", version, about)]
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
            let pool = crate::db::connect(&cli.database_url, 1)?;
            let mut conn = pool.get()?;
            let applied = crate::db::run_migrations(&mut conn)?;
            println!(
                "database {} is up to date ({} migration(s) applied now)",
                redact_url(&cli.database_url),
                applied.len()
            );
            Ok(())
        }
        Command::Users {
            action: UsersCommand::Add { email, name, role },
        } => {
            let password = match std::env::var("IGF_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => rpassword::prompt_password("password: ").context("reading the password")?,
            };
            let pool = crate::db::connect(&cli.database_url, 1)?;
            let mut conn = pool.get()?;
            let mut c = crate::validate::Checker::new();
            c.email("email", &email);
            c.text("name", &name, 200);
            if password.chars().count() < crate::auth::password::MIN_LENGTH {
                c.add(
                    "password",
                    "min_length",
                    "the password needs at least 10 characters",
                );
            }
            c.finish().map_err(|e| anyhow::anyhow!("{e}: {e:?}"))?;
            let hash = crate::auth::password::hash(&password)?;
            let id =
                crate::auth::handlers::create_account(&mut conn, None, &email, &name, &hash, role)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("created {role} account {id} for {email}");
            Ok(())
        }
        Command::Demo => {
            let pool = crate::db::connect(&cli.database_url, 1)?;
            let mut conn = pool.get()?;
            let summary = crate::demo::seed(&mut conn)?;
            println!("{summary}");
            Ok(())
        }
    }
}

fn serve(database_url: String, bind: String, demo: bool) -> anyhow::Result<()> {
    let settings = Settings::load(database_url, bind)?;
    tracing::info!(settings = ?settings, "starting");
    let pool = crate::db::connect(&settings.database_url, settings.pool_size)?;
    if demo {
        let mut conn = pool.get()?;
        let summary = crate::demo::seed(&mut conn)?;
        tracing::info!("{summary}");
    }
    actix_web::rt::System::new().block_on(async move {
        let app = crate::app::Application::build(settings.clone(), pool)?;
        tracing::info!(address = %settings.bind, port = app.port(), "listening");
        app.run_until_stopped().await?;
        tracing::info!("stopped");
        Ok(())
    })
}

//! Settings read from the environment (and the command line), with the defaults the
//! README documents.

use std::path::Path;

use anyhow::Context;

/// Default SQLite file when `IGF_DATABASE_URL` is unset.
pub const DEFAULT_DATABASE_URL: &str = "data/igf.db";
/// Default listen address when `IGF_BIND` is unset.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Everything the service needs to start.
#[derive(Clone)]
pub struct Settings {
    /// SQLite file path or `postgres://` URL.
    pub database_url: String,
    /// Address to listen on; port 0 picks a free port.
    pub bind: String,
    /// Secret that signs access tokens.
    pub jwt_secret: Secret,
    /// Lifetime of an access token in seconds.
    pub token_ttl_seconds: i64,
    /// Largest accepted request body in bytes.
    pub body_limit_bytes: usize,
    /// Size of the database connection pool.
    pub pool_size: u32,
    /// A running schedule job whose heartbeat is older than this many seconds is taken
    /// to have lost its instance, and is queued again or failed.
    pub job_stale_seconds: u64,
    /// Failed sign-ins allowed per account within `login_window_seconds`.
    pub login_failures_per_account: u32,
    /// Failed sign-ins allowed per client address within `login_window_seconds`.
    pub login_failures_per_address: u32,
    /// The window over which failed sign-ins are counted.
    pub login_window_seconds: u64,
}

/// A secret value that never prints.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps raw secret bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    /// The secret bytes, for the one place that signs with them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("token_ttl_seconds", &self.token_ttl_seconds)
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field("pool_size", &self.pool_size)
            .field(
                "login_failures_per_account",
                &self.login_failures_per_account,
            )
            .field(
                "login_failures_per_address",
                &self.login_failures_per_address,
            )
            .field("login_window_seconds", &self.login_window_seconds)
            .finish_non_exhaustive()
    }
}

/// Hides a password in a database URL for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map_err(|e| anyhow::anyhow!("{name}={v:?} is not valid: {e}")),
        _ => Ok(default),
    }
}

impl Settings {
    /// Reads the settings from the environment; `database_url` and `bind` come from the
    /// command line (which falls back to the same variables).
    pub fn load(database_url: String, bind: String) -> anyhow::Result<Self> {
        let jwt_secret = match std::env::var("IGF_JWT_SECRET") {
            Ok(s) if s.len() >= 32 => Secret::new(s.into_bytes()),
            Ok(s) if !s.is_empty() => {
                anyhow::bail!("IGF_JWT_SECRET must be at least 32 characters long")
            }
            _ => dev_secret(&database_url)?,
        };
        Ok(Settings {
            database_url,
            bind,
            jwt_secret,
            token_ttl_seconds: env_or("IGF_TOKEN_TTL_SECONDS", 8 * 3600)?,
            body_limit_bytes: env_or("IGF_BODY_LIMIT_BYTES", 1024 * 1024)?,
            pool_size: env_or("IGF_DB_POOL_SIZE", 8)?,
            job_stale_seconds: env_or("IGF_JOB_STALE_SECONDS", 60)?,
            login_failures_per_account: env_or("IGF_LOGIN_FAILURES_PER_ACCOUNT", 5)?,
            login_failures_per_address: env_or("IGF_LOGIN_FAILURES_PER_ADDRESS", 100)?,
            login_window_seconds: env_or("IGF_LOGIN_WINDOW_SECONDS", 900)?,
        })
    }
}

/// A development secret: kept beside the SQLite file so tokens survive restarts, or
/// made fresh for this process when the database is a server.
fn dev_secret(database_url: &str) -> anyhow::Result<Secret> {
    let random = || -> anyhow::Result<Vec<u8>> {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
        Ok(b.iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
            .into_bytes())
    };
    if crate::db::Backend::of(database_url) == crate::db::Backend::Postgres {
        tracing::warn!("IGF_JWT_SECRET is not set: using a random secret for this process only");
        return Ok(Secret::new(random()?));
    }
    let dir = Path::new(database_url)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let path = dir.join("jwt-secret");
    if let Ok(s) = std::fs::read(&path)
        && s.len() >= 32
    {
        tracing::warn!(path = %path.display(), "IGF_JWT_SECRET is not set: using the development secret kept beside the database");
        return Ok(Secret::new(s));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let s = random()?;
    write_private(&path, &s).with_context(|| format!("writing {}", path.display()))?;
    tracing::warn!(path = %path.display(), "IGF_JWT_SECRET is not set: generated a development secret beside the database");
    Ok(Secret::new(s))
}

#[cfg(unix)]
fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(data)
}

#[cfg(not(unix))]
fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_url_hides_the_password_only() {
        assert_eq!(
            redact_url("postgres://app:hunter2@db:5432/igf"),
            "postgres://app:***@db:5432/igf"
        );
        assert_eq!(redact_url("data/igf.db"), "data/igf.db");
    }
}

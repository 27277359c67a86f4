//! Storage: one connection type over SQLite and PostgreSQL, the pool, embedded
//! migrations, and helpers that keep blocking database work off the async executor.
//!
//! The backend is chosen by the URL: `postgres://` or `postgresql://` selects
//! PostgreSQL, anything else is a SQLite file path (`:memory:` is refused because each
//! pooled connection would get its own empty database).

#[cfg(not(any(feature = "sqlite", feature = "postgres")))]
compile_error!("enable at least one database backend: feature `sqlite` or `postgres`");

pub mod schema;

use std::time::Duration;

use actix_web::web;
use diesel::Connection;
use diesel::r2d2;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ApiError;

/// A database connection on whichever backend the configured URL selects.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    /// A PostgreSQL server connection.
    #[cfg(feature = "postgres")]
    Pg(diesel::PgConnection),
    /// An embedded SQLite database file.
    #[cfg(feature = "sqlite")]
    Sqlite(diesel::SqliteConnection),
}

/// Runs one expression against the concrete backend connection, for the few statements
/// (such as `RETURNING`) that the portable connection type cannot express.
#[macro_export]
macro_rules! with_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            #[cfg(feature = "postgres")]
            $crate::db::DbConn::Pg($c) => $body,
            #[cfg(feature = "sqlite")]
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}

/// Which backend a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

impl Backend {
    /// Picks the backend from a database URL or file path.
    pub fn of(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// The connection pool shared by all request handlers.
pub type DbPool = r2d2::Pool<ConnectionManager>;

#[cfg(feature = "sqlite")]
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
#[cfg(feature = "postgres")]
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Opens connections for the pool, choosing the backend by URL so that connection
/// errors are reported as they are (the derived `establish` would hide them) and
/// applying SQLite's per-connection settings.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
}

/// Why a connection could not be opened or checked.
#[derive(Debug, thiserror::Error)]
pub enum ConnError {
    /// The server or file could not be opened.
    #[error(transparent)]
    Connection(#[from] diesel::ConnectionError),
    /// A statement on a fresh connection failed.
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    /// The URL names a backend this build does not include.
    #[error("this build has no support for the database backend of {0:?}")]
    Unsupported(String),
}

impl ConnectionManager {
    /// A manager for the given URL or SQLite path.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }

    fn open(&self) -> Result<DbConn, ConnError> {
        match Backend::of(&self.url) {
            #[cfg(feature = "postgres")]
            Backend::Postgres => Ok(DbConn::Pg(diesel::PgConnection::establish(&self.url)?)),
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => {
                use diesel::RunQueryDsl;
                let mut c = diesel::SqliteConnection::establish(&self.url)?;
                // WAL lets readers run beside the writer; the busy timeout makes a
                // writer wait for the lock instead of failing at once.
                for pragma in [
                    "PRAGMA busy_timeout = 5000",
                    "PRAGMA journal_mode = WAL",
                    "PRAGMA synchronous = NORMAL",
                    "PRAGMA foreign_keys = ON",
                ] {
                    diesel::sql_query(pragma).execute(&mut c)?;
                }
                Ok(DbConn::Sqlite(c))
            }
            #[allow(unreachable_patterns)]
            _ => Err(ConnError::Unsupported(self.url.clone())),
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = ConnError;

    fn connect(&self) -> Result<DbConn, ConnError> {
        self.open()
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnError> {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT 1").execute(conn)?;
        Ok(())
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// Creates the parent folder of a SQLite file, applies pending migrations and builds
/// the pool. Migrations run before the pool hands out any connection.
pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<DbPool> {
    if url == ":memory:" || url.contains("mode=memory") {
        anyhow::bail!(
            "an in-memory SQLite database cannot be shared by the pool; give a file path"
        );
    }
    if Backend::of(url) == Backend::Sqlite
        && let Some(parent) = std::path::Path::new(url).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    let manager = ConnectionManager::new(url);
    let mut conn = manager.open()?;
    for m in run_migrations(&mut conn)? {
        tracing::info!(migration = %m, "applied migration");
    }
    let pool = r2d2::Pool::builder()
        .max_size(pool_size)
        .connection_timeout(Duration::from_secs(10))
        .build(manager)?;
    Ok(pool)
}

/// Applies pending migrations to the database at `url` and names those applied.
pub fn migrate(url: &str) -> anyhow::Result<Vec<String>> {
    if Backend::of(url) == Backend::Sqlite
        && let Some(parent) = std::path::Path::new(url).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    let mut conn = ConnectionManager::new(url).open()?;
    run_migrations(&mut conn)
}

/// Applies every embedded migration not yet applied, on the concrete backend.
pub fn run_migrations(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    fn names<DB: diesel::backend::Backend>(
        pending: Vec<Box<dyn diesel::migration::Migration<DB> + '_>>,
    ) -> Vec<String> {
        pending.iter().map(|m| m.name().to_string()).collect()
    }
    let applied = match conn {
        #[cfg(feature = "postgres")]
        DbConn::Pg(c) => c
            .pending_migrations(POSTGRES_MIGRATIONS)
            .map(names)
            .and_then(|n| c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| n)),
        #[cfg(feature = "sqlite")]
        DbConn::Sqlite(c) => c
            .pending_migrations(SQLITE_MIGRATIONS)
            .map(names)
            .and_then(|n| c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| n)),
    };
    applied.map_err(|e| anyhow::anyhow!("migration failed: {e}"))
}

/// Reverts every applied migration, newest first (used by the migration tests).
pub fn revert_all_migrations(conn: &mut DbConn) -> anyhow::Result<usize> {
    let reverted = match conn {
        #[cfg(feature = "postgres")]
        DbConn::Pg(c) => c
            .revert_all_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
        #[cfg(feature = "sqlite")]
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    };
    reverted.map_err(|e| anyhow::anyhow!("revert failed: {e}"))
}

/// Whether the database answers a trivial statement.
pub fn ping(conn: &mut DbConn) -> Result<(), ApiError> {
    use diesel::RunQueryDsl;
    diesel::sql_query("SELECT 1").execute(conn)?;
    Ok(())
}

/// Runs blocking database work on the blocking thread pool with a pooled connection.
pub async fn run<T, F>(pool: &DbPool, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
}

/// Reads a JSON column into its type, or fails naming the column and the row: stored
/// data that cannot be read is an error, never a silent default.
pub fn json_column<T: serde::de::DeserializeOwned>(
    text: &str,
    column: &str,
    row: i64,
) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| {
        ApiError::Internal(anyhow::anyhow!("{column} of row {row} cannot be read: {e}"))
    })
}

/// Runs blocking work (password hashing, or a use case that takes the pool and gets
/// its own connections) on the blocking thread pool.
pub async fn blocking<T, F>(f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    web::block(f)
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
}

/// Runs `f` in one transaction, retrying it a few times when SQLite reports the
/// database busy. On SQLite the transaction is `BEGIN IMMEDIATE`: it takes the write
/// lock first, waiting up to the busy timeout, so two writers never both read and
/// then deadlock on upgrading to the write lock (which fails at once, unwaited).
pub fn write_tx<T, F>(conn: &mut DbConn, mut f: F) -> Result<T, ApiError>
where
    F: FnMut(&mut DbConn) -> Result<T, ApiError>,
{
    let mut attempt = 0u32;
    loop {
        match one_write_tx(conn, &mut f) {
            Err(ApiError::Database(e)) if is_busy(&e) && attempt < 8 => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(10 * u64::from(attempt * attempt)));
            }
            other => return other,
        }
    }
}

/// One attempt of [`write_tx`].
fn one_write_tx<T, F>(conn: &mut DbConn, f: &mut F) -> Result<T, ApiError>
where
    F: FnMut(&mut DbConn) -> Result<T, ApiError>,
{
    // Only the outermost transaction can be IMMEDIATE; inside one, a savepoint.
    #[cfg(feature = "sqlite")]
    if let DbConn::Sqlite(c) = conn
        && matches!(
            <diesel::connection::AnsiTransactionManager as diesel::connection::TransactionManager<
                diesel::SqliteConnection,
            >>::transaction_manager_status_mut(c)
            .transaction_depth(),
            Ok(None)
        )
    {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
        let result = f(conn);
        let DbConn::Sqlite(c) = conn else {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "connection changed kind"
            )));
        };
        return match result {
            Ok(v) => {
                AnsiTransactionManager::commit_transaction(c)?;
                Ok(v)
            }
            Err(e) => {
                AnsiTransactionManager::rollback_transaction(c)?;
                Err(e)
            }
        };
    }
    conn.transaction(|c| f(c))
}

fn is_busy(e: &diesel::result::Error) -> bool {
    match e {
        diesel::result::Error::DatabaseError(_, info) => {
            let m = info.message();
            m.contains("database is locked") || m.contains("database is busy")
        }
        _ => false,
    }
}

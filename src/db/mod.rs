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

    /// A connection handed back inside a transaction (a panic mid-way, or a
    /// transaction manager in error) is broken: reusing it would hold SQLite's write
    /// lock or PostgreSQL's row locks for whoever gets it next.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        let depth = match conn {
            #[cfg(feature = "postgres")]
            DbConn::Pg(c) => {
                AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()
            }
            #[cfg(feature = "sqlite")]
            DbConn::Sqlite(c) => {
                AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()
            }
        };
        !matches!(depth, Ok(None))
    }
}

/// Work that must not run twice at once across instances: each has its own
/// PostgreSQL advisory lock (SQLite's write transaction already holds the database).
#[derive(Debug, Clone, Copy)]
pub enum Exclusive {
    /// Applying migrations.
    Migrations,
    /// Seeding the demo.
    Demo,
}

impl Exclusive {
    /// The lock's key, the same in every instance.
    fn key(self) -> i64 {
        match self {
            Exclusive::Migrations => 0x1_6F00_0001,
            Exclusive::Demo => 0x1_6F00_0002,
        }
    }
}

/// Takes the advisory lock of `what` until the current transaction ends (on
/// PostgreSQL; a no-op on SQLite, whose write transaction holds the whole database).
pub fn exclusive_for_transaction(conn: &mut DbConn, what: Exclusive) -> Result<(), ApiError> {
    #[cfg(feature = "postgres")]
    if let DbConn::Pg(c) = conn {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(what.key())
            .execute(c)?;
    }
    let _ = (conn, what);
    Ok(())
}

/// Locks a meeting's row until the current transaction ends, so that writes that
/// read and then insert per meeting (version numbers, caps, jobs) take turns on
/// PostgreSQL as they do on SQLite, whose write transaction holds the database.
pub fn lock_meeting(conn: &mut DbConn, meeting_id: i64) -> Result<(), ApiError> {
    #[cfg(feature = "postgres")]
    if let DbConn::Pg(pg) = conn {
        use diesel::prelude::*;
        schema::meetings::table
            .find(meeting_id)
            .select(schema::meetings::id)
            .for_update()
            .first::<i64>(pg)
            .optional()?;
    }
    let _ = (conn, meeting_id);
    Ok(())
}

/// The database's clock, whole seconds, UTC: what orders leases, heartbeats, limits
/// and publishes across instances whose own clocks may disagree. SQLite is a file on
/// this machine, so its clock is this machine's.
pub fn now(conn: &mut DbConn) -> Result<chrono::DateTime<chrono::Utc>, ApiError> {
    #[cfg(feature = "postgres")]
    if let DbConn::Pg(c) = conn {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Now {
            #[diesel(sql_type = diesel::sql_types::Timestamp)]
            t: chrono::NaiveDateTime,
        }
        let row: Now = diesel::sql_query(
            "SELECT CAST(date_trunc('second', now() AT TIME ZONE 'UTC') AS TIMESTAMP) AS t",
        )
        .get_result(c)?;
        return Ok(crate::time::from_db(row.t));
    }
    let _ = conn;
    Ok(crate::time::now())
}

/// Creates the parent folder of a SQLite file, applies pending migrations and builds
/// the pool. Migrations run before the pool hands out any connection.
pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<DbPool> {
    if url == ":memory:" || url.contains("mode=memory") {
        anyhow::bail!(
            "an in-memory SQLite database cannot be shared by the pool; give a file path"
        );
    }
    prepare_sqlite_file(url)?;
    let manager = ConnectionManager::new(url);
    let mut conn = manager.open()?;
    for m in run_migrations(&mut conn)? {
        tracing::info!(migration = %m, "applied migration");
    }
    // Connections idle for a minute are closed down to one, so that an instance at
    // rest holds one connection of the server's, not its whole pool.
    let pool = r2d2::Pool::builder()
        .max_size(pool_size)
        .min_idle(Some(1))
        .idle_timeout(Some(Duration::from_secs(60)))
        .connection_timeout(Duration::from_secs(10))
        .build(manager)?;
    Ok(pool)
}

/// Makes a SQLite file's folder and the file itself readable by this user only (it
/// holds password hashes and personal data): a new file is created so, and an
/// existing one that others can read is made private, with a warning. SQLite gives
/// its `-wal` and `-shm` files the database file's permissions.
fn prepare_sqlite_file(url: &str) -> anyhow::Result<()> {
    if Backend::of(url) != Backend::Sqlite {
        return Ok(());
    }
    let path = std::path::Path::new(url);
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.exists()
    {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(parent)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        for p in [
            path.to_path_buf(),
            std::path::PathBuf::from(format!("{url}-wal")),
            std::path::PathBuf::from(format!("{url}-shm")),
        ] {
            match std::fs::metadata(&p) {
                Ok(m) if m.permissions().mode() & 0o077 != 0 => {
                    tracing::warn!(file = %p.display(), "the database file was readable by others; made it private (mode 600)");
                    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600))?;
                }
                Ok(_) => {}
                Err(_) if p == path => {
                    std::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .mode(0o600)
                        .open(&p)
                        .or_else(|e| match e.kind() {
                            std::io::ErrorKind::AlreadyExists => std::fs::File::open(&p),
                            _ => Err(e),
                        })?;
                }
                Err(_) => {}
            }
        }
    }
    Ok(())
}

/// Applies pending migrations to the database at `url` and names those applied.
pub fn migrate(url: &str) -> anyhow::Result<Vec<String>> {
    prepare_sqlite_file(url)?;
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
        DbConn::Pg(c) => {
            // Instances starting together take turns: the first applies, the others
            // then find nothing pending (without the lock two would both create the
            // migrations table and one would fail).
            use diesel::RunQueryDsl;
            let key = Exclusive::Migrations.key();
            diesel::sql_query("SELECT pg_advisory_lock($1)")
                .bind::<diesel::sql_types::BigInt, _>(key)
                .execute(c)
                .map_err(|e| anyhow::anyhow!("waiting for the migration lock failed: {e}"))?;
            let out = c
                .pending_migrations(POSTGRES_MIGRATIONS)
                .map(names)
                .and_then(|n| c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| n));
            let _ = diesel::sql_query("SELECT pg_advisory_unlock($1)")
                .bind::<diesel::sql_types::BigInt, _>(key)
                .execute(c);
            out
        }
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

/// Runs `f` on one consistent view of the database, for an answer read in several
/// statements (every page of a list): a read-only repeatable-read transaction on
/// PostgreSQL, one read transaction on SQLite.
pub fn read_snapshot<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    use diesel::RunQueryDsl;
    conn.transaction(|c| {
        #[cfg(feature = "postgres")]
        if let DbConn::Pg(pg) = c {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(pg)?;
        }
        f(c)
    })
}

/// Runs `f` in one transaction, retrying it a few times when SQLite reports the
/// database busy or PostgreSQL chose it as a deadlock's victim. On SQLite the transaction is `BEGIN IMMEDIATE`: it takes the write
/// lock first, waiting up to the busy timeout, so two writers never both read and
/// then deadlock on upgrading to the write lock (which fails at once, unwaited).
pub fn write_tx<T, F>(conn: &mut DbConn, mut f: F) -> Result<T, ApiError>
where
    F: FnMut(&mut DbConn) -> Result<T, ApiError>,
{
    let mut attempt = 0u32;
    loop {
        match one_write_tx(conn, &mut f) {
            Err(ApiError::Database(e)) if retryable(&e) && attempt < 8 => {
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

/// Whether a transaction failed only for others' sake and can simply run again:
/// SQLite busy, or a PostgreSQL deadlock or serialisation failure (the server has
/// rolled it back).
fn retryable(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        Error::DatabaseError(_, info) => {
            let m = info.message();
            m.contains("database is locked")
                || m.contains("database is busy")
                || m.contains("deadlock detected")
        }
        _ => false,
    }
}

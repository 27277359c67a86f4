use std::collections::BTreeSet;
use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::Text;
use igf_scheduler::db::{self, DbConn};

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

fn folders(backend: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| {
            for f in ["up.sql", "down.sql"] {
                assert!(
                    e.path().join(f).is_file(),
                    "{} has no {f}",
                    e.path().display()
                );
            }
            e.file_name().to_string_lossy().to_string()
        })
        .collect()
}

#[test]
fn migration_folders_are_mirrored_across_backends() {
    let sqlite = folders("sqlite");
    let postgres = folders("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "every migration must exist for both backends under the same name"
    );
}

/// Tables, columns and indexes of the application schema, as sorted text lines.
fn schema(conn: &mut DbConn) -> Vec<Line> {
    let sql = match conn {
        DbConn::Sqlite(_) => {
            "SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS line FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations' ORDER BY 1"
        }
        DbConn::Pg(_) => {
            "SELECT line FROM ( \
               SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line \
               FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' \
               UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations' \
               UNION ALL SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint \
               WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '__diesel_schema_migrations' \
             ) s ORDER BY 1"
        }
    };
    diesel::sql_query(sql).load(conn).unwrap()
}

#[test]
fn down_then_up_restores_the_same_schema() {
    let (url, _dir) = crate::helpers::fresh_database();
    let mut conn = match db::Backend::of(&url) {
        db::Backend::Postgres => DbConn::Pg(diesel::PgConnection::establish(&url).unwrap()),
        db::Backend::Sqlite => DbConn::Sqlite(diesel::SqliteConnection::establish(&url).unwrap()),
    };
    let applied = db::run_migrations(&mut conn).unwrap();
    assert!(!applied.is_empty());
    let first = schema(&mut conn);
    assert!(first.len() > 10, "{first:?}");
    let reverted = db::revert_all_migrations(&mut conn).unwrap();
    assert_eq!(reverted, applied.len());
    assert_eq!(
        schema(&mut conn),
        vec![],
        "down.sql must remove everything up.sql made"
    );
    db::run_migrations(&mut conn).unwrap();
    assert_eq!(schema(&mut conn), first);
}

//! Forward-only schema migrations, embedded from `migrations/*.sql` and applied in
//! order, each in its own transaction; `PRAGMA user_version` counts the applied ones.
//!
//! A shipped file is never edited or removed (a test holds their checksums); a change
//! of schema is a new file. A database newer than the program is refused, not touched.

use rusqlite::Connection;

use super::JournalError;

/// `(file name, SQL)` in the order they apply.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_journal.sql",
        include_str!("../../migrations/0001_journal.sql"),
    ),
    (
        "0002_projections.sql",
        include_str!("../../migrations/0002_projections.sql"),
    ),
    (
        "0003_users.sql",
        include_str!("../../migrations/0003_users.sql"),
    ),
    (
        "0004_leaner_sale.sql",
        include_str!("../../migrations/0004_leaner_sale.sql"),
    ),
    (
        "0005_link.sql",
        include_str!("../../migrations/0005_link.sql"),
    ),
    (
        "0006_marks.sql",
        include_str!("../../migrations/0006_marks.sql"),
    ),
];

pub fn apply(conn: &mut Connection) -> Result<(), JournalError> {
    apply_set(conn, MIGRATIONS).map_err(|e| match e {
        MigrationError::TooNew { found, known } => JournalError::TooNew { found, known },
        MigrationError::Sqlite(e) => JournalError::from(e),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error(
        "the database was written by a newer Sauda ({found} migrations, this program knows {known}): update the program"
    )]
    TooNew { found: i64, known: i64 },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Applies the migrations of `set` that `conn` has not seen; any database with its own
/// forward-only set (the journal, the catalogue) goes through here.
pub fn apply_set(conn: &mut Connection, set: &[(&str, &str)]) -> Result<(), MigrationError> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = set.len() as i64;
    if applied > known {
        return Err(MigrationError::TooNew {
            found: applied,
            known,
        });
    }
    for (index, (_name, sql)) in set.iter().enumerate().skip(applied as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

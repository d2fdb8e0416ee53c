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
];

pub fn apply(conn: &mut Connection) -> Result<(), JournalError> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if applied > known {
        return Err(JournalError::TooNew {
            found: applied,
            known,
        });
    }
    for (index, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

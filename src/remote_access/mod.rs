//! Remote access of the server mode, the tax inspector workstation: the
//! inspectors' accounts (login and password, restricted to some registers and an
//! optional time window) and the append-only audit log of every remote login and
//! command, in their own SQLite file (`access.sqlite`) in the server's state folder.
//!
//! This module only keeps accounts and entries; it must not decide what a remote
//! caller may do, open sockets, or write to the fiscal journal. Authentication never
//! records anything by itself: the server records the audit event of each attempt, so
//! that the event can carry the client's address and the command.
//!
//! Security assumption of the audit log: its checksums are keyed with `audit.key`, a
//! random file beside the database and readable by its owner only. Whoever can change
//! the database but not read the key cannot change, remove, reorder or cut off entries
//! unnoticed. Whoever holds the key file can rewrite the whole log consistently, and
//! putting back a complete older copy of both files (a backup) cannot be told from a
//! log that simply stopped there; only copies kept elsewhere can show either.

mod accounts;
mod audit;
#[cfg(test)]
mod tests;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use accounts::{Inspector, LOCK_AFTER_FAILURES, LOCK_MS, MIN_PASSWORD_CHARS, NewInspector};
pub use audit::{AuditCheck, AuditEntry, AuditEvent, AuditFilter, MAX_ENTRIES_PER_PAGE};

use crate::error::{ApiError, ErrorCode};
use crate::journal::chain::ChainKey;
use crate::journal::migrate::{MigrationError, apply_set};

/// The database, in the server's state folder.
pub const DB_FILE: &str = "access.sqlite";
/// The audit key: 32 random bytes, created owner-only on first open.
pub const KEY_FILE: &str = "audit.key";
const KEY_LEN: usize = 32;

pub const MIGRATIONS: &[(&str, &str)] = &[(
    "0001_access.sql",
    include_str!("../../migrations/access/0001_access.sql"),
)];

#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// Bad input; the message says which field and how to fix it.
    #[error("{0}")]
    Validation(String),
    #[error("no inspector has the login '{0}': check the spelling or add the inspector first")]
    NotFound(String),
    #[error("the remote-access database failed: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("the remote-access database cannot be opened: {0}")]
    Migration(#[from] MigrationError),
    #[error("the audit key {path}: {reason}")]
    Key { path: PathBuf, reason: String },
    #[error("cannot hash the password: {0}")]
    PasswordHash(String),
    /// The log cannot be extended without hiding evidence of tampering.
    #[error(
        "the audit log fails its check ({0}): new entries are refused so that the evidence stays as it is; run the audit check and restore access.sqlite and audit.key from a backup"
    )]
    AuditBroken(String),
}

/// Why a remote login was refused; the message tells the person what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoginRefusal {
    /// The same for an unknown login and a wrong password, so that nobody can find out
    /// which logins exist.
    #[error("wrong login or password")]
    WrongCredentials,
    #[error(
        "too many failed logins: this account is locked, try again in {seconds_left} s or ask the administrator to set a new password"
    )]
    Locked { until_ms: i64, seconds_left: i64 },
    #[error("this inspector account is disabled: ask the register's administrator to enable it")]
    Disabled,
    #[error(
        "this inspector account may log in only {}: ask the register's administrator to change its validity",
        window_text(*from_ms, *until_ms)
    )]
    OutsideWindow {
        from_ms: Option<i64>,
        until_ms: Option<i64>,
    },
    #[error("the account store failed: {0}")]
    Storage(String),
}

fn window_text(from_ms: Option<i64>, until_ms: Option<i64>) -> String {
    match (from_ms, until_ms) {
        (Some(from), Some(until)) => format!("from {} until {}", utc(from), utc(until)),
        (Some(from), None) => format!("from {}", utc(from)),
        (None, Some(until)) => format!("until {}", utc(until)),
        (None, None) => "never".into(),
    }
}

fn utc(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_else(|| format!("{ms} ms"))
}

/// The accounts and the audit log. One per server process; callers share it behind a
/// lock, since a SQLite connection serves one thread at a time.
pub struct AccessStore {
    conn: Connection,
    key: ChainKey,
    /// Failed logins with names no account has, counted like an account's, so that a
    /// lockout does not tell which logins exist. In memory: a restart forgets them.
    unknown_logins: std::sync::Mutex<std::collections::HashMap<String, (i64, i64)>>,
}

impl std::fmt::Debug for AccessStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessStore")
            .field("path", &self.conn.path())
            .field("key", &self.key)
            .finish()
    }
}

impl AccessStore {
    /// Opens `dir/access.sqlite`, creating it and its tables if missing, and the audit
    /// key `dir/audit.key` on first use.
    pub fn open(dir: &Path) -> Result<AccessStore, AccessError> {
        let mut conn = Connection::open(dir.join(DB_FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // An audit entry that a power cut can take back is no audit entry.
        conn.pragma_update(None, "synchronous", "FULL")?;
        apply_set(&mut conn, MIGRATIONS)?;
        let logged: i64 = conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?;
        let key = load_or_create_key(&dir.join(KEY_FILE), logged)?;
        Ok(AccessStore {
            conn,
            key,
            unknown_logins: Default::default(),
        })
    }
}

fn load_or_create_key(path: &Path, logged: i64) -> Result<ChainKey, AccessError> {
    let key_error = |reason: String| AccessError::Key {
        path: path.to_path_buf(),
        reason,
    };
    match fs::read(path) {
        Ok(bytes) if bytes.len() == KEY_LEN => {
            warn_if_others_can_read(path);
            Ok(ChainKey::from_bytes(&bytes))
        }
        Ok(bytes) => Err(key_error(format!(
            "it holds {} bytes instead of {KEY_LEN}: restore it from a backup",
            bytes.len()
        ))),
        // A new key for a log that already has entries would make every old entry
        // look forged; refusing keeps the difference between lost and tampered.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && logged > 0 => {
            Err(key_error(format!(
                "it is missing while the audit log holds {logged} entries: restore it from a backup, the log cannot be checked without it"
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_key(path).map_err(key_error),
        Err(e) => Err(key_error(e.to_string())),
    }
}

fn create_key(path: &Path) -> Result<ChainKey, String> {
    let mut key = [0u8; KEY_LEN];
    getrandom::fill(&mut key).map_err(|e| format!("cannot draw random bytes: {e}"))?;
    let mut options = fs::OpenOptions::new();
    // create_new: two servers starting at once must not each write their own key.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| e.to_string())?;
    file.write_all(&key).map_err(|e| e.to_string())?;
    file.sync_all().map_err(|e| e.to_string())?;
    Ok(ChainKey::from_bytes(&key))
}

fn warn_if_others_can_read(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                "the audit key {} can be read by other users: chmod 600 it",
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

impl From<AccessError> for ApiError {
    fn from(e: AccessError) -> ApiError {
        let code = match e {
            AccessError::Validation(_) => ErrorCode::Validation,
            AccessError::NotFound(_) => ErrorCode::NotFound,
            AccessError::PasswordHash(_) => ErrorCode::Internal,
            AccessError::Storage(_)
            | AccessError::Migration(_)
            | AccessError::Key { .. }
            | AccessError::AuditBroken(_) => ErrorCode::Storage,
        };
        if matches!(code, ErrorCode::Storage | ErrorCode::Internal) {
            tracing::error!("remote access: {e}");
        }
        ApiError::new(code, e.to_string())
    }
}

impl From<LoginRefusal> for ApiError {
    fn from(refusal: LoginRefusal) -> ApiError {
        let code = match refusal {
            LoginRefusal::WrongCredentials => ErrorCode::WrongPin,
            LoginRefusal::Locked { .. } => ErrorCode::LoginLocked,
            LoginRefusal::Disabled | LoginRefusal::OutsideWindow { .. } => ErrorCode::Forbidden,
            LoginRefusal::Storage(_) => {
                tracing::error!("remote access: {refusal}");
                ErrorCode::Storage
            }
        };
        ApiError::new(code, refusal.to_string())
    }
}

#[cfg(test)]
mod key_file_tests {
    use super::tests::{T0, event, open};
    use super::*;

    #[test]
    fn the_key_file_is_made_once_owner_only_and_is_required_once_the_log_has_entries() {
        let (dir, store) = open();
        let path = dir.path().join(KEY_FILE);
        let key = std::fs::read(&path).expect("key file");
        assert_eq!(key.len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let first = store.record(&event("anonymous", "login_failed"), T0);
        assert_eq!(first.expect("recorded"), 1);
        drop(store);
        drop(AccessStore::open(dir.path()).expect("reopens"));
        let kept = std::fs::read(&path).expect("key file");
        assert_eq!(kept, key, "kept, not replaced");
        std::fs::remove_file(&path).expect("removed");
        let refused = AccessStore::open(dir.path());
        let lost = matches!(&refused, Err(AccessError::Key { reason, .. }) if reason.contains("1 entries"));
        assert!(lost, "{refused:?}");
    }
}

//! The tax inspectors' accounts (R-84: remote login by login and password, with
//! restricted access): who may log in, to which registers, in which time window, and
//! the persisted count of failed logins that locks an account.
//!
//! Passwords are kept only as argon2id hashes. The answers to a login never tell an
//! unknown login from a wrong password. This module must not record audit events (the
//! caller does, with the client's address) and must not hold the register's own PIN
//! users, which live in the fiscal journal's database.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::{AccessError, AccessStore, LoginRefusal};

/// Consecutive failed logins of one account that lock it.
pub const LOCK_AFTER_FAILURES: i64 = 5;
/// How long a locked account waits: 15 minutes.
pub const LOCK_MS: i64 = 15 * 60 * 1000;
pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 256;
const MAX_FULL_NAME_CHARS: usize = 200;
const MAX_REGISTER_ID_CHARS: usize = 64;

/// An argon2id hash (default parameters) of a password nobody uses. A login that
/// matches no account is verified against it, so that it costs the same time as a
/// wrong password and the answer time does not tell which logins exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$cLrGP0u0cBl+7L2fB5CVuw$eb440MPKkZudsVCMSq/QP+qqVCOXNuHEs1re3pZ47kw";

/// What the administrator enters for a new inspector.
#[derive(Clone, Deserialize)]
pub struct NewInspector {
    pub login: String,
    pub full_name: String,
    pub password: String,
    /// The registers this inspector may read; empty means every register.
    #[serde(default)]
    pub registers: Vec<String>,
    #[serde(default)]
    pub valid_from_ms: Option<i64>,
    #[serde(default)]
    pub valid_until_ms: Option<i64>,
}

// Hand-written so that a logged request never shows the password.
impl std::fmt::Debug for NewInspector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewInspector")
            .field("login", &self.login)
            .field("full_name", &self.full_name)
            .field("password", &"<hidden>")
            .field("registers", &self.registers)
            .field("valid_from_ms", &self.valid_from_ms)
            .field("valid_until_ms", &self.valid_until_ms)
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inspector {
    pub login: String,
    pub full_name: String,
    /// The registers this inspector may read; empty means every register.
    pub registers: Vec<String>,
    /// Unix ms from which logins are allowed (inclusive).
    pub valid_from_ms: Option<i64>,
    /// Unix ms from which logins are refused again (exclusive).
    pub valid_until_ms: Option<i64>,
    pub active: bool,
    pub created_at_ms: i64,
}

impl Inspector {
    pub fn may_read(&self, register: &str) -> bool {
        self.registers.is_empty() || self.registers.iter().any(|r| r == register)
    }

    pub fn is_within_window(&self, now_ms: i64) -> bool {
        self.valid_from_ms.is_none_or(|from| now_ms >= from)
            && self.valid_until_ms.is_none_or(|until| now_ms < until)
    }

    /// The actor name of this inspector in the audit log.
    pub fn actor(&self) -> String {
        format!("inspector:{}", self.login)
    }
}

fn storage(e: rusqlite::Error) -> LoginRefusal {
    LoginRefusal::Storage(e.to_string())
}

const COLUMNS: &str = "login, full_name, registers, valid_from, valid_until, active, created_at";

fn inspector_from_row(row: &Row<'_>) -> rusqlite::Result<Inspector> {
    let registers: String = row.get(2)?;
    let registers = serde_json::from_str(&registers).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Inspector {
        login: row.get(0)?,
        full_name: row.get(1)?,
        registers,
        valid_from_ms: row.get(3)?,
        valid_until_ms: row.get(4)?,
        active: row.get(5)?,
        created_at_ms: row.get(6)?,
    })
}

impl AccessStore {
    pub fn add_inspector(&self, new: &NewInspector, now_ms: i64) -> Result<Inspector, AccessError> {
        let login = valid_login(&new.login)?;
        let full_name = valid_full_name(&new.full_name)?;
        valid_password(&new.password)?;
        let registers = valid_registers(&new.registers)?;
        valid_window(new.valid_from_ms, new.valid_until_ms)?;
        // Checked before hashing, which is the slow part.
        if self.find(login)?.is_some() {
            return Err(duplicate(login));
        }
        let hash = hash_password(&new.password)?;
        let registers = serde_json::to_string(&registers)
            .map_err(|e| AccessError::Validation(format!("the register list: {e}")))?;
        let inserted = self.conn.execute(
            "INSERT INTO inspector (login, full_name, password_hash, registers, valid_from,
                                    valid_until, active, created_at, password_set)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)",
            params![
                login,
                full_name,
                hash,
                registers,
                new.valid_from_ms,
                new.valid_until_ms,
                now_ms
            ],
        );
        match inserted {
            Ok(_) => self.inspector(login),
            // Another administrator added the same login between the check and here.
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(duplicate(login))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Replaces the password; it also lifts a lock, since the administrator who sets
    /// it has spoken to the inspector.
    pub fn set_password(
        &self,
        login: &str,
        password: &str,
        now_ms: i64,
    ) -> Result<(), AccessError> {
        valid_password(password)?;
        let login = normalised_login(login);
        if self.find(&login)?.is_none() {
            return Err(AccessError::NotFound(login));
        }
        let hash = hash_password(password)?;
        self.conn.execute(
            "UPDATE inspector SET password_hash = ?2, password_set = ?3, failures = 0,
                                  locked_until = 0
             WHERE login = ?1",
            params![login, hash, now_ms],
        )?;
        Ok(())
    }

    pub fn set_active(&self, login: &str, active: bool) -> Result<Inspector, AccessError> {
        let login = normalised_login(login);
        let changed = self.conn.execute(
            "UPDATE inspector SET active = ?2 WHERE login = ?1",
            params![login, active],
        )?;
        if changed == 0 {
            return Err(AccessError::NotFound(login));
        }
        self.inspector(&login)
    }

    pub fn inspector(&self, login: &str) -> Result<Inspector, AccessError> {
        let login = normalised_login(login);
        self.find(&login)?.ok_or(AccessError::NotFound(login))
    }

    pub fn inspectors(&self) -> Result<Vec<Inspector>, AccessError> {
        let sql = format!("SELECT {COLUMNS} FROM inspector ORDER BY login");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], inspector_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Checks a remote login at `now_ms`. Failures are counted in the database;
    /// after [`LOCK_AFTER_FAILURES`] in a row the account waits [`LOCK_MS`], and once a
    /// lock has run out each further failure locks it again until a right password
    /// resets the count. The password is checked before the account's state, so that
    /// "disabled" or "outside its window" is told only to someone who knows it.
    pub fn authenticate(
        &self,
        login: &str,
        password: &str,
        now_ms: i64,
    ) -> Result<Inspector, LoginRefusal> {
        let login = normalised_login(login);
        let Some((inspector, hash, locked_until)) = self.credentials(&login).map_err(storage)?
        else {
            std::hint::black_box(password_matches(password, DUMMY_HASH));
            return Err(self.unknown_login_failed(&login, now_ms));
        };
        if now_ms < locked_until {
            return Err(locked(locked_until, now_ms));
        }
        if !password_matches(password, &hash) {
            let locked_until: i64 = self
                .conn
                .query_row(
                    "UPDATE inspector SET failures = failures + 1,
                         locked_until = CASE WHEN failures + 1 >= ?2 THEN ?3 ELSE locked_until END
                     WHERE login = ?1 RETURNING locked_until",
                    params![login, LOCK_AFTER_FAILURES, now_ms.saturating_add(LOCK_MS)],
                    |r| r.get(0),
                )
                .map_err(storage)?;
            // The attempt that locks says so, so that the caller can log the lock.
            return Err(if now_ms < locked_until {
                locked(locked_until, now_ms)
            } else {
                LoginRefusal::WrongCredentials
            });
        }
        self.conn
            .execute(
                "UPDATE inspector SET failures = 0, locked_until = 0
                 WHERE login = ?1 AND (failures != 0 OR locked_until != 0)",
                params![login],
            )
            .map_err(storage)?;
        if !inspector.active {
            return Err(LoginRefusal::Disabled);
        }
        if !inspector.is_within_window(now_ms) {
            return Err(LoginRefusal::OutsideWindow {
                from_ms: inspector.valid_from_ms,
                until_ms: inspector.valid_until_ms,
            });
        }
        Ok(inspector)
    }

    fn find(&self, login: &str) -> rusqlite::Result<Option<Inspector>> {
        let sql = format!("SELECT {COLUMNS} FROM inspector WHERE login = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([login], inspector_from_row)
            .optional()
    }

    fn credentials(&self, login: &str) -> rusqlite::Result<Option<(Inspector, String, i64)>> {
        let sql = format!(
            "SELECT {COLUMNS}, password_hash, locked_until FROM inspector WHERE login = ?1"
        );
        self.conn
            .prepare_cached(&sql)?
            .query_row([login], |r| {
                Ok((inspector_from_row(r)?, r.get(7)?, r.get(8)?))
            })
            .optional()
    }
}

/// How many unknown login names are remembered; beyond it the memory starts afresh
/// rather than grow with whatever names a caller makes up.
const MAX_UNKNOWN_LOGINS: usize = 10_000;

impl AccessStore {
    /// A failed login with a name no account has: counted and locked exactly as an
    /// account's would be, so the answers never tell a real login from a guess.
    fn unknown_login_failed(&self, login: &str, now_ms: i64) -> LoginRefusal {
        let mut seen = self
            .unknown_logins
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() >= MAX_UNKNOWN_LOGINS && !seen.contains_key(login) {
            seen.clear();
        }
        let (failures, locked_until) = seen.entry(login.to_string()).or_insert((0, 0));
        if now_ms < *locked_until {
            return locked(*locked_until, now_ms);
        }
        *failures += 1;
        if *failures >= LOCK_AFTER_FAILURES {
            *locked_until = now_ms.saturating_add(LOCK_MS);
            return locked(*locked_until, now_ms);
        }
        LoginRefusal::WrongCredentials
    }
}

fn locked(until_ms: i64, now_ms: i64) -> LoginRefusal {
    LoginRefusal::Locked {
        until_ms,
        seconds_left: (until_ms - now_ms + 999) / 1000,
    }
}

fn duplicate(login: &str) -> AccessError {
    AccessError::Validation(format!(
        "an inspector with the login '{login}' already exists: choose another login"
    ))
}

/// Logins are stored in lower case; a login typed with capitals still finds its account.
fn normalised_login(login: &str) -> String {
    login.trim().to_ascii_lowercase()
}

fn valid_login(login: &str) -> Result<&str, AccessError> {
    let login = login.trim();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    if (3..=32).contains(&login.len()) && login.chars().all(allowed) {
        Ok(login)
    } else {
        Err(AccessError::Validation(format!(
            "the login '{login}' is not valid: use 3 to 32 characters, lower-case Latin letters, digits, '.', '_' or '-'"
        )))
    }
}

fn valid_full_name(name: &str) -> Result<&str, AccessError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_FULL_NAME_CHARS {
        return Err(AccessError::Validation(format!(
            "the inspector's full name is required and at most {MAX_FULL_NAME_CHARS} characters long"
        )));
    }
    Ok(name)
}

fn valid_password(password: &str) -> Result<(), AccessError> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(AccessError::Validation(format!(
            "the password must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters long: choose a longer one"
        )));
    }
    Ok(())
}

/// Trimmed, without repeats, in the order given.
fn valid_registers(registers: &[String]) -> Result<Vec<String>, AccessError> {
    let mut kept: Vec<String> = Vec::with_capacity(registers.len());
    for register in registers {
        let register = register.trim();
        if register.is_empty() || register.chars().count() > MAX_REGISTER_ID_CHARS {
            return Err(AccessError::Validation(format!(
                "the register id '{register}' is not valid: give 1 to {MAX_REGISTER_ID_CHARS} characters, or leave the list empty for every register"
            )));
        }
        if !kept.iter().any(|k| k == register) {
            kept.push(register.to_string());
        }
    }
    Ok(kept)
}

fn valid_window(from_ms: Option<i64>, until_ms: Option<i64>) -> Result<(), AccessError> {
    match (from_ms, until_ms) {
        (Some(from), Some(until)) if from >= until => Err(AccessError::Validation(
            "the account's validity ends before it starts: swap or correct the dates".into(),
        )),
        _ => Ok(()),
    }
}

fn hash_password(password: &str) -> Result<String, AccessError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AccessError::PasswordHash(e.to_string()))
}

fn password_matches(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

#[cfg(test)]
pub(super) fn dummy_hash() -> &'static str {
    DUMMY_HASH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn may_read_allows_every_register_with_an_empty_list_and_only_the_listed_ones_otherwise() {
        let mut inspector = Inspector {
            login: "ivanov".into(),
            full_name: "Иванов".into(),
            registers: vec![],
            valid_from_ms: None,
            valid_until_ms: None,
            active: true,
            created_at_ms: 0,
        };
        assert!(inspector.may_read("KKM-1") && inspector.may_read("any"));
        inspector.registers = vec!["KKM-1".into(), "KKM-3".into()];
        assert!(inspector.may_read("KKM-1") && inspector.may_read("KKM-3"));
        assert!(!inspector.may_read("KKM-2") && !inspector.may_read(""));
    }
}

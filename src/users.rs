//! The people who work the register, their roles and PIN logins (R-11, item 77).
//!
//! PINs have at least four digits and are stored only as argon2id hashes. A PIN alone
//! identifies its user, so no two active users share one. Repeated wrong PINs lock
//! logins for a growing time. Every change is also journaled (without the hash) so the
//! staff list has an audit trail. Roles are checked in `commands::dispatch`.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
pub enum Role {
    /// Sales mode: sales and returns.
    Cashier,
    /// Shift close, reports, cash in and out, and everything a cashier does.
    Manager,
    /// Settings and users, and everything a manager does.
    Admin,
    /// The tax inspector: reads reports, changes nothing.
    Inspector,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Manager => "manager",
            Role::Admin => "admin",
            Role::Inspector => "inspector",
        }
    }

    pub fn parse(text: &str) -> Result<Role, ApiError> {
        match text.trim().to_lowercase().as_str() {
            "cashier" => Ok(Role::Cashier),
            "manager" => Ok(Role::Manager),
            "admin" | "administrator" => Ok(Role::Admin),
            "inspector" => Ok(Role::Inspector),
            other => Err(ApiError::validation(format!(
                "unknown role '{other}': use cashier, manager, admin or inspector"
            ))),
        }
    }
}

/// Who is calling a command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct Caller {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
}

impl Caller {
    /// The register itself, for maintenance commands that need no login (verify, export).
    pub fn system() -> Caller {
        Caller {
            user_id: 0,
            name: "system".into(),
            role: Role::Inspector,
        }
    }
}

const FREE_ATTEMPTS: i64 = 5;
const MAX_LOCK_MS: i64 = 15 * 60 * 1000;

pub fn hash_pin(pin: &str) -> Result<String, ApiError> {
    Argon2::default()
        .hash_password(pin.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("cannot hash the PIN: {e}")))
}

fn pin_matches(pin: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(pin.as_bytes(), hash)
        .is_ok()
}

/// The active user with this PIN, if any.
fn find_by_pin(conn: &Connection, pin: &str) -> Result<Option<Caller>, ApiError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, role, pin_hash FROM user WHERE active = 1")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (id, name, role, hash) = row?;
        if pin_matches(pin, &hash) {
            return Ok(Some(Caller {
                user_id: id,
                name,
                role: Role::parse(&role)?,
            }));
        }
    }
    Ok(None)
}

/// Logs in by PIN at `now_ms`, counting failures and locking after repeated ones.
pub fn login(conn: &Connection, pin: &str, now_ms: i64) -> Result<Caller, ApiError> {
    let (failures, locked_until): (i64, i64) = conn.query_row(
        "SELECT failures, locked_until FROM login_guard WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if now_ms < locked_until {
        let seconds = (locked_until - now_ms + 999) / 1000;
        return Err(ApiError::new(
            ErrorCode::LoginLocked,
            format!("too many wrong PINs: try again in {seconds} s"),
        ));
    }
    match find_by_pin(conn, pin)? {
        Some(caller) => {
            conn.execute(
                "UPDATE login_guard SET failures = 0, locked_until = 0 WHERE id = 1",
                [],
            )?;
            Ok(caller)
        }
        None => {
            let failures = failures + 1;
            let lock_ms = if failures >= FREE_ATTEMPTS {
                (30_000i64 << (failures - FREE_ATTEMPTS).min(10)).min(MAX_LOCK_MS)
            } else {
                0
            };
            conn.execute(
                "UPDATE login_guard SET failures = ?1, locked_until = ?2 WHERE id = 1",
                params![failures, now_ms + lock_ms],
            )?;
            Err(ApiError::new(
                ErrorCode::WrongPin,
                "wrong PIN: no active user has this PIN",
            ))
        }
    }
}

/// Inserts a user; refuses a PIN another active user already has.
pub fn insert(
    conn: &Connection,
    name: &str,
    role: Role,
    pin: &str,
    now_ms: i64,
) -> Result<i64, ApiError> {
    crate::domain::identity::check_pin(pin)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(ApiError::validation(
            "a user's name must have 1 to 64 characters",
        ));
    }
    if find_by_pin(conn, pin)?.is_some() {
        return Err(ApiError::validation(
            "another user already has this PIN: choose a different one",
        ));
    }
    conn.execute(
        "INSERT INTO user (name, role, pin_hash, active, created_at) VALUES (?1, ?2, ?3, 1, ?4)",
        params![name, role.as_str(), hash_pin(pin)?, now_ms],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Adds a user and journals the addition (without the PIN hash) in the same
/// transaction; `by` is who added them (none for the first administrator).
pub fn add(
    w: &mut crate::journal::Writer<'_>,
    name: &str,
    role: Role,
    pin: &str,
    by: Option<crate::journal::record::UserRef>,
    now_ms: i64,
) -> Result<i64, ApiError> {
    let id = insert(w.conn(), name, role, pin, now_ms)?;
    w.append(
        crate::journal::record::RecordKind::User,
        now_ms,
        crate::journal::Placement::default(),
        &crate::journal::record::UserPayload {
            action: "added".into(),
            user_id: id,
            name: name.trim().into(),
            role: role.as_str().into(),
            by,
        },
    )?;
    Ok(id)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub active: bool,
}

pub fn list(conn: &Connection) -> Result<Vec<UserRow>, ApiError> {
    let mut stmt = conn.prepare_cached("SELECT id, name, role, active FROM user ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, role, active) = row?;
        out.push(UserRow {
            id,
            name,
            role: Role::parse(&role)?,
            active,
        });
    }
    Ok(out)
}

/// Whether user `id` may still work: a session opened before the administrator
/// disabled the account ends at its next command.
pub fn is_active(conn: &Connection, id: i64) -> Result<bool, ApiError> {
    let active: Option<bool> = conn
        .prepare_cached("SELECT active FROM user WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(active == Some(true))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<UserRow>, ApiError> {
    Ok(list(conn)?.into_iter().find(|u| u.id == id))
}

pub fn set_active(conn: &Connection, id: i64, active: bool) -> Result<(), ApiError> {
    let changed = conn.execute(
        "UPDATE user SET active = ?2 WHERE id = ?1",
        params![id, active],
    )?;
    if changed == 0 {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("no user with id {id}"),
        ));
    }
    Ok(())
}

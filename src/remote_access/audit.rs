//! The audit log of remote access (R-84: failed logins, like every remote login and
//! command, are logged): append-only entries, each with an HMAC-SHA256 checksum chained
//! to the previous one, and a sealed tip that shows when the newest entries are cut off.
//!
//! checksum = HMAC-SHA256(audit key, previous checksum (32 zero bytes for seq 1) ‖ seq ‖
//! at ‖ actor ‖ action ‖ register ‖ detail ‖ remote ‖ outcome), integers as 8 bytes big
//! endian, texts as a 4-byte big-endian length and their bytes, the register after a
//! byte 0 (none) or 1 (some). The tip's seal = HMAC(key, "audit tip" ‖ seq ‖ checksum).
//! This module must never update or delete an entry, and never extend a log whose tip
//! fails its seal: a new valid seal would hide the evidence.

use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::{AccessError, AccessStore};
use crate::journal::chain::{ChainKey, Checksum, GENESIS};

/// The most entries one call of [`AccessStore::entries`] returns.
pub const MAX_ENTRIES_PER_PAGE: i64 = 1000;

/// Longer texts are cut (at a character boundary) rather than refused: an event too
/// long to log must still be logged.
const MAX_SHORT_CHARS: usize = 128;
const MAX_DETAIL_CHARS: usize = 2000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// `inspector:LOGIN`, `pin:NAME@REGISTER` or `anonymous`.
    pub actor: String,
    /// login, login_failed, locked, logout, command, refused, export, settings.
    pub action: String,
    /// The register acted on, if any.
    pub register: Option<String>,
    pub detail: String,
    /// The client's ip:port.
    pub remote: String,
    /// ok, refused, failed.
    pub outcome: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    #[serde(flatten)]
    pub event: AuditEvent,
    /// Hex of the chained checksum.
    pub checksum: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    /// Only this actor's entries, exactly as recorded.
    pub actor: Option<String>,
    /// Only entries with a larger seq.
    pub after_seq: i64,
    /// Clamped to 1..=[`MAX_ENTRIES_PER_PAGE`].
    pub limit: i64,
    pub newest_first: bool,
}

impl Default for AuditFilter {
    fn default() -> AuditFilter {
        AuditFilter {
            actor: None,
            after_seq: 0,
            limit: 100,
            newest_first: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    pub entries: i64,
    pub ok: bool,
    /// The first problem found: which seq and what is wrong.
    pub failure: Option<String>,
}

/// The texts of an entry in column order: actor, action, register, detail, remote,
/// outcome, as bytes, so that stored ones are checked exactly as they are, even if
/// someone wrote invalid UTF-8 into them. Only the register may be `None`.
type EntryTexts<'a> = [Option<&'a [u8]>; 6];
const REGISTER: usize = 2;

fn texts_of(event: &AuditEvent) -> EntryTexts<'_> {
    [
        Some(event.actor.as_bytes()),
        Some(event.action.as_bytes()),
        event.register.as_deref().map(str::as_bytes),
        Some(event.detail.as_bytes()),
        Some(event.remote.as_bytes()),
        Some(event.outcome.as_bytes()),
    ]
}

fn entry_checksum(
    key: &ChainKey,
    previous: &[u8],
    seq: i64,
    at_ms: i64,
    texts: &EntryTexts<'_>,
) -> Checksum {
    let mut message = Vec::with_capacity(256);
    message.extend_from_slice(previous);
    message.extend_from_slice(&seq.to_be_bytes());
    message.extend_from_slice(&at_ms.to_be_bytes());
    for (column, text) in texts.iter().enumerate() {
        // A tag byte, so that no register and an empty one differ.
        if column == REGISTER {
            message.push(u8::from(text.is_some()));
        }
        if let Some(text) = text {
            push_text(&mut message, text);
        }
    }
    key.hmac(&message)
}

/// Length-prefixed, so that bytes moved from one field into its neighbour change the
/// checksum.
fn push_text(message: &mut Vec<u8>, text: &[u8]) {
    // Texts are cut to a few thousand bytes before they are stored; a longer one can
    // only come from tampering, and then a wrong length prefix is just another mismatch.
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    message.extend_from_slice(&len.to_be_bytes());
    message.extend_from_slice(text);
}

fn tip_seal(key: &ChainKey, seq: i64, checksum: &[u8]) -> Checksum {
    let mut message = b"audit tip".to_vec();
    message.extend_from_slice(&seq.to_be_bytes());
    message.extend_from_slice(checksum);
    key.hmac(&message)
}

fn cut(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

fn bounded(event: &AuditEvent) -> Result<AuditEvent, AccessError> {
    for (field, value) in [
        ("actor", &event.actor),
        ("action", &event.action),
        ("outcome", &event.outcome),
    ] {
        if value.trim().is_empty() {
            return Err(AccessError::Validation(format!(
                "an audit entry needs its {field}: say who did what and how it ended"
            )));
        }
    }
    Ok(AuditEvent {
        actor: cut(&event.actor, MAX_SHORT_CHARS),
        action: cut(&event.action, MAX_SHORT_CHARS),
        register: event.register.as_deref().map(|r| cut(r, MAX_SHORT_CHARS)),
        detail: cut(&event.detail, MAX_DETAIL_CHARS),
        remote: cut(&event.remote, MAX_SHORT_CHARS),
        outcome: cut(&event.outcome, MAX_SHORT_CHARS),
    })
}

struct Tip {
    seq: i64,
    checksum: Vec<u8>,
    seal: Option<Vec<u8>>,
}

impl Tip {
    fn read(conn: &rusqlite::Connection) -> rusqlite::Result<Option<Tip>> {
        conn.query_row(
            "SELECT seq, checksum, seal FROM audit_tip WHERE id = 1",
            [],
            |r| {
                Ok(Tip {
                    seq: r.get(0)?,
                    checksum: r.get(1)?,
                    seal: r.get(2)?,
                })
            },
        )
        .optional()
    }

    /// Why this tip cannot be trusted, if it cannot.
    fn fault(&self, key: &ChainKey) -> Option<String> {
        match &self.seal {
            None if self.seq == 0 && self.checksum == GENESIS => None,
            None => Some(format!("the tip at seq {} has no seal", self.seq)),
            Some(seal) if *seal == tip_seal(key, self.seq, &self.checksum) => None,
            Some(_) => Some(format!(
                "the tip at seq {} does not match its seal: it was altered, or audit.key is not the key this log was written with",
                self.seq
            )),
        }
    }
}

impl AccessStore {
    /// Appends one event at `now_ms` in its own transaction; returns its seq.
    pub fn record(&self, event: &AuditEvent, now_ms: i64) -> Result<i64, AccessError> {
        let event = bounded(event)?;
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let tip = Tip::read(&tx)?
            .ok_or_else(|| AccessError::AuditBroken("the tip record is missing".into()))?;
        if let Some(fault) = tip.fault(&self.key) {
            return Err(AccessError::AuditBroken(fault));
        }
        // Chained to the tip, not to the last row: if rows were cut off, the new entry
        // leaves a gap that the check reports, instead of quietly closing it.
        let seq = tip.seq + 1;
        let checksum = entry_checksum(&self.key, &tip.checksum, seq, now_ms, &texts_of(&event));
        tx.execute(
            "INSERT INTO audit (seq, at, actor, action, register, detail, remote, outcome, checksum)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                seq,
                now_ms,
                event.actor,
                event.action,
                event.register,
                event.detail,
                event.remote,
                event.outcome,
                &checksum[..]
            ],
        )?;
        tx.execute(
            "UPDATE audit_tip SET seq = ?1, checksum = ?2, seal = ?3 WHERE id = 1",
            params![seq, &checksum[..], &tip_seal(&self.key, seq, &checksum)[..]],
        )?;
        tx.commit()?;
        Ok(seq)
    }

    pub fn entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AccessError> {
        let order = if filter.newest_first { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT seq, at, actor, action, register, detail, remote, outcome, checksum
             FROM audit WHERE seq > ?1 AND (?2 IS NULL OR actor = ?2)
             ORDER BY seq {order} LIMIT ?3"
        );
        let limit = filter.limit.clamp(1, MAX_ENTRIES_PER_PAGE);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![filter.after_seq, filter.actor, limit],
            entry_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Recomputes the whole chain and compares its end with the sealed tip; reports the
    /// first entry that was changed, removed, moved, added outside Sauda or cut off.
    pub fn verify_audit(&self) -> Result<AuditCheck, AccessError> {
        // One read transaction, so that the rows and the tip are of the same moment.
        let tx = self.conn.unchecked_transaction()?;
        let mut stmt = tx.prepare(
            "SELECT seq, at, actor, action, register, detail, remote, outcome, checksum
             FROM audit ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut entries = 0i64;
        let mut previous: Vec<u8> = GENESIS.to_vec();
        let mut failure: Option<String> = None;
        while let Some(row) = rows.next()? {
            entries += 1;
            if failure.is_some() {
                continue;
            }
            let seq: i64 = row.get(0)?;
            if seq != entries {
                failure = Some(if seq > entries {
                    format!(
                        "seq {entries} is missing (the next entry is seq {seq}): entries were deleted"
                    )
                } else {
                    format!("seq {seq} is out of order: the numbering was changed")
                });
                continue;
            }
            match checked_entry(&self.key, &previous, row)? {
                Ok(checksum) => previous = checksum,
                Err(why) => failure = Some(format!("seq {seq}: {why}")),
            }
        }
        drop(rows);
        if failure.is_none() {
            failure = tip_failure(&self.key, Tip::read(&tx)?, entries, &previous);
        }
        Ok(AuditCheck {
            entries,
            ok: failure.is_none(),
            failure,
        })
    }
}

/// The stored checksum of one row if it is the right one, or what is wrong with it.
fn checked_entry(
    key: &ChainKey,
    previous: &[u8],
    row: &Row<'_>,
) -> rusqlite::Result<Result<Vec<u8>, String>> {
    let seq: i64 = row.get(0)?;
    let mut texts: EntryTexts<'_> = [None; 6];
    for (slot, column) in texts.iter_mut().zip(2..) {
        let Ok(text) = row.get_ref(column)?.as_bytes_or_null() else {
            return Ok(Err(format!(
                "column {column} holds a number instead of text"
            )));
        };
        *slot = text;
    }
    let required_missing = texts
        .iter()
        .enumerate()
        .any(|(column, text)| column != REGISTER && text.is_none());
    let (Ok(at_ms), Ok(stored), false) = (
        row.get_ref(1)?.as_i64(),
        row.get_ref(8)?.as_blob(),
        required_missing,
    ) else {
        return Ok(Err("a field is NULL or of the wrong type".into()));
    };
    if stored != entry_checksum(key, previous, seq, at_ms, &texts) {
        return Ok(Err(
            "the checksum does not match: the entry or its checksum was changed or moved, or audit.key is not the key this log was written with".into(),
        ));
    }
    Ok(Ok(stored.to_vec()))
}

fn tip_failure(key: &ChainKey, tip: Option<Tip>, last_seq: i64, last: &[u8]) -> Option<String> {
    let Some(tip) = tip else {
        return Some("the tip record is missing: it was deleted".into());
    };
    if let Some(fault) = tip.fault(key) {
        return Some(fault);
    }
    if tip.seq > last_seq {
        return Some(format!(
            "seq {} to {} are missing: the newest entries were deleted",
            last_seq + 1,
            tip.seq
        ));
    }
    if tip.seq < last_seq {
        return Some(format!(
            "seq {} to {last_seq} come after the sealed tip: they were added outside Sauda, or the tip was put back from an older copy",
            tip.seq + 1
        ));
    }
    if tip.checksum != last {
        return Some(format!(
            "seq {last_seq}: the checksum differs from the sealed tip: the newest entry was replaced"
        ));
    }
    None
}

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    let checksum: Vec<u8> = row.get(8)?;
    Ok(AuditEntry {
        seq: row.get(0)?,
        at_ms: row.get(1)?,
        event: AuditEvent {
            actor: row.get(2)?,
            action: row.get(3)?,
            register: row.get(4)?,
            detail: row.get(5)?,
            remote: row.get(6)?,
            outcome: row.get(7)?,
        },
        checksum: hex::encode(checksum),
    })
}

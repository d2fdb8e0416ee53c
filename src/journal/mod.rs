//! The fiscal accumulator (R-23… ): an append-only SQLite journal of every
//! fiscal record, each with an HMAC checksum chained to the one before, plus
//! projections that make reports fast.
//!
//! A record is written and fsynced (WAL, `synchronous=FULL`) before anything is sent
//! or printed; the high-water mark file is advanced after the commit. Only [`Writer`]
//! inserts into `journal`, and it never updates or deletes: the database triggers
//! refuse that too. This module knows nothing of users' roles, the UI or the operator.

pub mod chain;
pub mod keys;
pub(crate) mod migrate;
pub mod period;
pub mod projection;
pub mod record;
pub mod report;
pub mod verify;
pub mod watermark;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use chain::{ChainKey, Checksum, GENESIS, RecordFields, checksum_from_slice};
use record::RecordKind;
use watermark::{Mark, Watermark};

pub use migrate::MIGRATIONS;

pub const DB_FILE: &str = "fiscal.sqlite";

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("fiscal database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("a journal column has an unexpected type: {0}")]
    Column(#[from] rusqlite::types::FromSqlError),
    #[error("record {seq} ({kind}) cannot be read: {detail}")]
    Payload {
        seq: i64,
        kind: String,
        detail: String,
    },
    #[error("cannot encode a record: {0}")]
    Encode(#[from] serde_json::Error),
    #[error(
        "the fiscal database was written by a newer Sauda (schema {found}, this program knows {known}): install the newer version"
    )]
    TooNew { found: i64, known: i64 },
    #[error("the chain key is not loaded")]
    NoKey,
    #[error("cannot open the data folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The last record: what the next one chains to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tip {
    pub seq: i64,
    pub checksum: Checksum,
    pub created_at: i64,
}

/// One stored record, as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    pub seq: i64,
    pub kind: String,
    pub created_at: i64,
    pub shift_no: Option<i64>,
    pub doc_no: Option<i64>,
    pub payload: Vec<u8>,
    pub checksum: Vec<u8>,
}

pub struct Store {
    conn: Connection,
    dir: PathBuf,
    mark: Watermark,
    key: Option<ChainKey>,
    /// Sales committed whose report rows are not written yet (see [`Store::write_sale`]);
    /// after opening, 1 means "at least one".
    unprojected: usize,
}

/// Sales whose report rows may wait: the rows of this many sales go in one transaction.
const SALE_BATCH: usize = 32;

impl Store {
    /// Opens (creating if needed) the journal in `dir` and applies pending migrations.
    pub fn open(dir: &Path) -> Result<Store, JournalError> {
        std::fs::create_dir_all(dir).map_err(|source| JournalError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
        let conn = Connection::open(dir.join(DB_FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL + FULL: a committed record survives a crash or power cut.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        let mut conn = conn;
        migrate::apply(&mut conn)?;
        // Sales committed before a crash may lack their report rows: the first reader
        // or writer adds them (opening stays fast, and `verify` needs none of them).
        let unprojected = usize::from(projection::behind(&conn)?);
        Ok(Store {
            conn,
            dir: dir.to_path_buf(),
            mark: Watermark::in_dir(dir),
            key: None,
            unprojected,
        })
    }

    /// Writes the report rows of sales committed by [`Store::write_sale`] that still
    /// lack them. Every reader of the report tables calls this first.
    pub fn catch_up(&mut self) -> Result<(), JournalError> {
        if self.unprojected == 0 {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        projection::catch_up(&tx)?;
        tx.commit()?;
        self.unprojected = 0;
        Ok(())
    }

    pub fn exists(dir: &Path) -> bool {
        dir.join(DB_FILE).exists()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn watermark(&self) -> &Watermark {
        &self.mark
    }

    pub fn set_key(&mut self, key: ChainKey) {
        self.key = Some(key);
    }

    pub fn key(&self) -> Option<&ChainKey> {
        self.key.as_ref()
    }

    /// Read access for queries and reports.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn tip(&self) -> Result<Option<Tip>, JournalError> {
        tip(&self.conn)
    }

    pub fn count(&self) -> Result<i64, JournalError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))?)
    }

    /// The newest record of a kind.
    pub fn last_of(&self, kind: RecordKind) -> Result<Option<StoredRecord>, JournalError> {
        last_of(&self.conn, kind)
    }

    pub fn get(&self, seq: i64) -> Result<Option<StoredRecord>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, kind, created_at, shift_no, doc_no, payload, checksum
                 FROM journal WHERE seq = ?1",
                params![seq],
                stored_record,
            )
            .optional()?)
    }

    /// Records with `seq > after`, created within `[from_ms, to_ms)`, at most `limit`.
    pub fn page(
        &self,
        after: i64,
        from_ms: i64,
        to_ms: i64,
        limit: i64,
    ) -> Result<Vec<StoredRecord>, JournalError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, kind, created_at, shift_no, doc_no, payload, checksum
             FROM journal WHERE seq > ?1 AND created_at >= ?2 AND created_at < ?3
             ORDER BY seq LIMIT ?4",
        )?;
        let rows = stmt.query_map(params![after, from_ms, to_ms, limit], stored_record)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Runs `work` in one immediate transaction: every record it appends commits
    /// together, durably, or not at all. The high-water mark follows the commit.
    pub fn write<T, E>(
        &mut self,
        work: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<JournalError>,
    {
        self.write_with(false, work)
    }

    /// [`Store::write`] for a sale: the receipt is committed as durably, but its report
    /// rows (`doc`, `doc_line`) wait and are written with the next transaction that is
    /// not a sale, by the next reader ([`Store::catch_up`]), at the next start, or for
    /// [`SALE_BATCH`] sales at once. Those rows are a projection of the journal, so
    /// nothing a cashier did can be lost; they cost half of a sale's write-ahead pages.
    pub fn write_sale<T, E>(
        &mut self,
        work: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<JournalError>,
    {
        self.write_with(true, work)
    }

    fn write_with<T, E>(
        &mut self,
        sale: bool,
        work: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<JournalError>,
    {
        let key = self.key.as_ref().ok_or(JournalError::NoKey)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(JournalError::from)?;
        // Whatever this transaction reads or projects sees every earlier sale's rows.
        let caught_up = self.unprojected > 0 && (!sale || self.unprojected >= SALE_BATCH);
        if caught_up {
            projection::catch_up(&tx)?;
        }
        let tip = tip(&tx)?;
        let mut writer = Writer {
            tx,
            key,
            tip,
            appended: 0,
            project: true,
            defer_sales: sale,
            deferred: 0,
        };
        let value = work(&mut writer)?;
        let Writer {
            tx,
            tip,
            appended,
            deferred,
            ..
        } = writer;
        tx.commit().map_err(JournalError::from)?;
        if caught_up {
            self.unprojected = 0;
        }
        self.unprojected += deferred;
        if appended > 0
            && let Some(tip) = tip
        {
            // The records are committed: failing the command now would make the cashier
            // repeat a sale that exists. A mark that cannot move only lags, which
            // `verify` accepts; the log says why cut-off detection is weaker meanwhile.
            if let Err(e) = self.mark.advance(Mark {
                seq: tip.seq,
                checksum: tip.checksum,
            }) {
                tracing::error!(
                    "cannot update the high-water mark {}: {e}",
                    self.mark.path().display()
                );
            }
        }
        Ok(value)
    }
}

/// Appends records inside one transaction of [`Store::write`].
pub struct Writer<'s> {
    tx: rusqlite::Transaction<'s>,
    key: &'s ChainKey,
    tip: Option<Tip>,
    appended: usize,
    project: bool,
    /// Receipts and cash slips leave their report rows for later (a sale transaction).
    defer_sales: bool,
    deferred: usize,
}

/// Where a record belongs: its shift and its document number, when it has them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Placement {
    pub shift_no: Option<i64>,
    pub doc_no: Option<i64>,
}

impl Writer<'_> {
    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    pub fn tip(&self) -> Option<Tip> {
        self.tip
    }

    /// Skips the projections for the rest of this transaction. Only for building large
    /// benchmark fixtures quickly; `journal_rebuild` restores projections afterwards.
    #[doc(hidden)]
    pub fn skip_projections(&mut self) {
        self.project = false;
    }

    pub fn key(&self) -> &ChainKey {
        self.key
    }

    /// Appends one record with its chained checksum and updates the projections.
    pub fn append<P: Serialize>(
        &mut self,
        kind: RecordKind,
        created_at: i64,
        placement: Placement,
        payload: &P,
    ) -> Result<i64, JournalError> {
        let bytes = serde_json::to_vec(payload)?;
        self.append_bytes(kind, created_at, placement, &bytes)
    }

    pub fn append_bytes(
        &mut self,
        kind: RecordKind,
        created_at: i64,
        placement: Placement,
        bytes: &[u8],
    ) -> Result<i64, JournalError> {
        let (seq, previous) = match self.tip {
            Some(t) => (t.seq + 1, t.checksum),
            None => (1, GENESIS),
        };
        let checksum = self.key.record_checksum(
            &previous,
            &RecordFields {
                seq,
                kind: kind.as_str(),
                created_at,
                shift_no: placement.shift_no,
                doc_no: placement.doc_no,
                payload: bytes,
            },
        );
        self.tx
            .prepare_cached(
                "INSERT INTO journal (seq, kind, created_at, shift_no, doc_no, payload, checksum)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                seq,
                kind.as_str(),
                created_at,
                placement.shift_no,
                placement.doc_no,
                bytes,
                &checksum[..]
            ])?;
        if self.project && self.defer_sales && kind.is_frequent() {
            self.deferred += 1;
        } else if self.project {
            if self.deferred > 0 {
                // A later record's projection may refer to these rows (e.g. `autonomous`).
                projection::catch_up(&self.tx)?;
                self.deferred = 0;
            }
            projection::project(&self.tx, seq, kind, created_at, bytes)?;
        }
        self.tip = Some(Tip {
            seq,
            checksum,
            created_at,
        });
        self.appended += 1;
        Ok(seq)
    }
}

fn tip(conn: &Connection) -> Result<Option<Tip>, JournalError> {
    let row: Option<(i64, Vec<u8>, i64)> = conn
        .prepare_cached("SELECT seq, checksum, created_at FROM journal ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match row {
        None => Ok(None),
        Some((seq, checksum, created_at)) => {
            let checksum = checksum_from_slice(&checksum).ok_or_else(|| JournalError::Payload {
                seq,
                kind: "checksum".into(),
                detail: "the stored checksum is not 32 bytes".into(),
            })?;
            Ok(Some(Tip {
                seq,
                checksum,
                created_at,
            }))
        }
    }
}

pub(crate) fn last_of(
    conn: &Connection,
    kind: RecordKind,
) -> Result<Option<StoredRecord>, JournalError> {
    // The index by kind leaves out receipts and cash slips (migration 0004); the rare
    // kinds repeat its condition so SQLite uses it, the frequent ones scan back from the end.
    let sql = if kind.is_frequent() {
        "SELECT seq, kind, created_at, shift_no, doc_no, payload, checksum
         FROM journal WHERE kind = ?1 ORDER BY seq DESC LIMIT 1"
    } else {
        "SELECT seq, kind, created_at, shift_no, doc_no, payload, checksum
         FROM journal WHERE kind = ?1 AND kind NOT IN ('receipt', 'cash')
         ORDER BY seq DESC LIMIT 1"
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params![kind.as_str()], stored_record)
        .optional()?)
}

fn stored_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRecord> {
    Ok(StoredRecord {
        seq: r.get(0)?,
        kind: r.get(1)?,
        created_at: r.get(2)?,
        shift_no: r.get(3)?,
        doc_no: r.get(4)?,
        payload: r.get(5)?,
        checksum: r.get(6)?,
    })
}

impl StoredRecord {
    /// Decodes the payload, naming the record when it cannot.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, JournalError> {
        serde_json::from_slice(&self.payload).map_err(|e| JournalError::Payload {
            seq: self.seq,
            kind: self.kind.clone(),
            detail: e.to_string(),
        })
    }
}

//! The integrity check of the accumulator (R-25…R-28, item 78.1): a streaming pass
//! (two halves at once on long journals) that recomputes every record's chained
//! checksum, every closed shift's checksum against its Z report, the total checksum
//! against all Z reports, compares the end of the journal with the high-water mark, and
//! checks free disk space.
//!
//! It reads only; deciding to block the register on a failure is the caller's job
//! . The first failure found is reported with the record it concerns.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::JournalError;
use super::chain::{ChainKey, Checksum, GENESIS, RecordFields, ShiftChecksum};
use super::record::{RecordKind, ZChecksums};
use super::watermark::{Mark, Watermark};

/// Below this much free space the register stops taking new documents.
pub const MIN_FREE_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
pub enum Check {
    Sequence,
    Chain,
    ShiftChecksum,
    TotalChecksum,
    Watermark,
    Key,
    DiskSpace,
    Database,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct Failure {
    pub check: Check,
    pub seq: Option<i64>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub records: i64,
    pub shifts_checked: i64,
    pub last_seq: i64,
    pub failure: Option<Failure>,
}

impl Outcome {
    pub fn is_ok(&self) -> bool {
        self.failure.is_none()
    }
}

fn fail(check: Check, seq: Option<i64>, message: String) -> Option<Failure> {
    Some(Failure {
        check,
        seq,
        message,
    })
}

/// Journals shorter than this are checked on one thread: a second connection and
/// thread cost more than they save.
pub const PARALLEL_FROM: i64 = 10_000;

pub fn verify(
    conn: &Connection,
    key: &ChainKey,
    mark: &Watermark,
    dir: &Path,
) -> Result<Outcome, JournalError> {
    verify_with(conn, key, mark, dir, PARALLEL_FROM)
}

/// [`verify`] that checks journals of `parallel_from` records or more in two halves
/// at once. Each record's checksum is chained to the stored checksum before it, so a
/// range can be checked from the stored checksum at its start: when every record of
/// both halves matches, the whole chain does. The shift open where the halves meet is
/// sealed from both halves' parts of it. Any failure, or a journal that does not fit that shape, is
/// checked again on one thread, which reports the first failure exactly as always.
pub fn verify_with(
    conn: &Connection,
    key: &ChainKey,
    mark: &Watermark,
    dir: &Path,
    parallel_from: i64,
) -> Result<Outcome, JournalError> {
    let mark = match mark.read() {
        Ok(m) => m,
        Err(message) => {
            return Ok(Outcome {
                records: 0,
                shifts_checked: 0,
                last_seq: 0,
                failure: fail(Check::Watermark, None, message),
            });
        }
    };
    let last: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM journal", [], |r| {
        r.get(0)
    })?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    if last >= parallel_from
        && workers > 1
        && let Some(outcome) = verify_halves(conn, key, mark, dir, last)?
    {
        return Ok(outcome);
    }
    let scan = scan(conn, key, 0, i64::MAX, GENESIS, mark.map(|m| m.seq), false)?;
    Ok(finish(scan, key, mark, dir))
}

/// The two-thread check; `None` when the one-thread check must decide.
fn verify_halves(
    conn: &Connection,
    key: &ChainKey,
    mark: Option<Mark>,
    dir: &Path,
    last: i64,
) -> Result<Option<Outcome>, JournalError> {
    let split = last / 2;
    let start: Option<Vec<u8>> = conn
        .query_row(
            "SELECT checksum FROM journal WHERE seq = ?1",
            [split],
            |r| r.get(0),
        )
        .optional()?;
    let Some(start) = start.as_deref().and_then(super::chain::checksum_from_slice) else {
        return Ok(None);
    };
    let path = dir.join(super::DB_FILE);
    let mark_seq = mark.map(|m| m.seq);
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| -> Result<Scan, JournalError> {
            let reader = Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            scan(&reader, key, split, last, start, mark_seq, true)
        });
        let first = scan(conn, key, 0, split, GENESIS, mark_seq, false);
        // A second connection that cannot open or read leaves the check to one thread.
        let second = second.join().ok().and_then(Result::ok);
        (first, second)
    });
    let (first, Some(second)) = (first?, second) else {
        return Ok(None);
    };
    if first.failure.is_some() || second.failure.is_some() || first.last_seq != split {
        return Ok(None);
    }
    // The shift open at the split continues in the second half: its first records
    // there extend the first half's checksum of it, up to its Z report.
    let mut whole = first;
    for (n, checksum) in &second.head {
        whole
            .open_shifts
            .entry(*n)
            .or_insert_with(|| key.shift_checksum(*n))
            .add(checksum);
    }
    if let Some((seq, z)) = second.head_z {
        let shift = match whole.open_shifts.remove(&z.shift_no) {
            Some(mac) => mac.finish(),
            None => key.shift_checksum(z.shift_no).finish(),
        };
        // Any other shift left open would mix with later records in one pass.
        if hex::encode(shift) != z.shift_checksum || !whole.open_shifts.is_empty() {
            return Ok(None);
        }
        whole.zs.push((seq, z.shift_no, shift, z.total_checksum));
        whole.shifts_checked += 1;
    }
    whole.zs.extend(second.zs);
    whole.records += second.records;
    whole.last_seq = second.last_seq;
    whole.shifts_checked += second.shifts_checked;
    whole.checksum_at_mark = whole.checksum_at_mark.or(second.checksum_at_mark);
    let outcome = finish(whole, key, mark, dir);
    Ok(outcome.failure.is_none().then_some(outcome))
}

/// What one pass over a range of records found.
struct Scan {
    records: i64,
    last_seq: i64,
    shifts_checked: i64,
    /// Per Z report in order: its record, its shift's checksum, the total it claims.
    zs: Vec<(i64, i64, Checksum, String)>,
    open_shifts: HashMap<i64, ShiftChecksum>,
    checksum_at_mark: Option<Checksum>,
    failure: Option<Failure>,
    /// With `defer_head`: the records before the range's first Z report, whose shift
    /// began before the range, and that Z report, both left to the caller.
    head: Vec<(i64, Checksum)>,
    head_z: Option<(i64, ZChecksums)>,
}

/// Checks the records after `from` up to `to`: sequence, chain (from `previous`, the
/// checksum of record `from`), and each Z report's shift checksum. Stops at the first
/// failure. Total checksums are left to [`finish`], which sees every Z in order.
fn scan(
    conn: &Connection,
    key: &ChainKey,
    from: i64,
    to: i64,
    mut previous: Checksum,
    mark_seq: Option<i64>,
    defer_head: bool,
) -> Result<Scan, JournalError> {
    let mut out = Scan {
        records: 0,
        last_seq: from,
        shifts_checked: 0,
        zs: Vec::new(),
        open_shifts: HashMap::new(),
        checksum_at_mark: None,
        failure: None,
        head: Vec::new(),
        head_z: None,
    };
    let mut in_head = defer_head;
    let z_kind = RecordKind::ZReport.as_str();
    let mut stmt = conn.prepare(
        "SELECT seq, kind, created_at, shift_no, doc_no, payload, checksum FROM journal
         WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
    )?;
    let mut rows = stmt.query([from, to])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let kind = row.get_ref(1)?.as_str()?;
        let created_at: i64 = row.get(2)?;
        let shift_no: Option<i64> = row.get(3)?;
        let doc_no: Option<i64> = row.get(4)?;
        let payload = row.get_ref(5)?.as_blob()?;
        let stored = row.get_ref(6)?.as_blob()?;
        let expected_seq = out.last_seq + 1;
        if seq != expected_seq {
            out.failure = fail(
                Check::Sequence,
                Some(expected_seq),
                format!(
                    "record {expected_seq} is missing: the journal jumps from record {} to {seq} (records were deleted)",
                    out.last_seq
                ),
            );
            return Ok(out);
        }
        let computed = key.record_checksum(
            &previous,
            &RecordFields {
                seq,
                kind,
                created_at,
                shift_no,
                doc_no,
                payload,
            },
        );
        if stored != computed {
            out.failure = fail(
                Check::Chain,
                Some(seq),
                format!(
                    "record {seq} ({kind}) does not match its checksum: it was altered after it was written"
                ),
            );
            return Ok(out);
        }
        if seq == 1 && kind != RecordKind::Registration.as_str() {
            out.failure = fail(
                Check::Sequence,
                Some(1),
                "the journal does not begin with the registration record".into(),
            );
            return Ok(out);
        }
        if kind == z_kind {
            let z: ZChecksums = match serde_json::from_slice(payload) {
                Ok(z) => z,
                Err(e) => {
                    out.failure = fail(
                        Check::ShiftChecksum,
                        Some(seq),
                        format!("Z report record {seq} cannot be read: {e}"),
                    );
                    return Ok(out);
                }
            };
            if in_head {
                in_head = false;
                out.head_z = Some((seq, z));
            } else {
                let shift = match out.open_shifts.remove(&z.shift_no) {
                    Some(mac) => mac.finish(),
                    None => key.shift_checksum(z.shift_no).finish(),
                };
                if hex::encode(shift) != z.shift_checksum {
                    out.failure = fail(
                        Check::ShiftChecksum,
                        Some(seq),
                        format!(
                            "the records of shift {} do not match the checksum sealed by its Z report (record {seq})",
                            z.shift_no
                        ),
                    );
                    return Ok(out);
                }
                out.zs.push((seq, z.shift_no, shift, z.total_checksum));
                out.shifts_checked += 1;
            }
        } else if let Some(n) = shift_no
            && in_head
        {
            out.head.push((n, computed));
        } else if let Some(n) = shift_no {
            out.open_shifts
                .entry(n)
                .or_insert_with(|| key.shift_checksum(n))
                .add(&computed);
        }
        if mark_seq == Some(seq) {
            out.checksum_at_mark = Some(computed);
        }
        previous = computed;
        out.last_seq = seq;
        out.records += 1;
    }
    Ok(out)
}

/// Chains the total checksum over the Z reports the scan found, then the high-water
/// mark and free disk space; the first failure by record wins.
fn finish(scan: Scan, key: &ChainKey, mark: Option<Mark>, dir: &Path) -> Outcome {
    let mut total = GENESIS;
    let mut outcome = Outcome {
        records: scan.records,
        shifts_checked: scan.shifts_checked,
        last_seq: scan.last_seq,
        failure: None,
    };
    for (i, (seq, shift_no, shift, claimed)) in scan.zs.iter().enumerate() {
        total = key.total_checksum(&total, shift);
        if hex::encode(total) != *claimed {
            outcome.records = seq - 1;
            outcome.last_seq = seq - 1;
            outcome.shifts_checked = i as i64;
            outcome.failure = fail(
                Check::TotalChecksum,
                Some(*seq),
                format!(
                    "the total checksum in the Z report of shift {shift_no} (record {seq}) does not match the Z reports before it"
                ),
            );
            return outcome;
        }
    }
    if scan.failure.is_some() {
        outcome.failure = scan.failure;
        return outcome;
    }
    outcome.failure =
        check_mark(mark, scan.checksum_at_mark, outcome.last_seq).or_else(|| check_disk(dir));
    outcome
}

fn check_mark(
    mark: Option<super::watermark::Mark>,
    checksum_at_mark: Option<Checksum>,
    last_seq: i64,
) -> Option<Failure> {
    match mark {
        None if last_seq > 1 => fail(
            Check::Watermark,
            None,
            "the high-water mark file fiscal.hwm is missing, so cut-off records cannot be ruled out".into(),
        ),
        None => None,
        Some(m) if m.seq > last_seq => fail(
            Check::Watermark,
            Some(last_seq + 1),
            format!(
                "the journal ends at record {last_seq} but had reached record {}: records were cut off the end or an older copy of the database was put back",
                m.seq
            ),
        ),
        Some(m) if checksum_at_mark != Some(m.checksum) => fail(
            Check::Watermark,
            Some(m.seq),
            format!(
                "record {} is not the record the high-water mark remembers: the database was replaced",
                m.seq
            ),
        ),
        Some(_) => None,
    }
}

fn check_disk(dir: &Path) -> Option<Failure> {
    match fs4::available_space(dir) {
        Ok(free) if free < MIN_FREE_BYTES => fail(
            Check::DiskSpace,
            None,
            format!(
                "only {} MB are free on the disk that holds the fiscal data; at least {} MB are needed: free some space",
                free / 1_048_576,
                MIN_FREE_BYTES / 1_048_576
            ),
        ),
        _ => None,
    }
}

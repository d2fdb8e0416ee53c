//! The integrity check of the accumulator (R-25…R-28, item 78.1): one streaming pass
//! that recomputes every record's chained checksum, every closed shift's checksum
//! against its Z report, the total checksum against all Z reports, compares the end of
//! the journal with the high-water mark, and checks free disk space.
//!
//! It reads only; deciding to block the register on a failure is the caller's job
//! . The first failure found is reported with the record it concerns.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::JournalError;
use super::chain::{ChainKey, Checksum, GENESIS, RecordFields, ShiftChecksum};
use super::record::{RecordKind, ZChecksums};
use super::watermark::Watermark;

/// Below this much free space the register stops taking new documents.
pub const MIN_FREE_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

pub fn verify(
    conn: &Connection,
    key: &ChainKey,
    mark: &Watermark,
    dir: &Path,
) -> Result<Outcome, JournalError> {
    let mut outcome = Outcome {
        records: 0,
        shifts_checked: 0,
        last_seq: 0,
        failure: None,
    };
    let mark = match mark.read() {
        Ok(m) => m,
        Err(message) => {
            outcome.failure = fail(Check::Watermark, None, message);
            return Ok(outcome);
        }
    };
    let mut checksum_at_mark: Option<Checksum> = None;
    let mut previous = GENESIS;
    let mut open_shifts: HashMap<i64, ShiftChecksum> = HashMap::new();
    let mut total = GENESIS;
    let z_kind = RecordKind::ZReport.as_str();

    let mut stmt = conn.prepare(
        "SELECT seq, kind, created_at, shift_no, doc_no, payload, checksum FROM journal ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let kind = row.get_ref(1)?.as_str()?;
        let created_at: i64 = row.get(2)?;
        let shift_no: Option<i64> = row.get(3)?;
        let doc_no: Option<i64> = row.get(4)?;
        let payload = row.get_ref(5)?.as_blob()?;
        let stored = row.get_ref(6)?.as_blob()?;
        let expected_seq = outcome.last_seq + 1;
        if seq != expected_seq {
            outcome.failure = fail(
                Check::Sequence,
                Some(expected_seq),
                format!(
                    "record {expected_seq} is missing: the journal jumps from record {} to {seq} (records were deleted)",
                    outcome.last_seq
                ),
            );
            return Ok(outcome);
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
            outcome.failure = fail(
                Check::Chain,
                Some(seq),
                format!(
                    "record {seq} ({kind}) does not match its checksum: it was altered after it was written"
                ),
            );
            return Ok(outcome);
        }
        if seq == 1 && kind != RecordKind::Registration.as_str() {
            outcome.failure = fail(
                Check::Sequence,
                Some(1),
                "the journal does not begin with the registration record".into(),
            );
            return Ok(outcome);
        }
        if kind == z_kind {
            let z: ZChecksums = match serde_json::from_slice(payload) {
                Ok(z) => z,
                Err(e) => {
                    outcome.failure = fail(
                        Check::ShiftChecksum,
                        Some(seq),
                        format!("Z report record {seq} cannot be read: {e}"),
                    );
                    return Ok(outcome);
                }
            };
            let shift = match open_shifts.remove(&z.shift_no) {
                Some(mac) => mac.finish(),
                None => key.shift_checksum(z.shift_no).finish(),
            };
            if hex::encode(shift) != z.shift_checksum {
                outcome.failure = fail(
                    Check::ShiftChecksum,
                    Some(seq),
                    format!(
                        "the records of shift {} do not match the checksum sealed by its Z report (record {seq})",
                        z.shift_no
                    ),
                );
                return Ok(outcome);
            }
            total = key.total_checksum(&total, &shift);
            if hex::encode(total) != z.total_checksum {
                outcome.failure = fail(
                    Check::TotalChecksum,
                    Some(seq),
                    format!(
                        "the total checksum in the Z report of shift {} (record {seq}) does not match the Z reports before it",
                        z.shift_no
                    ),
                );
                return Ok(outcome);
            }
            outcome.shifts_checked += 1;
        } else if let Some(n) = shift_no {
            open_shifts
                .entry(n)
                .or_insert_with(|| key.shift_checksum(n))
                .add(&computed);
        }
        if mark.is_some_and(|m| m.seq == seq) {
            checksum_at_mark = Some(computed);
        }
        previous = computed;
        outcome.last_seq = seq;
        outcome.records += 1;
    }
    outcome.failure =
        check_mark(mark, checksum_at_mark, outcome.last_seq).or_else(|| check_disk(dir));
    Ok(outcome)
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

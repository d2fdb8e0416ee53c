//! Autonomous mode's two rules that need arithmetic: the register's own fiscal sign
//! and the 72-hour limit with its countdown (R-61, reading A-6).
//!
//! The sign must be unique for the register's whole life, also across restarts and a
//! restored backup. It is the larger of "last sign + 1" (the journal's memory) and the
//! seconds since 2024-01-01 UTC (which a restored, older journal cannot have reached).
//! Counting from 2024 keeps it below 2³¹, the limit the spec (§0.2) sets on uint32
//! fields such as `offline_ticket_number`, until 2092. This module only computes; the
//! link journals.

use rusqlite::Connection;

use crate::error::{ApiError, ErrorCode};
use crate::journal::record::AutonomousPayload;
use crate::problem::{Problem, ProblemKey};

/// autonomous mode may last at most 72 hours.
pub const LIMIT_MS: i64 = 72 * 3_600_000;
/// From this much before the limit every fiscal document warns the cashier.
pub const WARN_BEFORE_MS: i64 = 24 * 3_600_000;

/// The next autonomous fiscal sign.
pub fn next_sign(conn: &Connection, now_ms: i64) -> Result<u32, ApiError> {
    // Queued cash slips and Z reports have no sign: look back to the last one that has.
    let mut stmt = conn.prepare_cached(
        "SELECT payload FROM journal WHERE kind = 'autonomous'
         AND kind NOT IN ('receipt', 'cash') ORDER BY seq DESC",
    )?;
    let mut rows = stmt.query([])?;
    let mut last = None;
    while let Some(row) = rows.next()? {
        let bytes: Vec<u8> = row.get(0)?;
        let p: AutonomousPayload = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::new(ErrorCode::Storage, e.to_string()))?;
        if p.sign.is_some() {
            last = p.sign;
            break;
        }
    }
    sign_after(last, now_ms)
}

/// 2024-01-01T00:00:00Z, the start of the sign clock.
const SIGN_EPOCH_S: i64 = 1_704_067_200;
/// The largest value the spec lets a uint32 field carry (§0.2).
const SIGN_MAX: u32 = i32::MAX as u32;

pub fn sign_after(last: Option<u32>, now_ms: i64) -> Result<u32, ApiError> {
    let second = u32::try_from(now_ms.div_euclid(1000) - SIGN_EPOCH_S)
        .unwrap_or(0)
        .min(SIGN_MAX);
    let next = match last {
        Some(l) => l.checked_add(1).map(|n| n.max(second)),
        None => Some(second.max(1)),
    }
    .filter(|&n| n <= SIGN_MAX);
    next.ok_or_else(|| {
        ApiError::new(
            ErrorCode::Internal,
            "the autonomous fiscal signs are exhausted: call the service engineer",
        )
    })
}

/// When fiscal operations must stop: 72 h after the earlier of the start of
/// autonomous mode and the oldest document the operator has not acknowledged.
pub fn deadline(autonomous_since: Option<i64>, oldest_unsent: Option<i64>) -> Option<i64> {
    match (autonomous_since, oldest_unsent) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(i64::MAX).min(b.unwrap_or(i64::MAX)) + LIMIT_MS),
    }
}

/// The refusal once the limit has passed.
pub fn limit_error(deadline_ms: i64, now_ms: i64) -> Option<ApiError> {
    (now_ms >= deadline_ms).then(|| {
        ApiError::new(
            ErrorCode::AutonomousLimit,
            "the register has worked without the operator for 72 hours: fiscal operations are blocked until the queued documents reach the operator (R-61). Check the network and the operator address, then run the link test",
        )
    })
}

/// The countdown shown to the cashier during the last day before the limit.
pub fn warning(deadline_ms: i64, now_ms: i64) -> Option<Problem> {
    let left = deadline_ms - now_ms;
    (left > 0 && left <= WARN_BEFORE_MS).then(|| {
        let minutes = left / 60_000;
        let (h, m) = (minutes / 60, minutes % 60);
        Problem::new(
            ProblemKey::AutonomousTimeLeft,
            [h, m],
            format!("autonomous mode: {h} h {m} min left before fiscal work is blocked"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_772_420_400_000; // 2026-03-02 03:00 UTC

    #[test]
    fn r58_signs_follow_the_clock_and_never_repeat() {
        let first = sign_after(None, T).expect("sign");
        assert_eq!(first as i64, T / 1000 - SIGN_EPOCH_S);
        // Many receipts in one second still get distinct, increasing signs.
        let second = sign_after(Some(first), T).expect("sign");
        assert_eq!(second, first + 1);
        // A restored older journal (last sign from long ago) still moves past today.
        let after_restore = sign_after(Some(first - 86_400), T + 5_000).expect("sign");
        assert!(after_restore > second);
    }

    #[test]
    fn r58_exhausted_signs_are_an_error_not_a_wrap() {
        assert!(sign_after(Some(SIGN_MAX), T).is_err());
        assert!(sign_after(Some(u32::MAX), T).is_err());
    }

    #[test]
    fn r61_deadline_is_72h_after_the_earlier_start() {
        assert_eq!(deadline(None, None), None);
        assert_eq!(deadline(Some(T), None), Some(T + LIMIT_MS));
        assert_eq!(deadline(Some(T + 10), Some(T)), Some(T + LIMIT_MS));
        let d = T + LIMIT_MS;
        assert!(limit_error(d, d - 1).is_none());
        assert!(limit_error(d, d).is_some());
    }

    #[test]
    fn r61_countdown_appears_only_in_the_last_day() {
        let d = T + LIMIT_MS;
        assert!(warning(d, T).is_none());
        let w = warning(d, d - 90 * 60_000).expect("warning");
        assert_eq!(w.key, ProblemKey::AutonomousTimeLeft);
        assert_eq!(w.args, ["1", "30"], "hours and minutes left: {w:?}");
        assert!(warning(d, d).is_none());
    }
}

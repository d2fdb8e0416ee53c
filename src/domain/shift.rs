//! Shift rules: when a shift opens, how long it may last, and which documents may be
//! dated when.
//!
//! A shift opens with its first fiscal operation that changes the counters (sale,
//! return, purchase, cash in or out: reading A-12 of R-15) and must be closed by a Z
//! report within 24 hours of that operation (R-15, item 93). No document may be dated
//! earlier than the last one already recorded (R-69, item 119). Pure: the caller
//! passes the current time in.

use time::{Duration, OffsetDateTime};

/// Item 93: a shift lasts at most 24 hours from its first cash operation.
pub const MAX_SHIFT_LENGTH: Duration = Duration::hours(24);

/// The state of the register's shift, as the journal says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftState {
    /// No shift is open; the next operation opens shift `next_number`.
    Closed { next_number: u32 },
    Open {
        number: u32,
        /// When the first cash operation of the shift was registered.
        opened_at: OffsetDateTime,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShiftError {
    #[error(
        "shift {number} has been open since {opened_at} for more than 24 hours: close it with a Z report before registering anything else"
    )]
    Expired {
        number: u32,
        opened_at: OffsetDateTime,
    },
    #[error("no shift is open: there is nothing to close")]
    NotOpen,
    #[error(
        "shift {number} is open: {what} is allowed only after the shift is closed with a Z report"
    )]
    OpenShiftForbids { number: u32, what: &'static str },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the clock reads {now}, earlier than the last fiscal document ({last}): correct the computer's date and time"
)]
pub struct ClockBehind {
    pub now: OffsetDateTime,
    pub last: OffsetDateTime,
}

impl ShiftState {
    pub fn is_open(&self) -> bool {
        matches!(self, ShiftState::Open { .. })
    }

    /// Checks that a cash operation may be registered at `now`: the shift, if open, is
    /// within its 24 hours. Returns the number of the shift the operation belongs to
    /// and whether it opens that shift.
    pub fn admit_operation(&self, now: OffsetDateTime) -> Result<(u32, bool), ShiftError> {
        match *self {
            ShiftState::Closed { next_number } => Ok((next_number, true)),
            ShiftState::Open { number, opened_at } => {
                if now - opened_at > MAX_SHIFT_LENGTH {
                    Err(ShiftError::Expired { number, opened_at })
                } else {
                    Ok((number, false))
                }
            }
        }
    }

    /// When the open shift must be closed; `None` when closed.
    pub fn deadline(&self) -> Option<OffsetDateTime> {
        match *self {
            ShiftState::Open { opened_at, .. } => Some(opened_at + MAX_SHIFT_LENGTH),
            ShiftState::Closed { .. } => None,
        }
    }

    /// Item 118: some settings change only with the shift closed.
    pub fn require_closed(&self, what: &'static str) -> Result<(), ShiftError> {
        match *self {
            ShiftState::Open { number, .. } => Err(ShiftError::OpenShiftForbids { number, what }),
            ShiftState::Closed { .. } => Ok(()),
        }
    }
}

/// a new document may not be dated before the last recorded one.
pub fn check_not_before(
    now: OffsetDateTime,
    last: Option<OffsetDateTime>,
) -> Result<(), ClockBehind> {
    match last {
        Some(last) if now < last => Err(ClockBehind { now, last }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn r15_shift_expires_after_24_hours() {
        let opened_at = datetime!(2026-03-01 09:00 UTC);
        let open = ShiftState::Open {
            number: 7,
            opened_at,
        };
        assert_eq!(
            open.admit_operation(opened_at + Duration::hours(24)),
            Ok((7, false))
        );
        assert!(matches!(
            open.admit_operation(opened_at + Duration::hours(24) + Duration::seconds(1)),
            Err(ShiftError::Expired { number: 7, .. })
        ));
        assert_eq!(
            ShiftState::Closed { next_number: 8 }.admit_operation(opened_at),
            Ok((8, true))
        );
    }

    #[test]
    fn r69_no_document_before_the_last_one() {
        let last = datetime!(2026-03-01 09:00 UTC);
        assert!(check_not_before(last - Duration::seconds(1), Some(last)).is_err());
        assert!(check_not_before(last, Some(last)).is_ok());
        assert!(check_not_before(last, None).is_ok());
    }

    #[test]
    fn r68_settings_wait_for_the_shift_to_close() {
        let open = ShiftState::Open {
            number: 1,
            opened_at: datetime!(2026-03-01 09:00 UTC),
        };
        assert!(
            open.require_closed("changing the operator address")
                .is_err()
        );
        assert!(
            ShiftState::Closed { next_number: 2 }
                .require_closed("changing the operator address")
                .is_ok()
        );
    }
}

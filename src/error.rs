//! The errors that cross the command boundary: a short code the UI branches on and a
//! message for people (what happened and what to do).
//!
//! Inside the core, modules keep their own `thiserror` types; they become an
//! [`ApiError`] here, once. Never a bare string across the boundary.

use serde::Serialize;

use crate::domain::identity::IdentityError;
use crate::domain::money::AmountError;
use crate::domain::quantity::QuantityError;
use crate::domain::receipt::ReceiptError;
use crate::domain::shift::{ClockBehind, ShiftError};
use crate::domain::vat::TaxError;
use crate::journal::JournalError;
use crate::journal::keys::KeyError;
use crate::problem::Problem;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input is wrong; the message says which field and how to fix it.
    Validation,
    /// No user has this PIN.
    WrongPin,
    /// Too many wrong PINs: logins wait.
    LoginLocked,
    /// A transport (HTTP) call without a live session: log in with the PIN again.
    SessionRequired,
    /// The user's role may not do this.
    Forbidden,
    NotRegistered,
    AlreadyRegistered,
    /// The shift is older than 24 hours: only the Z report is allowed.
    ShiftExpired,
    /// The change needs a closed shift.
    ShiftOpen,
    /// There is no open shift.
    ShiftClosed,
    /// The clock is earlier than the last document.
    ClockBehind,
    NotFound,
    /// More would be returned than was sold.
    OverReturn,
    /// The drawer does not hold enough cash.
    InsufficientCash,
    /// The discount is larger than the person's role may give: a manager must do it.
    DiscountLimit,
    /// A marked item lacks its scanned marking code, or the code is unreadable or of
    /// another product.
    MarkingRequired,
    /// The marking code was scanned twice, or this unit is already sold (or returned).
    MarkingDuplicate,
    /// The integrity check failed; fiscal operations are blocked.
    IntegrityBlocked,
    /// Autonomous mode has lasted 72 hours: fiscal operations wait for the operator.
    AutonomousLimit,
    /// The receipt can be handed over neither on paper nor electronically, or a receipt
    /// waits to be printed.
    PrinterFault,
    /// The operator blocked the register, its token was refused, or a queued document
    /// was refused: a person must act (spec §1.9, §1.11).
    LinkBlocked,
    /// The key of the accumulator is missing or not this register's.
    KeyUnavailable,
    Storage,
    Internal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The problems behind a validation error, each worded by the UI in the screen's
    /// language; empty when the code's own sentence says it all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            problems: Vec::new(),
        }
    }

    /// A validation error that names its problems for the UI.
    pub fn problems(problems: Vec<Problem>) -> ApiError {
        ApiError {
            code: ErrorCode::Validation,
            message: crate::problem::joined(&problems),
            problems,
        }
    }

    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Validation, message)
    }

    /// What every shell answers a command made without a logged-in user.
    pub fn session_required() -> ApiError {
        ApiError::new(
            ErrorCode::SessionRequired,
            "the session has ended or was never opened: log in again",
        )
    }
}

macro_rules! validation_from {
    ($($t:ty),*) => {$(
        impl From<$t> for ApiError {
            fn from(e: $t) -> ApiError {
                ApiError::validation(e.to_string())
            }
        }
    )*};
}
validation_from!(
    AmountError,
    QuantityError,
    ReceiptError,
    TaxError,
    IdentityError
);

impl From<ShiftError> for ApiError {
    fn from(e: ShiftError) -> ApiError {
        let code = match e {
            ShiftError::Expired { .. } => ErrorCode::ShiftExpired,
            ShiftError::NotOpen => ErrorCode::ShiftClosed,
            ShiftError::OpenShiftForbids { .. } => ErrorCode::ShiftOpen,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<ClockBehind> for ApiError {
    fn from(e: ClockBehind) -> ApiError {
        ApiError::new(ErrorCode::ClockBehind, e.to_string())
    }
}

impl From<JournalError> for ApiError {
    fn from(e: JournalError) -> ApiError {
        tracing::error!("journal: {e}");
        ApiError::new(ErrorCode::Storage, e.to_string())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> ApiError {
        ApiError::from(JournalError::from(e))
    }
}

impl From<KeyError> for ApiError {
    fn from(e: KeyError) -> ApiError {
        ApiError::new(ErrorCode::KeyUnavailable, e.to_string())
    }
}

impl From<crate::catalogue::CatalogueError> for ApiError {
    fn from(e: crate::catalogue::CatalogueError) -> ApiError {
        use crate::catalogue::CatalogueError as E;
        let code = match e {
            E::NoSuchId(_) => ErrorCode::NotFound,
            E::Invalid(_) => ErrorCode::Validation,
            E::Problems(problems) => return ApiError::problems(problems),
            E::Migration(_) | E::Sqlite(_) => {
                tracing::error!("catalogue: {e}");
                ErrorCode::Storage
            }
        };
        ApiError::new(code, e.to_string())
    }
}

//! What the core needs from outside and reaches only through traits: the clock and the
//! receipt printer. Shells plug in real parts (`sauda-printers`), tests plug in
//! [`ManualClock`] and their own printers.
//!
//! Nothing else in the core reads the system time: every document's time comes from
//! here, which is what lets the operator's server time replace it and lets
//! tests walk a shift past its 24 hours.

use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// The paper side of a receipt. The core lays the receipt out; the printer
/// turns the lines into its bytes and sends them.
pub trait ReceiptPrinter: Send {
    /// `Err(why)` when the printer cannot print now (paper out, cover open, offline):
    /// asked before a sale, so nothing is recorded that cannot be handed over.
    fn ready(&mut self) -> Result<(), String>;
    /// Prints the lines; `document`: the document number they show (none for X and
    /// the other reports), so a picture of the paper can be found by it; `drawer`:
    /// open the cash drawer after (cash changed hands).
    fn print(
        &mut self,
        document: Option<i64>,
        lines: &[crate::receipt_layout::Line],
        drawer: bool,
    ) -> Result<(), String>;
    /// Characters per line of its paper: 32 (58 mm) or 48 (80 mm).
    fn columns(&self) -> usize;
}

pub trait Clock: Send + Sync {
    /// The current instant, in UTC.
    fn now(&self) -> OffsetDateTime;
}

/// The computer's clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that moves only when told to: for tests and benchmarks.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<OffsetDateTime>,
}

impl ManualClock {
    pub fn new(start: OffsetDateTime) -> ManualClock {
        ManualClock {
            now: Mutex::new(start),
        }
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
        *now += by;
    }

    pub fn set(&self, to: OffsetDateTime) {
        *self.now.lock().unwrap_or_else(|p| p.into_inner()) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.now.lock().unwrap_or_else(|p| p.into_inner())
    }
}

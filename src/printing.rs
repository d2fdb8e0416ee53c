//! Handing the receipt over on paper (R-8, R-32, item 84). Before a sale: if the
//! printer cannot print and the buyer gave no e-mail or phone for the electronic
//! receipt, the sale is refused before anything is recorded (reading of R-32: either
//! route is enough). After the sale: the receipt is printed; if that fails, the failure
//! is journaled and no further document is made until the receipt is printed again
//! (`receipt_print`) — so no buyer leaves without a receipt unnoticed.
//!
//! This module decides when to print and what a failure blocks; the printer port does
//! the printing and the layout modules decide what is on the paper.

use std::sync::MutexGuard;

use rusqlite::OptionalExtension;

use crate::core::{Core, millis};
use crate::error::{ApiError, ErrorCode};
use crate::journal::Placement;
use crate::journal::record::{PrintingPayload, RecordKind};
use crate::ports::ReceiptPrinter;
use crate::receipt_layout::Line;

/// The attached printer and what it last said, for the status bar.
#[derive(Default)]
pub(crate) struct Slot {
    printer: Option<Box<dyn ReceiptPrinter>>,
    /// The outcome of the last status query or print; `None` until the first.
    last: Option<Result<(), String>>,
}

/// The printer as the status bar shows it (`register_status`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PrinterStatus {
    /// ready, fault, or unknown (nothing printed or asked yet).
    pub state: String,
    /// What the printer reported on its last fault.
    pub problem: Option<String>,
    /// A receipt the printer failed on, waiting to be printed (item 84).
    pub unprinted: Option<i64>,
}

/// How this sale's receipt will reach the buyer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// No printer attached: nothing to print.
    NoPrinter,
    Paper,
    /// The printer cannot print; the buyer's e-mail or phone carries the receipt.
    ElectronicOnly(String),
}

impl Core {
    /// Connects a receipt printer; from now on every receipt is printed.
    pub fn attach_printer(&self, printer: Box<dyn ReceiptPrinter>) {
        *self.printer_slot() = Slot {
            printer: Some(printer),
            last: None,
        };
    }

    /// Refuses a new document while a receipt waits to be printed, and a sale that could
    /// be handed over neither on paper nor electronically. `electronic`: the buyer
    /// gave an e-mail or a phone.
    pub(crate) fn printer_gate(&self, electronic: bool) -> Result<Route, ApiError> {
        let mut slot = self.printer_slot();
        let Slot { printer, last } = &mut *slot;
        let Some(printer) = printer.as_mut() else {
            return Ok(Route::NoPrinter);
        };
        if let Some(doc_no) = self.unprinted()? {
            return Err(ApiError::new(
                ErrorCode::PrinterFault,
                format!(
                    "receipt {doc_no} was not printed: fix the printer and print it again (receipt_print {doc_no}) before the next sale"
                ),
            ));
        }
        let ready = printer.ready();
        *last = Some(ready.clone());
        match ready {
            Ok(()) => Ok(Route::Paper),
            Err(why) if electronic => Ok(Route::ElectronicOnly(why)),
            Err(why) => Err(ApiError::new(
                ErrorCode::PrinterFault,
                format!(
                    "{why}: the receipt cannot be printed; fix the printer, or take the buyer's e-mail or phone for the electronic receipt (R-32)"
                ),
            )),
        }
    }

    /// The receipt the printer failed on and nobody has printed since, if any.
    pub(crate) fn unprinted(&self) -> Result<Option<i64>, ApiError> {
        let st = self.lock();
        let last: Option<Vec<u8>> = st
            .store
            .conn()
            .prepare_cached(
                "SELECT payload FROM journal WHERE kind = 'printing'
                 AND kind NOT IN ('receipt', 'cash') ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(match last {
            Some(bytes) => serde_json::from_slice::<PrintingPayload>(&bytes)
                .ok()
                .filter(|p| !p.printed)
                .map(|p| p.doc_no),
            None => None,
        })
    }

    /// Prints `lines` of receipt `doc_no`; journals a failure, and the print that ends
    /// an earlier failure. Returns whether it printed (`None`: no printer attached).
    pub(crate) fn print_receipt(
        &self,
        doc_no: i64,
        lines: &[Line],
        drawer: bool,
    ) -> Result<Option<bool>, ApiError> {
        let mut slot = self.printer_slot();
        let Some(printer) = slot.printer.as_mut() else {
            return Ok(None);
        };
        let result = printer.print(Some(doc_no), lines, drawer);
        slot.last = Some(result.clone());
        drop(slot);
        let waiting = self.unprinted()?;
        let journal = |printed: bool, reason: Option<String>| -> Result<(), ApiError> {
            let now = millis(self.now());
            self.lock().store.write(|w| {
                w.append(
                    RecordKind::Printing,
                    now,
                    Placement::default(),
                    &PrintingPayload {
                        doc_no,
                        printed,
                        reason,
                    },
                )
            })?;
            Ok(())
        };
        match result {
            Ok(()) => {
                if waiting == Some(doc_no) {
                    journal(true, None)?;
                }
                Ok(Some(true))
            }
            Err(why) => {
                tracing::error!("receipt {doc_no} was not printed: {why}");
                if waiting != Some(doc_no) {
                    journal(false, Some(why))?;
                }
                Ok(Some(false))
            }
        }
    }

    /// Prints a report (not a document: nothing is journaled, a fault blocks nothing).
    pub(crate) fn print_report(
        &self,
        document: Option<i64>,
        lines: &[Line],
    ) -> Result<(), ApiError> {
        let mut slot = self.printer_slot();
        let printer = slot.printer.as_mut().ok_or_else(|| {
            ApiError::new(ErrorCode::PrinterFault, "no receipt printer is connected")
        })?;
        let result = printer.print(document, lines, false);
        slot.last = Some(result.clone());
        result.map_err(|why| {
            ApiError::new(
                ErrorCode::PrinterFault,
                format!("{why}: the report was not printed; check the paper, the cover and the cable, then print it again"),
            )
        })
    }

    /// Asks the attached printer how it is now and keeps the answer for the status bar,
    /// so a printer just chosen shows its state before its first receipt. `None`
    /// without a printer.
    pub fn ask_printer(&self) -> Option<Result<(), String>> {
        let mut slot = self.printer_slot();
        let Slot { printer, last } = &mut *slot;
        let ready = printer.as_mut()?.ready();
        *last = Some(ready.clone());
        Some(ready)
    }

    /// Characters per line of the attached printer.
    pub(crate) fn printer_columns(&self) -> Option<usize> {
        self.printer_slot().printer.as_ref().map(|p| p.columns())
    }

    /// The printer for the status bar; `None` without one. It reports what the printer
    /// last said rather than asking it now: a status query every half second could
    /// interleave with a receipt being printed.
    pub fn printer_status(&self) -> Result<Option<PrinterStatus>, ApiError> {
        let last = {
            let slot = self.printer_slot();
            if slot.printer.is_none() {
                return Ok(None);
            }
            slot.last.clone()
        };
        let unprinted = self.unprinted()?;
        Ok(Some(match last {
            None => PrinterStatus {
                state: "unknown".into(),
                problem: None,
                unprinted,
            },
            Some(Ok(())) => PrinterStatus {
                state: if unprinted.is_some() {
                    "fault"
                } else {
                    "ready"
                }
                .into(),
                problem: None,
                unprinted,
            },
            Some(Err(why)) => PrinterStatus {
                state: "fault".into(),
                problem: Some(why),
                unprinted,
            },
        }))
    }

    fn printer_slot(&self) -> MutexGuard<'_, Slot> {
        self.printer.lock().unwrap_or_else(|p| p.into_inner())
    }
}

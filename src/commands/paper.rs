//! The paper side of the commands (R-8, R-32, item 84): printing a receipt or a cash
//! slip just made, and printing any stored one again. What a failure blocks is decided
//! in `crate::printing`; what is on the paper in the layout modules.

use rusqlite::{OptionalExtension, params};

use super::dto::{PrintIn, PrintOut, ReceiptOut};
use crate::core::{Core, State};
use crate::error::{ApiError, ErrorCode};
use crate::journal::record::{CashPayload, Settings};
use crate::problem::{Problem, ProblemKey};
use crate::receipt_layout::{Lang, Line, printed_time};
use crate::report_layout::{CashSlipView, cash_slip};
use crate::users::Caller;

pub(super) fn print_lang(text: Option<&str>) -> Result<Lang, ApiError> {
    match text {
        None => Ok(Lang::Kk),
        Some(t) => Lang::parse(t)
            .ok_or_else(|| ApiError::validation(format!("language '{t}' is not kk or ru"))),
    }
}

/// Prints document `number`; a failure becomes a notice (the document stands, and the
/// next one waits until it is printed). `None` without a printer.
pub(super) fn print_new(
    core: &Core,
    number: i64,
    lines: &[Line],
    drawer: bool,
    notices: &mut Vec<Problem>,
) -> Result<Option<bool>, ApiError> {
    let printed = core.print_receipt(number, lines, drawer)?;
    if printed == Some(false) {
        notices.push(Problem::new(
            ProblemKey::NotPrinted,
            [number],
            format!(
                "document {number} was not printed: receipt_print {number} after fixing the printer"
            ),
        ));
    }
    Ok(printed)
}

/// Prints the receipt when it goes on paper. A failure is journaled and blocks
/// the next document until the receipt is printed; the sale stands.
pub(super) fn printed(
    core: &Core,
    mut out: ReceiptOut,
    route: &crate::printing::Route,
    lang: Lang,
) -> Result<ReceiptOut, ApiError> {
    if *route != crate::printing::Route::Paper {
        return Ok(out);
    }
    let Some(columns) = core.printer_columns() else {
        return Ok(out);
    };
    let lines = {
        let st = core.lock();
        super::electronic::laid_out(&st, out.number, lang, columns, false)?.1
    };
    // The drawer opens when cash changed hands (devices.md §0: a pulse only for cash).
    let cash = out
        .payments
        .iter()
        .any(|p| p.kind == "cash" && p.amount_tiyn > 0);
    out.printed = print_new(core, out.number, &lines, cash, &mut out.notices)?;
    Ok(out)
}

/// A cash slip's lines; `in_drawer` is known only when the slip is new.
pub(super) fn cash_slip_lines(
    s: &Settings,
    cash: &CashPayload,
    created_at: i64,
    in_drawer: Option<i64>,
    copy: bool,
    lang: Lang,
    columns: usize,
) -> Vec<Line> {
    cash_slip(
        &CashSlipView {
            demo: cash.demo,
            org_name: &s.org_name,
            bin: &s.bin,
            rnm: &s.rnm,
            deposit: cash.direction == "deposit",
            number: cash.doc_no,
            shift: cash.shift_no,
            taken_at: &printed_time(created_at, s),
            amount: cash.amount,
            in_drawer,
            cashier: &cash.cashier.name,
            copy,
        },
        lang,
        columns,
    )
}

/// Document `number` laid out as a cash slip, if it is one.
fn stored_cash_slip(
    st: &State,
    number: i64,
    lang: Lang,
    columns: usize,
    copy: bool,
) -> Result<Option<Vec<Line>>, ApiError> {
    let found: Option<(i64, Vec<u8>)> = st
        .store
        .conn()
        .prepare_cached(
            "SELECT created_at, payload FROM journal WHERE doc_no = ?1 AND kind = 'cash'",
        )?
        .query_row(params![number], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((created_at, bytes)) = found else {
        return Ok(None);
    };
    let cash: CashPayload = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::new(ErrorCode::Storage, e.to_string()))?;
    Ok(Some(cash_slip_lines(
        &st.settings,
        &cash,
        created_at,
        None,
        copy,
        lang,
        columns,
    )))
}

/// Prints a stored receipt or slip again (item 84): marked as a copy, except the one
/// the printer failed on, whose first print is its original and lifts the block.
pub fn print(core: &Core, _caller: &Caller, input: PrintIn) -> Result<PrintOut, ApiError> {
    let lang = print_lang(input.lang.as_deref())?;
    let columns = core
        .printer_columns()
        .ok_or_else(|| ApiError::new(ErrorCode::PrinterFault, "no receipt printer is connected"))?;
    let copy = core.unprinted()? != Some(input.number);
    let lines = {
        let st = core.lock();
        match stored_cash_slip(&st, input.number, lang, columns, copy)? {
            Some(lines) => lines,
            None => super::electronic::laid_out(&st, input.number, lang, columns, copy)?.1,
        }
    };
    // A reprint never opens the drawer: no money changes hands.
    match core.print_receipt(input.number, &lines, false)? {
        Some(true) => Ok(PrintOut {
            number: input.number,
            copy,
        }),
        _ => Err(ApiError::new(
            ErrorCode::PrinterFault,
            format!(
                "receipt {} was not printed: check the paper, the cover and the cable",
                input.number
            ),
        )),
    }
}

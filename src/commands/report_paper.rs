//! Reports on paper: X, Z, by cashier and by section laid out for the attached
//! printer (or for a width the caller names, to print elsewhere or show), and the Z
//! printed when a shift closes. Reports other than the Z are not documents: printing
//! them records nothing, and a printer fault here blocks nothing (unlike R-32 for
//! receipts). It must not compute totals; `shift` does.

use serde::{Deserialize, Serialize};

use super::dto::{ReportOut, ShiftIn};
use super::paper::print_lang;
use super::shift;
use crate::breakdown_layout::{self, BreakdownView};
use crate::core::{Core, millis};
use crate::error::{ApiError, ErrorCode};
use crate::journal::record::Settings;
use crate::problem::{Problem, ProblemKey};
use crate::receipt_layout::{Lang, Line, printed_time};
use crate::report_layout::{ReportView, report};
use crate::users::Caller;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ReportPrintIn {
    /// x, z, by_cashier or by_section.
    pub kind: String,
    /// For z, by_cashier and by_section: the shift (the open or last one when absent).
    pub shift: Option<i64>,
    /// kk (default) or ru.
    pub lang: Option<String>,
    /// Lay out for this many characters a line and return the lines without printing;
    /// absent: print on the attached printer at its width.
    pub columns: Option<usize>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ReportPrintOut {
    pub printed: bool,
    pub lines: Vec<Line>,
}

/// An X or Z report's lines, times in the register's own format.
pub(super) fn report_lines(out: &ReportOut, s: &Settings, lang: Lang, width: usize) -> Vec<Line> {
    let opened_at = out.report.opened_at.map(|ms| printed_time(ms, s));
    let taken_at = printed_time(out.report.taken_at, s);
    report(
        &ReportView {
            header: &out.header,
            z_number: out.z_number.as_deref(),
            opened_at: opened_at.as_deref(),
            taken_at: &taken_at,
            shift_checksum: out.shift_checksum.as_deref(),
            total_checksum: out.total_checksum.as_deref(),
            report: &out.report,
        },
        lang,
        width,
    )
}

pub fn print(
    core: &Core,
    caller: &Caller,
    input: ReportPrintIn,
) -> Result<ReportPrintOut, ApiError> {
    let lang = print_lang(input.lang.as_deref())?;
    let width = match input.columns {
        Some(c) if (24..=64).contains(&c) => c,
        Some(c) => {
            return Err(ApiError::validation(format!(
                "{c} characters a line is not a receipt width: use 32 (58 mm) or 48 (80 mm)"
            )));
        }
        None => core.printer_columns().ok_or_else(|| {
            ApiError::new(ErrorCode::PrinterFault, "no receipt printer is connected")
        })?,
    };
    let settings = core.settings();
    let which = ShiftIn { shift: input.shift };
    let taken_at = printed_time(millis(core.now()), &settings);
    let view = |header, shift| BreakdownView {
        header,
        shift,
        taken_at: &taken_at,
    };
    // A Z is a document: its picture is found by its number.
    let (document, lines) = match input.kind.as_str() {
        "x" => {
            let x = shift::report_x(core, caller, Default::default())?;
            (None, report_lines(&x, &settings, lang, width))
        }
        "z" => {
            let z = shift::z_get(core, caller, which)?;
            (z.number, report_lines(&z, &settings, lang, width))
        }
        "by_cashier" => {
            let r = shift::by_cashier(core, caller, which)?;
            let v = view(&r.header, r.shift);
            (
                None,
                breakdown_layout::by_cashier(&v, &r.cashiers, lang, width),
            )
        }
        "by_section" => {
            let r = shift::by_section(core, caller, which)?;
            let v = view(&r.header, r.shift);
            (
                None,
                breakdown_layout::by_section(&v, &r.sections, lang, width),
            )
        }
        other => {
            return Err(ApiError::validation(format!(
                "unknown report '{other}': use x, z, by_cashier or by_section"
            )));
        }
    };
    if input.columns.is_some() {
        return Ok(ReportPrintOut {
            printed: false,
            lines,
        });
    }
    core.print_report(document, &lines)?;
    Ok(ReportPrintOut {
        printed: true,
        lines,
    })
}

/// After a Z: print it when a printer is attached. A failure is a notice (the Z stands
/// in the journal and can be printed again with `report_print`).
pub(super) fn print_closed_z(core: &Core, out: &mut ReportOut, lang: Lang) {
    let Some(width) = core.printer_columns() else {
        return;
    };
    let lines = report_lines(out, &core.settings(), lang, width);
    if let Err(e) = core.print_report(out.number, &lines) {
        out.notices.push(Problem::new(
            ProblemKey::ReportNotPrinted,
            [&e.message],
            format!(
                "the Z report was not printed: {}; report_print z after fixing the printer",
                e.message
            ),
        ));
    }
}

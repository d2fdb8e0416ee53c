//! Shifts and the reports of a shift (R-14… … ): cash in and
//! out, the X report, closing the shift with the Z report and its checksums, the
//! reports by cashier and by section, and the register's status.
//!
//! A shift opens with its first cash operation, after an integrity check; the Z report
//! runs the check again and seals the shift's records with the shift checksum and the
//! total checksum. Reports read; only deposits, withdrawals and Z write.

use std::path::Path;

use rusqlite::params;

use super::dto::*;
use super::receipts::insufficient_cash;
use super::{header, local_time};
use crate::core::{
    Core, current_report, from_millis, last_z, millis, next_doc_no, offset_of, scheduled_check,
    shift_state,
};
use crate::domain::shift::{ShiftError, ShiftState, check_not_before};
use crate::error::{ApiError, ErrorCode};
use crate::journal::chain::GENESIS;
use crate::journal::record::{CashPayload, RecordKind, ShiftOpenPayload, UserRef, ZReportPayload};
use crate::journal::report::{
    by_cashier as cashier_totals, by_section as section_rows, shift_report,
};
use crate::journal::verify::Failure;
use crate::journal::{Placement, Writer};
use crate::users::Caller;

/// Opens shift `shift_no` when `opens`: the integrity check first (item 86), then the
/// shift-open record.
pub(crate) fn open_shift_if_needed(
    w: &mut Writer<'_>,
    block: &mut Option<Failure>,
    dir: &Path,
    opens: bool,
    shift_no: i64,
    caller: &Caller,
    now_ms: i64,
) -> Result<(), ApiError> {
    if !opens {
        return Ok(());
    }
    scheduled_check(w, block, dir, "shift_open", shift_no, now_ms)?;
    w.append(
        RecordKind::ShiftOpen,
        now_ms,
        Placement {
            shift_no: Some(shift_no),
            doc_no: None,
        },
        &ShiftOpenPayload {
            shift_no,
            by: UserRef {
                id: caller.user_id,
                name: caller.name.clone(),
            },
        },
    )?;
    Ok(())
}

pub fn deposit(core: &Core, caller: &Caller, input: CashIn) -> Result<CashOut, ApiError> {
    move_cash(core, caller, input, "deposit")
}

pub fn withdraw(core: &Core, caller: &Caller, input: CashIn) -> Result<CashOut, ApiError> {
    move_cash(core, caller, input, "withdrawal")
}

fn move_cash(
    core: &Core,
    caller: &Caller,
    input: CashIn,
    direction: &str,
) -> Result<CashOut, ApiError> {
    if input.amount_tiyn <= 0 || input.amount_tiyn > crate::domain::money::MAX_AMOUNT.tiyn() {
        return Err(ApiError::validation("the amount must be greater than zero"));
    }
    // A slip that could not be printed blocks this too.
    let route = core.printer_gate(false)?;
    let mut notices = core.link_gate()?;
    let mut st = core.lock();
    st.ensure_unblocked()?;
    let now = core.now();
    let now_ms = millis(now);
    let demo = st.settings.demo;
    let offset = offset_of(&st.settings);
    let dir = core.dir().to_path_buf();
    let crate::core::State { store, block, .. } = &mut *st;
    let (doc_no, shift_no, in_drawer, seq) =
        store.write(|w| -> Result<(i64, i64, i64, i64), ApiError> {
            check_not_before(now, w.tip().map(|t| from_millis(t.created_at)))?;
            let (shift_no, opens) = shift_state(w.conn())?.admit_operation(now)?;
            let in_drawer = current_report(w.conn(), now_ms)?.cash_sum;
            if direction == "withdrawal" && in_drawer < input.amount_tiyn {
                return Err(insufficient_cash(in_drawer, input.amount_tiyn));
            }
            open_shift_if_needed(w, block, &dir, opens, shift_no as i64, caller, now_ms)?;
            let doc_no = next_doc_no(w.conn())?;
            let seq = w.append(
                RecordKind::Cash,
                now_ms,
                Placement {
                    shift_no: Some(shift_no as i64),
                    doc_no: Some(doc_no),
                },
                &CashPayload {
                    demo,
                    doc_no,
                    shift_no: shift_no as i64,
                    direction: direction.into(),
                    amount: input.amount_tiyn,
                    cashier: UserRef {
                        id: caller.user_id,
                        name: caller.name.clone(),
                    },
                },
            )?;
            let after = if direction == "deposit" {
                in_drawer + input.amount_tiyn
            } else {
                in_drawer - input.amount_tiyn
            };
            Ok((doc_no, shift_no as i64, after, seq))
        })?;
    drop(st);
    let f = core.fiscalise(seq, doc_no, false);
    notices.extend(f.notices);
    if let (crate::printing::Route::Paper, Some(columns)) = (&route, core.printer_columns()) {
        // The slip is printed and the drawer opens: cash moved.
        let slip = CashPayload {
            demo,
            doc_no,
            shift_no,
            direction: direction.into(),
            amount: input.amount_tiyn,
            cashier: UserRef {
                id: caller.user_id,
                name: caller.name.clone(),
            },
        };
        let lines = super::paper::cash_slip_lines(
            &core.settings(),
            &slip,
            now_ms,
            Some(in_drawer),
            false,
            crate::receipt_layout::Lang::Kk,
            columns,
        );
        super::paper::print_new(core, doc_no, &lines, true, &mut notices)?;
    }
    Ok(CashOut {
        autonomous: f.autonomous,
        notices,
        demo,
        number: doc_no,
        shift: shift_no,
        direction: direction.into(),
        amount_tiyn: input.amount_tiyn,
        cash_in_drawer_tiyn: in_drawer,
        created_at: local_time(now_ms, offset),
    })
}

pub fn report_x(core: &Core, _caller: &Caller, _input: Empty) -> Result<ReportOut, ApiError> {
    let now_ms = millis(core.now());
    let st = core.lock_fresh()?;
    let offset = offset_of(&st.settings);
    let report = current_report(st.store.conn(), now_ms)?;
    Ok(ReportOut {
        header: header(&st.settings),
        kind: "X".into(),
        z_number: None,
        number: None,
        opened_at: report.opened_at.map(|t| local_time(t, offset)),
        taken_at: local_time(now_ms, offset),
        shift_checksum: None,
        total_checksum: None,
        report,
        autonomous: false,
        notices: Vec::new(),
    })
}

fn z_out(z: &ZReportPayload, st: &crate::core::State) -> ReportOut {
    let offset = offset_of(&st.settings);
    ReportOut {
        header: header(&st.settings),
        kind: "Z".into(),
        z_number: Some(format!("{:04}", z.shift_no)),
        number: Some(z.doc_no),
        opened_at: z.report.opened_at.map(|t| local_time(t, offset)),
        taken_at: local_time(z.report.taken_at, offset),
        shift_checksum: Some(z.shift_checksum.clone()),
        total_checksum: Some(z.total_checksum.clone()),
        report: z.report.clone(),
        autonomous: false,
        notices: Vec::new(),
    }
}

/// The Z report of open shift `shift_no` taken at `now_ms`: the shift's report (its
/// counters carried on from the last Z), the shift checksum over the shift's records
/// and the total checksum chained from the last Z's. [`close`] appends it; the period
/// benchmark's year of shifts is sealed by this same function, so its Z reports are
/// exactly what a real close writes.
pub(crate) fn seal_shift(
    w: &Writer<'_>,
    shift_no: i64,
    opened_at_ms: i64,
    now_ms: i64,
    demo: bool,
    by: UserRef,
) -> Result<ZReportPayload, ApiError> {
    let previous = last_z(w.conn())?;
    let mut report = shift_report(
        w.conn(),
        shift_no,
        Some(opened_at_ms),
        now_ms,
        previous.as_ref().map(|z| &z.report),
    )?;
    report.closed_at = Some(now_ms);
    let mut seal = w.key().shift_checksum(shift_no);
    {
        let mut stmt = w.conn().prepare_cached(concat!(
            "SELECT checksum FROM journal WHERE ",
            crate::journal::report::in_shift!(),
            " AND kind != 'z_report' ORDER BY seq"
        ))?;
        let mut rows = stmt.query(params![shift_no])?;
        while let Some(row) = rows.next()? {
            seal.add(
                row.get_ref(0)?
                    .as_blob()
                    .map_err(crate::journal::JournalError::from)?,
            );
        }
    }
    let shift_checksum = seal.finish();
    let previous_total = match &previous {
        Some(z) => hex::decode(&z.total_checksum)
            .ok()
            .and_then(|b| crate::journal::chain::checksum_from_slice(&b))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Storage,
                    "the last Z report's total checksum is unreadable",
                )
            })?,
        None => GENESIS,
    };
    let total = w.key().total_checksum(&previous_total, &shift_checksum);
    let doc_no = next_doc_no(w.conn())?;
    Ok(ZReportPayload {
        demo,
        doc_no,
        shift_no,
        by,
        report,
        shift_checksum: hex::encode(shift_checksum),
        total_checksum: hex::encode(total),
    })
}

/// Closes the open shift with a Z report. Allowed after 24 hours too.
pub fn close(core: &Core, caller: &Caller, input: CloseIn) -> Result<ReportOut, ApiError> {
    // A wrong language is refused before the shift closes.
    let lang = super::paper::print_lang(input.lang.as_deref())?;
    let mut st = core.lock();
    st.ensure_unblocked()?;
    let now = core.now();
    let now_ms = millis(now);
    let demo = st.settings.demo;
    let dir = core.dir().to_path_buf();
    let crate::core::State { store, block, .. } = &mut *st;
    let (z, seq) = store.write(|w| -> Result<(ZReportPayload, i64), ApiError> {
        check_not_before(now, w.tip().map(|t| from_millis(t.created_at)))?;
        let ShiftState::Open { number, opened_at } = shift_state(w.conn())? else {
            return Err(ShiftError::NotOpen.into());
        };
        let shift_no = number as i64;
        scheduled_check(w, block, &dir, "shift_close", shift_no, now_ms)?;
        let by = UserRef {
            id: caller.user_id,
            name: caller.name.clone(),
        };
        let z = seal_shift(w, shift_no, millis(opened_at), now_ms, demo, by)?;
        let seq = w.append(
            RecordKind::ZReport,
            now_ms,
            Placement {
                shift_no: Some(shift_no),
                doc_no: Some(z.doc_no),
            },
            &z,
        )?;
        Ok((z, seq))
    })?;
    let mut out = z_out(&z, &st);
    drop(st);
    // a Z is closed offline too, then queued with its date and time.
    let f = core.fiscalise(seq, z.doc_no, false);
    out.autonomous = f.autonomous;
    out.notices = f.notices;
    super::report_paper::print_closed_z(core, &mut out, lang);
    Ok(out)
}

/// A stored Z report: of `shift`, or the last one.
pub fn z_get(core: &Core, _caller: &Caller, input: ShiftIn) -> Result<ReportOut, ApiError> {
    let st = core.lock();
    let z: Option<ZReportPayload> = match input.shift {
        None => last_z(st.store.conn())?,
        Some(n) => {
            let seq: Option<i64> = st
                .store
                .conn()
                .query_row(
                    "SELECT closed_seq FROM shift WHERE shift_no = ?1",
                    params![n],
                    |r| r.get(0),
                )
                .ok()
                .flatten();
            match seq {
                Some(seq) => st.store.get(seq)?.map(|r| r.decode()).transpose()?,
                None => None,
            }
        }
    };
    let z = z.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such closed shift"))?;
    Ok(z_out(&z, &st))
}

/// The shift a report is about: the given one, else the open one, else the last one.
pub(super) fn chosen_shift(
    conn: &rusqlite::Connection,
    shift: Option<i64>,
) -> Result<i64, ApiError> {
    if let Some(n) = shift {
        return Ok(n);
    }
    Ok(match shift_state(conn)? {
        ShiftState::Open { number, .. } => number as i64,
        ShiftState::Closed { next_number } => (next_number as i64 - 1).max(1),
    })
}

pub fn by_cashier(
    core: &Core,
    _caller: &Caller,
    input: ShiftIn,
) -> Result<CashierReportOut, ApiError> {
    let st = core.lock_fresh()?;
    let shift = chosen_shift(st.store.conn(), input.shift)?;
    Ok(CashierReportOut {
        header: header(&st.settings),
        shift,
        cashiers: cashier_totals(st.store.conn(), shift)?,
    })
}

pub fn by_section(
    core: &Core,
    _caller: &Caller,
    input: ShiftIn,
) -> Result<SectionReportOut, ApiError> {
    let st = core.lock_fresh()?;
    let shift = chosen_shift(st.store.conn(), input.shift)?;
    Ok(SectionReportOut {
        header: header(&st.settings),
        shift,
        sections: section_rows(st.store.conn(), shift)?,
    })
}

pub fn status(core: &Core, _caller: &Caller, _input: Empty) -> Result<StatusOut, ApiError> {
    let now = core.now();
    let now_ms = millis(now);
    // Before the register's lock: the printer is always locked first.
    let printer = core.printer_status()?;
    let st = core.lock_fresh()?;
    let offset = offset_of(&st.settings);
    let state = shift_state(st.store.conn())?;
    let shift = match state {
        ShiftState::Open { number, opened_at } => ShiftStatusOut {
            state: "open".into(),
            number: number as i64,
            opened_at: Some(local_time(millis(opened_at), offset)),
            deadline: state.deadline().map(|d| local_time(millis(d), offset)),
            expired: state.admit_operation(now).is_err(),
        },
        ShiftState::Closed { next_number } => ShiftStatusOut {
            state: "closed".into(),
            number: next_number as i64,
            opened_at: None,
            deadline: None,
            expired: false,
        },
    };
    let cash = current_report(st.store.conn(), now_ms)?.cash_sum;
    let last = st.store.tip()?.map(|t| local_time(t.created_at, offset));
    Ok(StatusOut {
        header: header(&st.settings),
        shift,
        blocked: st.block.clone(),
        cash_in_drawer_tiyn: cash,
        last_document_at: last,
        now: local_time(now_ms, offset),
        printer,
    })
}

//! The reports over a period that the tax inspector's workstation reads:
//! the period's shifts with their Z checksums and the period's totals, its reports by
//! cashier and by section, the register's registration history, its autonomous periods
//! and their replay, and the messages the operator sent.
//!
//! Everything here reads the journal and its projections; nothing writes, so these
//! commands are safe for the inspector role. A period is counted in whole
//! shifts by their Z date (`journal::period`).

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::{Date, PrimitiveDateTime, Time, UtcOffset};

use super::dto::HeaderOut;
use super::{header, local_time};
use crate::core::{Core, State, current_report, millis, offset_of};
use crate::error::{ApiError, ErrorCode};
use crate::journal::period::{SeqSpan, ShiftSpan, add_shift, shifts_in, span_of};
use crate::journal::record::{
    LinkModePayload, OfdAnswerPayload, RegistrationPayload, SettingsPayload, ZReportPayload,
};
use crate::journal::report::{
    CashierTotals, SectionReportRow, ShiftReport, by_cashier_in, by_section_in,
};
use crate::users::Caller;

/// A period of whole days in the register's time zone, both ends included.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PeriodIn {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`, inclusive.
    pub to: String,
}

/// Where a period begins and ends, as Unix milliseconds `[start, end)`.
pub(crate) fn period_bounds(
    from: &str,
    to: &str,
    offset: UtcOffset,
) -> Result<(i64, i64), ApiError> {
    let (from, to) = (parse_day(from)?, parse_day(to)?);
    if to < from {
        return Err(ApiError::validation(
            "the period ends before it begins: put the earlier day first",
        ));
    }
    let start = PrimitiveDateTime::new(from, Time::MIDNIGHT).assume_offset(offset);
    // The day after `to`, checked: the last day the calendar has would overflow.
    let after = to.next_day().ok_or_else(|| {
        ApiError::validation(format!("{to} is too far in the future: give a real day"))
    })?;
    let end = PrimitiveDateTime::new(after, Time::MIDNIGHT).assume_offset(offset);
    Ok((millis(start), millis(end)))
}

fn parse_day(text: &str) -> Result<Date, ApiError> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).map_err(|_| {
        ApiError::validation(format!("'{text}' is not a date: write it as YYYY-MM-DD"))
    })
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PeriodShiftRow {
    pub shift_no: i64,
    /// The Z number (four digits and more, R-120); none while the shift is open.
    pub z_number: Option<String>,
    pub opened_at: String,
    pub closed_at: Option<String>,
    /// Receipts of every operation.
    pub receipts: i64,
    pub revenue_tiyn: i64,
    pub cash_tiyn: i64,
    /// The Z report's checksums; none while the shift is open.
    pub shift_checksum: Option<String>,
    pub total_checksum: Option<String>,
}

/// A registration or a change of the registration data (R-88 items 8–9).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct RegistrationRow {
    pub at: String,
    /// registration, or settings for a later change.
    pub kind: String,
    pub changed: Vec<String>,
    pub rnm: String,
    pub kkm_id: String,
    pub factory_number: String,
    pub bin: String,
    pub org_name: String,
    pub address: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PeriodReportOut {
    pub header: HeaderOut,
    pub from: String,
    pub to: String,
    pub taken_at: String,
    /// Who took the report (R-88 item 1).
    pub taken_by: String,
    pub shifts: Vec<PeriodShiftRow>,
    /// The period's totals: the sum of its shifts' Z reports (and of the open shift's X).
    pub totals: ShiftReport,
    /// First and last fiscal document number in the period (R-88 item 3).
    pub first_doc_no: Option<i64>,
    pub last_doc_no: Option<i64>,
    /// The registration and every change of its data up to the period's end.
    pub registrations: Vec<RegistrationRow>,
}

pub fn report(core: &Core, caller: &Caller, input: PeriodIn) -> Result<PeriodReportOut, ApiError> {
    let now_ms = millis(core.now());
    let st = core.lock_fresh()?;
    let conn = st.store.conn();
    let offset = offset_of(&st.settings);
    let (start, end) = period_bounds(&input.from, &input.to, offset)?;
    let shifts = shifts_in(conn, start, end, now_ms)?;
    let mut totals = ShiftReport {
        taken_at: now_ms,
        ..ShiftReport::default()
    };
    let mut rows = Vec::with_capacity(shifts.len());
    let mut z_numbers = Vec::new();
    for (i, shift) in shifts.iter().enumerate() {
        let (report, z) = match shift.closed_seq {
            Some(seq) => {
                let record = st.store.get(seq)?.ok_or_else(|| missing_z(shift))?;
                let z: ZReportPayload = record.decode()?;
                (z.report.clone(), Some(z))
            }
            None => (current_report(conn, now_ms)?, None),
        };
        add_shift(&mut totals, &report, i == 0);
        z_numbers.extend(z.as_ref().map(|z| z.doc_no));
        rows.push(PeriodShiftRow {
            shift_no: shift.shift_no,
            z_number: z.as_ref().map(|z| format!("{:04}", z.shift_no)),
            opened_at: local_time(shift.opened_at, offset),
            closed_at: shift.closed_at.map(|t| local_time(t, offset)),
            receipts: report.tickets.iter().map(|t| t.count).sum(),
            revenue_tiyn: report.revenue,
            cash_tiyn: report.cash_sum,
            shift_checksum: z.as_ref().map(|z| z.shift_checksum.clone()),
            total_checksum: z.map(|z| z.total_checksum),
        });
    }
    // Receipts and cash slips are in the small `doc` table; the other documents of a
    // period are its Z reports, already read. The journal itself (payloads and all) is
    // not scanned.
    let (first_doc, last_doc): (Option<i64>, Option<i64>) = match span_of(&shifts) {
        Some(span) => conn.query_row(
            "SELECT min(doc_no), max(doc_no) FROM doc WHERE seq > ?1 AND seq <= ?2",
            params![span.after, span.through],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        None => (None, None),
    };
    let first_doc_no = first_doc.into_iter().chain(z_numbers.iter().copied()).min();
    let last_doc_no = last_doc.into_iter().chain(z_numbers.iter().copied()).max();
    Ok(PeriodReportOut {
        header: header(&st.settings),
        from: input.from,
        to: input.to,
        taken_at: local_time(now_ms, offset),
        taken_by: caller.name.clone(),
        shifts: rows,
        totals,
        first_doc_no,
        last_doc_no,
        registrations: registrations(conn, end, offset)?,
    })
}

fn missing_z(shift: &ShiftSpan) -> ApiError {
    ApiError::new(
        ErrorCode::Storage,
        format!(
            "the Z report of shift {} is missing from the journal: run the integrity check",
            shift.shift_no
        ),
    )
}

fn registrations(
    conn: &rusqlite::Connection,
    before_ms: i64,
    offset: UtcOffset,
) -> Result<Vec<RegistrationRow>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, created_at, payload FROM journal
         WHERE kind IN ('registration', 'settings') AND kind NOT IN ('receipt', 'cash')
           AND created_at < ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query(params![before_ms])?;
    let mut out: Vec<RegistrationRow> = Vec::new();
    while let Some(row) = rows.next()? {
        let kind: String = row.get(0)?;
        let payload: Vec<u8> = row.get(2)?;
        let (settings, changed) = if kind == "registration" {
            let p: RegistrationPayload = decode(&payload)?;
            (p.settings, Vec::new())
        } else {
            let p: SettingsPayload = decode(&payload)?;
            (p.settings, p.changed)
        };
        const IDENTITY: [&str; 6] = [
            "rnm",
            "kkm_id",
            "factory_number",
            "bin",
            "org_name",
            "address",
        ];
        if kind == "settings" && !changed.iter().any(|c| IDENTITY.contains(&c.as_str())) {
            continue;
        }
        out.push(RegistrationRow {
            at: local_time(row.get(1)?, offset),
            kind,
            changed,
            rnm: settings.rnm,
            kkm_id: settings.kkm_id,
            factory_number: settings.factory_number,
            bin: settings.bin,
            org_name: settings.org_name,
            address: settings.address,
        });
    }
    Ok(out)
}

fn decode<T: serde::de::DeserializeOwned>(payload: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(payload).map_err(|e| {
        ApiError::new(
            ErrorCode::Storage,
            format!("a journal record cannot be read ({e}): run the integrity check"),
        )
    })
}

/// The span of records a period's shifts cover, with the shifts' first and last
/// numbers; none when the period holds no shift.
fn period_span(
    st: &State,
    input: &PeriodIn,
    now_ms: i64,
) -> Result<Option<(SeqSpan, i64, i64)>, ApiError> {
    let (start, end) = period_bounds(&input.from, &input.to, offset_of(&st.settings))?;
    let shifts = shifts_in(st.store.conn(), start, end, now_ms)?;
    Ok(span_of(&shifts).map(|span| {
        let first = shifts.first().map_or(0, |s| s.shift_no);
        let last = shifts.last().map_or(0, |s| s.shift_no);
        (span, first, last)
    }))
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PeriodCashiersOut {
    pub header: HeaderOut,
    pub first_shift: Option<i64>,
    pub last_shift: Option<i64>,
    pub cashiers: Vec<CashierTotals>,
}

pub fn by_cashier(
    core: &Core,
    _caller: &Caller,
    input: PeriodIn,
) -> Result<PeriodCashiersOut, ApiError> {
    let r = rows_over(core, &input, by_cashier_in)?;
    Ok(PeriodCashiersOut {
        header: r.header,
        first_shift: r.first_shift,
        last_shift: r.last_shift,
        cashiers: r.rows,
    })
}

/// A report's rows over a period, with what every period report heads with.
struct PeriodRows<T> {
    header: HeaderOut,
    first_shift: Option<i64>,
    last_shift: Option<i64>,
    rows: Vec<T>,
}

/// `read`'s rows over the period's records (none for a period without shifts).
fn rows_over<T>(
    core: &Core,
    input: &PeriodIn,
    read: impl Fn(&rusqlite::Connection, SeqSpan) -> rusqlite::Result<Vec<T>>,
) -> Result<PeriodRows<T>, ApiError> {
    let now_ms = millis(core.now());
    let st = core.lock_fresh()?;
    let span = period_span(&st, input, now_ms)?;
    let rows = match span {
        Some((span, ..)) => read(st.store.conn(), span)?,
        None => Vec::new(),
    };
    Ok(PeriodRows {
        header: header(&st.settings),
        first_shift: span.map(|s| s.1),
        last_shift: span.map(|s| s.2),
        rows,
    })
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PeriodSectionsOut {
    pub header: HeaderOut,
    pub first_shift: Option<i64>,
    pub last_shift: Option<i64>,
    pub sections: Vec<SectionReportRow>,
}

pub fn by_section(
    core: &Core,
    _caller: &Caller,
    input: PeriodIn,
) -> Result<PeriodSectionsOut, ApiError> {
    let r = rows_over(core, &input, by_section_in)?;
    Ok(PeriodSectionsOut {
        header: r.header,
        first_shift: r.first_shift,
        last_shift: r.last_shift,
        sections: r.rows,
    })
}

/// A stretch of autonomous mode (R-58…R-66) and how far its documents were replayed.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct AutonomousPeriodRow {
    pub began_at: String,
    /// None while the register is still autonomous (or blocked since).
    pub ended_at: Option<String>,
    /// Why the link was lost, as the register recorded it.
    pub reason: String,
    /// Documents queued with the register's own fiscal sign during the stretch.
    pub documents: i64,
    /// Of those, the ones the operator has since accepted.
    pub replayed: i64,
}

pub fn autonomous(
    core: &Core,
    _caller: &Caller,
    input: PeriodIn,
) -> Result<Vec<AutonomousPeriodRow>, ApiError> {
    let now_ms = millis(core.now());
    let st = core.lock_fresh()?;
    let Some((span, ..)) = period_span(&st, &input, now_ms)? else {
        return Ok(Vec::new());
    };
    let conn = st.store.conn();
    let offset = offset_of(&st.settings);
    // The mode records of the span, and the last one before it: the period may begin
    // in the middle of an autonomous stretch.
    let mut stmt = conn.prepare_cached(
        "SELECT seq, payload FROM journal WHERE kind = 'link_mode' AND kind NOT IN ('receipt', 'cash')
           AND seq > ?1 AND seq <= ?2
         UNION ALL
         SELECT * FROM (SELECT seq, payload FROM journal WHERE kind = 'link_mode'
                          AND kind NOT IN ('receipt', 'cash') AND seq <= ?1
                        ORDER BY seq DESC LIMIT 1)
         ORDER BY seq",
    )?;
    let mut modes: Vec<(i64, LinkModePayload)> = Vec::new();
    let mut rows = stmt.query(params![span.after, span.through])?;
    while let Some(row) = rows.next()? {
        modes.push((row.get(0)?, decode(&row.get::<_, Vec<u8>>(1)?)?));
    }
    let mut out = Vec::new();
    // A stretch's documents lie between the mode records around it: the first one was
    // made before the register knew the operator would not answer.
    let mut open: Option<(i64, &LinkModePayload)> = None;
    let mut boundary = span.after;
    let mut close = |after: i64, began: &LinkModePayload, ended: Option<(i64, i64)>| {
        let through = ended.map_or(span.through, |(seq, _)| seq);
        let (documents, replayed): (i64, i64) = conn.query_row(
            // Replayed means accepted with a fiscal sign: a document a person removed
            // from the queue is answered but never reached the operator (spec §1.11).
            "SELECT count(*), coalesce(sum(fiscal_sign IS NOT NULL), 0) FROM doc_fiscal
             WHERE queued = 1 AND doc_seq > ?1 AND doc_seq <= ?2",
            params![after.max(span.after), through],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        out.push(AutonomousPeriodRow {
            began_at: local_time(began.since, offset),
            ended_at: ended.map(|(_, at)| local_time(at, offset)),
            reason: began.reason.clone(),
            documents,
            replayed,
        });
        Ok::<(), ApiError>(())
    };
    for (seq, mode) in &modes {
        match (mode.mode.as_str(), open) {
            ("autonomous", None) => open = Some((boundary, mode)),
            ("online", Some((after, began))) => {
                close(after, began, Some((*seq, mode.since)))?;
                open = None;
            }
            _ => {}
        }
        if mode.mode == "online" {
            boundary = *seq;
        }
    }
    if let Some((after, began)) = open {
        close(after, began, None)?;
    }
    Ok(out)
}

/// A text the operator or the tax authority sent the register (item 96, R-50).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct OperatorMessageRow {
    pub at: String,
    /// The document whose answer carried it, if any.
    pub doc_no: Option<i64>,
    pub text: String,
}

pub fn operator_messages(
    core: &Core,
    _caller: &Caller,
    input: PeriodIn,
) -> Result<Vec<OperatorMessageRow>, ApiError> {
    let now_ms = millis(core.now());
    let st = core.lock_fresh()?;
    let Some((span, ..)) = period_span(&st, &input, now_ms)? else {
        return Ok(Vec::new());
    };
    let conn = st.store.conn();
    let offset = offset_of(&st.settings);
    // Nearly every answer carries no message; the canonical JSON lets SQLite skip those
    // without decoding them.
    let mut stmt = conn.prepare_cached(
        "SELECT created_at, payload FROM journal
         WHERE kind = 'ofd_answer' AND kind NOT IN ('receipt', 'cash') AND seq > ?1 AND seq <= ?2
           AND CAST(payload AS TEXT) NOT LIKE '%\"messages\":[]%'
         ORDER BY seq",
    )?;
    let mut rows = stmt.query(params![span.after, span.through])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let at: i64 = row.get(0)?;
        let answer: OfdAnswerPayload = decode(&row.get::<_, Vec<u8>>(1)?)?;
        let doc_no = match answer.doc_seq {
            Some(seq) => conn
                .query_row(
                    "SELECT doc_no FROM journal WHERE seq = ?1",
                    params![seq],
                    |r| r.get(0),
                )
                .optional()?
                .flatten(),
            None => None,
        };
        for text in answer.messages {
            out.push(OperatorMessageRow {
                at: local_time(at, offset),
                doc_no,
                text,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::period_bounds;
    use time::UtcOffset;

    /// A date typed by anyone is checked, never trusted: the last day of the calendar
    /// has no next day, and asking for it is a clear refusal, not a crash.
    #[test]
    fn the_last_day_of_the_calendar_is_refused_not_a_panic() {
        let err = period_bounds("2026-01-01", "9999-12-31", UtcOffset::UTC).expect_err("refused");
        assert!(err.message.contains("9999-12-31"), "{}", err.message);
        let (start, end) =
            period_bounds("2026-11-23", "2026-11-23", UtcOffset::UTC).expect("a day");
        assert_eq!(end - start, 86_400_000);
    }
}

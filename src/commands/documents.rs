//! `document_list`: the documents of a shift for the journal screen (receipts, returns,
//! purchases, cash in and out), newest first, each with its number, time, cashier,
//! total and the sign it got, and a search by document number, fiscal sign or amount,
//! so a manager finds the receipt a buyer asks about and reprints or returns it.
//!
//! Reads the `doc` projection and the fiscal signs only; it never writes, and a
//! document's full content stays with `receipt_get`.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::local_time;
use super::period::period_bounds;
use super::shift::chosen_shift;
use crate::core::{Core, millis, offset_of};
use crate::domain::Money;
use crate::error::ApiError;
use crate::journal::period::{SeqSpan, shifts_in, span_of};
use crate::journal::report::operation_name;
use crate::users::Caller;

/// More than a busy shift's receipts, fewer than would slow the screen.
const DEFAULT_LIMIT: u32 = 500;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct DocumentListIn {
    /// The open shift (or the last closed one) when absent.
    pub shift: Option<i64>,
    /// A document number, a fiscal sign or an amount in tenge ("1250", "1 250,50").
    pub query: Option<String>,
    pub limit: Option<u32>,
    /// The inspector's search over a period (`YYYY-MM-DD`, both ends included, counted
    /// in whole shifts by their Z date): replaces `shift` when both are given.
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct DocumentRow {
    pub number: i64,
    /// sell, sell_return, buy, buy_return, deposit or withdrawal.
    pub kind: String,
    pub created_at: String,
    pub cashier: String,
    pub total_tiyn: i64,
    /// The operator's fiscal sign, or the register's own while autonomous.
    pub fiscal_sign: Option<String>,
    pub autonomous: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct DocumentListOut {
    /// The shift listed; with a period, its last shift (0 for a period without shifts).
    pub shift: i64,
    pub documents: Vec<DocumentRow>,
    /// True when the limit cut the list: narrow the search.
    pub more: bool,
}

pub fn list(
    core: &Core,
    _caller: &Caller,
    input: DocumentListIn,
) -> Result<DocumentListOut, ApiError> {
    let now_ms = millis(core.now());
    let st = core.lock_fresh()?;
    let conn = st.store.conn();
    let offset = offset_of(&st.settings);
    // The records to look through: one shift's, or a period's whole shifts.
    let (shift, span) = match (&input.from, &input.to) {
        (Some(from), Some(to)) => {
            let (start, end) = period_bounds(from, to, offset)?;
            let shifts = shifts_in(conn, start, end, now_ms)?;
            let last = shifts.last().map_or(0, |s| s.shift_no);
            (last, span_of(&shifts))
        }
        _ => {
            let shift = chosen_shift(conn, input.shift)?;
            (shift, shift_span(conn, shift)?)
        }
    };
    let query = input.query.as_deref().map(str::trim).unwrap_or("");
    let amount = Money::parse_tenge(query).ok().map(Money::tiyn);
    let limit = input.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, 5_000) as usize;
    let Some(span) = span else {
        return Ok(DocumentListOut {
            shift,
            documents: Vec::new(),
            more: false,
        });
    };
    let mut stmt = conn.prepare_cached(
        "SELECT d.doc_no, d.kind, d.operation, d.cashier_name, d.total, d.created_at,
                f.fiscal_sign, f.autonomous_sign
         FROM doc d LEFT JOIN doc_fiscal f ON f.doc_seq = d.seq
         WHERE d.seq > ?1 AND d.seq <= ?2 ORDER BY d.seq DESC",
    )?;
    let mut rows = stmt.query(params![span.after, span.through])?;
    let mut documents = Vec::new();
    let mut more = false;
    while let Some(row) = rows.next()? {
        let number: i64 = row.get(0)?;
        let kind: String = row.get(1)?;
        let operation: Option<i64> = row.get(2)?;
        let total: i64 = row.get(4)?;
        let operator_sign: Option<String> = row.get(6)?;
        let autonomous_sign: Option<i64> = row.get(7)?;
        let fiscal_sign = operator_sign
            .clone()
            .or_else(|| autonomous_sign.map(|s| s.to_string()));
        let wanted = query.is_empty()
            || number.to_string() == query
            || fiscal_sign.as_deref() == Some(query)
            || amount == Some(total);
        if !wanted {
            continue;
        }
        if documents.len() == limit {
            more = true;
            break;
        }
        documents.push(DocumentRow {
            number,
            kind: match (kind.as_str(), operation) {
                ("receipt", Some(op)) => u8::try_from(op).map_or("unknown", operation_name),
                (other, _) => other,
            }
            .to_string(),
            created_at: local_time(row.get(5)?, offset),
            cashier: row.get(3)?,
            total_tiyn: total,
            autonomous: operator_sign.is_none() && autonomous_sign.is_some(),
            fiscal_sign,
        });
    }
    Ok(DocumentListOut {
        shift,
        documents,
        more,
    })
}

/// The records of one shift: after the previous shift's Z, through its own.
fn shift_span(conn: &rusqlite::Connection, shift: i64) -> Result<Option<SeqSpan>, ApiError> {
    let span = conn.query_row(
        "SELECT coalesce((SELECT closed_seq FROM shift WHERE shift_no = ?1 - 1), 0),
                coalesce(closed_seq, 9223372036854775807)
         FROM shift WHERE shift_no = ?1",
        params![shift],
        |r| {
            Ok(SeqSpan {
                after: r.get(0)?,
                through: r.get(1)?,
            })
        },
    );
    match span {
        Ok(span) => Ok(Some(span)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

//! X and Z reports, and the reports by cashier and by section (R-16… ),
//! computed from the journal's projections with indexed aggregates.
//!
//! The shift report mirrors the operator protocol's `ZXReport` (section 3.5 of the
//! protocol spec) so the link can send it as is: one row per operation in every list,
//! zeros included; counters since registration carried from the previous Z report.
//! Read-only: nothing here writes.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::period::SeqSpan;
use crate::domain::{Operation, PaymentKind};

/// Protocol operation codes in the order the protocol lists them.
pub const OPERATION_CODES: [u8; 4] = [0, 1, 2, 3];

/// Selects the rows of shift `?1` by their range of `seq`: every record of a shift
/// comes after the previous shift's Z and no later than its own Z, so the primary key
/// finds them without a per-shift index (migration 0004). The range starts after the
/// previous Z rather than at `opened_seq` because the integrity check journaled at
/// shift open precedes the `shift_open` record.
macro_rules! in_shift {
    () => {
        "seq > coalesce((SELECT closed_seq FROM shift WHERE shift_no = ?1 - 1), 0)
         AND seq <= coalesce((SELECT closed_seq FROM shift WHERE shift_no = ?1), 9223372036854775807)
         AND shift_no = ?1"
    };
}
pub(crate) use in_shift;

pub fn operation_name(code: u8) -> &'static str {
    match code {
        0 => "buy",
        1 => "buy_return",
        2 => "sell",
        3 => "sell_return",
        _ => "unknown",
    }
}

pub fn payment_name(kind: PaymentKind) -> &'static str {
    match kind {
        PaymentKind::Cash => "cash",
        PaymentKind::Card => "card",
        PaymentKind::Mobile => "mobile",
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct OperationSum {
    pub operation: u8,
    pub count: i64,
    pub sum: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct SectionTotals {
    pub section: String,
    pub operations: Vec<OperationSum>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct TaxOperation {
    pub operation: u8,
    pub turnover: i64,
    pub vat: i64,
    pub turnover_without_tax: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct TaxTotals {
    pub rate: u32,
    pub operations: Vec<TaxOperation>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PaymentTotals {
    pub kind: String,
    pub count: i64,
    pub sum: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct TicketTotals {
    pub operation: u8,
    /// Receipts of this operation since registration.
    pub total_count: i64,
    pub count: i64,
    pub sum: i64,
    pub payments: Vec<PaymentTotals>,
    pub offline_count: i64,
    pub discount_sum: i64,
    pub markup_sum: i64,
    pub change_sum: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PlacementTotals {
    /// deposit or withdrawal.
    pub direction: String,
    pub total_count: i64,
    pub count: i64,
    pub sum: i64,
    pub offline_count: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct NonNullableSum {
    pub operation: u8,
    pub sum: i64,
}

/// The X or Z report of one shift.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ShiftReport {
    pub shift_no: i64,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub taken_at: i64,
    /// Goods per operation before discounts and markups (count = positions).
    pub operations: Vec<OperationSum>,
    pub discounts: Vec<OperationSum>,
    pub markups: Vec<OperationSum>,
    /// Goods − discounts + markups per operation.
    pub total_result: Vec<OperationSum>,
    pub sections: Vec<SectionTotals>,
    pub taxes: Vec<TaxTotals>,
    pub tickets: Vec<TicketTotals>,
    pub money_placements: Vec<PlacementTotals>,
    pub start_non_nullable: Vec<NonNullableSum>,
    pub non_nullable: Vec<NonNullableSum>,
    pub cash_at_start: i64,
    /// Cash in the drawer now: start + cash flows of the shift.
    pub cash_sum: i64,
    /// Sales and purchase returns minus purchases and sale returns; may be negative.
    pub revenue: i64,
}

impl ShiftReport {
    pub fn ticket(&self, operation: Operation) -> Option<&TicketTotals> {
        self.tickets
            .iter()
            .find(|t| t.operation == operation.code())
    }

    pub fn placement(&self, direction: &str) -> Option<&PlacementTotals> {
        self.money_placements
            .iter()
            .find(|p| p.direction == direction)
    }
}

fn zero_rows() -> Vec<OperationSum> {
    OPERATION_CODES
        .iter()
        .map(|&operation| OperationSum {
            operation,
            ..OperationSum::default()
        })
        .collect()
}

/// Computes the report of `shift_no` from the projections. `previous` is the last Z
/// report before this shift (none for the first shift).
pub fn shift_report(
    conn: &Connection,
    shift_no: i64,
    opened_at: Option<i64>,
    taken_at: i64,
    previous: Option<&ShiftReport>,
) -> rusqlite::Result<ShiftReport> {
    let mut report = ShiftReport {
        shift_no,
        opened_at,
        closed_at: None,
        taken_at,
        operations: zero_rows(),
        discounts: zero_rows(),
        markups: zero_rows(),
        total_result: zero_rows(),
        ..ShiftReport::default()
    };
    add_lines(conn, shift_no, &mut report)?;
    add_documents(conn, shift_no, previous, &mut report)?;
    carry_totals(previous, &mut report);
    Ok(report)
}

/// Goods, discounts, sections and taxes from one pass over the shift's lines, summed
/// here: SQLite's `GROUP BY` sorts every line through a temporary b-tree, which made
/// this three times slower on a 10,000-receipt shift (README "Performance").
fn add_lines(conn: &Connection, shift_no: i64, r: &mut ShiftReport) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT operation, section, vat_rate, gross, discount, markup, amount, vat
         FROM doc_line WHERE ",
        in_shift!()
    ))?;
    // Byte order of the section name, as SQLite's BINARY collation sorts it.
    let mut sections: BTreeMap<String, Vec<OperationSum>> = BTreeMap::new();
    let mut taxes: BTreeMap<u32, Vec<TaxOperation>> = BTreeMap::new();
    let mut rows = stmt.query(params![shift_no])?;
    while let Some(row) = rows.next()? {
        let op: i64 = row.get(0)?;
        let Some(i) = OPERATION_CODES.iter().position(|&c| c as i64 == op) else {
            continue;
        };
        let section = row.get_ref(1)?.as_str()?;
        let rate: Option<i64> = row.get(2)?;
        let gross: i64 = row.get(3)?;
        let discount: i64 = row.get(4)?;
        let markup: i64 = row.get(5)?;
        let amount: i64 = row.get(6)?;
        r.operations[i].count += 1;
        r.operations[i].sum += gross;
        r.discounts[i].count += i64::from(discount > 0);
        r.discounts[i].sum += discount;
        r.markups[i].count += i64::from(markup > 0);
        r.markups[i].sum += markup;
        r.total_result[i].count += 1;
        r.total_result[i].sum += amount;
        let per_section = match sections.get_mut(section) {
            Some(s) => s,
            None => sections
                .entry(section.to_string())
                .or_insert_with(zero_rows),
        };
        per_section[i].count += 1;
        per_section[i].sum += gross;
        if let Some(rate) = rate {
            let t = &mut taxes.entry(rate as u32).or_insert_with(|| {
                OPERATION_CODES
                    .iter()
                    .map(|&operation| TaxOperation {
                        operation,
                        ..TaxOperation::default()
                    })
                    .collect()
            })[i];
            let vat: i64 = row.get(7)?;
            t.turnover += amount;
            t.vat += vat;
            t.turnover_without_tax += amount - vat;
        }
    }
    r.sections = sections
        .into_iter()
        .map(|(section, operations)| SectionTotals {
            section,
            operations,
        })
        .collect();
    r.taxes = taxes
        .into_iter()
        .map(|(rate, operations)| TaxTotals { rate, operations })
        .collect();
    Ok(())
}

/// Receipts by operation and payment, and cash deposits and withdrawals, from one pass
/// over the shift's documents.
fn add_documents(
    conn: &Connection,
    shift_no: i64,
    previous: Option<&ShiftReport>,
    r: &mut ShiftReport,
) -> rusqlite::Result<()> {
    r.tickets = OPERATION_CODES
        .iter()
        .map(|&operation| TicketTotals {
            operation,
            total_count: previous
                .and_then(|p| p.tickets.iter().find(|t| t.operation == operation))
                .map_or(0, |t| t.total_count),
            payments: PaymentKind::ALL
                .iter()
                .map(|&k| PaymentTotals {
                    kind: payment_name(k).to_string(),
                    ..PaymentTotals::default()
                })
                .collect(),
            ..TicketTotals::default()
        })
        .collect();
    r.money_placements = ["deposit", "withdrawal"]
        .iter()
        .map(|d| PlacementTotals {
            direction: d.to_string(),
            total_count: previous
                .and_then(|p| p.placement(d))
                .map_or(0, |p| p.total_count),
            ..PlacementTotals::default()
        })
        .collect();
    // Summed here rather than by `GROUP BY`, for the reason given at `add_lines`.
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT kind, coalesce(operation, -1), total, cash, card, mobile, offline,
                discount, markup, change_given
         FROM doc WHERE ",
        in_shift!(),
        " AND kind IN ('receipt', 'deposit', 'withdrawal')"
    ))?;
    let mut rows = stmt.query(params![shift_no])?;
    while let Some(row) = rows.next()? {
        let total: i64 = row.get(2)?;
        let offline = i64::from(row.get::<_, i64>(6)? != 0);
        let kind = row.get_ref(0)?.as_str()?;
        if kind != "receipt" {
            let p = &mut r.money_placements[usize::from(kind == "withdrawal")];
            p.count += 1;
            p.sum += total;
            p.offline_count += offline;
            continue;
        }
        let op: i64 = row.get(1)?;
        let Some(i) = OPERATION_CODES.iter().position(|&c| c as i64 == op) else {
            continue;
        };
        let t = &mut r.tickets[i];
        t.count += 1;
        t.sum += total;
        let change: i64 = row.get(9)?;
        for (j, col) in [(0, 3), (1, 4), (2, 5)] {
            // Cash counts net of the change, as each receipt sends its cash payment to
            // the operator (link/message/ticket.rs), whose Z adds up those entries
            // (spec §3.5): the two Z reports then agree, and the printed "cash" line
            // is what stayed in the drawer, not what the buyers handed over.
            let paid: i64 = row.get::<_, i64>(col)? - if j == 0 { change } else { 0 };
            t.payments[j].sum += paid;
            t.payments[j].count += i64::from(paid > 0);
        }
        t.offline_count += offline;
        t.discount_sum += row.get::<_, i64>(7)?;
        t.markup_sum += row.get::<_, i64>(8)?;
        t.change_sum += change;
    }
    for (t, &code) in r.tickets.iter_mut().zip(OPERATION_CODES.iter()) {
        t.total_count += t.count;
        let operation = Operation::from_code(code as i64).unwrap_or(Operation::Sell);
        let net_cash = t.payments[0].sum;
        r.cash_sum += operation.cash_direction() * net_cash;
        r.revenue += operation.cash_direction() * t.sum;
    }
    for (i, p) in r.money_placements.iter_mut().enumerate() {
        p.total_count += p.count;
        r.cash_sum += if i == 0 { p.sum } else { -p.sum };
    }
    Ok(())
}

fn carry_totals(previous: Option<&ShiftReport>, r: &mut ShiftReport) {
    r.cash_at_start = previous.map_or(0, |p| p.cash_sum);
    r.cash_sum += r.cash_at_start;
    r.start_non_nullable = OPERATION_CODES
        .iter()
        .map(|&operation| NonNullableSum {
            operation,
            sum: previous
                .and_then(|p| p.non_nullable.iter().find(|n| n.operation == operation))
                .map_or(0, |n| n.sum),
        })
        .collect();
    r.non_nullable = r
        .start_non_nullable
        .iter()
        .map(|start| NonNullableSum {
            operation: start.operation,
            sum: start.sum
                + r.tickets
                    .iter()
                    .find(|t| t.operation == start.operation)
                    .map_or(0, |t| t.sum),
        })
        .collect();
}

/// One cashier's work in a shift (R-16.2; content per reading A-54).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct CashierTotals {
    pub cashier_id: i64,
    pub name: String,
    pub receipts: Vec<OperationSum>,
    pub cash: i64,
    pub card: i64,
    pub mobile: i64,
    pub deposits: i64,
    pub withdrawals: i64,
}

macro_rules! cashier_select {
    ($where:expr) => {
        concat!(
            "SELECT cashier_id, cashier_name, kind, coalesce(operation, -1), count(*), sum(total),
                    sum(cash - change_given), sum(card), sum(mobile)
             FROM doc WHERE ",
            $where,
            " GROUP BY cashier_id, kind, operation ORDER BY cashier_id"
        )
    };
}

pub fn by_cashier(conn: &Connection, shift_no: i64) -> rusqlite::Result<Vec<CashierTotals>> {
    let mut stmt = conn.prepare_cached(cashier_select!(in_shift!()))?;
    fold_cashiers(stmt.query(params![shift_no])?)
}

/// Each cashier's work over a run of shifts (the inspector's period, R-85).
pub fn by_cashier_in(conn: &Connection, span: SeqSpan) -> rusqlite::Result<Vec<CashierTotals>> {
    let mut stmt = conn.prepare_cached(cashier_select!("seq > ?1 AND seq <= ?2"))?;
    fold_cashiers(stmt.query(params![span.after, span.through])?)
}

fn fold_cashiers(mut rows: rusqlite::Rows<'_>) -> rusqlite::Result<Vec<CashierTotals>> {
    let mut out: Vec<CashierTotals> = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if out.last().map(|c| c.cashier_id) != Some(id) {
            out.push(CashierTotals {
                cashier_id: id,
                name: row.get(1)?,
                receipts: zero_rows(),
                ..CashierTotals::default()
            });
        }
        let Some(c) = out.last_mut() else { continue };
        let kind: String = row.get(2)?;
        let sum: i64 = row.get(5)?;
        match kind.as_str() {
            "deposit" => c.deposits += sum,
            "withdrawal" => c.withdrawals += sum,
            _ => {
                let op: i64 = row.get(3)?;
                let direction = Operation::from_code(op).map_or(1, |o| o.cash_direction());
                if let Some(i) = OPERATION_CODES.iter().position(|&x| x as i64 == op) {
                    c.receipts[i].count += row.get::<_, i64>(4)?;
                    c.receipts[i].sum += sum;
                }
                c.cash += direction * row.get::<_, i64>(6)?;
                c.card += direction * row.get::<_, i64>(7)?;
                c.mobile += direction * row.get::<_, i64>(8)?;
            }
        }
    }
    Ok(out)
}

/// One section's (department's) sales in a shift (R-16.3; content per reading A-54).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct SectionReportRow {
    pub section: String,
    pub operation: u8,
    pub positions: i64,
    pub gross: i64,
    pub discount: i64,
    pub markup: i64,
    pub amount: i64,
    pub vat: i64,
}

macro_rules! section_select {
    ($where:expr) => {
        concat!(
            "SELECT section, operation, count(*), sum(gross), sum(discount), sum(markup),
                    sum(amount), sum(vat)
             FROM doc_line WHERE ",
            $where,
            " GROUP BY section, operation ORDER BY section, operation"
        )
    };
}

pub fn by_section(conn: &Connection, shift_no: i64) -> rusqlite::Result<Vec<SectionReportRow>> {
    let mut stmt = conn.prepare_cached(section_select!(in_shift!()))?;
    fold_sections(stmt.query(params![shift_no])?)
}

/// Each section's sales over a run of shifts (the inspector's period, R-85).
pub fn by_section_in(conn: &Connection, span: SeqSpan) -> rusqlite::Result<Vec<SectionReportRow>> {
    let mut stmt = conn.prepare_cached(section_select!("seq > ?1 AND seq <= ?2"))?;
    fold_sections(stmt.query(params![span.after, span.through])?)
}

fn fold_sections(rows: rusqlite::Rows<'_>) -> rusqlite::Result<Vec<SectionReportRow>> {
    let rows = rows.mapped(|row| {
        Ok(SectionReportRow {
            section: row.get(0)?,
            operation: row.get::<_, i64>(1)? as u8,
            positions: row.get(2)?,
            gross: row.get(3)?,
            discount: row.get(4)?,
            markup: row.get(5)?,
            amount: row.get(6)?,
            vat: row.get(7)?,
        })
    });
    rows.collect()
}

//! A register's operations over a period: which shifts the period holds,
//! the span of journal records they cover, and the period's totals summed from the
//! shifts' own Z reports, so the period report always agrees with the Z reports an
//! inspector can print one by one.
//!
//! A period is counted in whole shifts: a shift belongs to the period its Z report was
//! taken in, and the open shift to the period holding "now", as the K0 fiscal-memory
//! report counts by shift closings (R-88 item 10, R-123; the spec leaves the АБК's
//! layout open). Read-only: nothing here writes.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};

use super::report::{
    OperationSum, PaymentTotals, PlacementTotals, SectionTotals, ShiftReport, TaxOperation,
    TaxTotals, TicketTotals,
};

/// One shift of a period, as the `shift` projection has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShiftSpan {
    pub shift_no: i64,
    pub opened_at: i64,
    pub opened_seq: i64,
    /// None while the shift is open.
    pub closed_seq: Option<i64>,
    pub closed_at: Option<i64>,
    /// The Z report of the shift before: this shift's records come after it.
    pub after_seq: i64,
}

/// Records with `after < seq <= through`: what a run of shifts covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeqSpan {
    pub after: i64,
    pub through: i64,
}

/// The shifts whose Z falls in `[start_ms, end_ms)`, and the open shift when `now_ms`
/// does, oldest first. The shift table has one row a day, so a scan is cheap.
pub fn shifts_in(
    conn: &Connection,
    start_ms: i64,
    end_ms: i64,
    now_ms: i64,
) -> rusqlite::Result<Vec<ShiftSpan>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.shift_no, s.opened_at, s.opened_seq, s.closed_seq, s.closed_at,
                coalesce((SELECT p.closed_seq FROM shift p WHERE p.shift_no = s.shift_no - 1), 0)
         FROM shift s
         WHERE (s.closed_at >= ?1 AND s.closed_at < ?2)
            OR (s.closed_at IS NULL AND ?3 >= ?1 AND ?3 < ?2)
         ORDER BY s.shift_no",
    )?;
    let rows = stmt.query_map(params![start_ms, end_ms, now_ms], |r| {
        Ok(ShiftSpan {
            shift_no: r.get(0)?,
            opened_at: r.get(1)?,
            opened_seq: r.get(2)?,
            closed_seq: r.get(3)?,
            closed_at: r.get(4)?,
            after_seq: r.get(5)?,
        })
    })?;
    rows.collect()
}

/// The records the shifts cover; none for no shifts. Shifts are consecutive, so one
/// span from the first one's start to the last one's Z holds them all.
pub fn span_of(shifts: &[ShiftSpan]) -> Option<SeqSpan> {
    let first = shifts.first()?;
    let last = shifts.last()?;
    Some(SeqSpan {
        after: first.after_seq,
        through: last.closed_seq.unwrap_or(i64::MAX),
    })
}

/// Adds one shift's report to the period's. Counts and sums add up; the counters since
/// registration (`total_count`, non-nullable sums, cash in the drawer) are those at
/// the period's end, and the period starts with the first shift's opening state.
pub fn add_shift(period: &mut ShiftReport, shift: &ShiftReport, first: bool) {
    if first {
        period.opened_at = shift.opened_at;
        period.start_non_nullable = shift.start_non_nullable.clone();
        period.cash_at_start = shift.cash_at_start;
    }
    period.closed_at = shift.closed_at.or(period.closed_at);
    period.shift_no = shift.shift_no;
    add_sums(&mut period.operations, &shift.operations);
    add_sums(&mut period.discounts, &shift.discounts);
    add_sums(&mut period.markups, &shift.markups);
    add_sums(&mut period.total_result, &shift.total_result);
    for s in &shift.sections {
        match period.sections.iter_mut().find(|p| p.section == s.section) {
            Some(p) => add_sums(&mut p.operations, &s.operations),
            None => period.sections.push(SectionTotals::clone(s)),
        }
    }
    period.sections.sort_by(|a, b| a.section.cmp(&b.section));
    for t in &shift.taxes {
        match period.taxes.iter_mut().find(|p| p.rate == t.rate) {
            Some(p) => add_taxes(&mut p.operations, &t.operations),
            None => period.taxes.push(TaxTotals::clone(t)),
        }
    }
    period.taxes.sort_by_key(|t| t.rate);
    for t in &shift.tickets {
        match period
            .tickets
            .iter_mut()
            .find(|p| p.operation == t.operation)
        {
            Some(p) => add_ticket(p, t),
            None => period.tickets.push(TicketTotals::clone(t)),
        }
    }
    for m in &shift.money_placements {
        match period
            .money_placements
            .iter_mut()
            .find(|p| p.direction == m.direction)
        {
            Some(p) => add_placement(p, m),
            None => period.money_placements.push(PlacementTotals::clone(m)),
        }
    }
    period.non_nullable = shift.non_nullable.clone();
    period.cash_sum = shift.cash_sum;
    period.revenue += shift.revenue;
}

fn add_sums(into: &mut Vec<OperationSum>, from: &[OperationSum]) {
    for f in from {
        match into.iter_mut().find(|i| i.operation == f.operation) {
            Some(i) => {
                i.count += f.count;
                i.sum += f.sum;
            }
            None => into.push(f.clone()),
        }
    }
}

fn add_taxes(into: &mut Vec<TaxOperation>, from: &[TaxOperation]) {
    for f in from {
        match into.iter_mut().find(|i| i.operation == f.operation) {
            Some(i) => {
                i.turnover += f.turnover;
                i.vat += f.vat;
                i.turnover_without_tax += f.turnover_without_tax;
            }
            None => into.push(f.clone()),
        }
    }
}

fn add_ticket(into: &mut TicketTotals, from: &TicketTotals) {
    into.total_count = from.total_count;
    into.count += from.count;
    into.sum += from.sum;
    into.offline_count += from.offline_count;
    into.discount_sum += from.discount_sum;
    into.markup_sum += from.markup_sum;
    into.change_sum += from.change_sum;
    let mut payments: BTreeMap<String, PaymentTotals> = into
        .payments
        .drain(..)
        .map(|p| (p.kind.clone(), p))
        .collect();
    for p in &from.payments {
        let e = payments
            .entry(p.kind.clone())
            .or_insert_with(|| PaymentTotals {
                kind: p.kind.clone(),
                ..PaymentTotals::default()
            });
        e.count += p.count;
        e.sum += p.sum;
    }
    into.payments = payments.into_values().collect();
}

fn add_placement(into: &mut PlacementTotals, from: &PlacementTotals) {
    into.total_count = from.total_count;
    into.count += from.count;
    into.sum += from.sum;
    into.offline_count += from.offline_count;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(no: i64, sell: i64, cash: i64) -> ShiftReport {
        ShiftReport {
            shift_no: no,
            opened_at: Some(no * 1000),
            closed_at: Some(no * 1000 + 500),
            operations: vec![OperationSum {
                operation: 2,
                count: 1,
                sum: sell,
            }],
            tickets: vec![TicketTotals {
                operation: 2,
                total_count: no,
                count: 1,
                sum: sell,
                payments: vec![PaymentTotals {
                    kind: "cash".into(),
                    count: 1,
                    sum: sell,
                }],
                ..TicketTotals::default()
            }],
            taxes: vec![TaxTotals {
                rate: 12000,
                operations: vec![TaxOperation {
                    operation: 2,
                    turnover: sell,
                    vat: sell / 10,
                    turnover_without_tax: sell - sell / 10,
                }],
            }],
            cash_at_start: cash - sell,
            cash_sum: cash,
            revenue: sell,
            ..ShiftReport::default()
        }
    }

    #[test]
    fn a_period_adds_its_shifts_and_keeps_the_counters_at_its_end() {
        let mut period = ShiftReport::default();
        add_shift(&mut period, &shift(3, 1000, 5000), true);
        add_shift(&mut period, &shift(4, 2500, 7500), false);
        assert_eq!(period.operations[0].sum, 3500);
        assert_eq!(period.operations[0].count, 2);
        assert_eq!(period.revenue, 3500);
        assert_eq!(period.opened_at, Some(3000));
        assert_eq!(period.closed_at, Some(4500));
        assert_eq!(period.cash_at_start, 4000);
        assert_eq!(period.cash_sum, 7500);
        let t = &period.tickets[0];
        assert_eq!((t.count, t.sum, t.total_count), (2, 3500, 4));
        assert_eq!(t.payments[0].sum, 3500);
        assert_eq!(period.taxes[0].operations[0].vat, 350);
    }
}

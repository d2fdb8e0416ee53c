//! The shift report as the protocol's `ZXReport` (spec/ofd-protocol.md §3.5), shared by
//! the X report and the close-shift message.
//!
//! Every n = 4 list gets one row per operation and every n = 2 list one row per cash
//! direction, zeros included, in the protocol's order, whatever rows the report holds
//! (§3.5, §7 gap 14); every field 2.0.4 requires is filled. This module only converts
//! a finished report: it must not compute or correct any counter.

use sauda_ofd::v204;
use v204::zx_report as zx;

use super::{MessageError, local_date_time, money, money_of_magnitude};
use crate::domain::PaymentKind;
use crate::journal::record::Settings;
use crate::journal::report::{
    NonNullableSum, OPERATION_CODES, OperationSum, ShiftReport, TaxOperation, payment_name,
};

/// The cash directions in `MoneyPlacementEnum` order, as the report names them.
const DIRECTIONS: [(&str, v204::MoneyPlacementEnum); 2] = [
    ("deposit", v204::MoneyPlacementEnum::MoneyPlacementDeposit),
    (
        "withdrawal",
        v204::MoneyPlacementEnum::MoneyPlacementWithdrawal,
    ),
];

/// The report as `ZXReport`. Infallible for callers that only show or compare it: a
/// negative amount (other than revenue, which carries its sign) becomes zero and a
/// count beyond `u32` is capped. The senders use [`checked_zx_report`] instead, which
/// refuses such a report rather than send altered figures.
pub fn zx_report(report: &ShiftReport, ctx: &super::Context) -> v204::ZxReport {
    Conversion::default().run(report, ctx.settings)
}

pub(super) fn checked_zx_report(
    report: &ShiftReport,
    settings: &Settings,
) -> Result<v204::ZxReport, MessageError> {
    let mut conversion = Conversion::default();
    let zx = conversion.run(report, settings);
    match conversion.first_problem {
        Some(problem) => Err(problem),
        None => Ok(zx),
    }
}

/// Converts while remembering the first figure the protocol cannot carry.
#[derive(Default)]
struct Conversion {
    first_problem: Option<MessageError>,
}

impl Conversion {
    fn run(&mut self, r: &ShiftReport, settings: &Settings) -> v204::ZxReport {
        let sections = r
            .sections
            .iter()
            .map(|s| zx::Section {
                section_code: s.section.clone(),
                operations: self.operations(&s.operations, "section"),
            })
            .collect();
        let operations = self.operations(&r.operations, "goods");
        let discounts = self.operations(&r.discounts, "discounts");
        let markups = self.operations(&r.markups, "markups");
        let total_result = self.operations(&r.total_result, "total result");
        let taxes = r
            .taxes
            .iter()
            .map(|t| zx::Tax {
                r#type: v204::TaxTypeEnum::Vat as i32,
                percent: t.rate,
                operations: self.tax_operations(&t.operations),
            })
            .collect();
        let start_shift_non_nullable_sums = self.non_nullable(&r.start_non_nullable);
        let ticket_operations = self.ticket_operations(r);
        let money_placements = self.money_placements(r);
        let cash_sum = self.money(r.cash_sum, "cash in the drawer");
        let non_nullable_sums = self.non_nullable(&r.non_nullable);
        // Revenue is the one signed figure: magnitude plus flag (§0.2).
        let revenue = zx::Revenue {
            sum: money_of_magnitude(r.revenue.unsigned_abs()),
            is_negative: r.revenue < 0,
        };
        v204::ZxReport {
            date_time: local_date_time(r.taken_at, settings),
            shift_number: self.count(r.shift_no, "shift number"),
            sections,
            operations,
            discounts,
            markups,
            total_result,
            taxes,
            start_shift_non_nullable_sums,
            ticket_operations,
            money_placements,
            cash_sum,
            revenue,
            non_nullable_sums,
            // Required in 2.0.4; a report always belongs to an open shift, so the
            // fallback to the report's own time only covers an unknown opening.
            open_shift_time: local_date_time(r.opened_at.unwrap_or(r.taken_at), settings),
            close_shift_time: r.closed_at.map(|ms| local_date_time(ms, settings)),
            checksum: None,
        }
    }

    fn note(&mut self, problem: MessageError) {
        self.first_problem.get_or_insert(problem);
    }

    fn money(&mut self, tiyn: i64, field: &'static str) -> v204::Money {
        if tiyn < 0 {
            self.note(MessageError::NegativeAmount { field, tiyn });
        }
        money(tiyn)
    }

    fn count(&mut self, value: i64, field: &'static str) -> u32 {
        u32::try_from(value).unwrap_or_else(|_| {
            self.note(MessageError::OutOfRange { field, value });
            if value < 0 { 0 } else { u32::MAX }
        })
    }

    fn operations(&mut self, rows: &[OperationSum], field: &'static str) -> Vec<zx::Operation> {
        OPERATION_CODES
            .iter()
            .map(|&code| {
                let row = rows.iter().find(|r| r.operation == code);
                zx::Operation {
                    operation: i32::from(code),
                    count: self.count(row.map_or(0, |r| r.count), field),
                    sum: self.money(row.map_or(0, |r| r.sum), field),
                }
            })
            .collect()
    }

    fn tax_operations(&mut self, rows: &[TaxOperation]) -> Vec<zx::tax::TaxOperation> {
        OPERATION_CODES
            .iter()
            .map(|&code| {
                let row = rows.iter().find(|r| r.operation == code);
                zx::tax::TaxOperation {
                    operation: i32::from(code),
                    turnover: self.money(row.map_or(0, |r| r.turnover), "tax turnover"),
                    sum: self.money(row.map_or(0, |r| r.vat), "tax"),
                    turnover_without_tax: self.money(
                        row.map_or(0, |r| r.turnover_without_tax),
                        "turnover without tax",
                    ),
                }
            })
            .collect()
    }

    fn non_nullable(&mut self, rows: &[NonNullableSum]) -> Vec<zx::NonNullableSum> {
        OPERATION_CODES
            .iter()
            .map(|&code| zx::NonNullableSum {
                operation: i32::from(code),
                sum: self.money(
                    rows.iter()
                        .find(|r| r.operation == code)
                        .map_or(0, |r| r.sum),
                    "non-resettable sum",
                ),
            })
            .collect()
    }

    fn ticket_operations(&mut self, r: &ShiftReport) -> Vec<zx::TicketOperation> {
        OPERATION_CODES
            .iter()
            .map(|&code| {
                let totals = r.tickets.iter().find(|t| t.operation == code);
                let payments = PaymentKind::ALL
                    .into_iter()
                    .map(|kind| {
                        let row = totals
                            .and_then(|t| t.payments.iter().find(|p| p.kind == payment_name(kind)));
                        zx::ticket_operation::Payment {
                            payment: i32::from(kind.code()),
                            sum: self.money(row.map_or(0, |p| p.sum), "payments"),
                            count: self.count(row.map_or(0, |p| p.count), "payments"),
                        }
                    })
                    .collect();
                let field =
                    |pick: fn(&crate::journal::report::TicketTotals) -> i64| totals.map_or(0, pick);
                zx::TicketOperation {
                    operation: i32::from(code),
                    tickets_total_count: self.count(field(|t| t.total_count), "receipts"),
                    tickets_count: self.count(field(|t| t.count), "receipts"),
                    tickets_sum: self.money(field(|t| t.sum), "receipts"),
                    payments,
                    offline_count: self.count(field(|t| t.offline_count), "offline receipts"),
                    discount_sum: self.money(field(|t| t.discount_sum), "discounts"),
                    markup_sum: self.money(field(|t| t.markup_sum), "markups"),
                    change_sum: self.money(field(|t| t.change_sum), "change"),
                }
            })
            .collect()
    }

    fn money_placements(&mut self, r: &ShiftReport) -> Vec<zx::MoneyPlacement> {
        DIRECTIONS
            .iter()
            .map(|&(direction, operation)| {
                let row = r.placement(direction);
                zx::MoneyPlacement {
                    operation: operation as i32,
                    operations_total_count: self
                        .count(row.map_or(0, |p| p.total_count), "cash slips"),
                    operations_count: self.count(row.map_or(0, |p| p.count), "cash slips"),
                    operations_sum: self.money(row.map_or(0, |p| p.sum), "cash slips"),
                    offline_count: self
                        .count(row.map_or(0, |p| p.offline_count), "offline cash slips"),
                }
            })
            .collect()
    }
}

//! Fixed documents for the message tests and the golden frames (`tests/it/link_frames.rs`):
//! a sale and its return at 12 % VAT, a cash withdrawal, and the shift's Z report. Only
//! tests use them; they are public so the integration tests can share them.

use crate::journal::record::{
    BuyerPayload, CashPayload, LinePayload, ParentPayload, PaymentPayload, ReceiptPayload,
    TaxPayload, UserRef, ZReportPayload,
};
use crate::journal::report::{
    NonNullableSum, OperationSum, PaymentTotals, PlacementTotals, SectionTotals, ShiftReport,
    TaxOperation, TaxTotals, TicketTotals,
};

/// 2026-03-02 09:15:30 UTC = 14:15:30 in Astana (UTC+5).
pub const SOLD_AT: i64 = 1_772_442_930_000;
pub const OPENED_AT: i64 = SOLD_AT - 3 * 3_600_000;
pub const CLOSED_AT: i64 = SOLD_AT + 8 * 3_600_000;

pub fn cashier() -> UserRef {
    UserRef {
        id: 2,
        name: "Айгүл".into(),
    }
}

pub fn line(
    name: &str,
    section: &str,
    price: i64,
    quantity: i64,
    discount: i64,
    vat: i64,
) -> LinePayload {
    let gross = price * quantity / 1000;
    LinePayload {
        name: name.into(),
        section: section.into(),
        price,
        quantity,
        vat_rate: Some(12_000),
        gross,
        discount,
        markup: 0,
        amount: gross - discount,
        vat,
        parent_line: None,
        unit: Some("796".into()),
        ntin: None,
        barcode: None,
        marks: Vec::new(),
    }
}

pub fn payment(kind: &str, amount: i64) -> PaymentPayload {
    PaymentPayload {
        kind: kind.into(),
        amount,
    }
}

/// Two lines at 12 % VAT, 10 % off the bread, paid 1000 ₸ cash + 200 ₸ card.
pub fn sale() -> ReceiptPayload {
    ReceiptPayload {
        demo: false,
        doc_no: 42,
        shift_no: 3,
        operation: 2,
        cashier: cashier(),
        lines: vec![
            line("Нан / Хлеб", "1", 25_000, 2_000, 5_000, 4_821),
            LinePayload {
                unit: Some("112".into()),
                ntin: Some("02000000020012".into()),
                barcode: Some("4870001234560".into()),
                marks: Vec::new(),
                ..line("Сүт / Молоко", "2", 48_050, 1_500, 0, 7_722)
            },
        ],
        subtotal: 122_075,
        discount: 5_000,
        markup: 0,
        total: 117_075,
        taxes: vec![TaxPayload {
            rate: 12_000,
            turnover: 117_075,
            vat: 12_543,
        }],
        payments: vec![payment("cash", 100_000), payment("card", 20_000)],
        taken: 120_000,
        change: 2_925,
        buyer: BuyerPayload {
            iin_bin: None,
            email: Some("buyer@example.kz".into()),
            phone: Some(String::new()),
        },
        parent: None,
    }
}

/// One litre of the milk back, in cash.
pub fn sale_return() -> ReceiptPayload {
    ReceiptPayload {
        doc_no: 43,
        operation: 3,
        lines: vec![line("Сүт / Молоко", "2", 48_050, 1_000, 0, 5_148)],
        subtotal: 48_050,
        discount: 0,
        total: 48_050,
        taxes: vec![TaxPayload {
            rate: 12_000,
            turnover: 48_050,
            vat: 5_148,
        }],
        payments: vec![payment("cash", 48_050)],
        taken: 48_050,
        change: 0,
        buyer: BuyerPayload::default(),
        parent: Some(ParentPayload {
            seq: 10,
            doc_no: 42,
            created_at: SOLD_AT,
            rnm: "600400123456".into(),
            total: 117_075,
            fiscal_sign: Some("9001".into()),
            offline: false,
        }),
        ..sale()
    }
}

pub fn withdrawal() -> CashPayload {
    CashPayload {
        demo: false,
        doc_no: 44,
        shift_no: 3,
        direction: "withdrawal".into(),
        amount: 2_000_000,
        cashier: cashier(),
    }
}

pub fn ops(rows: &[(u8, i64, i64)]) -> Vec<OperationSum> {
    rows.iter()
        .map(|&(operation, count, sum)| OperationSum {
            operation,
            count,
            sum,
        })
        .collect()
}

/// The shift of the sale and the return; lists deliberately hold only non-empty rows.
pub fn shift_report() -> ShiftReport {
    closed_shift_report(Some(CLOSED_AT))
}

/// The same shift still open (`closed_at` absent), as an X report sees it.
pub fn open_shift_report() -> ShiftReport {
    closed_shift_report(None)
}

fn closed_shift_report(closed_at: Option<i64>) -> ShiftReport {
    let paid = |kind: &str, count, sum| PaymentTotals {
        kind: kind.into(),
        count,
        sum,
    };
    ShiftReport {
        shift_no: 3,
        opened_at: Some(OPENED_AT),
        closed_at,
        taken_at: closed_at.unwrap_or(SOLD_AT),
        operations: ops(&[(2, 2, 122_075), (3, 1, 48_050)]),
        discounts: ops(&[(2, 1, 5_000)]),
        markups: Vec::new(),
        total_result: ops(&[(2, 2, 117_075), (3, 1, 48_050)]),
        sections: vec![
            SectionTotals {
                section: "1".into(),
                operations: ops(&[(2, 1, 50_000)]),
            },
            SectionTotals {
                section: "2".into(),
                operations: ops(&[(2, 1, 72_075), (3, 1, 48_050)]),
            },
        ],
        taxes: vec![TaxTotals {
            rate: 12_000,
            operations: vec![TaxOperation {
                operation: 2,
                turnover: 117_075,
                vat: 12_543,
                turnover_without_tax: 104_532,
            }],
        }],
        tickets: vec![
            TicketTotals {
                operation: 2,
                total_count: 10,
                count: 1,
                sum: 117_075,
                payments: vec![paid("cash", 1, 100_000), paid("card", 1, 20_000)],
                offline_count: 0,
                discount_sum: 5_000,
                markup_sum: 0,
                change_sum: 2_925,
            },
            TicketTotals {
                operation: 3,
                total_count: 1,
                count: 1,
                sum: 48_050,
                payments: vec![paid("cash", 1, 48_050)],
                ..TicketTotals::default()
            },
        ],
        money_placements: vec![PlacementTotals {
            direction: "withdrawal".into(),
            total_count: 1,
            count: 1,
            sum: 2_000_000,
            offline_count: 0,
        }],
        start_non_nullable: vec![NonNullableSum {
            operation: 2,
            sum: 1_000_000,
        }],
        non_nullable: vec![
            NonNullableSum {
                operation: 2,
                sum: 1_117_075,
            },
            NonNullableSum {
                operation: 3,
                sum: 48_050,
            },
        ],
        cash_at_start: 5_000_000,
        cash_sum: 3_049_025,
        revenue: 69_025,
    }
}

pub fn z_payload() -> ZReportPayload {
    ZReportPayload {
        demo: false,
        doc_no: 45,
        shift_no: 3,
        by: cashier(),
        report: shift_report(),
        shift_checksum: "ab".repeat(32),
        total_checksum: "cd".repeat(32),
    }
}

//! Golden frames: the exact bytes the register sends the operator for each kind of
//! message, built from fixed documents and wrapped in the 18-byte header, compared with
//! the fixtures in `tests/golden/frames/` (lower-case hex, 32 bytes a line). A change in
//! these bytes is a change of what goes on the wire and must be deliberate: rerun with
//! `SAUDA_BLESS=1` to rewrite the fixtures, then review the diff.
//!
//! Each fixture is also read back with the schema its header names and compared with
//! the message that was built, so a fixture cannot drift from what it claims to hold.

use std::path::PathBuf;

use prost::Message;
use sauda::journal::record::{
    BuyerPayload, CashPayload, LinePayload, ParentPayload, PaymentPayload, ReceiptPayload,
    Settings, SoftwarePayload, TaxPayload, UserRef, ZReportPayload,
};
use sauda::journal::report::{
    NonNullableSum, OperationSum, PaymentTotals, PlacementTotals, SectionTotals, ShiftReport,
    TaxOperation, TaxTotals, TicketTotals,
};
use sauda::link::message::{self, Context, OfflinePeriod};
use sauda_ofd::frame::{self, Envelope, Version};
use sauda_ofd::{v203, v204};

const TOKEN: u32 = 4_000_000_001;
const REQNUM: u16 = 7;
/// 2026-03-02 09:15:30 UTC, 14:15:30 in Astana.
const SOLD_AT: i64 = 1_772_442_930_000;
const OPENED_AT: i64 = SOLD_AT - 3 * 3_600_000;
const CLOSED_AT: i64 = SOLD_AT + 8 * 3_600_000;

fn settings() -> Settings {
    Settings {
        kkm_id: "100500".into(),
        ..sauda::registration::demo_settings()
    }
}

fn cashier() -> UserRef {
    UserRef {
        id: 2,
        name: "Айгүл".into(),
    }
}

fn line(
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
    }
}

fn payment(kind: &str, amount: i64) -> PaymentPayload {
    PaymentPayload {
        kind: kind.into(),
        amount,
    }
}

fn sale() -> ReceiptPayload {
    ReceiptPayload {
        demo: false,
        doc_no: 42,
        shift_no: 3,
        operation: 2,
        cashier: cashier(),
        lines: vec![
            line("Нан / Хлеб", "1", 25_000, 2_000, 5_000, 4_821),
            line("Сүт / Молоко", "2", 48_050, 1_500, 0, 7_722),
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
            phone: None,
        },
        parent: None,
    }
}

fn sale_return() -> ReceiptPayload {
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
            rnm: settings().rnm,
            total: 117_075,
            fiscal_sign: Some("9001".into()),
            offline: false,
        }),
        ..sale()
    }
}

fn ops(rows: &[(u8, i64, i64)]) -> Vec<OperationSum> {
    rows.iter()
        .map(|&(operation, count, sum)| OperationSum {
            operation,
            count,
            sum,
        })
        .collect()
}

fn shift_report(closed_at: Option<i64>) -> ShiftReport {
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
        tickets: vec![TicketTotals {
            operation: 2,
            total_count: 10,
            count: 1,
            sum: 117_075,
            payments: vec![paid("cash", 1, 100_000), paid("card", 1, 20_000)],
            offline_count: 0,
            discount_sum: 5_000,
            markup_sum: 0,
            change_sum: 2_925,
        }],
        money_placements: vec![PlacementTotals {
            direction: "deposit".into(),
            total_count: 4,
            count: 1,
            sum: 5_000_000,
            offline_count: 0,
        }],
        start_non_nullable: vec![NonNullableSum {
            operation: 2,
            sum: 1_000_000,
        }],
        non_nullable: vec![NonNullableSum {
            operation: 2,
            sum: 1_117_075,
        }],
        cash_at_start: 0,
        cash_sum: 5_097_075,
        revenue: 117_075,
    }
}

/// Every message kind from fixed documents, with the versions it is pinned for.
fn cases(s: &Settings, software: &SoftwarePayload) -> Vec<(&'static str, v204::Request)> {
    let online = Context {
        settings: s,
        offline_period: None,
        software: None,
    };
    let replay = Context {
        offline_period: Some(OfflinePeriod {
            begin_ms: SOLD_AT - 2 * 3_600_000,
            end_ms: SOLD_AT + 3_600_000,
        }),
        ..online
    };
    let deposit = CashPayload {
        demo: false,
        doc_no: 41,
        shift_no: 3,
        direction: "deposit".into(),
        amount: 5_000_000,
        cashier: cashier(),
    };
    let z = ZReportPayload {
        demo: false,
        doc_no: 45,
        shift_no: 3,
        by: cashier(),
        report: shift_report(Some(CLOSED_AT)),
        shift_checksum: "ab".repeat(32),
        total_checksum: "cd".repeat(32),
    };
    let with_software = Context {
        software: Some(software),
        ..online
    };
    let built = [
        (
            "ticket_sell",
            message::receipt(&sale(), SOLD_AT, None, &online),
        ),
        (
            "ticket_return",
            message::receipt(&sale_return(), SOLD_AT + 60_000, None, &online),
        ),
        (
            "money_placement_deposit",
            message::cash(&deposit, OPENED_AT, false, &online),
        ),
        (
            "close_shift",
            message::close_shift(&z, CLOSED_AT, false, &online),
        ),
        (
            "report_x",
            message::x_report(&shift_report(None), SOLD_AT, &online),
        ),
        ("system", message::system(&with_software)),
        ("info", message::info(&online)),
        (
            "ticket_offline",
            message::receipt(&sale(), SOLD_AT, Some(1_772_442_930), &replay),
        ),
    ];
    built
        .into_iter()
        .map(|(name, request)| (name, request.expect("the fixed documents convert")))
        .collect()
}

fn fixture(name: &str, version: Version) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/frames")
        .join(format!("{name}.v{}.hex", version.code()))
}

/// Lower-case hex, 32 bytes (64 digits) a line, so a diff points at the changed bytes.
fn to_hex_lines(bytes: &[u8]) -> String {
    bytes
        .chunks(32)
        .map(|chunk| format!("{}\n", hex::encode(chunk)))
        .collect()
}

#[test]
fn link_frames_match_the_golden_fixtures_under_2_0_3_and_2_0_4() {
    let s = settings();
    let id = message::device_id(&s).expect("the fixed kkm_id is a number");
    let software = SoftwarePayload {
        name: "sauda".into(),
        version: "0.1.0".into(),
        executable: "/opt/sauda/bin/sauda".into(),
        sha256: "0f".repeat(32),
    };
    let bless = std::env::var("SAUDA_BLESS").is_ok_and(|v| v == "1");
    let mut mismatched = Vec::new();
    for (name, request) in cases(&s, &software) {
        let payload = request.encode_to_vec();
        for version in [Version::V203, Version::V204] {
            let envelope = Envelope {
                version,
                id,
                token: TOKEN,
                reqnum: REQNUM,
            };
            let built = frame::encode(envelope, &payload).expect("a small payload frames");
            let path = fixture(name, version);
            if bless {
                std::fs::create_dir_all(path.parent().expect("fixture folder"))
                    .expect("fixture folder can be created");
                std::fs::write(&path, to_hex_lines(&built)).expect("fixture can be written");
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if text != to_hex_lines(&built) {
                mismatched.push(path.display().to_string());
                continue;
            }
            let stored: String = text.split_whitespace().collect();
            let stored = hex::decode(stored).expect("fixtures are hex");
            read_back(&stored, envelope, &request);
        }
    }
    assert!(
        mismatched.is_empty(),
        "frames differ from (or lack) their fixtures: {mismatched:#?}\n\
         if the change is intended, rerun with SAUDA_BLESS=1 and review the diff"
    );
}

/// Parses a stored frame with the schema its header names and compares it with the
/// message it was built from.
fn read_back(stored: &[u8], envelope: Envelope, request: &v204::Request) {
    let (header, payload) =
        frame::read_frame(&mut &stored[..]).expect("a fixture is one whole frame");
    assert_eq!(
        (header.version, header.id, header.token, header.reqnum),
        (
            envelope.version,
            envelope.id,
            envelope.token,
            envelope.reqnum
        )
    );
    assert_eq!(header.size as usize, stored.len());
    match header.version {
        Version::V203 => {
            let old = v203::Request::decode(payload.as_slice()).expect("2.0.3 parses it");
            assert_eq!(old.command, request.command);
            assert_eq!(
                old.encode_to_vec(),
                request.encode_to_vec(),
                "2.0.3 keeps every field"
            );
        }
        Version::V204 => {
            let new = v204::Request::decode(payload.as_slice()).expect("2.0.4 parses it");
            assert_eq!(&new, request);
        }
    }
}

//! Returns: a new document referring to its original, never more than was sold.

use sauda::error::ErrorCode;
use serde_json::json;

use crate::support::{Register, code};

#[test]
fn r78_r80_partial_returns_add_up_and_over_returns_are_refused() {
    let r = Register::new();
    let sale = r
        .sell(
            json!([{"name": "Алма", "price_tiyn": 33_333, "quantity_milli": 3000, "adjustment": {"kind": "discount", "percent_milli": 10_000}}]),
            json!([{"kind": "card", "amount_tiyn": 89_999}]),
        )
        .expect("sale");
    assert_eq!(sale["total_tiyn"], 89_999);
    let number = sale["number"].clone();
    let first = r
        .call_as(
            &r.cashier,
            "receipt_return",
            json!({"original_number": number, "items": [{"line": 1, "quantity_milli": 1000}]}),
        )
        .expect("return one");
    assert_eq!(first["operation"], "sell_return");
    assert_eq!(first["original_number"], number);
    assert_eq!(first["payments"][0]["kind"], "card");
    let rest = r
        .call_as(
            &r.cashier,
            "receipt_return",
            json!({"original_number": number}),
        )
        .expect("return the rest");
    assert_eq!(
        first["total_tiyn"].as_i64().unwrap_or(0) + rest["total_tiyn"].as_i64().unwrap_or(0),
        89_999
    );
    let again = r.call_as(
        &r.cashier,
        "receipt_return",
        json!({"original_number": number}),
    );
    assert_eq!(code(again), ErrorCode::OverReturn);
    let of_return = r.call_as(
        &r.cashier,
        "receipt_return",
        json!({"original_number": first["number"]}),
    );
    assert_eq!(code(of_return), ErrorCode::Validation);
    let unknown = r.call_as(
        &r.cashier,
        "receipt_return",
        json!({"original_number": 999}),
    );
    assert_eq!(code(unknown), ErrorCode::NotFound);
    // The original is untouched.
    let original = r
        .call_as(&r.cashier, "receipt_get", json!({"number": number}))
        .expect("get");
    assert_eq!(original["total_tiyn"], 89_999);
}

#[test]
fn r82_cash_refund_needs_cash_in_the_drawer() {
    let r = Register::new();
    let sale = r.simple_sale(50_000);
    r.call_as(&r.manager, "cash_withdraw", json!({"amount_tiyn": 40_000}))
        .expect("withdraw");
    let refused = r.call_as(
        &r.cashier,
        "receipt_return",
        json!({"original_number": sale["number"]}),
    );
    assert_eq!(code(refused), ErrorCode::InsufficientCash);
    let by_card = r.call_as(
        &r.cashier,
        "receipt_return",
        json!({"original_number": sale["number"], "payments": [{"kind": "card", "amount_tiyn": 50_000}]}),
    );
    assert!(by_card.is_ok());
}

fn external(sign: &str, total: i64, items: serde_json::Value, pay: i64) -> serde_json::Value {
    json!({
        "original": {
            "rnm": "600400300200",
            "fiscal_sign": sign,
            "date_time": "2025-12-20 18:45",
            "total_tiyn": total,
        },
        "items": items,
        "payments": [{"kind": "cash", "amount_tiyn": pay}],
    })
}

#[test]
fn r80_a_receipt_of_another_register_is_returned_at_its_printed_12_percent_vat() {
    let r = Register::new();
    r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 100_000}))
        .expect("deposit");
    let back = r
        .call_as(
            &r.cashier,
            "receipt_return_external",
            external(
                "2358573071",
                50_000,
                json!([{"name": "Шай", "price_tiyn": 11_200, "quantity_milli": 1000, "vat_group": "12"}]),
                11_200,
            ),
        )
        .expect("external return");
    assert_eq!(back["operation"], "sell_return");
    assert_eq!(back["total_tiyn"], 11_200);
    assert_eq!(back["lines"][0]["vat_rate_milli"], 12_000);
    assert_eq!(back["vat_tiyn"], 1_200, "12 % inside 112.00 is 12.00");
    // The journal names the original as printed (spec §5.5 parent_ticket).
    let parent: String = r
        .conn()
        .query_row(
            "SELECT json_extract(payload, '$.parent.fiscal_sign') || '/' || json_extract(payload, '$.parent.rnm')
             FROM journal WHERE kind = 'receipt'",
            [],
            |row| row.get(0),
        )
        .expect("parent");
    assert_eq!(parent, "2358573071/600400300200");
    // 12 % stays refused for a sale.
    assert_eq!(
        code(r.sell(
            json!([{"name": "Шай", "price_tiyn": 11_200, "quantity_milli": 1000, "vat_group": "12"}]),
            json!([{"kind": "cash", "amount_tiyn": 11_200}]),
        )),
        ErrorCode::Validation
    );
}

#[test]
fn r80_returns_of_a_foreign_receipt_never_exceed_its_printed_total() {
    let r = Register::new();
    r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 100_000}))
        .expect("deposit");
    let item =
        json!([{"name": "Нан", "price_tiyn": 30_000, "quantity_milli": 1000, "vat_group": "16"}]);
    r.call_as(
        &r.cashier,
        "receipt_return_external",
        external("777", 50_000, item.clone(), 30_000),
    )
    .expect("first return");
    let before = r.journal_len();
    assert_eq!(
        code(r.call_as(
            &r.cashier,
            "receipt_return_external",
            external("777", 50_000, item.clone(), 30_000),
        )),
        ErrorCode::OverReturn,
        "30 + 30 > 50"
    );
    assert_eq!(r.journal_len(), before, "a refusal writes nothing");
    // Another receipt with the same amount is its own original.
    r.call_as(
        &r.cashier,
        "receipt_return_external",
        external("778", 50_000, item, 30_000),
    )
    .expect("another original");
    let own_rnm = r.core.settings().rnm;
    let mut own = external(
        "1",
        50_000,
        json!([{"name": "Нан", "price_tiyn": 100, "quantity_milli": 1000}]),
        100,
    );
    own["original"]["rnm"] = json!(own_rnm);
    assert_eq!(
        code(r.call_as(&r.cashier, "receipt_return_external", own)),
        ErrorCode::Validation,
        "this register's receipts are returned by number"
    );
    let mut future = external(
        "779",
        50_000,
        json!([{"name": "Нан", "price_tiyn": 100, "quantity_milli": 1000}]),
        100,
    );
    future["original"]["date_time"] = json!("2031-01-01 10:00");
    assert_eq!(
        code(r.call_as(&r.cashier, "receipt_return_external", future)),
        ErrorCode::Validation
    );
}

/// the buyer's receipt is found by the link in its QR code (the
/// fiscal sign and this register's RNM), with what is left to return of each line; a
/// QR of another register says to use the other register's return.
#[test]
fn r80_a_receipt_is_found_by_its_qr_code_with_what_is_left_to_return() {
    let (r, _op) = crate::link::linked(2_000);
    let sale = r
        .sell(
            json!([{"name": "Алма", "price_tiyn": 10_000, "quantity_milli": 3000},
                   {"name": "Нан", "price_tiyn": 25_000, "quantity_milli": 1000}]),
            json!([{"kind": "cash", "amount_tiyn": 55_000}]),
        )
        .expect("sale");
    let qr = sale["qr"]
        .as_str()
        .expect("a fiscalised sale has its QR link")
        .to_string();
    r.call_as(
        &r.cashier,
        "receipt_return",
        json!({"original_number": sale["number"], "items": [{"line": 1, "quantity_milli": 1000}]}),
    )
    .expect("one apple back");
    let found = r
        .call_as(&r.cashier, "receipt_find", json!({"qr": qr}))
        .expect("found by QR");
    assert_eq!(found["number"], sale["number"]);
    assert_eq!(found["lines"][0]["returnable_milli"], 2000);
    assert_eq!(found["lines"][1]["returnable_milli"], 1000);
    let by_number = r
        .call_as(
            &r.cashier,
            "receipt_find",
            json!({"number": sale["number"]}),
        )
        .expect("found by number");
    assert_eq!(by_number["lines"][0]["returnable_milli"], 2000);

    let foreign = qr.replace(&format!("f={}", r.core.settings().rnm), "f=123456789012");
    let err = r
        .call_as(&r.cashier, "receipt_find", json!({"qr": foreign}))
        .expect_err("another register's receipt");
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message.contains("another register"), "{}", err.message);
    assert_eq!(
        code(r.call_as(&r.cashier, "receipt_find", json!({"qr": "hello"}))),
        ErrorCode::Validation
    );
    assert_eq!(
        code(r.call_as(
            &r.cashier,
            "receipt_find",
            json!({"qr": qr.replace("i=9001", "i=777")})
        )),
        ErrorCode::NotFound
    );
}

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

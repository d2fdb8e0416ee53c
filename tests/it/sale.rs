//! Sales and their refusals, through `dispatch`.

use sauda::error::ErrorCode;
use serde_json::json;

use crate::support::{Register, code};

#[test]
fn r1_r40_a_sale_is_one_journaled_receipt_with_its_amounts() {
    let r = Register::new();
    let before = r.journal_len();
    let out = r
        .sell(
            json!([
                {"name": "Нан", "price_tiyn": 25_000, "quantity_milli": 2000},
                {"name": "Сүт", "price_tiyn": 61_050, "quantity_milli": 1000, "vat_group": "10", "section": "dairy"}
            ]),
            json!([{"kind": "cash", "amount_tiyn": 200_000}]),
        )
        .expect("sale");
    assert_eq!(out["total_tiyn"], 111_050);
    assert_eq!(out["change_tiyn"], 88_950);
    // 500.00 at 16 % -> 68.97; 610.50 at 10 % -> 55.50
    assert_eq!(out["vat_tiyn"], 6_897 + 5_550);
    assert_eq!(out["shift"], 1);
    assert!(out["fiscal_sign"].is_null());
    assert_eq!(out["demo"], true);
    // integrity check + shift open + receipt
    assert_eq!(r.journal_len(), before + 3);
    let second = r.simple_sale(1000);
    assert_eq!(
        second["number"].as_i64(),
        out["number"].as_i64().map(|n| n + 1)
    );
    assert_eq!(r.journal_len(), before + 4);
}

#[test]
fn r7_buyer_iin_is_checked_and_kept() {
    let r = Register::new();
    let item = json!([{"name": "Нан", "price_tiyn": 1000, "quantity_milli": 1000}]);
    let pay = json!([{"kind": "card", "amount_tiyn": 1000}]);
    let bad = r.call_as(
        &r.cashier,
        "receipt_sell",
        json!({"items": item, "payments": pay, "buyer": {"iin_bin": "123456789012"}}),
    );
    assert_eq!(code(bad), ErrorCode::Validation);
    let good = r.call_as(
        &r.cashier,
        "receipt_sell",
        json!({"items": item, "payments": pay, "buyer": {"iin_bin": "990101000014"}}),
    );
    // The demo seller's own BIN is refused as a buyer's number.
    assert_eq!(code(good), ErrorCode::Validation);
}

#[test]
fn refusals_write_nothing() {
    let r = Register::new();
    r.simple_sale(1000);
    let before = r.journal_len();
    let item =
        |price: i64, qty: i64| json!([{"name": "Нан", "price_tiyn": price, "quantity_milli": qty}]);
    let cash = |a: i64| json!([{"kind": "cash", "amount_tiyn": a}]);
    let cases = [
        (
            "underpaid",
            r.sell(item(1000, 1000), cash(999)),
            ErrorCode::Validation,
        ),
        (
            "no lines",
            r.sell(json!([]), cash(1)),
            ErrorCode::Validation,
        ),
        (
            "zero quantity",
            r.sell(item(1000, 0), cash(1000)),
            ErrorCode::Validation,
        ),
        (
            "zero price",
            r.sell(item(0, 1000), cash(1000)),
            ErrorCode::Validation,
        ),
        (
            "card over total",
            r.sell(
                item(1000, 1000),
                json!([{"kind": "card", "amount_tiyn": 2000}]),
            ),
            ErrorCode::Validation,
        ),
        (
            "unknown payment",
            r.sell(
                item(1000, 1000),
                json!([{"kind": "cheque", "amount_tiyn": 1000}]),
            ),
            ErrorCode::Validation,
        ),
        (
            "unknown VAT",
            r.sell(
                json!([{"name": "x", "price_tiyn": 1, "quantity_milli": 1000, "vat_group": "20"}]),
                cash(1),
            ),
            ErrorCode::Validation,
        ),
        (
            "12 % only for returns",
            r.sell(
                json!([{"name": "x", "price_tiyn": 1, "quantity_milli": 1000, "vat_group": "12"}]),
                cash(1),
            ),
            ErrorCode::Validation,
        ),
        (
            "no payment",
            r.sell(item(1000, 1000), json!([])),
            ErrorCode::Validation,
        ),
        (
            "withdraw more than drawer",
            r.call_as(
                &r.manager,
                "cash_withdraw",
                json!({"amount_tiyn": 1_000_000}),
            ),
            ErrorCode::InsufficientCash,
        ),
        (
            "negative cash in",
            r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": -5})),
            ErrorCode::Validation,
        ),
    ];
    for (what, result, expected) in cases {
        assert_eq!(code(result), expected, "{what}");
    }
    assert_eq!(r.journal_len(), before, "a refusal must not write");
}

#[test]
fn r11_r84_roles_are_checked_in_dispatch() {
    let r = Register::new();
    let inspector = {
        r.call_as(
            &r.admin,
            "user_add",
            json!({"name": "Инспектор", "role": "inspector", "pin": "4444"}),
        )
        .expect("inspector added");
        r.core.login("4444").expect("inspector logs in")
    };
    let sale = json!({"items": [{"name": "x", "price_tiyn": 100, "quantity_milli": 1000}], "payments": [{"kind": "cash", "amount_tiyn": 100}]});
    assert_eq!(
        code(r.call_as(&inspector, "receipt_sell", sale.clone())),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(r.call_as(&inspector, "cash_deposit", json!({"amount_tiyn": 100}))),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(r.call_as(
            &inspector,
            "settings_update",
            json!({"changes": {"token": 5}})
        )),
        ErrorCode::Forbidden
    );
    assert!(r.call_as(&inspector, "report_x", json!(null)).is_ok());
    assert_eq!(
        code(r.call_as(&r.cashier, "shift_close", json!(null))),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(r.call_as(
            &r.cashier,
            "user_add",
            json!({"name": "x", "role": "admin", "pin": "9999"})
        )),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(r.call_as(
            &r.manager,
            "user_add",
            json!({"name": "x", "role": "admin", "pin": "9999"})
        )),
        ErrorCode::Forbidden
    );
    // The whole journal (buyers' IINs and phones, the operator's token) is a reading
    // for the manager and the inspector, not for a cashier's session.
    let period = json!({"from": "2026-03-01", "to": "2026-03-31"});
    assert_eq!(
        code(r.call_as(&r.cashier, "journal_export", period.clone())),
        ErrorCode::Forbidden
    );
    let export = r.call_as(&inspector, "journal_export", period);
    assert!(export.is_ok(), "{export:?}");
}

#[test]
fn r11_a_disabled_cashier_s_open_session_ends_at_its_next_command() {
    let r = Register::new();
    let sale = json!({"items": [{"name": "Нан", "price_tiyn": 25_000, "quantity_milli": 1000}],
        "payments": [{"kind": "cash", "amount_tiyn": 25_000}]});
    r.call_as(&r.cashier, "receipt_sell", sale.clone())
        .expect("the cashier sells");
    r.call_as(&r.admin, "user_disable", json!({"id": r.cashier.user_id}))
        .expect("the administrator disables the account");
    let before = r.journal_len();
    assert_eq!(
        code(r.call_as(&r.cashier, "receipt_sell", sale)),
        ErrorCode::SessionRequired,
        "the session opened before the disable must not sell"
    );
    assert_eq!(
        code(r.call_as(&r.cashier, "register_status", json!({}))),
        ErrorCode::SessionRequired
    );
    assert_eq!(r.journal_len(), before, "nothing recorded");
    assert!(r.call_as(&r.manager, "report_x", json!({})).is_ok());
}

#[test]
fn r11_pins_have_four_digits_and_wrong_pins_lock_logins() {
    let r = Register::new();
    let short = r.call_as(
        &r.admin,
        "user_add",
        json!({"name": "x", "role": "cashier", "pin": "123"}),
    );
    assert_eq!(code(short), ErrorCode::Validation);
    let taken = r.call_as(
        &r.admin,
        "user_add",
        json!({"name": "x", "role": "cashier", "pin": "3333"}),
    );
    assert_eq!(code(taken), ErrorCode::Validation);
    for _ in 0..5 {
        assert_eq!(
            r.core.login("0000").expect_err("wrong PIN").code,
            ErrorCode::WrongPin
        );
    }
    assert_eq!(
        r.core.login("3333").expect_err("locked").code,
        ErrorCode::LoginLocked
    );
    r.clock.advance(time::Duration::seconds(31));
    assert!(r.core.login("3333").is_ok());
}

#[test]
fn discounts_within_the_roles_limit_and_a_managers_larger_one() {
    let r = Register::new();
    let with_discount = |percent_milli: i64| {
        json!({
            "items": [{"name": "Нан", "price_tiyn": 100_000, "quantity_milli": 1000,
                       "adjustment": {"kind": "discount", "percent_milli": percent_milli}}],
            "payments": [{"kind": "cash", "amount_tiyn": 100_000}],
        })
    };
    let before = r.journal_len();
    let refused = r.call_as(&r.cashier, "receipt_sell", with_discount(25_000));
    let message = refused
        .as_ref()
        .err()
        .map(|e| e.message.clone())
        .unwrap_or_default();
    assert!(
        message.contains("25 %") && message.contains("10 %"),
        "{message}"
    );
    assert_eq!(code(refused), ErrorCode::DiscountLimit);
    assert_eq!(r.journal_len(), before, "nothing recorded");
    r.call_as(&r.cashier, "receipt_sell", with_discount(10_000))
        .expect("10 % is the cashier's default limit");
    r.call_as(&r.manager, "receipt_sell", with_discount(25_000))
        .expect("a manager may give up to 50 %");
    // The administrator raises the cashiers' limit, even with the shift open.
    r.call_as(
        &r.admin,
        "settings_update",
        json!({"changes": {"discount_limit_cashier": 30_000}}),
    )
    .expect("a limit is not fiscal data");
    r.call_as(&r.cashier, "receipt_sell", with_discount(25_000))
        .expect("now within the cashier's limit");
}

//! Shift rules with a manual clock: the 24-hour limit, Z, the scheduled integrity
//! checks, the clock rule and the settings that wait for the shift's close.

use sauda::error::ErrorCode;
use serde_json::json;
use time::Duration;

use crate::support::{Register, code};

#[test]
fn r15_shift_longer_than_24_hours_refuses_everything_but_z() {
    let r = Register::new();
    r.simple_sale(1000);
    r.clock.advance(Duration::hours(24));
    // The first sale was 1 s before the advance; now we are 24 h - 1 s... move past it.
    r.clock.advance(Duration::seconds(2));
    let item = json!([{"name": "x", "price_tiyn": 100, "quantity_milli": 1000}]);
    assert_eq!(
        code(r.sell(item.clone(), json!([{"kind": "cash", "amount_tiyn": 100}]))),
        ErrorCode::ShiftExpired
    );
    assert_eq!(
        code(r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 100}))),
        ErrorCode::ShiftExpired
    );
    assert_eq!(
        code(r.call_as(&r.cashier, "receipt_return", json!({"original_number": 1}))),
        ErrorCode::ShiftExpired
    );
    let status = r
        .call_as(&r.cashier, "register_status", json!(null))
        .expect("status");
    assert_eq!(status["shift"]["expired"], true);
    let z = r
        .call_as(&r.manager, "shift_close", json!(null))
        .expect("Z is allowed");
    assert_eq!(z["z_number"], "0001");
    let next = r.simple_sale(100);
    assert_eq!(next["shift"], 2);
}

#[test]
fn r14_r28_z_closes_the_shift_with_checksums_and_carries_totals() {
    let r = Register::new();
    r.simple_sale(10_000);
    r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 5_000}))
        .expect("deposit");
    let z1 = r
        .call_as(&r.manager, "shift_close", json!(null))
        .expect("Z");
    assert_eq!(z1["report"]["cash_sum"], 15_000);
    assert_eq!(z1["shift_checksum"].as_str().map(str::len), Some(64));
    assert_eq!(
        code(r.call_as(&r.manager, "shift_close", json!(null))),
        ErrorCode::ShiftClosed
    );
    r.simple_sale(2_000);
    let z2 = r
        .call_as(&r.manager, "shift_close", json!(null))
        .expect("Z 2");
    assert_eq!(z2["z_number"], "0002");
    assert_eq!(z2["report"]["cash_at_start"], 15_000);
    assert_eq!(z2["report"]["cash_sum"], 17_000);
    let sell = &z2["report"]["tickets"][2];
    assert_eq!(sell["count"], 1);
    assert_eq!(sell["total_count"], 2);
    assert_eq!(z2["report"]["non_nullable"][2]["sum"], 12_000);
    assert_eq!(z2["report"]["start_non_nullable"][2]["sum"], 10_000);
    assert_ne!(z1["total_checksum"], z2["total_checksum"]);
}

#[test]
fn r26_integrity_is_checked_and_journaled_at_shift_open_and_close() {
    let r = Register::new();
    r.simple_sale(100);
    r.call_as(&r.manager, "shift_close", json!(null))
        .expect("Z");
    r.simple_sale(100);
    r.call_as(&r.manager, "shift_close", json!(null))
        .expect("Z");
    let conn = r.conn();
    let mut stmt = conn
        .prepare("SELECT shift_no, json_extract(payload, '$.occasion') FROM journal WHERE kind = 'integrity_check' ORDER BY seq")
        .expect("query");
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read");
    assert_eq!(
        rows,
        vec![
            (1, "shift_open".into()),
            (1, "shift_close".into()),
            (2, "shift_open".into()),
            (2, "shift_close".into())
        ]
    );
}

#[test]
fn r69_no_document_dated_before_the_last_one() {
    let r = Register::new();
    r.simple_sale(100);
    r.clock.advance(Duration::minutes(-10));
    let refused = r.sell(
        json!([{"name": "x", "price_tiyn": 100, "quantity_milli": 1000}]),
        json!([{"kind": "cash", "amount_tiyn": 100}]),
    );
    assert_eq!(code(refused), ErrorCode::ClockBehind);
    assert_eq!(
        code(r.call_as(&r.manager, "shift_close", json!(null))),
        ErrorCode::ClockBehind
    );
}

#[test]
fn r68_r89_r93_operator_settings_wait_for_the_shift_close_but_the_token_does_not() {
    let r = Register::new();
    r.simple_sale(100);
    let change = json!({"changes": {"ofd_channels": ["10.1.1.1:7777", "10.2.2.2:7777"]}});
    assert_eq!(
        code(r.call_as(&r.admin, "settings_update", change.clone())),
        ErrorCode::ShiftOpen
    );
    assert_eq!(
        code(r.call_as(
            &r.admin,
            "settings_update",
            json!({"changes": {"utc_offset_minutes": 360}})
        )),
        ErrorCode::ShiftOpen
    );
    let token = r
        .call_as(
            &r.admin,
            "settings_update",
            json!({"changes": {"token": 77}}),
        )
        .expect("token any time");
    assert_eq!(token["changed"], json!(["token"]));
    r.call_as(&r.manager, "shift_close", json!(null))
        .expect("Z");
    let out = r
        .call_as(&r.admin, "settings_update", change)
        .expect("after Z");
    assert_eq!(out["settings"]["ofd_channels"][1], "10.2.2.2:7777");
    let mut reopened = r;
    reopened.reopen();
    assert_eq!(reopened.core.settings().token, 77);
    assert_eq!(reopened.core.settings().ofd_channels.len(), 2);
}

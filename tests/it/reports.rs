//! X, Z and the reports by cashier and by section agree with the receipts.

use serde_json::json;

use crate::support::Register;

#[test]
fn r16_r20_r82_x_report_reconciles_cash_and_payment_types() {
    let r = Register::new();
    r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 100_000}))
        .expect("float");
    r.sell(
        json!([{"name": "a", "price_tiyn": 30_000, "quantity_milli": 1000}]),
        json!([{"kind": "cash", "amount_tiyn": 50_000}]),
    )
    .expect("cash sale");
    r.sell(
        json!([{"name": "b", "price_tiyn": 20_000, "quantity_milli": 1000}]),
        json!([{"kind": "card", "amount_tiyn": 20_000}]),
    )
    .expect("card sale");
    r.sell(
        json!([{"name": "c", "price_tiyn": 10_000, "quantity_milli": 1000}]),
        json!([{"kind": "mobile", "amount_tiyn": 4_000}, {"kind": "cash", "amount_tiyn": 6_000}]),
    )
    .expect("mixed");
    r.call_as(&r.manager, "cash_withdraw", json!({"amount_tiyn": 15_000}))
        .expect("withdraw");
    let x = r.call_as(&r.manager, "report_x", json!(null)).expect("x");
    let report = &x["report"];
    // start 0 + deposit 1000 + cash 300 + cash 60 - withdrawal 150
    assert_eq!(report["cash_sum"], 100_000 + 30_000 + 6_000 - 15_000);
    let sell = &report["tickets"][2];
    assert_eq!(sell["count"], 3);
    assert_eq!(sell["sum"], 60_000);
    // Cash net of the 200.00 change, as each receipt's cash goes to the operator: the
    // payment lines add up to the receipts' total, like the operator's own Z (§3.5).
    assert_eq!(sell["payments"][0]["sum"], 36_000);
    assert_eq!(sell["change_sum"], 20_000);
    assert_eq!(sell["payments"][1]["sum"], 20_000);
    assert_eq!(sell["payments"][2]["sum"], 4_000);
    let paid: i64 = (0..3)
        .map(|i| sell["payments"][i]["sum"].as_i64().expect("sum"))
        .sum();
    assert_eq!(paid, 60_000);
    assert_eq!(report["money_placements"][0]["sum"], 100_000);
    assert_eq!(report["money_placements"][1]["sum"], 15_000);
    assert_eq!(report["revenue"], 60_000);
    // X has no side effects.
    let again = r.call_as(&r.manager, "report_x", json!(null)).expect("x");
    assert_eq!(again["report"]["tickets"], x["report"]["tickets"]);
}

#[test]
fn r16_reports_by_cashier_and_by_section() {
    let r = Register::new();
    r.sell(json!([{"name": "Нан", "price_tiyn": 10_000, "quantity_milli": 1000, "section": "bakery"}, {"name": "Сүт", "price_tiyn": 5_000, "quantity_milli": 2000, "section": "dairy"}]), json!([{"kind": "cash", "amount_tiyn": 20_000}])).expect("sale");
    r.call_as(&r.manager, "receipt_sell", json!({"items": [{"name": "Ірімшік", "price_tiyn": 7_000, "quantity_milli": 1000, "section": "dairy"}], "payments": [{"kind": "card", "amount_tiyn": 7_000}]})).expect("manager sale");
    let by_cashier = r
        .call_as(&r.manager, "report_by_cashier", json!({}))
        .expect("by cashier");
    let cashiers = by_cashier["cashiers"].as_array().expect("list");
    assert_eq!(cashiers.len(), 2);
    let aigul = cashiers
        .iter()
        .find(|c| c["name"] == "Айгүл")
        .expect("cashier row");
    assert_eq!(aigul["receipts"][2]["sum"], 20_000);
    assert_eq!(aigul["cash"], 20_000);
    let by_section = r
        .call_as(&r.manager, "report_by_section", json!({}))
        .expect("by section");
    let dairy: i64 = by_section["sections"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|s| s["section"] == "dairy")
        .map(|s| s["amount"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(dairy, 17_000);
}

//! The inspector's reports over a period: the shifts whose Z falls in the
//! period, totals that equal the sum of those Z reports, the reports by cashier and
//! section, the document search over a period, autonomous stretches with their replay,
//! and the operator's messages.

use std::time::Duration as StdDuration;

use sauda_ofd::sim::Fault;
use serde_json::{Value, json};
use time::Duration;

use crate::link::linked;
use crate::support::Register;

fn period(r: &Register, name: &str, from: &str, to: &str) -> Value {
    r.call_as(&r.manager, name, json!({"from": from, "to": to}))
        .unwrap_or_else(|e| panic!("{name} {from}..{to}: {e}"))
}

fn close(r: &Register) -> Value {
    r.call_as(&r.manager, "shift_close", json!({}))
        .expect("Z report")
}

fn tickets_sum(report: &Value, operation: u64) -> i64 {
    report["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .filter(|t| t["operation"] == operation)
        .map(|t| t["sum"].as_i64().expect("sum"))
        .sum()
}

/// Three days from 2026-03-02 (Almaty): two closed shifts and one open.
fn three_days() -> Register {
    let r = Register::new();
    r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 500_000}))
        .expect("deposit");
    r.simple_sale(120_000);
    r.simple_sale(30_050);
    close(&r);
    r.clock.advance(Duration::days(1));
    let sale = r.simple_sale(70_000);
    r.call_as(
        &r.cashier,
        "receipt_return",
        json!({"original_number": sale["number"]}),
    )
    .expect("return");
    r.simple_sale(5_000);
    close(&r);
    r.clock.advance(Duration::days(1));
    r.simple_sale(9_900);
    r
}

#[test]
fn r85_r88_the_period_holds_the_shifts_zd_in_it_and_its_totals_are_their_sum() {
    let r = three_days();
    let one = period(&r, "report_period", "2026-03-02", "2026-03-02");
    assert_eq!(one["shifts"].as_array().map(Vec::len), Some(1), "{one}");
    assert_eq!(one["shifts"][0]["z_number"], "0001");
    assert_eq!(tickets_sum(&one["totals"], 2), 150_050);

    let two = period(&r, "report_period", "2026-03-02", "2026-03-03");
    let shifts = two["shifts"].as_array().expect("shifts");
    assert_eq!(shifts.len(), 2);
    // Each row carries its Z's checksums, and the totals are the Z reports' sum.
    let mut sell = 0;
    let mut sell_return = 0;
    let mut revenue = 0;
    for (i, row) in shifts.iter().enumerate() {
        let z = r
            .call_as(&r.manager, "report_z_get", json!({"shift": i + 1}))
            .expect("Z");
        assert_eq!(row["shift_checksum"], z["shift_checksum"]);
        assert_eq!(row["total_checksum"], z["total_checksum"]);
        sell += tickets_sum(&z["report"], 2);
        sell_return += tickets_sum(&z["report"], 3);
        revenue += z["report"]["revenue"].as_i64().expect("revenue");
    }
    assert_eq!(tickets_sum(&two["totals"], 2), sell);
    assert_eq!(tickets_sum(&two["totals"], 3), sell_return);
    assert_eq!(two["totals"]["revenue"], revenue);
    assert_eq!(revenue, 150_050 + 5_000);
    // The drawer at the period's end, and documents numbered without a gap.
    assert_eq!(two["totals"]["cash_sum"], 500_000 + 150_050 + 5_000);
    assert_eq!(two["first_doc_no"], 1);
    assert_eq!(two["last_doc_no"], 8, "two Z reports are documents too");
    assert_eq!(two["registrations"][0]["kind"], "registration");
    assert_eq!(two["taken_by"], "Менеджер");

    // The open shift belongs to the period holding today.
    let all = period(&r, "report_period", "2026-03-01", "2026-03-04");
    let rows = all["shifts"].as_array().expect("shifts");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2]["z_number"], Value::Null);
    assert_eq!(tickets_sum(&all["totals"], 2), sell + 9_900);

    let empty = period(&r, "report_period", "2026-02-01", "2026-02-28");
    assert_eq!(empty["shifts"], json!([]));
    assert_eq!(empty["first_doc_no"], Value::Null);
}

#[test]
fn r85_cashiers_sections_and_documents_over_a_period() {
    let r = three_days();
    let cashiers = period(&r, "report_period_by_cashier", "2026-03-02", "2026-03-03");
    assert_eq!(
        (
            cashiers["first_shift"].clone(),
            cashiers["last_shift"].clone()
        ),
        (json!(1), json!(2))
    );
    let aigul = cashiers["cashiers"]
        .as_array()
        .expect("cashiers")
        .iter()
        .find(|c| c["name"] == "Айгүл")
        .expect("the cashier sold");
    assert_eq!(aigul["receipts"][2]["count"], 4);
    assert_eq!(
        aigul["receipts"][2]["sum"],
        120_000 + 30_050 + 70_000 + 5_000
    );
    assert_eq!(aigul["cash"], 150_050 + 5_000);

    let sections = period(&r, "report_period_by_section", "2026-03-02", "2026-03-03");
    let sold: i64 = sections["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter(|s| s["operation"] == 2)
        .map(|s| s["amount"].as_i64().expect("amount"))
        .sum();
    assert_eq!(sold, 225_050);

    let docs = r
        .call_as(
            &r.manager,
            "document_list",
            json!({"from": "2026-03-02", "to": "2026-03-03"}),
        )
        .expect("documents of a period");
    let kinds: Vec<&str> = docs["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| d["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        ["sell", "sell_return", "sell", "sell", "sell", "deposit"]
    );
    let found = r
        .call_as(
            &r.manager,
            "document_list",
            json!({"from": "2026-03-02", "to": "2026-03-04", "query": "300,50"}),
        )
        .expect("search by sum");
    assert_eq!(found["documents"].as_array().map(Vec::len), Some(1));
    assert_eq!(found["documents"][0]["total_tiyn"], 30_050);

    let bad = r.call_as(
        &r.manager,
        "report_period",
        json!({"from": "2026-03-05", "to": "2026-03-01"}),
    );
    assert!(
        matches!(&bad, Err(e) if e.message.contains("earlier day first")),
        "{bad:?}"
    );
}

#[test]
fn r58_r85_autonomous_stretches_show_their_replay_and_operator_texts_are_listed() {
    let (r, op) = linked(300);
    op.sim.inject(Fault::DelayNextMs(1_000));
    let first = r.simple_sale(10_000);
    assert_eq!(first["autonomous"], true, "{first}");
    r.simple_sale(20_000);
    let today = "2026-03-02";
    let during = period(&r, "autonomous_periods", today, today);
    assert_eq!(during.as_array().map(Vec::len), Some(1), "{during}");
    assert_eq!(during[0]["documents"], 2);
    assert_eq!(during[0]["replayed"], 0);
    assert_eq!(during[0]["ended_at"], Value::Null);

    std::thread::sleep(StdDuration::from_millis(800));
    let after = r
        .call_as(&r.manager, "link_replay", json!({}))
        .expect("replay");
    assert_eq!(after["mode"], "online", "{after}");
    let replayed = period(&r, "autonomous_periods", today, today);
    assert_eq!(replayed[0]["replayed"], 2, "{replayed}");
    assert!(replayed[0]["ended_at"].is_string());

    op.sim.inject(Fault::Block {
        text: "Тіркеу тоқтатылды / Регистрация приостановлена".into(),
    });
    r.simple_sale(1_000);
    let messages = period(&r, "operator_messages", today, today);
    assert!(
        messages
            .as_array()
            .expect("messages")
            .iter()
            .any(|m| m["text"].as_str() == Some("Тіркеу тоқтатылды / Регистрация приостановлена")),
        "{messages}"
    );
}

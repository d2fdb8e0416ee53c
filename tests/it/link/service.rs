//! The link in service: online fiscalisation, autonomous mode and replay, blocks,
//! channels, the worker, the operator's registration data and X report, and the QR.

use std::time::Duration as StdDuration;

use prost::Message;
use sauda::error::ErrorCode;
use sauda::link::LinkOptions;
use sauda_ofd::sim::{DeviceRegistration, Fault, SimConfig, Simulator};
use serde_json::{Value, json};
use time::Duration;

use super::*;
use crate::support::{Register, code, notice_keys};

#[test]
fn r40_r44_r45_r48_online_sale_carries_the_operators_sign_and_the_new_token_is_journaled() {
    let (r, op) = linked(2_000);
    let sale = r.simple_sale(50_000);
    assert_eq!(sale["fiscal_sign"], "9001");
    assert_eq!(sale["autonomous"], false);
    let qr = sale["qr"].as_str().expect("qr");
    assert!(qr.contains("i=9001"), "{qr}");
    let ledger = op.sim.ledger(1).expect("ledger");
    assert_eq!(ledger.documents.len(), 1);
    assert_eq!(ledger.documents[0].total, Some(50_000));
    assert!(ledger.issued_token > 1 << 31);
    // the token the operator issued is journaled with the answer.
    let token: i64 = r
        .conn()
        .query_row(
            "SELECT json_extract(payload, '$.token') FROM journal WHERE kind = 'ofd_answer'",
            [],
            |row| row.get(0),
        )
        .expect("answer");
    assert_eq!(token, ledger.issued_token as i64);
    // The second sale uses that token and the next request number.
    let second = r.simple_sale(1_000);
    assert_eq!(second["fiscal_sign"], "9002");
    assert_eq!(status(&r)["mode"], "online");
    assert_eq!(op.sim.ledger(1).expect("ledger").documents.len(), 2);
}

#[test]
fn r54_r55_r56_r57_r58_r59_r66_no_answer_within_the_budget_goes_autonomous_and_replay_fiscalises_once()
 {
    let (r, op) = linked(300);
    op.sim.inject(Fault::DelayNextMs(1_000));
    let first = r.simple_sale(10_000);
    assert_eq!(first["autonomous"], true, "{first}");
    let sign_1: u32 = first["fiscal_sign"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("autonomous sign");
    assert_eq!(
        notice_keys(&first),
        ["autonomous"],
        "R-57: the cashier is told: {first}"
    );
    // The queue is not empty: the next document goes straight to the queue (§5.4).
    let second = r.simple_sale(20_000);
    assert_eq!(second["autonomous"], true);
    let sign_2: u32 = second["fiscal_sign"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("sign");
    assert!(sign_2 > sign_1, "R-58: signs are unique and increasing");
    assert_eq!(status(&r)["mode"], "autonomous");
    assert_eq!(status(&r)["queued"], 2);
    std::thread::sleep(StdDuration::from_millis(800));
    let after = r
        .call_as(&r.manager, "link_replay", json!({}))
        .expect("replay");
    assert_eq!(after["mode"], "online", "{after}");
    assert_eq!(after["queued"], 0);
    let ledger = op.sim.ledger(1).expect("ledger");
    // The delayed first sale was counted by the operator; its resend was a replay.
    assert_eq!(ledger.documents.len(), 2, "{:?}", ledger.documents);
    assert_eq!(ledger.documents[1].offline_ticket_number, Some(sign_2));
    assert!(
        ledger
            .exchanges
            .iter()
            .filter(|e| e.command == TICKET)
            .skip(1)
            .all(|e| e.has_offline_period),
        "R-66: every replayed message carries the offline period"
    );
    // The buyer's QR code carries the autonomous sign; once replayed, the check page
    // finds the receipt by it.
    let page = op.sim.serve_check_page("127.0.0.1:0").expect("check page");
    let body = http_get(page.addr(), &format!("/check?i={sign_2}"));
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("200.00"), "{body}");
    // Reprint shows the autonomous sign the buyer got.
    let reprint = r
        .call_as(&r.cashier, "receipt_get", json!({"number": 1}))
        .expect("reprint");
    assert_eq!(reprint["autonomous"], true);
    assert_eq!(reprint["fiscal_sign"], sign_1.to_string());
}

#[test]
fn a_dropped_answer_is_resent_with_the_same_number_and_counted_once() {
    let (r, op) = linked(3_000);
    op.sim.inject(Fault::DropNextAnswer);
    let sale = r.simple_sale(7_500);
    assert_eq!(sale["autonomous"], false, "{sale}");
    assert_eq!(sale["fiscal_sign"], "9001");
    let ledger = op.sim.ledger(1).expect("ledger");
    assert_eq!(ledger.documents.len(), 1);
    let tickets: Vec<_> = ledger
        .exchanges
        .iter()
        .filter(|e| e.command == TICKET)
        .collect();
    assert_eq!(tickets.len(), 2);
    assert_eq!(tickets[0].reqnum, tickets[1].reqnum);
    assert_eq!(tickets[0].token, tickets[1].token);
    assert!(tickets[1].replay);
    assert_eq!(
        kinds(&r, "ofd_request"),
        1,
        "one request, resent byte for byte"
    );
}

#[test]
fn r53_r62_r63_r65_replay_after_three_offline_shifts_keeps_the_journal_order() {
    let (r, op) = linked(200);
    op.sim.inject(Fault::Down);
    for shift in 0..3 {
        r.simple_sale(1_000 + shift);
        r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 5_000}))
            .expect("deposit");
        r.simple_sale(2_000 + shift);
        let z = r
            .call_as(&r.manager, "shift_close", json!({}))
            .expect("offline Z");
        assert_eq!(z["autonomous"], true, "R-62: the Z is queued");
        let sells = &z["report"]["tickets"][2];
        assert_eq!(
            (sells["count"].as_i64(), sells["offline_count"].as_i64()),
            (Some(2), Some(2)),
            "the offline Z counts its offline receipts: {sells}"
        );
        assert_eq!(z["report"]["money_placements"][0]["offline_count"], 1);
        r.clock.advance(Duration::hours(1));
    }
    assert_eq!(status(&r)["queued"], 12);
    op.sim.inject(Fault::Up);
    let after = r.call_as(&r.manager, "link_test", json!({})).expect("test");
    assert_eq!(after["mode"], "online", "{after}");
    let ledger = op.sim.ledger(1).expect("ledger");
    let numbers: Vec<u64> = ledger
        .documents
        .iter()
        .map(|d| d.printed_document_number.expect("number"))
        .collect();
    assert_eq!(
        numbers,
        (1..=12).collect::<Vec<u64>>(),
        "in order, once each"
    );
    assert!(ledger.documents.iter().all(|d| d.is_offline));
    let commands: Vec<i32> = ledger.documents.iter().map(|d| d.command).collect();
    assert_eq!(
        &commands[..4],
        &[TICKET, MONEY_PLACEMENT, TICKET, CLOSE_SHIFT]
    );
    assert!(
        ledger
            .exchanges
            .first()
            .is_some_and(|e| e.has_offline_period),
        "R-64: the first message reports the autonomous period"
    );
}

#[test]
fn r65_an_interrupted_replay_resumes_after_a_restart_without_duplicates() {
    let (mut r, op) = linked(200);
    op.sim.inject(Fault::Down);
    r.simple_sale(1_000);
    r.simple_sale(2_000);
    r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 5_000}))
        .expect("deposit");
    r.simple_sale(3_000);
    op.sim.inject(Fault::Up);
    op.sim.inject(Fault::RejectCommand {
        command: MONEY_PLACEMENT,
        code: 254,
    });
    let stopped = r
        .call_as(&r.manager, "link_replay", json!({}))
        .expect("replay");
    assert_eq!(stopped["mode"], "autonomous");
    assert_eq!(stopped["queued"], 2);
    assert_eq!(op.sim.ledger(1).expect("ledger").documents.len(), 2);
    // The register restarts in the middle of its replay.
    r.reopen();
    r.core
        .attach_link(options(vec![op.server.addr().to_string()], 500))
        .expect("link");
    op.sim.clear_faults();
    let done = r
        .call_as(&r.manager, "link_replay", json!({}))
        .expect("replay");
    assert_eq!(done["mode"], "online", "{done}");
    let ledger = op.sim.ledger(1).expect("ledger");
    let numbers: Vec<u64> = ledger
        .documents
        .iter()
        .filter_map(|d| d.printed_document_number)
        .collect();
    assert_eq!(numbers, vec![1, 2, 3, 4]);
}

#[test]
fn a_refused_token_blocks_until_a_new_token_is_entered() {
    let r = Register::new();
    let op = operator(777);
    r.core
        .attach_link(options(vec![op.server.addr().to_string()], 1_000))
        .expect("link");
    let sale = r.simple_sale(1_000);
    assert_eq!(sale["autonomous"], true, "the receipt still prints: {sale}");
    let st = status(&r);
    assert_eq!(st["mode"], "blocked");
    assert!(
        st["reason"].as_str().unwrap_or("").contains("token"),
        "{st}"
    );
    let refused = r.sell(
        json!([{"name": "Нан", "price_tiyn": 100, "quantity_milli": 1000}]),
        json!([{"kind": "cash", "amount_tiyn": 100}]),
    );
    assert_eq!(code(refused), ErrorCode::LinkBlocked);
    r.call_as(
        &r.admin,
        "settings_update",
        json!({"changes": {"token": 777}}),
    )
    .expect("new token");
    let after = r
        .call_as(&r.manager, "link_replay", json!({}))
        .expect("replay");
    assert_eq!(after["mode"], "online", "{after}");
    assert_eq!(op.sim.ledger(1).expect("ledger").documents.len(), 1);
}

#[test]
fn r42_when_channel_one_is_down_channel_two_carries_the_receipt() {
    let r = Register::new();
    let op = operator(r.core.settings().token);
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .to_string();
    r.core
        .attach_link(options(vec![dead, op.server.addr().to_string()], 2_000))
        .expect("link");
    let sale = r.simple_sale(3_000);
    assert_eq!(sale["autonomous"], false, "{sale}");
    assert_eq!(sale["fiscal_sign"], "9001");
    assert_eq!(status(&r)["channel"], 2);
}

#[test]
fn r50_an_operator_block_stops_work_shows_its_text_and_lifts_on_the_link_test() {
    let (r, op) = linked(1_000);
    op.sim.inject(Fault::Block {
        text: "Тіркеу тоқтатылды / Регистрация приостановлена".into(),
    });
    let sale = r.simple_sale(1_000);
    assert!(
        sale["notices"]
            .to_string()
            .contains("Регистрация приостановлена"),
        "R-50: {sale}"
    );
    assert!(
        notice_keys(&sale).contains(&"operator_message"),
        "R-50: the text comes as the operator's message: {sale}"
    );
    assert_eq!(status(&r)["mode"], "blocked");
    let still = r.call_as(&r.manager, "link_test", json!({})).expect("test");
    assert_eq!(still["mode"], "blocked");
    op.sim.inject(Fault::Unblock);
    let after = r.call_as(&r.manager, "link_test", json!({})).expect("test");
    assert_eq!(after["mode"], "online", "{after}");
    assert_eq!(op.sim.ledger(1).expect("ledger").documents.len(), 1);
}

#[test]
fn r61_after_72_hours_autonomous_fiscal_operations_stop_with_a_countdown_before() {
    let (r, op) = linked(150);
    op.sim.inject(Fault::Down);
    r.simple_sale(1_000);
    r.clock.advance(Duration::hours(23));
    r.call_as(&r.manager, "shift_close", json!({})).expect("Z");
    r.clock.advance(Duration::hours(26));
    let warned = r.simple_sale(1_000);
    assert!(
        notice_keys(&warned).contains(&"autonomous_time_left"),
        "the countdown shows in the last day: {warned}"
    );
    assert!(status(&r)["minutes_left"].as_i64().unwrap_or(0) > 0);
    r.clock.advance(Duration::hours(23));
    let refused = r.sell(
        json!([{"name": "Нан", "price_tiyn": 100, "quantity_milli": 1000}]),
        json!([{"kind": "cash", "amount_tiyn": 100}]),
    );
    assert_eq!(code(refused), ErrorCode::AutonomousLimit);
    // The Z is still possible, and delivering the queue lifts the limit.
    r.call_as(&r.manager, "shift_close", json!({}))
        .expect("Z at the limit");
    op.sim.inject(Fault::Up);
    let after = r.call_as(&r.manager, "link_test", json!({})).expect("test");
    assert_eq!(after["mode"], "online", "{after}");
    r.simple_sale(1_000);
}

#[test]
fn r58_autonomous_signs_stay_unique_across_restarts() {
    let (mut r, op) = linked(150);
    op.sim.inject(Fault::Down);
    let a = r.simple_sale(1_000)["fiscal_sign"].clone();
    r.reopen();
    r.core
        .attach_link(options(vec![op.server.addr().to_string()], 150))
        .expect("link");
    let b = r.simple_sale(1_000)["fiscal_sign"].clone();
    assert_ne!(a, b);
    assert_eq!(
        status(&r)["mode"],
        "autonomous",
        "the mode survives the restart"
    );
    let _ = SYSTEM;
}

#[test]
fn garbage_and_a_cut_answer_are_retried_without_a_duplicate_or_a_panic() {
    let (r, op) = linked(2_000);
    op.sim.inject(Fault::GarbageNext);
    let first = r.simple_sale(1_000);
    assert_eq!(first["autonomous"], false, "{first}");
    op.sim.inject(Fault::CloseMidFrame);
    let second = r.simple_sale(2_000);
    assert_eq!(second["autonomous"], false, "{second}");
    let ledger = op.sim.ledger(1).expect("ledger");
    assert_eq!(ledger.documents.len(), 2, "{:?}", ledger.documents);
    assert_eq!(
        (first["fiscal_sign"].clone(), second["fiscal_sign"].clone()),
        (json!("9001"), json!("9002"))
    );
    assert_eq!(kinds(&r, "ofd_request"), 2);
}

#[test]
fn r47_r55_the_default_budget_is_five_seconds() {
    let r = Register::new();
    let op = operator(r.core.settings().token);
    r.core
        .attach_link(LinkOptions {
            channels: Some(vec![op.server.addr().to_string()]),
            ..LinkOptions::default()
        })
        .expect("link");
    op.sim.inject(Fault::DelayNextMs(5_600));
    let started = std::time::Instant::now();
    let sale = r.simple_sale(1_000);
    let waited = started.elapsed();
    assert_eq!(sale["autonomous"], true, "{sale}");
    assert!(
        waited >= StdDuration::from_millis(4_900) && waited < StdDuration::from_millis(5_600),
        "R-55: autonomous after 5 s, not before and not much later: {waited:?}"
    );
}

#[test]
fn the_operators_registration_data_are_compared_with_the_settings() {
    let (r, op) = linked(2_000);
    let check = r
        .call_as(&r.admin, "link_registration", json!({}))
        .expect("registration");
    assert_eq!(check["operator"]["rnm"], "DEMO00000001", "{check}");
    assert_eq!(check["matches"], true, "{check}");
    // The operator knows another BIN: the difference is shown, nothing is changed.
    let sim = Simulator::new(SimConfig::default());
    let mut other = DeviceRegistration::new(1, r.core.settings().token, "DEMO00000001");
    other.org_iin = "123456789012".into();
    sim.register(other);
    let server = sim.serve("127.0.0.1:0").expect("listen");
    r.core
        .attach_link(options(vec![server.addr().to_string()], 2_000))
        .expect("link");
    let check = r
        .call_as(&r.admin, "link_registration", json!({}))
        .expect("registration");
    assert_eq!(check["matches"], false);
    assert!(check["differences"].to_string().contains("bin"), "{check}");
    drop(op);
}

#[test]
fn r41_the_worker_sends_the_availability_message_and_replays_on_its_own() {
    let r = Register::new();
    let op = operator(r.core.settings().token);
    let core = std::sync::Arc::new(r.core);
    core.attach_link(LinkOptions {
        test_every: StdDuration::from_millis(50),
        reconnect_every: StdDuration::from_millis(50),
        ..options(vec![op.server.addr().to_string()], 300)
    })
    .expect("link");
    let worker = sauda::link::spawn_worker(&core, StdDuration::from_millis(20));
    let deadline = std::time::Instant::now() + StdDuration::from_secs(5);
    let systems = || {
        op.sim.ledger(1).map_or(0, |l| {
            l.exchanges.iter().filter(|e| e.command == SYSTEM).count()
        })
    };
    while systems() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(StdDuration::from_millis(20));
    }
    assert!(
        systems() >= 2,
        "item 78.2: the link is tested on a schedule"
    );
    // While autonomous, the worker delivers the queue without anyone asking.
    op.sim.inject(Fault::Down);
    let cashier = core.login("3333").expect("cashier");
    let sale = sauda::commands::dispatch(
        &core,
        &cashier,
        "receipt_sell",
        json!({"items": [{"name": "Нан", "price_tiyn": 100, "quantity_milli": 1000}],
               "payments": [{"kind": "cash", "amount_tiyn": 100}]}),
    )
    .expect("sale");
    assert_eq!(sale["autonomous"], true);
    op.sim.inject(Fault::Up);
    while core.link_status().map(|s| s.mode).unwrap_or_default() != "online"
        && std::time::Instant::now() < deadline + StdDuration::from_secs(5)
    {
        std::thread::sleep(StdDuration::from_millis(20));
    }
    assert_eq!(core.link_status().expect("status").mode, "online");
    assert_eq!(op.sim.ledger(1).expect("ledger").documents.len(), 1);
    drop(core);
    worker.join().expect("the worker ends with the core");
}

#[test]
fn the_operators_x_report_agrees_with_the_registers() {
    let (r, _op) = linked(2_000);
    r.simple_sale(1_500);
    r.simple_sale(2_500);
    // Cash with change and a mixed payment: the operator counts cash net of change.
    r.sell(
        json!([{"name": "Нан", "price_tiyn": 30_000, "quantity_milli": 1000}]),
        json!([{"kind": "card", "amount_tiyn": 10_000}, {"kind": "cash", "amount_tiyn": 50_000}]),
    )
    .expect("mixed sale with change");
    let x = r
        .call_as(&r.manager, "link_report_x", json!({}))
        .expect("operator X");
    assert_eq!(x["differences"], json!([]), "{x}");
    let sells = x["tickets"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["operation"] == "sell"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (sells["count"].clone(), sells["sum_tiyn"].clone()),
        (json!(3), json!(34_000))
    );
}

#[test]
fn prop_every_sale_reaches_the_operator_with_amounts_that_add_up() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let (r, op) = linked(2_000);
    // Receipt discounts up to 50 % are generated: the cashier may give them here.
    r.call_as(
        &r.admin,
        "settings_update",
        json!({"changes": {"discount_limit_cashier": 50_000}}),
    )
    .expect("limit raised");
    let groups = ["16", "10", "0", "exempt"];
    let mut runner = TestRunner::new(Config {
        cases: 48,
        ..Config::default()
    });
    let strategy = (
        proptest::collection::vec((1i64..=2_000_000, 1i64..=5_000, 0usize..4), 1..5),
        0u32..=50_000,
        any::<bool>(),
    );
    runner
        .run(&strategy, |(lines, discount_milli, with_card)| {
            let items: Vec<Value> = lines
                .iter()
                .map(|(price, qty, g)| {
                    json!({"name": "Тауар", "price_tiyn": price, "quantity_milli": qty, "vat_group": groups[*g], "unit": "кг"})
                })
                .collect();
            let bound: i64 = lines.iter().map(|(p, q, _)| p * q / 1000 + 100).sum();
            let mut payments = vec![json!({"kind": "cash", "amount_tiyn": bound})];
            if with_card {
                payments.insert(0, json!({"kind": "card", "amount_tiyn": 1}));
            }
            r.clock.advance(Duration::seconds(1));
            let sale = dispatch_sale(&r, json!({
                "items": items,
                "payments": payments,
                "adjustment": {"kind": "discount", "percent_milli": discount_milli},
            }));
            prop_assert_eq!(&sale["autonomous"], &json!(false), "{}", sale);
            let ledger = op.sim.ledger(1).expect("ledger");
            let last = ledger.documents.last().expect("counted");
            prop_assert_eq!(last.total, sale["total_tiyn"].as_i64());
            Ok(())
        })
        .expect("every sale adds up");
    // The shift stays open: one Z for all of them, and the operator has each once.
    let count = op.sim.ledger(1).expect("ledger").documents.len();
    assert!(count >= 48, "{count}");
}

fn dispatch_sale(r: &Register, input: Value) -> Value {
    sauda::commands::dispatch(&r.core, &r.cashier, "receipt_sell", input).expect("a valid sale")
}

#[test]
fn r78_a_return_of_a_foreign_receipt_reaches_the_operator_with_its_original() {
    let (r, op) = linked(2_000);
    r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 50_000}))
        .expect("deposit");
    let back = r
        .call_as(
            &r.cashier,
            "receipt_return_external",
            json!({
                "original": {"rnm": "600400300200", "fiscal_sign": "2358573071",
                             "date_time": "2025-12-20 18:45", "total_tiyn": 50_000},
                "items": [{"name": "Шай", "price_tiyn": 11_200, "quantity_milli": 1000, "vat_group": "12"}],
                "payments": [{"kind": "cash", "amount_tiyn": 11_200}],
            }),
        )
        .expect("return");
    assert_eq!(back["autonomous"], false, "{back}");
    let ledger = op.sim.ledger(1).expect("ledger");
    let ret = ledger.documents.last().expect("counted");
    assert_eq!(ret.operation, Some(3), "OPERATION_SELL_RETURN");
    let request = sauda_ofd::v204::Request::decode(ret.request.as_slice()).expect("decodes");
    let parent = request
        .ticket
        .and_then(|t| t.parent_ticket)
        .expect("parent_ticket");
    assert_eq!(parent.parent_ticket_number, "2358573071");
    assert_eq!(parent.kgd_kkm_id, "600400300200");
    assert_eq!(parent.parent_ticket_total.bills, 500);
}

/// `…?i=SIGN&f=RNM&s=TENGE.TT&t=YYYYMMDDTHHMMSS` (R-73, reading A-15).
fn assert_qr_mask(qr: &str, sign: &str, rnm: &str, total_tiyn: i64) {
    let (_, query) = qr.split_once('?').expect("a query");
    let fields: Vec<(&str, &str)> = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .collect();
    let names: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    assert_eq!(names, ["i", "f", "s", "t"], "{qr}");
    assert_eq!(fields[0].1, sign);
    assert_eq!(fields[1].1, rnm);
    assert_eq!(
        fields[2].1,
        format!("{}.{:02}", total_tiyn / 100, total_tiyn % 100)
    );
    let t = fields[3].1;
    assert!(
        t.len() == 15
            && t.as_bytes()[8] == b'T'
            && t.chars().filter(char::is_ascii_digit).count() == 14,
        "{qr}"
    );
}

#[test]
fn r60_r71_r72_r73_the_qr_code_follows_the_mask_online_and_autonomous() {
    let (r, op) = linked(300);
    let rnm = r.core.settings().rnm;
    let online = r.simple_sale(123_450);
    assert_qr_mask(online["qr"].as_str().expect("qr"), "9001", &rnm, 123_450);
    op.sim.inject(Fault::Down);
    let offline = r.simple_sale(5_005);
    let sign = offline["fiscal_sign"].as_str().expect("sign").to_string();
    assert_eq!(offline["autonomous"], true);
    assert!(
        notice_keys(&offline).contains(&"autonomous"),
        "R-60: the cashier is told the receipt is autonomous: {offline}"
    );
    assert_qr_mask(offline["qr"].as_str().expect("qr"), &sign, &rnm, 5_005);
}

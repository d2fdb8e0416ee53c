//! The link across restarts and people's decisions: nothing sent twice or lost after a
//! restart, service numbers not reused, a refused document resolved by an administrator,
//! an idle break reported, and autonomous signs unique after a restored backup.

use std::time::Duration as StdDuration;

use sauda::error::ErrorCode;
use sauda_ofd::sim::Fault;
use serde_json::json;

use super::*;
use crate::support::{Register, code};

#[test]
fn r65_after_a_restart_accepted_cash_slips_and_z_reports_are_not_sent_again() {
    let (mut r, op) = linked(2_000);
    r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 5_000}))
        .expect("deposit");
    r.simple_sale(1_000);
    r.call_as(&r.manager, "shift_close", json!({})).expect("Z");
    assert_eq!(op.sim.ledger(1).expect("ledger").documents.len(), 3);
    r.reopen();
    r.core
        .attach_link(options(vec![op.server.addr().to_string()], 2_000))
        .expect("link");
    assert_eq!(status(&r)["queued"], 0, "{}", status(&r));
    r.simple_sale(2_000);
    let ledger = op.sim.ledger(1).expect("ledger");
    assert_eq!(ledger.documents.len(), 4, "nothing counted twice");
    assert_eq!(
        ledger.documents_of(MONEY_PLACEMENT).count(),
        1,
        "the deposit once"
    );
}

#[test]
fn after_a_restart_an_unanswered_document_is_resent_with_its_token_and_number() {
    let (mut r, op) = linked(200);
    op.sim.inject(Fault::DelayNextMs(700));
    let sale = r.simple_sale(1_000);
    assert_eq!(sale["autonomous"], true);
    std::thread::sleep(StdDuration::from_millis(800));
    r.reopen();
    r.core
        .attach_link(options(vec![op.server.addr().to_string()], 2_000))
        .expect("link");
    let done = r.call_as(&r.manager, "link_test", json!({})).expect("test");
    assert_eq!(done["mode"], "online", "{done}");
    let ledger = op.sim.ledger(1).expect("ledger");
    assert_eq!(ledger.documents.len(), 1, "counted once");
    let tickets: Vec<_> = ledger
        .exchanges
        .iter()
        .filter(|e| e.command == TICKET)
        .collect();
    assert_eq!(tickets.len(), 2);
    assert_eq!(
        (tickets[1].token, tickets[1].reqnum),
        (tickets[0].token, tickets[0].reqnum)
    );
    assert!(tickets[1].replay && tickets[1].has_offline_period);
}

#[test]
fn a_service_requests_number_is_not_reused_after_a_restart() {
    let (mut r, op) = linked(2_000);
    r.call_as(&r.manager, "link_test", json!({})).expect("test");
    r.reopen();
    r.core
        .attach_link(options(vec![op.server.addr().to_string()], 2_000))
        .expect("link");
    r.simple_sale(1_000);
    let numbers: Vec<u16> = op
        .sim
        .ledger(1)
        .expect("ledger")
        .exchanges
        .iter()
        .map(|e| e.reqnum)
        .collect();
    assert_eq!(
        numbers,
        vec![1, 2],
        "§1.6: the ticket takes the next number"
    );
}

#[test]
fn a_refused_document_blocks_until_an_administrator_decides_and_the_decision_is_journaled() {
    let (r, op) = linked(2_000);
    op.sim.inject(Fault::RefuseNext(13));
    let sale = r.simple_sale(1_000);
    assert_eq!(
        sale["autonomous"], true,
        "the receipt still has a sign: {sale}"
    );
    assert_eq!(status(&r)["mode"], "blocked");
    assert_eq!(
        code(r.sell(
            json!([{"name": "Нан", "price_tiyn": 100, "quantity_milli": 1000}]),
            json!([{"kind": "cash", "amount_tiyn": 100}]),
        )),
        ErrorCode::LinkBlocked
    );
    // Asking again changes nothing and writes nothing.
    let modes = kinds(&r, "link_mode");
    r.call_as(&r.manager, "link_test", json!({})).expect("test");
    assert_eq!(kinds(&r, "link_mode"), modes);
    assert_eq!(
        code(r.call_as(
            &r.manager,
            "link_resolve",
            json!({"action": "resend", "reason": "operator fixed"})
        )),
        ErrorCode::Forbidden
    );
    let after = r
        .call_as(
            &r.admin,
            "link_resolve",
            json!({"action": "resend", "reason": "the operator corrected its price list"}),
        )
        .expect("resolve");
    assert_eq!(after["mode"], "online", "{after}");
    assert_eq!(op.sim.ledger(1).expect("ledger").documents.len(), 1);
    assert_eq!(kinds(&r, "ofd_resolution"), 1);

    // Removing instead: the next refused document leaves the queue, the rest goes on.
    op.sim.inject(Fault::RefuseNext(13));
    r.simple_sale(2_000);
    let after = r
        .call_as(
            &r.admin,
            "link_resolve",
            json!({"action": "remove", "reason": "agreed with the operator, ticket 77"}),
        )
        .expect("resolve");
    assert_eq!(after["mode"], "online", "{after}");
    r.simple_sale(3_000);
    let totals: Vec<Option<i64>> = op
        .sim
        .ledger(1)
        .expect("ledger")
        .documents
        .iter()
        .map(|d| d.total)
        .collect();
    assert_eq!(totals, vec![Some(1_000), Some(3_000)]);
}

#[test]
fn r64_a_break_noticed_while_idle_is_reported_when_the_operator_is_back() {
    let (r, op) = linked(200);
    op.sim.inject(Fault::Down);
    let st = r.call_as(&r.manager, "link_test", json!({})).expect("test");
    assert_eq!(st["mode"], "autonomous", "{st}");
    op.sim.inject(Fault::Up);
    let st = r.call_as(&r.manager, "link_test", json!({})).expect("test");
    assert_eq!(st["mode"], "online", "{st}");
    let ledger = op.sim.ledger(1).expect("ledger");
    let last = ledger.exchanges.last().expect("an exchange");
    assert!(
        last.command == SYSTEM && last.has_offline_period,
        "{:?}",
        ledger.exchanges
    );
}

/// Any valid sale, with any mix of lines, VAT groups, discounts and payments, reaches
/// the operator with amounts that add up (the simulator refuses with 13 otherwise) and
/// the total the register printed.
fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read folder").flatten() {
        if entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
}

#[test]
fn r58_autonomous_signs_never_repeat_after_a_backup_is_restored() {
    let (mut r, op) = linked(150);
    op.sim.inject(Fault::Down);
    r.simple_sale(1_000);
    let backup = tempfile::tempdir().expect("backup folder");
    r.offline(|d| copy_folder(d, backup.path()));
    let reattach = |r: &Register| {
        r.core
            .attach_link(options(vec![op.server.addr().to_string()], 150))
            .expect("link")
    };
    reattach(&r);
    let later: Vec<String> = (0..3)
        .map(|i| {
            r.simple_sale(2_000 + i)["fiscal_sign"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    // The whole folder goes back to the backup, as after a restore.
    r.offline(|d| {
        for entry in std::fs::read_dir(d).expect("read").flatten() {
            if entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
                std::fs::remove_file(entry.path()).expect("remove");
            }
        }
        copy_folder(backup.path(), d);
    });
    reattach(&r);
    assert_eq!(status(&r)["queued"], 1, "the restored journal");
    let after = r.simple_sale(3_000)["fiscal_sign"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        !later.contains(&after),
        "R-58: {after} was already given: {later:?}"
    );
    let newest: u64 = later
        .iter()
        .filter_map(|s| s.parse().ok())
        .max()
        .unwrap_or(0);
    assert!(after.parse::<u64>().unwrap_or(0) > newest);
}

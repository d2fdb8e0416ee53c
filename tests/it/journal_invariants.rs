//! The accumulator's defences: the database refuses edits, and with its triggers
//! dropped every kind of tampering is found by `verify` and blocks sales.

use sauda::error::ErrorCode;
use sauda::journal::verify::Check;
use serde_json::json;

use crate::support::{Register, code};

fn register_with_history() -> Register {
    let r = Register::new();
    for price in [1_000, 2_000, 3_000] {
        r.simple_sale(price);
    }
    r.call_as(&r.manager, "shift_close", json!(null))
        .expect("Z");
    for price in [4_000, 5_000] {
        r.simple_sale(price);
    }
    r
}

#[test]
fn r97_r99_update_and_delete_on_the_journal_fail() {
    let r = register_with_history();
    let conn = r.conn();
    let update = conn.execute("UPDATE journal SET payload = x'00' WHERE seq = 5", []);
    assert!(
        update
            .expect_err("update refused")
            .to_string()
            .contains("append-only")
    );
    let delete = conn.execute("DELETE FROM journal WHERE seq = 5", []);
    assert!(
        delete
            .expect_err("delete refused")
            .to_string()
            .contains("append-only")
    );
}

/// Opens the raw database with the triggers dropped, as an attacker would.
fn without_triggers(r: &Register) -> rusqlite::Connection {
    let conn = r.conn();
    conn.execute_batch("DROP TRIGGER journal_refuses_update; DROP TRIGGER journal_refuses_delete;")
        .expect("drop triggers");
    conn
}

fn assert_blocked(r: &mut Register, check: Check, seq: Option<i64>) {
    let verify = sauda::commands::dispatch(
        &r.core,
        &sauda::users::Caller::system(),
        "journal_verify",
        json!(null),
    )
    .expect("verify runs");
    assert_eq!(verify["ok"], false, "{verify}");
    assert_eq!(verify["failure"]["check"], json!(check), "{verify}");
    if let Some(seq) = seq {
        assert_eq!(verify["failure"]["seq"], seq, "{verify}");
    }
    r.reopen();
    assert!(
        r.core.block().is_some(),
        "the register blocks itself at start"
    );
    let sale = r.sell(
        json!([{"name": "x", "price_tiyn": 100, "quantity_milli": 1000}]),
        json!([{"kind": "cash", "amount_tiyn": 100}]),
    );
    assert_eq!(code(sale), ErrorCode::IntegrityBlocked);
    assert_eq!(
        code(r.call_as(&r.manager, "shift_close", json!(null))),
        ErrorCode::IntegrityBlocked
    );
    // Reading stays possible.
    assert!(r.call_as(&r.manager, "report_x", json!(null)).is_ok());
}

#[test]
fn r25_r27_r31_one_changed_byte_is_found_and_blocks_sales() {
    let mut r = register_with_history();
    let receipt_seq: i64 = r
        .conn()
        .query_row(
            "SELECT seq FROM journal WHERE kind = 'receipt' ORDER BY seq LIMIT 1",
            [],
            |x| x.get(0),
        )
        .expect("a receipt");
    let conn = without_triggers(&r);
    conn.execute(
        "UPDATE journal SET payload = CAST(replace(CAST(payload AS TEXT), '\"total\":1000', '\"total\":1001') AS BLOB) WHERE seq = ?1",
        [receipt_seq],
    )
    .expect("tamper");
    assert_blocked(&mut r, Check::Chain, Some(receipt_seq));
}

#[test]
fn r27_a_deleted_middle_record_is_found() {
    let mut r = register_with_history();
    let conn = without_triggers(&r);
    conn.execute("DELETE FROM journal WHERE seq = 6", [])
        .expect("delete");
    assert_blocked(&mut r, Check::Sequence, Some(6));
}

#[test]
fn r27_cut_off_last_records_are_found() {
    let mut r = register_with_history();
    let conn = without_triggers(&r);
    let last: i64 = conn
        .query_row("SELECT max(seq) FROM journal", [], |x| x.get(0))
        .expect("max");
    conn.execute("DELETE FROM journal WHERE seq >= ?1", [last - 1])
        .expect("truncate");
    assert_blocked(&mut r, Check::Watermark, None);
}

#[test]
fn r27_a_restored_older_copy_is_found() {
    let mut r = register_with_history();
    let copy = r.dir.path().join("old.sqlite");
    r.conn()
        .execute("VACUUM INTO ?1", [copy.to_str().expect("utf-8 path")])
        .expect("backup");
    r.simple_sale(6_000);
    r.offline(|dir| {
        for extra in ["fiscal.sqlite-wal", "fiscal.sqlite-shm"] {
            let _ = std::fs::remove_file(dir.join(extra));
        }
        std::fs::copy(&copy, dir.join("fiscal.sqlite")).expect("restore");
    });
    assert_blocked(&mut r, Check::Watermark, None);
}

#[test]
fn r27_rewritten_z_checksum_is_found() {
    let mut r = register_with_history();
    // Re-chaining needs the key: without it an attacker can only break the chain.
    let conn = without_triggers(&r);
    conn.execute(
        "UPDATE journal SET payload = CAST(replace(CAST(payload AS TEXT), '\"shift_checksum\":\"', '\"shift_checksum\":\"00') AS BLOB) WHERE kind = 'z_report'",
        [],
    )
    .expect("tamper");
    assert_blocked(&mut r, Check::Chain, None);
}

#[test]
fn r58_r104_an_intact_journal_verifies_after_reopen_and_rebuild() {
    let mut r = register_with_history();
    let x_before = r.call_as(&r.manager, "report_x", json!(null)).expect("x");
    r.call_as(&r.admin, "journal_rebuild", json!(null))
        .expect("rebuild");
    let x_after = r.call_as(&r.manager, "report_x", json!(null)).expect("x");
    assert_eq!(x_before["report"]["tickets"], x_after["report"]["tickets"]);
    assert_eq!(
        x_before["report"]["cash_sum"],
        x_after["report"]["cash_sum"]
    );
    r.reopen();
    assert!(r.core.block().is_none());
    let v = sauda::commands::dispatch(
        &r.core,
        &sauda::users::Caller::system(),
        "journal_verify",
        json!(null),
    )
    .expect("verify");
    assert_eq!(v["ok"], true);
    assert_eq!(v["shifts_checked"], 1);
}

/// Sales leave their report rows for later (`Store::write_sale`), yet every report
/// sees them, and after a restart (as after a crash) the missing rows are written from
/// the journal before anything reads them.
#[test]
fn r17_r23_report_rows_of_sales_may_wait_but_reports_and_restarts_never_miss_them() {
    let mut r = Register::new();
    let docs = |r: &Register| -> i64 {
        r.conn()
            .query_row("SELECT count(*) FROM doc", [], |row| row.get(0))
            .expect("count")
    };
    for price in [1_000, 2_000, 3_000] {
        r.simple_sale(price);
    }
    assert_eq!(docs(&r), 0, "the three sales' rows are not written yet");
    let x = r
        .call_as(&r.manager, "report_x", serde_json::json!({}))
        .expect("X");
    assert_eq!(
        x["report"]["tickets"][2]["count"], 3,
        "the X report sees them"
    );
    assert_eq!(docs(&r), 3);
    for price in [4_000, 5_000] {
        r.simple_sale(price);
    }
    assert_eq!(docs(&r), 3);
    // A restart, as after a crash: the first reader writes what was missing.
    r.reopen();
    let x = r
        .call_as(&r.manager, "report_x", serde_json::json!({}))
        .expect("X");
    assert_eq!(x["report"]["tickets"][2]["count"], 5);
    assert_eq!(docs(&r), 5);
}

/// Runs the check on two threads (as for a journal of 10,000 records or more) and on
/// one, over the same database.
fn both_ways(r: &Register) -> [sauda::journal::verify::Outcome; 2] {
    let dir = r.dir.path();
    let rnm = sauda::registration::demo_settings().rnm;
    let key = sauda::journal::keys::load(dir, &rnm, sauda::journal::keys::KeyStoreKind::File)
        .expect("key file");
    let key = sauda::journal::chain::ChainKey::from_bytes(&key);
    let mark = sauda::journal::watermark::Watermark::in_dir(dir);
    let conn = r.conn();
    [1, i64::MAX].map(|from| {
        sauda::journal::verify::verify_with(&conn, &key, &mark, dir, from).expect("verify runs")
    })
}

fn register_with_shifts(shifts: i64) -> Register {
    let r = Register::new();
    for shift in 0..shifts {
        for i in 0..3 {
            r.simple_sale(1_000 + shift * 10 + i);
        }
        r.call_as(&r.manager, "shift_close", json!(null))
            .expect("Z");
    }
    r.simple_sale(7_000);
    r
}

#[test]
fn r26_r27_checking_in_two_halves_finds_what_one_pass_finds() {
    let r = register_with_shifts(6);
    let [halves, one] = both_ways(&r);
    assert!(one.is_ok(), "{one:?}");
    assert_eq!(halves, one);
    assert_eq!(one.shifts_checked, 6);

    // A changed byte in the first half, then one in the second half: the same first
    // failure either way.
    let receipts: Vec<i64> = {
        let conn = r.conn();
        let mut stmt = conn
            .prepare("SELECT seq FROM journal WHERE kind = 'receipt' ORDER BY seq")
            .expect("query");
        stmt.query_map([], |x| x.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("seqs")
    };
    let conn = without_triggers(&r);
    for seq in [receipts[receipts.len() - 2], receipts[1]] {
        conn.execute(
            "UPDATE journal SET created_at = created_at + 1 WHERE seq = ?1",
            [seq],
        )
        .expect("tamper");
        let [halves, one] = both_ways(&r);
        assert_eq!(
            one.failure.as_ref().map(|f| (f.check, f.seq)),
            Some((Check::Chain, Some(seq)))
        );
        assert_eq!(halves, one);
    }
}

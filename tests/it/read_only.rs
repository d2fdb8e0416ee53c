//! The inspector changes nothing: every command of the table, run as the
//! inspector, either is refused before it starts or leaves the journal, the staff list,
//! the settings and the catalogue exactly as they were. The table is read from
//! `COMMANDS`, so a command added later is covered without editing this test.

use sauda::commands::{COMMANDS, dispatch};
use sauda::error::ErrorCode;
use sauda::users::{Caller, Role};
use serde_json::{Value, json};

use crate::link::linked;
use crate::support::Register;

/// Everything a write could touch, as one comparable value.
fn snapshot(r: &Register) -> Value {
    let conn = r.conn();
    let journal: (i64, Option<Vec<u8>>) = conn
        .query_row(
            "SELECT count(*), (SELECT checksum FROM journal ORDER BY seq DESC LIMIT 1) FROM journal",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("journal");
    let users: String = conn
        .query_row(
            "SELECT group_concat(id || name || role || active || pin_hash, '|') FROM user",
            [],
            |row| row.get(0),
        )
        .expect("users");
    let goods: i64 = rusqlite::Connection::open(r.dir.path().join(sauda::catalogue::DB_FILE))
        .and_then(|c| {
            c.query_row(
                "SELECT count(*) + coalesce(sum(price), 0) FROM goods",
                [],
                |row| row.get(0),
            )
        })
        .unwrap_or(-1);
    json!({
        "journal": journal.0,
        "tip": journal.1.map(hex::encode),
        "users": users,
        "settings": r.core.settings().rnm + &r.core.settings().address,
        "goods": goods,
    })
}

/// A real input for each command an inspector may run, so that it does its work.
fn sample(name: &str) -> Value {
    let period = json!({"from": "2026-03-01", "to": "2026-03-31"});
    match name {
        "receipt_get" => json!({"number": 2}),
        "report_z_get" | "report_by_cashier" | "report_by_section" => json!({"shift": 1}),
        "document_list" => json!({"from": "2026-03-01", "to": "2026-03-31", "query": "250"}),
        "journal_export" => period,
        "session_login" => json!({"pin": "0000"}),
        "catalogue_operator_lookup" => json!({"barcode": "4870306000068"}),
        n if n.starts_with("report_period")
            || n == "autonomous_periods"
            || n == "operator_messages" =>
        {
            period
        }
        _ => json!({}),
    }
}

#[test]
fn r84_every_command_run_by_the_inspector_leaves_the_register_unchanged() {
    // Linked to the simulator, so the link's read commands do their work too.
    let (r, _operator) = linked(2_000);
    r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 100_000}))
        .expect("deposit");
    r.simple_sale(25_000);
    r.call_as(&r.manager, "shift_close", json!({})).expect("Z");
    r.simple_sale(12_000);
    let inspector = Caller {
        user_id: -1,
        name: "Инспектор".into(),
        role: Role::Inspector,
    };
    let before = snapshot(&r);
    let mut ran = Vec::new();
    for c in COMMANDS {
        r.tick();
        let out = dispatch(&r.core, &inspector, c.name, sample(c.name));
        if c.access.allows(Role::Inspector) {
            // Allowed commands read; the one refusal expected is the sample's wrong PIN.
            match &out {
                Ok(_) => ran.push(c.name),
                Err(e) if e.code == ErrorCode::WrongPin => {}
                Err(e) => panic!("the inspector's {} failed: {e:?}", c.name),
            }
        } else {
            assert_eq!(
                out.as_ref().map_err(|e| e.code).err(),
                Some(ErrorCode::Forbidden),
                "{} must refuse the inspector",
                c.name
            );
        }
        assert_eq!(snapshot(&r), before, "{} changed the register", c.name);
    }
    for must in [
        "report_x",
        "report_z_get",
        "report_period",
        "document_list",
        "journal_export",
        "journal_verify",
    ] {
        assert!(ran.contains(&must), "{must} ran: {ran:?}");
    }
}

//! Test fixtures: a demo register in a temporary folder with a manual clock, an
//! administrator, a manager and a cashier, and short helpers for common commands.

use std::path::Path;
use std::sync::Arc;

use sauda::commands::dispatch;
use sauda::error::{ApiError, ErrorCode};
use sauda::ports::ManualClock;
use sauda::users::Caller;
use sauda::{Core, InitInput};
use serde_json::{Value, json};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

pub const START: OffsetDateTime = datetime!(2026-03-02 03:00 UTC);

pub struct Register {
    pub dir: tempfile::TempDir,
    pub core: Core,
    pub clock: Arc<ManualClock>,
    pub admin: Caller,
    pub manager: Caller,
    pub cashier: Caller,
}

pub fn init_demo(dir: &Path, clock: Arc<ManualClock>) -> Core {
    let (core, _) =
        Core::init(dir, InitInput::demo("1111"), clock).expect("a demo register can be created");
    core
}

impl Register {
    pub fn new() -> Register {
        let dir = tempfile::tempdir().expect("temporary folder");
        let clock = Arc::new(ManualClock::new(START));
        let core = init_demo(dir.path(), clock.clone());
        let admin = core.login("1111").expect("admin PIN works");
        let mut r = Register {
            dir,
            core,
            clock,
            admin: admin.clone(),
            manager: admin.clone(),
            cashier: admin,
        };
        r.call_as(
            &r.admin.clone(),
            "user_add",
            json!({"name": "Менеджер", "role": "manager", "pin": "2222"}),
        )
        .expect("manager added");
        r.call_as(
            &r.admin.clone(),
            "user_add",
            json!({"name": "Айгүл", "role": "cashier", "pin": "3333"}),
        )
        .expect("cashier added");
        r.manager = r.core.login("2222").expect("manager PIN works");
        r.cashier = r.core.login("3333").expect("cashier PIN works");
        r
    }

    /// Reopens the register from disk, as after a restart.
    pub fn reopen(&mut self) {
        self.core = Core::open(self.dir.path(), self.clock.clone()).expect("the register reopens");
    }

    /// Closes the register, lets `f` do something to its folder (as a person with file
    /// access might), and opens it again.
    pub fn offline(&mut self, f: impl FnOnce(&Path)) {
        // A stand-in register elsewhere holds `core` meanwhile; a fresh folder each time.
        let parking = tempfile::tempdir().expect("parking folder");
        let parked = std::mem::replace(
            &mut self.core,
            init_demo(parking.path(), self.clock.clone()),
        );
        drop(parked);
        f(self.dir.path());
        self.reopen();
        drop(parking);
    }

    pub fn tick(&self) {
        self.clock.advance(Duration::seconds(1));
    }

    pub fn call_as(&self, who: &Caller, name: &str, input: Value) -> Result<Value, ApiError> {
        self.tick();
        dispatch(&self.core, who, name, input)
    }

    pub fn sell(&self, items: Value, payments: Value) -> Result<Value, ApiError> {
        self.call_as(
            &self.cashier,
            "receipt_sell",
            json!({"items": items, "payments": payments}),
        )
    }

    /// A one-line cash sale of `price_tiyn` × 1.
    pub fn simple_sale(&self, price_tiyn: i64) -> Value {
        self.sell(
            json!([{"name": "Нан", "price_tiyn": price_tiyn, "quantity_milli": 1000}]),
            json!([{"kind": "cash", "amount_tiyn": price_tiyn}]),
        )
        .expect("a valid sale is registered")
    }

    pub fn journal_len(&self) -> i64 {
        let conn =
            rusqlite::Connection::open(self.dir.path().join("fiscal.sqlite")).expect("db opens");
        conn.query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
            .expect("count")
    }

    pub fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("fiscal.sqlite")).expect("db opens")
    }
}

/// The keys of the notices a command's answer carries (R-75: worded by the UI).
pub fn notice_keys(out: &Value) -> Vec<&str> {
    out["notices"]
        .as_array()
        .map(|all| all.iter().filter_map(|n| n["key"].as_str()).collect())
        .unwrap_or_default()
}

pub fn code(result: Result<Value, ApiError>) -> ErrorCode {
    match result {
        Ok(v) => panic!("expected a refusal, got {v}"),
        Err(e) => e.code,
    }
}

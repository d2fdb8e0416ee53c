//! `sauda demo`: the embedded demo in one process. The operator simulator runs
//! in-process (its protocol port and its receipt-check page on 127.0.0.1), a fresh DEMO
//! register is linked to it, and a short working day is played through the same
//! command table the app uses: sales in cash, card and mobile, a return, a deposit,
//! the X report, an outage with autonomous receipts and their replay, the Z report and
//! the integrity check. Every sale is fiscalised by the simulator.
//!
//! It only drives commands and prints; it decides nothing fiscal.

use std::path::Path;

use anyhow::Result;
use sauda::Core;
use sauda::commands::dispatch;
use sauda::commands::dto::{ReceiptOut, ReportOut};
use sauda::link::LinkStatus;
use sauda::users::Caller;
use sauda_cli::demo_register::{ADMIN_PIN, CASHIER_PIN, DemoRegister, start};
use sauda_ofd::sim::Fault;
use serde_json::{Value, json};

use crate::print;

pub struct DemoArgs<'a> {
    pub dir: &'a Path,
    pub operator: &'a str,
    pub check_page: &'a str,
    /// Keep the simulator and its receipt-check page up until the process is stopped.
    pub stay: bool,
}

pub fn run(a: DemoArgs<'_>) -> Result<i32> {
    let DemoRegister {
        core,
        sim,
        operator,
        check_page: page,
        worker,
        ..
    } = start(a.dir, a.operator, a.check_page)?;
    println!(
        "Operator simulator on {}, receipt-check page on http://{}/",
        operator.addr(),
        page.addr()
    );
    let admin = core.login(ADMIN_PIN)?;
    let cashier = core.login(CASHIER_PIN)?;
    call(
        &core,
        &admin,
        "cash_deposit",
        json!({"amount_tiyn": 1_000_000}),
    )?;
    let sale = |items: Value, payments: Value| -> Result<ReceiptOut> {
        let out = call(
            &core,
            &cashier,
            "receipt_sell",
            json!({"items": items, "payments": payments}),
        )?;
        let r: ReceiptOut = serde_json::from_value(out)?;
        print::receipt(&r);
        Ok(r)
    };
    let first = sale(
        json!([{"name": "Нан", "price_tiyn": 25_000, "quantity_milli": 2000, "ntin": "02000000010013"},
               {"name": "Сүт 2,5 %", "price_tiyn": 61_050, "quantity_milli": 1000, "vat_group": "10", "section": "dairy",
                "unit": "л", "ntin": "02000000020012", "barcode": "4870001234560"}]),
        json!([{"kind": "cash", "amount_tiyn": 200_000}]),
    )?;
    sale(
        json!([{"name": "Қант", "price_tiyn": 100_000, "quantity_milli": 1500, "unit": "кг",
                "adjustment": {"kind": "discount", "percent_milli": 10_000}}]),
        json!([{"kind": "card", "amount_tiyn": 135_000}]),
    )?;
    sale(
        json!([{"name": "Шай", "price_tiyn": 189_000, "quantity_milli": 1000},
               {"name": "Алма", "price_tiyn": 99_000, "quantity_milli": 750, "unit": "кг"}]),
        json!([{"kind": "mobile", "amount_tiyn": 100_000}, {"kind": "cash", "amount_tiyn": 163_250}]),
    )?;
    let ret: ReceiptOut = serde_json::from_value(call(
        &core,
        &cashier,
        "receipt_return",
        json!({"original_number": first.number, "items": [{"line": 1, "quantity_milli": 1000}]}),
    )?)?;
    print::receipt(&ret);
    let x: ReportOut = serde_json::from_value(call(&core, &admin, "report_x", Value::Null)?)?;
    print::report(&x);

    println!("--- the operator goes away: the register works on, autonomous (R-54) ---");
    sim.inject(Fault::Down);
    sale(
        json!([{"name": "Су", "price_tiyn": 30_000, "quantity_milli": 2000}]),
        json!([{"kind": "cash", "amount_tiyn": 60_000}]),
    )?;
    sale(
        json!([{"name": "Нан", "price_tiyn": 25_000, "quantity_milli": 1000}]),
        json!([{"kind": "card", "amount_tiyn": 25_000}]),
    )?;
    print::link(&link_status(&core, &admin, "link_status")?);
    println!("--- the operator is back: the queue is replayed in order (R-64, R-65) ---");
    sim.inject(Fault::Up);
    print::link(&link_status(&core, &admin, "link_test")?);
    let z: ReportOut = serde_json::from_value(call(&core, &admin, "shift_close", Value::Null)?)?;
    print::report(&z);
    let verify = core.verify()?;
    println!(
        "Accumulator: {} ({} records)",
        if verify.is_ok() { "intact" } else { "DAMAGED" },
        verify.records
    );
    let counted = sim.ledger(1).map_or(0, |l| l.documents.len());
    println!("The simulator counted {counted} documents, each once.");
    println!(
        "Receipt-check page of the first sale: http://{}/?i={}",
        page.addr(),
        first.fiscal_sign.unwrap_or_default()
    );
    if a.stay {
        println!("The simulator keeps running; stop with Ctrl-C.");
        loop {
            std::thread::park();
        }
    }
    drop(core);
    let _ = worker.join();
    Ok(0)
}

fn call(core: &Core, caller: &Caller, name: &str, input: Value) -> Result<Value> {
    Ok(dispatch(core, caller, name, input)?)
}

fn link_status(core: &Core, caller: &Caller, name: &str) -> Result<LinkStatus> {
    Ok(serde_json::from_value(call(
        core,
        caller,
        name,
        Value::Null,
    )?)?)
}

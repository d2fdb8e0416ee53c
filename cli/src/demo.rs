//! `sauda demo`: the embedded demo in one process. The operator simulator runs
//! in-process (its protocol port and its receipt-check page on 127.0.0.1), a fresh DEMO
//! register is linked to it, and a short working day is played through the same
//! command table the app uses: sales in cash, card and mobile, a return, a deposit,
//! the X report, an outage with autonomous receipts and their replay, the Z report and
//! the integrity check. Every sale is fiscalised by the simulator.
//!
//! It only drives commands and prints; it decides nothing fiscal.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use sauda::commands::dispatch;
use sauda::commands::dto::{ReceiptOut, ReportOut};
use sauda::journal::keys::KeyStorePreference;
use sauda::link::{LinkOptions, LinkStatus};
use sauda::ports::SystemClock;
use sauda::users::Caller;
use sauda::{Core, InitInput};
use sauda_ofd::sim::{DeviceRegistration, Fault, SimConfig, Simulator};
use serde_json::{Value, json};

use crate::print;

pub struct DemoArgs<'a> {
    pub dir: &'a Path,
    pub operator: &'a str,
    pub check_page: &'a str,
    /// Keep the simulator and its receipt-check page up until the process is stopped.
    pub stay: bool,
}

/// A fresh DEMO register linked to an in-process operator simulator, with a virtual
/// printer that prints to PNG files: what `sauda demo` plays through and what
/// `sauda serve --demo` serves.
pub struct DemoRegister {
    pub core: Arc<Core>,
    pub sim: Simulator,
    pub operator: sauda_ofd::sim::Server,
    pub check_page: sauda_ofd::sim::Server,
    pub worker: std::thread::JoinHandle<()>,
    /// Where the virtual printer puts each receipt as `N.png`.
    pub paper: std::path::PathBuf,
}

/// The demo's users: administrator 1234, manager 4321, cashier 5678.
pub const ADMIN_PIN: &str = "1234";
pub const MANAGER_PIN: &str = "4321";
pub const CASHIER_PIN: &str = "5678";

pub fn start(dir: &Path, operator: &str, check_page: &str) -> Result<DemoRegister> {
    if dir.exists() && dir.read_dir()?.next().is_some() {
        return Err(anyhow!(
            "{} is not empty: the demo creates a fresh register; remove it or pass another --data folder",
            dir.display()
        ));
    }
    let mut settings = sauda::registration::demo_settings();
    // The QR codes need the page's real port before the simulator starts.
    let check_page = concrete_port(check_page)?;
    let check_url = format!("http://{check_page}/check");
    let sim = Simulator::new(SimConfig {
        check_url: check_url.clone(),
        ..SimConfig::default()
    });
    sim.register(DeviceRegistration {
        id: 1,
        first_token: settings.token,
        rnm: settings.rnm.clone(),
        serial_number: settings.factory_number.clone(),
        org_title: settings.org_name.clone(),
        org_iin: settings.bin.clone(),
        org_address: settings.address.clone(),
    });
    let operator_server = sim
        .serve(operator)
        .with_context(|| format!("cannot start the operator simulator on {operator}"))?;
    let page = sim
        .serve_check_page(&check_page)
        .with_context(|| format!("cannot serve the receipt-check page on {check_page}"))?;
    settings.ofd_channels = vec![operator_server.addr().to_string()];
    settings.receipt_check_url = check_url;
    let (core, warnings) = Core::init(
        dir,
        InitInput {
            settings,
            admin_name: "Әкімші".into(),
            admin_pin: ADMIN_PIN.into(),
            key_store: KeyStorePreference::from_env(),
        },
        Arc::new(SystemClock),
    )?;
    for w in warnings {
        eprintln!("sauda: warning: {w}");
    }
    let core = Arc::new(core);
    core.attach_link(LinkOptions::default())?;
    let worker = sauda::link::spawn_worker(&core, Duration::from_millis(500));
    let admin = core.login(ADMIN_PIN)?;
    for (name, role, pin) in [
        ("Мұрат", "manager", MANAGER_PIN),
        ("Айгүл", "cashier", CASHIER_PIN),
    ] {
        call(
            &core,
            &admin,
            "user_add",
            json!({"name": name, "role": role, "pin": pin}),
        )?;
    }
    // The virtual printer behind the core's printer port prints every receipt to a PNG
    // of the paper (issue 5).
    let paper = dir.join("receipts");
    core.attach_printer(Box::new(crate::printing::CliPrinter::new(
        &format!("png:{}", paper.display()),
        sauda_printers::Profile::generic_80(),
    )?));
    Ok(DemoRegister {
        core,
        sim,
        operator: operator_server,
        check_page: page,
        worker,
        paper,
    })
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

/// `host:0` becomes a free port on that host; any other address stays as given.
fn concrete_port(addr: &str) -> Result<String> {
    if !addr.ends_with(":0") {
        return Ok(addr.to_string());
    }
    let probe =
        std::net::TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    Ok(probe.local_addr()?.to_string())
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

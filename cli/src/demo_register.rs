//! The embedded demo register: a fresh DEMO register in a folder, linked to an
//! in-process operator simulator (its protocol port and receipt-check page on
//! 127.0.0.1), with the demo's three users and a virtual printer that prints every
//! document to a PNG. `sauda demo`, `sauda serve --demo` and the desktop app's demo
//! all start from here.
//!
//! It only assembles parts; it decides nothing fiscal.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use base64::Engine;
use sauda::commands::dispatch;
use sauda::journal::keys::KeyStorePreference;
use sauda::link::LinkOptions;
use sauda::users::Caller;
use sauda::{Core, InitInput};
use sauda_ofd::sim::{DeviceRegistration, SimConfig, Simulator};
use serde_json::{Value, json};

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
    pub clock: Arc<DemoClock>,
}

/// The demo register's clock: the computer's, moved forward on request so a demo or an
/// end-to-end test can show what happens after 24 hours (an expired shift, R-15)
/// without waiting. Only the demo has it; a real register runs on `SystemClock`.
#[derive(Debug, Default)]
pub struct DemoClock {
    ahead_ms: std::sync::atomic::AtomicI64,
}

impl DemoClock {
    /// Moves the clock `hours` forward (never back: documents must not go back in time).
    pub fn advance_hours(&self, hours: u32) {
        self.ahead_ms.fetch_add(
            i64::from(hours) * 3_600_000,
            std::sync::atomic::Ordering::SeqCst,
        );
    }

    /// The control line `clock +HOURS`; `None` for any other line.
    pub fn control(&self, line: &str) -> Option<String> {
        let hours = line.strip_prefix("clock +")?;
        Some(match hours.trim().parse::<u32>() {
            Ok(h) if h <= 24 * 365 => {
                self.advance_hours(h);
                "ok".into()
            }
            _ => format!("error: 'clock +HOURS' needs a whole number of hours, got '{hours}'"),
        })
    }
}

impl sauda::ports::Clock for DemoClock {
    fn now(&self) -> time::OffsetDateTime {
        let ahead = self.ahead_ms.load(std::sync::atomic::Ordering::SeqCst);
        time::OffsetDateTime::now_utc() + time::Duration::milliseconds(ahead)
    }
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
    let clock = Arc::new(DemoClock::default());
    settings.receipt_check_url = check_url;
    let (core, warnings) = Core::init(
        dir,
        InitInput {
            settings,
            admin_name: "Әкімші".into(),
            admin_pin: ADMIN_PIN.into(),
            key_store: KeyStorePreference::from_env(),
        },
        clock.clone(),
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
    // The demo shop's goods, to scan and sell (issue 7).
    call(
        &core,
        &admin,
        "catalogue_import",
        json!({"content_base64": base64::engine::general_purpose::STANDARD.encode(sauda::catalogue::DEMO_CSV)}),
    )?;
    // The virtual printer behind the core's printer port prints every receipt to a PNG
    // of the paper (issue 5).
    let paper = dir.join("receipts");
    core.attach_printer(Box::new(crate::printing::TargetPrinter::new(
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
        clock,
    })
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

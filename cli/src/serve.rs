//! `sauda serve`: the cashier's web UI, the tax inspector's workstation and the command
//! API (the server crate), for one register (`--data`), several (`--config`), or a
//! fresh demo (`--demo`, which also makes a demo inspector account). Plain HTTP stays
//! on loopback; `--tls-listen` adds HTTPS with the given certificate or a generated
//! one whose fingerprint is printed for clients to pin.
//!
//! It wires parts together and prints; every rule lives in the core and the server.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use sauda::Core;
use sauda::remote_access::{AccessStore, NewInspector};
use sauda_server::{AppState, Listeners, Registers, ServerOptions};

use crate::args::ServeArgs;
use crate::server_config::ServerConfig;

/// The demo's inspector, printed at start.
pub const DEMO_INSPECTOR_LOGIN: &str = "inspector";
pub const DEMO_INSPECTOR_PASSWORD: &str = "inspector-demo";

struct Plan {
    registers: Vec<(String, Arc<Core>)>,
    state_dir: PathBuf,
    listen: String,
    tls_listen: Option<String>,
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    names: Vec<String>,
    ui: Option<PathBuf>,
}

/// Plain HTTP when neither the command line nor the file names an address.
fn default_listen() -> String {
    "127.0.0.1:8080".into()
}

pub fn run(dir: &Path, a: ServeArgs) -> Result<i32> {
    // The demo's parts must outlive the server: they are dropped when it stops.
    let mut _demo = None;
    let mut options = ServerOptions::default();
    let plan = if let Some(path) = &a.config {
        let c = ServerConfig::load(path, |k| std::env::var(k).ok())?;
        let from_flags = a.cert.is_some();
        let mut registers = Vec::new();
        for r in &c.registers {
            let core = crate::open(&r.data)
                .with_context(|| format!("register '{}' in {}", r.id, r.data.display()))?;
            registers.push((r.id.clone(), Arc::new(core)));
        }
        Plan {
            registers,
            state_dir: c.state_dir,
            // What the command line (or its environment) says beats the file, as
            // an administrator trying a change on one start expects.
            listen: a.listen.or(c.listen).unwrap_or_else(default_listen),
            tls_listen: a.tls_listen.or(c.tls_listen),
            // Certificate and key come as a pair (clap requires both), never mixed.
            cert: if from_flags { a.cert } else { c.tls.cert },
            key: if from_flags { a.key } else { c.tls.key },
            names: [c.tls.names, a.tls_names].concat(),
            ui: a.ui.or(c.ui_dir),
        }
    } else if a.demo {
        let demo = start_demo(dir, &a)?;
        options.paper_dir = Some(demo.paper.clone());
        let core = demo.core.clone();
        _demo = Some(demo);
        Plan {
            registers: vec![(register_id(dir), core)],
            state_dir: dir.to_path_buf(),
            listen: a.listen.unwrap_or_else(default_listen),
            tls_listen: Some(
                a.tls_listen
                    .unwrap_or_else(|| free_or_any("127.0.0.1:8443")),
            ),
            cert: a.cert,
            key: a.key,
            names: a.tls_names,
            ui: a.ui,
        }
    } else {
        Plan {
            registers: vec![(register_id(dir), Arc::new(crate::open(dir)?))],
            state_dir: dir.to_path_buf(),
            listen: a.listen.unwrap_or_else(default_listen),
            tls_listen: a.tls_listen,
            cert: a.cert,
            key: a.key,
            names: a.tls_names,
            ui: a.ui,
        }
    };
    options.ui_dir = plan.ui.clone().or_else(find_ui);
    if options.ui_dir.is_none() {
        eprintln!(
            "sauda: warning: the web UI is not built, so only the API is served: run `npm --prefix ui ci && npm --prefix ui run build`, or pass --ui DIR"
        );
    }
    std::fs::create_dir_all(&plan.state_dir)
        .with_context(|| format!("cannot create {}", plan.state_dir.display()))?;
    let access = AccessStore::open(&plan.state_dir)?;
    if a.demo {
        demo_inspector(&access)?;
        println!("Inspector login: {DEMO_INSPECTOR_LOGIN} / password: {DEMO_INSPECTOR_PASSWORD}");
    }
    let tls = match &plan.tls_listen {
        Some(addr) => {
            let id = sauda_server::tls::load_or_generate(
                plan.cert.as_deref(),
                plan.key.as_deref(),
                &plan.state_dir,
                &plan.names,
            )?;
            println!(
                "TLS certificate {} (SHA-256 fingerprint {}){}",
                id.cert_path.display(),
                id.fingerprint,
                if id.generated { ", generated now" } else { "" }
            );
            Some((addr.as_str(), sauda_server::tls::server_config(&id)?))
        }
        None => None,
    };
    let registers = Arc::new(Registers::new(plan.registers)?);
    for id in registers.ids() {
        if let Some(s) = registers.summary(id) {
            println!("Register '{id}': {} (RNM {})", s.org_name, s.rnm);
        }
    }
    let state = AppState::new(registers, Arc::new(Mutex::new(access)), options);
    let listeners = Listeners {
        plain: Some(plan.listen.as_str()),
        tls,
    };
    sauda_server::run_until_ctrl_c(state, listeners, |plain, secure| {
        if let Some(addr) = plain {
            println!("Cashier page: http://{addr}/pos.html");
        }
        if let Some(addr) = secure {
            println!("Inspector workstation: https://{addr}/inspector.html");
        }
    })?;
    Ok(0)
}

fn start_demo(dir: &Path, a: &ServeArgs) -> Result<sauda_cli::demo_register::DemoRegister> {
    let demo = sauda_cli::demo_register::start(dir, &a.operator, &a.check_page)?;
    if let Some(addr) = &a.sim_control {
        let listener = std::net::TcpListener::bind(addr)
            .with_context(|| format!("cannot listen on {addr} for simulator control"))?;
        println!("Simulator control on {}", listener.local_addr()?);
        let sim = demo.sim.clone();
        // The simulator's faults, and `clock +HOURS` for the demo register's clock.
        let clock = demo.clock.clone();
        std::thread::spawn(move || {
            sauda_ofd::sim::control::serve_with(listener, sim, |line| clock.control(line))
        });
    }
    println!(
        "DEMO register in {}; operator simulator on {}, receipt-check page on http://{}/",
        dir.display(),
        demo.operator.addr(),
        demo.check_page.addr()
    );
    println!(
        "PINs: cashier {}, manager {}, administrator {}",
        sauda_cli::demo_register::CASHIER_PIN,
        sauda_cli::demo_register::MANAGER_PIN,
        sauda_cli::demo_register::ADMIN_PIN
    );
    Ok(demo)
}

/// The demo inspector, made once; it may read every register of the demo server.
fn demo_inspector(access: &AccessStore) -> Result<()> {
    if access
        .inspectors()?
        .iter()
        .any(|i| i.login == DEMO_INSPECTOR_LOGIN)
    {
        return Ok(());
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    access.add_inspector(
        &NewInspector {
            login: DEMO_INSPECTOR_LOGIN.into(),
            full_name: "Салық инспекторы (демо)".into(),
            password: DEMO_INSPECTOR_PASSWORD.into(),
            registers: Vec::new(),
            valid_from_ms: None,
            valid_until_ms: None,
        },
        now,
    )?;
    Ok(())
}

/// A register's id on a server of one: its folder's name when that makes a usable id.
fn register_id(dir: &Path) -> String {
    dir.file_name()
        .and_then(|n| n.to_str())
        .filter(|n| sauda_server::registers::valid_id(n))
        .unwrap_or("main")
        .to_string()
}

/// `addr` when nothing listens there yet, else any free port on the same host.
fn free_or_any(addr: &str) -> String {
    match std::net::TcpListener::bind(addr) {
        Ok(_) => addr.to_string(),
        Err(_) => "127.0.0.1:0".to_string(),
    }
}

/// `ui/dist` in the current folder, or in the source tree the program was built from
/// (for `cargo run`), or beside the installed program.
fn find_ui() -> Option<PathBuf> {
    let mut candidates = vec![PathBuf::from("ui/dist")];
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist"));
    if let Ok(exe) = std::env::current_exe()
        && let Some(bin_dir) = exe.parent()
    {
        candidates.push(bin_dir.join("ui"));
    }
    candidates
        .into_iter()
        .find(|p| p.join("pos.html").is_file())
}

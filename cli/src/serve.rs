//! `sauda serve`: the cashier's web UI and the command API over HTTP (the server
//! crate), for a browser on the till or for end-to-end tests. With `--demo` it first
//! starts the embedded demo register (operator simulator, virtual printer) and prints
//! the URL and the demo PINs.
//!
//! It wires parts together and prints; every rule lives in the core.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use sauda_server::ServerOptions;

use crate::args::ServeArgs;

pub fn run(dir: &Path, a: ServeArgs) -> Result<i32> {
    let ui_dir = a.ui.clone().or_else(find_ui);
    if ui_dir.is_none() {
        eprintln!(
            "sauda: warning: the web UI is not built, so only the API is served: run `npm --prefix ui ci && npm --prefix ui run build`, or pass --ui DIR"
        );
    }
    let mut options = ServerOptions {
        ui_dir,
        ..ServerOptions::default()
    };
    // The demo's parts must outlive the server: they are dropped when it stops.
    let mut _demo = None;
    let core = if a.demo {
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
        options.paper_dir = Some(demo.paper.clone());
        let core = demo.core.clone();
        _demo = Some(demo);
        core
    } else {
        Arc::new(crate::open(dir)?)
    };
    sauda_server::run_until_ctrl_c(core, &a.listen, options, |addr| {
        println!("Cashier page: http://{addr}/pos.html");
    })?;
    Ok(0)
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

//! `sauda-desktop`: the till. The cashier's web UI (`ui/dist/pos.html`) in a Tauri 2
//! window, the register's core in the same process behind one `call` command, the
//! register's state pushed to the page as events, and the printed paper served to it.
//! Without `--data` it starts the embedded demo (operator simulator, virtual printer).
//!
//! A shell only: every rule is in the core and every command goes through `dispatch`.
//! It owns the window (single instance, remembered size and place, kiosk mode) and
//! the wiring, nothing fiscal.

// No console window behind the till on Windows.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod lan_server;
mod paper;
mod printer_setup;
mod scanner;
mod session;
mod status;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use sauda::error::{ApiError, ErrorCode};
use sauda_cli::demo_register::{self, DemoRegister};
use serde_json::Value;
use tauri::webview::PageLoadEvent;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

use printer_setup::PrinterSetup;
use session::TillSession;

#[derive(Parser, Debug)]
#[command(name = "sauda-desktop", version, about = "Sauda: the till")]
struct Args {
    /// The register's data folder (made with `sauda init`). Without it a fresh demo
    /// register starts in a temporary folder.
    #[arg(long, env = "SAUDA_DATA")]
    data: Option<PathBuf>,
    /// Start the demo register (in --data when given, which must then be empty).
    #[arg(long)]
    demo: bool,
    /// Full screen without window borders, for a till the cashier should not leave.
    #[arg(long, env = "SAUDA_KIOSK")]
    kiosk: bool,
    /// Quit this many milliseconds after the first screen has loaded (scripted runs
    /// and the start-up benchmark).
    #[arg(long)]
    exit_after_ms: Option<u64>,
    /// Show an empty page instead of the app: the start-up benchmark's baseline.
    #[arg(long, hide = true)]
    blank: bool,
    /// A USB-COM barcode scanner to read (e.g. /dev/ttyACM0, /dev/serial/by-id/…, COM3);
    /// keyboard-mode scanners need nothing.
    #[arg(long, env = "SAUDA_SCANNER")]
    scanner: Option<String>,
    /// Start the inspector's LAN server (HTTPS only) on this address at once, e.g.
    /// 0.0.0.0:8443; otherwise an administrator turns it on in the app. Off by default.
    #[arg(long, env = "SAUDA_LAN_SERVER")]
    lan_server: Option<String>,
}

/// The register the window works on, and what must live as long as it does.
struct Register {
    core: Arc<sauda::Core>,
    /// The demo's virtual printer (`png:FOLDER`), its default printer.
    demo_printer: Option<String>,
    _demo: Option<DemoRegister>,
    _demo_folder: Option<tempfile::TempDir>,
}

fn open_register(args: &Args) -> Result<Register> {
    if let (Some(dir), false) = (&args.data, args.demo) {
        let core = Arc::new(sauda_cli::register::open(dir)?);
        return Ok(Register {
            core,
            demo_printer: None,
            _demo: None,
            _demo_folder: None,
        });
    }
    let (dir, folder) = match &args.data {
        Some(dir) => (dir.clone(), None),
        None => {
            let folder = tempfile::Builder::new()
                .prefix("sauda-demo-")
                .tempdir()
                .context("cannot make a temporary folder for the demo register")?;
            (folder.path().to_path_buf(), Some(folder))
        }
    };
    let demo = demo_register::start(&dir, "127.0.0.1:0", "127.0.0.1:0")?;
    eprintln!(
        "sauda-desktop: DEMO register in {}; PINs: cashier {}, manager {}, administrator {}",
        dir.display(),
        demo_register::CASHIER_PIN,
        demo_register::MANAGER_PIN,
        demo_register::ADMIN_PIN
    );
    Ok(Register {
        core: demo.core.clone(),
        demo_printer: Some(format!("png:{}", demo.paper.display())),
        _demo: Some(demo),
        _demo_folder: folder,
    })
}

/// The page's one way into the core (ui/src/lib/transport.ts, `tauriTransport`).
#[tauri::command]
async fn call(
    name: String,
    input: Value,
    till: tauri::State<'_, Arc<TillSession>>,
) -> Result<Value, ApiError> {
    let till = till.inner().clone();
    tauri::async_runtime::spawn_blocking(move || till.call(&name, input))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the command stopped: {e}")))?
}

fn main() {
    let started = Instant::now();
    let args = Args::parse();
    if let Err(e) = run(args, started) {
        let text: Vec<String> = e.chain().map(ToString::to_string).collect();
        eprintln!("sauda-desktop: {}", text.join(": "));
        std::process::exit(1);
    }
}

fn run(args: Args, started: Instant) -> Result<()> {
    #[cfg(target_os = "linux")]
    avoid_blank_webview();
    let register = if args.blank {
        None
    } else {
        Some(open_register(&args)?)
    };
    // The receipt printer: SAUDA_PRINTER, else the one saved on the Printer screen
    // (printer.toml in the data folder), else the demo's virtual printer.
    let till = register.as_ref().map(|r| {
        let printer = PrinterSetup::start(
            r.core.clone(),
            printer_setup::env_choice(),
            r.demo_printer.clone(),
        );
        if let Ok(s) = printer.status(false) {
            eprintln!(
                "sauda-desktop: receipt printer {} ({}, from {:?}){}",
                s.target.as_deref().unwrap_or("none"),
                s.profile.as_deref().unwrap_or("-"),
                s.source,
                s.note
                    .map(|n| format!("; not used: {n}"))
                    .unwrap_or_default()
            );
        }
        Arc::new(TillSession::new(r.core.clone(), printer))
    });
    let paper_till = till.clone();

    // The single-instance plugin goes first: a second start only brings this window up.
    let mut builder =
        tauri::Builder::default().plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }));
    if !args.kiosk {
        builder = builder.plugin(tauri_plugin_window_state::Builder::default().build());
    }
    if let Some(till) = &till {
        builder = builder.manage(till.clone());
    }
    let kiosk = args.kiosk;
    let blank = args.blank;
    let scanner_port = args.scanner.clone();
    let lan_listen = args.lan_server.clone();
    let reader = std::sync::Arc::new(std::sync::Mutex::new(None));
    let reader_slot = reader.clone();
    let exit_after = args.exit_after_ms.map(Duration::from_millis);
    let app = builder
        .invoke_handler(tauri::generate_handler![call])
        .register_uri_scheme_protocol("paper", move |_ctx, request| {
            // The folder follows the printer chosen on the Printer screen.
            let folder = paper_till.as_ref().and_then(|t| t.printer().paper_folder());
            paper::answer(folder.as_deref(), request.uri().path())
        })
        .setup(move |app| {
            let page = if blank { "blank.html" } else { "pos.html" };
            WebviewWindowBuilder::new(app, "main", WebviewUrl::App(page.into()))
                .title("Sauda")
                .inner_size(1024.0, 768.0)
                .min_inner_size(1024.0, 768.0)
                .fullscreen(kiosk)
                .decorations(!kiosk)
                .on_page_load(move |window, load| {
                    if load.event() != PageLoadEvent::Finished {
                        return;
                    }
                    eprintln!(
                        "sauda-desktop: first screen loaded {} ms after start",
                        started.elapsed().as_millis()
                    );
                    if let Some(wait) = exit_after {
                        let handle = window.app_handle().clone();
                        std::thread::spawn(move || {
                            std::thread::sleep(wait);
                            handle.exit(0);
                        });
                    }
                })
                .build()?;
            if let Some(till) = till.clone() {
                till.lan().set_ui(embedded_ui(app.handle()));
                if let Some(listen) = lan_listen.clone() {
                    let on = till.lan().set(lan_server::LanSet {
                        enabled: true,
                        listen: Some(listen),
                    });
                    match on {
                        Ok(s) => eprintln!(
                            "sauda-desktop: LAN server for the inspector: https://{}/inspector.html (SHA-256 fingerprint {})",
                            s.address.unwrap_or_default(),
                            s.fingerprint.unwrap_or_default()
                        ),
                        Err(e) => eprintln!("sauda-desktop: the LAN server did not start: {e}"),
                    }
                }
                status::spawn(app.handle().clone(), till.clone());
                if let Some(port) = scanner_port.clone()
                    && let Ok(mut slot) = reader_slot.lock()
                {
                    *slot = Some(scanner::spawn(app.handle().clone(), till, port));
                }
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .context("the window could not start")?;
    // `run_return`, not `run`: `run` ends the process itself, and the demo's parts
    // (simulator, worker, temporary folder) must be dropped first.
    let code = app.run_return(|_, _| {});
    // The scanner's thread ends before the register it calls into.
    if let Ok(mut slot) = reader.lock()
        && let Some(handle) = slot.take()
    {
        handle.stop();
    }
    drop(register);
    if code != 0 {
        anyhow::bail!("the window ended with status {code}");
    }
    Ok(())
}

/// The pages inside this binary, for the LAN server to serve to the inspector.
fn embedded_ui(app: &tauri::AppHandle) -> sauda_server::EmbeddedUi {
    let resolver = app.asset_resolver();
    sauda_server::EmbeddedUi(Arc::new(move |path: &str| {
        resolver
            .get(path.to_string())
            .map(|asset| (asset.bytes, asset.mime_type))
    }))
}

/// WebKitGTK's DMA-BUF renderer shows a blank window on many NVIDIA and some Wayland
/// desktops; the software path it falls back to draws a till's screens fine.
#[cfg(target_os = "linux")]
fn avoid_blank_webview() {
    const VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    if std::env::var_os(VAR).is_none() {
        // SAFETY: called first thing in `run`, before the window, the core or any
        // other thread exists, so nothing can read the environment concurrently.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var(VAR, "1");
        }
    }
}

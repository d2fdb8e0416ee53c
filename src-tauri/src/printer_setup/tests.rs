//! The Printer screen's calls against a demo register in a temporary folder and a
//! stand-in network printer: a TCP listener on 127.0.0.1 that keeps every byte it is
//! sent and answers each `DLE EOT n` with "ready" (devices.md §3.1, §4.4).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use sauda::InitInput;
use sauda::commands::dispatch;
use sauda::ports::SystemClock;
use sauda::users::Caller;
use serde_json::json;

use super::*;

fn register() -> (tempfile::TempDir, Arc<Core>, Caller) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (core, _) = Core::init(dir.path(), InitInput::demo("1234"), Arc::new(SystemClock))
        .expect("a demo register");
    let admin = core.login("1234").expect("the administrator's PIN");
    (dir, Arc::new(core), admin)
}

fn choice(target: &str, profile: &str) -> Choice {
    Choice {
        target: target.into(),
        profile: profile.into(),
    }
}

/// A network printer on 127.0.0.1: each connection's bytes arrive on `jobs` when the
/// till closes it.
struct FakePrinter {
    target: String,
    jobs: mpsc::Receiver<Vec<u8>>,
}

impl FakePrinter {
    fn start() -> FakePrinter {
        let listener = TcpListener::bind("127.0.0.1:0").expect("listens");
        let target = format!("tcp:{}", listener.local_addr().expect("address"));
        let (tx, jobs) = mpsc::channel();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { break };
                let tx = tx.clone();
                std::thread::spawn(move || serve(conn, &tx));
            }
        });
        FakePrinter { target, jobs }
    }

    /// The next connection that carried a print job (`ESC @`), skipping status checks.
    fn next_job(&self) -> Vec<u8> {
        loop {
            let bytes = self
                .jobs
                .recv_timeout(Duration::from_secs(20))
                .expect("the printer got a job");
            if contains(&bytes, &[0x1B, 0x40]) {
                return bytes;
            }
        }
    }
}

fn serve(mut conn: TcpStream, tx: &mpsc::Sender<Vec<u8>>) {
    let mut got = Vec::new();
    let mut scanned = 0;
    let mut buf = [0u8; 8192];
    loop {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
        while scanned + 3 <= got.len() {
            if got[scanned..scanned + 2] == [0x10, 0x04] && (1..=4).contains(&got[scanned + 2]) {
                let _ = conn.write_all(&[0x12]);
                scanned += 3;
            } else {
                scanned += 1;
            }
        }
    }
    let _ = tx.send(got);
}

fn contains(bytes: &[u8], part: &[u8]) -> bool {
    bytes.windows(part.len()).any(|w| w == part)
}

fn sell(core: &Core, who: &Caller) -> Result<Value, ApiError> {
    dispatch(
        core,
        who,
        "receipt_sell",
        json!({"items": [{"name": "Нан", "price_tiyn": 25_000, "quantity_milli": 1000}],
               "payments": [{"kind": "cash", "amount_tiyn": 25_000}]}),
    )
}

#[test]
fn printer_a_saved_choice_reads_back_and_is_used_at_the_next_start() {
    let (dir, core, _) = register();
    assert_eq!(load(dir.path()), Ok(None));
    let spooler = choice(r#"spooler:XP-80C "каса" \1"#, r"C:\Sauda\my printer.toml");
    save(dir.path(), &spooler).expect("saved");
    assert_eq!(load(dir.path()), Ok(Some(spooler)));
    let network = choice("tcp:192.168.1.50:9100", "epson-tm-80mm");
    save(dir.path(), &network).expect("saved over");
    assert_eq!(load(dir.path()), Ok(Some(network.clone())));
    assert!(!dir.path().join("printer.toml.tmp").exists(), "renamed");
    let setup = PrinterSetup::start(core, None, None);
    let status = setup.status(false).expect("status");
    assert_eq!(status.source, Source::Settings);
    assert_eq!(status.target.as_deref(), Some(network.target.as_str()));
    assert_eq!(status.columns, Some(48));
    assert_eq!(status.note, None);
}

#[test]
fn printer_the_environment_wins_over_the_saved_choice_and_the_screen_says_so() {
    let (dir, core, _) = register();
    save(dir.path(), &choice("tcp:192.168.1.50", "generic-80mm")).expect("saved");
    let paper = dir.path().join("paper.bin");
    let env = choice(&format!("file:{}", paper.display()), "generic-58mm");
    let setup = PrinterSetup::start(core, Some(env.clone()), None);
    let status = setup.status(true).expect("status");
    assert_eq!(status.source, Source::Environment);
    assert_eq!(status.target, Some(env.target.clone()));
    assert_eq!(status.columns, Some(32));
    assert_eq!(status.state, "no_answer", "a file has no way back");
    let refused = setup
        .set(choice("tcp:10.0.0.9", "generic-80mm"))
        .expect_err("the environment decides");
    assert_eq!(refused.code, ErrorCode::Validation);
    assert!(refused.message.contains("SAUDA_PRINTER="), "{refused}");
    assert_eq!(
        load(dir.path()),
        Ok(Some(choice("tcp:192.168.1.50", "generic-80mm"))),
        "the file is left alone"
    );
    // The test page still prints anywhere.
    setup.test(&env).expect("test page");
    let bytes = std::fs::read(&paper).expect("the test page's bytes");
    assert!(bytes.starts_with(&[0x1B, 0x40]), "ESC @ first");
}

#[test]
fn printer_an_unknown_profile_or_a_malformed_target_says_how_to_write_it() {
    let (dir, core, _) = register();
    let setup = PrinterSetup::start(core, None, None);
    let e = setup
        .set(choice("tcp:10.0.0.5", "epson-tm-99"))
        .expect_err("no such profile");
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(
        e.message.contains("unknown printer profile 'epson-tm-99'")
            && e.message.contains("generic-80mm"),
        "{e}"
    );
    for (target, says) in [
        ("printer", "no kind of printer"),
        ("lpt:1", "'lpt' is not a kind"),
        ("serial:/dev/ttyS0@fast", "baud rate"),
    ] {
        let e = setup.set(choice(target, "generic-80mm")).expect_err(target);
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(
            e.message.contains(says) && e.message.contains("tcp:HOST"),
            "{e}"
        );
    }
    let empty = setup.call(
        "printer_set",
        json!({"target": "  ", "profile": "generic-80mm"}),
    );
    assert!(empty.is_err_and(|e| e.message.contains("tcp:192.168.1.50")));
    let typo = setup.call("printer_test", json!({"target": "tcp:x", "profil": "a"}));
    assert!(typo.is_err_and(|e| e.code == ErrorCode::Validation));
    assert_eq!(load(dir.path()), Ok(None), "nothing saved");
    assert_eq!(setup.status(false).expect("status").source, Source::None);
    // A broken file does not stop the till: the screen says why.
    std::fs::write(
        dir.path().join(FILE),
        "target = \"tcp:10.0.0.5\"\nprofile = \"nope\"\n",
    )
    .expect("written");
    let (_other_dir, other, _) = register();
    std::fs::copy(dir.path().join(FILE), other.dir().join(FILE)).expect("copied");
    let started = PrinterSetup::start(other, None, Some("png:/tmp/demo-paper".into()));
    let status = started.status(false).expect("status");
    assert_eq!(status.source, Source::Demo, "the demo's printer stays");
    assert!(
        status
            .note
            .is_some_and(|n| n.contains("unknown printer profile 'nope'"))
    );
}

#[test]
fn printer_the_test_page_goes_to_a_network_printer_without_changing_the_choice() {
    let (_dir, core, _) = register();
    let setup = PrinterSetup::start(core, None, None);
    let printer = FakePrinter::start();
    let asked = setup.status(false).expect("status");
    assert_eq!((asked.source, asked.state.as_str()), (Source::None, "none"));
    setup
        .call(
            "printer_test",
            json!({"target": printer.target, "profile": "epson-tm-80mm"}),
        )
        .expect("the test page prints");
    let job = printer.next_job();
    assert!(contains(&job, &[0x1B, 0x40]), "ESC @");
    assert!(contains(&job, &[0x1B, 0x74, 53]), "ESC t 53: KZ-1048 text");
    // The native QR code (GS ( k, store data) with the test page's text.
    let qr = b"SAUDA TEST epson-tm-80mm";
    let mut store = vec![0x1D, 0x28, 0x6B, qr.len() as u8 + 3, 0x00, 0x31, 0x50, 0x30];
    store.extend_from_slice(qr);
    assert!(contains(&job, &store), "GS ( k with the QR text");
    assert!(
        contains(&job, &[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]),
        "QR printed"
    );
    assert_eq!(
        setup.status(false).expect("status").source,
        Source::None,
        "unchanged"
    );
    // A printer that is not there: a sentence that says what to check.
    let gone = TcpListener::bind("127.0.0.1:0").expect("listens");
    let address = gone.local_addr().expect("address");
    drop(gone);
    let target = format!("tcp:{address}");
    let e = setup
        .test(&choice(&target, "generic-80mm"))
        .expect_err("nobody listens");
    assert_eq!(e.code, ErrorCode::PrinterFault);
    assert!(
        e.message.contains(&target)
            && e.message.contains("cannot be reached")
            && e.message.contains("the address"),
        "{e}"
    );
    let status = setup.status(true).expect("asked");
    assert_eq!(status.state, "none");
}

#[test]
fn printer_a_new_printer_prints_the_next_receipt_and_keeps_the_one_waiting() {
    let (dir, core, admin) = register();
    let setup = PrinterSetup::start(core.clone(), None, None);
    // A printer that takes the pre-sale check but fails the receipt (its device is gone).
    let broken = format!("file:{}", dir.path().join("gone").join("lp0").display());
    setup.set(choice(&broken, "generic-80mm")).expect("set");
    let sale = sell(&core, &admin).expect("the sale stands");
    assert_eq!(sale["printed"], false);
    let number = sale["number"].as_i64().expect("its number");
    let refused = sell(&core, &admin).expect_err("a receipt waits to be printed");
    assert_eq!(refused.code, ErrorCode::PrinterFault);
    // Another printer is attached with the receipt still waiting (R-32, item 84).
    let printer = FakePrinter::start();
    let now = setup
        .call(
            "printer_set",
            json!({"target": printer.target, "profile": "generic-58mm"}),
        )
        .expect("set");
    assert_eq!(now["source"], "settings");
    assert_eq!(now["columns"], 32);
    // Asked when chosen (not "unknown" until a receipt): it answers ready, and the
    // receipt still waiting keeps the status bar at fault with no printer problem.
    assert_eq!(now["state"], "fault", "{now}");
    assert!(now["problem"].is_null(), "{now}");
    assert_eq!(now["unprinted"], number, "still waiting");
    assert_eq!(
        load(dir.path()),
        Ok(Some(choice(&printer.target, "generic-58mm")))
    );
    assert_eq!(
        sell(&core, &admin).map_err(|e| e.code).err(),
        Some(ErrorCode::PrinterFault),
        "still blocked until it is printed"
    );
    let printed = dispatch(&core, &admin, "receipt_print", json!({"number": number}))
        .expect("printed on the new printer");
    assert_eq!(printed["copy"], false, "its first print is the original");
    assert!(contains(&printer.next_job(), &[0x1B, 0x40]));
    // And the next sale prints there too.
    let next = sell(&core, &admin).expect("the next sale");
    assert_eq!(next["printed"], true);
    assert!(contains(&printer.next_job(), &[0x1B, 0x40]));
    let status = setup.status(true).expect("asked now");
    assert_eq!((status.state.as_str(), status.asked), ("ready", true));
    assert_eq!(status.unprinted, None);
}

#[test]
fn printer_profiles_and_discovery_name_what_the_screen_shows() {
    let rows = profiles();
    let epson = rows
        .iter()
        .find(|p| p.name == "epson-tm-80mm")
        .expect("epson");
    assert_eq!(
        (epson.paper_mm, epson.chars, epson.kazakh),
        (80, 48, "text")
    );
    let small = rows
        .iter()
        .find(|p| p.name == "generic-58mm")
        .expect("58 mm");
    assert_eq!(
        (small.paper_mm, small.chars, small.kazakh),
        (58, 32, "raster")
    );
    let serial = rows
        .iter()
        .find(|p| p.name == "xprinter-80mm-serial")
        .expect("serial");
    assert_eq!(serial.kazakh, "inline");
    let (dir, core, _) = register();
    let demo = format!("png:{}", dir.path().join("receipts").display());
    let setup = PrinterSetup::start(core, None, Some(demo.clone()));
    assert_eq!(setup.paper_folder(), Some(dir.path().join("receipts")));
    let printer = FakePrinter::start();
    let address = printer.target.trim_start_matches("tcp:");
    let (host, port) = address.rsplit_once(':').expect("host:port");
    let found = setup
        .call(
            "printer_discover",
            json!({"network": format!("{host}/32"), "port": port.parse::<u16>().expect("port")}),
        )
        .expect("found");
    let found: Vec<Value> = serde_json::from_value(found).expect("a list");
    let last = found.last().expect("the demo's printer");
    assert_eq!(
        (&last["target"], &last["kind"]),
        (&json!(demo), &json!("virtual"))
    );
    let network = &found[0];
    assert_eq!(
        network["target"],
        printer.target.as_str(),
        "the network's answers first"
    );
    assert_eq!(network["kind"], "tcp");
    assert!(
        network["description"]
            .as_str()
            .is_some_and(|d| d.contains("answered"))
    );
    let bad = setup
        .discover(Some("192.168.0.0/16"), None)
        .expect_err("too big");
    assert!(bad.message.contains("/22"), "{bad}");
    // The demo's test page is a picture the screen can show.
    let tested = setup
        .test(&choice(&demo, "generic-80mm"))
        .expect("virtual test page");
    assert_eq!(tested.picture.as_deref(), Some("test-page.png"));
    assert!(dir.path().join("receipts").join("test-page.png").is_file());
}

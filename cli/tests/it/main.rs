//! The `sauda` binary's one integration-test binary: runs the real CLI on a temporary
//! data folder and checks exit codes, the `--json` contract and that refused input
//! writes nothing.

use std::path::Path;
use std::process::{Command, Output};

use sauda_ofd::sim::{DeviceRegistration, Server, SimConfig, Simulator};

fn sauda(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sauda"))
        .arg("--data")
        .arg(dir)
        .args(args)
        .env("SAUDA_KEY_STORE", "file")
        .output()
        .expect("sauda runs")
}

/// Creates a demo register whose operator is a simulator on 127.0.0.1 (demo id 1,
/// demo token 1 000 001), so every CLI document is fiscalised for real.
fn demo_with_operator(dir: &Path) -> (Simulator, Server) {
    let sim = Simulator::new(SimConfig::default());
    sim.register(DeviceRegistration::new(1, 1_000_001, "DEMO00000001"));
    let server = sim.serve("127.0.0.1:0").expect("the simulator listens");
    assert!(
        sauda(dir, &["init", "--demo", "--admin-pin", "1234"])
            .status
            .success()
    );
    let channels = format!("ofd_channels=[\"{}\"]", server.addr());
    let set = sauda(dir, &["settings", "set", "--pin", "1234", &channels]);
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    (sim, server)
}

fn records(dir: &Path) -> usize {
    let out = sauda(
        dir,
        &["export", "--from", "2000-01-01", "--to", "2100-01-01"],
    );
    // A failed export would count 0 before and after, and hide a written record.
    assert!(
        out.status.success(),
        "export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("{\"format\":\"sauda-journal-export\""),
        "{text}"
    );
    text.lines().count() - 1
}

#[test]
fn r1_r90_cli_demo_sale_prints_the_json_contract_and_refusals_write_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let (sim, _server) = demo_with_operator(d);
    assert!(
        !sauda(d, &["init", "--demo", "--admin-pin", "1234"])
            .status
            .success(),
        "init twice is refused"
    );
    assert!(
        sauda(
            d,
            &[
                "user",
                "add",
                "--pin",
                "1234",
                "--role",
                "cashier",
                "--name",
                "Айгүл",
                "--new-pin",
                "5678"
            ]
        )
        .status
        .success()
    );
    let sale = sauda(
        d,
        &[
            "sale",
            "--pin",
            "5678",
            "--item",
            "Нан;250;2",
            "--item",
            "Сүт;610.50;1;10;dairy",
            "--pay",
            "cash:2000",
            "--json",
        ],
    );
    assert!(
        sale.status.success(),
        "{}",
        String::from_utf8_lossy(&sale.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&sale.stdout).expect("one JSON object");
    for key in [
        "number",
        "shift",
        "total_tiyn",
        "vat_tiyn",
        "fiscal_sign",
        "autonomous",
        "created_at",
    ] {
        assert!(json.get(key).is_some(), "missing {key}: {json}");
    }
    assert_eq!(json["total_tiyn"], 111_050);
    // Issue 4 item 8: CLI sales are fiscalised by the operator.
    assert_eq!(json["fiscal_sign"], "9001", "{json}");
    assert_eq!(json["autonomous"], false);
    assert_eq!(sim.ledger(1).map(|l| l.documents.len()), Some(1));
    let link = sauda(d, &["link", "status", "--pin", "1234", "--json"]);
    let link: serde_json::Value = serde_json::from_slice(&link.stdout).expect("status JSON");
    assert_eq!(link["mode"], "online", "{link}");
    assert_eq!(link["queued"], 0);
    let before = records(d);
    let refusals: &[&[&str]] = &[
        &[
            "sale",
            "--pin",
            "5678",
            "--item",
            "Нан;2,5.0;1",
            "--pay",
            "cash:10",
        ],
        &[
            "sale",
            "--pin",
            "5678",
            "--item",
            "Нан;250;1",
            "--pay",
            "cash:100",
        ],
        &[
            "sale",
            "--pin",
            "0000",
            "--item",
            "Нан;250;1",
            "--pay",
            "cash:250",
        ],
        &["return", "--pin", "5678", "--of", "99"],
        &["return", "--pin", "5678", "--of", "1", "--line", "1:5"],
        &["cash-out", "--pin", "1234", "1000000"],
        &["cash-in", "--pin", "5678", "100"],
    ];
    for args in refusals {
        let out = sauda(d, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.trim().lines().count(),
            1,
            "one line for {args:?}: {stderr}"
        );
    }
    assert_eq!(records(d), before, "refusals must not write");
    let ret = sauda(
        d,
        &[
            "return", "--pin", "5678", "--of", "1", "--item", "Нан;1", "--json",
        ],
    );
    assert!(
        ret.status.success(),
        "{}",
        String::from_utf8_lossy(&ret.stderr)
    );
    assert!(sauda(d, &["x", "--pin", "1234", "--json"]).status.success());
    assert!(sauda(d, &["z", "--pin", "1234", "--json"]).status.success());
    let verify = sauda(d, &["verify", "--json"]);
    assert_eq!(verify.status.code(), Some(0));
}

#[test]
fn r25_r31_cli_verify_exits_1_on_a_damaged_journal() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let (_sim, _server) = demo_with_operator(d);
    assert!(
        sauda(
            d,
            &[
                "sale",
                "--pin",
                "1234",
                "--item",
                "Нан;250;1",
                "--pay",
                "cash:250"
            ]
        )
        .status
        .success()
    );
    assert!(
        sauda(
            d,
            &[
                "sale",
                "--pin",
                "1234",
                "--item",
                "Нан;250;1",
                "--pay",
                "cash:250"
            ]
        )
        .status
        .success()
    );
    std::fs::write(d.join("fiscal.hwm"), "999 00").expect("write");
    let out = sauda(d, &["verify"]);
    assert_eq!(out.status.code(), Some(1));
    let sale = sauda(
        d,
        &[
            "sale",
            "--pin",
            "1234",
            "--item",
            "Нан;250;1",
            "--pay",
            "cash:250",
        ],
    );
    assert_eq!(sale.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&sale.stderr).contains("blocked"));
}

#[test]
fn issue4_the_embedded_demo_fiscalises_every_sale_through_the_in_process_simulator() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().join("demo");
    let out = sauda(
        &d,
        &[
            "demo",
            "--operator",
            "127.0.0.1:0",
            "--check-page",
            "127.0.0.1:0",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Фискальный признак: 9001"), "{stdout}");
    assert!(stdout.contains("автономный фискальный признак"), "{stdout}");
    assert!(
        stdout.contains("The simulator counted 8 documents"),
        "{stdout}"
    );
    assert!(stdout.contains("Accumulator: intact"), "{stdout}");
    // Every sale, the return, the cash slip and the Z were printed by the virtual printer (issue 5).
    let pictures = std::fs::read_dir(d.join("receipts"))
        .expect("receipts folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "png"))
        })
        .count();
    assert_eq!(
        pictures, 8,
        "five sales, one return, the cash-in slip and the Z report"
    );
    let again = sauda(
        &d,
        &[
            "demo",
            "--operator",
            "127.0.0.1:0",
            "--check-page",
            "127.0.0.1:0",
        ],
    );
    assert_eq!(again.status.code(), Some(1), "a used folder is refused");

    // Item 84: any receipt printed again on a named printer is a marked copy, and the
    // reports print on paper too (issue 5); a mistyped printer says how to write one.
    let copy = d.join("copy.png");
    let out = sauda(
        &d,
        &[
            "receipt",
            "print",
            "1",
            "--pin",
            "5678",
            "--to",
            &format!("png:{}", copy.display()),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("as a copy"), "{stdout}");
    assert!(copy.exists());
    let section = d.join("section.png");
    let out = sauda(
        &d,
        &[
            "report",
            "by-section",
            "--pin",
            "4321",
            "--shift",
            "1",
            "--print",
            &format!("png:{}", section.display()),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("БӨЛІМДЕР БОЙЫНША ЕСЕП"));
    assert!(section.exists());
    let out = sauda(
        &d,
        &["receipt", "print", "1", "--pin", "5678", "--to", "lpt:1"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tcp:HOST"));
}

/// A free port on 127.0.0.1 (bound, then let go).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[test]
fn serve_flags_beat_the_config_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let register = d.join("till-1");
    assert!(
        sauda(&register, &["init", "--demo", "--admin-pin", "1234"])
            .status
            .success()
    );
    let (from_file, from_flag) = (free_port(), free_port());
    let config = d.join("server.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{from_file}\"\nstate_dir = \"state\"\n\n[[register]]\nid = \"till-1\"\ndata = \"till-1\"\n"
        ),
    )
    .expect("config written");
    let mut server = Command::new(env!("CARGO_BIN_EXE_sauda"))
        .args(["serve", "--config"])
        .arg(&config)
        .args(["--listen", &format!("127.0.0.1:{from_flag}")])
        .env("SAUDA_KEY_STORE", "file")
        .env_remove("SAUDA_LISTEN")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("sauda serve starts");
    let up = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", from_flag)).is_ok()
    });
    let file_port_answers = std::net::TcpStream::connect(("127.0.0.1", from_file)).is_ok();
    let _ = server.kill();
    let _ = server.wait();
    assert!(up, "the server listens where --listen says");
    assert!(!file_port_answers, "not where the file says");
}

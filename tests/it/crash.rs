//! Crash safety: a child process appends sales and reports each one done; it is
//! killed with SIGKILL at random moments, 20 times. After each kill the register opens,
//! verifies, and every sale the child reported is there.
//!
//! The child is this same test binary, started with `SAUDA_CRASH_CHILD=<dir>` so that
//! the ignored `crash_child` test runs the selling loop.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sauda::Core;
use sauda::commands::dispatch;
use sauda::ports::SystemClock;
use sauda::users::Caller;
use serde_json::json;

#[test]
#[ignore = "runs only as the child of r23_sales_survive_sigkill"]
fn crash_child() {
    let Ok(dir) = std::env::var("SAUDA_CRASH_CHILD") else {
        return;
    };
    let core = Core::open(std::path::Path::new(&dir), Arc::new(SystemClock)).expect("child opens");
    let caller = core.login("1111").expect("login");
    loop {
        let out = dispatch(
            &core,
            &caller,
            "receipt_sell",
            json!({"items": [{"name": "Нан", "price_tiyn": 25_000, "quantity_milli": 1000}],
                   "payments": [{"kind": "cash", "amount_tiyn": 25_000}]}),
        )
        .expect("sale");
        println!("done {}", out["number"]);
    }
}

#[cfg(unix)]
#[test]
fn r23_sales_survive_sigkill() {
    let dir = tempfile::tempdir().expect("tmp");
    drop(crate::support::init_demo(
        dir.path(),
        Arc::new(sauda::ports::ManualClock::new(crate::support::START)),
    ));
    let mut seed = Instant::now().elapsed().as_nanos() as u64 ^ 0x9E37_79B9_7F4A_7C15;
    let mut reported: Vec<i64> = Vec::new();
    for round in 0..20 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let wait = Duration::from_millis(30 + (seed >> 33) % 250);
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "crash::crash_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("SAUDA_CRASH_CHILD", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("child starts");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("done ").and_then(|n| n.parse::<i64>().ok()))
                .collect::<Vec<i64>>()
        });
        std::thread::sleep(wait);
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let done = reader.join().expect("reader");
        reported.extend(done);
        let core = Core::open(dir.path(), Arc::new(SystemClock)).expect("opens after the kill");
        assert!(core.block().is_none(), "round {round}: {:?}", core.block());
        let verify =
            dispatch(&core, &Caller::system(), "journal_verify", json!(null)).expect("verify");
        assert_eq!(verify["ok"], true, "round {round}: {verify}");
        let caller = core.login("1111").expect("login");
        for number in &reported {
            dispatch(&core, &caller, "receipt_get", json!({"number": number})).unwrap_or_else(
                |e| panic!("round {round}: reported sale {number} is missing: {e}"),
            );
        }
    }
    assert!(
        reported.len() > 20,
        "the child sold too little to test anything: {}",
        reported.len()
    );
}

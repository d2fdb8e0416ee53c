//! `ofd-sim`: the operator simulator as a standalone process, for demos and manual
//! testing of a register against loopback instead of a real operator.
//!
//! ```text
//! ofd-sim --listen 127.0.0.1:7777 [--check 127.0.0.1:8088] [--check-url URL]
//!         [--control 127.0.0.1:7779] [--device ID:FIRST_TOKEN:RNM]...
//! ```
//!
//! `--control` opens a line protocol for fault injection from scripts (one command per
//! line, answered `ok` or `error: ...`): `down`, `up`, `delay MS`, `drop`, `unreachable`,
//! `cut`, `garbage`, `refuse CODE`, `block TEXT`, `unblock`, `clear`. For example
//! `exec 3<>/dev/tcp/127.0.0.1/7779; echo down >&3; read -r reply <&3`.
//!
//! It prints the bound addresses and serves until killed. It parses its few flags by
//! hand and never guesses: an unknown flag or a malformed value stops it with a
//! message. It holds no state beyond the process; a restart forgets every ledger.

use std::net::TcpListener;
use std::process::ExitCode;

use sauda_ofd::sim::{DeviceRegistration, SimConfig, Simulator};

const USAGE: &str = "usage: ofd-sim --listen HOST:PORT [--check HOST:PORT] [--check-url URL] \
                     [--control HOST:PORT] [--device ID:FIRST_TOKEN:RNM]...";

#[derive(Debug, PartialEq)]
struct Args {
    listen: String,
    check: Option<String>,
    check_url: Option<String>,
    control: Option<String>,
    devices: Vec<DeviceRegistration>,
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("ofd-sim: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ofd-sim: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(mut args: Args) -> std::io::Result<()> {
    if let Some(check) = &args.check {
        // The QR links must name the page's real port, and the configuration is fixed
        // before the page is served: resolve port 0 first (a demo can live with the
        // tiny window in which another process could take the port).
        let probe = TcpListener::bind(check.as_str())
            .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {check}: {e}")))?;
        args.check = Some(probe.local_addr()?.to_string());
    }
    let check_url = match (&args.check_url, &args.check) {
        (Some(url), _) => url.clone(),
        (None, Some(check)) => format!("http://{check}/check"),
        (None, None) => SimConfig::default().check_url,
    };
    let sim = Simulator::new(SimConfig {
        check_url,
        ..SimConfig::default()
    });
    for device in args.devices {
        println!(
            "ofd-sim: device {} registered (first token {}, RNM {})",
            device.id, device.first_token, device.rnm
        );
        sim.register(device);
    }
    let operator = sim.serve(&args.listen).map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot listen on {}: {e}", args.listen))
    })?;
    println!("ofd-sim: operator protocol on {}", operator.addr());
    let page = match &args.check {
        Some(addr) => {
            let page = sim.serve_check_page(addr).map_err(|e| {
                std::io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}"))
            })?;
            println!("ofd-sim: receipt-check page on http://{}/", page.addr());
            Some(page)
        }
        None => None,
    };
    println!("ofd-sim: QR links point to {}", sim.config().check_url);
    if let Some(addr) = &args.control {
        let listener = std::net::TcpListener::bind(addr)
            .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
        println!("ofd-sim: fault control on {}", listener.local_addr()?);
        let sim = sim.clone();
        std::thread::spawn(move || sauda_ofd::sim::control::serve(listener, sim));
    }
    // The servers run on their own threads; this one only keeps them alive.
    let _keep = (operator, page);
    loop {
        std::thread::park();
    }
}

/// `Ok(None)` asks for the usage text.
fn parse(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut listen = None;
    let mut check = None;
    let mut check_url = None;
    let mut control = None;
    let mut devices = Vec::new();
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--listen" => listen = Some(value("--listen")?),
            "--check" => check = Some(value("--check")?),
            "--check-url" => check_url = Some(value("--check-url")?),
            "--control" => control = Some(value("--control")?),
            "--device" => devices.push(device(&value("--device")?)?),
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    let listen = listen.ok_or("--listen HOST:PORT is required")?;
    let mut ids: Vec<u32> = devices.iter().map(|d: &DeviceRegistration| d.id).collect();
    ids.sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("device {} is given twice", w[0]));
    }
    Ok(Some(Args {
        listen,
        check,
        check_url,
        control,
        devices,
    }))
}

/// `ID:FIRST_TOKEN:RNM`, e.g. `100500:123456789:600400300200`.
fn device(spec: &str) -> Result<DeviceRegistration, String> {
    let bad = |why: &str| format!("--device '{spec}': {why} (expected ID:FIRST_TOKEN:RNM)");
    let parts: Vec<&str> = spec.split(':').collect();
    let [id, token, rnm] = parts[..] else {
        return Err(bad("three fields separated by ':'"));
    };
    let id: u32 = id
        .parse()
        .map_err(|_| bad("ID is not a number from 0 to 4294967295"))?;
    let token: u32 = token
        .parse()
        .map_err(|_| bad("FIRST_TOKEN is not a number from 1 to 4294967295"))?;
    if token == 0 {
        return Err(bad("FIRST_TOKEN 0 is never valid"));
    }
    // A real RNM is 12 digits; demo registers use letters too (DEMO00000001), so
    // only the length and plain ASCII are checked.
    if rnm.len() < 12 || rnm.len() > 32 || !rnm.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(bad("RNM must be 12 to 32 letters or digits"));
    }
    Ok(DeviceRegistration::new(id, token, rnm))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<Args>, String> {
        parse(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_parse() {
        let a = args(&[
            "--listen",
            "127.0.0.1:7777",
            "--check",
            "127.0.0.1:8088",
            "--device",
            "100500:123456789:600400300200",
        ])
        .expect("valid")
        .expect("not help");
        assert_eq!(a.listen, "127.0.0.1:7777");
        assert_eq!(a.check.as_deref(), Some("127.0.0.1:8088"));
        assert_eq!(
            (a.devices[0].id, a.devices[0].first_token),
            (100_500, 123_456_789)
        );
        assert_eq!(args(&["--help"]), Ok(None));
    }

    #[test]
    fn mistakes_are_named() {
        let err = |list: &[&str]| args(list).expect_err("invalid");
        assert!(err(&[]).contains("--listen"));
        assert!(err(&["--listen"]).contains("needs a value"));
        assert!(err(&["--listen", "x", "--port", "1"]).contains("unknown argument '--port'"));
        assert!(err(&["--listen", "x", "--device", "1:2"]).contains("three fields"));
        assert!(err(&["--listen", "x", "--device", "a:2:600400300200"]).contains("ID"));
        assert!(err(&["--listen", "x", "--device", "1:0:600400300200"]).contains("never valid"));
        assert!(err(&["--listen", "x", "--device", "1:2:6004"]).contains("12 to 32"));
        let twice = [
            "--listen",
            "x",
            "--device",
            "1:2:600400300200",
            "--device",
            "1:3:600400300201",
        ];
        assert!(err(&twice).contains("given twice"));
    }
}

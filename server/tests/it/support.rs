//! A real server on 127.0.0.1:0 in a thread of its own: demo registers (administrator
//! 1111, manager 2222, cashier 3333 on each), an access store with two inspectors, a
//! web UI folder, and a plain HTTP/1.1 client that sends exactly the bytes a test asks.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};

use sauda::ports::SystemClock;
use sauda::remote_access::{AccessStore, NewInspector};
use sauda::{Core, InitInput};
use sauda_server::{AppState, Background, Registers, ServerOptions};
use serde_json::{Value, json};

pub const INSPECTOR_PASSWORD: &str = "correct-horse-17";

pub struct Running {
    // First, so the server stops before its folder is removed (fields drop in order).
    _server: Background,
    pub addr: SocketAddr,
    /// The generated certificate's fingerprint when the server speaks HTTPS.
    pub fingerprint: Option<String>,
    dir: tempfile::TempDir,
    pub state: AppState,
}

impl Running {
    /// The server's state folder (access store, certificate).
    pub fn state_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("server")
    }

    pub fn audit(&self) -> Vec<sauda::remote_access::AuditEntry> {
        let access = self.state.access.lock().expect("access store");
        access
            .entries(&sauda::remote_access::AuditFilter {
                actor: None,
                after_seq: 0,
                limit: 1000,
                newest_first: false,
            })
            .expect("audit entries")
    }
}

/// One register, `till-1`, with the default options.
pub fn start() -> Running {
    start_with(1, ServerOptions::default())
}

/// `registers` registers (`till-1`, `till-2`, …); inspector `ivanov` may read `till-1`
/// only, `petrov` every register.
pub fn start_with(registers: usize, options: ServerOptions) -> Running {
    start_served(registers, options, false)
}

/// The same server over HTTPS with a certificate generated in its state folder.
pub fn start_tls(registers: usize) -> Running {
    start_served(registers, ServerOptions::default(), true)
}

fn start_served(registers: usize, options: ServerOptions, https: bool) -> Running {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut list = Vec::new();
    for n in 1..=registers {
        let id = format!("till-{n}");
        let (core, _) = Core::init(
            &dir.path().join(&id),
            InitInput::demo("1111"),
            Arc::new(SystemClock),
        )
        .expect("demo register");
        let admin = core.login("1111").expect("admin");
        for (name, role, pin) in [
            ("Менеджер", "manager", "2222"),
            ("Айгүл", "cashier", "3333"),
        ] {
            sauda::commands::dispatch(
                &core,
                &admin,
                "user_add",
                json!({"name": name, "role": role, "pin": pin}),
            )
            .expect("user added");
        }
        list.push((id, Arc::new(core)));
    }
    let state_dir = dir.path().join("server");
    std::fs::create_dir_all(&state_dir).expect("state folder");
    let access = AccessStore::open(&state_dir).expect("access store");
    for (login, registers) in [("ivanov", vec!["till-1".to_string()]), ("petrov", vec![])] {
        access
            .add_inspector(
                &NewInspector {
                    login: login.into(),
                    full_name: format!("Инспектор {login}"),
                    password: INSPECTOR_PASSWORD.into(),
                    registers,
                    valid_from_ms: None,
                    valid_until_ms: None,
                },
                0,
            )
            .expect("inspector added");
    }
    let ui = dir.path().join("ui");
    std::fs::create_dir_all(&ui).expect("ui folder");
    std::fs::write(ui.join("pos.html"), "<!doctype html><title>pos</title>").expect("page");
    let options = ServerOptions {
        ui_dir: Some(ui),
        status_every: std::time::Duration::from_millis(50),
        ..options
    };
    let state = AppState::new(
        Arc::new(Registers::new(list).expect("registers")),
        Arc::new(Mutex::new(access)),
        options,
    );
    let identity = https.then(|| {
        sauda_server::tls::load_or_generate(None, None, &state_dir, &[]).expect("certificate")
    });
    let fingerprint = identity.as_ref().map(|i| i.fingerprint.clone());
    let tls = identity
        .as_ref()
        .map(|i| sauda_server::tls::server_config(i).expect("TLS config"));
    let server = Background::start(state.clone(), "127.0.0.1:0", tls).expect("the server starts");
    Running {
        addr: server.addr(),
        _server: server,
        fingerprint,
        dir,
        state,
    }
}

/// Sends `request` as is and returns the status and the body.
pub fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(request).expect("write");
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).to_string();
    let status: u16 = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// One command on its own connection, optionally naming a register.
pub fn post_to(
    addr: SocketAddr,
    command: &str,
    token: Option<&str>,
    register: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let reg = register.map_or(String::new(), |r| format!("X-Register: {r}\r\n"));
    let request = format!(
        "POST /api/{command} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}{reg}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, body) = raw(addr, request.as_bytes());
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

pub fn post(addr: SocketAddr, command: &str, token: Option<&str>, body: &str) -> (u16, Value) {
    post_to(addr, command, token, None, body)
}

pub fn login(addr: SocketAddr, pin: &str) -> String {
    login_to(addr, pin, None)
}

pub fn login_to(addr: SocketAddr, pin: &str, register: Option<&str>) -> String {
    let (status, out) = post_to(
        addr,
        "session_login",
        None,
        register,
        &format!("{{\"pin\":\"{pin}\"}}"),
    );
    assert_eq!(status, 200, "{out}");
    out["token"].as_str().expect("token").to_string()
}

pub fn inspector(addr: SocketAddr, login: &str) -> String {
    let (status, out) = post(
        addr,
        "inspector_login",
        None,
        &json!({"login": login, "password": INSPECTOR_PASSWORD}).to_string(),
    );
    assert_eq!(status, 200, "{out}");
    out["token"].as_str().expect("token").to_string()
}

//! The till's LAN server for the tax inspector: off until an administrator turns
//! it on, HTTPS only, serving the same register the window works on through the
//! server crate (inspector accounts and the access log in the register's folder, a
//! certificate generated there on first use). The administrator sees its address, the
//! certificate's fingerprint to give the inspector, and who is connected.
//!
//! It starts and stops the server and reports on it; it adds no rule and never serves
//! plain HTTP. Accounts are made with `sauda inspector add` (docs/server.md).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use sauda::Core;
use sauda::error::{ApiError, ErrorCode};
use sauda::remote_access::AccessStore;
use sauda_server::{AppState, Background, Connected, EmbeddedUi, Registers, ServerOptions};
use serde::{Deserialize, Serialize};

/// Where the LAN server listens unless the administrator says otherwise.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:8443";

/// What the administrator's screen shows.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct LanStatus {
    pub enabled: bool,
    /// The address it listens on, when enabled.
    pub address: Option<String>,
    /// The certificate's SHA-256 fingerprint, for the inspector to check.
    pub fingerprint: Option<String>,
    pub connected: Vec<ConnectedRow>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConnectedRow {
    pub actor: String,
    pub from: String,
    pub idle_seconds: u64,
}

/// `lan_server_set`'s input.
#[derive(Debug, Deserialize)]
pub struct LanSet {
    pub enabled: bool,
    /// `HOST:PORT`; 0.0.0.0:8443 when absent.
    pub listen: Option<String>,
}

struct Running {
    server: Background,
    fingerprint: String,
    state: AppState,
}

pub struct LanServer {
    core: Arc<Core>,
    /// The web UI the window shows (inside the binary), so the inspector gets the same
    /// `inspector.html` this till was built with.
    ui: Mutex<Option<EmbeddedUi>>,
    running: Mutex<Option<Running>>,
}

impl LanServer {
    pub fn new(core: Arc<Core>) -> LanServer {
        LanServer {
            core,
            ui: Mutex::new(None),
            running: Mutex::new(None),
        }
    }

    /// Where the served pages come from; set once the window's assets are known.
    pub fn set_ui(&self, ui: EmbeddedUi) {
        *self.ui.lock().unwrap_or_else(PoisonError::into_inner) = Some(ui);
    }

    pub fn status(&self) -> LanStatus {
        let running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        match running.as_ref() {
            None => LanStatus::default(),
            Some(r) => LanStatus {
                enabled: true,
                address: Some(reachable(r.server.addr()).to_string()),
                fingerprint: Some(r.fingerprint.clone()),
                connected: r
                    .state
                    .sessions
                    .connected()
                    .into_iter()
                    .map(|c: Connected| ConnectedRow {
                        actor: c.actor,
                        from: c.from,
                        idle_seconds: c.idle_seconds,
                    })
                    .collect(),
            },
        }
    }

    /// Turns the server on or off; turning it on again first stops the old one.
    pub fn set(&self, want: LanSet) -> Result<LanStatus, ApiError> {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        // Dropping stops the server and waits for its thread.
        *running = None;
        if want.enabled {
            let listen = want.listen.as_deref().unwrap_or(DEFAULT_LISTEN);
            *running = Some(self.start(listen)?);
        }
        drop(running);
        Ok(self.status())
    }

    fn start(&self, listen: &str) -> Result<Running, ApiError> {
        let dir = self.core.dir().to_path_buf();
        let failed = |what: &str, e: &dyn std::fmt::Display| {
            ApiError::new(ErrorCode::Internal, format!("the LAN server {what}: {e}"))
        };
        let identity = sauda_server::tls::load_or_generate(None, None, &dir, &[])
            .map_err(|e| failed("has no certificate", &e))?;
        let tls = sauda_server::tls::server_config(&identity)
            .map_err(|e| failed("cannot use its certificate", &e))?;
        let access = AccessStore::open(&dir).map_err(ApiError::from)?;
        let registers = Registers::single("main", self.core.clone())
            .map_err(|e| failed("cannot hold the register", &e))?;
        let options = ServerOptions {
            ui_embedded: self
                .ui
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
            ..ServerOptions::default()
        };
        let state = AppState::new(Arc::new(registers), Arc::new(Mutex::new(access)), options);
        let server = Background::start(state.clone(), listen, Some(tls))
            .map_err(|e| ApiError::validation(format!("{e}: choose another port")))?;
        Ok(Running {
            server,
            fingerprint: identity.fingerprint,
            state,
        })
    }
}

/// The address to tell the inspector: a server listening on every interface is shown
/// with this computer's address on the network (the one its default route leaves by).
fn reachable(address: SocketAddr) -> SocketAddr {
    if !address.ip().is_unspecified() {
        return address;
    }
    // Connecting a UDP socket sends nothing; it only makes the system choose the
    // outgoing interface.
    let local = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").map(|()| s))
        .and_then(|s| s.local_addr());
    match local {
        Ok(l) if !l.ip().is_unspecified() => SocketAddr::new(l.ip(), address.port()),
        _ => address,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sauda::InitInput;
    use sauda::ports::SystemClock;

    fn https_get(address: SocketAddr, fingerprint: &str, path: &str) -> String {
        use std::io::{Read, Write};
        let config = sauda_server::tls::pinned_client_config(fingerprint).expect("pinned client");
        let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
        let conn = rustls::ClientConnection::new(config, name).expect("client");
        let tcp = std::net::TcpStream::connect(address).expect("connects");
        tcp.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        let mut stream = rustls::StreamOwned::new(conn, tcp);
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .expect("request");
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn off_by_default_on_over_https_only_and_off_again() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let (core, _) = Core::init(dir.path(), InitInput::demo("1234"), Arc::new(SystemClock))
            .expect("a demo register");
        let lan = LanServer::new(Arc::new(core));
        lan.set_ui(EmbeddedUi(Arc::new(|path: &str| {
            (path == "inspector.html")
                .then(|| (b"<title>inspector</title>".to_vec(), "text/html".into()))
        })));
        assert_eq!(lan.status(), LanStatus::default());
        let on = lan
            .set(LanSet {
                enabled: true,
                listen: Some("127.0.0.1:0".into()),
            })
            .expect("starts");
        let address: SocketAddr = on
            .address
            .as_deref()
            .and_then(|a| a.parse().ok())
            .expect("an address");
        assert_eq!(on.fingerprint.as_deref().map(str::len), Some(95));
        assert!(dir.path().join("tls").join("cert.pem").is_file());
        // A plain HTTP request gets no HTTP answer: the port speaks TLS only.
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(address).expect("connects");
        s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .expect("timeout");
        let _ = s.write_all(b"GET /inspector.html HTTP/1.1\r\nHost: x\r\n\r\n");
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        assert!(!answer.starts_with(b"HTTP/1.1 200"), "no plain HTTP");
        // Over HTTPS, with the fingerprint the administrator hands over, the page is there.
        let page = https_get(
            address,
            on.fingerprint.as_deref().unwrap_or_default(),
            "/inspector.html",
        );
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        assert!(page.contains("<title>inspector</title>"), "{page}");
        let off = lan
            .set(LanSet {
                enabled: false,
                listen: None,
            })
            .expect("stops");
        assert!(!off.enabled);
        assert!(
            std::net::TcpStream::connect(address).is_err(),
            "the port is closed"
        );
    }
}

//! HTTPS over real TCP on 127.0.0.1: a generated certificate, a pinned client, the
//! peer address reaching handlers, refusals, and shutdown.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::routing::get;
use rustls::pki_types::ServerName;
use sauda_server::tls::{self, TlsIdentity};

struct Running {
    addr: SocketAddr,
    identity: TlsIdentity,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: std::sync::mpsc::Receiver<std::io::Result<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Signals shutdown and waits (bounded) for the server thread to end.
    fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let outcome = self
            .done
            .recv_timeout(Duration::from_secs(15))
            .expect("serve_tls returned after shutdown");
        if let Some(t) = self.thread.take() {
            t.join().expect("server thread joined");
        }
        outcome
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start() -> Running {
    let dir = tempfile::tempdir().expect("temporary folder");
    let identity = tls::load_or_generate(None, None, dir.path(), &["kassa.local".to_string()])
        .expect("generated identity");
    assert!(identity.generated);
    let config = tls::server_config(&identity).expect("server config");
    let app = Router::new().route(
        "/who",
        get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.ip().to_string() }),
    );
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            addr_tx
                .send(listener.local_addr().expect("addr"))
                .expect("send addr");
            let outcome = tls::serve_tls(listener, app, config, async {
                let _ = stop_rx.await;
            })
            .await;
            let _ = done_tx.send(outcome);
        });
    });
    Running {
        addr: addr_rx.recv().expect("address"),
        identity,
        _dir: dir,
        stop: Some(stop_tx),
        done: done_rx,
        thread: Some(thread),
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let tcp = TcpStream::connect(addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    tcp.set_write_timeout(Some(Duration::from_secs(10)))
        .expect("write timeout");
    tcp
}

/// `GET path` over TLS with a client pinned to `fingerprint`; the raw response, or
/// the error that ended the exchange.
fn https_get(addr: SocketAddr, fingerprint: &str, path: &str) -> Result<String, std::io::Error> {
    let config = tls::pinned_client_config(fingerprint).expect("client config");
    let name = ServerName::try_from("kassa.local").expect("server name");
    let conn = rustls::ClientConnection::new(config, name).expect("client connection");
    let mut stream = rustls::StreamOwned::new(conn, connect(addr));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: kassa.local\r\nConnection: close\r\n\r\n"
    )?;
    stream.flush()?;
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => {}
        // A server that closes without close_notify, after the whole response.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !bytes.is_empty() => {}
        Err(e) => return Err(e),
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn status_and_body(response: &str) -> (&str, &str) {
    let status = response.get(9..12).unwrap_or("");
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body)
}

#[test]
fn a_pinned_client_gets_an_answer_with_its_address() {
    let r = start();
    assert_eq!(r.identity.fingerprint.len(), 95);
    let response = https_get(r.addr, &r.identity.fingerprint, "/who").expect("HTTPS exchange");
    let (status, body) = status_and_body(&response);
    assert_eq!(status, "200", "{response}");
    assert_eq!(body.trim(), "127.0.0.1", "{response}");
    // Lower case without colons pins the same certificate.
    let compact = r.identity.fingerprint.replace(':', "").to_lowercase();
    let response = https_get(r.addr, &compact, "/who").expect("HTTPS exchange");
    assert_eq!(status_and_body(&response).0, "200", "{response}");

    // A client offering HTTP/2 gets it (ALPN h2, then http/1.1).
    let mut config = (*tls::pinned_client_config(&r.identity.fingerprint).expect("config")).clone();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let name = ServerName::try_from("127.0.0.1").expect("server name");
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).expect("connection");
    let mut tcp = connect(r.addr);
    while conn.is_handshaking() {
        conn.complete_io(&mut tcp).expect("handshake");
    }
    assert_eq!(conn.alpn_protocol(), Some(&b"h2"[..]));
    r.stop().expect("serve_tls ended cleanly");
}

#[test]
fn a_client_pinned_to_another_certificate_fails_the_handshake() {
    let r = start();
    let other = tempfile::tempdir().expect("temporary folder");
    let wrong = tls::load_or_generate(None, None, other.path(), &[]).expect("other identity");
    assert_ne!(wrong.fingerprint, r.identity.fingerprint);
    let err = https_get(r.addr, &wrong.fingerprint, "/who").expect_err("handshake refused");
    let text = err.to_string();
    assert!(
        text.contains("certificate") || text.contains("Certificate"),
        "{text}"
    );
    // The server is still serving the right client afterwards.
    let response = https_get(r.addr, &r.identity.fingerprint, "/who").expect("HTTPS exchange");
    assert_eq!(status_and_body(&response).0, "200", "{response}");
    r.stop().expect("serve_tls ended cleanly");
}

#[test]
fn plain_http_on_the_tls_port_gets_no_answer() {
    let r = start();
    let mut tcp = connect(r.addr);
    tcp.write_all(b"GET /who HTTP/1.1\r\nHost: kassa.local\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut bytes = Vec::new();
    // Closed, reset, or a TLS alert record: anything but an HTTP response.
    let _ = tcp.read_to_end(&mut bytes);
    assert!(
        !bytes.starts_with(b"HTTP/"),
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    if let Some(first) = bytes.first() {
        assert_eq!(*first, 0x15, "a TLS alert record");
    }
    let response = https_get(r.addr, &r.identity.fingerprint, "/who").expect("HTTPS exchange");
    assert_eq!(status_and_body(&response).0, "200", "{response}");
    r.stop().expect("serve_tls ended cleanly");
}

#[test]
fn a_stalled_handshake_does_not_block_others_and_shutdown_ends_the_server() {
    let r = start();
    // Connects and says nothing: its handshake waits in its own task.
    let stalled = connect(r.addr);
    let response = https_get(r.addr, &r.identity.fingerprint, "/who").expect("HTTPS exchange");
    assert_eq!(status_and_body(&response).0, "200", "{response}");

    let addr = r.addr;
    let started = std::time::Instant::now();
    r.stop().expect("serve_tls ended cleanly");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "shutdown took {:?}",
        started.elapsed()
    );
    drop(stalled);
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(),
        "the listener is closed"
    );
}

#[test]
fn the_pinned_client_config_refuses_a_malformed_fingerprint() {
    assert!(tls::pinned_client_config("AB:CD").is_err());
    assert!(tls::pinned_client_config("").is_err());
    assert!(tls::pinned_client_config(&"XY:".repeat(32)[..95]).is_err());
    let well_formed = format!("{}AB", "AB:".repeat(31));
    let _: Arc<rustls::ClientConfig> = tls::pinned_client_config(&well_formed).expect("32 pairs");
}

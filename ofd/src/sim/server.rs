//! The simulator's TCP side: an accept loop per listener, a thread per connection,
//! and the operator's connection loop (read a frame, let the engine decide, deliver
//! the answer as the faults say). A connection may carry one exchange or several in
//! a row (spec §6 item 3); a frame with a wrong marker, version or size closes it.
//!
//! Stopping must never hang: `Server` sets a flag and connects to its own listener to
//! wake the blocked `accept`. Connection threads are detached; they notice the flag
//! between frames and end on their own idle timeout.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use super::Shared;
use super::engine::{self, Delivery, Outcome};
use crate::frame::{self, FrameError};

/// A connection left silent this long is closed.
const IDLE: Duration = Duration::from_secs(30);
/// What `Fault::GarbageNext` writes: starts with `H`, not the `A2 81` marker.
const GARBAGE: &[u8] = b"HTTP/1.0 502 Bad Gateway\r\n\r\nnot a frame";
/// How much of an answer `Fault::CloseMidFrame` writes: inside the 18-byte header.
const CUT_AT: usize = 10;

pub(crate) type Handler = Arc<dyn Fn(TcpStream, &AtomicBool) + Send + Sync>;

/// A running listener. Dropping it stops it, like [`Server::stop`].
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    pub(crate) fn start(
        listener: TcpListener,
        name: &'static str,
        handler: Handler,
    ) -> std::io::Result<Server> {
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let accept = std::thread::Builder::new()
            .name(format!("ofd-sim {name} {addr}"))
            .spawn(move || accept_loop(&listener, &flag, &handler))?;
        tracing::info!(%addr, "{name} listening");
        Ok(Server {
            addr,
            stop,
            accept: Some(accept),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections and waits for the accept loop to end.
    pub fn stop(self) {}

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let Some(accept) = self.accept.take() else {
            return;
        };
        let wake = SocketAddr::new(reachable(self.addr.ip()), self.addr.port());
        match TcpStream::connect_timeout(&wake, Duration::from_secs(1)) {
            Ok(_) => {
                let _ = accept.join();
            }
            // Without the wake-up the loop may sleep in accept forever: leave it.
            Err(e) => tracing::warn!(addr = %self.addr, "cannot wake the accept loop: {e}"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A listener on "any address" is reached through loopback.
fn reachable(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    }
}

fn accept_loop(listener: &TcpListener, stop: &Arc<AtomicBool>, handler: &Handler) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        match stream {
            Ok(stream) => {
                let (stop, handler) = (Arc::clone(stop), Arc::clone(handler));
                let spawned = std::thread::Builder::new()
                    .name("ofd-sim connection".into())
                    .spawn(move || handler(stream, &stop));
                if let Err(e) = spawned {
                    tracing::warn!("cannot start a connection thread: {e}");
                }
            }
            Err(e) => {
                // E.g. out of file descriptors: back off instead of spinning.
                tracing::warn!("accept: {e}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// Serves one operator connection until the peer closes it, a fault ends it, or the
/// server stops.
pub(crate) fn operator_connection(shared: &Shared, mut stream: TcpStream, stop: &AtomicBool) {
    if shared.lock().faults.down {
        tracing::debug!("down: closing a new connection");
        return;
    }
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(IDLE));
    loop {
        let (header, payload) = match frame::read_frame(&mut stream) {
            Ok(frame) => frame,
            // The device closed after its last exchange.
            Err(FrameError::Truncated) => return,
            Err(e) => {
                tracing::info!("closing the connection: {e}");
                return;
            }
        };
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let (frame, delivery) = match engine::handle(shared, &header, &payload) {
            Outcome::Close => return,
            Outcome::Reply { frame, delivery } => (frame, delivery),
        };
        let written = match delivery {
            Delivery::Whole => stream.write_all(&frame),
            Delivery::Delayed(ms) => {
                std::thread::sleep(Duration::from_millis(ms));
                stream.write_all(&frame)
            }
            Delivery::Dropped => return,
            Delivery::Cut => {
                let _ = stream.write_all(&frame[..CUT_AT.min(frame.len())]);
                return;
            }
            Delivery::Garbage => {
                let _ = stream.write_all(GARBAGE);
                return;
            }
        };
        if let Err(e) = written.and_then(|()| stream.flush()) {
            tracing::info!(id = header.id, "the answer was not delivered: {e}");
            return;
        }
    }
}

//! A server on a runtime of its own in a thread of its own, until it is stopped or
//! dropped: how the desktop app runs its LAN server, and how the benchmark and the
//! tests run a real server beside the code that calls it.
//!
//! It only starts and stops `Bound::serve`; what is served is the caller's `AppState`.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::{AppState, Bound, ServeError};

pub struct Background {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), ServeError>>>,
}

impl Background {
    /// Binds `listen` and serves `state` there (over TLS when `tls` is given); returns
    /// once the address is known, or with the reason the server could not start.
    pub fn start(
        state: AppState,
        listen: &str,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> Result<Background, ServeError> {
        let listen = listen.to_string();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            // Two workers, as `run_until_ctrl_c` has: commands run on the blocking pool.
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .map_err(ServeError::Stopped)?;
            runtime.block_on(async move {
                let bound = Bound::bind(&listen).await?;
                let addr = bound.addr()?;
                // Refused before the caller hears of an address, not after.
                if tls.is_none() {
                    crate::tls::check_plain_http_allowed(&addr)?;
                }
                let _ = addr_tx.send(addr);
                bound
                    .serve(state, tls, async {
                        let _ = stopped.await;
                    })
                    .await
            })
        });
        match addr_rx.recv() {
            Ok(addr) => Ok(Background {
                addr,
                stop: Some(stop),
                thread: Some(thread),
            }),
            // The thread ended before it listened: its own error says why.
            Err(_) => Err(match thread.join() {
                Ok(Err(e)) => e,
                _ => gone(),
            }),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server, lets open requests finish, and says how it ended.
    pub fn stop(mut self) -> Result<(), ServeError> {
        self.finish()
    }

    fn finish(&mut self) -> Result<(), ServeError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(std::thread::JoinHandle::join) {
            None => Ok(()),
            Some(Ok(outcome)) => outcome,
            Some(Err(_)) => Err(gone()),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Err(e) = self.finish() {
            tracing::error!("the server ended badly: {e}");
        }
    }
}

fn gone() -> ServeError {
    ServeError::Stopped(std::io::Error::other("the server's thread stopped"))
}

//! The HTTP shell of Sauda: the core's command table as `POST /api/{command}`, a
//! session token obtained with a PIN, a server-sent event stream of the register's
//! state, and the built web UI (`ui/dist`) as static files.
//!
//! It adds no rule of its own: every command goes through `sauda::commands::dispatch`,
//! which checks the role; this crate only turns HTTP into calls and errors into status
//! codes. It never reads the journal past the command layer. Full accounts and TLS for
//! the inspector's server mode come later (issue 8).

mod api;
mod events;
mod sessions;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::response::Redirect;
use axum::routing::{get, post};
use sauda::Core;
use tower_http::services::ServeDir;

pub use sessions::Sessions;

/// What the server needs besides the core.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// The built web UI (`ui/dist`); none serves the API alone.
    pub ui_dir: Option<PathBuf>,
    /// Receipts the virtual printer printed (`N.png`), served under `/paper/` so the
    /// cashier sees the paper after payment.
    pub paper_dir: Option<PathBuf>,
    /// A session unused this long ends; the cashier logs in again.
    pub session_idle: Duration,
    /// How often the event stream looks at the register's state.
    pub status_every: Duration,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            ui_dir: None,
            paper_dir: None,
            session_idle: Duration::from_secs(12 * 3600),
            status_every: Duration::from_millis(500),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub core: Arc<Core>,
    pub sessions: Arc<Sessions>,
    pub options: ServerOptions,
}

/// The whole HTTP surface.
pub fn router(core: Arc<Core>, options: ServerOptions) -> Router {
    let state = AppState {
        core,
        sessions: Arc::new(Sessions::new(options.session_idle)),
        options: options.clone(),
    };
    let mut api = Router::new()
        .route("/api/events", get(events::stream))
        .route("/api/{command}", post(api::command))
        .with_state(state);
    if let Some(paper) = options.paper_dir {
        api = api.nest_service("/paper", ServeDir::new(paper));
    }
    match options.ui_dir {
        Some(dir) => api
            .route("/", get(|| async { Redirect::temporary("/pos.html") }))
            .fallback_service(ServeDir::new(dir)),
        None => api,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("the HTTP server stopped: {0}")]
    Stopped(std::io::Error),
}

/// A bound listener, so that the caller learns the real port before serving.
pub struct Bound {
    listener: tokio::net::TcpListener,
}

impl Bound {
    pub async fn bind(addr: &str) -> Result<Bound, ServeError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Listen {
                addr: addr.to_string(),
                source,
            })?;
        Ok(Bound { listener })
    }

    pub fn addr(&self) -> Result<SocketAddr, ServeError> {
        self.listener.local_addr().map_err(ServeError::Stopped)
    }

    /// Serves until `shutdown` resolves.
    pub async fn serve(
        self,
        core: Arc<Core>,
        options: ServerOptions,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        axum::serve(self.listener, router(core, options))
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(ServeError::Stopped)
    }
}

/// Serves on a runtime of its own until Ctrl-C, for callers that are not async (the
/// `sauda` binary). `on_bound` learns the real address before the first request.
pub fn run_until_ctrl_c(
    core: Arc<Core>,
    listen: &str,
    options: ServerOptions,
    on_bound: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Stopped)?;
    runtime.block_on(async move {
        let bound = Bound::bind(listen).await?;
        on_bound(bound.addr()?);
        bound
            .serve(core, options, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}

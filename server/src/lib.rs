//! The HTTP shell of Sauda: the core's command table as `POST /api/{command}` for one
//! or many registers, sessions bought with a PIN (staff) or a login and password (the
//! tax inspector, R-84), an audit log of remote access, a server-sent event stream of a
//! register's state, the built web UI (`pos.html`, `inspector.html`), and HTTPS.
//!
//! It adds no fiscal rule of its own: every command goes through
//! `sauda::commands::dispatch`, which checks the role; this crate decides who is
//! calling, on which register, and records what remote people did. It never reads a
//! journal past the command layer, and it serves plain HTTP only on loopback.

mod api;
mod background;
pub mod bench;
mod events;
mod guard;
pub mod registers;
mod sessions;
pub mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::Redirect;
use axum::routing::{get, post};
use sauda::remote_access::AccessStore;
use tower_http::services::ServeDir;

pub use background::Background;
pub use registers::{RegisterSummary, Registers};
pub use sessions::{Connected, Lifetimes, Sessions};

/// The web UI's files from memory: the desktop app carries them inside its binary.
/// Given a path without its leading `/`, the file's bytes and media type.
#[derive(Clone)]
pub struct EmbeddedUi(pub Arc<UiLookup>);

/// A path of the UI → its bytes and media type.
pub type UiLookup = dyn Fn(&str) -> Option<(Vec<u8>, String)> + Send + Sync;

impl std::fmt::Debug for EmbeddedUi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EmbeddedUi")
    }
}

/// What the server needs besides the registers and the access store.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// The built web UI (`ui/dist`); none serves the API alone.
    pub ui_dir: Option<PathBuf>,
    /// The web UI from memory, when there is no folder of it.
    pub ui_embedded: Option<EmbeddedUi>,
    /// Receipts the virtual printer printed (`N.png`), served under `/paper/` so the
    /// cashier sees the paper after payment.
    pub paper_dir: Option<PathBuf>,
    pub staff_sessions: Lifetimes,
    pub inspector_sessions: Lifetimes,
    /// How often the event stream looks at the register's state.
    pub status_every: Duration,
    /// The largest request body; a catalogue of 200,000 goods is about 33 MB of CSV.
    pub max_body: usize,
    /// Login attempts one address may make in a minute, PIN and password together.
    pub logins_per_minute: usize,
    /// Requests without a valid session one address gets written to the access log in
    /// a minute; beyond it they are still refused, but a flood cannot fill the log.
    pub logged_refusals_per_minute: usize,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            ui_dir: None,
            ui_embedded: None,
            paper_dir: None,
            staff_sessions: Lifetimes {
                idle: Duration::from_secs(12 * 3600),
                absolute: Duration::from_secs(24 * 3600),
            },
            inspector_sessions: Lifetimes {
                idle: Duration::from_secs(30 * 60),
                absolute: Duration::from_secs(8 * 3600),
            },
            status_every: Duration::from_millis(500),
            max_body: 48 * 1024 * 1024,
            logins_per_minute: 10,
            logged_refusals_per_minute: 60,
        }
    }
}

/// The access store shared by the request handlers (one SQLite connection).
pub type SharedAccess = Arc<Mutex<AccessStore>>;

#[derive(Clone)]
pub struct AppState {
    pub registers: Arc<Registers>,
    pub access: SharedAccess,
    pub sessions: Arc<Sessions>,
    pub logins: Arc<guard::LoginRate>,
    /// How many sessionless refusals each address still gets logged this minute.
    pub refusals: Arc<guard::LoginRate>,
    pub options: ServerOptions,
}

impl AppState {
    pub fn new(
        registers: Arc<Registers>,
        access: SharedAccess,
        options: ServerOptions,
    ) -> AppState {
        AppState {
            registers,
            access,
            sessions: Arc::new(Sessions::new(
                options.staff_sessions,
                options.inspector_sessions,
            )),
            logins: Arc::new(guard::LoginRate::new(options.logins_per_minute)),
            refusals: Arc::new(guard::LoginRate::new(options.logged_refusals_per_minute)),
            options,
        }
    }
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let options = state.options.clone();
    let mut app = Router::new()
        .route("/api/events", get(events::stream))
        .route("/api/{command}", post(api::command))
        .layer(DefaultBodyLimit::max(options.max_body));
    if let Some(paper) = options.paper_dir {
        let papers = Router::new()
            .nest_service("/paper", ServeDir::new(paper))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                guard::paper_session,
            ));
        app = app.merge(papers);
    }
    if options.ui_dir.is_some() || options.ui_embedded.is_some() {
        app = app
            .route("/", get(|| async { Redirect::temporary("/pos.html") }))
            .route(
                "/inspector",
                get(|| async { Redirect::temporary("/inspector.html") }),
            );
    }
    app = match (options.ui_dir, options.ui_embedded) {
        (Some(dir), _) => app.fallback_service(ServeDir::new(dir)),
        (None, Some(ui)) => app.fallback(move |uri: axum::http::Uri| {
            let ui = ui.clone();
            async move { embedded_file(&ui, uri.path()) }
        }),
        (None, None) => app,
    };
    app.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        guard::screen,
    ))
    .with_state(state)
}

/// A file of the embedded UI; `guard::screen` has already refused climbing paths.
fn embedded_file(ui: &EmbeddedUi, path: &str) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    match (ui.0)(path.trim_start_matches('/')) {
        Some((bytes, mime)) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
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

    /// Serves until `shutdown` resolves: over TLS when `tls` is given, else plain
    /// HTTP, which only a loopback address may carry.
    pub async fn serve(
        self,
        state: AppState,
        tls: Option<Arc<rustls::ServerConfig>>,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let app = router(state);
        match tls {
            Some(config) => tls::serve_tls(self.listener, app, config, shutdown)
                .await
                .map_err(ServeError::Stopped),
            None => {
                tls::check_plain_http_allowed(&self.addr()?)?;
                axum::serve(
                    self.listener,
                    app.into_make_service_with_connect_info::<SocketAddr>(),
                )
                .with_graceful_shutdown(shutdown)
                .await
                .map_err(ServeError::Stopped)
            }
        }
    }
}

/// Where to listen: plain HTTP (loopback only) and HTTPS, either or both.
pub struct Listeners<'a> {
    pub plain: Option<&'a str>,
    pub tls: Option<(&'a str, Arc<rustls::ServerConfig>)>,
}

/// Serves on a runtime of its own until Ctrl-C, for callers that are not async (the
/// `sauda` binary). `on_bound` learns the real addresses (plain, HTTPS) before the
/// first request.
pub fn run_until_ctrl_c(
    state: AppState,
    listeners: Listeners<'_>,
    on_bound: impl FnOnce(Option<SocketAddr>, Option<SocketAddr>),
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Stopped)?;
    runtime.block_on(async move {
        let plain = match listeners.plain {
            Some(addr) => {
                let bound = Bound::bind(addr).await?;
                tls::check_plain_http_allowed(&bound.addr()?)?;
                Some(bound)
            }
            None => None,
        };
        let secure = match listeners.tls {
            Some((addr, config)) => Some((Bound::bind(addr).await?, config)),
            None => None,
        };
        on_bound(
            plain.as_ref().map(Bound::addr).transpose()?,
            secure.as_ref().map(|(b, _)| b.addr()).transpose()?,
        );
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = stop_tx.send(true);
        });
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        let plain_task = async {
            match plain {
                Some(b) => b.serve(state.clone(), None, stopped(stop_rx.clone())).await,
                None => Ok(()),
            }
        };
        let secure_task = async {
            match secure {
                Some((b, config)) => {
                    b.serve(state.clone(), Some(config), stopped(stop_rx.clone()))
                        .await
                }
                None => Ok(()),
            }
        };
        tokio::try_join!(plain_task, secure_task).map(|_| ())
    })
}

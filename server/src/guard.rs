//! The server's first line: login attempts limited per address, paths that try to
//! climb out of the UI folder refused, the virtual printer's receipts shown only to a
//! live session, and refusals the framework makes by itself (a body over the limit)
//! written to the audit log with who and from where.
//!
//! It decides nothing about roles or registers (`api` and the command table do) and
//! never looks into a request's body.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sauda::error::ApiError;
use sauda::remote_access::AuditEvent;
use serde::Deserialize;

use crate::AppState;
use crate::api::{audit, failure};

#[derive(Deserialize)]
pub struct PaperQuery {
    token: Option<String>,
}

/// `/paper/N.png`, the receipts the virtual printer printed, for a live session only:
/// a receipt may carry the buyer's IIN or phone, and its numbers are easy to
/// guess. An `<img>` cannot send headers, hence the token in the query.
pub async fn paper_session(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(q): Query<PaperQuery>,
    request: Request,
    next: Next,
) -> Response {
    let live = q
        .token
        .as_deref()
        .is_some_and(|t| state.sessions.holder(t, peer.ip()).is_ok());
    if !live {
        return failure(ApiError::session_required());
    }
    next.run(request).await
}

/// Attempts per address in a sliding minute: logins, and logged sessionless refusals.
pub struct LoginRate {
    per_minute: usize,
    seen: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl LoginRate {
    pub fn new(per_minute: usize) -> LoginRate {
        LoginRate {
            per_minute,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt from `from`; false when the address has used up its minute.
    pub fn admit(&self, from: IpAddr) -> bool {
        let now = Instant::now();
        let window = Duration::from_secs(60);
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        // Forget quiet addresses so the map cannot grow without bound.
        if seen.len() > 10_000 {
            seen.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let q = seen.entry(from).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
        if q.len() >= self.per_minute {
            return false;
        }
        q.push_back(now);
        true
    }
}

/// A path with a `..` segment (plain or percent-encoded) or a backslash: someone
/// trying to read files beside the UI.
fn climbs_out(path: &str) -> bool {
    let lowered = path.to_ascii_lowercase();
    let decoded = lowered
        .replace("%2e", ".")
        .replace("%2f", "/")
        .replace("%5c", "\\");
    decoded.contains('\\') || decoded.split('/').any(|segment| segment == "..")
}

pub async fn screen(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    if climbs_out(&path) {
        audit(
            &state,
            AuditEvent {
                actor: "anonymous".into(),
                action: "refused".into(),
                register: None,
                detail: format!("path outside the web UI: {path}"),
                remote: peer.to_string(),
                outcome: "refused".into(),
            },
        )
        .await;
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        audit(
            &state,
            AuditEvent {
                actor: "anonymous".into(),
                action: "refused".into(),
                register: None,
                detail: format!(
                    "request body over {} bytes on {path}",
                    state.options.max_body
                ),
                remote: peer.to_string(),
                outcome: "refused".into(),
            },
        )
        .await;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn climbing_paths_are_seen_in_every_spelling() {
        for bad in [
            "/../fiscal.sqlite",
            "/ui/../../etc/passwd",
            "/%2e%2e/chain.key",
            "/%2E%2E%2Fetc",
            "/..%5cwindows",
            "/a\\b",
        ] {
            assert!(climbs_out(bad), "{bad}");
        }
        for ok in [
            "/pos.html",
            "/assets/app.1234.js",
            "/paper/12.png",
            "/a..b/c",
        ] {
            assert!(!climbs_out(ok), "{ok}");
        }
    }

    #[test]
    fn an_address_gets_its_attempts_per_minute_and_no_more() {
        let rate = LoginRate::new(3);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        assert!((0..3).all(|_| rate.admit(a)));
        assert!(!rate.admit(a));
        assert!(rate.admit(b), "another address is not held up");
    }
}

//! `GET /api/events?token=…`: a server-sent event stream of what the status bar shows.
//! It looks at the register every `status_every` and sends a `status` event
//! (`{register, link}`: the outputs of `register_status` and `link_status`) when
//! something changed (the register's clock is part of it, so the status bar's countdowns
//! move every tick), and `session_ended` when the token stops being valid.
//!
//! Browsers' `EventSource` cannot send headers, hence the token (and, on a server of
//! several registers, the register) in the query. The stream only reads through the
//! command table; it never changes anything.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Query, State};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use sauda::commands::dispatch;
use serde::Deserialize;
use serde_json::{Value, json};

use sauda::Core;
use sauda::error::{ApiError, ErrorCode};

use crate::AppState;
use crate::api::failure;

#[derive(Deserialize)]
pub struct EventsQuery {
    token: String,
    register: Option<String>,
}

pub async fn stream(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(q): Query<EventsQuery>,
) -> axum::response::Response {
    let Ok(holder) = state.sessions.holder(&q.token, peer.ip()) else {
        return failure(ApiError::session_required());
    };
    let wanted = holder.register_named(q.register);
    let Some((register, core)) = state.registers.resolve(wanted.as_deref()) else {
        return failure(ApiError::new(
            ErrorCode::NotFound,
            "no such register on this server",
        ));
    };
    if !holder.may_use(&register) {
        return failure(ApiError::new(
            ErrorCode::Forbidden,
            "this session may not use that register",
        ));
    }
    Sse::new(status_events(state, core, q.token, peer.ip()))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

struct Watch {
    state: AppState,
    core: Arc<Core>,
    token: String,
    from: IpAddr,
    last: Option<Value>,
    first: bool,
    ended: bool,
}

fn status_events(
    state: AppState,
    core: Arc<Core>,
    token: String,
    from: IpAddr,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let watch = Watch {
        state,
        core,
        token,
        from,
        last: None,
        first: true,
        ended: false,
    };
    stream::unfold(watch, |mut w| async move {
        loop {
            if w.ended {
                return None;
            }
            if !w.first {
                tokio::time::sleep(w.state.options.status_every).await;
            }
            w.first = false;
            let Ok(holder) = w.state.sessions.holder(&w.token, w.from) else {
                w.ended = true;
                return Some((Ok(Event::default().event("session_ended").data("{}")), w));
            };
            let caller = holder.caller().clone();
            let core = w.core.clone();
            let snapshot = tokio::task::spawn_blocking(move || {
                let register = dispatch(&core, &caller, "register_status", Value::Null);
                let link = dispatch(&core, &caller, "link_status", Value::Null);
                match (register, link) {
                    (Ok(register), Ok(link)) => json!({"register": register, "link": link}),
                    (Err(e), _) | (_, Err(e)) => {
                        json!({"error": {"code": e.code, "message": e.message}})
                    }
                }
            })
            .await
            .unwrap_or_else(|e| json!({"error": {"code": "internal", "message": e.to_string()}}));
            if w.last.as_ref() != Some(&snapshot) {
                let event = Event::default().event("status").data(snapshot.to_string());
                w.last = Some(snapshot);
                return Some((Ok(event), w));
            }
        }
    })
}

//! `GET /api/events?token=…`: a server-sent event stream of what the status bar shows.
//! It looks at the register every `status_every` and sends a `status` event
//! (`{register, link}`: the outputs of `register_status` and `link_status`) when
//! something changed (the register's clock is part of it, so the status bar's countdowns
//! move every tick), and `session_ended` when the token stops being valid.
//!
//! Browsers' `EventSource` cannot send headers, hence the token in the query. The
//! stream only reads through the command table; it never changes anything.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use sauda::commands::dispatch;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::{failure, session_required};

#[derive(Deserialize)]
pub struct EventsQuery {
    token: String,
}

pub async fn stream(
    State(state): State<AppState>,
    Query(q): Query<EventsQuery>,
) -> axum::response::Response {
    if state.sessions.caller(&q.token).is_none() {
        return failure(session_required());
    }
    Sse::new(status_events(state, q.token))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

struct Watch {
    state: AppState,
    token: String,
    last: Option<Value>,
    first: bool,
    ended: bool,
}

fn status_events(state: AppState, token: String) -> impl Stream<Item = Result<Event, Infallible>> {
    let watch = Watch {
        state,
        token,
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
            let Some(caller) = w.state.sessions.caller(&w.token) else {
                w.ended = true;
                return Some((Ok(Event::default().event("session_ended").data("{}")), w));
            };
            let core = w.state.core.clone();
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

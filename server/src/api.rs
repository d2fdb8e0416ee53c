//! `POST /api/{command}`: one route for the whole command table. The body is the
//! command's JSON input; the answer is its JSON output, or `{code, message}` with an
//! HTTP status chosen from the error code, so that the UI branches on `code` alone.
//!
//! `session_login` takes `{pin}` and answers `{token, user}`; `register_header` (the
//! login page's shop name and DEMO badge) needs no token; every other command needs
//! `Authorization: Bearer TOKEN`. The core runs on a blocking thread: its calls wait on
//! SQLite and fsync, which must not stall the async workers.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sauda::commands::dispatch;
use sauda::error::{ApiError, ErrorCode};
use sauda::users::Caller;
use serde_json::{Value, json};

use crate::AppState;

pub async fn command(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let input: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return failure(ApiError::validation(format!(
                    "{name}: the request body is not JSON ({e}); send the command's input as a JSON object"
                )));
            }
        }
    };
    match name.as_str() {
        "session_login" => login(state, input).await,
        // The login page's header (shop, DEMO badge): what every receipt prints.
        "register_header" => run(state, Caller::system(), name, input).await,
        "session_logout" => {
            if let Some(token) = bearer(&headers) {
                state.sessions.close(token);
            }
            Json(json!({})).into_response()
        }
        _ => {
            let Some(caller) = bearer(&headers).and_then(|t| state.sessions.caller(t)) else {
                return failure(session_required());
            };
            run(state, caller, name, input).await
        }
    }
}

pub fn session_required() -> ApiError {
    ApiError::session_required()
}

async fn login(state: AppState, input: Value) -> Response {
    let core = state.core.clone();
    let caller = tokio::task::spawn_blocking(move || {
        dispatch(&core, &Caller::system(), "session_login", input)
    })
    .await;
    let caller: Caller = match caller {
        Ok(Ok(v)) => match serde_json::from_value(v) {
            Ok(c) => c,
            Err(e) => return failure(ApiError::new(ErrorCode::Internal, e.to_string())),
        },
        Ok(Err(e)) => return failure(e),
        Err(e) => return failure(ApiError::new(ErrorCode::Internal, e.to_string())),
    };
    match state.sessions.open(caller.clone()) {
        Ok(token) => Json(json!({"token": token, "user": caller})).into_response(),
        Err(e) => failure(ApiError::new(
            ErrorCode::Internal,
            format!("cannot make a session token: {e}"),
        )),
    }
}

async fn run(state: AppState, caller: Caller, name: String, input: Value) -> Response {
    let core = state.core.clone();
    match tokio::task::spawn_blocking(move || dispatch(&core, &caller, &name, input)).await {
        Ok(Ok(out)) => Json(out).into_response(),
        Ok(Err(e)) => failure(e),
        Err(e) => failure(ApiError::new(
            ErrorCode::Internal,
            format!("the command stopped: {e}"),
        )),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        Validation | MarkingRequired => StatusCode::UNPROCESSABLE_ENTITY,
        WrongPin | SessionRequired => StatusCode::UNAUTHORIZED,
        LoginLocked => StatusCode::TOO_MANY_REQUESTS,
        Forbidden | DiscountLimit => StatusCode::FORBIDDEN,
        NotFound => StatusCode::NOT_FOUND,
        NotRegistered | AlreadyRegistered | ShiftExpired | ShiftOpen | ShiftClosed
        | ClockBehind | OverReturn | InsufficientCash | MarkingDuplicate => StatusCode::CONFLICT,
        IntegrityBlocked | AutonomousLimit | PrinterFault | LinkBlocked | KeyUnavailable => {
            StatusCode::LOCKED
        }
        Storage | Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub fn failure(e: ApiError) -> Response {
    (
        status_of(e.code),
        Json(json!({"code": e.code, "message": e.message})),
    )
        .into_response()
}

//! `POST /api/{command}`: one route for the whole command table and the server's own
//! few commands. The body is the command's JSON input; the answer is its JSON output,
//! or `{code, message}` with an HTTP status chosen from the error code, so that the UI
//! branches on `code` alone.
//!
//! Logging in: `session_login {pin}` (a register's staff, on the register the
//! `X-Register` header names, or the only one) and `inspector_login {login, password}`
//! answer `{token, ...}`; `register_header` (the login page's shop name) needs
//! no token and take at most 16 KB. Every other name, known or not, answers 401
//! without a live session, before its body is read, so the API does not tell what
//! exists and an anonymous caller cannot make the server take in a large body. With a session: `register_list`, `audit_log`
//! and `server_connected` are the server's own; the rest go to `dispatch` on the
//! register the header names, after checking the session may use it. Logins, refusals,
//! everything an inspector reads, exports and settings changes go to the audit log.
//! The core runs on a blocking thread: its calls wait on SQLite and fsync.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sauda::commands::dispatch;
use sauda::error::{ApiError, ErrorCode};
use sauda::remote_access::{AuditEvent, AuditFilter};
use sauda::users::{Caller, Role};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::registers::REGISTER_HEADER;
use crate::sessions::{Holder, TokenRefusal};

/// Commands that change settings or staff, or take data away: logged for everyone.
const AUDITED: &[(&str, &str)] = &[
    ("settings_update", "settings"),
    ("user_add", "settings"),
    ("user_disable", "settings"),
    ("scanner_settings_update", "settings"),
    ("link_resolve", "settings"),
    ("journal_rebuild", "settings"),
    ("catalogue_import", "settings"),
    ("journal_export", "export"),
    ("catalogue_export", "export"),
];

/// The most a request without a session may carry: a PIN, a login and a password.
const LOGIN_BODY_LIMIT: usize = 16 * 1024;

pub async fn command(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let named = header_text(&headers, REGISTER_HEADER);
    if matches!(
        name.as_str(),
        "session_login" | "inspector_login" | "register_header" | "session_logout"
    ) {
        let input = match read_input(&name, body, LOGIN_BODY_LIMIT).await {
            Ok(input) => input,
            Err(refusal) => return refusal,
        };
        return match name.as_str() {
            "session_login" => pin_login(state, peer, named, input).await,
            "inspector_login" => inspector_login(state, peer, input).await,
            "register_header" => match state.registers.resolve(named.as_deref()) {
                Some((_, core)) => run(core, Caller::system(), name, input).await,
                None => failure(no_register(named.as_deref())),
            },
            _ => {
                if let Some(holder) = bearer(&headers).and_then(|t| state.sessions.close(t)) {
                    let event = event(&holder.actor(), "logout", None, String::new(), peer, "ok");
                    audit(&state, event).await;
                }
                Json(json!({})).into_response()
            }
        };
    }
    // The session is checked before the body is read: without one, a large body
    // (up to the limit a price list needs) is never taken in.
    let Some(token) = bearer(&headers) else {
        return refuse_session(&state, peer, &name, "no session token").await;
    };
    let holder = match state.sessions.holder(token, peer.ip()) {
        Ok(h) => h,
        Err(why) => {
            let why = match why {
                TokenRefusal::Unknown => "a token never issued or already logged out",
                TokenRefusal::Expired => "an expired session",
                TokenRefusal::OtherAddress => "a token from another address",
            };
            return refuse_session(&state, peer, &name, why).await;
        }
    };
    // An inspector's account may be disabled, or its time window may close, while a
    // session is open: it is looked up again at every request.
    if let Holder::Inspector { login, .. } = &holder
        && !inspector_admitted(&state, login).await
    {
        state.sessions.close(token);
        let why = "an inspector account disabled or outside its time window";
        return refuse_session(&state, peer, &name, why).await;
    }
    let input = match read_input(&name, body, state.options.max_body).await {
        Ok(input) => input,
        Err(refusal) => return refusal,
    };
    with_session(state, peer, holder, named, name, input).await
}

/// Whether inspector `login` is still active and inside its time window now.
async fn inspector_admitted(state: &AppState, login: &str) -> bool {
    let access = state.access.clone();
    let login = login.to_string();
    let now = now_ms();
    tokio::task::spawn_blocking(move || {
        let store = access.lock().unwrap_or_else(|p| p.into_inner());
        store
            .inspector(&login)
            .is_ok_and(|i| i.active && i.is_within_window(now))
    })
    .await
    .unwrap_or(false)
}

/// The command's JSON input, at most `limit` bytes; an empty body is no input.
async fn read_input(name: &str, body: axum::body::Body, limit: usize) -> Result<Value, Response> {
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        let e = ApiError::validation(format!(
            "{name}: the request body is over {limit} bytes or was cut off; send a smaller one"
        ));
        (StatusCode::PAYLOAD_TOO_LARGE, Json(e)).into_response()
    })?;
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        failure(ApiError::validation(format!(
            "{name}: the request body is not JSON ({e}); send the command's input as a JSON object"
        )))
    })
}

async fn with_session(
    state: AppState,
    peer: SocketAddr,
    holder: Holder,
    named: Option<String>,
    name: String,
    input: Value,
) -> Response {
    match name.as_str() {
        "register_list" => {
            let list: Vec<_> = state
                .registers
                .ids()
                .filter(|id| holder.may_use(id))
                .filter_map(|id| state.registers.summary(id))
                .collect();
            return Json(list).into_response();
        }
        "audit_log" => return audit_log(state, &holder, input).await,
        "server_connected" => {
            if holder.caller().role != Role::Admin {
                return failure(forbidden("only an administrator sees who is connected"));
            }
            return Json(state.sessions.connected()).into_response();
        }
        _ => {}
    }
    // Staff work on the register they logged in to; an inspector names one.
    let wanted = holder.register_named(named);
    let Some((register, core)) = state.registers.resolve(wanted.as_deref()) else {
        return failure(no_register(wanted.as_deref()));
    };
    if !holder.may_use(&register) {
        let detail = format!("{name} on a register this session may not use");
        let e = event(
            &holder.actor(),
            "refused",
            Some(&register),
            detail,
            peer,
            "refused",
        );
        audit(&state, e).await;
        return failure(forbidden(
            "this session may not use that register: log in to it, or ask for access",
        ));
    }
    let inspector = matches!(holder, Holder::Inspector { .. });
    let audited = AUDITED.iter().find(|(n, _)| *n == name).map(|(_, a)| *a);
    // What the log keeps is taken before the input goes to the command.
    let detail = (inspector || audited.is_some()).then(|| format!("{name} {}", brief(&input)));
    let response = run(core, holder.caller().clone(), name, input).await;
    if let Some(detail) = detail {
        let outcome = if response.status().is_success() {
            "ok"
        } else {
            "refused"
        };
        let action = audited.unwrap_or("command");
        let e = event(
            &holder.actor(),
            action,
            Some(&register),
            detail,
            peer,
            outcome,
        );
        // no remote reading goes unrecorded. An inspector only reads, so
        // the answer is withheld (nothing was changed) when its entry cannot be kept.
        if !audit(&state, e).await && inspector {
            return failure(ApiError::new(
                ErrorCode::Storage,
                "the access log cannot be written, so this reading is not given: ask the administrator to check the server's disk",
            ));
        }
    }
    response
}

async fn refuse_session(state: &AppState, peer: SocketAddr, name: &str, why: &str) -> Response {
    // Every refusal is answered; only so many per address and minute are logged, so a
    // flood of anonymous requests cannot fill the access log or hold its lock.
    if state.refusals.admit(peer.ip()) {
        let detail = format!("{} with {why}", truncate(name, 64));
        audit(
            state,
            event("anonymous", "refused", None, detail, peer, "refused"),
        )
        .await;
    }
    failure(ApiError::session_required())
}

#[derive(Deserialize)]
struct PinLoginIn {
    pin: String,
}

async fn pin_login(
    state: AppState,
    peer: SocketAddr,
    named: Option<String>,
    input: Value,
) -> Response {
    if !state.logins.admit(peer.ip()) {
        return too_many(&state, peer, "PIN").await;
    }
    let Some((register, core)) = state.registers.resolve(named.as_deref()) else {
        return failure(no_register(named.as_deref()));
    };
    let login: PinLoginIn = match serde_json::from_value(input) {
        Ok(v) => v,
        Err(e) => return failure(ApiError::validation(format!("session_login: {e}"))),
    };
    let result = tokio::task::spawn_blocking(move || core.login(&login.pin)).await;
    let caller = match result {
        Ok(Ok(caller)) => caller,
        Ok(Err(e)) => {
            let detail = e.message.clone();
            let e_log = event(
                "anonymous",
                "login_failed",
                Some(&register),
                detail,
                peer,
                "failed",
            );
            audit(&state, e_log).await;
            return failure(e);
        }
        Err(e) => return failure(ApiError::new(ErrorCode::Internal, e.to_string())),
    };
    let holder = Holder::Staff {
        caller: caller.clone(),
        register: register.clone(),
    };
    let actor = holder.actor();
    match state.sessions.open(holder, peer.ip()) {
        Ok(token) => {
            audit(
                &state,
                event(&actor, "login", Some(&register), String::new(), peer, "ok"),
            )
            .await;
            Json(json!({"token": token, "user": caller, "register": register})).into_response()
        }
        Err(e) => failure(ApiError::new(
            ErrorCode::Internal,
            format!("cannot make a session token: {e}"),
        )),
    }
}

#[derive(Deserialize)]
struct InspectorLoginIn {
    login: String,
    password: String,
}

async fn inspector_login(state: AppState, peer: SocketAddr, input: Value) -> Response {
    if !state.logins.admit(peer.ip()) {
        return too_many(&state, peer, "password").await;
    }
    let login: InspectorLoginIn = match serde_json::from_value(input) {
        Ok(v) => v,
        Err(e) => return failure(ApiError::validation(format!("inspector_login: {e}"))),
    };
    let access = state.access.clone();
    let name = truncate(login.login.trim(), 64);
    let now = now_ms();
    let result = tokio::task::spawn_blocking(move || {
        let store = access.lock().unwrap_or_else(|p| p.into_inner());
        store.authenticate(login.login.trim(), &login.password, now)
    })
    .await;
    let inspector = match result {
        Ok(Ok(i)) => i,
        Ok(Err(refusal)) => {
            let locked = matches!(refusal, sauda::remote_access::LoginRefusal::Locked { .. });
            let e = ApiError::from(refusal);
            let action = if locked { "locked" } else { "login_failed" };
            let actor = format!("inspector:{name}");
            audit(
                &state,
                event(&actor, action, None, e.message.clone(), peer, "failed"),
            )
            .await;
            return failure(e);
        }
        Err(e) => return failure(ApiError::new(ErrorCode::Internal, e.to_string())),
    };
    let caller = Caller {
        user_id: -1,
        name: inspector.full_name.clone(),
        role: Role::Inspector,
    };
    let holder = Holder::Inspector {
        caller: caller.clone(),
        login: inspector.login.clone(),
        registers: inspector.registers.clone(),
    };
    let actor = holder.actor();
    match state.sessions.open(holder, peer.ip()) {
        Ok(token) => {
            let logged = audit(
                &state,
                event(&actor, "login", None, String::new(), peer, "ok"),
            )
            .await;
            if !logged {
                state.sessions.close(&token);
                return failure(ApiError::new(
                    ErrorCode::Storage,
                    "the access log cannot be written, so remote access is refused: the administrator must check it (sauda inspector log)",
                ));
            }
            Json(json!({"token": token, "user": caller, "login": inspector.login})).into_response()
        }
        Err(e) => failure(ApiError::new(
            ErrorCode::Internal,
            format!("cannot make a session token: {e}"),
        )),
    }
}

#[derive(Deserialize, Default)]
struct AuditLogIn {
    after_seq: Option<i64>,
    limit: Option<i64>,
}

/// An inspector reads the part of the log about the inspector's own access; an
/// administrator reads all of it.
async fn audit_log(state: AppState, holder: &Holder, input: Value) -> Response {
    let input: AuditLogIn = if input.is_null() {
        AuditLogIn::default()
    } else {
        match serde_json::from_value(input) {
            Ok(v) => v,
            Err(e) => return failure(ApiError::validation(format!("audit_log: {e}"))),
        }
    };
    let actor = match holder {
        Holder::Inspector { .. } => Some(holder.actor()),
        Holder::Staff { caller, .. } if caller.role == Role::Admin => None,
        Holder::Staff { .. } => {
            return failure(forbidden("only an administrator reads the access log"));
        }
    };
    let filter = AuditFilter {
        actor,
        after_seq: input.after_seq.unwrap_or(0),
        limit: input.limit.unwrap_or(200),
        newest_first: true,
    };
    let access = state.access.clone();
    let result = tokio::task::spawn_blocking(move || {
        let store = access.lock().unwrap_or_else(|p| p.into_inner());
        store.entries(&filter)
    })
    .await;
    match result {
        Ok(Ok(entries)) => Json(entries).into_response(),
        Ok(Err(e)) => failure(ApiError::from(e)),
        Err(e) => failure(ApiError::new(ErrorCode::Internal, e.to_string())),
    }
}

async fn too_many(state: &AppState, peer: SocketAddr, what: &str) -> Response {
    let detail = format!("too many {what} attempts from one address");
    audit(
        state,
        event("anonymous", "refused", None, detail, peer, "refused"),
    )
    .await;
    failure(ApiError::new(
        ErrorCode::LoginLocked,
        "too many login attempts from this address: wait a minute",
    ))
}

/// Appends to the audit log; false when it could not be written. Such a failure is
/// reported in the server's own log; an inspector's login is then refused (no remote
/// reading goes unrecorded), while the till's own staff keep working.
pub async fn audit(state: &AppState, event: AuditEvent) -> bool {
    let access = state.access.clone();
    let at = now_ms();
    let written = tokio::task::spawn_blocking(move || {
        let store = access.lock().unwrap_or_else(|p| p.into_inner());
        store.record(&event, at)
    })
    .await;
    match written {
        Ok(Ok(_)) => true,
        Ok(Err(e)) => {
            tracing::error!("the audit log cannot be written: {e}");
            false
        }
        Err(e) => {
            tracing::error!("the audit log writer stopped: {e}");
            false
        }
    }
}

fn event(
    actor: &str,
    action: &str,
    register: Option<&str>,
    detail: String,
    peer: SocketAddr,
    outcome: &str,
) -> AuditEvent {
    AuditEvent {
        actor: actor.to_string(),
        action: action.to_string(),
        register: register.map(str::to_string),
        detail,
        remote: peer.to_string(),
        outcome: outcome.to_string(),
    }
}

/// The input as the log keeps it: short, never a PIN, password or token at any depth,
/// and never the bulk of a long text (a catalogue file is the shop's business). Built
/// from the input without copying its long strings.
fn brief(input: &Value) -> String {
    fn summary(v: &Value) -> Value {
        match v {
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| {
                        let secret = matches!(k.as_str(), "pin" | "password" | "token");
                        (k.clone(), if secret { json!("***") } else { summary(v) })
                    })
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().take(20).map(summary).collect()),
            Value::String(t) if t.len() > 80 => json!(format!("{} characters", t.len())),
            other => other.clone(),
        }
    }
    if input.is_null() {
        return String::new();
    }
    truncate(&summary(input).to_string(), 300)
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)?
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn no_register(named: Option<&str>) -> ApiError {
    match named {
        Some(_) => ApiError::new(
            ErrorCode::NotFound,
            "no such register on this server: choose one from the list",
        ),
        None => ApiError::validation(
            "this server holds several registers: name one in the X-Register header",
        ),
    }
}

fn forbidden(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Forbidden, message)
}

async fn run(
    core: std::sync::Arc<sauda::Core>,
    caller: Caller,
    name: String,
    input: Value,
) -> Response {
    match tokio::task::spawn_blocking(move || dispatch(&core, &caller, &name, input)).await {
        Ok(Ok(out)) => Json(out).into_response(),
        Ok(Err(e)) => failure(e),
        Err(e) => failure(ApiError::new(
            ErrorCode::Internal,
            format!("the command stopped: {e}"),
        )),
    }
}

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
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
        // The whole error: `problems` lets the page word each one in its language.
        Json(e),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::brief;
    use serde_json::json;

    #[test]
    fn the_log_keeps_no_secret_at_any_depth_and_no_bulk() {
        let text = brief(&json!({
            "changes": {"token": "live-operator-token", "org_name": "ЖШС Сауда"},
            "pin": "1234",
            "content_base64": "QUJD".repeat(10_000),
        }));
        assert!(
            !text.contains("live-operator-token") && !text.contains("1234"),
            "{text}"
        );
        assert!(
            text.contains("40000 characters") && text.contains("ЖШС Сауда"),
            "{text}"
        );
        assert!(text.chars().count() <= 301);
    }
}

//! The till's one session: who is logged in at this window, and every call of the page
//! turned into the core's `dispatch` as that person. The desktop counterpart of the
//! server's session tokens: one window, one cashier, so the caller lives here instead
//! of in a token.
//!
//! It adds no rule: roles are checked by `dispatch`; this only refuses calls before a
//! login, as the server does, and forgets the caller on logout.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use sauda::Core;
use sauda::commands::dispatch;
use sauda::error::{ApiError, ErrorCode};
use sauda::users::{Caller, Role};
use serde_json::{Value, json};

use crate::lan_server::{LanServer, LanSet};

pub struct TillSession {
    core: Arc<Core>,
    caller: Mutex<Option<Caller>>,
    lan: LanServer,
}

impl TillSession {
    pub fn new(core: Arc<Core>) -> TillSession {
        TillSession {
            lan: LanServer::new(core.clone()),
            core,
            caller: Mutex::new(None),
        }
    }

    pub fn lan(&self) -> &LanServer {
        &self.lan
    }

    pub fn core(&self) -> &Arc<Core> {
        &self.core
    }

    /// Who is logged in now, if anyone.
    pub fn caller(&self) -> Option<Caller> {
        self.lock().clone()
    }

    /// One call of the page: `session_login` and `session_logout` are answered here,
    /// everything else goes to `dispatch` as the logged-in person.
    pub fn call(&self, name: &str, input: Value) -> Result<Value, ApiError> {
        match name {
            "session_login" => {
                let out = dispatch(&self.core, &Caller::system(), "session_login", input)?;
                let caller: Caller = serde_json::from_value(out.clone()).map_err(|e| {
                    ApiError::new(ErrorCode::Internal, format!("login answer: {e}"))
                })?;
                *self.lock() = Some(caller);
                Ok(out)
            }
            "session_logout" => {
                *self.lock() = None;
                Ok(json!({}))
            }
            // The login page's header (shop, DEMO badge): what every receipt prints.
            "register_header" => dispatch(&self.core, &Caller::system(), name, input),
            // The shell's own: the inspector's LAN server, the administrator's to run.
            "lan_server_status" | "lan_server_set" => {
                let caller = self.caller().ok_or_else(ApiError::session_required)?;
                if caller.role != Role::Admin {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "only an administrator runs the LAN server for the inspector",
                    ));
                }
                let status = if name == "lan_server_set" {
                    let want: LanSet = serde_json::from_value(input).map_err(|e| {
                        ApiError::validation(format!("lan_server_set: the input is malformed: {e}"))
                    })?;
                    self.lan.set(want)?
                } else {
                    self.lan.status()
                };
                serde_json::to_value(status)
                    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
            }
            _ => {
                let caller = self.caller().ok_or_else(ApiError::session_required)?;
                dispatch(&self.core, &caller, name, input)
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Caller>> {
        // Only an `Option<Caller>` sits behind the lock: a panic elsewhere cannot have
        // left it half-written, so a poisoned lock is still good to read.
        self.caller.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sauda::InitInput;
    use sauda::ports::SystemClock;

    fn till() -> (tempfile::TempDir, TillSession) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let (core, _) = Core::init(dir.path(), InitInput::demo("1234"), Arc::new(SystemClock))
            .expect("a demo register");
        (dir, TillSession::new(Arc::new(core)))
    }

    #[test]
    fn calls_need_a_login_and_logout_forgets_the_cashier() {
        let (_dir, till) = till();
        let refused = till.call("register_status", Value::Null);
        assert_eq!(refused.map_err(|e| e.code), Err(ErrorCode::SessionRequired));
        let header = till
            .call("register_header", Value::Null)
            .expect("the login page's header needs no login");
        assert_eq!(header["demo"], true);
        let wrong = till.call("session_login", json!({"pin": "0000"}));
        assert_eq!(wrong.map_err(|e| e.code), Err(ErrorCode::WrongPin));
        assert!(till.caller().is_none());
        let user = till
            .call("session_login", json!({"pin": "1234"}))
            .expect("the administrator's PIN");
        assert_eq!(user["name"], "Әкімші");
        assert!(till.call("register_status", Value::Null).is_ok());
        let lan = till
            .call("lan_server_status", Value::Null)
            .expect("admin sees it");
        assert_eq!(lan["enabled"], false, "off by default");
        till.call("session_logout", Value::Null).expect("logout");
        assert_eq!(
            till.call("register_status", Value::Null)
                .map_err(|e| e.code),
            Err(ErrorCode::SessionRequired)
        );
    }
}

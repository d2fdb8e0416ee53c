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
use crate::printer_setup::PrinterSetup;

pub struct TillSession {
    core: Arc<Core>,
    caller: Mutex<Option<Caller>>,
    lan: LanServer,
    printer: PrinterSetup,
}

impl TillSession {
    pub fn new(core: Arc<Core>, printer: PrinterSetup) -> TillSession {
        TillSession {
            lan: LanServer::new(core.clone()),
            core,
            caller: Mutex::new(None),
            printer,
        }
    }

    pub fn lan(&self) -> &LanServer {
        &self.lan
    }

    pub fn printer(&self) -> &PrinterSetup {
        &self.printer
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
            // The shell's own: the receipt printer. Anyone logged in sees it; only an
            // administrator looks for printers, prints the test page or changes it.
            "printer_status" | "printer_profiles" | "printer_discover" | "printer_test"
            | "printer_set" => {
                let caller = self.caller().ok_or_else(ApiError::session_required)?;
                if name != "printer_status" && caller.role != Role::Admin {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "only an administrator chooses and tests the receipt printer",
                    ));
                }
                self.printer.call(name, input)
            }
            _ => {
                let caller = self.caller().ok_or_else(ApiError::session_required)?;
                let out = dispatch(&self.core, &caller, name, input);
                // The account was disabled since the login: the window is back at the
                // PIN screen, and the shell forgets the caller too.
                if out
                    .as_ref()
                    .is_err_and(|e| e.code == ErrorCode::SessionRequired)
                {
                    *self.lock() = None;
                }
                out
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
        let core = Arc::new(core);
        let printer = PrinterSetup::start(core.clone(), None, None);
        (dir, TillSession::new(core, printer))
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

    #[test]
    fn printer_calls_a_cashier_sees_the_printer_and_only_an_administrator_changes_it() {
        let (_dir, till) = till();
        assert_eq!(
            till.call("printer_status", Value::Null).map_err(|e| e.code),
            Err(ErrorCode::SessionRequired)
        );
        till.call("session_login", json!({"pin": "1234"}))
            .expect("administrator");
        let profiles = till
            .call("printer_profiles", Value::Null)
            .expect("admin lists profiles");
        assert!(profiles.as_array().is_some_and(|p| p.len() >= 6));
        till.call(
            "user_add",
            json!({"name": "Айгүл", "role": "cashier", "pin": "5678"}),
        )
        .expect("cashier added");
        till.call("session_login", json!({"pin": "5678"}))
            .expect("cashier");
        let status = till
            .call("printer_status", Value::Null)
            .expect("a cashier sees the printer");
        assert_eq!(status["source"], "none");
        for (name, input) in [
            ("printer_profiles", Value::Null),
            ("printer_discover", Value::Null),
            (
                "printer_test",
                json!({"target": "tcp:10.0.0.1", "profile": "generic-80mm"}),
            ),
            (
                "printer_set",
                json!({"target": "tcp:10.0.0.1", "profile": "generic-80mm"}),
            ),
        ] {
            assert_eq!(
                till.call(name, input).map_err(|e| e.code),
                Err(ErrorCode::Forbidden),
                "{name}"
            );
        }
    }
}

//! The status bar's feed in the desktop app: every half second, while someone is
//! logged in, the register's and the link's state (`register_status`, `link_status`)
//! is read through the command table and sent to the page as a `status` event when it
//! changed — the same `{register, link}` the server's event stream sends.
//!
//! It only reads; it never changes the register.

use std::sync::Arc;
use std::time::Duration;

use sauda::commands::dispatch;
use serde_json::{Value, json};
use tauri::{AppHandle, Emitter, Runtime};

use crate::session::TillSession;

const EVERY: Duration = Duration::from_millis(500);

pub fn spawn<R: Runtime>(app: AppHandle<R>, till: Arc<TillSession>) {
    std::thread::spawn(move || {
        let mut last: Option<Value> = None;
        loop {
            match till.caller() {
                None => last = None,
                Some(caller) => {
                    let core = till.core();
                    let register = dispatch(core, &caller, "register_status", Value::Null);
                    let link = dispatch(core, &caller, "link_status", Value::Null);
                    if let (Ok(register), Ok(link)) = (register, link) {
                        let now = json!({"register": register, "link": link});
                        if last.as_ref() != Some(&now) {
                            // A closed window ends the app; nothing to tell then.
                            let _ = app.emit("status", &now);
                            last = Some(now);
                        }
                    }
                }
            }
            std::thread::sleep(EVERY);
        }
    });
}

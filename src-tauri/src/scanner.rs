//! A USB-COM (CDC-ACM) barcode scanner read by the desktop shell (R-100, devices.md
//! §5.3): raw bytes, GS kept, whatever the keyboard layout. Each whole code goes
//! through the command table (`catalogue_scan`) as the logged-in person and reaches
//! the page as a `scan` event, the same answer a keyboard-wedge scan gets; the port's
//! state (lost on unplug, back when replugged) goes as a `scanner` event.
//!
//! It never adds anything to a receipt itself: the sale screen decides, as for any
//! scan. With nobody logged in, scans are ignored.

use std::sync::Arc;

use sauda::commands::dispatch;
use sauda_printers::scanner_port::{ReaderHandle, ReaderState, spawn_reader};
use serde_json::json;
use tauri::{AppHandle, Emitter, Runtime};

use crate::session::TillSession;

pub fn spawn<R: Runtime>(app: AppHandle<R>, till: Arc<TillSession>, port: String) -> ReaderHandle {
    let states = app.clone();
    spawn_reader(
        port,
        9600,
        move |code| {
            let Some(caller) = till.caller() else { return };
            let answer = dispatch(
                till.core(),
                &caller,
                "catalogue_scan",
                json!({ "text": code }),
            );
            let event = match answer {
                Ok(out) => out,
                Err(e) => {
                    json!({"kind": "error", "text": code, "message": e.message, "problems": e.problems})
                }
            };
            // A closed window ends the app; nothing to tell then.
            let _ = app.emit("scan", &event);
        },
        move |state| {
            let event = match state {
                ReaderState::Connected => json!({"state": "connected"}),
                ReaderState::Lost(why) => json!({"state": "lost", "message": why}),
                ReaderState::Dropped(why) => json!({"state": "dropped", "message": why}),
            };
            let _ = states.emit("scanner", &event);
        },
    )
}

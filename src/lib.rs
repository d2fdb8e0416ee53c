//! Sauda's core: the rules of a Kazakh cash register (АБК, Order No. 626), its fiscal
//! accumulator and the one command layer that every shell (CLI, desktop, HTTP) calls.
//!
//! Shells reach the core only through [`commands`], [`Core`] and the port traits in
//! [`ports`]; the core reaches the clock and key storage only through those ports.
//! Nothing here draws a UI, opens a socket or talks to a device.

pub mod breakdown_layout;
pub mod catalogue;
pub mod devices;
pub mod domain;
pub mod error;
pub mod journal;
pub mod link;
pub mod ports;
mod printing;
pub mod problem;
pub mod receipt_layout;
pub mod registration;
pub mod remote_access;
pub mod report_layout;
pub mod software;
pub mod users;

mod core;
pub use crate::core::{Core, InitInput};
pub mod bench;
pub mod commands;

//! The fiscal data operator (ОФД) protocol, versions 2.0.3 and 2.0.4, as described in
//! `../shared/spec/ofd-protocol.md`: the message schemas (our own `.proto` files,
//! compiled with prost), the 18-byte frame header and reading/writing frames.
//!
//! This crate knows nothing of SQLite, the journal or the UI: it turns messages into
//! bytes and back. Which document to send, what to store and when to go autonomous is
//! the core's `link` module.

pub mod client;
pub mod frame;
pub mod sim;

/// Messages of protocol 2.0.3 (generated from `proto/v203`).
#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod v203 {
    include!(concat!(env!("OUT_DIR"), "/kkm.v203.rs"));
}

/// Messages of protocol 2.0.4 (generated from `proto/v204`).
#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod v204 {
    include!(concat!(env!("OUT_DIR"), "/kkm.v204.rs"));
}

pub use frame::{Envelope, FrameError, Header, Version};

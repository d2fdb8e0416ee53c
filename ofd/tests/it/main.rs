//! Integration tests of the operator protocol crate: messages encoded by the generated
//! schemas inside real frames, checked against the byte examples of the spec, and the
//! operator simulator over real TCP.

mod decode;
mod messages;
mod sim;

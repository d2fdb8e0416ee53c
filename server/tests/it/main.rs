//! The server crate's one integration-test binary: the HTTP transport on real TCP.

mod server;

//! The server crate's one integration-test binary: the HTTP transport on real TCP.

mod bench_smoke;
mod inspector;
mod server;
mod support;
mod tls;

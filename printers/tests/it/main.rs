//! The printers crate's one integration-test binary: receipts laid out by the core,
//! encoded for each profile, read back by the virtual printer; and the serial barcode
//! scanner reader on a pty pair.

mod golden;
mod receipts;
mod scanner_port;
mod transports;

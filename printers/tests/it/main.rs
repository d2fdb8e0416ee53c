//! The printers crate's one integration-test binary: receipts laid out by the core,
//! encoded for each profile, read back by the virtual printer.

mod golden;
mod receipts;
mod transports;

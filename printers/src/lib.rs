//! Receipt printing for ESC/POS printers: the KZ-1048 code page, a byte encoder that
//! writes to any `io::Write`, text rendered to 1-bit raster with a bundled font where
//! the printer has no Kazakh code page, QR codes, and a virtual printer that turns the
//! byte stream back into a picture of the paper (for the demo and the tests).
//!
//! Facts about commands and code pages: `../shared/spec/devices.md` §1–2. This crate
//! knows nothing of the journal: it prints the lines `sauda::receipt_layout` makes.
//! Barcode scanners in USB-COM mode are read here too (`scanner_port`, §5.3), beside
//! the serial transport; what a code means is decided in `sauda::devices`.

pub mod bench;
pub mod bitmap;
pub mod codepage;
pub mod discovery;
pub mod encoder;
pub mod profile;
pub mod render;
pub mod scanner_port;
#[cfg(windows)]
pub mod spooler;
pub mod status;
pub mod target;
pub mod test_page;
pub mod transport;
#[cfg(target_os = "linux")]
pub mod usb;
pub mod virtual_printer;

pub use profile::Profile;

//! The parts of the `sauda` command that other shells reuse: opening a register with
//! its link and printer, the embedded demo register, and the printer port over the
//! printers crate's targets. The desktop app links this library so that its demo and
//! its printing are the same as the CLI's and the server's.

pub mod demo_register;
pub mod printing;
pub mod register;

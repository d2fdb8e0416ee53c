//! Opening a register for a shell (the CLI, the desktop app): the core on its data
//! folder, its operator link, and the receipt printer named by `SAUDA_PRINTER`.
//!
//! Wiring only; every rule lives in the core, and nothing here writes the journal.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use sauda::Core;
use sauda::link::LinkOptions;
use sauda::ports::SystemClock;

/// Opens the register and connects it to its operator: every document the CLI makes
/// is fiscalised at once (or queued, autonomous), and a waiting queue is retried.
pub fn open(dir: &Path) -> Result<Core> {
    let core = Core::open(dir, Arc::new(SystemClock))?;
    // Without a link the register still reads, reports and exports; documents wait in
    // the journal and are sent once the link starts again.
    if let Err(e) = core.attach_link(LinkOptions::default()) {
        eprintln!("sauda: warning: the operator link is not started: {e}");
    }
    // SAUDA_PRINTER=tcp:HOST:9100 | serial:/dev/ttyUSB0@115200 | file:/dev/usb/lp0 |
    // png:FOLDER prints every receipt (SAUDA_PRINTER_PROFILE, default generic-80mm).
    if let Ok(target) = std::env::var("SAUDA_PRINTER") {
        let profile = printer_profile(
            &std::env::var("SAUDA_PRINTER_PROFILE").unwrap_or_else(|_| "generic-80mm".into()),
        )?;
        core.attach_printer(Box::new(crate::printing::TargetPrinter::new(
            &target, profile,
        )?));
    }
    Ok(core)
}

/// A built-in profile by name, or a shop's own model as a TOML file.
pub fn printer_profile(name: &str) -> Result<sauda_printers::Profile> {
    // A shop's own model: a TOML file like those in printers/profiles/.
    if name.ends_with(".toml") {
        return Ok(sauda_printers::Profile::from_file(Path::new(name))?);
    }
    sauda_printers::Profile::by_name(name).ok_or_else(|| {
        let known: Vec<String> = sauda_printers::Profile::built_in()
            .into_iter()
            .map(|p| p.name)
            .collect();
        anyhow!(
            "unknown printer profile '{name}': use {} or a profile file (.toml)",
            known.join(", ")
        )
    })
}

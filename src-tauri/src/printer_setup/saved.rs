//! What the administrator chose, and where it is kept: `printer.toml` in the
//! register's data folder (saved whole or not at all: a temporary file renamed over
//! it), `SAUDA_PRINTER` / `SAUDA_PRINTER_PROFILE` from the environment, and the inputs
//! of the Printer screen's calls, read strictly (an unknown field is refused).
//!
//! It reads and writes the choice only; whether a target or a profile is usable is
//! checked where the printer is made (`printer_setup::printer_for`).

use std::path::Path;

use sauda::error::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The file in the register's data folder that keeps the choice.
pub const FILE: &str = "printer.toml";
pub(super) const DEFAULT_PROFILE: &str = "generic-80mm";

/// A printer as chosen: where the bytes go and which model's profile makes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub target: String,
    /// A built-in profile's name, or the path of a profile `.toml` file.
    #[serde(default = "default_profile")]
    pub profile: String,
}

pub(super) fn default_profile() -> String {
    DEFAULT_PROFILE.into()
}

/// `SAUDA_PRINTER` and `SAUDA_PRINTER_PROFILE`, as `sauda_cli::register::open` reads them.
pub fn env_choice() -> Option<Choice> {
    let target = std::env::var("SAUDA_PRINTER").ok()?;
    Some(Choice {
        target,
        profile: std::env::var("SAUDA_PRINTER_PROFILE").unwrap_or_else(|_| default_profile()),
    })
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusIn {
    #[serde(default)]
    pub ask: bool,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DiscoverIn {
    #[serde(default)]
    pub network: Option<String>,
    #[serde(default)]
    pub port: Option<u16>,
}

pub(super) fn read_input<T: DeserializeOwned + Default>(
    name: &str,
    input: Value,
) -> Result<T, ApiError> {
    if input.is_null() {
        return Ok(T::default());
    }
    serde_json::from_value(input)
        .map_err(|e| ApiError::validation(format!("{name}: the input is malformed: {e}")))
}

pub(super) fn read_choice(name: &str, input: Value) -> Result<Choice, ApiError> {
    let c: Choice = serde_json::from_value(input)
        .map_err(|e| ApiError::validation(format!("{name}: the input is malformed: {e}")))?;
    let target = c.target.trim().to_string();
    if target.is_empty() {
        return Err(ApiError::validation(
            "write where the printer is: tcp:192.168.1.50, serial:/dev/ttyUSB0@115200, usb:/dev/usb/lp0 or spooler:QUEUE",
        ));
    }
    Ok(Choice {
        target,
        profile: c.profile.trim().to_string(),
    })
}

/// The saved choice, if any.
pub fn load(dir: &Path) -> Result<Option<Choice>, String> {
    let path = dir.join(FILE);
    match std::fs::read_to_string(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        Ok(text) => toml::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display())),
    }
}

/// Writes the choice to a temporary file and renames it over `printer.toml`, so a
/// crash leaves the old choice or the new one, never half a file.
pub fn save(dir: &Path, choice: &Choice) -> Result<(), ApiError> {
    use std::io::Write;
    let failed = |e: &dyn std::fmt::Display| {
        ApiError::new(
            ErrorCode::Storage,
            format!(
                "cannot save the printer in {}: {e}",
                dir.join(FILE).display()
            ),
        )
    };
    let body = toml::to_string(choice).map_err(|e| failed(&e))?;
    let text = format!(
        "# The till's receipt printer, chosen on the administrator's Printer screen.\n\
         # SAUDA_PRINTER, when set, wins over this file.\n{body}"
    );
    let temporary = dir.join(format!("{FILE}.tmp"));
    let mut file = std::fs::File::create(&temporary).map_err(|e| failed(&e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| failed(&e))?;
    drop(file);
    std::fs::rename(&temporary, dir.join(FILE)).map_err(|e| failed(&e))
}

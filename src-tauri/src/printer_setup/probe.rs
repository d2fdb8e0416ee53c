//! What is out there for the Printer screen: the built-in profiles described for a
//! person (paper, characters per line, Kazakh as text or as pictures), the printers
//! found (discovery.rs's findings with their kind), what a printer says when asked
//! (`DLE EOT`, devices.md §3.1), and what to check when one does not answer.
//!
//! It looks and asks; it never prints and never changes the choice.

use sauda_printers::codepage::CodePage;
use sauda_printers::target::Target;
use sauda_printers::{Profile, status};
use serde::Serialize;

/// One printer found, with its kind for the screen's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Found {
    pub target: String,
    pub description: String,
    /// usb, serial, tcp, spooler, file or virtual.
    pub kind: String,
}

impl Found {
    pub(super) fn new(target: String, description: String) -> Found {
        let kind = match target.split_once(':').map(|(k, _)| k) {
            Some("png") => "virtual",
            Some(k) => k,
            None => "unknown",
        }
        .to_string();
        Found {
            target,
            description,
            kind,
        }
    }
}

/// A built-in profile as the screen describes it.
#[derive(Clone, Debug, Serialize)]
pub struct ProfileRow {
    pub name: String,
    pub paper_mm: u32,
    pub width_dots: usize,
    pub chars: usize,
    /// text (the printer's KZ-1048 table), inline (Russian text, Kazakh letters as small
    /// pictures) or raster (every line with a Kazakh letter as a picture).
    pub kazakh: &'static str,
    pub native_qr: bool,
    pub cutter: bool,
    pub drawer: bool,
}

pub fn profiles() -> Vec<ProfileRow> {
    Profile::built_in()
        .into_iter()
        .map(|p| ProfileRow {
            paper_mm: if p.width_dots >= 512 { 80 } else { 58 },
            kazakh: if p.text.iter().any(|t| t.page == CodePage::Kz1048) {
                "text"
            } else if p.inline_glyphs {
                "inline"
            } else {
                "raster"
            },
            width_dots: p.width_dots,
            chars: p.chars,
            native_qr: p.native_qr,
            cutter: p.cutter,
            drawer: p.drawer,
            name: p.name,
        })
        .collect()
}

/// What to check when a printer of this kind does not answer.
pub(super) fn hint(target: &str) -> &'static str {
    match target.split_once(':').map(|(k, _)| k) {
        Some("tcp") => {
            "check that the printer is on, its network cable and the address (the printer's self-test page shows it)"
        }
        Some("serial") => {
            "check the cable, the port's name and the baud rate (the self-test page shows it)"
        }
        Some("usb") => {
            "check the USB cable and the power; on Linux the till's user must be in the lp group"
        }
        Some("spooler") => {
            "check the queue's name in the Windows printer list and that the printer is on"
        }
        Some("png") => "check that the folder can be written",
        _ => "check the printer's cable, power and address",
    }
}

/// Asks the printer at `target` how it is (devices.md §3.1): its state and problem.
pub(super) fn ask_printer(target: &str) -> (&'static str, Option<String>) {
    if target.starts_with("png:") {
        return ("virtual", None);
    }
    let parsed = match Target::parse(target) {
        Ok(t) => t,
        Err(e) => return ("fault", Some(e.to_string())),
    };
    if !parsed.may_answer() {
        return ("no_answer", None);
    }
    let mut link = match parsed.open() {
        Ok(link) => link,
        Err(e) => return ("unreachable", Some(format!("{e}; {}", hint(target)))),
    };
    if link.ask(status::query(1)).is_none() {
        return ("no_answer", None);
    }
    let now = link.status();
    match now.blocker() {
        Some(why) => ("fault", Some(why.to_string())),
        None if now.near_end => ("near_end", None),
        None => ("ready", None),
    }
}

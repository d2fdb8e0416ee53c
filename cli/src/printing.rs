//! `--print` targets of the CLI: the virtual printer's PNG, or a real printer on TCP,
//! a serial port, USB, a Windows print queue or a device file (`sauda_printers::target`).
//! Wiring only: the bytes come from `sauda-printers`, and a printer that reports paper out, an open cover or an error is not sent the
//! receipt (items 83–84); the journal is never touched here.

use anyhow::{Context, Result, anyhow};
use sauda::receipt_layout::Line;
use sauda_printers::Profile;
use sauda_printers::render::{self, Options};
use sauda_printers::target::Target;
use sauda_printers::virtual_printer;

/// Prints and says what went where, for a person at a terminal.
pub fn print(lines: &[Line], profile: &Profile, target: &str) -> Result<()> {
    println!("{}", print_with(lines, profile, target, false)?);
    Ok(())
}

/// Prints and answers a one-line summary (where, how big).
fn print_with(lines: &[Line], profile: &Profile, target: &str, drawer: bool) -> Result<String> {
    let bytes = render::receipt(lines, profile, &Options { drawer });
    if let Some(file) = target.strip_prefix("png:") {
        let out = virtual_printer::print(&bytes, profile)?;
        std::fs::write(file, virtual_printer::png(&out.paper))
            .with_context(|| format!("cannot write {file}"))?;
        return Ok(format!(
            "{file}: {} x {} dots",
            out.paper.width, out.paper.height
        ));
    }
    let mut transport = Target::parse(target)?.open()?;
    let status = transport.status();
    if let Some(why) = status.blocker() {
        return Err(anyhow!(
            "{}: {why}; fix it and print the receipt again (sauda receipt --print)",
            transport.name()
        ));
    }
    transport.send(&bytes)?;
    // Asked again after the job (item 84): paper that ran out or a cover opened in the
    // middle means the receipt may be incomplete, so it counts as not printed.
    let after = transport.status();
    if let Some(why) = after.blocker() {
        return Err(anyhow!(
            "{}: {why} while printing; fix it and print the receipt again (sauda receipt --print)",
            transport.name()
        ));
    }
    Ok(format!(
        "{}: {} bytes{}",
        transport.name(),
        bytes.len(),
        if status.near_end {
            " (қағаз аз қалды / бумага заканчивается)"
        } else {
            ""
        }
    ))
}

/// A receipt printer behind the core's printer port: a print target and a profile
/// (`SAUDA_PRINTER`, or the demo's virtual printer).
pub struct TargetPrinter {
    target: String,
    profile: Profile,
    printed: usize,
}

impl TargetPrinter {
    /// `png:FILE.png` (one picture, rewritten by each print), `png:FOLDER` (`N.png` for
    /// document N, `report-K.png` for the K-th report), or any
    /// printer target (`tcp:`, `serial:`, `usb:`, `spooler:`, `file:`), checked now so
    /// a mistyped one fails at start, not at the first sale.
    pub fn new(target: &str, profile: Profile) -> Result<TargetPrinter> {
        match target.strip_prefix("png:") {
            Some(file) if file.ends_with(".png") => {}
            Some(folder) => std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create the folder {folder}"))?,
            None => {
                Target::parse(target)?;
            }
        }
        Ok(TargetPrinter {
            target: target.to_string(),
            profile,
            printed: 0,
        })
    }
}

impl sauda::ports::ReceiptPrinter for TargetPrinter {
    fn ready(&mut self) -> std::result::Result<(), String> {
        if self.target.starts_with("png:") {
            return Ok(());
        }
        let target = Target::parse(&self.target).map_err(|e| e.to_string())?;
        if !target.may_answer() {
            return Ok(());
        }
        let mut transport = target.open().map_err(|e| e.to_string())?;
        match transport.status().blocker() {
            Some(why) => Err(why.to_string()),
            None => Ok(()),
        }
    }

    fn print(
        &mut self,
        document: Option<i64>,
        lines: &[Line],
        drawer: bool,
    ) -> std::result::Result<(), String> {
        let target = match self.target.strip_prefix("png:") {
            Some(file) if file.ends_with(".png") => self.target.clone(),
            // A document's picture is named by its number (a reprint replaces it with
            // the copy); reports by their print order.
            Some(folder) => match document {
                Some(n) => format!("png:{folder}/{n}.png"),
                None => {
                    self.printed += 1;
                    format!("png:{folder}/report-{}.png", self.printed)
                }
            },
            None => self.target.clone(),
        };
        print_with(lines, &self.profile, &target, drawer)
            .map(drop)
            .map_err(|e| e.to_string())
    }

    fn columns(&self) -> usize {
        self.profile.chars
    }
}

//! `--print` targets of the CLI: the virtual printer's PNG, or a real printer on TCP,
//! a serial port or a device file. Wiring only: the bytes come from `sauda-printers`,
//! and a printer that reports paper out, an open cover or an error is not sent the
//! receipt (items 83–84); the journal is never touched here.

use anyhow::{Context, Result, anyhow};
use sauda::receipt_layout::Line;
use sauda_printers::Profile;
use sauda_printers::render::{self, Options};
use sauda_printers::transport::{Serial, Sink, Tcp, Transport};
use sauda_printers::virtual_printer;

pub fn print(lines: &[Line], profile: &Profile, target: &str) -> Result<()> {
    print_with(lines, profile, target, false)
}

fn print_with(lines: &[Line], profile: &Profile, target: &str, drawer: bool) -> Result<()> {
    let bytes = render::receipt(lines, profile, &Options { drawer });
    let (kind, place) = target.split_once(':').ok_or_else(|| {
        anyhow!(
            "--print '{target}' must be png:FILE, tcp:HOST:PORT, serial:DEVICE[@BAUD] or file:PATH"
        )
    })?;
    let mut transport: Box<dyn Transport> = match kind {
        "png" => {
            let out = virtual_printer::print(&bytes, profile)?;
            std::fs::write(place, virtual_printer::png(&out.paper))
                .with_context(|| format!("cannot write {place}"))?;
            println!("{place}: {} x {} dots", out.paper.width, out.paper.height);
            return Ok(());
        }
        "tcp" => Box::new(Tcp::connect(place)?),
        "serial" => {
            let (device, baud) = match place.split_once('@') {
                Some((d, b)) => (
                    d,
                    b.parse()
                        .map_err(|_| anyhow!("'{b}' is not a baud rate like 115200"))?,
                ),
                None => (place, 115_200),
            };
            Box::new(Serial::open(device, baud, true)?)
        }
        "file" => Box::new(Sink::new(place)),
        other => {
            return Err(anyhow!(
                "unknown print target '{other}': use png:FILE, tcp:HOST:PORT, serial:DEVICE[@BAUD] or file:PATH"
            ));
        }
    };
    let status = transport.status();
    if let Some(why) = status.blocker() {
        return Err(anyhow!(
            "{}: {why}; fix it and print the receipt again (sauda receipt --print)",
            transport.name()
        ));
    }
    transport.send(&bytes)?;
    println!(
        "{}: {} bytes{}",
        transport.name(),
        bytes.len(),
        if status.near_end {
            " (қағаз аз қалды / бумага заканчивается)"
        } else {
            ""
        }
    );
    Ok(())
}

/// The CLI's receipt printer (`SAUDA_PRINTER`, or the demo's virtual printer): a print
/// target and a profile behind the core's printer port.
pub struct CliPrinter {
    target: String,
    profile: Profile,
    printed: usize,
}

impl CliPrinter {
    /// `png:FOLDER` (one picture per receipt, numbered in print order), `tcp:HOST:PORT`,
    /// `serial:DEVICE[@BAUD]` or `file:PATH`.
    pub fn new(target: &str, profile: Profile) -> Result<CliPrinter> {
        if let Some(folder) = target.strip_prefix("png:") {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create the folder {folder}"))?;
        }
        Ok(CliPrinter {
            target: target.to_string(),
            profile,
            printed: 0,
        })
    }
}

impl sauda::ports::ReceiptPrinter for CliPrinter {
    fn ready(&mut self) -> std::result::Result<(), String> {
        let mut transport: Box<dyn Transport> = match self.target.split_once(':') {
            Some(("tcp", addr)) => Box::new(Tcp::connect(addr).map_err(|e| e.to_string())?),
            Some(("serial", place)) => {
                let device = place.split_once('@').map_or(place, |(d, _)| d);
                Box::new(Serial::open(device, 115_200, true).map_err(|e| e.to_string())?)
            }
            _ => return Ok(()),
        };
        match transport.status().blocker() {
            Some(why) => Err(why.to_string()),
            None => Ok(()),
        }
    }

    fn print(&mut self, lines: &[Line], drawer: bool) -> std::result::Result<(), String> {
        let target = match self.target.strip_prefix("png:") {
            Some(folder) => {
                self.printed += 1;
                format!("png:{folder}/{}.png", self.printed)
            }
            None => self.target.clone(),
        };
        print_with(lines, &self.profile, &target, drawer).map_err(|e| e.to_string())
    }

    fn columns(&self) -> usize {
        self.profile.chars
    }
}

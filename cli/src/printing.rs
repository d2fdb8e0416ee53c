//! `--print` targets of the CLI: the virtual printer's PNG, a device or file that takes
//! raw ESC/POS bytes, or a network printer on TCP. Wiring only; the bytes come from
//! `sauda-printers`.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use sauda::receipt_layout::Line;
use sauda_printers::Profile;
use sauda_printers::render::{self, Options};
use sauda_printers::virtual_printer;

pub fn print(lines: &[Line], profile: &Profile, target: &str) -> Result<()> {
    let bytes = render::receipt(lines, profile, &Options { drawer: false });
    let (kind, place) = target.split_once(':').ok_or_else(|| {
        anyhow!("--print '{target}' must be png:FILE, file:PATH or tcp:HOST:PORT")
    })?;
    match kind {
        "png" => {
            let out = virtual_printer::print(&bytes, profile.width_dots)?;
            std::fs::write(place, virtual_printer::png(&out.paper))
                .with_context(|| format!("cannot write {place}"))?;
            println!("{place}: {} x {} dots", out.paper.width, out.paper.height);
        }
        "file" => {
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(!place.starts_with("/dev/"))
                .open(place)
                .and_then(|mut f| f.write_all(&bytes).and_then(|_| f.flush()))
                .with_context(|| format!("cannot write the receipt to {place}"))?;
            println!("{place}: {} bytes", bytes.len());
        }
        "tcp" => {
            let mut stream = TcpStream::connect(place)
                .with_context(|| format!("the printer at {place} does not answer"))?;
            stream.set_write_timeout(Some(Duration::from_secs(10)))?;
            stream
                .write_all(&bytes)
                .and_then(|_| stream.flush())
                .with_context(|| format!("the printer at {place} stopped taking data"))?;
            println!("{place}: {} bytes", bytes.len());
        }
        other => {
            return Err(anyhow!(
                "unknown print target '{other}': use png:FILE, file:PATH or tcp:HOST:PORT"
            ));
        }
    }
    Ok(())
}

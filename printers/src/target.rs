//! Print targets as a person writes them in settings, `SAUDA_PRINTER` or `--print`
//! (devices.md §4): `tcp:HOST[:PORT]`, `serial:DEVICE[@BAUD]`, `usb:/dev/usb/lpN`,
//! `usb:VID:PID[:SERIAL]`, `spooler:QUEUE` (Windows) and `file:PATH`. Parsing says
//! what is wrong and how to write it; opening gives the matching transport.
//!
//! This module only names and opens; it never sends a byte itself.

use crate::transport::{Serial, Sink, Tcp, Transport, TransportError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A network printer; port 9100 when none is given.
    Tcp(String),
    Serial {
        device: String,
        baud: u32,
    },
    /// The kernel's USB printer node (Linux).
    UsbNode(String),
    /// Raw bulk transfers to `VID:PID[:SERIAL]` (Linux).
    UsbRaw(String),
    /// A Windows print queue, fed RAW jobs through the spooler.
    Spooler(String),
    /// A file or a device that only takes bytes.
    File(String),
}

const HOW: &str = "write the printer as tcp:HOST[:PORT], serial:DEVICE[@BAUD], usb:/dev/usb/lp0, usb:VID:PID, spooler:QUEUE or file:PATH";

impl Target {
    pub fn parse(text: &str) -> Result<Target, TransportError> {
        let bad = |why: &str| TransportError::Target(format!("'{text}': {why}; {HOW}"));
        let (kind, place) = text
            .split_once(':')
            .ok_or_else(|| bad("no kind of printer"))?;
        if place.is_empty() {
            return Err(bad("nothing after the colon"));
        }
        Ok(match kind {
            "tcp" => Target::Tcp(
                if place
                    .rsplit_once(':')
                    .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
                {
                    place.into()
                } else {
                    format!("{place}:9100")
                },
            ),
            "serial" => {
                let (device, baud) = match place.split_once('@') {
                    Some((d, b)) => (
                        d,
                        b.parse()
                            .ok()
                            .filter(|b| (1_200..=921_600).contains(b))
                            .ok_or_else(|| bad("the baud rate is not one like 9600 or 115200"))?,
                    ),
                    None => (place, 115_200),
                };
                Target::Serial {
                    device: device.into(),
                    baud,
                }
            }
            "usb" if place.starts_with('/') => Target::UsbNode(place.into()),
            "usb" => Target::UsbRaw(place.into()),
            "spooler" => Target::Spooler(place.into()),
            "file" => Target::File(place.into()),
            _ => return Err(bad(&format!("'{kind}' is not a kind of printer"))),
        })
    }

    /// Connects. A serial printer gets hardware flow control, which raster needs (§4.3).
    pub fn open(&self) -> Result<Box<dyn Transport>, TransportError> {
        Ok(match self {
            Target::Tcp(addr) => Box::new(Tcp::connect(addr)?),
            Target::Serial { device, baud } => Box::new(Serial::open(device, *baud, true)?),
            Target::File(path) => Box::new(Sink::new(path)),
            #[cfg(target_os = "linux")]
            Target::UsbNode(path) => Box::new(crate::usb::UsbLp::open(path)?),
            #[cfg(target_os = "linux")]
            Target::UsbRaw(id) => Box::new(crate::usb::UsbRaw::open(id)?),
            #[cfg(windows)]
            Target::Spooler(queue) => Box::new(crate::spooler::Spooler::open(queue)?),
            #[allow(unreachable_patterns)]
            other => {
                return Err(TransportError::Target(format!(
                    "{other:?} does not exist on this operating system: USB printers are usb:... on Linux and spooler:QUEUE on Windows"
                )));
            }
        })
    }

    /// Whether the printer can answer status queries on this kind of link at all.
    pub fn may_answer(&self) -> bool {
        !matches!(self, Target::File(_) | Target::Spooler(_))
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Tcp(a) => write!(f, "tcp:{a}"),
            Target::Serial { device, baud } => write!(f, "serial:{device}@{baud}"),
            Target::UsbNode(p) => write!(f, "usb:{p}"),
            Target::UsbRaw(id) => write!(f, "usb:{id}"),
            Target::Spooler(q) => write!(f, "spooler:{q}"),
            Target::File(p) => write!(f, "file:{p}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_as_written_with_the_usual_defaults() {
        let ok = |s: &str| Target::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(
            ok("tcp:192.168.1.50"),
            Target::Tcp("192.168.1.50:9100".into())
        );
        assert_eq!(
            ok("tcp:printer.local:9101"),
            Target::Tcp("printer.local:9101".into())
        );
        assert_eq!(
            ok("serial:/dev/ttyUSB0"),
            Target::Serial {
                device: "/dev/ttyUSB0".into(),
                baud: 115_200
            }
        );
        assert_eq!(
            ok("serial:COM3@9600"),
            Target::Serial {
                device: "COM3".into(),
                baud: 9_600
            }
        );
        assert_eq!(
            ok("usb:/dev/usb/lp0"),
            Target::UsbNode("/dev/usb/lp0".into())
        );
        assert_eq!(ok("usb:0416:5011"), Target::UsbRaw("0416:5011".into()));
        assert_eq!(ok("spooler:XP-80C"), Target::Spooler("XP-80C".into()));
        for s in [
            "tcp:10.0.0.2:9100",
            "serial:/dev/ttyS0@19200",
            "usb:04b8:0e15",
            "file:/tmp/x",
        ] {
            assert_eq!(ok(s).to_string(), s);
        }
    }

    #[test]
    fn a_badly_written_target_says_how_to_write_it() {
        for (s, want) in [
            ("printer", "no kind of printer"),
            ("lpt:1", "'lpt' is not a kind"),
            ("serial:/dev/ttyS0@fast", "baud rate"),
            ("tcp:", "nothing after"),
        ] {
            let e = Target::parse(s).expect_err(s).to_string();
            assert!(e.contains(want) && e.contains("tcp:HOST"), "{s}: {e}");
        }
    }
}

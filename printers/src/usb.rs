//! USB receipt printers on Linux (devices.md §4.1), two ways:
//!
//! - `/dev/usb/lpN`, the kernel's `usblp` node: writes are bulk OUT; on a bidirectional
//!   printer the `DLE EOT` replies come back on `read`, which is polled with a timeout
//!   because a read with no data would wait for ever.
//! - raw bulk transfers with `nusb` (`usb:VID:PID`): for printers `usblp` does not bind
//!   (vendor class `FF`) or when the node's permissions are wrong. The kernel driver is
//!   detached from the interface first, or claiming it fails.
//!
//! Both only move bytes; they never interpret them. Windows USB printers go through the
//! spooler (`spooler.rs`), never through WinUSB, which would replace the shop's driver.

use std::fs::File;
use std::io::{Read, Write};
use std::time::Duration;

use nusb::MaybeFuture;
use nusb::descriptors::TransferType;
use nusb::transfer::{Bulk, Direction, In, Out};

use crate::transport::{STATUS_WAIT, Transport, TransportError};

/// USB interface class of printers.
const PRINTER_CLASS: u8 = 0x07;
/// Vendor-specific class: some receipt printers present this instead (devices.md §4.1).
const VENDOR_CLASS: u8 = 0xFF;

/// A printer behind the `usblp` node.
pub struct UsbLp {
    path: String,
    file: File,
    /// Opened for reading too: the printer can answer status queries.
    answers: bool,
}

impl UsbLp {
    pub fn open(path: &str) -> Result<UsbLp, TransportError> {
        let both = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path);
        let (file, answers) = match both {
            Ok(f) => (f, true),
            Err(_) => (
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| TransportError::Connect(path.into(), with_hint(e)))?,
                false,
            ),
        };
        Ok(UsbLp {
            path: path.into(),
            file,
            answers,
        })
    }
}

/// The usual cause of "permission denied" on a USB printer node, and its cure.
fn with_hint(e: std::io::Error) -> std::io::Error {
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        std::io::Error::other(format!(
            "{e}: add the till's user to the 'lp' group (sudo usermod -aG lp $USER) and log in again"
        ))
    } else {
        e
    }
}

impl Transport for UsbLp {
    fn name(&self) -> String {
        format!("usb:{}", self.path)
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        // At most 32 KB a write: some printers lose data from larger bursts (§1.5).
        for chunk in bytes.chunks(32 * 1024) {
            self.file
                .write_all(chunk)
                .and_then(|_| self.file.flush())
                .map_err(|e| TransportError::Write(self.path.clone(), e))?;
        }
        Ok(())
    }

    fn ask(&mut self, query: [u8; 3]) -> Option<u8> {
        if !self.answers {
            return None;
        }
        self.file.write_all(&query).ok()?;
        read_one_within(&mut self.file, STATUS_WAIT)
    }
}

/// One byte from `file` if it arrives within `wait`.
pub(crate) fn read_one_within(file: &mut File, wait: Duration) -> Option<u8> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let timeout = Timespec {
        tv_sec: wait.as_secs() as i64,
        tv_nsec: i64::from(wait.subsec_nanos()),
    };
    let ready = {
        let mut fds = [PollFd::new(&*file, PollFlags::IN)];
        poll(&mut fds, Some(&timeout)).ok()? > 0 && fds[0].revents().contains(PollFlags::IN)
    };
    if !ready {
        return None;
    }
    let mut b = [0u8; 1];
    match file.read(&mut b) {
        Ok(1) => Some(b[0]),
        _ => None,
    }
}

/// A printer reached with raw bulk transfers.
pub struct UsbRaw {
    id: String,
    out: nusb::Endpoint<Bulk, Out>,
    answers: Option<nusb::Endpoint<Bulk, In>>,
}

/// `VID:PID` or `VID:PID:SERIAL`, hexadecimal ids as `lsusb` shows them.
fn parse_id(id: &str) -> Option<(u16, u16, Option<&str>)> {
    let mut parts = id.splitn(3, ':');
    let vid = u16::from_str_radix(parts.next()?, 16).ok()?;
    let pid = u16::from_str_radix(parts.next()?, 16).ok()?;
    Some((vid, pid, parts.next()))
}

impl UsbRaw {
    pub fn open(id: &str) -> Result<UsbRaw, TransportError> {
        let fail =
            |why: String| TransportError::Connect(format!("usb:{id}"), std::io::Error::other(why));
        let (vid, pid, serial) = parse_id(id).ok_or_else(|| {
            fail(
                "write the printer as usb:VID:PID, e.g. usb:0416:5011 (see `sauda printers`)"
                    .into(),
            )
        })?;
        let info = nusb::list_devices()
            .wait()
            .map_err(|e| fail(e.to_string()))?
            .find(|d| {
                d.vendor_id() == vid
                    && d.product_id() == pid
                    && serial.is_none_or(|s| d.serial_number() == Some(s))
            })
            .ok_or_else(|| {
                fail("no such USB device is connected: check the cable and the power".into())
            })?;
        let device = info
            .open()
            .wait()
            .map_err(|e| fail(with_hint(e.into()).to_string()))?;
        let config = device
            .active_configuration()
            .map_err(|e| fail(e.to_string()))?;
        // The printer-class interface, else a vendor one with a bulk OUT endpoint.
        let mut chosen = None;
        for alt in config.interface_alt_settings() {
            let out = alt.endpoints().find(|e| {
                e.transfer_type() == TransferType::Bulk && e.direction() == Direction::Out
            });
            let inp = alt.endpoints().find(|e| {
                e.transfer_type() == TransferType::Bulk && e.direction() == Direction::In
            });
            if let Some(out) = out {
                let rank = match alt.class() {
                    PRINTER_CLASS => 0,
                    VENDOR_CLASS => 1,
                    _ => continue,
                };
                let found = (
                    rank,
                    alt.interface_number(),
                    out.address(),
                    inp.map(|e| e.address()),
                );
                if chosen.is_none_or(|c: (u8, u8, u8, Option<u8>)| rank < c.0) {
                    chosen = Some(found);
                }
            }
        }
        let (_, number, out, inp) = chosen.ok_or_else(|| {
            fail("the device has no printer interface with a bulk OUT endpoint".into())
        })?;
        let interface = device
            .detach_and_claim_interface(number)
            .wait()
            .map_err(|e| fail(e.to_string()))?;
        let out = interface
            .endpoint::<Bulk, Out>(out)
            .map_err(|e| fail(e.to_string()))?;
        let answers = inp.and_then(|a| interface.endpoint::<Bulk, In>(a).ok());
        Ok(UsbRaw {
            id: id.into(),
            out,
            answers,
        })
    }
}

impl Transport for UsbRaw {
    fn name(&self) -> String {
        format!("usb:{}", self.id)
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        for chunk in bytes.chunks(16 * 1024) {
            let done = self
                .out
                .transfer_blocking(chunk.to_vec().into(), Duration::from_secs(10));
            done.status.map_err(|e| {
                TransportError::Write(format!("usb:{}", self.id), std::io::Error::other(e))
            })?;
        }
        Ok(())
    }

    fn ask(&mut self, query: [u8; 3]) -> Option<u8> {
        let answers = self.answers.as_mut()?;
        let sent = self
            .out
            .transfer_blocking(query.to_vec().into(), STATUS_WAIT);
        sent.status.ok()?;
        let size = answers.max_packet_size();
        let reply = answers.transfer_blocking(answers.allocate(size), STATUS_WAIT);
        reply.status.ok()?;
        reply.buffer.into_vec().first().copied()
    }
}

/// A USB device that looks like a receipt printer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsbPrinter {
    /// `VID:PID` in hexadecimal.
    pub id: String,
    pub maker: Option<String>,
    pub product: Option<String>,
    /// Printer class 7 (else a vendor-class device).
    pub printer_class: bool,
}

/// USB devices with a printer-class interface. Vendor-class devices are not guessed
/// at: a person who knows one opens it by its id.
pub fn list() -> Vec<UsbPrinter> {
    let Ok(devices) = nusb::list_devices().wait() else {
        return Vec::new();
    };
    devices
        .filter(|d| d.interfaces().any(|i| i.class() == PRINTER_CLASS))
        .map(|d| UsbPrinter {
            id: format!("{:04x}:{:04x}", d.vendor_id(), d.product_id()),
            maker: d.manufacturer_string().map(str::to_string),
            product: d.product_string().map(str::to_string),
            printer_class: true,
        })
        .collect()
}

/// The `usblp` nodes present now.
pub fn lp_nodes() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/dev/usb") else {
        return Vec::new();
    };
    let mut nodes: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .filter(|p| p.starts_with("/dev/usb/lp"))
        .collect();
    nodes.sort();
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usb_ids_are_read_as_lsusb_shows_them() {
        assert_eq!(parse_id("0416:5011"), Some((0x0416, 0x5011, None)));
        assert_eq!(
            parse_id("04b8:0e15:X5E1234"),
            Some((0x04b8, 0x0e15, Some("X5E1234")))
        );
        assert_eq!(parse_id("lp0"), None);
        assert_eq!(parse_id("0416"), None);
    }
}

//! Finding printers for the settings screen and `sauda printers` (devices.md §4): USB
//! printer-class devices and `/dev/usb/lp*` nodes (Linux), print queues (Windows),
//! serial ports, and network printers answering on TCP 9100 in a range of addresses
//! the person gives. Each finding is a target string `Target::parse` reads back.
//!
//! Discovery only looks: it never sends a print job, and a network probe sends at most
//! one status query (`DLE EOT 1`) to tell an ESC/POS printer from another open port.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

use serde::Serialize;

use crate::status;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Found {
    /// As written in settings: `usb:…`, `serial:…`, `tcp:…`, `spooler:…`.
    pub target: String,
    /// What a person recognises: maker and model, port kind, or what answered.
    pub description: String,
}

/// Everything attached to this computer (no network scan).
pub fn local() -> Vec<Found> {
    let mut found = Vec::new();
    #[cfg(target_os = "linux")]
    {
        for node in crate::usb::lp_nodes() {
            found.push(Found {
                target: format!("usb:{node}"),
                description: "USB printer (kernel usblp node)".into(),
            });
        }
        for p in crate::usb::list() {
            let name = [p.maker.as_deref(), p.product.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            found.push(Found {
                target: format!("usb:{}", p.id),
                description: format!(
                    "{} (USB printer class, raw access)",
                    if name.is_empty() {
                        "USB printer"
                    } else {
                        &name
                    }
                ),
            });
        }
    }
    #[cfg(windows)]
    for q in crate::spooler::queues() {
        found.push(Found {
            target: format!("spooler:{q}"),
            description: "Windows print queue (RAW)".into(),
        });
    }
    if let Ok(ports) = serialport::available_ports() {
        for p in ports {
            let description = match &p.port_type {
                serialport::SerialPortType::UsbPort(u) => format!(
                    "USB serial {:04x}:{:04x}{}",
                    u.vid,
                    u.pid,
                    u.product
                        .as_deref()
                        .map(|s| format!(" {s}"))
                        .unwrap_or_default()
                ),
                serialport::SerialPortType::PciPort => "serial port (on board)".into(),
                serialport::SerialPortType::BluetoothPort => "Bluetooth serial port".into(),
                serialport::SerialPortType::Unknown => "serial port".into(),
            };
            found.push(Found {
                target: format!("serial:{}@115200", p.port_name),
                description,
            });
        }
    }
    found
}

/// The addresses of `range`: one address, or an IPv4 block `a.b.c.d/n` with n ≥ 22
/// (at most 1 024 addresses, so a scan stays short).
pub fn addresses(range: &str) -> Result<Vec<IpAddr>, String> {
    let bad =
        |why: &str| format!("'{range}': {why}; write an address or a block like 192.168.1.0/24");
    let Some((base, bits)) = range.split_once('/') else {
        return range
            .parse::<IpAddr>()
            .map(|a| vec![a])
            .map_err(|_| bad("not an IP address"));
    };
    let base: Ipv4Addr = base.parse().map_err(|_| bad("not an IPv4 address"))?;
    let bits: u32 = bits
        .parse()
        .map_err(|_| bad("the prefix is not a number"))?;
    if !(22..=32).contains(&bits) {
        return Err(bad("scan blocks of /22 to /32 only"));
    }
    let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
    let first = u32::from(base) & mask;
    let size = 1u32 << (32 - bits);
    // The network and broadcast addresses of a block are not hosts.
    let hosts = if size > 2 { 1..size - 1 } else { 0..size };
    Ok(hosts
        .map(|i| IpAddr::V4(Ipv4Addr::from(first + i)))
        .collect())
}

/// Addresses in `hosts` with `port` open, probed 64 at a time with `wait` each.
pub fn network(hosts: &[IpAddr], port: u16, wait: Duration) -> Vec<Found> {
    let mut found = Vec::new();
    for batch in hosts.chunks(64) {
        let answers: Vec<Option<Found>> = std::thread::scope(|s| {
            let probes: Vec<_> = batch
                .iter()
                .map(|&ip| s.spawn(move || probe(SocketAddr::new(ip, port), wait)))
                .collect();
            probes
                .into_iter()
                .map(|p| p.join().ok().flatten())
                .collect()
        });
        found.extend(answers.into_iter().flatten());
    }
    found
}

fn probe(addr: SocketAddr, wait: Duration) -> Option<Found> {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect_timeout(&addr, wait).ok()?;
    let _ = stream.set_read_timeout(Some(wait));
    let answered = stream.write_all(&status::query(1)).is_ok() && {
        let mut b = [0u8; 1];
        // Every status byte has bits 1 and 4 set and bits 0 and 7 clear (§3.1).
        stream.read_exact(&mut b).is_ok() && b[0] & 0x93 == 0x12
    };
    Some(Found {
        target: format!("tcp:{addr}"),
        description: if answered {
            "network printer (answered DLE EOT)".into()
        } else {
            format!("port {} open (no ESC/POS status answer)", addr.port())
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_blocks_list_their_hosts_and_refuse_what_is_too_big() {
        let hosts = addresses("192.168.7.0/24").expect("a /24");
        assert_eq!(hosts.len(), 254);
        assert_eq!(hosts[0], IpAddr::V4(Ipv4Addr::new(192, 168, 7, 1)));
        assert_eq!(hosts[253], IpAddr::V4(Ipv4Addr::new(192, 168, 7, 254)));
        assert_eq!(
            addresses("10.0.0.9").expect("one"),
            vec![IpAddr::V4(Ipv4Addr::new(10, 0, 0, 9))]
        );
        assert_eq!(addresses("10.1.2.3/32").expect("/32").len(), 1);
        assert!(
            addresses("10.0.0.0/16")
                .expect_err("too big")
                .contains("/22")
        );
        assert!(
            addresses("printer")
                .expect_err("no address")
                .contains("192.168.1.0/24")
        );
    }
}

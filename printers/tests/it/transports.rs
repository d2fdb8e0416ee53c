//! Transports against stand-in printers: a TCP listener on 127.0.0.1 (the 9100 case,
//! and network discovery), a serial pty pair made by socat (devices.md §4.5), and a pty
//! standing in for the Linux USB printer node. The stand-in answers the
//! real-time status queries like a printer and hands the rest to the virtual printer.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use sauda::receipt_layout::Line;
use sauda_printers::Profile;
use sauda_printers::render::{self, Options};
use sauda_printers::transport::{Serial, Tcp, Transport};
use sauda_printers::virtual_printer::{self, Event};

/// Reads what arrives: status queries get `reply(n)`, everything else is the print job.
fn stand_in(mut port: impl Read + Write, reply: impl Fn(u8) -> u8, expected: usize) -> Vec<u8> {
    let mut job = Vec::new();
    let mut buf = [0u8; 4096];
    let mut pending: Vec<u8> = Vec::new();
    while job.len() < expected {
        let n = match port.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        pending.extend_from_slice(&buf[..n]);
        while !pending.is_empty() {
            if pending.starts_with(&[0x10, 0x04]) {
                if pending.len() < 3 {
                    break;
                }
                let _ = port.write_all(&[reply(pending[2])]);
                let _ = port.flush();
                pending.drain(..3);
            } else {
                job.push(pending.remove(0));
            }
        }
    }
    job
}

fn receipt() -> Vec<u8> {
    render::receipt(
        &[
            Line::Centered("Тест / Тест".into()),
            Line::Text("Сәлем! ӘҒҚҢӨҰҮҺІ әғқңөұүһі 976.49 ₸".into()),
        ],
        &Profile::generic_58(),
        &Options { drawer: true },
    )
}

#[test]
fn tcp_9100_carries_the_job_and_the_status_queries() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    let addr = listener.local_addr().expect("addr").to_string();
    let bytes = receipt();
    let expected = bytes.len();
    let printer = std::thread::spawn(move || {
        let (socket, _) = listener.accept().expect("accept");
        // Near end of paper on the roll sensor, otherwise ready.
        stand_in(socket, |n| if n == 4 { 0x1E } else { 0x12 }, expected)
    });
    let mut t = Tcp::connect(&addr).expect("connect");
    let status = t.status();
    assert!(status.near_end && status.blocker().is_none(), "{status:?}");
    t.send(&bytes).expect("send");
    drop(t);
    let job = printer.join().expect("stand-in");
    assert_eq!(job, bytes, "every byte arrived, in order");
    let out = virtual_printer::print(&job, &Profile::generic_58()).expect("valid ESC/POS");
    assert!(out.events.contains(&Event::Drawer));
}

struct Socat(Child);

impl Drop for Socat {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A pty pair from socat: the guard that ends it, the path of the till's end, and the
/// printer's end opened for the stand-in.
fn pty_pair(name: &str) -> (Socat, std::path::PathBuf, std::fs::File) {
    let dir = tempfile_dir();
    let (a, b) = (dir.join(format!("{name}-a")), dir.join(format!("{name}-b")));
    let child = match Command::new("socat")
        .arg(format!("pty,raw,echo=0,link={}", a.display()))
        .arg(format!("pty,raw,echo=0,link={}", b.display()))
        .spawn()
    {
        Ok(c) => Socat(c),
        Err(e) => panic!("socat is needed for the pty tests (apt-get install socat): {e}"),
    };
    let started = Instant::now();
    while !(a.exists() && b.exists()) && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let printer_end = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&b)
        .expect("the printer end opens");
    (child, a, printer_end)
}

#[test]
fn serial_over_a_socat_pty_pair_prints_and_reports_paper_out() {
    let (child, a, printer_end) = pty_pair("ttyV");
    let bytes = receipt();
    let expected = bytes.len();
    let printer = std::thread::spawn(move || {
        // Out of paper: n=1 offline, n=2 paper end stop, n=4 paper end.
        stand_in(
            printer_end,
            |n| match n {
                1 => 0x1A,
                2 => 0x32,
                4 => 0x72,
                _ => 0x12,
            },
            expected,
        )
    });
    let mut t = Serial::open(&a.display().to_string(), 115_200, false).expect("open the pty");
    let status = t.status();
    assert!(status.paper_end, "{status:?}");
    assert!(status.blocker().is_some_and(|m| m.contains("бумага")));
    t.send(&bytes).expect("send");
    let job = printer.join().expect("stand-in");
    assert_eq!(job.len(), bytes.len());
    assert_eq!(job, bytes);
    drop(child);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sauda-pty-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Network discovery: a stand-in printer that answers `DLE EOT 1` is named a printer;
/// another open port is listed as only open; a closed port is not listed.
#[test]
fn discovery_finds_a_printer_on_tcp_and_tells_it_from_another_open_port() {
    use sauda_printers::discovery;
    let printer = TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = printer.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = printer.accept() {
            let mut q = [0u8; 3];
            if s.read_exact(&mut q).is_ok() && q == [0x10, 0x04, 0x01] {
                let _ = s.write_all(&[0x12]);
            }
        }
    });
    let hosts = discovery::addresses("127.0.0.1").expect("one host");
    let found = discovery::network(&hosts, port, Duration::from_millis(400));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].target, format!("tcp:127.0.0.1:{port}"));
    assert!(
        found[0].description.contains("answered DLE EOT"),
        "{found:?}"
    );
    // The found target opens as a printer target.
    assert!(sauda_printers::target::Target::parse(&found[0].target).is_ok());

    let silent = TcpListener::bind("127.0.0.1:0").expect("listen");
    let silent_port = silent.local_addr().expect("addr").port();
    let found = discovery::network(&hosts, silent_port, Duration::from_millis(300));
    assert!(
        found[0].description.contains("no ESC/POS status"),
        "{found:?}"
    );
    drop(silent);
    assert!(discovery::network(&hosts, silent_port, Duration::from_millis(300)).is_empty());
}

/// The Linux USB printer node transport, on a pty that behaves like `/dev/usb/lp0`
/// of a bidirectional printer: the job arrives whole, the status replies are read
/// within the wait, and silence is "no answer", never a hang.
#[cfg(target_os = "linux")]
#[test]
fn the_usb_printer_node_sends_the_job_and_reads_status_with_a_timeout() {
    use sauda_printers::usb::UsbLp;
    let (child, a, printer_end) = pty_pair("lp");
    let bytes = receipt();
    let expected = bytes.len();
    let printer = std::thread::spawn(move || {
        // Cover open: n=2 answers with bit 2 set.
        stand_in(printer_end, |n| if n == 2 { 0x16 } else { 0x12 }, expected)
    });
    let mut t = UsbLp::open(&a.display().to_string()).expect("open the node");
    let status = t.status();
    assert!(status.cover_open, "{status:?}");
    t.send(&bytes).expect("send");
    assert_eq!(printer.join().expect("stand-in"), bytes);
    // Nobody answers now: the query gives up after the wait instead of blocking.
    let asked = Instant::now();
    assert_eq!(t.ask([0x10, 0x04, 0x01]), None);
    assert!(asked.elapsed() < Duration::from_secs(2));
    drop(child);
}

//! A USB-COM barcode scanner stood in for by a socat pty pair (devices.md §4.5, §5.3):
//! the till opens one end as its serial port, the test "scans" by writing to the
//! other. It checks the framing on a real tty and that the reading thread notices the
//! port vanishing (socat ended, as an unplugged scanner's node vanishes) and comes
//! back when the same path reappears.
//!
//! Needs `socat` (scripts/deps.sh installs it); without it these tests fail and say so.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sauda_printers::scanner_port::{ReaderState, SerialScanner, spawn_reader};

/// A folder of its own for the pty links, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("sauda-scan-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running socat pty pair: `till` is the path the scanner reader opens, `gun` the
/// scanner's end, opened for writing scans.
struct PtyPair {
    child: Child,
    till: PathBuf,
    gun_path: PathBuf,
}

impl PtyPair {
    fn start(dir: &Path) -> PtyPair {
        let (till, gun_path) = (dir.join("till"), dir.join("gun"));
        let log = File::create(dir.join("socat.log")).expect("a log file");
        let child = Command::new("socat")
            .args(["-d", "-d"])
            .arg(format!("pty,raw,echo=0,link={}", till.display()))
            .arg(format!("pty,raw,echo=0,link={}", gun_path.display()))
            .stderr(Stdio::from(log))
            .spawn();
        let child = match child {
            Ok(c) => c,
            Err(e) => panic!(
                "socat cannot be started ({e}): install socat (apt-get install socat, or run scripts/deps.sh); the serial scanner tests need it"
            ),
        };
        let pair = PtyPair {
            child,
            till,
            gun_path,
        };
        let started = Instant::now();
        while !(pair.till.exists() && pair.gun_path.exists()) {
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "socat made no pty links within 5 s: {}",
                std::fs::read_to_string(dir.join("socat.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        pair
    }

    fn till(&self) -> String {
        self.till.display().to_string()
    }

    fn gun(&self) -> File {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&self.gun_path)
            .expect("the scanner's end opens")
    }

    /// Ends socat with SIGTERM, so it removes its links as a vanished device node
    /// would be (SIGKILL would leave them dangling).
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let asked = Instant::now();
        while asked.elapsed() < Duration::from_secs(3) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for PtyPair {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn send(gun: &mut File, bytes: &[u8]) {
    gun.write_all(bytes).expect("the scanner's end takes bytes");
    gun.flush().expect("flush");
}

#[test]
fn r100_a_usb_com_scanner_on_a_pty_gives_whole_marking_codes_with_their_gs_separators() {
    let dir = Scratch::new("read");
    let pair = PtyPair::start(&dir.0);
    let mut scanner = SerialScanner::open(&pair.till(), 9600).expect("the till's end opens");
    let mut gun = pair.gun();
    let wait = Duration::from_secs(2);

    send(&mut gun, b"4870123456789\r");
    assert_eq!(
        scanner.read_scan(wait).expect("read").as_deref(),
        Some("4870123456789")
    );

    // A GS1 DataMatrix marking code: FNC1 arrives as GS and must stay in the code.
    let marking = "0104870123456789215aB7cD\u{1d}93Xy9Z";
    send(&mut gun, format!("{marking}\r\n").as_bytes());
    assert_eq!(
        scanner.read_scan(wait).expect("read").as_deref(),
        Some(marking)
    );

    // No terminator: the silence after the last byte ends it.
    let sent = Instant::now();
    send(&mut gun, b"]E04870123456789");
    assert_eq!(
        scanner.read_scan(wait).expect("read").as_deref(),
        Some("]E04870123456789")
    );
    assert!(
        sent.elapsed() < Duration::from_secs(1),
        "{:?}",
        sent.elapsed()
    );

    // Two codes in one write come out one by one; the LF of the earlier CRLF made no
    // empty code in between.
    send(&mut gun, b"4870001010010\r4870002010026\r");
    assert_eq!(
        scanner.read_scan(wait).expect("read").as_deref(),
        Some("4870001010010")
    );
    assert_eq!(
        scanner.read_scan(wait).expect("read").as_deref(),
        Some("4870002010026")
    );
    assert_eq!(
        scanner.read_scan(Duration::from_millis(300)).expect("read"),
        None,
        "nothing else was scanned"
    );
    drop(scanner);
    pair.stop();
}

#[derive(Debug)]
enum Seen {
    Scan(String),
    State(ReaderState),
}

fn next(rx: &mpsc::Receiver<Seen>, within: Duration) -> Seen {
    rx.recv_timeout(within)
        .unwrap_or_else(|e| panic!("nothing from the reader within {within:?}: {e}"))
}

#[test]
fn the_reader_reports_a_vanished_port_and_reconnects_when_it_returns() {
    let dir = Scratch::new("loop");
    let pair = PtyPair::start(&dir.0);
    let (tx, rx) = mpsc::channel();
    let states = tx.clone();
    let reader = spawn_reader(
        pair.till(),
        9600,
        move |code| {
            let _ = tx.send(Seen::Scan(code));
        },
        move |state| {
            let _ = states.send(Seen::State(state));
        },
    );
    let wait = Duration::from_secs(5);
    assert!(matches!(
        next(&rx, wait),
        Seen::State(ReaderState::Connected)
    ));
    let mut gun = pair.gun();
    send(&mut gun, b"4870123456789\r");
    assert!(matches!(next(&rx, wait), Seen::Scan(c) if c == "4870123456789"));

    // Unplugged: the pty goes away under the open port.
    pair.stop();
    drop(gun);
    match next(&rx, wait) {
        Seen::State(ReaderState::Lost(why)) => assert!(why.contains("went away"), "{why}"),
        other => panic!("expected the port to be lost, got {other:?}"),
    }

    // Plugged back in at the same path: the back-off retries find it.
    let pair = PtyPair::start(&dir.0);
    assert!(
        matches!(
            next(&rx, Duration::from_secs(10)),
            Seen::State(ReaderState::Connected)
        ),
        "the reader reopens the port"
    );
    let mut gun = pair.gun();
    send(&mut gun, b"0104870123456789215aB7cD\x1d93Xy9Z\r");
    assert!(
        matches!(next(&rx, wait), Seen::Scan(c) if c == "0104870123456789215aB7cD\u{1d}93Xy9Z")
    );

    let asked = Instant::now();
    reader.stop();
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "stop took {:?}",
        asked.elapsed()
    );
    drop(gun);
    pair.stop();
}

//! Barcode scanners in USB-COM / CDC-ACM mode (devices.md §5.3): the port
//! (`/dev/ttyACM0`, `/dev/serial/by-id/…`, `COMn`) read into whole codes by the pure
//! [`Framer`] (`scanner_port/framer.rs`), and a reading thread for the shells that
//! survives unplugging and suspend.
//!
//! It delivers each code exactly as the scanner sent it, GS (`1D`) separators and AIM
//! prefix included; it must not interpret, validate or normalise codes
//! (`sauda::devices` does that) and must never grow memory on a scanner that never
//! sends a terminator.

use std::io::{ErrorKind, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

mod framer;

pub use framer::{DEFAULT_SILENCE, Frame, Framer, MAX_FRAME};

/// How long one read waits, so the reader thread sees its stop flag this often.
const READ_SLICE: Duration = Duration::from_millis(100);
const FIRST_RETRY: Duration = Duration::from_millis(500);
const LAST_RETRY: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum ScannerPortError {
    #[error(
        "the scanner port {path} cannot be opened ({reason}): check that the scanner is plugged in and switched to USB-COM mode, and that this user may open the port (group dialout on Linux)"
    )]
    Open { path: String, reason: String },
    #[error(
        "the scanner on {path} went away ({reason}): plug it back in; the reader reopens it by itself"
    )]
    Lost { path: String, reason: String },
    #[error(
        "the scanner on {path} sent more than {MAX_FRAME} bytes without an end: the code was dropped; scan it again, and if this repeats set the scanner's suffix to CR"
    )]
    TooLong { path: String },
}

/// A scanner on a serial port.
pub struct SerialScanner {
    path: String,
    port: Box<dyn serialport::SerialPort>,
    framer: Framer,
}

impl SerialScanner {
    /// 8N1 at `baud` (9600 is the usual setting; CDC-ACM ignores the speed).
    pub fn open(path: &str, baud: u32) -> Result<SerialScanner, ScannerPortError> {
        let port = serialport::new(path, baud)
            .data_bits(serialport::DataBits::Eight)
            .parity(serialport::Parity::None)
            .stop_bits(serialport::StopBits::One)
            .flow_control(serialport::FlowControl::None)
            .timeout(READ_SLICE)
            .open()
            .map_err(|e| ScannerPortError::Open {
                path: path.into(),
                reason: e.to_string(),
            })?;
        Ok(SerialScanner {
            path: path.into(),
            port,
            framer: Framer::default(),
        })
    }

    /// Frames with this silence and extra suffix instead of the defaults.
    pub fn with_framing(mut self, silence: Duration, suffix: &[u8]) -> SerialScanner {
        self.framer = Framer::new(silence, suffix);
        self
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The next whole code, or `None` when none finished within `timeout`. A code
    /// still arriving at the timeout is kept for the next call.
    pub fn read_scan(&mut self, timeout: Duration) -> Result<Option<String>, ScannerPortError> {
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 512];
        loop {
            let now = Instant::now();
            match self.framer.poll(now) {
                Some(Frame::Code(code)) => return Ok(Some(code)),
                Some(Frame::TooLong) => {
                    return Err(ScannerPortError::TooLong {
                        path: self.path.clone(),
                    });
                }
                None => {}
            }
            if now >= deadline {
                return Ok(None);
            }
            // Wake for the end of a partial code's silence, not only for new bytes.
            let until = self
                .framer
                .silence_ends()
                .map_or(deadline, |end| end.min(deadline));
            let wait = until
                .saturating_duration_since(now)
                .max(Duration::from_millis(1));
            self.port.set_timeout(wait).map_err(|e| self.lost(e))?;
            match self.port.read(&mut buf) {
                Ok(0) => return Err(self.lost("end of file")),
                Ok(n) => self.framer.push(&buf[..n], Instant::now()),
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::TimedOut | ErrorKind::WouldBlock | ErrorKind::Interrupted
                    ) => {}
                // Unplugging or suspend shows as a hang-up (broken pipe) or EIO.
                Err(e) => return Err(self.lost(e)),
            }
        }
    }

    fn lost(&self, reason: impl std::fmt::Display) -> ScannerPortError {
        ScannerPortError::Lost {
            path: self.path.clone(),
            reason: reason.to_string(),
        }
    }
}

/// What the reading thread tells the shell about the scanner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReaderState {
    /// The port is open; scans arrive.
    Connected,
    /// The port is gone or cannot be opened; the thread keeps trying. The sentence
    /// says why and what to do.
    Lost(String),
    /// The port is fine but a scan was thrown away; the sentence asks for a rescan.
    Dropped(String),
}

/// The running reader; stopping or dropping it ends the thread within about 0.1 s
/// (plus the time a callback takes).
pub struct ReaderHandle {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ReaderHandle {
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            // A panic in a callback already ended the thread; nothing is left to stop.
            let _ = thread.join();
        }
    }
}

impl Drop for ReaderHandle {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Reads scans from `path` on a thread and hands each to `on_scan`. When the port
/// goes away it reports [`ReaderState::Lost`] once, reopens it with back-off (0.5 s
/// doubling to 5 s) and reports [`ReaderState::Connected`] when it is back.
pub fn spawn_reader(
    path: String,
    baud: u32,
    on_scan: impl Fn(String) + Send + 'static,
    on_state: impl Fn(ReaderState) + Send + 'static,
) -> ReaderHandle {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name("scanner-reader".into())
        .spawn(move || read_loop(&path, baud, &flag, &on_scan, &on_state));
    let thread = match thread {
        Ok(t) => Some(t),
        Err(e) => {
            tracing::error!("the scanner reader thread cannot start: {e}");
            None
        }
    };
    ReaderHandle { stop, thread }
}

fn read_loop(
    path: &str,
    baud: u32,
    stop: &AtomicBool,
    on_scan: &dyn Fn(String),
    on_state: &dyn Fn(ReaderState),
) {
    let mut backoff = FIRST_RETRY;
    // Lost is reported on the change only, not on every failed retry.
    let mut lost_reported = false;
    while !stop.load(Ordering::Relaxed) {
        let mut scanner = match SerialScanner::open(path, baud) {
            Ok(s) => s,
            Err(e) => {
                if !lost_reported {
                    on_state(ReaderState::Lost(e.to_string()));
                    lost_reported = true;
                }
                sleep_unless_stopped(backoff, stop);
                backoff = (backoff * 2).min(LAST_RETRY);
                continue;
            }
        };
        on_state(ReaderState::Connected);
        lost_reported = false;
        backoff = FIRST_RETRY;
        while !stop.load(Ordering::Relaxed) {
            match scanner.read_scan(READ_SLICE) {
                Ok(Some(code)) => on_scan(code),
                Ok(None) => {}
                Err(e @ ScannerPortError::TooLong { .. }) => {
                    on_state(ReaderState::Dropped(e.to_string()));
                }
                Err(e) => {
                    on_state(ReaderState::Lost(e.to_string()));
                    lost_reported = true;
                    break;
                }
            }
        }
    }
}

fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) {
    let end = Instant::now() + total;
    while !stop.load(Ordering::Relaxed) {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(Duration::from_millis(50)));
    }
}

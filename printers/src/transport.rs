//! Where the bytes go (devices.md §4): a network printer on TCP 9100, a serial port, or a
//! device or file that only takes bytes (`/dev/usb/lp0`, a spool file). Transports that
//! can answer also carry the real-time status queries (`DLE EOT`, §3.1).
//!
//! A transport never interprets the bytes; the encoder and `status` do.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::status::{self, PrinterStatus};

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("the printer at {0} cannot be reached: {1}")]
    Connect(String, std::io::Error),
    #[error("the printer at {0} stopped taking data: {1}")]
    Write(String, std::io::Error),
    #[error("serial port {0}: {1}")]
    Serial(String, String),
    #[error("printer {0}")]
    Target(String),
}

pub trait Transport {
    /// Where it prints, for messages.
    fn name(&self) -> String;
    fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError>;
    /// One status byte, or `None` without an answer in time (or without a back channel).
    fn ask(&mut self, query: [u8; 3]) -> Option<u8>;

    /// The four real-time replies as one status. A printer that does not answer the
    /// first query has no back channel: the other three are not waited for.
    fn status(&mut self) -> PrinterStatus {
        let mut replies = [None; 4];
        for (i, r) in replies.iter_mut().enumerate() {
            *r = self.ask(status::query(i as u8 + 1));
            if r.is_none() {
                break;
            }
        }
        PrinterStatus::from_replies(replies)
    }
}

/// Reply timeout of a status query (devices.md §3.1: 300–500 ms).
pub(crate) const STATUS_WAIT: Duration = Duration::from_millis(400);

pub struct Tcp {
    addr: String,
    stream: TcpStream,
}

impl Tcp {
    pub fn connect(addr: &str) -> Result<Tcp, TransportError> {
        let target = addr
            .to_socket_addrs()
            .map_err(|e| TransportError::Connect(addr.into(), e))?
            .next()
            .ok_or_else(|| {
                TransportError::Connect(addr.into(), std::io::Error::other("no address"))
            })?;
        let stream = TcpStream::connect_timeout(&target, Duration::from_secs(3))
            .map_err(|e| TransportError::Connect(addr.into(), e))?;
        let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
        Ok(Tcp {
            addr: addr.into(),
            stream,
        })
    }
}

impl Transport for Tcp {
    fn name(&self) -> String {
        format!("tcp:{}", self.addr)
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        self.stream
            .write_all(bytes)
            .and_then(|_| self.stream.flush())
            .map_err(|e| TransportError::Write(self.addr.clone(), e))
    }

    fn ask(&mut self, query: [u8; 3]) -> Option<u8> {
        ask_on(&mut self.stream, query, |s, t| {
            s.set_read_timeout(t).is_ok()
        })
    }
}

pub struct Serial {
    path: String,
    port: Box<dyn serialport::SerialPort>,
}

impl Serial {
    /// 8N1 at `baud`; hardware flow control when `rts_cts` (needed for raster, §4.3).
    pub fn open(path: &str, baud: u32, rts_cts: bool) -> Result<Serial, TransportError> {
        let port = serialport::new(path, baud)
            .flow_control(if rts_cts {
                serialport::FlowControl::Hardware
            } else {
                serialport::FlowControl::None
            })
            .timeout(Duration::from_secs(10))
            .open()
            .map_err(|e| TransportError::Serial(path.into(), e.to_string()))?;
        Ok(Serial {
            path: path.into(),
            port,
        })
    }
}

impl Transport for Serial {
    fn name(&self) -> String {
        format!("serial:{}", self.path)
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        // Paced in 1 KB chunks: a printer without flow control loses data when its small
        // buffer overflows (§4.3).
        for chunk in bytes.chunks(1024) {
            self.port
                .write_all(chunk)
                .and_then(|_| self.port.flush())
                .map_err(|e| TransportError::Write(self.path.clone(), e))?;
        }
        Ok(())
    }

    fn ask(&mut self, query: [u8; 3]) -> Option<u8> {
        let _ = self.port.clear(serialport::ClearBuffer::Input);
        self.port.set_timeout(STATUS_WAIT).ok()?;
        let answer = (|| {
            self.port.write_all(&query).ok()?;
            let mut b = [0u8; 1];
            self.port.read_exact(&mut b).ok()?;
            Some(b[0])
        })();
        let _ = self.port.set_timeout(Duration::from_secs(10));
        answer
    }
}

/// A device or file that only takes bytes: no status.
pub struct Sink {
    path: String,
}

impl Sink {
    pub fn new(path: &str) -> Sink {
        Sink { path: path.into() }
    }
}

impl Transport for Sink {
    fn name(&self) -> String {
        format!("file:{}", self.path)
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .append(!self.path.starts_with("/dev/"))
            .open(&self.path)
            .and_then(|mut f| f.write_all(bytes).and_then(|_| f.flush()))
            .map_err(|e| TransportError::Write(self.path.clone(), e))
    }

    fn ask(&mut self, _query: [u8; 3]) -> Option<u8> {
        None
    }
}

fn ask_on<S: Read + Write>(
    stream: &mut S,
    query: [u8; 3],
    set_timeout: impl Fn(&mut S, Option<Duration>) -> bool,
) -> Option<u8> {
    if !set_timeout(stream, Some(STATUS_WAIT)) {
        return None;
    }
    let answer = (|| {
        stream.write_all(&query).ok()?;
        let mut b = [0u8; 1];
        stream.read_exact(&mut b).ok()?;
        Some(b[0])
    })();
    set_timeout(stream, None);
    answer
}

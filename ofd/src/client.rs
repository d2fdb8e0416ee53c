//! The register's side of one exchange with the operator: connect, write one request
//! frame, read one answer frame, close (spec/ofd-protocol.md §1.1), over a list of
//! channels in priority order, retrying the *same bytes* until a deadline (§1.8), and
//! the request-number/token bookkeeping of §1.6–1.7 as a pure state machine.
//!
//! This module never stores anything: the caller (the core's `link`) must make the
//! session durable (the token of every answer, the request number reserved by an
//! unanswered document) before its next request. It never decodes payloads either;
//! it only checks that an answer's header belongs to the request (§1.5).

use std::io::Write;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::frame::{self, Envelope, FrameError, HEADER_LEN, Header, Version};

/// Limits of one attempt on one channel. The whole message's budget is the deadline
/// given to [`Channels::send`] (R-55: an answer within 5 s, or autonomous mode).
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    pub connect: Duration,
    pub io: Duration,
    /// Pause between two rounds over all channels, so a dead network is not hammered.
    pub pause: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            connect: Duration::from_millis(2_000),
            io: Duration::from_millis(5_000),
            pause: Duration::from_millis(200),
        }
    }
}

/// Why one attempt got no usable answer. Every variant means "no answer": the request
/// may or may not have been counted, so it is retried with the same bytes.
#[derive(Debug, thiserror::Error)]
pub enum AttemptError {
    #[error("cannot resolve operator address '{0}'")]
    Resolve(String),
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        addr: String,
        source: std::io::Error,
    },
    #[error("sending to {addr}: {source}")]
    Send { addr: String, source: FrameError },
    #[error("no answer from {addr}: {source}")]
    Receive { addr: String, source: FrameError },
    #[error(
        "{addr} answered a different request (id {got_id}, request number {got_reqnum}; sent id {id}, number {reqnum})"
    )]
    Mismatch {
        addr: String,
        id: u32,
        reqnum: u16,
        got_id: u32,
        got_reqnum: u16,
    },
    #[error("{addr} answered in protocol {got}, the request was {sent}")]
    WrongVersion {
        addr: String,
        sent: &'static str,
        got: &'static str,
    },
}

/// No channel answered before the deadline.
#[derive(Debug, thiserror::Error)]
#[error("the operator did not answer within {waited_ms} ms ({} attempts; last: {last})", attempts.len())]
pub struct NoAnswer {
    pub waited_ms: u128,
    pub last: String,
    pub attempts: Vec<AttemptError>,
}

/// An answer whose header matches the request.
#[derive(Debug)]
pub struct Answer {
    pub header: Header,
    pub payload: Vec<u8>,
    /// Index of the channel that answered.
    pub channel: usize,
    pub attempts: usize,
    pub elapsed: Duration,
}

/// The operator's addresses (`host:port`) in priority order (item 97: at least two
/// independent channels on a real register).
#[derive(Clone, Debug)]
pub struct Channels {
    pub addrs: Vec<String>,
    pub timeouts: Timeouts,
}

impl Channels {
    pub fn new(addrs: Vec<String>, timeouts: Timeouts) -> Channels {
        Channels { addrs, timeouts }
    }

    /// Sends `request` (a whole frame) until a channel answers or `deadline` passes,
    /// starting with channel `first` and moving to the next one after each failure.
    /// Every attempt writes the same bytes (§1.8), so the operator recognises a repeat.
    pub fn send(
        &self,
        request: &[u8],
        first: usize,
        deadline: Instant,
    ) -> Result<Answer, NoAnswer> {
        let started = Instant::now();
        let mut attempts = Vec::new();
        let sent = request_header(request);
        if self.addrs.is_empty() || sent.is_none() {
            return Err(NoAnswer {
                waited_ms: 0,
                last: "no operator address is configured".into(),
                attempts,
            });
        }
        let n = self.addrs.len();
        let mut i = first % n;
        let mut in_round = 0;
        loop {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            let addr = &self.addrs[i];
            match attempt(addr, request, sent, self.timeouts, deadline) {
                Ok((header, payload)) => {
                    return Ok(Answer {
                        header,
                        payload,
                        channel: i,
                        attempts: attempts.len() + 1,
                        elapsed: started.elapsed(),
                    });
                }
                Err(e) => {
                    tracing::warn!("operator channel {}: {e}", i + 1);
                    attempts.push(e);
                }
            }
            i = (i + 1) % n;
            in_round += 1;
            if in_round == n {
                in_round = 0;
                let left = deadline.saturating_duration_since(Instant::now());
                std::thread::sleep(self.timeouts.pause.min(left));
            }
        }
        Err(NoAnswer {
            waited_ms: started.elapsed().as_millis(),
            last: attempts
                .last()
                .map(|e| e.to_string())
                .unwrap_or_else(|| "the deadline had passed before the first attempt".into()),
            attempts,
        })
    }
}

fn request_header(request: &[u8]) -> Option<Header> {
    let head: &[u8; HEADER_LEN] = request.get(..HEADER_LEN)?.try_into().ok()?;
    Header::decode(head).ok()
}

fn attempt(
    addr: &str,
    request: &[u8],
    sent: Option<Header>,
    timeouts: Timeouts,
    deadline: Instant,
) -> Result<(Header, Vec<u8>), AttemptError> {
    let sent = sent.ok_or_else(|| AttemptError::Resolve(addr.into()))?;
    let left = |cap: Duration| {
        deadline
            .saturating_duration_since(Instant::now())
            .min(cap)
            .max(Duration::from_millis(1))
    };
    let targets: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .map_err(|_| AttemptError::Resolve(addr.into()))?
        .collect();
    let mut last = None;
    let mut stream = None;
    for target in targets {
        match TcpStream::connect_timeout(&target, left(timeouts.connect)) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let mut stream = stream.ok_or_else(|| AttemptError::Connect {
        addr: addr.into(),
        source: last.unwrap_or_else(|| std::io::Error::other("the name has no addresses")),
    })?;
    let io_error = |e: std::io::Error| FrameError::Io(e);
    let _ = stream.set_nodelay(true);
    stream
        .set_write_timeout(Some(left(timeouts.io)))
        .and_then(|_| stream.write_all(request))
        .and_then(|_| stream.flush())
        .map_err(|e| AttemptError::Send {
            addr: addr.into(),
            source: io_error(e),
        })?;
    let mut reader = DeadlineReader {
        stream: &mut stream,
        deadline: Instant::now()
            + timeouts
                .io
                .min(deadline.saturating_duration_since(Instant::now())),
    };
    let (header, payload) =
        frame::read_frame(&mut reader).map_err(|source| AttemptError::Receive {
            addr: addr.into(),
            source,
        })?;
    if header.id != sent.id || header.reqnum != sent.reqnum {
        return Err(AttemptError::Mismatch {
            addr: addr.into(),
            id: sent.id,
            reqnum: sent.reqnum,
            got_id: header.id,
            got_reqnum: header.reqnum,
        });
    }
    if header.version != sent.version {
        return Err(AttemptError::WrongVersion {
            addr: addr.into(),
            sent: sent.version.as_str(),
            got: header.version.as_str(),
        });
    }
    Ok((header, payload))
}

/// Reads with one deadline for the whole answer: a peer that trickles bytes cannot
/// stretch an attempt past the budget, as a per-read timeout would let it.
struct DeadlineReader<'a> {
    stream: &'a mut TcpStream,
    deadline: Instant,
}

impl std::io::Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the answer did not arrive in time",
            ));
        }
        self.stream.set_read_timeout(Some(left))?;
        std::io::Read::read(self.stream, buf)
    }
}

/// The register's place in the request-number/token chain (§1.6–1.7). The caller
/// persists it; this type only applies the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Session {
    pub version: Version,
    pub id: u32,
    /// The last token the register holds; every request carries it.
    pub token: u32,
    /// The request number of the last request sent (answered or not).
    pub reqnum: u16,
}

impl Session {
    /// The envelope of a new request: the next request number (65535 wraps to 0).
    pub fn next(&self) -> Envelope {
        Envelope {
            version: self.version,
            id: self.id,
            token: self.token,
            reqnum: self.reqnum.wrapping_add(1),
        }
    }

    /// Marks `envelope`'s request number as used. A document that gets no answer keeps
    /// it reserved for its resends; a new request always takes the next one.
    pub fn spend(&mut self, envelope: Envelope) {
        self.reqnum = envelope.reqnum;
    }

    /// Takes the token of an answer (§1.7: after every answer except results 8 and 9).
    /// Returns whether it changed.
    pub fn take_token(&mut self, answer: &Header, result_code: u32) -> bool {
        if matches!(result_code, 8 | 9) || answer.token == self.token {
            return false;
        }
        self.token = answer.token;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            version: Version::V203,
            id: 7,
            token: 100,
            reqnum: 65_534,
        }
    }

    #[test]
    fn request_numbers_count_up_and_wrap_to_zero() {
        let mut s = session();
        let a = s.next();
        assert_eq!(a.reqnum, 65_535);
        s.spend(a);
        assert_eq!(s.next().reqnum, 0);
    }

    #[test]
    fn an_unspent_number_is_offered_again() {
        let s = session();
        assert_eq!(s.next(), s.next());
    }

    #[test]
    fn tokens_of_results_8_and_9_are_ignored() {
        let mut s = session();
        let mut h = Header {
            version: Version::V203,
            size: 18,
            id: 7,
            token: 555,
            reqnum: 1,
        };
        assert!(!s.take_token(&h, 8));
        assert!(!s.take_token(&h, 9));
        assert_eq!(s.token, 100);
        assert!(s.take_token(&h, 0));
        assert_eq!(s.token, 555);
        h.token = 555;
        assert!(!s.take_token(&h, 0));
    }

    #[test]
    fn no_address_means_no_answer_at_once() {
        let ch = Channels::new(vec![], Timeouts::default());
        let frame = frame::encode(session().next(), &[8, 0]).expect("frame");
        let err = ch
            .send(&frame, 0, Instant::now() + Duration::from_secs(5))
            .expect_err("no channels");
        assert!(err.last.contains("no operator address"));
    }

    #[test]
    fn a_refused_connection_is_retried_until_the_deadline() {
        // Bind and drop a listener so the port is (almost certainly) closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("port");
        let ch = Channels::new(
            vec![format!("127.0.0.1:{port}")],
            Timeouts {
                pause: Duration::from_millis(20),
                ..Timeouts::default()
            },
        );
        let frame = frame::encode(session().next(), &[8, 0]).expect("frame");
        let started = Instant::now();
        let err = ch
            .send(&frame, 0, started + Duration::from_millis(300))
            .expect_err("closed port");
        assert!(err.attempts.len() >= 2, "{err}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

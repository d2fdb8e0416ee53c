//! The framing of a serial scanner's byte stream (devices.md §5.3): bytes go in with
//! the time they arrived, whole codes come out, ended by CR, LF, CRLF, a configured
//! suffix or a silence. Pure: no port, no clock, no thread, so every rule is tested
//! with made-up timestamps.
//!
//! It keeps every byte of a code as sent (GS `1D` included) and must never hold more
//! than [`MAX_FRAME`] bytes, whatever the scanner sends.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// A longer frame is cut and reported: no code a till scans comes near it (the
/// longest marking codes are about 150 bytes), so it means a missing terminator.
pub const MAX_FRAME: usize = 4096;
/// Scanners send a code in one burst; 50–100 ms of silence ends it (§5.3).
pub const DEFAULT_SILENCE: Duration = Duration::from_millis(80);

/// What the framer makes of the byte stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A whole code without its terminator.
    Code(String),
    /// More than [`MAX_FRAME`] bytes without an end; they were thrown away.
    TooLong,
}

/// Cuts a scanner's byte stream into codes: at CR, LF or the configured suffix, or
/// after `silence` without a byte. Pure (time comes in with the bytes), so it is
/// tested without a port.
#[derive(Debug)]
pub struct Framer {
    silence: Duration,
    suffix: Vec<u8>,
    buf: Vec<u8>,
    last: Option<Instant>,
    /// Inside an overlong frame that was already reported: drop bytes until its end.
    discarding: bool,
    ready: VecDeque<Frame>,
}

impl Default for Framer {
    fn default() -> Framer {
        Framer::new(DEFAULT_SILENCE, &[])
    }
}

impl Framer {
    /// `suffix` is a terminator besides CR and LF (for example Tab or ETX); empty for none.
    pub fn new(silence: Duration, suffix: &[u8]) -> Framer {
        Framer {
            silence,
            suffix: suffix.to_vec(),
            buf: Vec::new(),
            last: None,
            discarding: false,
            ready: VecDeque::new(),
        }
    }

    /// Bytes that arrived together at `at`.
    pub fn push(&mut self, bytes: &[u8], at: Instant) {
        // A gap since the previous bytes ends that code even if nobody polled in it.
        self.end_by_silence(at);
        for &b in bytes {
            if b == b'\r' || b == b'\n' {
                // An empty frame is never a code, so the LF of a CRLF (even one that
                // arrives in a later read) and blank lines are dropped here.
                self.end_frame();
                continue;
            }
            if self.discarding {
                continue;
            }
            if self.buf.len() == MAX_FRAME {
                self.buf = Vec::new();
                self.discarding = true;
                self.ready.push_back(Frame::TooLong);
                continue;
            }
            self.buf.push(b);
            if !self.suffix.is_empty() && self.buf.ends_with(&self.suffix) {
                self.buf.truncate(self.buf.len() - self.suffix.len());
                self.end_frame();
            }
        }
        self.last = Some(at);
    }

    /// The next finished frame at `now`, ending a partial one whose silence has run out.
    pub fn poll(&mut self, now: Instant) -> Option<Frame> {
        self.end_by_silence(now);
        self.ready.pop_front()
    }

    /// When a partial frame will end by silence, if one is pending.
    pub fn silence_ends(&self) -> Option<Instant> {
        match self.last {
            Some(last) if !self.buf.is_empty() || self.discarding => Some(last + self.silence),
            _ => None,
        }
    }

    fn end_by_silence(&mut self, now: Instant) {
        if self.silence_ends().is_some_and(|end| now >= end) {
            self.end_frame();
        }
    }

    fn end_frame(&mut self) {
        self.discarding = false;
        if !self.buf.is_empty() {
            let code = String::from_utf8_lossy(&self.buf).into_owned();
            self.buf.clear();
            self.ready.push_back(Frame::Code(code));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(framer: &mut Framer, now: Instant) -> Vec<Frame> {
        std::iter::from_fn(|| framer.poll(now)).collect()
    }

    #[test]
    fn terminators_end_codes_and_the_lf_of_a_crlf_is_dropped_even_in_a_later_read() {
        let t = Instant::now();
        let mut f = Framer::default();
        f.push(b"4870123456789\r", t);
        f.push(b"\n0104870123456789215aB\x1d93Xy9Z\r\nAB", t);
        f.push(b"C\n\n", t);
        assert_eq!(
            codes(&mut f, t),
            vec![
                Frame::Code("4870123456789".into()),
                Frame::Code("0104870123456789215aB\x1d93Xy9Z".into()),
                Frame::Code("ABC".into()),
            ]
        );
    }

    #[test]
    fn silence_ends_a_code_without_terminator() {
        let t = Instant::now();
        let mut f = Framer::default();
        f.push(b"]E0487", t);
        f.push(b"0123456789", t + Duration::from_millis(10));
        assert_eq!(
            f.poll(t + Duration::from_millis(60)),
            None,
            "still arriving"
        );
        assert_eq!(f.silence_ends(), Some(t + Duration::from_millis(90)));
        assert_eq!(
            f.poll(t + Duration::from_millis(90)),
            Some(Frame::Code("]E04870123456789".into()))
        );
        assert_eq!(f.silence_ends(), None);
        // Bytes after a gap start a new code even when nobody polled in the gap.
        f.push(b"111", t + Duration::from_millis(200));
        f.push(b"222\r", t + Duration::from_millis(400));
        assert_eq!(
            codes(&mut f, t + Duration::from_millis(400)),
            vec![Frame::Code("111".into()), Frame::Code("222".into())]
        );
    }

    #[test]
    fn a_configured_suffix_ends_a_code_and_is_not_part_of_it() {
        let t = Instant::now();
        let mut f = Framer::new(DEFAULT_SILENCE, b"\x03");
        f.push(b"12345678\x03876", t);
        f.push(b"54321\x03", t);
        let expected = vec![
            Frame::Code("12345678".into()),
            Frame::Code("87654321".into()),
        ];
        assert_eq!(codes(&mut f, t), expected);
    }

    #[test]
    fn an_endless_frame_is_cut_reported_once_and_the_next_code_reads() {
        let t = Instant::now();
        let mut f = Framer::default();
        for _ in 0..3 {
            f.push(&[b'7'; 3000], t);
        }
        assert!(f.buf.is_empty(), "the overlong bytes are not kept");
        f.push(b"\r123\r", t);
        assert_eq!(
            codes(&mut f, t),
            vec![Frame::TooLong, Frame::Code("123".into())]
        );
        // Exactly MAX_FRAME bytes is still a code.
        f.push(&[b'8'; MAX_FRAME], t);
        f.push(b"\r", t);
        assert!(matches!(f.poll(t), Some(Frame::Code(c)) if c.len() == MAX_FRAME));
    }

    #[test]
    fn bytes_that_are_not_utf8_become_replacement_characters() {
        let t = Instant::now();
        let mut f = Framer::default();
        f.push(b"12\xff34\r", t);
        assert_eq!(f.poll(t), Some(Frame::Code("12\u{fffd}34".into())));
    }
}

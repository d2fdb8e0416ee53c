//! The 18-byte frame header of the operator protocol (spec/ofd-protocol.md §1.2–1.3)
//! and reading/writing whole frames on any byte stream.
//!
//! Every message, in both directions, is `HEADER + PAYLOAD`; the header's integers are
//! little-endian and SIZE counts the header too. This module checks the marker, the
//! version and the size bounds and nothing else: it does not decode payloads, match
//! answers to requests or keep tokens (that is the client's and the link's job).

use std::io::{Read, Write};

/// `APPCODE`, always 0x81A2 (`A2 81` on the wire).
pub const APPCODE: u16 = 0x81A2;
pub const HEADER_LEN: usize = 18;
/// The reference client refuses answers above 5 MiB (§1.1); so do we, both ways.
pub const MAX_FRAME: u32 = 5 * 1024 * 1024;

/// The protocol versions Sauda speaks; a register setting (§1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    V203,
    V204,
}

impl Version {
    /// The header's VERSION: 100·X + 10·Y + Z.
    pub fn code(self) -> u16 {
        match self {
            Version::V203 => 203,
            Version::V204 => 204,
        }
    }

    pub fn from_code(code: u16) -> Option<Version> {
        match code {
            203 => Some(Version::V203),
            204 => Some(Version::V204),
            _ => None,
        }
    }

    /// "2.0.3" / "2.0.4", as settings and messages spell it.
    pub fn parse(text: &str) -> Option<Version> {
        match text.trim() {
            "2.0.3" | "203" => Some(Version::V203),
            "2.0.4" | "204" => Some(Version::V204),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Version::V203 => "2.0.3",
            Version::V204 => "2.0.4",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub version: Version,
    /// Total length including these 18 bytes.
    pub size: u32,
    /// The register's id at the operator (`kkm-id`).
    pub id: u32,
    pub token: u32,
    pub reqnum: u16,
}

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("not an operator protocol frame: the first bytes are {0:02X?}, expected A2 81")]
    BadMarker([u8; 2]),
    #[error("the peer speaks protocol version {0}, Sauda speaks 2.0.3 and 2.0.4")]
    UnsupportedVersion(u16),
    #[error("frame size {0} is out of bounds (18 to {MAX_FRAME} bytes)")]
    BadSize(u32),
    #[error("the payload of {0} bytes does not fit in a frame")]
    TooLarge(usize),
    #[error("the connection closed in the middle of a frame")]
    Truncated,
    #[error("transport: {0}")]
    Io(#[from] std::io::Error),
}

impl Header {
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0..2].copy_from_slice(&APPCODE.to_le_bytes());
        b[2..4].copy_from_slice(&self.version.code().to_le_bytes());
        b[4..8].copy_from_slice(&self.size.to_le_bytes());
        b[8..12].copy_from_slice(&self.id.to_le_bytes());
        b[12..16].copy_from_slice(&self.token.to_le_bytes());
        b[16..18].copy_from_slice(&self.reqnum.to_le_bytes());
        b
    }

    pub fn decode(b: &[u8; HEADER_LEN]) -> Result<Header, FrameError> {
        let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        if u16_at(0) != APPCODE {
            return Err(FrameError::BadMarker([b[0], b[1]]));
        }
        let version =
            Version::from_code(u16_at(2)).ok_or(FrameError::UnsupportedVersion(u16_at(2)))?;
        let size = u32_at(4);
        if (size as usize) < HEADER_LEN || size > MAX_FRAME {
            return Err(FrameError::BadSize(size));
        }
        Ok(Header {
            version,
            size,
            id: u32_at(8),
            token: u32_at(12),
            reqnum: u16_at(16),
        })
    }

    pub fn payload_len(&self) -> usize {
        self.size as usize - HEADER_LEN
    }
}

/// The address fields of a frame; SIZE is computed from the payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub version: Version,
    pub id: u32,
    pub token: u32,
    pub reqnum: u16,
}

/// Header and payload as one buffer, ready for a single write.
pub fn encode(envelope: Envelope, payload: &[u8]) -> Result<Vec<u8>, FrameError> {
    let size = u32::try_from(HEADER_LEN + payload.len())
        .ok()
        .filter(|&s| s <= MAX_FRAME)
        .ok_or(FrameError::TooLarge(payload.len()))?;
    let header = Header {
        version: envelope.version,
        size,
        id: envelope.id,
        token: envelope.token,
        reqnum: envelope.reqnum,
    };
    let mut out = Vec::with_capacity(size as usize);
    out.extend_from_slice(&header.encode());
    out.extend_from_slice(payload);
    Ok(out)
}

pub fn write_frame(
    w: &mut impl Write,
    envelope: Envelope,
    payload: &[u8],
) -> Result<(), FrameError> {
    w.write_all(&encode(envelope, payload)?)?;
    w.flush()?;
    Ok(())
}

/// Reads exactly one frame: 18 bytes, then SIZE − 18 more (§1.3).
pub fn read_frame(r: &mut impl Read) -> Result<(Header, Vec<u8>), FrameError> {
    let mut head = [0u8; HEADER_LEN];
    read_exact(r, &mut head)?;
    let header = Header::decode(&head)?;
    let mut payload = vec![0u8; header.payload_len()];
    read_exact(r, &mut payload)?;
    Ok((header, payload))
}

fn read_exact(r: &mut impl Read, buf: &mut [u8]) -> Result<(), FrameError> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => FrameError::Truncated,
        _ => FrameError::Io(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// §1.4: a 2.0.3 COMMAND_SYSTEM request, ID 100500, TOKEN 123456789, REQNUM 1.
    const SPEC_SYSTEM_REQUEST: [u8; 20] = [
        0xA2, 0x81, 0xCB, 0x00, 0x14, 0x00, 0x00, 0x00, 0x94, 0x88, 0x01, 0x00, 0x15, 0xCD, 0x5B,
        0x07, 0x01, 0x00, 0x08, 0x00,
    ];

    fn envelope(version: Version) -> Envelope {
        Envelope {
            version,
            id: 100_500,
            token: 123_456_789,
            reqnum: 1,
        }
    }

    #[test]
    fn the_worked_example_of_the_spec_encodes_byte_for_byte() {
        let bytes = encode(envelope(Version::V203), &[0x08, 0x00]).expect("encode");
        assert_eq!(bytes, SPEC_SYSTEM_REQUEST);
        let v204 = encode(envelope(Version::V204), &[0x08, 0x00]).expect("encode");
        assert_eq!(&v204[2..4], &[0xCC, 0x00]);
        assert_eq!(v204[4..], SPEC_SYSTEM_REQUEST[4..]);
    }

    #[test]
    fn the_worked_example_decodes() {
        let (h, payload) = read_frame(&mut &SPEC_SYSTEM_REQUEST[..]).expect("frame");
        assert_eq!(h.version, Version::V203);
        assert_eq!(
            (h.size, h.id, h.token, h.reqnum),
            (20, 100_500, 123_456_789, 1)
        );
        assert_eq!(payload, [0x08, 0x00]);
    }

    #[test]
    fn bad_frames_are_refused_with_a_reason() {
        let mut wrong_marker = SPEC_SYSTEM_REQUEST;
        wrong_marker[0] = 0x81;
        assert!(matches!(
            read_frame(&mut &wrong_marker[..]),
            Err(FrameError::BadMarker(_))
        ));
        let mut v202 = SPEC_SYSTEM_REQUEST;
        v202[2] = 0xCA;
        assert!(matches!(
            read_frame(&mut &v202[..]),
            Err(FrameError::UnsupportedVersion(202))
        ));
        let mut small = SPEC_SYSTEM_REQUEST;
        small[4] = 17;
        assert!(matches!(
            read_frame(&mut &small[..]),
            Err(FrameError::BadSize(17))
        ));
        let mut huge = SPEC_SYSTEM_REQUEST;
        huge[4..8].copy_from_slice(&(MAX_FRAME + 1).to_le_bytes());
        assert!(matches!(
            read_frame(&mut &huge[..]),
            Err(FrameError::BadSize(_))
        ));
        assert!(matches!(
            read_frame(&mut &SPEC_SYSTEM_REQUEST[..19]),
            Err(FrameError::Truncated)
        ));
        assert!(matches!(
            read_frame(&mut &SPEC_SYSTEM_REQUEST[..10]),
            Err(FrameError::Truncated)
        ));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_frame_survives_a_round_trip(
                v204 in any::<bool>(),
                id in any::<u32>(),
                token in any::<u32>(),
                reqnum in any::<u16>(),
                payload in proptest::collection::vec(any::<u8>(), 0..2048),
            ) {
                let version = if v204 { Version::V204 } else { Version::V203 };
                let env = Envelope { version, id, token, reqnum };
                let bytes = encode(env, &payload).expect("encode");
                prop_assert_eq!(bytes.len(), HEADER_LEN + payload.len());
                let (h, p) = read_frame(&mut &bytes[..]).expect("decode");
                prop_assert_eq!((h.version, h.id, h.token, h.reqnum), (version, id, token, reqnum));
                prop_assert_eq!(h.size as usize, bytes.len());
                prop_assert_eq!(p, payload);
            }

            #[test]
            fn arbitrary_bytes_never_panic_the_reader(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
                let _ = read_frame(&mut &bytes[..]);
            }
        }
    }
}

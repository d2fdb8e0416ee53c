//! The checksums of the fiscal accumulator: the per-record HMAC
//! chain, the shift checksum a Z report seals, and the total checksum chained over all
//! Z reports.
//!
//! record checksum = HMAC-SHA256(key, previous checksum ‖ seq ‖ kind ‖ created_at ‖
//! shift_no ‖ doc_no ‖ payload), with 32 zero bytes before the first record. The key is
//! secret to the register, so without it nobody can forge a consistent chain. This
//! module only computes; it never reads the database.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub const CHECKSUM_LEN: usize = 32;
pub type Checksum = [u8; CHECKSUM_LEN];
pub const GENESIS: Checksum = [0; CHECKSUM_LEN];

/// The register's secret chain key. `Debug` never shows it.
#[derive(Clone)]
pub struct ChainKey {
    keyed: HmacSha256,
    fingerprint: String,
}

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChainKey({})", self.fingerprint)
    }
}

/// The fields of a record that its checksum covers.
#[derive(Clone, Copy, Debug)]
pub struct RecordFields<'a> {
    pub seq: i64,
    pub kind: &'a str,
    pub created_at: i64,
    pub shift_no: Option<i64>,
    pub doc_no: Option<i64>,
    pub payload: &'a [u8],
}

impl ChainKey {
    pub fn from_bytes(key: &[u8]) -> ChainKey {
        // HMAC accepts keys of any length, so this cannot fail.
        let keyed = <HmacSha256 as KeyInit>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        let mut probe = keyed.clone();
        probe.update(b"sauda chain key fingerprint");
        let fingerprint = hex::encode(&probe.finalize().into_bytes()[..8]);
        ChainKey { keyed, fingerprint }
    }

    /// A short public identifier of the key, stored at registration so that a wrong
    /// key is recognised as such instead of as a tampered journal.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    pub fn record_checksum(&self, previous: &Checksum, fields: &RecordFields<'_>) -> Checksum {
        let mut mac = self.keyed.clone();
        mac.update(previous);
        mac.update(&fields.seq.to_be_bytes());
        mac.update(&[fields.kind.len() as u8]);
        mac.update(fields.kind.as_bytes());
        mac.update(&fields.created_at.to_be_bytes());
        mac.update(&fields.shift_no.unwrap_or(0).to_be_bytes());
        mac.update(&fields.doc_no.unwrap_or(0).to_be_bytes());
        mac.update(&(fields.payload.len() as u64).to_be_bytes());
        mac.update(fields.payload);
        mac.finalize().into_bytes().into()
    }

    /// Starts the checksum of one shift: it covers the checksums of every record of
    /// the shift before its Z report, in order.
    pub fn shift_checksum(&self, shift_no: i64) -> ShiftChecksum {
        let mut mac = self.keyed.clone();
        mac.update(b"shift");
        mac.update(&shift_no.to_be_bytes());
        ShiftChecksum { mac }
    }

    /// The total checksum after a Z report: chained over every Z report's shift checksum.
    pub fn total_checksum(&self, previous_total: &Checksum, shift: &Checksum) -> Checksum {
        let mut mac = self.keyed.clone();
        mac.update(b"total");
        mac.update(previous_total);
        mac.update(shift);
        mac.finalize().into_bytes().into()
    }

    /// Plain HMAC of a byte string with this key; the benchmark's baseline.
    pub fn hmac(&self, bytes: &[u8]) -> Checksum {
        let mut mac = self.keyed.clone();
        mac.update(bytes);
        mac.finalize().into_bytes().into()
    }
}

pub struct ShiftChecksum {
    mac: HmacSha256,
}

impl ShiftChecksum {
    pub fn add(&mut self, record_checksum: &[u8]) {
        self.mac.update(record_checksum);
    }

    pub fn finish(self) -> Checksum {
        self.mac.finalize().into_bytes().into()
    }
}

pub fn checksum_from_slice(bytes: &[u8]) -> Option<Checksum> {
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(payload: &[u8]) -> RecordFields<'_> {
        RecordFields {
            seq: 1,
            kind: "receipt",
            created_at: 1_767_225_600_000,
            shift_no: Some(1),
            doc_no: Some(1),
            payload,
        }
    }

    #[test]
    fn r25_every_byte_changes_the_checksum() {
        let key = ChainKey::from_bytes(&[7; 32]);
        let base = key.record_checksum(&GENESIS, &fields(b"{\"total\":100}"));
        assert_ne!(
            base,
            key.record_checksum(&GENESIS, &fields(b"{\"total\":101}"))
        );
        let mut moved = fields(b"{\"total\":100}");
        moved.seq = 2;
        assert_ne!(base, key.record_checksum(&GENESIS, &moved));
        assert_ne!(
            base,
            key.record_checksum(&[1; 32], &fields(b"{\"total\":100}"))
        );
        let other = ChainKey::from_bytes(&[8; 32]);
        assert_ne!(
            base,
            other.record_checksum(&GENESIS, &fields(b"{\"total\":100}"))
        );
        assert_ne!(key.fingerprint(), other.fingerprint());
    }
}

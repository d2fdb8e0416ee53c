//! The high-water mark: the last record's number and checksum, kept in a small file
//! beside the database (`fiscal.hwm`).
//!
//! The hash chain proves that the records present are unaltered, but not that none
//! were cut off the end or that an older copy of the database was put back. The mark
//! is written after every commit, so a journal that ends before the mark, or whose
//! record at the mark has another checksum, is found by `verify`. The mark may lag the
//! database after a crash (it is written after the commit), never lead it.
//!
//! The file holds two fixed 64-byte slots, each sealed with its own SHA-256 tag; the
//! record `seq` goes to slot `seq % 2`, overwritten in place through a handle kept
//! open. A torn write spoils at most one slot and the other still holds the previous
//! mark. Replacing the file by rename on every sale cost a third of the sale rate on
//! ext4 (inode eviction per rename), hence the in-place design. The file is fsynced
//! when created; later writes are not, which is safe because a mark that lags after a
//! power cut is still a true statement about the journal.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::chain::{CHECKSUM_LEN, Checksum};

const MAGIC: &[u8; 8] = b"SAUDAHWM";
const SLOT_LEN: usize = 64;
/// Magic, sequence number and record checksum: the part the tag seals.
const SEALED_LEN: usize = 8 + 8 + CHECKSUM_LEN;
const TAG_LEN: usize = SLOT_LEN - SEALED_LEN;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub seq: i64,
    pub checksum: Checksum,
}

#[derive(Debug)]
pub struct Watermark {
    path: PathBuf,
    file: Option<File>,
    written: i64,
}

impl Watermark {
    pub fn in_dir(dir: &Path) -> Watermark {
        Watermark {
            path: dir.join("fiscal.hwm"),
            file: None,
            written: 0,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the mark; `Ok(None)` if the file does not exist, an error text if it is
    /// unreadable or neither slot is intact.
    pub fn read(&self) -> Result<Option<Mark>, String> {
        let mut bytes = Vec::with_capacity(2 * SLOT_LEN);
        match File::open(&self.path).and_then(|mut f| f.read_to_end(&mut bytes)) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", self.path.display())),
        }
        bytes
            .chunks(SLOT_LEN)
            .take(2)
            .filter_map(decode_slot)
            .max_by_key(|m| m.seq)
            .map(Some)
            .ok_or_else(|| {
                format!(
                    "{} is malformed (neither copy of the mark is intact)",
                    self.path.display()
                )
            })
    }

    /// Writes `mark` into its slot. Never moves the mark backwards within this process;
    /// another process writing concurrently can at worst make it lag, never lead.
    pub fn advance(&mut self, mark: Mark) -> std::io::Result<()> {
        if mark.seq <= self.written {
            return Ok(());
        }
        let slot = encode_slot(mark);
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(open_or_create(&self.path, &slot)?),
        };
        file.seek(SeekFrom::Start(
            (mark.seq.rem_euclid(2) as u64) * SLOT_LEN as u64,
        ))?;
        file.write_all(&slot)?;
        self.written = mark.seq;
        Ok(())
    }
}

/// Opens the mark file for writing; a new file gets both slots and is made durable
/// together with its directory entry, so a power cut cannot leave it missing.
fn open_or_create(path: &Path, first: &[u8; SLOT_LEN]) -> std::io::Result<File> {
    if path.exists() {
        return OpenOptions::new().read(true).write(true).open(path);
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(first)?;
    file.write_all(first)?;
    file.sync_all()?;
    if let Some(dir) = path.parent() {
        // Directories cannot be opened as files on Windows; there NTFS journals the entry.
        if let Ok(d) = File::open(dir) {
            d.sync_all().ok();
        }
    }
    Ok(file)
}

fn tag(sealed: &[u8]) -> [u8; TAG_LEN] {
    let digest = Sha256::digest(sealed);
    let mut out = [0u8; TAG_LEN];
    out.copy_from_slice(&digest[..TAG_LEN]);
    out
}

fn encode_slot(mark: Mark) -> [u8; SLOT_LEN] {
    let mut slot = [0u8; SLOT_LEN];
    slot[..8].copy_from_slice(MAGIC);
    slot[8..16].copy_from_slice(&mark.seq.to_le_bytes());
    slot[16..SEALED_LEN].copy_from_slice(&mark.checksum);
    let t = tag(&slot[..SEALED_LEN]);
    slot[SEALED_LEN..].copy_from_slice(&t);
    slot
}

fn decode_slot(bytes: &[u8]) -> Option<Mark> {
    if bytes.len() != SLOT_LEN
        || &bytes[..8] != MAGIC
        || bytes[SEALED_LEN..] != tag(&bytes[..SEALED_LEN])
    {
        return None;
    }
    let seq = i64::from_le_bytes(bytes[8..16].try_into().ok()?);
    let mut checksum = [0u8; CHECKSUM_LEN];
    checksum.copy_from_slice(&bytes[16..SEALED_LEN]);
    Some(Mark { seq, checksum })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn mark(seq: i64) -> Mark {
        Mark {
            seq,
            checksum: [seq as u8; CHECKSUM_LEN],
        }
    }

    #[test]
    fn the_newest_intact_slot_wins_and_a_torn_slot_falls_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut w = Watermark::in_dir(dir.path());
        assert_eq!(w.read(), Ok(None));
        for seq in 1..=7 {
            w.advance(mark(seq)).expect("advance");
        }
        assert_eq!(w.read(), Ok(Some(mark(7))));
        // Tear the slot of record 7: the mark falls back to record 6, a lag, not a lead.
        let mut bytes = fs::read(w.path()).expect("read");
        bytes[SLOT_LEN + 20] ^= 0xff;
        fs::write(w.path(), &bytes).expect("write");
        assert_eq!(w.read(), Ok(Some(mark(6))));
        bytes[20] ^= 0xff;
        fs::write(w.path(), &bytes).expect("write");
        assert!(w.read().is_err(), "both slots torn must be reported");
    }

    #[test]
    fn the_mark_never_moves_back_within_a_process() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut w = Watermark::in_dir(dir.path());
        w.advance(mark(5)).expect("advance");
        w.advance(mark(3)).expect("advance");
        assert_eq!(w.read(), Ok(Some(mark(5))));
    }
}

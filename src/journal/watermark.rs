//! The high-water mark: the last record's number and checksum, kept in a small file
//! beside the database (`fiscal.hwm`).
//!
//! The hash chain proves that the records present are unaltered, but not that none
//! were cut off the end or that an older copy of the database was put back. The mark
//! is written after every commit, so a journal that ends before the mark, or whose
//! record at the mark has another checksum, is found by `verify`. The mark may lag the
//! database after a crash (it is written after the commit), never lead it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::chain::{CHECKSUM_LEN, Checksum};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub seq: i64,
    pub checksum: Checksum,
}

#[derive(Debug, Clone)]
pub struct Watermark {
    path: PathBuf,
}

impl Watermark {
    pub fn in_dir(dir: &Path) -> Watermark {
        Watermark {
            path: dir.join("fiscal.hwm"),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the mark; `Ok(None)` if the file does not exist, an error text if it is
    /// unreadable or malformed.
    pub fn read(&self) -> Result<Option<Mark>, String> {
        let text = match fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", self.path.display())),
        };
        let malformed = || format!("{} is malformed", self.path.display());
        let (seq, checksum) = text.trim().split_once(' ').ok_or_else(malformed)?;
        let seq: i64 = seq.parse().map_err(|_| malformed())?;
        let bytes = hex::decode(checksum).map_err(|_| malformed())?;
        if bytes.len() != CHECKSUM_LEN {
            return Err(malformed());
        }
        let mut checksum = [0u8; CHECKSUM_LEN];
        checksum.copy_from_slice(&bytes);
        Ok(Some(Mark { seq, checksum }))
    }

    /// Replaces the mark atomically (write a temporary file, then rename). Never moves
    /// the mark backwards, so two writers cannot leave an older mark behind.
    pub fn advance(&self, mark: Mark) -> std::io::Result<()> {
        if let Ok(Some(current)) = self.read()
            && current.seq >= mark.seq
        {
            return Ok(());
        }
        let tmp = self.path.with_extension("hwm.tmp");
        let mut file = fs::File::create(&tmp)?;
        writeln!(file, "{} {}", mark.seq, hex::encode(mark.checksum))?;
        drop(file);
        fs::rename(&tmp, &self.path)
    }
}

//! Records the running software's version and binary checksum in the journal whenever
//! they change (items 116 and 120, reading A-8: the software of a register must not
//! change unnoticed).
//!
//! Hashing a large binary on every start would be slow, so the hash is cached in the
//! data folder keyed by the executable's path, size and modification time; any change
//! of those recomputes it. This module writes only `software` records.

use std::fs;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::journal::record::{RecordKind, SoftwarePayload};
use crate::journal::{Placement, Writer};

fn executable_identity() -> Option<(String, String)> {
    let exe = std::env::current_exe().ok()?;
    let meta = fs::metadata(&exe).ok()?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Some((
        exe.display().to_string(),
        format!("{} {} {}", exe.display(), meta.len(), modified),
    ))
}

fn sha256_file(path: &str) -> Option<String> {
    let mut file = fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Some(hex::encode(hasher.finalize()))
}

/// The running program's description: name, version, path and SHA-256.
pub fn current(data_dir: &Path) -> SoftwarePayload {
    let (path, identity) =
        executable_identity().unwrap_or_else(|| ("unknown".into(), String::new()));
    let cache = data_dir.join("software.cache");
    let cached = fs::read_to_string(&cache).ok().and_then(|text| {
        let (id, hash) = text.rsplit_once('\n')?;
        (id == identity && !identity.is_empty()).then(|| hash.to_string())
    });
    let sha256 = match cached {
        Some(h) => h,
        None => {
            let h = sha256_file(&path).unwrap_or_else(|| "unavailable".into());
            // A failed cache write only costs a re-hash next time.
            let _ = fs::write(&cache, format!("{identity}\n{h}"));
            h
        }
    };
    SoftwarePayload {
        name: "sauda".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        executable: path,
        sha256,
    }
}

pub fn record_if_changed(w: &mut Writer<'_>, data_dir: &Path, now_ms: i64) -> Result<(), ApiError> {
    let running = current(data_dir);
    let last: Option<SoftwarePayload> =
        match crate::journal::last_of(w.conn(), RecordKind::Software)? {
            Some(r) => Some(r.decode()?),
            None => None,
        };
    let changed = last
        .as_ref()
        .is_none_or(|l| l.version != running.version || l.sha256 != running.sha256);
    if changed {
        w.append(RecordKind::Software, now_ms, Placement::default(), &running)?;
    }
    Ok(())
}

//! Where the chain key lives: the OS keychain through `keyring` (Windows Credential
//! Manager, macOS Keychain, Secret Service on Linux), or an owner-only key file as the
//! explicit fallback for machines without a keychain (servers, CI).
//!
//! Which store holds a register's key is decided once, at registration, and recorded
//! in the journal, so a key is never silently re-created elsewhere. This module never
//! logs or displays key bytes.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const SERVICE: &str = "kz.sauda.fiscal-journal";
pub const KEY_LEN: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStoreKind {
    Keychain,
    File,
}

impl KeyStoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStoreKind::Keychain => "keychain",
            KeyStoreKind::File => "file",
        }
    }

    pub fn parse(text: &str) -> Option<KeyStoreKind> {
        match text {
            "keychain" => Some(KeyStoreKind::Keychain),
            "file" => Some(KeyStoreKind::File),
            _ => None,
        }
    }
}

/// What the operator of the register asked for (`SAUDA_KEY_STORE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStorePreference {
    /// The keychain if it works, else the file, with a warning.
    Auto,
    Only(KeyStoreKind),
}

impl KeyStorePreference {
    pub fn from_env() -> KeyStorePreference {
        match std::env::var("SAUDA_KEY_STORE").ok().as_deref() {
            Some("file") => KeyStorePreference::Only(KeyStoreKind::File),
            Some("keychain") => KeyStorePreference::Only(KeyStoreKind::Keychain),
            _ => KeyStorePreference::Auto,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "the OS keychain is not available ({0}); set SAUDA_KEY_STORE=file to keep the key in a file"
    )]
    KeychainUnavailable(String),
    /// The register's key is in the keychain, but the keychain cannot be reached now:
    /// the journal is fine, the program runs outside the session that holds the key.
    #[error(
        "the chain key of this register is kept in the OS keychain, which cannot be reached now ({0}): start Sauda as the user and in the desktop session that holds the keychain, or unlock it, then try again; nothing was changed"
    )]
    KeychainUnreachable(String),
    #[error(
        "the chain key of register '{account}' is missing from the {store}: restore it from the backup made at registration, or call service"
    )]
    Missing {
        account: String,
        store: &'static str,
    },
    #[error("cannot use the key file {path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the key in the {0} is malformed")]
    Malformed(&'static str),
    #[error("cannot create a random key: {0}")]
    Random(String),
}

pub fn key_file_path(data_dir: &Path) -> PathBuf {
    data_dir.join("chain.key")
}

/// Creates a new random key and stores it; returns the key and where it went, with a
/// warning text when the keychain was wanted but the file had to be used.
pub fn create(
    data_dir: &Path,
    account: &str,
    preference: KeyStorePreference,
) -> Result<(Vec<u8>, KeyStoreKind, Option<String>), KeyError> {
    let mut key = vec![0u8; KEY_LEN];
    getrandom::fill(&mut key).map_err(|e| KeyError::Random(e.to_string()))?;
    match preference {
        KeyStorePreference::Only(KeyStoreKind::File) => {
            write_file(data_dir, &key)?;
            Ok((key, KeyStoreKind::File, None))
        }
        KeyStorePreference::Only(KeyStoreKind::Keychain) => {
            keychain_store(account, &key)?;
            Ok((key, KeyStoreKind::Keychain, None))
        }
        KeyStorePreference::Auto => match keychain_store(account, &key) {
            Ok(()) => Ok((key, KeyStoreKind::Keychain, None)),
            Err(e) => {
                write_file(data_dir, &key)?;
                let warning = format!(
                    "the OS keychain could not be used ({e}); the chain key is kept in the owner-only file {}",
                    key_file_path(data_dir).display()
                );
                tracing::warn!("{warning}");
                Ok((key, KeyStoreKind::File, Some(warning)))
            }
        },
    }
}

pub fn load(data_dir: &Path, account: &str, kind: KeyStoreKind) -> Result<Vec<u8>, KeyError> {
    match kind {
        KeyStoreKind::File => read_file(data_dir, account),
        KeyStoreKind::Keychain => keychain_load(account),
    }
}

fn keychain_store(account: &str, key: &[u8]) -> Result<(), KeyError> {
    let entry = keyring::Entry::new(SERVICE, account)
        .map_err(|e| KeyError::KeychainUnavailable(e.to_string()))?;
    entry
        .set_secret(key)
        .map_err(|e| KeyError::KeychainUnavailable(e.to_string()))?;
    // Read it back: a keychain that accepts but does not keep secrets is no keychain.
    match entry.get_secret() {
        Ok(back) if back == key => Ok(()),
        Ok(_) => Err(KeyError::KeychainUnavailable(
            "the keychain returned another value than it was given".into(),
        )),
        Err(e) => Err(KeyError::KeychainUnavailable(e.to_string())),
    }
}

fn keychain_load(account: &str) -> Result<Vec<u8>, KeyError> {
    let entry = keyring::Entry::new(SERVICE, account)
        .map_err(|e| KeyError::KeychainUnreachable(e.to_string()))?;
    match entry.get_secret() {
        Ok(key) if key.len() == KEY_LEN => Ok(key),
        Ok(_) => Err(KeyError::Malformed("OS keychain")),
        Err(keyring::Error::NoEntry) => Err(KeyError::Missing {
            account: account.to_string(),
            store: "OS keychain",
        }),
        Err(e) => Err(KeyError::KeychainUnreachable(e.to_string())),
    }
}

fn write_file(data_dir: &Path, key: &[u8]) -> Result<(), KeyError> {
    let path = key_file_path(data_dir);
    let io = |source| KeyError::File {
        path: path.clone(),
        source,
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(io)?;
    file.write_all(hex::encode(key).as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(())
}

fn read_file(data_dir: &Path, account: &str) -> Result<Vec<u8>, KeyError> {
    let path = key_file_path(data_dir);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(KeyError::Missing {
                account: account.to_string(),
                store: "key file",
            });
        }
        Err(source) => return Err(KeyError::File { path, source }),
    };
    let key = hex::decode(text.trim()).map_err(|_| KeyError::Malformed("key file"))?;
    if key.len() != KEY_LEN {
        return Err(KeyError::Malformed("key file"));
    }
    Ok(key)
}

//! The server's certificate and key: read from the configured PEM files, or generated
//! self-signed on first start and kept (key owner-only) for clients that pinned it. It
//! never regenerates an existing certificate and never logs the private key.

use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use sha2::{Digest, Sha256};

use super::{TlsError, provider};

/// The generated pair's folder under the state directory, and its files.
const TLS_DIR: &str = "tls";
const CERT_FILE: &str = "cert.pem";
const KEY_FILE: &str = "key.pem";
/// Names the generated certificate always covers.
const LOCAL_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The server's certificate and key, where they live, and the fingerprint a
/// client pins.
#[derive(Clone)]
pub struct TlsIdentity {
    /// The certificate chain, end-entity first (PEM).
    pub cert_pem: String,
    /// The private key (PEM). Never log it.
    pub key_pem: String,
    /// SHA-256 of the end-entity certificate's DER, upper-case hex pairs joined by
    /// ':' (what browsers show).
    pub fingerprint: String,
    /// True when made now (first start).
    pub generated: bool,
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("fingerprint", &self.fingerprint)
            .field("generated", &self.generated)
            .field("cert_path", &self.cert_path)
            .field("key_path", &self.key_path)
            .finish_non_exhaustive()
    }
}

/// The certificate and key at the given paths (PEM), or, when none are given, the
/// self-signed pair kept in `state_dir/tls/` (cert.pem, key.pem — key file
/// owner-only 0600 on unix), generated on first start for `hostnames` (always
/// including "localhost", "127.0.0.1" and "::1"; ip-looking names become IP SANs).
/// A pair that exists is loaded as it is even when `hostnames` changed, so a pinned
/// fingerprint stays valid; delete the folder to generate a new one. Mismatched or
/// unreadable files give an error naming the file and what to do.
pub fn load_or_generate(
    cert: Option<&Path>,
    key: Option<&Path>,
    state_dir: &Path,
    hostnames: &[String],
) -> Result<TlsIdentity, TlsError> {
    match (cert, key) {
        (Some(cert), Some(key)) => load(cert, key),
        (None, None) => {
            let dir = state_dir.join(TLS_DIR);
            let cert = dir.join(CERT_FILE);
            let key = dir.join(KEY_FILE);
            match (cert.exists(), key.exists()) {
                (true, true) => {
                    warn_if_key_readable_by_others(&key);
                    load(&cert, &key)
                }
                (true, false) => Err(TlsError::OrphanCertificate { cert, key }),
                // Nothing yet, or a key left from an interrupted first start (the key
                // is written before the certificate): make the pair.
                (false, _) => generate(&dir, cert, key, hostnames),
            }
        }
        _ => Err(TlsError::HalfConfigured),
    }
}

/// SHA-256 of a certificate's DER as upper-case hex pairs joined by ':'.
pub fn fingerprint_of_der(der: &[u8]) -> String {
    let digest = Sha256::digest(der);
    let mut out = String::with_capacity(digest.len() * 3);
    for (i, byte) in digest.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        let _ = write!(out, "{byte:02X}");
    }
    out
}

/// Reads and checks a configured or stored pair.
fn load(cert_path: &Path, key_path: &Path) -> Result<TlsIdentity, TlsError> {
    let cert_pem = read_text(cert_path, "certificate")?;
    let key_pem = read_text(key_path, "private key")?;
    let chain = parse_certs(cert_pem.as_bytes(), cert_path)?;
    let key = parse_key(key_pem.as_bytes(), key_path)?;
    let fingerprint = chain
        .first()
        .map(|c| fingerprint_of_der(c.as_ref()))
        .unwrap_or_default();
    check_pair(chain, key, cert_path, key_path)?;
    Ok(TlsIdentity {
        cert_pem,
        key_pem,
        fingerprint,
        generated: false,
        cert_path: cert_path.to_path_buf(),
        key_path: key_path.to_path_buf(),
    })
}

/// The key must load with ring and match the end-entity certificate's public key.
fn check_pair(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    cert_path: &Path,
    key_path: &Path,
) -> Result<(), TlsError> {
    let provider = provider();
    let signing_key =
        provider
            .key_provider
            .load_private_key(key)
            .map_err(|e| TlsError::BadPem {
                what: "private key",
                path: key_path.to_path_buf(),
                reason: format!("{e} (use an RSA, ECDSA P-256/P-384 or Ed25519 key)"),
            })?;
    match CertifiedKey::new(chain, signing_key).keys_match() {
        Ok(()) | Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::Unknown)) => Ok(()),
        Err(rustls::Error::InconsistentKeys(_)) => Err(TlsError::KeyMismatch {
            cert: cert_path.to_path_buf(),
            key: key_path.to_path_buf(),
        }),
        Err(e) => Err(TlsError::BadCertificate {
            path: cert_path.to_path_buf(),
            reason: e.to_string(),
        }),
    }
}

fn read_text(path: &Path, what: &'static str) -> Result<String, TlsError> {
    std::fs::read_to_string(path).map_err(|source| TlsError::Read {
        what,
        path: path.to_path_buf(),
        source,
    })
}

pub(super) fn parse_certs(
    pem: &[u8],
    path: &Path,
) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let bad = |reason: String| TlsError::BadPem {
        what: "certificate",
        path: path.to_path_buf(),
        reason,
    };
    let chain = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(e.to_string()))?;
    if chain.is_empty() {
        return Err(bad(
            "no \"BEGIN CERTIFICATE\" block found (the file must hold the certificate, \
             then any intermediates)"
                .to_string(),
        ));
    }
    Ok(chain)
}

pub(super) fn parse_key(pem: &[u8], path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_slice(pem).map_err(|e| {
        let reason = match e {
            rustls::pki_types::pem::Error::NoItemsFound => {
                "no \"BEGIN PRIVATE KEY\" (PKCS#8, PKCS#1 or SEC1) block found".to_string()
            }
            other => other.to_string(),
        };
        TlsError::BadPem {
            what: "private key",
            path: path.to_path_buf(),
            reason,
        }
    })
}

/// Makes the self-signed pair and writes it, key first (owner-only).
fn generate(
    dir: &Path,
    cert_path: PathBuf,
    key_path: PathBuf,
    hostnames: &[String],
) -> Result<TlsIdentity, TlsError> {
    let mut names: Vec<String> = LOCAL_NAMES.iter().map(|n| n.to_string()).collect();
    for name in hostnames {
        let name = name.trim();
        let name = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name);
        if !name.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name.to_string());
        }
    }
    let generate_error = |source| TlsError::Generate {
        names: names.clone(),
        source,
    };
    // IP-looking names become IP SANs (CertificateParams::new parses them).
    let mut params = rcgen::CertificateParams::new(names.clone()).map_err(generate_error)?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Sauda register (self-signed)");
    let key_pair = rcgen::KeyPair::generate().map_err(generate_error)?;
    let cert = params.self_signed(&key_pair).map_err(generate_error)?;
    let cert_pem = cert.pem();
    let key_pem = key_pair.serialize_pem();
    let fingerprint = fingerprint_of_der(cert.der());

    std::fs::create_dir_all(dir).map_err(|source| TlsError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    write_file(&key_path, key_pem.as_bytes(), true)?;
    write_file(&cert_path, cert_pem.as_bytes(), false)?;
    tracing::info!(
        "generated a self-signed TLS certificate {} for {names:?}; SHA-256 fingerprint {fingerprint}",
        cert_path.display()
    );
    Ok(TlsIdentity {
        cert_pem,
        key_pem,
        fingerprint,
        generated: true,
        cert_path,
        key_path,
    })
}

/// Writes through a temporary file and a rename, so a crash leaves no half file;
/// `secret` files are created owner-only (0600) on unix.
fn write_file(path: &Path, bytes: &[u8], secret: bool) -> Result<(), TlsError> {
    let err = |source| TlsError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    match std::fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(err(e)),
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut file = options.open(&tmp).map_err(err)?;
    file.write_all(bytes).map_err(err)?;
    file.sync_all().map_err(err)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(err)
}

/// The stored key should be owner-only; say so if someone loosened it.
fn warn_if_key_readable_by_others(key: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(meta) = std::fs::metadata(key)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                "the TLS private key {} is readable by other users; run chmod 600 on it",
                key.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = key;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls::pinning::parse_fingerprint;
    use crate::tls::{pinned_client_config, server_config};

    fn names() -> Vec<String> {
        vec!["kassa.local".to_string(), "192.168.1.10".to_string()]
    }

    #[test]
    fn first_start_generates_and_the_second_loads_the_same_pair() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let first = load_or_generate(None, None, dir.path(), &names()).expect("generated");
        assert!(first.generated);
        assert_eq!(first.cert_path, dir.path().join("tls").join("cert.pem"));
        assert_eq!(first.key_path, dir.path().join("tls").join("key.pem"));
        assert!(first.cert_path.is_file() && first.key_path.is_file());
        assert!(first.cert_pem.contains("BEGIN CERTIFICATE"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&first.key_path)
                .expect("key metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "the key is owner-only");
        }
        server_config(&first).expect("a usable server config");

        let second = load_or_generate(None, None, dir.path(), &[]).expect("loaded");
        assert!(!second.generated);
        assert_eq!(second.fingerprint, first.fingerprint);
        assert_eq!(second.cert_pem, first.cert_pem);
    }

    #[test]
    fn configured_paths_are_loaded_as_given() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let made = load_or_generate(None, None, dir.path(), &[]).expect("generated");
        let other = tempfile::tempdir().expect("temporary folder");
        let id = load_or_generate(
            Some(&made.cert_path),
            Some(&made.key_path),
            other.path(),
            &[],
        )
        .expect("loaded");
        assert!(!id.generated);
        assert_eq!(id.fingerprint, made.fingerprint);
        assert!(!other.path().join("tls").exists(), "nothing generated");
    }

    #[test]
    fn the_fingerprint_is_32_upper_case_pairs() {
        let fp = fingerprint_of_der(b"not really a certificate");
        assert_eq!(fp.len(), 95);
        let pairs: Vec<&str> = fp.split(':').collect();
        assert_eq!(pairs.len(), 32);
        assert!(pairs.iter().all(|p| {
            p.len() == 2
                && p.chars()
                    .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c))
        }));
        // SHA-256 of the empty string, a known value.
        assert!(fingerprint_of_der(b"").starts_with("E3:B0:C4:42:98:FC:1C:14"));
        assert_eq!(
            parse_fingerprint(&fp).ok(),
            parse_fingerprint(&fp.to_lowercase().replace(':', "")).ok()
        );
        assert!(matches!(
            parse_fingerprint("AB:CD"),
            Err(TlsError::BadFingerprint(_))
        ));
        assert!(pinned_client_config("zz").is_err());
        assert!(pinned_client_config(&fp).is_ok());
    }

    #[test]
    fn missing_files_are_named_in_the_error() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let cert = dir.path().join("nope-cert.pem");
        let key = dir.path().join("nope-key.pem");
        let err =
            load_or_generate(Some(&cert), Some(&key), dir.path(), &[]).expect_err("missing files");
        assert!(matches!(err, TlsError::Read { .. }), "{err}");
        assert!(err.to_string().contains("nope-cert.pem"), "{err}");
        let err = load_or_generate(Some(&cert), None, dir.path(), &[]).expect_err("half");
        assert!(matches!(err, TlsError::HalfConfigured), "{err}");
    }

    #[test]
    fn a_key_that_does_not_match_the_certificate_is_refused() {
        let a = tempfile::tempdir().expect("temporary folder");
        let b = tempfile::tempdir().expect("temporary folder");
        let first = load_or_generate(None, None, a.path(), &[]).expect("generated");
        let second = load_or_generate(None, None, b.path(), &[]).expect("generated");
        let err = load_or_generate(
            Some(&first.cert_path),
            Some(&second.key_path),
            a.path(),
            &[],
        )
        .expect_err("mismatch");
        assert!(matches!(err, TlsError::KeyMismatch { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains(&first.cert_path.display().to_string()),
            "{text}"
        );
        assert!(
            text.contains(&second.key_path.display().to_string()),
            "{text}"
        );
    }

    #[test]
    fn files_that_are_not_pem_are_refused() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let made = load_or_generate(None, None, dir.path(), &[]).expect("generated");
        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "hello").expect("write");
        let err = load_or_generate(Some(&junk), Some(&made.key_path), dir.path(), &[])
            .expect_err("no certificate");
        assert!(
            matches!(
                err,
                TlsError::BadPem {
                    what: "certificate",
                    ..
                }
            ),
            "{err}"
        );
        // The certificate given as the key.
        let err = load_or_generate(
            Some(&made.cert_path),
            Some(&made.cert_path),
            dir.path(),
            &[],
        )
        .expect_err("no key");
        assert!(
            matches!(
                err,
                TlsError::BadPem {
                    what: "private key",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_stored_certificate_without_its_key_is_not_silently_replaced() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let made = load_or_generate(None, None, dir.path(), &[]).expect("generated");
        std::fs::remove_file(&made.key_path).expect("remove key");
        let err = load_or_generate(None, None, dir.path(), &[]).expect_err("orphan");
        assert!(matches!(err, TlsError::OrphanCertificate { .. }), "{err}");
        assert!(err.to_string().contains("delete"), "{err}");
    }
}

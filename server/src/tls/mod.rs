//! HTTPS for the server: where the certificate comes from, the TLS listener, and
//! certificate pinning for clients. A register either names a certificate and key
//! (PEM) in its settings, or, for a demo or a shop without a domain, gets a
//! self-signed pair generated on first start and kept in `state_dir/tls/`; its
//! SHA-256 fingerprint is shown so a thin client can pin it. Plain HTTP is allowed
//! only on a loopback address ([`check_plain_http_allowed`]). This module must not
//! weaken verification for anything but an exact fingerprint match, must not use a
//! crypto provider other than ring, must not regenerate a certificate that exists
//! (clients pinned it), and must never log or print the private key.

mod identity;
mod pinning;
mod serve;

pub use identity::{TlsIdentity, fingerprint_of_der, load_or_generate};
use identity::{parse_certs, parse_key};
pub use pinning::pinned_client_config;
pub use serve::serve_tls;

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use rustls::crypto::CryptoProvider;

/// Why HTTPS could not be set up; each message names the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error(
        "a TLS certificate was given without its key (or a key without its certificate): \
         set both the certificate and the key path, or neither to use the generated certificate"
    )]
    HalfConfigured,
    #[error("cannot read the TLS {what} file {path}: {source}")]
    Read {
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("{path} is not a usable PEM {what}: {reason}")]
    BadPem {
        what: &'static str,
        path: PathBuf,
        reason: String,
    },
    #[error(
        "the private key {key} does not belong to the certificate {cert}: \
         give the key the certificate was issued for"
    )]
    KeyMismatch { cert: PathBuf, key: PathBuf },
    #[error("the certificate {path} cannot be used: {reason}")]
    BadCertificate { path: PathBuf, reason: String },
    #[error(
        "the generated certificate {cert} has no key {key}: delete {cert} to generate a new \
         certificate (clients that pinned the old fingerprint must pin the new one)"
    )]
    OrphanCertificate { cert: PathBuf, key: PathBuf },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot generate a self-signed certificate for {names:?}: {source}")]
    Generate {
        names: Vec<String>,
        source: rcgen::Error,
    },
    #[error("the TLS configuration was refused: {0}")]
    Config(#[from] rustls::Error),
    #[error(
        "{0:?} is not a SHA-256 fingerprint: expected 32 hex byte pairs, e.g. \"AB:CD:…\" \
         (95 characters with colons)"
    )]
    BadFingerprint(String),
    #[error(
        "plain HTTP is allowed only on a loopback address (127.0.0.1, ::1, localhost), not on \
         {0}: configure a TLS certificate and key, or use the generated self-signed certificate"
    )]
    PlainHttpRefused(String),
}

/// The rustls server configuration for this identity: ring, TLS 1.2 and 1.3, no
/// client certificates, ALPN h2 and http/1.1.
pub fn server_config(id: &TlsIdentity) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let chain = parse_certs(id.cert_pem.as_bytes(), &id.cert_path)?;
    let key = parse_key(id.key_pem.as_bytes(), &id.key_path)?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| match e {
            rustls::Error::InconsistentKeys(_) => TlsError::KeyMismatch {
                cert: id.cert_path.clone(),
                key: id.key_path.clone(),
            },
            other => TlsError::Config(other),
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Refuses plain HTTP on anything but a loopback address: Ok for 127.0.0.0/8 and
/// ::1 (and an IPv4-mapped 127.x address); an error telling to configure a
/// certificate (or use the generated one) otherwise.
pub fn check_plain_http_allowed(addr: &SocketAddr) -> Result<(), TlsError> {
    if is_loopback(addr.ip()) {
        Ok(())
    } else {
        Err(TlsError::PlainHttpRefused(addr.to_string()))
    }
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// The one crypto provider this crate uses.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_on_loopback() {
        for (addr, allowed) in [
            ("127.0.0.1:8080", true),
            ("127.5.5.5:80", true),
            ("[::1]:8080", true),
            ("[::ffff:127.0.0.1]:8080", true),
            ("0.0.0.0:8080", false),
            ("192.168.1.10:8080", false),
            ("[::]:8080", false),
        ] {
            let addr: SocketAddr = addr.parse().expect("address");
            assert_eq!(check_plain_http_allowed(&addr).is_ok(), allowed, "{addr}");
        }
        let err =
            check_plain_http_allowed(&"0.0.0.0:80".parse().expect("address")).expect_err("refused");
        assert!(err.to_string().contains("certificate"), "{err}");
    }
}

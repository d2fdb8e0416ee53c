//! The server's configuration file (TOML, docs/server.md) for a server that holds
//! several registers, with environment variables over the file's values so a service
//! manager can change an address or a path without editing it.
//!
//! Parsing and checking only: opening the registers is `serve`'s job.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Plain HTTP, loopback only (SAUDA_LISTEN).
    #[serde(default)]
    pub listen: Option<String>,
    /// HTTPS (SAUDA_TLS_LISTEN).
    #[serde(default)]
    pub tls_listen: Option<String>,
    /// Accounts, the access log and the generated certificate (SAUDA_STATE_DIR).
    pub state_dir: PathBuf,
    #[serde(default)]
    pub ui_dir: Option<PathBuf>,
    #[serde(default)]
    pub tls: TlsConfig,
    #[serde(rename = "register")]
    pub registers: Vec<RegisterConfig>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// SAUDA_TLS_CERT / SAUDA_TLS_KEY; both or neither.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// Names the generated certificate is made for, besides localhost.
    #[serde(default)]
    pub names: Vec<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RegisterConfig {
    /// The id requests name in `X-Register` (letters, digits, '-', '_').
    pub id: String,
    /// The register's data folder, made with `sauda --data DIR init`.
    pub data: PathBuf,
}

impl ServerConfig {
    /// Reads `path`, resolving relative folders against the file's own folder, and
    /// applies the environment's overrides.
    pub fn load(path: &Path, env: impl Fn(&str) -> Option<String>) -> Result<ServerConfig> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the server configuration {}", path.display()))?;
        let mut config: ServerConfig = toml::from_str(&text).map_err(|e| {
            anyhow!(
                "the server configuration {} is not valid: {e}(see docs/server.md)",
                path.display()
            )
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        if let Some(v) = env("SAUDA_LISTEN") {
            config.listen = Some(v);
        }
        if let Some(v) = env("SAUDA_TLS_LISTEN") {
            config.tls_listen = Some(v);
        }
        if let Some(v) = env("SAUDA_STATE_DIR") {
            config.state_dir = PathBuf::from(v);
        }
        if let Some(v) = env("SAUDA_TLS_CERT") {
            config.tls.cert = Some(PathBuf::from(v));
        }
        if let Some(v) = env("SAUDA_TLS_KEY") {
            config.tls.key = Some(PathBuf::from(v));
        }
        config.state_dir = base.join(&config.state_dir);
        config.ui_dir = config.ui_dir.map(|d| base.join(d));
        config.tls.cert = config.tls.cert.map(|d| base.join(d));
        config.tls.key = config.tls.key.map(|d| base.join(d));
        for r in &mut config.registers {
            r.data = base.join(&r.data);
        }
        if config.registers.is_empty() {
            return Err(anyhow!(
                "{} lists no register: add a [[register]] with id and data",
                path.display()
            ));
        }
        if config.tls.cert.is_some() != config.tls.key.is_some() {
            return Err(anyhow!(
                "{}: give both tls.cert and tls.key, or neither to use a generated certificate",
                path.display()
            ));
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("server.toml");
        std::fs::write(&path, text).expect("written");
        (dir, path)
    }

    const TWO: &str = r#"
listen = "127.0.0.1:8080"
tls_listen = "0.0.0.0:8443"
state_dir = "state"

[tls]
names = ["shop.example.kz"]

[[register]]
id = "till-1"
data = "registers/till-1"

[[register]]
id = "till-2"
data = "/var/lib/sauda/till-2"
"#;

    #[test]
    fn a_config_of_two_registers_reads_with_paths_beside_it() {
        let (dir, path) = write(TWO);
        let c = ServerConfig::load(&path, |_| None).expect("valid");
        assert_eq!(c.registers.len(), 2);
        assert_eq!(c.registers[0].data, dir.path().join("registers/till-1"));
        assert_eq!(c.registers[1].data, PathBuf::from("/var/lib/sauda/till-2"));
        assert_eq!(c.state_dir, dir.path().join("state"));
        assert_eq!(c.tls.names, ["shop.example.kz"]);
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let (_dir, path) = write(TWO);
        let c = ServerConfig::load(&path, |k| {
            (k == "SAUDA_TLS_LISTEN").then(|| "0.0.0.0:9443".to_string())
        })
        .expect("valid");
        assert_eq!(c.tls_listen.as_deref(), Some("0.0.0.0:9443"));
    }

    #[test]
    fn mistakes_are_named() {
        let (_d, p) = write("state_dir = \"s\"\nregister = []\n");
        let e = ServerConfig::load(&p, |_| None).expect_err("no registers");
        assert!(e.to_string().contains("lists no register"), "{e}");
        let (_d, p) =
            write("state_dir = \"s\"\nlisten_typo = 1\n[[register]]\nid=\"a\"\ndata=\"b\"\n");
        let e = ServerConfig::load(&p, |_| None).expect_err("unknown key");
        assert!(e.to_string().contains("listen_typo"), "{e}");
        let (_d, p) = write(
            "state_dir = \"s\"\n[tls]\ncert = \"c.pem\"\n[[register]]\nid=\"a\"\ndata=\"b\"\n",
        );
        let e = ServerConfig::load(&p, |_| None).expect_err("cert without key");
        assert!(e.to_string().contains("both"), "{e}");
    }
}

//! The registers a server hosts: one fiscal accumulator (one `Core`, one data folder)
//! per register, as the architecture asks, each known by a short id that requests name
//! in the `X-Register` header.
//!
//! This only finds a register by id; opening, linking and printing are the caller's
//! (the `sauda` binary wires each core before handing it over). It never merges two
//! registers' data: every command runs against exactly one core.

use std::collections::BTreeMap;
use std::sync::Arc;

use sauda::Core;
use serde::Serialize;

/// The header a request names its register in.
pub const REGISTER_HEADER: &str = "x-register";

pub struct Registers {
    by_id: BTreeMap<String, Arc<Core>>,
    /// The one register, when there is only one: requests need not name it.
    only: Option<String>,
}

/// What the inspector's register list shows.
#[derive(Clone, Debug, Serialize)]
pub struct RegisterSummary {
    pub id: String,
    pub org_name: String,
    pub bin: String,
    pub address: String,
    pub rnm: String,
    pub kkm_id: String,
    pub factory_number: String,
    pub demo: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RegistersError {
    #[error("register id '{0}' is not usable: use 1–32 letters, digits, '-' or '_'")]
    BadId(String),
    #[error("register id '{0}' is given twice: every register needs its own id")]
    Duplicate(String),
    #[error("no register is configured: add at least one")]
    Empty,
}

pub fn valid_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Registers {
    pub fn new(list: Vec<(String, Arc<Core>)>) -> Result<Registers, RegistersError> {
        let mut by_id = BTreeMap::new();
        for (id, core) in list {
            if !valid_id(&id) {
                return Err(RegistersError::BadId(id));
            }
            if by_id.insert(id.clone(), core).is_some() {
                return Err(RegistersError::Duplicate(id));
            }
        }
        let only = match by_id.len() {
            0 => return Err(RegistersError::Empty),
            1 => by_id.keys().next().cloned(),
            _ => None,
        };
        Ok(Registers { by_id, only })
    }

    /// One register under `id`: what `sauda serve` on a till runs.
    pub fn single(id: &str, core: Arc<Core>) -> Result<Registers, RegistersError> {
        Registers::new(vec![(id.to_string(), core)])
    }

    /// The register a request names, or the only one when it names none.
    pub fn resolve(&self, named: Option<&str>) -> Option<(String, Arc<Core>)> {
        let id = named.map(str::to_string).or_else(|| self.only.clone())?;
        let core = self.by_id.get(&id)?.clone();
        Some((id, core))
    }

    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.by_id.keys()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn summary(&self, id: &str) -> Option<RegisterSummary> {
        let s = self.by_id.get(id)?.settings();
        Some(RegisterSummary {
            id: id.to_string(),
            org_name: s.org_name,
            bin: s.bin,
            address: s.address,
            rnm: s.rnm,
            kkm_id: s.kkm_id,
            factory_number: s.factory_number,
            demo: s.demo,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_and_plain() {
        for ok in ["till-1", "A_2", "x"] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in ["", "../etc", "a b", "кассa", &"x".repeat(33)] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}

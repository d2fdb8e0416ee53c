//! How this till's scanners and label scales talk: prefix and suffix programmed in the
//! scanner, the character it sends for GS in keyboard mode, the keyboard layout it
//! types through, how fast its keys come, and the weight/price barcode layouts of the
//! shop's scales (devices.md §5.2, §5.7). Kept in the catalogue's preferences, not in
//! the fiscal settings: changing them never needs a closed shift.
//!
//! Reading falls back to the defaults for anything never set; a bad stored value is
//! reported, not silently replaced, so a service engineer sees what to fix.

use serde::{Deserialize, Serialize};

use crate::catalogue::{Catalogue, CatalogueError};
use crate::core::Core;
use crate::devices::keystrokes::KeystrokeRules;
use crate::devices::layout::KeyboardLayout;
use crate::devices::normalise::ScannerSetup;
use crate::devices::weighted::{EmbeddedLayout, default_layouts};
use crate::error::ApiError;
use crate::users::Caller;

pub(crate) struct ScannerPreferences {
    pub setup: ScannerSetup,
    pub layouts: Vec<EmbeddedLayout>,
    pub max_gap_ms: u32,
}

impl ScannerPreferences {
    pub fn load(c: &Catalogue) -> Result<ScannerPreferences, CatalogueError> {
        let get = |name: &str| c.preference(name);
        let mut setup = ScannerSetup::default();
        if let Some(v) = get("scanner.prefix")? {
            setup.prefix = v;
        }
        if let Some(v) = get("scanner.suffix")? {
            setup.suffix = v;
        }
        setup.gs_substitute = get("scanner.gs_substitute")?.and_then(|v| v.chars().next());
        if let Some(v) = get("scanner.layout")? {
            setup.layout = KeyboardLayout::parse(&v).unwrap_or(KeyboardLayout::Auto);
        }
        let layouts = match get("scanner.weight_layouts")? {
            Some(text) => parse_layouts(&text).map_err(CatalogueError::Invalid)?,
            None => default_layouts(),
        };
        let max_gap_ms = get("scanner.max_gap_ms")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(KeystrokeRules::default().max_gap_ms);
        Ok(ScannerPreferences {
            setup,
            layouts,
            max_gap_ms,
        })
    }

    pub fn rules(&self) -> KeystrokeRules {
        KeystrokeRules {
            max_gap_ms: self.max_gap_ms,
            ..KeystrokeRules::default()
        }
    }
}

fn parse_layouts(text: &str) -> Result<Vec<EmbeddedLayout>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| EmbeddedLayout::parse(p).map_err(|e| e.to_string()))
        .collect()
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ScannerSettings {
    /// Characters the scanner sends before each code (besides an AIM identifier).
    pub prefix: String,
    /// Characters it sends after each code, before Enter.
    pub suffix: String,
    /// The character it sends for GS in keyboard mode, e.g. `~`; none when empty.
    pub gs_substitute: String,
    /// auto, us, ru or kk: the keyboard layout the scanner's keys arrive through.
    pub layout: String,
    /// The longest gap between a scanner's keys, in ms (30 by default).
    pub max_gap_ms: u32,
    /// Label-scale barcode layouts, `;`-separated: e.g. `20-22,24-29:A; 23:B`.
    pub weight_layouts: String,
}

pub fn show(
    core: &Core,
    _caller: &Caller,
    _input: super::Empty,
) -> Result<ScannerSettings, ApiError> {
    core.with_catalogue(|c| {
        let p = ScannerPreferences::load(c)?;
        Ok(ScannerSettings {
            prefix: p.setup.prefix,
            suffix: p.setup.suffix,
            gs_substitute: p.setup.gs_substitute.map(String::from).unwrap_or_default(),
            layout: p.setup.layout.as_str().to_string(),
            max_gap_ms: p.max_gap_ms,
            weight_layouts: p
                .layouts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        })
    })
}

pub fn update(
    core: &Core,
    caller: &Caller,
    input: ScannerSettings,
) -> Result<ScannerSettings, ApiError> {
    let layout = KeyboardLayout::parse(&input.layout).ok_or_else(|| {
        ApiError::validation(format!(
            "keyboard layout '{}' is unknown: use auto, us, ru or kk",
            input.layout
        ))
    })?;
    if input.gs_substitute.chars().count() > 1 {
        return Err(ApiError::validation(
            "the GS substitute is one character, e.g. ~ (leave it empty if the scanner sends GS)",
        ));
    }
    if !(5..=200).contains(&input.max_gap_ms) {
        return Err(ApiError::validation(
            "the gap between a scanner's keys is 5 to 200 ms (30 suits most scanners)",
        ));
    }
    let layouts = parse_layouts(&input.weight_layouts).map_err(ApiError::validation)?;
    let max_gap = input.max_gap_ms.to_string();
    let layouts = layouts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    core.with_catalogue(|c| {
        Ok(c.set_preferences(&[
            ("scanner.prefix", &input.prefix),
            ("scanner.suffix", &input.suffix),
            ("scanner.gs_substitute", &input.gs_substitute),
            ("scanner.layout", layout.as_str()),
            ("scanner.max_gap_ms", &max_gap),
            ("scanner.weight_layouts", &layouts),
        ])?)
    })?;
    show(core, caller, super::Empty {})
}

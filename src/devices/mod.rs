//! What barcode scanners send, read into things a receipt can use: product GTINs,
//! in-store weight and price codes, and marking codes (devices.md §5–§6; R-100 a scanner
//! reads the marking identifier, R-101 marked goods need a code, R-102 the code goes on
//! the receipt).
//!
//! The pipeline, one module per step:
//!
//! 1. [`keystrokes`]: in keyboard-wedge mode, tell a scanner's fast burst from a person
//!    typing by timing (§5.2). Serial and HID-POS scanners skip this step.
//! 2. [`normalise`]: strip the terminator, the configured prefix and suffix and the AIM
//!    identifier, repair the keyboard layout ([`layout`]) and turn the separator's
//!    spellings into `'\u{1d}'` (§6.3 steps 1–2).
//! 3. [`scan`]: decide what the text is, using [`barcode`] (check digits, UPC-E,
//!    symbologies), [`weighted`] (prefixes 20–29), [`gs1`] (element strings) and
//!    [`marking`] (§6.2–6.4).
//!
//! Everything here is pure: no IO, no threads, no clock (the caller passes key times
//! and calls `idle` from its own timer), no catalogue. Opening ports, grabbing evdev
//! devices and matching a GTIN to an item belong to the shells and the command layer.

pub mod barcode;
pub mod gs1;
pub mod keystrokes;
pub mod layout;
pub mod marking;
pub mod marking_group;
pub mod normalise;
mod recovery;
pub mod scan;
mod scan_problem;
pub mod weighted;

pub use barcode::{BarcodeError, Symbology, gs1_check_digit, gtin14, gtin14_for, upc_e_to_upc_a};
pub use gs1::{Gs1Error, parse_element_string, render};
pub use keystrokes::{Decoded, Key, KeystrokeDecoder, KeystrokeRules};
pub use layout::{KeyboardLayout, from_us, to_us};
pub use marking::{
    MarkingCode, MarkingError, MarkingKind, identification_of, looks_like_marking, parse_marking,
};
pub use normalise::{Normalised, ScannerSetup, normalise};
pub use scan::{Scan, ScanError, classify};
pub use weighted::{
    Embedded, EmbeddedKind, EmbeddedLayout, EmbeddedValue, default_layouts, parse_embedded,
};

#[cfg(test)]
mod tests {
    //! The whole pipeline on recorded keyboard streams (devices.md §9 item 4): keys with
    //! their times in, what the till should do out.
    use super::*;

    /// A scanner typing `text` at `gap` ms per key from `start`, then Enter.
    fn scanner(text: &str, start: u64, gap: u64) -> Vec<(Key, u64)> {
        let mut keys: Vec<(Key, u64)> = text
            .chars()
            .map(|c| match c {
                '\u{1d}' => Key::GroupSeparator,
                c => Key::Char(c),
            })
            .zip((0..).map(|i| start + i * gap))
            .collect();
        keys.push((Key::Enter, start + keys.len() as u64 * gap));
        keys
    }

    fn run(keys: &[(Key, u64)], setup: &ScannerSetup) -> Vec<Result<Scan, String>> {
        keystrokes::classify(keys, KeystrokeRules::default())
            .into_iter()
            .map(|d| match d {
                Decoded::Scan(raw) => {
                    classify(&normalise(&raw, setup), &default_layouts()).map_err(|e| e.to_string())
                }
                Decoded::Typed(text) => Err(format!("typed {text:?}")),
            })
            .collect()
    }

    fn product(gtin: &str, symbology: Option<Symbology>) -> Result<Scan, String> {
        Ok(Scan::Product {
            gtin: gtin.into(),
            symbology,
        })
    }

    #[test]
    fn keyboard_streams_to_scans() {
        let drink = "0104870123456789215aB7cD\u{1d}93Xy9Z";
        let drink_code = parse_marking(drink).map_err(|e| e.to_string());
        let tilde = ScannerSetup {
            gs_substitute: Some('~'),
            ..ScannerSetup::default()
        };
        let kazakh = layout::from_us("]E04870123456789", KeyboardLayout::Kazakh);
        let russian_dm = layout::from_us(
            &format!("]d2{}", drink.replace('\u{1d}', "~")),
            KeyboardLayout::Russian,
        );
        let human: Vec<(Key, u64)> = "4870"
            .chars()
            .enumerate()
            .map(|(i, c)| (Key::Char(c), i as u64 * 120))
            .chain([(Key::Enter, 600)])
            .collect();
        for (name, keys, setup, want) in [
            (
                "EAN-13 at 4 ms",
                scanner("]E04870123456789", 0, 4),
                ScannerSetup::default(),
                vec![product("04870123456789", Some(Symbology::Ean13))],
            ),
            (
                "EAN-13 under the Kazakh layout",
                scanner(&kazakh, 0, 4),
                ScannerSetup::default(),
                vec![product("04870123456789", Some(Symbology::Ean13))],
            ),
            (
                "marking code with Ctrl+] as GS",
                scanner(&format!("]d2{drink}"), 0, 3),
                ScannerSetup::default(),
                vec![drink_code.clone().map(Scan::Marking)],
            ),
            (
                "marking code with ~ for GS under Russian",
                scanner(&russian_dm, 0, 3),
                tilde,
                vec![drink_code.map(Scan::Marking)],
            ),
            (
                "weighed item then a product",
                [scanner("2200123012500", 0, 4), scanner("96385074", 100, 4)].concat(),
                ScannerSetup::default(),
                vec![
                    parse_embedded("2200123012500", &default_layouts())
                        .and_then(Result::ok)
                        .map(Scan::Embedded)
                        .ok_or_else(String::new),
                    product("00000096385074", None),
                ],
            ),
            (
                "a person typing",
                human,
                ScannerSetup::default(),
                vec![Err("typed \"4870\\n\"".to_string())],
            ),
        ] {
            assert_eq!(run(&keys, &setup), want, "{name}");
        }
    }
}

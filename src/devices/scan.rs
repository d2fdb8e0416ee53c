//! Decides what a normalised scan is: a product barcode, an in-store weight or price
//! code, a marking code, or other text (devices.md §5.5–5.7, §6.3; R-100).
//!
//! The symbology is trusted when the scanner reported one; without it the shape of the
//! text decides. Digits that look like a product code but fail their check digit are an
//! error, never "other text": a misread must send the cashier back to the scanner, not
//! into a search box. This module must not look anything up; the caller matches the
//! result against the catalogue and applies R-101 (no marking code, no sale).

use super::barcode::{BarcodeError, Symbology, gtin14_for};
use super::gs1::{Gs1Error, parse_element_string};
use super::marking::{MarkingCode, MarkingError, looks_like_marking, parse_marking};
use super::normalise::Normalised;
use super::weighted::{Embedded, EmbeddedLayout, parse_embedded};

/// What a scan turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    /// A product barcode as GTIN-14.
    Product {
        gtin: String,
        symbology: Option<Symbology>,
    },
    /// An in-store code with weight or amount (§5.7).
    Embedded(Embedded),
    /// A marking code (§6; R-100, R-102).
    Marking(MarkingCode),
    /// Code 128 shop codes, QR text, anything else: the caller may search for it.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    #[error("Nothing was read: scan the code again.")]
    Empty,
    #[error(transparent)]
    Barcode(#[from] BarcodeError),
    #[error(transparent)]
    Marking(#[from] MarkingError),
    #[error(transparent)]
    Gs1(#[from] Gs1Error),
}

/// Classifies a scan; `layouts` are the shop's weighted-barcode rules (§5.7).
pub fn classify(n: &Normalised, layouts: &[EmbeddedLayout]) -> Result<Scan, ScanError> {
    let text = n.text.as_str();
    if text.is_empty() {
        return Err(ScanError::Empty);
    }
    let all_digits = text.bytes().all(|b| b.is_ascii_digit());
    match &n.symbology {
        Some(sym) if sym.is_ean_upc() => product(text, Some(sym.clone()), layouts),
        Some(
            sym @ (Symbology::Gs1DataMatrix
            | Symbology::DataMatrix
            | Symbology::Gs1_128
            | Symbology::Gs1Qr),
        ) => {
            if looks_like_marking(text) {
                return Ok(Scan::Marking(parse_marking(text)?));
            }
            if sym.is_gs1() {
                return gs1_product(text, Some(sym.clone()));
            }
            Ok(Scan::Other(text.to_string()))
        }
        // Code 128, plain QR and the rest (GS1 DataBar `]e0`…) carry shop codes and text;
        // a marking code or a GTIN in one of them is taken only when it reads cleanly.
        Some(sym) => Ok(match parse_marking(text) {
            Ok(code) if looks_like_marking(text) => Scan::Marking(code),
            _ if is_gs1_gtin_start(text) => gs1_product(text, Some(sym.clone()))
                .unwrap_or_else(|_| Scan::Other(text.to_string())),
            _ => Scan::Other(text.to_string()),
        }),
        None if all_digits && matches!(text.len(), 8 | 12 | 13 | 14) => {
            product(text, None, layouts)
        }
        None if looks_like_marking(text) => Ok(Scan::Marking(parse_marking(text)?)),
        None if is_gs1_gtin_start(text) => gs1_product(text, None),
        None => Ok(Scan::Other(text.to_string())),
    }
}

fn product(
    text: &str,
    symbology: Option<Symbology>,
    layouts: &[EmbeddedLayout],
) -> Result<Scan, ScanError> {
    if matches!(text.len(), 12 | 13)
        && let Some(embedded) = parse_embedded(text, layouts)
    {
        return Ok(Scan::Embedded(embedded?));
    }
    let gtin = gtin14_for(text, symbology.clone())?;
    Ok(Scan::Product { gtin, symbology })
}

/// `01` and fourteen digits: a GS1 element string however it arrived (a GS1-128 label
/// read without AIM identifiers, for example).
fn is_gs1_gtin_start(text: &str) -> bool {
    text.len() >= 16
        && text.starts_with("01")
        && text.as_bytes()[2..16].iter().all(u8::is_ascii_digit)
}

fn gs1_product(text: &str, symbology: Option<Symbology>) -> Result<Scan, ScanError> {
    let fields = parse_element_string(text)?;
    Ok(match fields.into_iter().find(|(ai, _)| ai == "01") {
        Some((_, gtin)) => Scan::Product { gtin, symbology },
        None => Scan::Other(text.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::barcode::Symbology as S;
    use crate::devices::layout::{KeyboardLayout as L, from_us};
    use crate::devices::normalise::{ScannerSetup, normalise};
    use crate::devices::weighted::{EmbeddedValue, default_layouts};

    const TAIL: &str = "f4GMwfaaxZdBapz1Kn+RKa8yiAv7zPumlaNf/NBhIAY=";

    fn product(gtin: &str, symbology: Option<S>) -> Result<Scan, &'static str> {
        Ok(Scan::Product {
            gtin: gtin.into(),
            symbology,
        })
    }

    /// The scan's kind and its key: GTIN, PLU, identification part or text.
    fn summary(scan: Result<Scan, ScanError>) -> Result<(char, String), String> {
        match scan {
            Ok(Scan::Product { gtin, .. }) => Ok(('P', gtin)),
            Ok(Scan::Embedded(e)) => Ok(('W', format!("{} {:?}", e.item_code, e.value))),
            Ok(Scan::Marking(m)) => Ok(('M', m.identification())),
            Ok(Scan::Other(t)) => Ok(('O', t)),
            Err(e) => Err(format!("{e:?}")),
        }
    }

    #[test]
    fn raw_scanner_strings_end_to_end() {
        let shoe = format!("010487012345678921aB3dE5gH7jK9m\u{1d}91FFD0\u{1d}92{TAIL}");
        let shoe_ki = "010487012345678921aB3dE5gH7jK9m";
        let tilde = ScannerSetup {
            gs_substitute: Some('~'),
            ..ScannerSetup::default()
        };
        let ru_tilde = from_us(&format!("]d2{}\r", shoe.replace('\u{1d}', "~")), L::Russian);
        let plain = ScannerSetup::default();
        let ok = |kind: char, key: &str| Ok((kind, key.to_string()));
        let err = |prefix: &str| Err(prefix.to_string());
        for (raw, setup, want) in [
            ("]E04870123456789\r", &plain, ok('P', "04870123456789")),
            ("4870123456789\r\n", &plain, ok('P', "04870123456789")),
            ("]E496385074\r", &plain, ok('P', "00000096385074")),
            ("]E004252614\r", &plain, ok('P', "00042100005264")),
            ("]E3487012345678912\r", &plain, ok('P', "04870123456789")),
            ("036000291452", &plain, ok('P', "00036000291452")),
            ("ъУ04870123456789\r", &plain, ok('P', "04870123456789")),
            ("ңү.қ\"әіңғ,.үұ\r", &plain, ok('P', "04870123456789")),
            ("]E02200123012500\r", &plain, ok('W', "00123 Grams(1250)")),
            ("2300077015999", &plain, ok('W', "00077 AmountTiyn(159900)")),
            (&format!("]d2{shoe}\r"), &plain, ok('M', shoe_ki)),
            (
                &format!("]d2{}\r", shoe.replace('\u{1d}', "")),
                &plain,
                ok('M', shoe_ki),
            ),
            (
                &format!("]d2{}\r", shoe.replace('\u{1d}', "~")),
                &tilde,
                ok('M', shoe_ki),
            ),
            (&ru_tilde, &tilde, ok('M', shoe_ki)),
            (&format!("{shoe}\r"), &plain, ok('M', shoe_ki)),
            (
                "]d104870123456789Ab!cD3eMb7q2Lp0\r",
                &plain,
                ok('M', "04870123456789Ab!cD3e"),
            ),
            (
                "04870123456789Ab!cD3eMb7q2Lp0",
                &plain,
                ok('M', "04870123456789Ab!cD3e"),
            ),
            (
                "]C10104870123456789172812311012A\r",
                &plain,
                ok('P', "04870123456789"),
            ),
            (
                "0104870123456789172812311012A",
                &plain,
                ok('P', "04870123456789"),
            ),
            (
                "]C100148701230000000016\r",
                &plain,
                ok('O', "00148701230000000016"),
            ),
            ("]C0SHOP-000123\r", &plain, ok('O', "SHOP-000123")),
            (
                "]e001048701234567893103001250\r",
                &plain,
                ok('P', "04870123456789"),
            ),
            ("]e00104870123456788\r", &plain, ok('O', "0104870123456788")),
            (
                "]Q1https://sauda.kz/r/1\r",
                &plain,
                ok('O', "https://sauda.kz/r/1"),
            ),
            ("12345\r", &plain, ok('O', "12345")),
            ("4870123456788\r", &plain, err("Barcode(CheckDigit")),
            ("2200123012501", &plain, err("Barcode(CheckDigit")),
            (
                "]d20104870123456788215aB7cD\u{1d}93Xy9Z",
                &plain,
                err("Marking(GtinCheck"),
            ),
            (
                "]d20104870123456789215aB7",
                &plain,
                ok('M', "0104870123456789215aB7"),
            ),
            ("]C10104870123456788", &plain, err("Gs1(GtinCheck")),
            ("\r\n", &plain, err("Empty")),
        ] {
            let got = summary(classify(&normalise(raw, setup), &default_layouts()));
            match (&want, &got) {
                (Err(prefix), Err(e)) => assert!(e.starts_with(prefix), "{raw:?}: {e}"),
                _ => assert_eq!(got, want, "{raw:?}"),
            }
        }
    }

    #[test]
    fn products_keep_their_symbology_and_errors_read_as_sentences() {
        let n = normalise("]E04870123456789\r", &ScannerSetup::default());
        assert_eq!(
            classify(&n, &[]).map_err(|_| "error"),
            product("04870123456789", Some(S::Ean13))
        );
        let n = normalise("2200123012500", &ScannerSetup::default());
        assert!(matches!(
            classify(&n, &default_layouts()),
            Ok(Scan::Embedded(Embedded {
                value: EmbeddedValue::Grams(1250),
                ..
            }))
        ));
        // Without layouts an in-store code is just a product code.
        assert_eq!(
            classify(&n, &[]).map_err(|_| "error"),
            product("02200123012500", None)
        );
        let n = normalise("4870123456788", &ScannerSetup::default());
        assert_eq!(
            classify(&n, &[]).map_err(|e| e.to_string()),
            Err("The barcode 4870123456788 has a wrong check digit (should be 9): scan it again or type the code.".into())
        );
    }
}

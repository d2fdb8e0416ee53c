//! Linear product barcodes (EAN-8, UPC-A, UPC-E, EAN-13, GTIN-14) and the symbology a
//! scanner reports in its AIM identifier (devices.md §5.5, §5.6).
//!
//! Every product code leaves here as a 14-digit GTIN with its check digit verified, so
//! an EAN-8, a UPC-A, an EAN-13 and the GTIN inside a marking code meet in one catalogue
//! key. Pure text in, text out: this module must not look anything up in the catalogue
//! nor guess a symbology the scanner did not report.

/// The symbology of a scan, as the scanner's AIM identifier names it (devices.md §5.5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Symbology {
    /// `]E0`: EAN-13, UPC-A (as 13 digits) and UPC-E (as 8 digits) share this identifier.
    Ean13,
    Ean8,
    /// Only a HID-POS report names UPC-E on its own; AIM folds it into `]E0`.
    UpcE,
    EanAddOn,
    Code128,
    Gs1_128,
    DataMatrix,
    Gs1DataMatrix,
    Qr,
    Gs1Qr,
    /// Any other identifier, kept as sent (for example `]e0`, GS1 DataBar).
    Other(String),
}

impl Symbology {
    /// Reads an AIM symbology identifier such as `]E0` or `]d2`.
    pub fn from_aim(id: &str) -> Symbology {
        match id {
            "]E0" => Symbology::Ean13,
            "]E4" => Symbology::Ean8,
            "]E1" | "]E2" | "]E3" => Symbology::EanAddOn,
            "]C0" => Symbology::Code128,
            "]C1" => Symbology::Gs1_128,
            // d0/d1/d4 are ECC 200 without FNC1 first; d2/d5 carry GS1 data (with/without ECI).
            "]d0" | "]d1" | "]d4" => Symbology::DataMatrix,
            "]d2" | "]d5" => Symbology::Gs1DataMatrix,
            "]Q0" | "]Q1" | "]Q2" => Symbology::Qr,
            "]Q3" | "]Q4" => Symbology::Gs1Qr,
            other => Symbology::Other(other.to_string()),
        }
    }

    /// A short stable name for logs and the UI: `ean13`, `upc_e`, `gs1_datamatrix`…;
    /// an unknown symbology is named by its AIM identifier.
    pub fn name(&self) -> &str {
        match self {
            Symbology::Ean13 => "ean13",
            Symbology::Ean8 => "ean8",
            Symbology::UpcE => "upc_e",
            Symbology::EanAddOn => "ean_addon",
            Symbology::Code128 => "code128",
            Symbology::Gs1_128 => "gs1_128",
            Symbology::DataMatrix => "datamatrix",
            Symbology::Gs1DataMatrix => "gs1_datamatrix",
            Symbology::Qr => "qr",
            Symbology::Gs1Qr => "gs1_qr",
            Symbology::Other(aim) => aim,
        }
    }

    /// Whether the content is a GS1 element string (FNC1 in first position).
    pub fn is_gs1(&self) -> bool {
        matches!(
            self,
            Symbology::Gs1_128 | Symbology::Gs1DataMatrix | Symbology::Gs1Qr
        )
    }

    /// Whether the symbology belongs to the EAN/UPC family.
    pub fn is_ean_upc(&self) -> bool {
        matches!(
            self,
            Symbology::Ean13 | Symbology::Ean8 | Symbology::UpcE | Symbology::EanAddOn
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    #[error(
        "The barcode '{code}' contains characters other than digits: scan it again or type the digits printed under the bars."
    )]
    NotDigits { code: String },
    #[error(
        "The barcode {code} has {len} digits, but a product barcode has 8, 12, 13 or 14: scan it again or type the code from the label."
    )]
    Length { code: String, len: usize },
    #[error(
        "The barcode {code} has a wrong check digit (should be {expected}): scan it again or type the code."
    )]
    CheckDigit { code: String, expected: u8 },
    #[error(
        "The code {code} is not a valid UPC-E code (8 digits starting with 0 or 1): scan it again or type the 12-digit UPC-A code from the label."
    )]
    UpcE { code: String },
}

/// The GS1 check digit: one routine for the catalogue and the scanner (R-2 element 8).
pub use crate::domain::goods::gs1_check_digit;

/// Checks the last digit of a full code; `Err` names the digit it should have been.
pub(crate) fn verify_check_digit(code: &str) -> Result<(), BarcodeError> {
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BarcodeError::NotDigits { code: code.into() });
    }
    let (data, check) = code.split_at(code.len() - 1);
    let expected = gs1_check_digit(data).unwrap_or(0);
    if check.as_bytes()[0] - b'0' != expected {
        return Err(BarcodeError::CheckDigit {
            code: code.into(),
            expected,
        });
    }
    Ok(())
}

/// An EAN-8, UPC-A, EAN-13 or GTIN-14 as a 14-digit GTIN. Eight digits are read as
/// EAN-8; a UPC-E needs its symbology, see [`gtin14_for`].
pub fn gtin14(code: &str) -> Result<String, BarcodeError> {
    gtin14_for(code, None)
}

/// Like [`gtin14`], using the symbology to read 8 digits as UPC-E (`]E0` or UPC-E) and
/// to drop an EAN add-on (`]E3`: 13 + 2 or 13 + 5 digits, devices.md §5.5).
pub fn gtin14_for(code: &str, symbology: Option<Symbology>) -> Result<String, BarcodeError> {
    let code = code.trim();
    if !code.bytes().all(|b| b.is_ascii_digit()) || code.is_empty() {
        return Err(BarcodeError::NotDigits { code: code.into() });
    }
    let base = match (symbology, code.len()) {
        // The add-on (issue number, suggested price) is not part of the product code.
        (Some(Symbology::EanAddOn), 15 | 18) => &code[..13],
        (Some(Symbology::EanAddOn), 10) => &code[..8],
        (Some(Symbology::UpcE | Symbology::Ean13), 8) => {
            return Ok(format!("00{}", upc_e_to_upc_a(code)?));
        }
        _ => code,
    };
    if !matches!(base.len(), 8 | 12 | 13 | 14) {
        return Err(BarcodeError::Length {
            code: code.into(),
            len: code.len(),
        });
    }
    verify_check_digit(base)?;
    // Left padding keeps the check digit valid: the weights count from the right.
    Ok(format!("{base:0>14}"))
}

/// Expands an 8-digit UPC-E (number system 0 or 1, six data digits, check digit) to the
/// 12-digit UPC-A it abbreviates, and verifies the check digit (devices.md §5.6).
pub fn upc_e_to_upc_a(upc_e: &str) -> Result<String, BarcodeError> {
    let bad = || BarcodeError::UpcE { code: upc_e.into() };
    let d: Vec<char> = upc_e.chars().collect();
    if d.len() != 8 || !d.iter().all(char::is_ascii_digit) || !matches!(d[0], '0' | '1') {
        return Err(bad());
    }
    let (ns, x, check) = (d[0], &d[1..7], d[7]);
    // The last data digit says where the manufacturer code ends and how many zeros
    // were squeezed out between it and the item number.
    let middle: String = match x[5] {
        '0'..='2' => [x[0], x[1], x[5], '0', '0', '0', '0', x[2], x[3], x[4]]
            .iter()
            .collect(),
        '3' => [x[0], x[1], x[2], '0', '0', '0', '0', '0', x[3], x[4]]
            .iter()
            .collect(),
        '4' => [x[0], x[1], x[2], x[3], '0', '0', '0', '0', '0', x[4]]
            .iter()
            .collect(),
        _ => [x[0], x[1], x[2], x[3], x[4], '0', '0', '0', '0', x[5]]
            .iter()
            .collect(),
    };
    let upc_a = format!("{ns}{middle}{check}");
    verify_check_digit(&upc_a).map_err(|e| match e {
        BarcodeError::CheckDigit { expected, .. } => BarcodeError::CheckDigit {
            code: upc_e.into(),
            expected,
        },
        _ => bad(),
    })?;
    Ok(upc_a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn check_digits_of_the_spec_examples() {
        for (data, check) in [
            ("487012345678", 9),
            ("400638133393", 1),
            ("03600029145", 2),
            ("9638507", 4),
            ("220012301250", 0),
        ] {
            assert_eq!(gs1_check_digit(data), Some(check), "{data}");
        }
        assert_eq!(gs1_check_digit("48701x"), None);
    }

    #[test]
    fn gtin14_pads_every_length() {
        for (code, sym, want) in [
            ("4870123456789", None, Ok("04870123456789")),
            ("4006381333931", None, Ok("04006381333931")),
            ("036000291452", None, Ok("00036000291452")),
            ("96385074", None, Ok("00000096385074")),
            ("04870123456789", None, Ok("04870123456789")),
            (" 4870123456789 ", None, Ok("04870123456789")),
            ("04252614", Some(Symbology::UpcE), Ok("00042100005264")),
            ("04252614", Some(Symbology::Ean13), Ok("00042100005264")),
            (
                "487012345678912",
                Some(Symbology::EanAddOn),
                Ok("04870123456789"),
            ),
            (
                "487012345678912345",
                Some(Symbology::EanAddOn),
                Ok("04870123456789"),
            ),
            ("4870123456788", None, Err(("CheckDigit", 9))),
            ("04252614", None, Err(("CheckDigit", 0))),
            ("487012345", None, Err(("Length", 0))),
            ("48701234567a9", None, Err(("NotDigits", 0))),
            ("", None, Err(("NotDigits", 0))),
        ] {
            let got = gtin14_for(code, sym);
            match (want, got) {
                (Ok(w), Ok(g)) => assert_eq!(g, w, "{code}"),
                (Err(("CheckDigit", e)), Err(BarcodeError::CheckDigit { expected, .. })) => {
                    assert_eq!(expected, e, "{code}")
                }
                (Err(("Length", _)), Err(BarcodeError::Length { .. })) => {}
                (Err(("NotDigits", _)), Err(BarcodeError::NotDigits { .. })) => {}
                (w, g) => panic!("{code}: wanted {w:?}, got {g:?}"),
            }
        }
    }

    #[test]
    fn upc_e_expands_by_its_last_data_digit() {
        for (upc_e, upc_a) in [
            ("01234558", "012345000058"), // 5–9: four zeros before the last digit
            ("04252614", "042100005264"), // 0–2: manufacturer ends with that digit
            ("01234531", "012300000451"), // 3: five zeros before the last two
            ("01234543", "012340000053"), // 4: five zeros before the last one
            ("11234555", "112345000055"),
        ] {
            assert_eq!(upc_e_to_upc_a(upc_e).as_deref(), Ok(upc_a), "{upc_e}");
        }
        for bad in ["21234505", "0123450", "0123a505"] {
            assert!(matches!(
                upc_e_to_upc_a(bad),
                Err(BarcodeError::UpcE { .. })
            ));
        }
        let err = upc_e_to_upc_a("04252615").expect_err("the test input is invalid");
        assert_eq!(
            err.to_string(),
            "The barcode 04252615 has a wrong check digit (should be 4): scan it again or type the code."
        );
    }

    #[test]
    fn aim_identifiers_name_the_symbology() {
        for (id, want) in [
            ("]E0", Symbology::Ean13),
            ("]E4", Symbology::Ean8),
            ("]E3", Symbology::EanAddOn),
            ("]C0", Symbology::Code128),
            ("]C1", Symbology::Gs1_128),
            ("]d1", Symbology::DataMatrix),
            ("]d2", Symbology::Gs1DataMatrix),
            ("]Q1", Symbology::Qr),
            ("]Q3", Symbology::Gs1Qr),
            ("]e0", Symbology::Other("]e0".into())),
        ] {
            assert_eq!(Symbology::from_aim(id), want, "{id}");
        }
        assert!(Symbology::Gs1DataMatrix.is_gs1() && !Symbology::DataMatrix.is_gs1());
    }

    proptest! {
        #[test]
        fn computed_check_digit_validates_and_no_other_does(data in "[0-9]{12}", other in 0u8..10) {
            let check = gs1_check_digit(&data).expect("the test input is valid");
            let code = format!("{data}{check}");
            prop_assert_eq!(gtin14(&code), Ok(format!("0{code}")));
            if other != check {
                let wrong = format!("{data}{other}");
                prop_assert_eq!(
                    gtin14(&wrong),
                    Err(BarcodeError::CheckDigit { code: wrong.clone(), expected: check })
                );
            }
        }

        #[test]
        fn upc_e_and_its_expansion_share_the_check_digit(ns in 0u8..2, data in "[0-9]{6}") {
            let probe = format!("{ns}{data}0");
            let expanded = upc_e_to_upc_a(&probe);
            let check = match expanded {
                Ok(_) => 0,
                Err(BarcodeError::CheckDigit { expected, .. }) => expected,
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            };
            let upc_a = upc_e_to_upc_a(&format!("{ns}{data}{check}")).expect("the test input is valid");
            prop_assert_eq!(gtin14(&upc_a), Ok(format!("00{upc_a}")));
        }
    }
}

//! What identifies a good on a receipt line besides its name (R-2 elements 8 and 9):
//! its unit of measure, its code in the National Catalogue of Goods (НТИН) and its
//! GTIN barcode, as the operator protocol carries them (`measure_unit_code`, `ntin`,
//! `barcode`, spec/ofd-protocol.md §3.2).
//!
//! Units are the ИС ЭСФ classifier codes (taken from ОКЕИ) that a shop till needs;
//! a code outside this list is refused rather than sent, because 2.0.4 requires the
//! code and an operator refuses an unknown one. Pure: no IO, no serde.

use std::fmt;

/// A unit of measure a line is sold in (R-2 element 9).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum MeasureUnit {
    #[default]
    Piece,
    Kilogram,
    Gram,
    Litre,
    Metre,
    SquareMetre,
    CubicMetre,
    Pack,
    Pair,
    Set,
}

/// (unit, ИС ЭСФ code, Kazakh short name, Russian short name, other spellings).
type UnitRow = (
    MeasureUnit,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const UNITS: [UnitRow; 10] = [
    (
        MeasureUnit::Piece,
        "796",
        "дана",
        "шт",
        &["pcs", "piece", "шт."],
    ),
    (MeasureUnit::Kilogram, "166", "кг", "кг", &["kg"]),
    (MeasureUnit::Gram, "163", "г", "г", &["g", "гр"]),
    (
        MeasureUnit::Litre,
        "112",
        "л",
        "л",
        &["l", "litre", "liter"],
    ),
    (MeasureUnit::Metre, "006", "м", "м", &["m"]),
    (MeasureUnit::SquareMetre, "055", "м²", "м²", &["m2", "м2"]),
    (MeasureUnit::CubicMetre, "113", "м³", "м³", &["m3", "м3"]),
    (
        MeasureUnit::Pack,
        "778",
        "қапт.",
        "упак.",
        &["pack", "уп", "упак"],
    ),
    (MeasureUnit::Pair, "715", "жұп", "пар", &["pair", "пара"]),
    (
        MeasureUnit::Set,
        "839",
        "жинақ",
        "компл.",
        &["set", "компл"],
    ),
];

impl MeasureUnit {
    fn row(self) -> &'static UnitRow {
        // Every variant has its row: the table is exhaustive by construction (tested).
        UNITS.iter().find(|row| row.0 == self).unwrap_or(&UNITS[0])
    }

    /// The ИС ЭСФ code sent to the operator, like "796" for a piece.
    pub fn code(self) -> &'static str {
        self.row().1
    }

    pub fn kazakh(self) -> &'static str {
        self.row().2
    }

    pub fn russian(self) -> &'static str {
        self.row().3
    }

    /// By code ("166"), by either printed name ("кг", "дана", "шт") or by a common
    /// spelling ("kg", "pcs"), case-insensitively.
    pub fn parse(text: &str) -> Option<MeasureUnit> {
        let wanted = text.trim().to_lowercase();
        UNITS
            .iter()
            .find(|(_, code, kk, ru, other)| {
                *code == wanted
                    || *kk == wanted
                    || *ru == wanted
                    || other.contains(&wanted.as_str())
            })
            .map(|row| row.0)
    }

    /// Goods counted in whole units: half a pair or 0.3 of a piece is a typing slip.
    pub fn is_countable(self) -> bool {
        matches!(
            self,
            MeasureUnit::Piece | MeasureUnit::Pack | MeasureUnit::Pair | MeasureUnit::Set
        )
    }

    pub fn all() -> impl Iterator<Item = MeasureUnit> {
        UNITS.iter().map(|row| row.0)
    }
}

impl fmt::Display for MeasureUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.russian())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoodsCodeError {
    #[error(
        "'{0}' is not an НТИН: the National Catalogue code is up to 14 digits, as shown in the catalogue card"
    )]
    Ntin(String),
    #[error("'{0}' is not a GTIN barcode: it has 8, 12, 13 or 14 digits")]
    BarcodeShape(String),
    #[error("barcode '{0}' has a wrong check digit: scan it again or type it from the label")]
    BarcodeCheckDigit(String),
}

/// The National Catalogue code of a good (R-2 element 8). The catalogue issues it;
/// we only check it is digits, so a code never carries spaces or letters to the operator.
pub fn ntin(text: &str) -> Result<String, GoodsCodeError> {
    let code = text.trim();
    if code.is_empty() || code.len() > 14 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(GoodsCodeError::Ntin(text.to_string()));
    }
    Ok(code.to_string())
}

/// A GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) with its check digit verified.
pub fn gtin(text: &str) -> Result<String, GoodsCodeError> {
    let code = text.trim();
    if !matches!(code.len(), 8 | 12 | 13 | 14) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(GoodsCodeError::BarcodeShape(text.to_string()));
    }
    let (body, check) = code.split_at(code.len() - 1);
    if gs1_check_digit(body) != Some(check.as_bytes()[0] - b'0') {
        return Err(GoodsCodeError::BarcodeCheckDigit(text.to_string()));
    }
    Ok(code.to_string())
}

/// The GS1 modulo-10 check digit of the data digits before it (EAN, UPC, GTIN alike,
/// devices.md §5.6);
/// `None` when a character is not a digit.
pub fn gs1_check_digit(data_digits: &str) -> Option<u8> {
    let mut sum = 0u32;
    // Weights 3, 1, 3, … start from the rightmost data digit, whatever the code length.
    for (i, b) in data_digits.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = u32::from(b - b'0');
        sum += if i % 2 == 0 { d * 3 } else { d };
    }
    Some(((10 - sum % 10) % 10) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_has_its_own_code_and_reads_back_from_each_name() {
        let mut codes: Vec<&str> = MeasureUnit::all().map(MeasureUnit::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), UNITS.len());
        for unit in MeasureUnit::all() {
            for name in [unit.code(), unit.kazakh(), unit.russian()] {
                assert_eq!(MeasureUnit::parse(name), Some(unit), "{name}");
            }
        }
        assert_eq!(MeasureUnit::parse("KG"), Some(MeasureUnit::Kilogram));
        assert_eq!(MeasureUnit::parse("ящик"), None);
        assert_eq!(MeasureUnit::default().code(), "796");
    }

    #[test]
    fn gtin_check_digits() {
        for good in [
            "4870001234560",
            "46001238",
            "012345678905",
            "04870001234560",
        ] {
            assert!(gtin(good).is_ok(), "{good}");
        }
        assert_eq!(
            gtin("4870001234566"),
            Err(GoodsCodeError::BarcodeCheckDigit("4870001234566".into()))
        );
        assert!(matches!(
            gtin("48700015"),
            Err(GoodsCodeError::BarcodeCheckDigit(_))
        ));
        assert!(matches!(
            gtin("12345"),
            Err(GoodsCodeError::BarcodeShape(_))
        ));
        assert!(matches!(
            gtin("48700O1234560"),
            Err(GoodsCodeError::BarcodeShape(_))
        ));
    }

    #[test]
    fn ntin_is_digits_only() {
        assert_eq!(ntin(" 02000000012345 ").as_deref(), Ok("02000000012345"));
        assert!(ntin("").is_err());
        assert!(ntin("0200 0000").is_err());
        assert!(ntin("020000000123456").is_err());
    }
}

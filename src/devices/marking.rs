//! Marking codes of goods under IS MPT: the GS1 DataMatrix `01…21…␝91…␝92…` family and
//! the 29-character tobacco pack code (devices.md §6.2–6.4; R-100 a scanner reads the
//! marking identifier, R-101 no code no sale, R-102 the code goes on the receipt).
//!
//! A code is kept as scanned (with `'\u{1d}'` separators) and split into its GTIN and
//! serial, whose concatenation identifies the unit: the key for "this unit was already
//! sold". This module must not decide whether an item needs a code, nor look at the
//! catalogue or the journal; it only reads and checks the code itself.

use super::barcode::{BarcodeError, verify_check_digit};
use super::gs1::{Gs1Error, is_charset_82, parse_element_string, render};
use super::recovery::{cut_short, cut_short_without_separators, reconstruct};

const GS: char = '\u{1d}';
/// Tobacco pack: GTIN 14 + serial 7 + tail 8, no identifiers (devices.md §6.2).
const PACK_LEN: usize = 29;
/// The shortest full GS1 marking code: `01` GTIN `21` serial(6) ␝ `93` code(4).
const MIN_GS1_LEN: usize = 31;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkingKind {
    Gs1,
    TobaccoPack,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkingCode {
    pub kind: MarkingKind,
    /// The code as scanned after normalising, with `'\u{1d}'`; separators put back when
    /// `reconstructed` (devices.md §6.3 step 5).
    pub raw: String,
    /// GTIN-14, check digit verified.
    pub gtin: String,
    pub serial: String,
    /// The scanner dropped the separators and they were put back from a known layout;
    /// the till should ask for a rescan in COM mode when in doubt (§6.3 step 3).
    pub reconstructed: bool,
}

impl MarkingCode {
    /// The identification part (КИ): `01`+GTIN+`21`+serial, or a pack code's first 21
    /// characters. Two scans with the same one are the same unit (§6.3 step 6).
    pub fn identification(&self) -> String {
        match self.kind {
            MarkingKind::Gs1 => format!("01{}21{}", self.gtin, self.serial),
            MarkingKind::TobaccoPack => self.raw.chars().take(21).collect(),
        }
    }

    /// The GS1 fields of the code (empty for a tobacco pack, which has none).
    pub fn fields(&self) -> Vec<(String, String)> {
        match self.kind {
            MarkingKind::Gs1 => parse_element_string(&self.raw).unwrap_or_default(),
            MarkingKind::TobaccoPack => Vec::new(),
        }
    }
}

/// The identification part of a stored code (`MarkingCode::raw`), for the journal and
/// the receipt. A stored code that no longer parses (rules changed since it was sold)
/// keeps working as a key: up to its first GS, or a pack code's first 21 characters.
pub fn identification_of(raw: &str) -> String {
    match parse_marking(raw) {
        Ok(code) => code.identification(),
        Err(_) if raw.chars().count() == PACK_LEN && !raw.starts_with("01") => {
            raw.chars().take(21).collect()
        }
        Err(_) => raw.split(GS).next().unwrap_or(raw).to_string(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkingError {
    #[error(
        "The marking code was cut short: {got} characters were read but {expected} were expected. Scan it again, holding the scanner over the whole code."
    )]
    Truncated { got: usize, expected: usize },
    #[error(
        "The marking code was cut short: {got} characters were read but a marking code has at least {min}. Scan it again, holding the scanner over the whole code."
    )]
    TooShort { got: usize, min: usize },
    #[error(
        "This is not a marking code: a marking code starts with 01 and a 14-digit GTIN, or is the 29-character code of a tobacco pack. Scan the DataMatrix code on the unit."
    )]
    NotMarking,
    #[error(
        "The GTIN {gtin} in the marking code has a wrong check digit (should be {expected}): scan it again; if this repeats, the code is damaged, so do not sell the unit and tell the supplier."
    )]
    GtinCheck { gtin: String, expected: u8 },
    #[error(
        "The serial number in the marking code has '{ch}' at character {position}, which marking codes never contain: the keyboard layout or CapsLock probably changed it; switch the scanner to COM mode or the US layout and scan again."
    )]
    SerialCharacter { ch: char, position: usize },
    #[error(
        "The code carries the GTIN {gtin} but no serial number (21): it identifies a product, not a unit. Scan the DataMatrix marking code on the unit."
    )]
    NoSerial { gtin: String },
    #[error(transparent)]
    Gs1(#[from] Gs1Error),
}

fn marking_error(e: Gs1Error, got: usize) -> MarkingError {
    match e {
        Gs1Error::GtinCheck { gtin, expected } => MarkingError::GtinCheck { gtin, expected },
        Gs1Error::BadCharacter { ai, ch, position } if ai == "21" => {
            MarkingError::SerialCharacter { ch, position }
        }
        Gs1Error::EmptyField { ai, .. } if ai == "21" => MarkingError::TooShort {
            got,
            min: MIN_GS1_LEN,
        },
        other => MarkingError::Gs1(other),
    }
}

fn digits(chars: &[char]) -> bool {
    chars.iter().all(char::is_ascii_digit)
}

pub(super) fn text(chars: &[char]) -> String {
    chars.iter().collect()
}

/// `01` + 14 digits + `21` + at least one character.
fn gs1_shaped(chars: &[char]) -> bool {
    chars.len() > 18
        && text(&chars[..2]) == "01"
        && digits(&chars[2..16])
        && text(&chars[16..18]) == "21"
}

/// `01` and a GTIN-14 whose check digit holds: a GS1 element string even at 29
/// characters, where it could otherwise pass for a pack code.
fn gs1_gtin_valid(chars: &[char]) -> bool {
    chars.len() >= 16
        && text(&chars[..2]) == "01"
        && verify_check_digit(&text(&chars[2..16])).is_ok()
}

fn pack_shaped(chars: &[char]) -> bool {
    chars.len() == PACK_LEN
        && digits(&chars[..14])
        && chars.iter().all(|&c| is_charset_82(c))
        && !gs1_gtin_valid(chars)
}

/// A cheap test for the scan classifier: GS1 marking shape or tobacco pack shape.
pub fn looks_like_marking(code: &str) -> bool {
    let chars: Vec<char> = code.chars().collect();
    gs1_shaped(&chars) || pack_shaped(&chars)
}

/// Reads a normalised marking code (devices.md §6.3 steps 3–4).
pub fn parse_marking(code: &str) -> Result<MarkingCode, MarkingError> {
    let chars: Vec<char> = code.chars().collect();
    let n = chars.len();
    let starts_01 = n >= 2 && text(&chars[..2]) == "01";
    if gs1_shaped(&chars) || (starts_01 && n > 16 && (n != PACK_LEN || gs1_gtin_valid(&chars))) {
        return parse_gs1(code, &chars);
    }
    if starts_01 && n <= 18 && digits(&chars) {
        return Err(MarkingError::TooShort {
            got: n,
            min: MIN_GS1_LEN,
        });
    }
    if n > 0 && digits(&chars[..n.min(14)]) {
        return parse_pack(code, &chars);
    }
    Err(MarkingError::NotMarking)
}

fn parse_gs1(code: &str, chars: &[char]) -> Result<MarkingCode, MarkingError> {
    let n = chars.len();
    if !code.contains(GS) {
        if let Some(fields) = reconstruct(chars) {
            let raw = render(&fields);
            let parsed = parse_element_string(&raw).map_err(|e| marking_error(e, n))?;
            if parsed == fields {
                return gs1_code(parsed, raw, true);
            }
        }
        if let Some(expected) = cut_short_without_separators(chars) {
            return Err(MarkingError::Truncated { got: n, expected });
        }
    }
    let fields = parse_element_string(code).map_err(|e| marking_error(e, n))?;
    gs1_code(fields, code.to_string(), false)
}

fn gs1_code(
    fields: Vec<(String, String)>,
    raw: String,
    reconstructed: bool,
) -> Result<MarkingCode, MarkingError> {
    let get = |ai: &str| fields.iter().find(|(a, _)| a == ai).map(|(_, v)| v.clone());
    let gtin = get("01").ok_or(MarkingError::NotMarking)?;
    let serial = get("21").ok_or_else(|| MarkingError::NoSerial { gtin: gtin.clone() })?;
    if let Some(expected) = cut_short(&fields) {
        return Err(MarkingError::Truncated {
            got: raw.chars().count(),
            expected,
        });
    }
    Ok(MarkingCode {
        kind: MarkingKind::Gs1,
        raw,
        gtin,
        serial,
        reconstructed,
    })
}

fn parse_pack(code: &str, chars: &[char]) -> Result<MarkingCode, MarkingError> {
    let n = chars.len();
    if n < PACK_LEN {
        return Err(MarkingError::Truncated {
            got: n,
            expected: PACK_LEN,
        });
    }
    if n > PACK_LEN {
        return Err(MarkingError::NotMarking);
    }
    let gtin = text(&chars[..14]);
    if let Err(BarcodeError::CheckDigit { expected, .. }) = verify_check_digit(&gtin) {
        return Err(MarkingError::GtinCheck { gtin, expected });
    }
    if let Some(k) = chars.iter().position(|&c| !is_charset_82(c)) {
        return Err(MarkingError::SerialCharacter {
            ch: chars[k],
            position: k + 1,
        });
    }
    Ok(MarkingCode {
        kind: MarkingKind::TobaccoPack,
        raw: code.to_string(),
        gtin,
        serial: text(&chars[14..21]),
        reconstructed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MED_KI: &str = "010487012345678921Q1w2E3r4T5y6U";
    const TAIL: &str = "f4GMwfaaxZdBapz1Kn+RKa8yiAv7zPumlaNf/NBhIAY=";

    fn shoe() -> String {
        format!("010487012345678921aB3dE5gH7jK9m\u{1d}91FFD0\u{1d}92{TAIL}")
    }

    /// Each code as scanned, and again with its separators dropped by the scanner.
    #[test]
    fn real_shaped_codes_parse() {
        let medicine = format!("{}\u{1d}1728123110LOT42A\u{1d}91EE07\u{1d}92{TAIL}", MED_KI);
        for (full, serial) in [
            (shoe(), "aB3dE5gH7jK9m"),
            (
                format!("0104870123456789215Wb!aT'xq,8Wg\u{1d}91EE06\u{1d}92{TAIL}"),
                "5Wb!aT'xq,8Wg",
            ),
            (medicine, &MED_KI[18..]),
            ("0104870123456789215aB7cD\u{1d}93Xy9Z".into(), "5aB7cD"),
            ("01048701234567892112345Ab\u{1d}93AbCd".into(), "12345Ab"),
            ("0104870123456789211234567890123".into(), "1234567890123"),
            ("04870123456789Ab!cD3eMb7q2Lp0".into(), "Ab!cD3e"),
            ("04870123456789!%&'5rZAAAA1234".into(), "!%&'5rZ"),
        ] {
            let kind = match full.starts_with("01") {
                true => MarkingKind::Gs1,
                false => MarkingKind::TobaccoPack,
            };
            let mut inputs = vec![(full.clone(), false)];
            if full.contains(GS) {
                inputs.push((full.replace(GS, ""), true));
            }
            for (code, reconstructed) in inputs {
                assert!(looks_like_marking(&code), "{code:?}");
                let want = MarkingCode {
                    kind,
                    raw: full.clone(),
                    gtin: "04870123456789".into(),
                    serial: serial.into(),
                    reconstructed,
                };
                assert_eq!(parse_marking(&code), Ok(want), "{code:?}");
            }
        }
    }

    #[test]
    fn the_identification_part_is_the_unit_key() {
        let shoe = shoe();
        let code = parse_marking(&shoe).expect("the test input is valid");
        assert_eq!(code.fields().len(), 4);
        let pack = parse_marking("04870123456789Ab!cD3eMb7q2Lp0").expect("the test input is valid");
        assert!(pack.fields().is_empty());
        assert_eq!(code.identification(), identification_of(&shoe));
        assert_eq!(pack.identification(), "04870123456789Ab!cD3e");
        // A stored code that no longer parses still gives a key.
        let no_gs = shoe.replace(GS, "");
        for (raw, ident) in [
            (shoe.as_str(), "010487012345678921aB3dE5gH7jK9m"),
            (&no_gs, "010487012345678921aB3dE5gH7jK9m"),
            ("04870123456789Ab!cD3eMb7q2Lp0", "04870123456789Ab!cD3e"),
            ("04870123456788Ab!cD3eMb7q2Lp0", "04870123456788Ab!cD3e"),
            ("010487012345678821ab\u{1d}93Xy9Z", "010487012345678821ab"),
        ] {
            assert_eq!(identification_of(raw), ident, "{raw:?}");
        }
    }

    #[test]
    fn damaged_codes_say_what_to_do() {
        let cut: String = shoe().chars().take(60).collect();
        let cut_no_gs: String = shoe().replace(GS, "").chars().take(70).collect();
        let medicine_no_gs = "010487012345678921Q1w2E3r4T5y6U1728123110LOT42A91EE0792abc";
        for (code, want) in [
            (cut.as_str(), "Truncated { got: 60, expected: 85 }"),
            (&cut_no_gs, "Truncated { got: 70, expected: 83 }"),
            (
                "0104870123456789215aB7cD\u{1d}93Xy",
                "Truncated { got: 29, expected: 31 }",
            ),
            (
                "010487012345678921aB3dE5gH7jK9m\u{1d}91FFD0",
                "Truncated { got: 38, expected: 85 }",
            ),
            (
                "04870123456789Ab!cD3e",
                "Truncated { got: 21, expected: 29 }",
            ),
            ("0104870123", "TooShort { got: 10, min: 31 }"),
            ("010487012345678921", "TooShort { got: 18, min: 31 }"),
            (
                "0104870123456788215aB7cD\u{1d}93Xy9Z",
                r#"GtinCheck { gtin: "04870123456788", expected: 9 }"#,
            ),
            (
                "04870123456788Ab!cD3eMb7q2Lp0",
                r#"GtinCheck { gtin: "04870123456788", expected: 9 }"#,
            ),
            (
                "0104870123456789215aБ7cD\u{1d}93Xy9Z",
                "SerialCharacter { ch: 'Б', position: 21 }",
            ),
            (
                "04870123456789Ab!cD3~Mb7q2Lp0",
                "SerialCharacter { ch: '~', position: 21 }",
            ),
            (
                "01048701234567891012A",
                r#"NoSerial { gtin: "04870123456789" }"#,
            ),
            (
                "0104870123456789172812311012A",
                r#"NoSerial { gtin: "04870123456789" }"#,
            ),
            (
                medicine_no_gs,
                r#"Gs1(TooLong { ai: "21", got: 40, max: 20 })"#,
            ),
            ("hello, world", "NotMarking"),
            ("", "NotMarking"),
        ] {
            let got = parse_marking(code).map_err(|e| format!("{e:?}"));
            assert_eq!(got, Err(want.to_string()), "{code:?}");
        }
        assert_eq!(
            parse_marking(&cut).map_err(|e| e.to_string()),
            Err("The marking code was cut short: 60 characters were read but 85 were expected. Scan it again, holding the scanner over the whole code.".into())
        );
    }

    #[test]
    fn only_marking_shapes_look_like_marking() {
        for (code, want) in [
            ("4870123456789", false),
            ("0104870123456789", false),
            ("01048701234567891012A", false),
            ("0104870123456789215", true),
            ("04870123456789Ab!cD3eMb7q2Lp0", true),
            ("04870123456789Ab!cD3eMb7q2Lp", false),
            ("https://example.kz/r?i=1", false),
            // 29 characters, but `01` + a valid GTIN: a GS1 string, not a pack code.
            ("0104870123456789172812311012A", false),
        ] {
            assert_eq!(looks_like_marking(code), want, "{code}");
        }
    }
}

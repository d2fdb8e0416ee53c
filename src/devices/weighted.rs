//! Weight and price embedded in in-store EAN-13 codes from label scales, prefixes 20–29
//! (devices.md §5.7).
//!
//! No public Kazakhstan-wide rule exists, so each shop configures its layouts; presets
//! A–D cover the common scale programs. This module reads the digits only: it must not
//! find the item, compute a quantity from an amount, or decide that an item may be sold
//! by weight (the caller refuses the scan when it may not).

use std::fmt;

use super::barcode::{BarcodeError, gs1_check_digit, verify_check_digit};

/// What the value digits of an embedded code hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmbeddedKind {
    Grams,
    /// The line amount in whole tenge (preset B).
    Tenge,
    /// The line amount with two decimals (Odoo's `{NNNDD}`), per shop.
    Tiyn,
}

/// The value read from a code, in the units the receipt uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmbeddedValue {
    Grams(u32),
    AmountTiyn(i64),
}

/// One shop rule: which two-digit prefixes it covers, how many item (PLU) digits follow,
/// and what the remaining `10 − item_digits` value digits before the check digit mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedLayout {
    pub prefixes: Vec<u8>,
    pub item_digits: u8,
    pub value: EmbeddedKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "The weighted-barcode rule '{0}' is not understood: write the prefixes and a preset, like 21-29:A or 23:B (presets A, B, C, D; or 5+5g, 5+5kzt, 5+5tiyn)."
)]
pub struct EmbeddedLayoutError(pub String);

const PRESETS: [(char, u8, EmbeddedKind); 4] = [
    ('A', 5, EmbeddedKind::Grams),
    ('B', 5, EmbeddedKind::Tenge),
    ('C', 4, EmbeddedKind::Grams),
    ('D', 6, EmbeddedKind::Grams),
];
// Preset E (`PP IIII V SSSSS C`, amount with a price verification digit) is left out:
// §5.7 calls it rare in the CIS, and no shop here has asked for it.

impl EmbeddedLayout {
    /// Preset A (weight 5+5), B (amount 5+5 in tenge), C (weight 4+6) or D (weight 6+4)
    /// of devices.md §5.7, for every prefix 20–29.
    pub fn preset(name: char) -> Option<EmbeddedLayout> {
        let (_, item_digits, value) = PRESETS
            .iter()
            .find(|(p, _, _)| *p == name.to_ascii_uppercase())?;
        Some(EmbeddedLayout {
            prefixes: (20..=29).collect(),
            item_digits: *item_digits,
            value: *value,
        })
    }

    pub fn value_digits(&self) -> u8 {
        10u8.saturating_sub(self.item_digits)
    }

    /// Reads the short text form, for example `20-22,24-29:A`, `23:B` or `28:4+6g`.
    pub fn parse(text: &str) -> Result<EmbeddedLayout, EmbeddedLayoutError> {
        let bad = || EmbeddedLayoutError(text.to_string());
        let (prefix_text, kind_text) = text.trim().split_once(':').ok_or_else(bad)?;
        let mut prefixes = Vec::new();
        for part in prefix_text.split(',') {
            let (lo, hi) = part.split_once('-').unwrap_or((part, part));
            let (lo, hi): (u8, u8) = (
                lo.trim().parse().map_err(|_| bad())?,
                hi.trim().parse().map_err(|_| bad())?,
            );
            if lo > hi || hi > 99 {
                return Err(bad());
            }
            prefixes.extend(lo..=hi);
        }
        let kind_text = kind_text.trim();
        let (item_digits, value) = match kind_text.chars().collect::<Vec<_>>()[..] {
            [letter] => {
                let preset = EmbeddedLayout::preset(letter).ok_or_else(bad)?;
                (preset.item_digits, preset.value)
            }
            _ => {
                let (sizes, unit) = kind_text
                    .split_at_checked(
                        kind_text
                            .find(|c: char| c.is_alphabetic())
                            .ok_or_else(bad)?,
                    )
                    .ok_or_else(bad)?;
                let (item, val) = sizes.split_once('+').ok_or_else(bad)?;
                let item: u8 = item.parse().map_err(|_| bad())?;
                let val: u8 = val.parse().map_err(|_| bad())?;
                let unit = match unit {
                    "g" => EmbeddedKind::Grams,
                    "kzt" => EmbeddedKind::Tenge,
                    "tiyn" => EmbeddedKind::Tiyn,
                    _ => return Err(bad()),
                };
                if u16::from(item) + u16::from(val) != 10 {
                    return Err(bad());
                }
                (item, unit)
            }
        };
        if prefixes.is_empty() || !(1..=9).contains(&item_digits) {
            return Err(bad());
        }
        Ok(EmbeddedLayout {
            prefixes,
            item_digits,
            value,
        })
    }
}

impl fmt::Display for EmbeddedLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sorted = self.prefixes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        let mut runs: Vec<String> = Vec::new();
        let mut k = 0;
        while k < sorted.len() {
            let start = sorted[k];
            while k + 1 < sorted.len() && sorted[k + 1] == sorted[k] + 1 {
                k += 1;
            }
            runs.push(if sorted[k] == start {
                format!("{start:02}")
            } else {
                format!("{start:02}-{:02}", sorted[k])
            });
            k += 1;
        }
        write!(f, "{}:", runs.join(","))?;
        match PRESETS
            .iter()
            .find(|(_, i, v)| *i == self.item_digits && *v == self.value)
        {
            Some((letter, _, _)) => write!(f, "{letter}"),
            None => {
                let unit = match self.value {
                    EmbeddedKind::Grams => "g",
                    EmbeddedKind::Tenge => "kzt",
                    EmbeddedKind::Tiyn => "tiyn",
                };
                write!(f, "{}+{}{unit}", self.item_digits, self.value_digits())
            }
        }
    }
}

/// Like Odoo's default rules (`21…` weight, `23…` price; §5.7): 23 is an amount in tenge
/// (preset B), every other prefix 20–29 a weight in grams (preset A).
pub fn default_layouts() -> Vec<EmbeddedLayout> {
    let a = EmbeddedLayout::preset('A').map(|l| EmbeddedLayout {
        prefixes: [20, 21, 22, 24, 25, 26, 27, 28, 29].into(),
        ..l
    });
    let b = EmbeddedLayout::preset('B').map(|l| EmbeddedLayout {
        prefixes: vec![23],
        ..l
    });
    a.into_iter().chain(b).collect()
}

/// An in-store code split into its item and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embedded {
    /// The PLU digits, leading zeros kept.
    pub item_code: String,
    /// The code with the value zeroed and the check digit recomputed, as GTIN-14: the
    /// catalogue key of the item when it is not found by PLU (§5.7).
    pub base_gtin: String,
    pub value: EmbeddedValue,
}

/// Reads an EAN-13 (or a 12-digit UPC-A, as `0…`) against the shop's layouts: `None`
/// when no layout covers its prefix, `Err` when the check digit is wrong.
pub fn parse_embedded(
    ean13: &str,
    layouts: &[EmbeddedLayout],
) -> Option<Result<Embedded, BarcodeError>> {
    let code = ean13.trim();
    if !code.bytes().all(|b| b.is_ascii_digit()) || !matches!(code.len(), 12 | 13) {
        return None;
    }
    let code = format!("{code:0>13}");
    let prefix: u8 = code[..2].parse().ok()?;
    let layout = layouts
        .iter()
        .find(|l| l.prefixes.contains(&prefix) && (1..=9).contains(&l.item_digits))?;
    if let Err(e) = verify_check_digit(&code) {
        return Some(Err(e));
    }
    let item_end = 2 + usize::from(layout.item_digits);
    let digits: u64 = code[item_end..12].parse().ok()?;
    let base = format!("{:0<12}", &code[..item_end]);
    let check = gs1_check_digit(&base)?;
    let value = match layout.value {
        EmbeddedKind::Grams => EmbeddedValue::Grams(u32::try_from(digits).ok()?),
        EmbeddedKind::Tenge => EmbeddedValue::AmountTiyn(i64::try_from(digits).ok()? * 100),
        EmbeddedKind::Tiyn => EmbeddedValue::AmountTiyn(i64::try_from(digits).ok()?),
    };
    Some(Ok(Embedded {
        item_code: code[2..item_end].to_string(),
        base_gtin: format!("0{base}{check}"),
        value,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_of_the_spec() {
        let defaults = default_layouts();
        let c = [EmbeddedLayout::parse("28:C").expect("the test input is valid")];
        let tiyn = [EmbeddedLayout::parse("23:5+5tiyn").expect("the test input is valid")];
        use EmbeddedValue::{AmountTiyn, Grams};
        for (code, layouts, item, base, value) in [
            (
                "2200123012500",
                &defaults[..],
                "00123",
                "02200123000002",
                Grams(1250),
            ),
            (
                "2100042005006",
                &defaults,
                "00042",
                "02100042000001",
                Grams(500),
            ),
            (
                "2012345023451",
                &defaults,
                "12345",
                "02012345000001",
                Grams(2345),
            ),
            (
                "2300077015999",
                &defaults,
                "00077",
                "02300077000001",
                AmountTiyn(159_900),
            ),
            (
                "2300077015999",
                &tiyn,
                "00077",
                "02300077000001",
                AmountTiyn(1599),
            ),
            ("2800420123451", &c, "0042", "02800420000004", Grams(12345)),
        ] {
            let want = Embedded {
                item_code: item.into(),
                base_gtin: base.into(),
                value,
            };
            assert_eq!(parse_embedded(code, layouts), Some(Ok(want)), "{code}");
        }
        assert_eq!(
            parse_embedded("2200123012501", &defaults),
            Some(Err(BarcodeError::CheckDigit {
                code: "2200123012501".into(),
                expected: 0
            }))
        );
        for other in ["4870123456789", "96385074", "22001230125", "2800420123451"] {
            let layouts = if other.starts_with("28") {
                &c[..0]
            } else {
                &defaults
            };
            assert_eq!(parse_embedded(other, layouts), None, "{other}");
        }
    }

    #[test]
    fn layouts_read_and_write_their_text_form() {
        for (text, prefixes, item_digits, value, shown) in [
            (
                "20-22,24-29:A",
                vec![20, 21, 22, 24, 25, 26, 27, 28, 29],
                5,
                EmbeddedKind::Grams,
                "20-22,24-29:A",
            ),
            ("23:b", vec![23], 5, EmbeddedKind::Tenge, "23:B"),
            ("28 : C", vec![28], 4, EmbeddedKind::Grams, "28:C"),
            (
                "2,20-21:D",
                vec![2, 20, 21],
                6,
                EmbeddedKind::Grams,
                "02,20-21:D",
            ),
            ("23:5+5tiyn", vec![23], 5, EmbeddedKind::Tiyn, "23:5+5tiyn"),
            ("27:3+7g", vec![27], 3, EmbeddedKind::Grams, "27:3+7g"),
        ] {
            let layout = EmbeddedLayout::parse(text).expect("the test input is valid");
            assert_eq!(
                layout,
                EmbeddedLayout {
                    prefixes,
                    item_digits,
                    value
                },
                "{text}"
            );
            assert_eq!(layout.to_string(), shown);
            assert_eq!(EmbeddedLayout::parse(shown), Ok(layout));
        }
        for bad in [
            "", "21", "21:E", "29-21:A", "21:5+4g", "21:5+5lb", "x:A", "100:A",
        ] {
            assert!(EmbeddedLayout::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            default_layouts()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["20-22,24-29:A", "23:B"]
        );
    }
}

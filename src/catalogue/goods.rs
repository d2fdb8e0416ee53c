//! One item of the catalogue as a shop describes it, and the rules an item must meet
//! before it is stored: names in both languages, a price in tiyn, a unit and VAT group
//! the register knows, barcodes with valid check digits, flags that agree with the unit.
//!
//! Pure: no SQL, no files. Checking every field (not stopping at the first problem)
//! is what lets the CSV import report every fault of a row at once.

use serde::{Deserialize, Serialize};

use crate::devices::marking_group::MarkingGroup;
use crate::domain::goods::{self, GoodsCodeError, MeasureUnit};
use crate::domain::money::Money;
use crate::domain::vat::{TaxError, TaxTable};
use crate::problem::{Problem, ProblemKey};

/// An item as stored, with its id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct Goods {
    pub id: i64,
    #[serde(flatten)]
    #[cfg_attr(test, ts(flatten))]
    pub fields: GoodsFields,
    pub archived: bool,
}

impl Goods {
    /// The name in the receipt's language; validation fills both.
    pub fn name(&self, lang: &str) -> &str {
        if lang == "ru" {
            &self.fields.name_ru
        } else {
            &self.fields.name_kk
        }
    }
}

/// What a person (or a CSV row) gives for an item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct GoodsFields {
    /// The shop's article or PLU; unique.
    pub code: String,
    pub name_kk: String,
    pub name_ru: String,
    /// 0 means "the cashier enters the price at the sale".
    pub price_tiyn: i64,
    /// ИС ЭСФ unit code ("796" pieces, "166" kg…), R-2 element 9.
    pub unit: String,
    /// A group of the register's tax table; the register's default when absent.
    #[serde(default)]
    pub vat_group: Option<String>,
    #[serde(default)]
    pub section: String,
    /// National Catalogue code (R-2 element 8, R-103).
    #[serde(default)]
    pub ntin: Option<String>,
    /// EAN/UPC codes as GTIN-14, other codes (Code 128 shop labels) as printed.
    #[serde(default)]
    pub barcodes: Vec<String>,
    #[serde(default)]
    pub weighted: bool,
    /// Each unit is sold with its scanned marking code.
    #[serde(default)]
    pub marked: bool,
    #[serde(default)]
    pub age_restricted: bool,
    /// The position on the sale screen's quick keys, from 1.
    #[serde(default)]
    pub quick_key: Option<u32>,
    /// The IS MPT product group of a marked item (tobacco, shoes, light_industry,
    /// medicines, beer, drinks, oils): its codes must have that group's shape. Setting
    /// one marks the item.
    #[serde(default)]
    pub marking_group: Option<String>,
}

/// The most quick keys the sale screen shows.
pub const QUICK_KEYS: u32 = 48;

impl GoodsFields {
    /// Checks and tidies every field; on failure, every problem as a sentence.
    pub fn validate(mut self, taxes: &TaxTable) -> Result<GoodsFields, Vec<Problem>> {
        let mut problems = Vec::new();
        self.code = self.code.trim().to_string();
        if self.code.is_empty() {
            problems.push(Problem::bare(
                ProblemKey::CodeEmpty,
                "the article code is empty: give every item its own code",
            ));
        } else if self.code.chars().count() > 40 || self.code.chars().any(char::is_control) {
            problems.push(Problem::new(
                ProblemKey::CodeTooLong,
                [&self.code],
                format!(
                    "the article code '{}' is too long or has control characters: use up to 40 letters and digits",
                    self.code
                ),
            ));
        }
        self.name_kk = self.name_kk.trim().to_string();
        self.name_ru = self.name_ru.trim().to_string();
        // A shop with names in one language only still sells: the other name repeats it.
        match (self.name_kk.is_empty(), self.name_ru.is_empty()) {
            (true, true) => problems.push(Problem::bare(
                ProblemKey::NoName,
                "the item has no name: give name_kk (Kazakh) or name_ru (Russian)",
            )),
            (true, false) => self.name_kk = self.name_ru.clone(),
            (false, true) => self.name_ru = self.name_kk.clone(),
            _ => {}
        }
        for name in [&self.name_kk, &self.name_ru] {
            if name.chars().count() > 128 {
                problems.push(Problem::new(
                    ProblemKey::NameTooLong,
                    [name],
                    format!("the name '{name}' is longer than 128 characters: shorten it"),
                ));
            }
        }
        if self.price_tiyn < 0
            || Money::from_tiyn(self.price_tiyn) > crate::domain::money::MAX_AMOUNT
        {
            let price = Money::from_tiyn(self.price_tiyn);
            problems.push(Problem::new(
                ProblemKey::PriceRange,
                [price],
                format!(
                    "the price {price} is out of range: give a price from 0 (entered at the sale) upwards"
                ),
            ));
        }
        let unit = if self.unit.trim().is_empty() {
            Some(MeasureUnit::default())
        } else {
            MeasureUnit::parse(&self.unit)
        };
        match unit {
            Some(unit) => {
                self.unit = unit.code().to_string();
                if self.weighted && unit.is_countable() {
                    problems.push(Problem::new(
                        ProblemKey::WeighedInPieces,
                        [unit.russian()],
                        format!(
                            "a weighed item cannot be sold in {}: give the unit кг, г, л or м",
                            unit.russian()
                        ),
                    ));
                }
                if self.marked && !unit.is_countable() {
                    problems.push(Problem::new(
                        ProblemKey::MarkedNotInPieces,
                        [unit.russian()],
                        format!(
                            "a marked item is sold one code per unit, not by {}: give the unit шт/дана",
                            unit.russian()
                        ),
                    ));
                }
            }
            None => problems.push(Problem::new(
                ProblemKey::UnknownUnit,
                [&self.unit],
                format!(
                    "unknown unit '{}': use an ИС ЭСФ code or name such as 796 (шт), 166 (кг), 112 (л)",
                    self.unit
                ),
            )),
        }
        self.marking_group = match self
            .marking_group
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
        {
            None => None,
            Some(text) => match MarkingGroup::parse(text) {
                Some(group) => {
                    self.marked = true;
                    Some(group.code().to_string())
                }
                None => {
                    let known: Vec<&str> = MarkingGroup::all().iter().map(|g| g.code()).collect();
                    let known = known.join(", ");
                    problems.push(Problem::new(
                        ProblemKey::MarkingGroupUnknown,
                        [text, known.as_str()],
                        format!(
                            "unknown marking group '{text}': use one of {known}, or leave it empty"
                        ),
                    ));
                    None
                }
            },
        };
        if self.weighted && self.marked {
            problems.push(Problem::bare(
                ProblemKey::WeighedAndMarked,
                "an item cannot be both weighed and marked: clear one of the flags",
            ));
        }
        self.vat_group = self
            .vat_group
            .map(|g| g.trim().to_string())
            .filter(|g| !g.is_empty());
        if let Some(group) = &self.vat_group
            && let Err(e) = taxes.resolve(group, false)
        {
            problems.push(tax_problem(e));
        }
        self.section = self.section.trim().to_string();
        self.ntin = match self
            .ntin
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            None => None,
            Some(text) => match goods::ntin(text) {
                Ok(code) => Some(code),
                Err(e) => {
                    problems.push(code_problem(e));
                    None
                }
            },
        };
        let mut barcodes = Vec::new();
        for text in std::mem::take(&mut self.barcodes) {
            match barcode_key(&text) {
                Ok(key) if barcodes.contains(&key) => {}
                Ok(key) => barcodes.push(key),
                Err(e) => problems.push(e),
            }
        }
        self.barcodes = barcodes;
        if let Some(key) = self.quick_key
            && !(1..=QUICK_KEYS).contains(&key)
        {
            problems.push(Problem::new(
                ProblemKey::QuickKeyRange,
                [key, QUICK_KEYS],
                format!("quick key {key} does not exist: use 1 to {QUICK_KEYS}"),
            ));
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// `code` without leading zeros when it is all digits: what a label scale puts
    /// into a weight-embedded barcode (devices.md §5.7).
    pub fn plu(&self) -> Option<String> {
        plu_of(&self.code)
    }

    /// Lower-cased names and code, searched as the cashier types.
    pub fn search_text(&self) -> String {
        format!("{} {} {}", self.code, self.name_kk, self.name_ru).to_lowercase()
    }
}

pub fn plu_of(code: &str) -> Option<String> {
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = code.trim_start_matches('0');
    Some(if trimmed.is_empty() { "0" } else { trimmed }.to_string())
}

/// The key a barcode is stored and looked up under: EAN-8, UPC-A, EAN-13 and GTIN-14
/// become GTIN-14 after their check digit is verified (devices.md §5.6); any other
/// printable code (a shop's Code 128 label) stays as it is.
pub fn barcode_key(text: &str) -> Result<String, Problem> {
    let code = text.trim();
    if code.bytes().all(|b| b.is_ascii_digit()) && matches!(code.len(), 8 | 12 | 13 | 14) {
        return goods::gtin(code)
            .map(|c| format!("{c:0>14}"))
            .map_err(code_problem);
    }
    if code.len() < 4 || code.len() > 48 || !code.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Problem::new(
            ProblemKey::NotABarcode,
            [code],
            format!(
                "'{code}' is not a barcode: use the digits under the bars (EAN-13, EAN-8, UPC) or a label code of 4 to 48 letters and digits"
            ),
        ));
    }
    Ok(code.to_string())
}

fn code_problem(e: GoodsCodeError) -> Problem {
    let (key, text) = match &e {
        GoodsCodeError::Ntin(t) => (ProblemKey::NtinInvalid, t),
        GoodsCodeError::BarcodeShape(t) => (ProblemKey::BarcodeShape, t),
        GoodsCodeError::BarcodeCheckDigit(t) => (ProblemKey::BarcodeCheckDigit, t),
    };
    Problem::new(key, [text], e.to_string())
}

fn tax_problem(e: TaxError) -> Problem {
    match &e {
        TaxError::Unknown { given, known } => {
            Problem::new(ProblemKey::VatUnknown, [given, known], e.to_string())
        }
        TaxError::OnlyForReturns(rate) => {
            Problem::new(ProblemKey::VatOnlyReturns, [rate], e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn milk() -> GoodsFields {
        GoodsFields {
            code: " 1001 ".into(),
            name_kk: "Сүт 2,5% 1 л".into(),
            name_ru: String::new(),
            price_tiyn: 52_000,
            unit: "л".into(),
            barcodes: vec!["4870123456789".into(), "4870123456789".into()],
            ..GoodsFields::default()
        }
    }

    #[test]
    fn a_valid_item_is_tidied() {
        let item = milk().validate(&TaxTable::default()).expect("valid");
        assert_eq!(item.code, "1001");
        assert_eq!(
            item.name_ru, "Сүт 2,5% 1 л",
            "the missing name repeats the other"
        );
        assert_eq!(item.unit, "112");
        assert_eq!(item.barcodes, vec!["04870123456789"], "GTIN-14, once");
        assert_eq!(item.plu().as_deref(), Some("1001"));
        assert!(item.search_text().contains("сүт"));
    }

    #[test]
    fn every_problem_of_an_item_is_reported_at_once() {
        let item = GoodsFields {
            code: String::new(),
            price_tiyn: -5,
            unit: "ящик".into(),
            vat_group: Some("13".into()),
            ntin: Some("12ab".into()),
            barcodes: vec!["4870123456788".into(), "x".into()],
            quick_key: Some(99),
            ..GoodsFields::default()
        };
        let problems = item.validate(&TaxTable::default()).expect_err("invalid");
        assert_eq!(problems.len(), 9, "{problems:#?}");
        assert!(
            problems.iter().any(
                |p| p.key == ProblemKey::BarcodeCheckDigit && p.message.contains("check digit")
            ),
            "{problems:#?}"
        );
    }

    #[test]
    fn flags_must_agree_with_the_unit() {
        let taxes = TaxTable::default();
        let weighed_pieces = GoodsFields {
            weighted: true,
            unit: "шт".into(),
            ..milk()
        };
        assert!(weighed_pieces.validate(&taxes).is_err());
        let marked_litres = GoodsFields {
            marked: true,
            ..milk()
        };
        assert!(marked_litres.validate(&taxes).is_err());
        let marked_pack = GoodsFields {
            marked: true,
            unit: "796".into(),
            ..milk()
        };
        assert!(marked_pack.validate(&taxes).is_ok());
    }

    #[test]
    fn plu_drops_leading_zeros_of_digit_codes_only() {
        assert_eq!(plu_of("00123").as_deref(), Some("123"));
        assert_eq!(plu_of("000").as_deref(), Some("0"));
        assert_eq!(plu_of("A-12"), None);
    }
}

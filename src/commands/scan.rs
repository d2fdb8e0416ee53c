//! `catalogue_scan`: what a scanner (or a person at the keyboard) sent, turned into a
//! sale line. Keyboard-wedge keys are told apart from typing by their timing; the
//! text is repaired for the keyboard layout, its AIM prefix and GS separators; the
//! code is classified (EAN/UPC, weight-embedded, marking code, shop label) and looked
//! up in the catalogue (devices.md §5, §6; R-100).
//!
//! It only reads: the line it proposes goes into the receipt when the sale is paid,
//! and `receipt_sell` checks it again (the marking rules in `marking.rs`).

use serde::{Deserialize, Serialize};

use crate::catalogue::Goods;
use crate::core::Core;
use crate::devices::keystrokes::{Decoded, Key, KeystrokeRules, classify as split_keys};
use crate::devices::normalise::normalise;
use crate::devices::scan::{Scan, classify};
use crate::devices::weighted::EmbeddedValue;
use crate::domain::goods::MeasureUnit;
use crate::error::ApiError;
use crate::users::Caller;

use super::dto::ItemIn;
use super::scanner_setup::ScannerPreferences;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct KeyIn {
    /// The character typed, or `Enter`, `Tab`, `GS` (Ctrl+] from raw decoding).
    pub key: String,
    /// When it arrived, in milliseconds on any steady clock.
    pub at_ms: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ScanIn {
    /// What a serial scanner or a script sent: read as a scan.
    #[serde(default)]
    pub text: Option<String>,
    /// Keys from a keyboard-wedge scanner or a person, with their times, ending with
    /// the terminator: a scan only if they came at scanner speed (devices.md §5.2).
    #[serde(default)]
    pub keys: Option<Vec<KeyIn>>,
    /// An article chosen on a quick key or in a search: looked up as it is.
    #[serde(default)]
    pub goods_code: Option<String>,
    /// The language of the item's name: kk (default) or ru.
    #[serde(default)]
    pub lang: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ScanOut {
    /// goods (found), unknown (a valid code not in the catalogue), typed (the keys were
    /// a person typing: `text` is what they typed).
    pub kind: String,
    /// The decoded code, or the typed text.
    pub text: String,
    /// ean13, ean8, upc_e, code128, gs1_128, datamatrix, gs1_datamatrix, qr… when known.
    pub symbology: Option<String>,
    pub goods: Option<Goods>,
    /// The line to add, ready for `receipt_sell`.
    pub item: Option<ItemIn>,
    /// A weighed item scanned without its weight: ask for it.
    pub needs_quantity: bool,
    /// An item without a fixed price: ask for it.
    pub needs_price: bool,
    /// A marked item scanned by its EAN: scan its DataMatrix instead.
    pub needs_mark: bool,
    /// Age-restricted goods: check the buyer's age before selling.
    pub age_check: bool,
    /// For a person: what was found or what to do.
    pub message: Option<String>,
}

pub fn scan(core: &Core, _caller: &Caller, input: ScanIn) -> Result<ScanOut, ApiError> {
    let lang = input.lang.as_deref();
    // A quick key or a search pick names the article itself: nothing to decode.
    if let Some(code) = input.goods_code.as_deref().map(str::trim) {
        let goods = core.with_catalogue(|c| Ok(c.by_code(code)?))?;
        return answer(
            goods,
            Scan::Other(code.to_string()),
            code.to_string(),
            None,
            lang,
        );
    }
    let prefs = core.with_catalogue(|c| Ok(ScannerPreferences::load(c)?))?;
    let raw = match (&input.text, &input.keys) {
        (Some(text), _) => text.clone(),
        (None, Some(keys)) => match decode_keys(keys, prefs.rules()) {
            Ok(code) => code,
            Err(typed) => {
                return Ok(ScanOut {
                    kind: "typed".into(),
                    text: typed,
                    ..ScanOut::default()
                });
            }
        },
        (None, None) => return Err(ApiError::validation("catalogue_scan needs text or keys")),
    };
    let normalised = normalise(&raw, &prefs.setup);
    let symbology = normalised.symbology.as_ref().map(|s| s.name().to_string());
    let scan =
        classify(&normalised, &prefs.layouts).map_err(|e| ApiError::problems(vec![e.problem()]))?;
    let goods = core.with_catalogue(|c| {
        Ok(match &scan {
            Scan::Product { gtin, .. } => c.by_barcode(gtin)?,
            Scan::Embedded(e) => match c.by_barcode(&e.base_gtin)? {
                Some(g) => Some(g),
                None => c.by_plu(&e.item_code)?,
            },
            Scan::Marking(m) => c.by_barcode(&m.gtin)?,
            Scan::Other(text) => match c.by_barcode(text)? {
                Some(g) => Some(g),
                None => c.by_code(text)?,
            },
        })
    })?;
    answer(goods, scan, normalised.text, symbology, lang)
}

/// The sale line for the goods a scan found, or what is missing.
fn answer(
    goods: Option<Goods>,
    scan: Scan,
    text: String,
    symbology: Option<String>,
    lang: Option<&str>,
) -> Result<ScanOut, ApiError> {
    let lang = lang.unwrap_or("kk");
    let mut out = ScanOut {
        kind: "unknown".into(),
        text,
        symbology,
        ..ScanOut::default()
    };
    let Some(goods) = goods.filter(|g| !g.archived) else {
        out.message = Some(format!(
            "no goods with the code {} in the catalogue: search by name, or a manager adds the item",
            out.text
        ));
        return Ok(out);
    };
    let f = &goods.fields;
    let unit = MeasureUnit::parse(&f.unit).unwrap_or_default();
    let mut item = ItemIn {
        name: goods.name(lang).to_string(),
        price_tiyn: f.price_tiyn,
        quantity_milli: 1000,
        vat_group: f.vat_group.clone(),
        section: Some(f.section.clone()).filter(|s| !s.is_empty()),
        adjustment: None,
        unit: Some(f.unit.clone()),
        ntin: f.ntin.clone(),
        barcode: f
            .barcodes
            .iter()
            .find(|b| b.bytes().all(|c| c.is_ascii_digit()))
            .cloned(),
        goods_code: Some(f.code.clone()),
        marks: None,
    };
    out.kind = "goods".into();
    out.age_check = f.age_restricted;
    out.needs_price = f.price_tiyn == 0;
    match &scan {
        Scan::Product { gtin, .. } => {
            item.barcode = Some(gtin.clone());
            out.needs_quantity = f.weighted;
            out.needs_mark = f.marked;
        }
        Scan::Embedded(e) => {
            if unit.is_countable() {
                return Err(ApiError::validation(format!(
                    "{} is sold by the piece, but the label carries a weight or amount: check the scale's PLU {}",
                    goods.name(lang),
                    e.item_code
                )));
            }
            item.quantity_milli = match e.value {
                EmbeddedValue::Grams(grams) => i64::from(grams),
                // devices.md §5.7: quantity = amount / unit price, to the gram; the
                // line then costs what the label says give or take half a gram.
                EmbeddedValue::AmountTiyn(amount) if f.price_tiyn > 0 => {
                    crate::domain::money::div_round(amount as i128 * 1000, f.price_tiyn as i128)
                        as i64
                }
                EmbeddedValue::AmountTiyn(_) => 0,
            };
            out.needs_quantity = item.quantity_milli <= 0;
        }
        Scan::Marking(m) => {
            group_fits(&goods, m)?;
            item.barcode = Some(m.gtin.clone());
            item.marks = Some(vec![m.raw.clone()]);
            if !f.marked {
                out.message = Some(format!(
                    "{}: a marking code was scanned for an item not flagged as marked; it is sold with the code",
                    goods.name(lang)
                ));
            }
        }
        Scan::Other(_) => {
            out.needs_quantity = f.weighted;
            out.needs_mark = f.marked;
        }
    }
    if out.needs_mark {
        out.message = Some(format!(
            "{} is a marked item: scan the DataMatrix code on the pack, not the barcode",
            goods.name(lang)
        ));
    } else if out.needs_quantity && out.message.is_none() {
        out.message = Some(format!(
            "{}: weigh it and enter the weight",
            goods.name(lang)
        ));
    }
    out.item = Some(item);
    out.goods = Some(goods);
    Ok(out)
}

/// The code the keys spell if they came from a scanner, or the typed text if not.
fn decode_keys(keys: &[KeyIn], rules: KeystrokeRules) -> Result<String, String> {
    let mut stream = Vec::with_capacity(keys.len() + 1);
    for k in keys {
        let key = match k.key.as_str() {
            "Enter" => Key::Enter,
            "Tab" => Key::Tab,
            "GS" => Key::GroupSeparator,
            other => match other.chars().next() {
                Some(c) if other.chars().count() == 1 => Key::Char(c),
                _ => continue,
            },
        };
        stream.push((key, k.at_ms.max(0.0) as u64));
    }
    let decoded = split_keys(&stream, rules);
    match decoded.last() {
        Some(Decoded::Scan(code)) => Ok(code.clone()),
        _ => Err(decoded
            .into_iter()
            .map(|d| match d {
                Decoded::Scan(s) | Decoded::Typed(s) => s,
            })
            .collect()),
    }
}

/// devices.md §6.3 step 4: a code must have the shape of its item's product group.
/// Refused at the scan, so the cashier rescans at once instead of at payment.
pub(super) fn group_fits(
    goods: &Goods,
    code: &crate::devices::marking::MarkingCode,
) -> Result<(), ApiError> {
    let Some(group) = goods
        .fields
        .marking_group
        .as_deref()
        .and_then(crate::devices::marking_group::MarkingGroup::parse)
    else {
        return Ok(());
    };
    group.check(code).map_err(|p| {
        let mut e = ApiError::problems(vec![p]);
        e.code = crate::error::ErrorCode::MarkingRequired;
        e
    })
}

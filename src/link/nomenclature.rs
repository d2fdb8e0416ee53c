//! Looks up a barcode the shop's catalogue does not know in the operator's national
//! catalogue (COMMAND_NOMENCLATURE with `NomenclatureRequest.barcode`, spec §3.10;
//! spec/devices.md §6.5), so a manager adding the item gets its Russian and Kazakh
//! names, НТИН, unit and marking flag filled in (issue 7: "use it to fill names and
//! codes, never to block a sale").
//!
//! It only suggests: nothing here writes the shop catalogue, and whatever goes wrong
//! (no link, no answer, a refusal, an odd answer) ends in a plain "fill the fields by
//! hand" and leaves the link's mode as it was. A lookup never switches the register
//! to autonomous mode or blocks it: only documents and the link test do that. Every
//! number and text from the network is checked or clamped here, never trusted.

use serde::{Deserialize, Serialize};

use super::exchange::{self, Outcome};
use super::message::{self, Context};
use super::{Link, Mode};
use crate::core::Core;
use crate::domain::MeasureUnit;
use crate::domain::goods;
use crate::domain::money::MAX_AMOUNT;
use crate::error::{ApiError, ErrorCode};
use sauda_ofd::frame::Version;
use sauda_ofd::v204;
use v204::nomenclature_response::{ElementTypeEnum, NomenclatureResultTypeEnum};

/// What the operator's national catalogue says about one barcode.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct NationalItem {
    /// False: the operator has no item with this barcode; everything else is empty.
    pub found: bool,
    pub barcode: String,
    pub name_ru: String,
    pub name_kk: String,
    /// НТИН (R-2 element 8), digits only.
    pub ntin: Option<String>,
    /// ИС ЭСФ unit code the register knows ("796" pieces, "166" kg, "112" litres).
    pub unit: Option<String>,
    /// Sold by weight or volume (`measure_fractional`).
    pub weighted: bool,
    /// Subject to marking (`is_markedeac`): each unit is sold with its code.
    pub marked: bool,
    /// The operator's sale price, when it gives one above zero.
    pub price_tiyn: Option<i64>,
    pub article: Option<String>,
}

impl NationalItem {
    fn not_found(barcode: &str) -> NationalItem {
        NationalItem {
            barcode: barcode.to_string(),
            ..NationalItem::default()
        }
    }
}

/// The barcode as typed or scanned: digits only, 8 to 14 of them. A GTIN-14 with a
/// leading zero (how the shop catalogue stores EAN-13s) is sent as the EAN-13 printed
/// on the package.
pub fn barcode(text: &str) -> Result<String, ApiError> {
    let code = text.trim();
    if !(8..=14).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::validation(format!(
            "'{code}' is not a barcode the operator can look up: give the 8 to 14 digits printed under the bars"
        )));
    }
    Ok(match code.strip_prefix('0') {
        Some(ean13) if code.len() == 14 => ean13.to_string(),
        _ => code.to_string(),
    })
}

/// The refusal every failed lookup ends in: what went wrong, and what to do instead.
fn by_hand(why: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::Validation,
        format!("{why}: fill in the names, НТИН and unit by hand"),
    )
}

/// No link was started: the register has no operator to ask.
pub(crate) fn not_linked() -> ApiError {
    by_hand(
        "this register is not connected to an operator, so the national catalogue cannot be asked",
    )
}

pub fn lookup(core: &Core, link: &mut Link, barcode: &str) -> Result<NationalItem, ApiError> {
    if !matches!(link.mode, Mode::Online) {
        return Err(by_hand(format!(
            "the register is not online with the operator (link mode: {})",
            link.mode.name()
        )));
    }
    if link.outstanding.is_some() {
        // A service request now would carry a token the operator may have replaced.
        return Err(by_hand("a document still waits for the operator's answer"));
    }
    let settings = core.settings();
    let request = message::nomenclature(barcode, &Context::service(&settings))
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let budget = link.options.budget;
    // `exchange::service` only reports: it journals the request and any telling answer,
    // takes the answer's token and counts the channel's quality, but never changes the
    // mode. Autonomous mode and blocks are decided by its callers (`pump`, the link
    // test); a lookup is not one of them, so neither silence nor a refusal here moves
    // the register out of online mode (the next document or link test finds out).
    match exchange::service(core, link, request, None, budget)? {
        Outcome::Accepted {
            mut messages,
            response,
        } => {
            link.messages.append(&mut messages);
            from_response(barcode, &response)
        }
        Outcome::NoAnswer(e) => Err(by_hand(format!(
            "the operator did not answer the barcode lookup ({e})"
        ))),
        Outcome::Refused {
            code,
            text,
            mut messages,
        } => {
            link.messages.append(&mut messages);
            refused(barcode, link.session.version, code, &text)
        }
    }
}

/// Result 18 has two meanings (spec §2.5, §4.8, §7 gap 9): in 2.0.3 it is
/// RESULT_TYPE_ELEMENT_NOT_FOUND_BY_BARCODE, the answer a 2.0.3 server may give to
/// exactly this request; in 2.0.4 it is RESULT_TYPE_DEREGISTERED. It is read by the
/// VERSION of our request's header, which the answer repeats (spec §6 item 2).
fn refused(
    barcode: &str,
    version: Version,
    code: u32,
    text: &str,
) -> Result<NationalItem, ApiError> {
    match (code, version) {
        (18, Version::V203) => Ok(NationalItem::not_found(barcode)),
        (18, Version::V204) => Err(by_hand(format!(
            "the operator answered result 18, in protocol 2.0.4 \"the register is deregistered\" ({text}); run the link test to see the register's state"
        ))),
        _ => Err(by_hand(format!(
            "the operator refused the barcode lookup with result {code} ({text})"
        ))),
    }
}

fn from_response(barcode: &str, response: &v204::Response) -> Result<NationalItem, ApiError> {
    let Some(answer) = &response.nomenclature else {
        return Err(by_hand("the operator's answer carries no catalogue part"));
    };
    if answer.result == NomenclatureResultTypeEnum::ResultTypeElementNotFoundByBarcode as i32 {
        return Ok(NationalItem::not_found(barcode));
    }
    // A lookup answers one element; should a server send more, the one with our
    // barcode wins, else the first item.
    let mut items = answer
        .elements
        .iter()
        .filter(|e| e.r#type == ElementTypeEnum::Item as i32)
        .filter_map(|e| e.item.as_ref().map(|item| (e, item)));
    let wanted = gtin_key(barcode);
    let chosen = items
        .clone()
        .find(|(_, item)| item.barcode.as_deref().and_then(gtin_key) == wanted)
        .or_else(|| items.next());
    let Some((element, item)) = chosen else {
        // No version, "version is actual" or an empty list: nothing about this barcode.
        return Ok(NationalItem::not_found(barcode));
    };
    let name_ru = clean(&element.title, 128);
    let name_kk = clean(element.title_kk.as_deref().unwrap_or(""), 128);
    let unit = [
        item.measure_unit_code.as_deref(),
        item.measure_title.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find_map(MeasureUnit::parse);
    Ok(NationalItem {
        found: true,
        barcode: item
            .barcode
            .as_deref()
            .map(str::trim)
            .filter(|b| gtin_key(b).is_some())
            .unwrap_or(barcode)
            .to_string(),
        name_ru,
        name_kk,
        ntin: item.ntin.as_deref().and_then(|n| goods::ntin(n).ok()),
        unit: unit.map(|u| u.code().to_string()),
        weighted: item.measure_fractional.unwrap_or(false),
        marked: item.is_markedeac.unwrap_or(false),
        price_tiyn: item
            .sell_price
            .as_ref()
            .map(tiyn)
            .filter(|&t| t > 0 && t <= MAX_AMOUNT.tiyn()),
        article: item
            .article
            .as_deref()
            .map(|a| clean(a, 40))
            .filter(|a| !a.is_empty()),
    })
}

/// Saturating: the amount comes from the network and must never overflow.
fn tiyn(m: &v204::Money) -> i64 {
    i64::try_from(m.bills)
        .unwrap_or(i64::MAX)
        .saturating_mul(100)
        .saturating_add(i64::from(m.coins))
}

/// Trimmed, without control characters, at most `max` characters.
fn clean(text: &str, max: usize) -> String {
    let printable: String = text.chars().filter(|c| !c.is_control()).collect();
    printable
        .trim()
        .chars()
        .take(max)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// The number a GTIN spells, whatever its length: digits without leading zeros.
fn gtin_key(code: &str) -> Option<String> {
    let code = code.trim();
    (!code.is_empty() && code.len() <= 14 && code.bytes().all(|b| b.is_ascii_digit()))
        .then(|| code.trim_start_matches('0').to_string())
}

#[cfg(test)]
#[path = "nomenclature_tests.rs"]
mod tests;

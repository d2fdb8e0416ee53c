//! Marked goods at the till (R-100…R-102, devices.md §6.4): a marked item is sold
//! one scanned code per unit, each code parsed and matched to the item's GTIN, never
//! twice in a receipt and never while the journal says that unit is already sold; a
//! return of a marked unit needs the very code it was sold with.
//!
//! This module decides nothing about amounts and writes nothing: it checks codes and
//! hands back the normalised ones the receipt will carry. Whether an item is marked
//! comes from the catalogue; a catalogue that cannot be read does not stop a sale of
//! goods whose codes were scanned anyway.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use crate::core::{Core, State};
use crate::devices::marking::{MarkingCode, parse_marking};
use crate::devices::normalise::{ScannerSetup, normalise};
use crate::domain::receipt::Operation;
use crate::error::{ApiError, ErrorCode};
use crate::journal::record::LinePayload;

use super::dto::ItemIn;

/// Reads a code as the sale input carries it: scanner text, possibly with `<GS>` or
/// `\u001d` written out, or a substitute; the result keeps GS as `\u{1d}`.
fn read_code(line: usize, text: &str) -> Result<MarkingCode, ApiError> {
    let normalised = normalise(text, &ScannerSetup::default());
    parse_marking(&normalised.text)
        .map_err(|e| ApiError::new(ErrorCode::MarkingRequired, format!("line {line}: {e}")))
}

/// The checked codes of every sale line, in line order: what the receipt
/// stores and sends in `list_excise_stamp`.
pub(super) fn sale_codes(core: &Core, items: &[ItemIn]) -> Result<Vec<Vec<String>>, ApiError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut all = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let number = i + 1;
        let given = item.marks.as_deref().unwrap_or_default();
        let catalogued = catalogued(core, item);
        let marked = catalogued.as_ref().is_some_and(|g| g.fields.marked) || !given.is_empty();
        if !marked {
            all.push(Vec::new());
            continue;
        }
        let units = item.quantity_milli / 1000;
        if item.quantity_milli % 1000 != 0 || units as usize != given.len() {
            return Err(ApiError::new(
                ErrorCode::MarkingRequired,
                format!(
                    "line {number} '{}' is a marked item: scan the marking code (DataMatrix) of each unit; {} unit(s), {} code(s) scanned",
                    item.name.trim(),
                    item.quantity_milli as f64 / 1000.0,
                    given.len()
                ),
            ));
        }
        let mut codes = Vec::with_capacity(given.len());
        for text in given {
            let code = read_code(number, text)?;
            if let Some(goods) = &catalogued {
                super::scan::group_fits(goods, &code)?;
                let gtins = &goods.fields.barcodes;
                if !gtins.is_empty() && !gtins.contains(&code.gtin) {
                    return Err(ApiError::new(
                        ErrorCode::MarkingRequired,
                        format!(
                            "line {number}: the marking code is of another product (GTIN {}), not of '{}': scan the code on this unit",
                            code.gtin,
                            item.name.trim()
                        ),
                    ));
                }
            }
            if let Some(first) = seen.insert(code.identification(), number) {
                return Err(ApiError::new(
                    ErrorCode::MarkingDuplicate,
                    format!(
                        "line {number}: this marking code was already scanned on line {first}: each unit has its own code, scan the next unit"
                    ),
                ));
            }
            codes.push(code.raw);
        }
        all.push(codes);
    }
    Ok(all)
}

/// The catalogue item a sale line names (by article code, else by its barcode).
fn catalogued(core: &Core, item: &ItemIn) -> Option<crate::catalogue::Goods> {
    core.with_catalogue(|c| {
        if let Some(code) = item.goods_code.as_deref().filter(|c| !c.trim().is_empty()) {
            return Ok(c.by_code(code.trim())?);
        }
        match item
            .barcode
            .as_deref()
            .and_then(|b| crate::catalogue::goods::barcode_key(b).ok())
        {
            Some(key) => Ok(c.by_barcode(&key)?),
            None => Ok(None),
        }
    })
    .unwrap_or_else(|e| {
        tracing::warn!("catalogue unavailable while checking marks: {}", e.message);
        None
    })
}

/// The receipt that sold the unit with this identification, if the journal last saw
/// it sold (and not returned since).
fn sold_in(st: &State, ident: &str) -> Result<Option<i64>, ApiError> {
    Ok(st
        .store
        .conn()
        .prepare_cached(
            "SELECT operation, doc_no FROM mark WHERE ident = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(params![ident], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })
        .optional()?
        .filter(|(operation, _)| *operation == i64::from(Operation::Sell.code()))
        .map(|(_, doc)| doc))
}

/// Refuses codes of units this register already sold and has not taken back
/// (devices.md §6.3 step 6): selling one twice means a wrong scan or a copied code.
/// `st` must be caught up (`Core::lock_fresh`).
pub(super) fn not_sold_before(st: &State, codes: &[Vec<String>]) -> Result<(), ApiError> {
    for (i, line) in codes.iter().enumerate() {
        for code in line {
            let ident = crate::devices::marking::identification_of(code);
            if let Some(doc) = sold_in(st, &ident)? {
                return Err(ApiError::new(
                    ErrorCode::MarkingDuplicate,
                    format!(
                        "line {}: this unit was already sold on receipt {doc}: scan the code of the unit in hand; if it was returned, return it through that receipt first",
                        i + 1
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The codes a return of `units` of a marked original line carries: the ones scanned,
/// each of which must be on the original line and still sold (R-102: the unit goes
/// back into circulation only with its own code). `original_doc` is the receipt being
/// returned: a unit returned once and sold again belongs to its newer receipt.
pub(super) fn return_codes(
    st: &State,
    original_doc: i64,
    line_no: usize,
    original: &LinePayload,
    units_milli: i64,
    given: &[String],
) -> Result<Vec<String>, ApiError> {
    if original.marks.is_empty() {
        return Ok(Vec::new());
    }
    let units = (units_milli / 1000) as usize;
    if units_milli % 1000 != 0 || given.len() != units {
        return Err(ApiError::new(
            ErrorCode::MarkingRequired,
            format!(
                "line {line_no} '{}' is a marked item: scan the marking code of each unit returned; {units} unit(s), {} code(s) scanned",
                original.name,
                given.len()
            ),
        ));
    }
    let sold: HashMap<String, &String> = original
        .marks
        .iter()
        .map(|m| (crate::devices::marking::identification_of(m), m))
        .collect();
    let mut codes = Vec::with_capacity(units);
    for text in given {
        let code = read_code(line_no, text)?;
        let ident = code.identification();
        let Some(stored) = sold.get(&ident) else {
            return Err(ApiError::new(
                ErrorCode::MarkingRequired,
                format!(
                    "line {line_no}: this marking code was not sold on this line of the receipt: scan the code on the unit being returned"
                ),
            ));
        };
        if codes.contains(*stored) {
            return Err(ApiError::new(
                ErrorCode::MarkingDuplicate,
                format!("line {line_no}: this marking code was scanned twice: scan each unit once"),
            ));
        }
        match sold_in(st, &ident)? {
            Some(doc) if doc == original_doc => {}
            Some(doc) => {
                return Err(ApiError::new(
                    ErrorCode::MarkingDuplicate,
                    format!(
                        "line {line_no}: this unit was returned and sold again on receipt {doc}: return it through that receipt"
                    ),
                ));
            }
            None => {
                return Err(ApiError::new(
                    ErrorCode::MarkingDuplicate,
                    format!("line {line_no}: this unit has already been returned"),
                ));
            }
        }
        // The code goes back exactly as it was sold, whatever the scanner sent now.
        codes.push((*stored).clone());
    }
    Ok(codes)
}

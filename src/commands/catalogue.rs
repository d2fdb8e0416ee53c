//! Catalogue commands: find goods (by text, barcode, quick key), add, edit and archive
//! them, import and export CSV. Selling staff read; managers change.
//!
//! Nothing here touches the fiscal journal: the catalogue only fills the sale screen,
//! and a receipt keeps its own copy of what it sold.

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::catalogue::csv_io::{self, ImportOptions, ImportReport};
use crate::catalogue::{Goods, GoodsFields};
use crate::core::{Core, millis};
use crate::domain::vat::TaxTable;
use crate::error::ApiError;
use crate::users::Caller;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct SearchIn {
    /// Part of a name or code, or a whole barcode; everything when empty.
    pub text: String,
    /// At most this many (50 when absent, at most 500).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Archived goods too.
    #[serde(default)]
    pub archived: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct SearchOut {
    pub goods: Vec<Goods>,
    /// Goods in the catalogue (not archived), for "showing 50 of 12 000".
    pub total: i64,
}

pub fn search(core: &Core, _caller: &Caller, input: SearchIn) -> Result<SearchOut, ApiError> {
    let limit = input.limit.unwrap_or(50).clamp(1, 500) as usize;
    core.with_catalogue(|c| {
        Ok(SearchOut {
            goods: c.search(&input.text, limit, input.archived.unwrap_or(false))?,
            total: c.count()?,
        })
    })
}

pub fn quick_keys(
    core: &Core,
    _caller: &Caller,
    _input: super::Empty,
) -> Result<Vec<Goods>, ApiError> {
    core.with_catalogue(|c| Ok(c.quick_keys()?))
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct SaveIn {
    /// The item to change; a new item when absent.
    #[serde(default)]
    pub id: Option<i64>,
    pub goods: GoodsFields,
}

/// Adds or changes an item. Receipts already issued keep the price they were sold at:
/// they carry their own copy; the old price stays in the price history.
pub fn save(core: &Core, caller: &Caller, input: SaveIn) -> Result<Goods, ApiError> {
    let fields = input
        .goods
        .validate(&TaxTable::default())
        .map_err(ApiError::problems)?;
    let now = millis(core.now());
    core.with_catalogue(|c| Ok(c.save(input.id, &fields, &caller.name, now)?))
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ArchiveIn {
    pub id: i64,
    /// False restores an archived item.
    pub archived: bool,
}

pub fn archive(core: &Core, _caller: &Caller, input: ArchiveIn) -> Result<Goods, ApiError> {
    let now = millis(core.now());
    core.with_catalogue(|c| Ok(c.set_archived(input.id, input.archived, now)?))
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ImportIn {
    /// The file's bytes in base64: the file may be Windows-1251, not only UTF-8.
    pub content_base64: String,
    /// Check every row and write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Import the valid rows even when some are bad.
    #[serde(default)]
    pub valid_only: bool,
}

pub fn import(core: &Core, caller: &Caller, input: ImportIn) -> Result<ImportReport, ApiError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(input.content_base64.trim())
        .map_err(|e| {
            ApiError::validation(format!(
                "the file did not arrive whole ({e}): choose it again"
            ))
        })?;
    let now = millis(core.now());
    let options = ImportOptions {
        dry_run: input.dry_run,
        valid_only: input.valid_only,
    };
    core.with_catalogue(|c| {
        Ok(csv_io::import(
            c,
            &bytes,
            &TaxTable::default(),
            options,
            &caller.name,
            now,
        )?)
    })
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ExportOut {
    /// The CSV (UTF-8 with BOM, `;`-separated), as docs/catalogue-csv.md describes.
    pub csv: String,
    pub goods: i64,
}

pub fn export(core: &Core, _caller: &Caller, _input: super::Empty) -> Result<ExportOut, ApiError> {
    core.with_catalogue(|c| {
        let bytes = csv_io::export(c)?;
        Ok(ExportOut {
            csv: String::from_utf8_lossy(&bytes).into_owned(),
            goods: c.count()?,
        })
    })
}

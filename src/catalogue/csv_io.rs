//! CSV import and export of the catalogue: the columns of docs/catalogue-csv.md, in
//! UTF-8 (with or without BOM) or Windows-1251, separated by `;` or `,`.
//!
//! An import checks every row first and reports every fault with its line number. It
//! writes nothing unless every row is valid, or the caller asked to import the valid
//! rows only; either way the writing is one transaction, so a failure midway leaves
//! the catalogue as it was. It never touches the fiscal journal.

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::goods::GoodsFields;
use super::{Catalogue, CatalogueError};
use crate::domain::money::Money;
use crate::domain::vat::TaxTable;
use crate::problem::{Problem, ProblemKey};

/// The columns, in export order. `code`, `price` and one of the names are required.
pub const COLUMNS: &[&str] = &[
    "code",
    "name_kk",
    "name_ru",
    "price",
    "unit",
    "vat",
    "section",
    "barcodes",
    "ntin",
    "weighted",
    "marked",
    "age_restricted",
    "quick_key",
    "marking_group",
];

/// Headers that 1C and spreadsheet exports commonly carry, read as our columns.
fn column_of(header: &str) -> Option<&'static str> {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    let known = COLUMNS.iter().find(|c| **c == h).copied();
    known.or(match h.as_str() {
        "артикул" | "код" | "plu" => Some("code"),
        "атауы" | "name" => Some("name_kk"),
        "наименование" | "название" => Some("name_ru"),
        "баға" | "цена" => Some("price"),
        "өлшем бірлігі" | "единица" | "ед. изм." => Some("unit"),
        "ққс" | "ндс" | "vat_group" => Some("vat"),
        "бөлім" | "секция" | "отдел" => Some("section"),
        "штрихкод" | "штрихкоды" | "barcode" => Some("barcodes"),
        "нтин" | "нтин/ntin" => Some("ntin"),
        "товарная группа" | "тауар тобы" | "группа маркировки" => {
            Some("marking_group")
        }
        _ => None,
    })
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct RowError {
    /// The line in the file, from 1 (the header is line 1).
    pub line: u64,
    /// What is wrong, for the UI's sentence in Kazakh or Russian.
    pub key: ProblemKey,
    pub args: Vec<String>,
    /// The English sentence, for the command line and logs.
    pub message: String,
}

impl RowError {
    pub fn new(line: u64, problem: Problem) -> RowError {
        RowError {
            line,
            key: problem.key,
            args: problem.args,
            message: problem.message,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ImportReport {
    /// utf-8, utf-8 with BOM, or windows-1251.
    pub encoding: String,
    pub rows: u64,
    pub valid: u64,
    pub errors: Vec<RowError>,
    pub added: u64,
    pub updated: u64,
    /// False for a dry run, or when bad rows stopped the import.
    pub imported: bool,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Check only; write nothing.
    pub dry_run: bool,
    /// Import the valid rows even when others are bad.
    pub valid_only: bool,
}

/// The file's text and the name of its encoding. Windows-1251 has no Kazakh letters,
/// so such files come from Russian-only exports; anything that is not valid UTF-8 is
/// read as 1251, which maps every byte.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "utf-8 with BOM");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "utf-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1251.decode(bytes);
            (text.into_owned(), "windows-1251")
        }
    }
}

/// Every data row with its line number: the item, or what is wrong with it.
pub type Rows = Vec<(u64, Result<GoodsFields, Vec<Problem>>)>;

/// Reads and checks every row on its own (not yet against each other). A row whose
/// code is already in the catalogue starts from the stored item (`stored`), so a
/// column the file lacks keeps its value: a price list of code, name and price must not
/// clear an item's unit, barcodes or marking.
pub fn parse(
    text: &str,
    taxes: &TaxTable,
    stored: &dyn Fn(&str) -> Option<GoodsFields>,
) -> Result<Rows, Problem> {
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() >= first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            Problem::new(
                ProblemKey::HeaderUnreadable,
                [&e],
                format!("line 1: the header cannot be read: {e}"),
            )
        })?
        .clone();
    let mut columns = Vec::new();
    for header in headers.iter() {
        match column_of(header) {
            Some(c) if columns.contains(&Some(c)) => {
                return Err(Problem::new(
                    ProblemKey::ColumnTwice,
                    [c],
                    format!("line 1: the column '{c}' appears twice: keep one"),
                ));
            }
            Some(c) => columns.push(Some(c)),
            None if header.trim().is_empty() => columns.push(None),
            None => {
                let known = COLUMNS.join(", ");
                return Err(Problem::new(
                    ProblemKey::ColumnUnknown,
                    [header, &known],
                    format!("line 1: unknown column '{header}': use {known}"),
                ));
            }
        }
    }
    for needed in ["code", "price"] {
        if !columns.contains(&Some(needed)) {
            return Err(Problem::new(
                ProblemKey::ColumnMissing,
                [needed],
                format!("line 1: the column '{needed}' is missing"),
            ));
        }
    }
    if !columns.contains(&Some("name_kk")) && !columns.contains(&Some("name_ru")) {
        return Err(Problem::bare(
            ProblemKey::NameColumnMissing,
            "line 1: a name column is missing: add name_kk or name_ru",
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let problem = Problem::new(
                    ProblemKey::RowUnreadable,
                    [&e],
                    format!("the row cannot be read: {e}"),
                );
                rows.push((line, Err(vec![problem])));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows.push((line, row_fields(&columns, &record, taxes, stored)));
    }
    Ok(rows)
}

fn row_fields(
    columns: &[Option<&'static str>],
    record: &csv::StringRecord,
    taxes: &TaxTable,
    stored: &dyn Fn(&str) -> Option<GoodsFields>,
) -> Result<GoodsFields, Vec<Problem>> {
    let code = columns
        .iter()
        .zip(record.iter())
        .find(|(c, _)| **c == Some("code"))
        .map_or("", |(_, v)| v.trim());
    let mut f = stored(code).unwrap_or_default();
    let mut problems = Vec::new();
    if record.len() > columns.len() {
        problems.push(Problem::new(
            ProblemKey::RowFieldCount,
            [record.len(), columns.len()],
            format!(
                "the row has {} fields but the header {}: check the separators and quotes",
                record.len(),
                columns.len()
            ),
        ));
    }
    for (column, value) in columns.iter().zip(record.iter()) {
        let Some(column) = column else { continue };
        let value = value.trim();
        match *column {
            "code" => f.code = value.to_string(),
            "name_kk" => f.name_kk = value.to_string(),
            "name_ru" => f.name_ru = value.to_string(),
            "price" => match Money::parse_tenge(value) {
                Ok(m) => f.price_tiyn = m.tiyn(),
                Err(e) => problems.push(Problem::new(
                    ProblemKey::PriceUnreadable,
                    [value],
                    format!("price: {e}"),
                )),
            },
            "unit" => f.unit = value.to_string(),
            "vat" => f.vat_group = Some(value.to_string()),
            "section" => f.section = value.to_string(),
            "barcodes" => {
                f.barcodes = value
                    .split(|c: char| c == '|' || c.is_whitespace())
                    .filter(|b| !b.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            "ntin" => f.ntin = Some(value.to_string()),
            "marking_group" => f.marking_group = Some(value.to_string()),
            "weighted" | "marked" | "age_restricted" => match flag(value) {
                Some(on) => match *column {
                    "weighted" => f.weighted = on,
                    "marked" => f.marked = on,
                    _ => f.age_restricted = on,
                },
                None => problems.push(Problem::new(
                    ProblemKey::FlagUnreadable,
                    [column, value],
                    format!(
                        "{column}: '{value}' is not yes or no: write 1 or 0 (also да/нет, иә/жоқ)"
                    ),
                )),
            },
            _ => match value {
                "" => f.quick_key = None,
                v => match v.parse::<u32>() {
                    Ok(k) => f.quick_key = Some(k),
                    Err(_) => problems.push(Problem::new(
                        ProblemKey::QuickKeyUnreadable,
                        [v],
                        format!("quick_key: '{v}' is not a key number"),
                    )),
                },
            },
        }
    }
    match f.validate(taxes) {
        Ok(f) if problems.is_empty() => Ok(f),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

fn flag(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "" | "0" | "no" | "false" | "нет" | "жоқ" | "-" => Some(false),
        "1" | "yes" | "true" | "да" | "иә" | "+" => Some(true),
        _ => None,
    }
}

/// Checks the rows against each other and the catalogue, then (unless it is a dry run,
/// or bad rows remain without `valid_only`) writes them in one transaction.
pub fn import(
    catalogue: &mut Catalogue,
    bytes: &[u8],
    taxes: &TaxTable,
    options: ImportOptions,
    by_whom: &str,
    now_ms: i64,
) -> Result<ImportReport, CatalogueError> {
    let (text, encoding) = decode(bytes);
    let mut report = ImportReport {
        encoding: encoding.to_string(),
        ..ImportReport::default()
    };
    // A failed read of a stored item is kept and reported once the file is read.
    let failed = std::cell::RefCell::new(None);
    let stored = |code: &str| match catalogue.by_code(code) {
        Ok(found) => found.map(|g| g.fields),
        Err(e) => {
            failed.borrow_mut().get_or_insert(e);
            None
        }
    };
    let parsed = parse(&text, taxes, &stored);
    if let Some(e) = failed.into_inner() {
        return Err(e);
    }
    let mut rows = match parsed {
        Ok(rows) => rows,
        Err(message) => {
            report.errors.push(RowError::new(1, message));
            return Ok(report);
        }
    };
    report.rows = rows.len() as u64;
    cross_check(catalogue, &mut rows)?;
    for (line, row) in &rows {
        match row {
            Ok(_) => report.valid += 1,
            Err(problems) => report
                .errors
                .extend(problems.iter().map(|p| RowError::new(*line, p.clone()))),
        }
    }
    if options.dry_run || (!report.errors.is_empty() && !options.valid_only) {
        return Ok(report);
    }
    let tx = catalogue.conn().transaction()?;
    // Barcodes and quick keys may move between goods of this file: free them all
    // first, so the order of the rows does not matter.
    {
        let mut free = tx.prepare(
            "DELETE FROM barcodes WHERE goods_id = (SELECT id FROM goods WHERE code = ?1)",
        )?;
        let mut unkey = tx.prepare("UPDATE goods SET quick_key = NULL WHERE code = ?1")?;
        for (_, row) in &rows {
            if let Ok(f) = row {
                free.execute([&f.code])?;
                unkey.execute([&f.code])?;
            }
        }
    }
    let mut exists = tx.prepare("SELECT 1 FROM goods WHERE code = ?1")?;
    let who = format!("import by {by_whom}");
    for (_, row) in &rows {
        if let Ok(f) = row {
            if exists.exists([&f.code])? {
                report.updated += 1;
            } else {
                report.added += 1;
            }
            super::save_in(&tx, None, f, &who, now_ms)?;
        }
    }
    drop(exists);
    tx.commit()?;
    report.imported = true;
    Ok(report)
}

/// Codes, barcodes and quick keys must be unique across the file, and a barcode or
/// quick key of an item not in the file cannot be taken by one that is.
fn cross_check(catalogue: &Catalogue, rows: &mut Rows) -> Result<(), CatalogueError> {
    let in_file: std::collections::HashSet<String> = rows
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok().map(|f| f.code.clone()))
        .collect();
    let mut codes: HashMap<String, u64> = HashMap::new();
    let mut barcodes: HashMap<String, u64> = HashMap::new();
    let mut keys: HashMap<u32, u64> = HashMap::new();
    let mut holder = catalogue.conn.prepare(
        "SELECT g.code FROM barcodes b JOIN goods g ON g.id = b.goods_id WHERE b.code = ?1",
    )?;
    let mut key_holder = catalogue
        .conn
        .prepare("SELECT code FROM goods WHERE quick_key = ?1")?;
    for (line, row) in rows.iter_mut() {
        let Ok(f) = row else { continue };
        let mut problems = Vec::new();
        if let Some(first) = codes.insert(f.code.clone(), *line) {
            problems.push(Problem::new(
                ProblemKey::CodeRepeated,
                [f.code.clone(), first.to_string()],
                format!(
                    "the code {} is also on line {first}: each item once",
                    f.code
                ),
            ));
        }
        for code in &f.barcodes {
            if let Some(first) = barcodes.insert(code.clone(), *line) {
                problems.push(Problem::new(
                    ProblemKey::BarcodeRepeated,
                    [code.clone(), first.to_string()],
                    format!("barcode {code} is also on line {first}: a barcode names one item"),
                ));
            } else if let Some(owner) = holder
                .query_row([code], |r| r.get::<_, String>(0))
                .optional()?
                && owner != f.code
                && !in_file.contains(&owner)
            {
                problems.push(Problem::new(
                    ProblemKey::BarcodeTakenInCatalogue,
                    [code, &owner],
                    format!(
                        "barcode {code} belongs to item {owner} in the catalogue: remove it there or add that item to the file"
                    ),
                ));
            }
        }
        if let Some(key) = f.quick_key {
            if let Some(first) = keys.insert(key, *line) {
                problems.push(Problem::new(
                    ProblemKey::QuickKeyRepeated,
                    [key.to_string(), first.to_string()],
                    format!("quick key {key} is also on line {first}"),
                ));
            } else if let Some(owner) = key_holder
                .query_row([key], |r| r.get::<_, String>(0))
                .optional()?
                && owner != f.code
                && !in_file.contains(&owner)
            {
                problems.push(Problem::new(
                    ProblemKey::QuickKeyTakenInCatalogue,
                    [key.to_string(), owner.clone()],
                    format!("quick key {key} holds item {owner}: free it or choose another"),
                ));
            }
        }
        if !problems.is_empty() {
            *row = Err(problems);
        }
    }
    Ok(())
}

/// The whole catalogue as CSV: UTF-8 with BOM (so spreadsheet programs read Kazakh
/// letters right) and `;` (what they expect where the decimal mark is a comma).
pub fn export(catalogue: &Catalogue) -> Result<Vec<u8>, CatalogueError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        let fail = |e: csv::Error| CatalogueError::Invalid(format!("the export failed: {e}"));
        writer.write_record(COLUMNS).map_err(fail)?;
        for item in catalogue.all()?.iter().filter(|g| !g.archived) {
            let f = &item.fields;
            let yes = |b: bool| if b { "1" } else { "0" };
            writer
                .write_record([
                    f.code.as_str(),
                    &f.name_kk,
                    &f.name_ru,
                    &Money::from_tiyn(f.price_tiyn).to_string(),
                    &f.unit,
                    f.vat_group.as_deref().unwrap_or(""),
                    &f.section,
                    &f.barcodes.join("|"),
                    f.ntin.as_deref().unwrap_or(""),
                    yes(f.weighted),
                    yes(f.marked),
                    yes(f.age_restricted),
                    &f.quick_key.map(|k| k.to_string()).unwrap_or_default(),
                    f.marking_group.as_deref().unwrap_or(""),
                ])
                .map_err(fail)?;
        }
        writer
            .flush()
            .map_err(|e| CatalogueError::Invalid(format!("the export failed: {e}")))?;
    }
    Ok(out)
}

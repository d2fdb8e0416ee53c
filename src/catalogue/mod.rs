//! The shop's catalogue: goods, barcodes, quick keys, price history, in its own SQLite
//! file (`catalogue.sqlite`) beside the fiscal journal, with its own forward-only
//! migrations (`migrations/catalogue/`).
//!
//! It works fully offline and is not fiscal: a receipt copies name, price and codes
//! into the journal, so nothing done here (a price change, archiving, a whole new
//! import) can alter an issued receipt. This module must never write to the journal,
//! and the journal never depends on it: a broken catalogue stops scanning, not selling.

pub mod bench;
pub mod csv_io;
pub mod goods;
#[cfg(test)]
mod tests;

use crate::problem::{Problem, ProblemKey};
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, params};

pub use goods::{Goods, GoodsFields};

use crate::journal::migrate::{MigrationError, apply_set};

pub const DB_FILE: &str = "catalogue.sqlite";

/// The demo shop's goods (demo/catalogue.csv): Kazakh and Russian names, weighed goods
/// with label-scale PLUs 1–7, marked tobacco, beer, oil, shoes and medicine, quick keys.
pub const DEMO_CSV: &[u8] = include_bytes!("../../demo/catalogue.csv");

pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_goods.sql",
        include_str!("../../migrations/catalogue/0001_goods.sql"),
    ),
    (
        "0002_marking_group.sql",
        include_str!("../../migrations/catalogue/0002_marking_group.sql"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("the catalogue cannot be opened: {0}")]
    Migration(#[from] MigrationError),
    #[error("the catalogue database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("no item with id {0}: reload the list, it may have been changed elsewhere")]
    NoSuchId(i64),
    #[error("{0}")]
    Invalid(String),
    /// What a person gave is wrong, each problem worded for the UI too.
    #[error("{}", crate::problem::joined(.0))]
    Problems(Vec<Problem>),
}

impl From<Problem> for CatalogueError {
    fn from(p: Problem) -> CatalogueError {
        CatalogueError::Problems(vec![p])
    }
}

pub struct Catalogue {
    conn: Connection,
}

const COLUMNS: &str = "id, code, name_kk, name_ru, price, unit, vat_group, section, ntin, \
                       weighted, marked, age_restricted, quick_key, archived, marking_group";

impl Catalogue {
    pub fn open(dir: &Path) -> Result<Catalogue, CatalogueError> {
        let mut conn = Connection::open(dir.join(DB_FILE))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        apply_set(&mut conn, MIGRATIONS)?;
        Ok(Catalogue { conn })
    }

    pub(crate) fn conn(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub fn count(&self) -> Result<i64, CatalogueError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM goods WHERE archived = 0", [], |r| {
                r.get(0)
            })?)
    }

    pub fn get(&self, id: i64) -> Result<Goods, CatalogueError> {
        let sql = format!("SELECT {COLUMNS} FROM goods WHERE id = ?1");
        let item = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], read_goods)
            .optional()?
            .ok_or(CatalogueError::NoSuchId(id))?;
        self.with_barcodes(item)
    }

    pub fn by_code(&self, code: &str) -> Result<Option<Goods>, CatalogueError> {
        let sql = format!("SELECT {COLUMNS} FROM goods WHERE code = ?1");
        let item = self
            .conn
            .prepare_cached(&sql)?
            .query_row([code], read_goods)
            .optional()?;
        item.map(|g| self.with_barcodes(g)).transpose()
    }

    /// The item a barcode key (see [`goods::barcode_key`]) belongs to, archived or not.
    pub fn by_barcode(&self, key: &str) -> Result<Option<Goods>, CatalogueError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM goods WHERE id = (SELECT goods_id FROM barcodes WHERE code = ?1)"
        );
        let item = self
            .conn
            .prepare_cached(&sql)?
            .query_row([key], read_goods)
            .optional()?;
        item.map(|g| self.with_barcodes(g)).transpose()
    }

    /// The weighed item a label scale's PLU names (devices.md §5.7).
    pub fn by_plu(&self, plu: &str) -> Result<Option<Goods>, CatalogueError> {
        let Some(plu) = goods::plu_of(plu) else {
            return Ok(None);
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM goods WHERE plu = ?1 ORDER BY archived, weighted DESC LIMIT 1"
        );
        let item = self
            .conn
            .prepare_cached(&sql)?
            .query_row([plu], read_goods)
            .optional()?;
        item.map(|g| self.with_barcodes(g)).transpose()
    }

    /// Goods whose names or code contain `text` (any case), exact code and barcode
    /// matches first; archived goods only when asked for.
    pub fn search(
        &self,
        text: &str,
        limit: usize,
        archived: bool,
    ) -> Result<Vec<Goods>, CatalogueError> {
        let needle = text.trim().to_lowercase();
        // A shop's Code 128 label is stored as printed: look it up as typed, not lower-cased.
        let key = goods::barcode_key(text).unwrap_or_else(|_| text.trim().to_string());
        let sql = format!(
            "SELECT {COLUMNS} FROM goods
             WHERE (?4 OR archived = 0)
               AND (?1 = '' OR instr(search_text, ?1) > 0
                    OR id IN (SELECT goods_id FROM barcodes WHERE code = ?2))
             ORDER BY (lower(code) = ?1) DESC, archived, name_ru
             LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let found = stmt
            .query_map(params![needle, key, limit as i64, archived], read_goods)?
            .collect::<Result<Vec<_>, _>>()?;
        found.into_iter().map(|g| self.with_barcodes(g)).collect()
    }

    /// The sale screen's quick keys, in key order.
    pub fn quick_keys(&self) -> Result<Vec<Goods>, CatalogueError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM goods WHERE quick_key IS NOT NULL AND archived = 0 ORDER BY quick_key"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let found = stmt
            .query_map([], read_goods)?
            .collect::<Result<Vec<_>, _>>()?;
        found.into_iter().map(|g| self.with_barcodes(g)).collect()
    }

    /// Adds an item (`id` None) or replaces one, with its barcodes; a price change is
    /// kept in `price_changes` with who made it. `fields` must be validated.
    pub fn save(
        &mut self,
        id: Option<i64>,
        fields: &GoodsFields,
        by_whom: &str,
        now_ms: i64,
    ) -> Result<Goods, CatalogueError> {
        let tx = self.conn.transaction()?;
        // A new item never takes over another by its code: only an import (which
        // names the items it updates by code) replaces goods that way.
        if id.is_none()
            && tx
                .prepare_cached("SELECT 1 FROM goods WHERE code = ?1")?
                .exists([&fields.code])?
        {
            return Err(code_taken(&fields.code));
        }
        let id = save_in(&tx, id, fields, by_whom, now_ms)?;
        tx.commit()?;
        self.get(id)
    }

    /// Archives (or restores) an item: it leaves the sale screen and the scanner's
    /// reach but stays for reports, returns and a later restore.
    pub fn set_archived(
        &mut self,
        id: i64,
        archived: bool,
        now_ms: i64,
    ) -> Result<Goods, CatalogueError> {
        let changed = self.conn.execute(
            "UPDATE goods SET archived = ?2, quick_key = CASE WHEN ?2 THEN NULL ELSE quick_key END,
                    updated_at = ?3 WHERE id = ?1",
            params![id, archived, now_ms],
        )?;
        if changed == 0 {
            return Err(CatalogueError::NoSuchId(id));
        }
        self.get(id)
    }

    /// Every item (archived ones too), ordered by code: what the CSV export writes.
    pub fn all(&self) -> Result<Vec<Goods>, CatalogueError> {
        let mut codes: std::collections::HashMap<i64, Vec<String>> = Default::default();
        let mut stmt = self
            .conn
            .prepare("SELECT goods_id, code FROM barcodes ORDER BY goods_id, code")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, code) = row?;
            codes.entry(id).or_default().push(code);
        }
        let sql = format!("SELECT {COLUMNS} FROM goods ORDER BY code");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut all = stmt
            .query_map([], read_goods)?
            .collect::<Result<Vec<_>, _>>()?;
        for item in &mut all {
            item.fields.barcodes = codes.remove(&item.id).unwrap_or_default();
        }
        Ok(all)
    }

    /// A till preference (scanner setup, label-scale layouts), if it was ever set.
    pub fn preference(&self, name: &str) -> Result<Option<String>, CatalogueError> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM preferences WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }

    /// Sets the preferences together: one transaction, so a failure midway leaves
    /// every one as it was (a scanner set up half new, half old misreads codes).
    pub fn set_preferences(&mut self, values: &[(&str, &str)]) -> Result<(), CatalogueError> {
        let tx = self.conn.transaction()?;
        {
            let mut set = tx.prepare_cached(
                "INSERT INTO preferences (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )?;
            for (name, value) in values {
                set.execute(params![name, value])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn with_barcodes(&self, mut item: Goods) -> Result<Goods, CatalogueError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code FROM barcodes WHERE goods_id = ?1 ORDER BY code")?;
        item.fields.barcodes = stmt
            .query_map([item.id], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(item)
    }
}

/// The writing half of [`Catalogue::save`], inside the caller's transaction so an
/// import of many rows commits once.
pub(crate) fn save_in(
    tx: &rusqlite::Transaction<'_>,
    id: Option<i64>,
    f: &GoodsFields,
    by_whom: &str,
    now_ms: i64,
) -> Result<i64, CatalogueError> {
    let old: Option<(i64, i64)> = match id {
        Some(id) => Some(
            tx.query_row("SELECT id, price FROM goods WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .ok_or(CatalogueError::NoSuchId(id))?,
        ),
        None => tx
            .query_row(
                "SELECT id, price FROM goods WHERE code = ?1",
                [&f.code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
    };
    if let Some(key) = f.quick_key {
        let holder: Option<String> = tx
            .query_row(
                "SELECT code FROM goods WHERE quick_key = ?1 AND id IS NOT ?2",
                params![key, old.map(|o| o.0)],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(holder) = holder {
            return Err(Problem::new(
                ProblemKey::QuickKeyTaken,
                [key.to_string(), holder.clone()],
                format!(
                    "quick key {key} already holds item {holder}: free it first or choose another key"
                ),
            )
            .into());
        }
    }
    let values = params![
        f.code,
        f.plu(),
        f.name_kk,
        f.name_ru,
        f.search_text(),
        f.price_tiyn,
        f.unit,
        f.vat_group,
        f.section,
        f.ntin,
        f.weighted,
        f.marked,
        f.age_restricted,
        f.quick_key,
        now_ms,
        f.marking_group,
    ];
    let id = match old {
        Some((id, _)) => {
            let clash: Option<i64> = tx
                .query_row(
                    "SELECT id FROM goods WHERE code = ?1 AND id <> ?2",
                    params![f.code, id],
                    |r| r.get(0),
                )
                .optional()?;
            if clash.is_some() {
                return Err(code_taken(&f.code));
            }
            tx.prepare_cached(
                "UPDATE goods SET code = ?1, plu = ?2, name_kk = ?3, name_ru = ?4, search_text = ?5,
                        price = ?6, unit = ?7, vat_group = ?8, section = ?9, ntin = ?10, weighted = ?11,
                        marked = ?12, age_restricted = ?13, quick_key = ?14, updated_at = ?15,
                        marking_group = ?16
                 WHERE id = ?17",
            )?
            .execute(rusqlite::params_from_iter(
                values.iter().copied().chain(std::iter::once(&id as &dyn rusqlite::ToSql)),
            ))?;
            id
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO goods (code, plu, name_kk, name_ru, search_text, price, unit, vat_group,
                        section, ntin, weighted, marked, age_restricted, quick_key, updated_at,
                        marking_group)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(values)?;
            tx.last_insert_rowid()
        }
    };
    if old.map(|o| o.1) != Some(f.price_tiyn) {
        tx.prepare_cached(
            "INSERT INTO price_changes (goods_id, at, by_whom, old, new) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![id, now_ms, by_whom, old.map(|o| o.1), f.price_tiyn])?;
    }
    tx.prepare_cached("DELETE FROM barcodes WHERE goods_id = ?1")?
        .execute([id])?;
    for code in &f.barcodes {
        let holder: Option<String> = tx
            .prepare_cached(
                "SELECT g.code FROM barcodes b JOIN goods g ON g.id = b.goods_id WHERE b.code = ?1",
            )?
            .query_row([code], |r| r.get(0))
            .optional()?;
        if let Some(holder) = holder {
            return Err(Problem::new(
                ProblemKey::BarcodeTaken,
                [code, &holder],
                format!("barcode {code} already belongs to item {holder}: remove it there first"),
            )
            .into());
        }
        tx.prepare_cached("INSERT INTO barcodes (code, goods_id) VALUES (?1, ?2)")?
            .execute(params![code, id])?;
    }
    Ok(id)
}

fn code_taken(code: &str) -> CatalogueError {
    Problem::new(
        ProblemKey::CodeTaken,
        [code],
        format!("another item already has the code {code}: give this one its own code"),
    )
    .into()
}

fn read_goods(r: &Row<'_>) -> rusqlite::Result<Goods> {
    Ok(Goods {
        id: r.get(0)?,
        fields: GoodsFields {
            code: r.get(1)?,
            name_kk: r.get(2)?,
            name_ru: r.get(3)?,
            price_tiyn: r.get(4)?,
            unit: r.get(5)?,
            vat_group: r.get(6)?,
            section: r.get(7)?,
            ntin: r.get(8)?,
            barcodes: Vec::new(),
            weighted: r.get(9)?,
            marked: r.get(10)?,
            age_restricted: r.get(11)?,
            quick_key: r.get(12)?,
            marking_group: r.get(14)?,
        },
        archived: r.get(13)?,
    })
}

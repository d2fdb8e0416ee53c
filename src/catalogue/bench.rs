//! `sauda bench --catalogue`: how a large shop's catalogue behaves, for the README.
//!
//! 1. The CSV import of generated goods (Kazakh and Russian names, weighed and marked
//!    goods, 1–2 EAN-13 each, NTINs) into a new catalogue.
//! 2. Barcode lookups as a scan makes them, each timed, against a bare prepared
//!    `SELECT` on the same file measured in the same run (the ratio of the p99s).
//! 3. The cashier's name search, for information.
//!
//! It builds its catalogue in a folder that must be new or empty, and refuses any
//! other: it must never touch a shop's catalogue or journal.

use std::path::Path;
use std::time::Instant;

use rusqlite::Connection;
use serde::Serialize;

use super::csv_io::{self, ImportOptions};
use super::{Catalogue, CatalogueError, DB_FILE};
use crate::devices::barcode::gs1_check_digit;
use crate::domain::vat::TaxTable;

#[derive(Clone, Debug, Serialize)]
pub struct CatalogueBench {
    pub goods: usize,
    pub barcodes: usize,
    pub csv_bytes: usize,
    pub import_seconds: f64,
    pub lookups: usize,
    pub lookup_p50_us: f64,
    pub lookup_p99_us: f64,
    pub lookup_max_us: f64,
    /// The same keys through a bare prepared `SELECT goods_id FROM barcodes`.
    pub baseline_p50_us: f64,
    pub baseline_p99_us: f64,
    pub baseline_max_us: f64,
    pub lookup_p99_ratio: f64,
    pub searches: usize,
    /// Goods the search for "сүт" returned (at most 20).
    pub search_hits: usize,
    pub search_p50_ms: f64,
    pub search_p99_ms: f64,
}

const LOOKUPS: usize = 20_000;
const SEARCH: &str = "сүт";

/// Builds a catalogue of `goods` items in `dir` (new or empty) and measures it.
pub fn run(dir: &Path, goods: usize) -> Result<CatalogueBench, CatalogueError> {
    let folder = |e: std::io::Error| {
        CatalogueError::Invalid(format!("the folder {} cannot be used: {e}", dir.display()))
    };
    if dir.exists() && std::fs::read_dir(dir).map_err(folder)?.next().is_some() {
        return Err(CatalogueError::Invalid(format!(
            "{} is not empty: the benchmark builds its own catalogue, so give --data a new or empty folder",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(folder)?;
    let (csv, keys) = generate(goods)?;

    let mut catalogue = Catalogue::open(dir)?;
    let started = Instant::now();
    let report = csv_io::import(
        &mut catalogue,
        &csv,
        &TaxTable::default(),
        ImportOptions::default(),
        "bench",
        crate::core::millis(time::OffsetDateTime::now_utc()),
    )?;
    let import_seconds = started.elapsed().as_secs_f64();
    if !report.imported || report.added != goods as u64 {
        let first = report
            .errors
            .first()
            .map(|e| format!("line {}: {}", e.line, e.message));
        return Err(CatalogueError::Invalid(format!(
            "the generated catalogue did not import whole ({} of {goods} added; {})",
            report.added,
            first.unwrap_or_default()
        )));
    }

    // Lookups and the baseline alternate key by key, so both see the same page cache.
    let plain = Connection::open(dir.join(DB_FILE))?;
    let mut bare = plain.prepare("SELECT goods_id FROM barcodes WHERE code = ?1")?;
    let mut dice = Dice(0x5a0d_a2026);
    let (mut ours, mut base) = (Vec::with_capacity(LOOKUPS), Vec::with_capacity(LOOKUPS));
    for round in 0..LOOKUPS + 1_000 {
        let key = &keys[dice.below(keys.len())];
        let t = Instant::now();
        let found = catalogue.by_barcode(key)?;
        let ours_us = t.elapsed().as_secs_f64() * 1e6;
        let t = Instant::now();
        let id: i64 = bare.query_row([key], |r| r.get(0))?;
        let base_us = t.elapsed().as_secs_f64() * 1e6;
        if found.map(|g| g.id) != Some(id) {
            return Err(CatalogueError::Invalid(format!(
                "barcode {key} was not found: the benchmark's catalogue is inconsistent"
            )));
        }
        // The first thousand warm the caches and are not counted.
        if round >= 1_000 {
            ours.push(ours_us);
            base.push(base_us);
        }
    }

    let searches = if goods >= 100_000 { 100 } else { 30 };
    let mut search_ms = Vec::with_capacity(searches);
    let mut search_hits = 0;
    for _ in 0..searches {
        let t = Instant::now();
        search_hits = catalogue.search(SEARCH, 20, false)?.len();
        search_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }

    let (ours, base, search_ms) = (sorted(ours), sorted(base), sorted(search_ms));
    Ok(CatalogueBench {
        goods,
        barcodes: keys.len(),
        csv_bytes: csv.len(),
        import_seconds,
        lookups: ours.len(),
        lookup_p50_us: quantile(&ours, 0.50),
        lookup_p99_us: quantile(&ours, 0.99),
        lookup_max_us: quantile(&ours, 1.0),
        baseline_p50_us: quantile(&base, 0.50),
        baseline_p99_us: quantile(&base, 0.99),
        baseline_max_us: quantile(&base, 1.0),
        lookup_p99_ratio: quantile(&ours, 0.99) / quantile(&base, 0.99).max(1e-9),
        searches,
        search_hits,
        search_p50_ms: quantile(&search_ms, 0.50),
        search_p99_ms: quantile(&search_ms, 0.99),
    })
}

pub fn print(b: &CatalogueBench) {
    println!(
        "import of {} goods ({} barcodes, {:.1} MB of CSV): {:.2} s (goal: under 10 s)",
        b.goods,
        b.barcodes,
        b.csv_bytes as f64 / 1e6,
        b.import_seconds
    );
    println!(
        "barcode lookup, as a scan (by_barcode), {} keys: p50 {:.1} µs, p99 {:.1} µs, max {:.0} µs",
        b.lookups, b.lookup_p50_us, b.lookup_p99_us, b.lookup_max_us
    );
    println!(
        "bare prepared SELECT on the same file (baseline):   p50 {:.1} µs, p99 {:.1} µs, max {:.0} µs",
        b.baseline_p50_us, b.baseline_p99_us, b.baseline_max_us
    );
    println!(
        "  p99 ratio {:.1} (goal: p99 under 1 ms)",
        b.lookup_p99_ratio
    );
    println!(
        "name search \"{SEARCH}\" (substring, 20 results, {} hits): p50 {:.1} ms, p99 {:.1} ms",
        b.search_hits, b.search_p50_ms, b.search_p99_ms
    );
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// The value below which `q` of the sorted samples lie (1.0 is the maximum).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[i - 1]
}

/// A fixed-seed SplitMix64: the same catalogue every run, without a dependency.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Packaged goods: Kazakh name, Russian name, section.
const PACKED: &[(&str, &str, &str)] = &[
    ("Сүт", "Молоко", "Сүт өнімдері"),
    ("Айран", "Айран", "Сүт өнімдері"),
    ("Қаймақ", "Сметана", "Сүт өнімдері"),
    ("Ірімшік", "Сыр", "Сүт өнімдері"),
    ("Сары май", "Масло сливочное", "Сүт өнімдері"),
    ("Шұбат", "Шубат", "Сүт өнімдері"),
    ("Нан", "Хлеб", "Нан"),
    ("Ұн", "Мука", "Азық-түлік"),
    ("Қант", "Сахар", "Азық-түлік"),
    ("Күріш", "Рис", "Азық-түлік"),
    ("Макарон", "Макароны", "Азық-түлік"),
    ("Шай", "Чай", "Азық-түлік"),
    ("Кофе", "Кофе", "Азық-түлік"),
    ("Құрт", "Курт", "Азық-түлік"),
    ("Шоколад", "Шоколад", "Тәтті"),
    ("Кәмпит", "Конфеты", "Тәтті"),
    ("Печенье", "Печенье", "Тәтті"),
    ("Шырын", "Сок", "Сусындар"),
    ("Су", "Вода", "Сусындар"),
    ("Сабын", "Мыло", "Тұрмыстық химия"),
    ("Тіс пастасы", "Зубная паста", "Тұрмыстық химия"),
];
/// Sold by weight, in kilograms.
const WEIGHED: &[(&str, &str, &str)] = &[
    ("Алма", "Яблоки", "Көкөніс"),
    ("Картоп", "Картофель", "Көкөніс"),
    ("Қызанақ", "Помидоры", "Көкөніс"),
    ("Сиыр еті", "Говядина", "Ет"),
    ("Қазы", "Казы", "Ет"),
    ("Ірімшік салмақпен", "Сыр весовой", "Сүт өнімдері"),
];
/// Marked goods, sold one code per unit; the flag says whether age is checked.
const MARKED: &[(&str, &str, &str, bool)] = &[
    ("Темекі", "Сигареты", "Темекі", true),
    ("Сыра", "Пиво", "Сусындар", true),
    ("Аяқ киім", "Обувь", "Аяқ киім", false),
];
const BRANDS: &[&str] = &[
    "Фудмастер",
    "Ақбидай",
    "Рахат",
    "Баян Сулу",
    "Tassay",
    "Moloko",
    "Пиала",
    "Сарыарқа",
    "Алтын Дән",
    "Шымкентпиво",
    "Жетісу",
    "Emir",
];
const SIZES: &[&str] = &[
    "0,5 л",
    "1 л",
    "1,5 л",
    "200 г",
    "500 г",
    "900 г",
    "1 кг",
    "10 дана",
];
/// Country prefixes of the EAN-13s: Kazakhstan, Russia, Uzbekistan, Kyrgyzstan.
const PREFIXES: &[&str] = &["487", "460", "478", "470"];

/// The CSV of `goods` items and every barcode's lookup key (GTIN-14).
fn generate(goods: usize) -> Result<(Vec<u8>, Vec<String>), CatalogueError> {
    let fail = |e: csv::Error| CatalogueError::Invalid(format!("the benchmark CSV failed: {e}"));
    let mut dice = Dice(2026);
    let mut keys = Vec::with_capacity(goods * 3 / 2);
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::with_capacity(goods * 200));
    out.write_record(csv_io::COLUMNS).map_err(fail)?;
    for i in 0..goods {
        let roll = dice.below(100);
        let brand = dice.pick(BRANDS);
        let (kk, ru, unit, section, weighted, marked, adult) = if roll < 3 {
            let (kk, ru, section, adult) = *dice.pick(MARKED);
            (kk, ru, "шт", section, false, true, adult)
        } else if roll < 11 {
            let (kk, ru, section) = *dice.pick(WEIGHED);
            (kk, ru, "кг", section, true, false, false)
        } else {
            let (kk, ru, section) = *dice.pick(PACKED);
            (kk, ru, "шт", section, false, false, false)
        };
        // A size for packed goods, and a variant number that keeps names apart.
        let size = if weighted {
            String::new()
        } else {
            format!(" {}", dice.pick(SIZES))
        };
        let variant = i % 97;
        let name_kk = format!("{kk} «{brand}»{size} №{variant}");
        let name_ru = format!("{ru} «{brand}»{size} №{variant}");
        let price = format!(
            "{}.{:02}",
            50 + dice.below(15_000),
            [0, 50, 90][dice.below(3)]
        );
        let mut codes = Vec::new();
        for j in 0..1 + usize::from(dice.below(10) < 3) {
            // Unique by construction: item and slot number in the nine middle digits.
            let data = format!("{}{:09}", dice.pick(PREFIXES), i * 2 + j);
            let check = gs1_check_digit(&data).unwrap_or(0);
            keys.push(format!("0{data}{check}"));
            codes.push(format!("{data}{check}"));
        }
        let ntin = if dice.below(10) < 6 {
            format!("02{:012}", i + 1)
        } else {
            String::new()
        };
        let vat = ["16", "16", "16", "", "exempt"][dice.below(5)];
        let yes = |b: bool| if b { "1" } else { "0" };
        let quick_key = if i < 48 {
            (i + 1).to_string()
        } else {
            String::new()
        };
        out.write_record([
            format!("{:06}", i + 1).as_str(),
            &name_kk,
            &name_ru,
            &price,
            unit,
            vat,
            section,
            &codes.join("|"),
            &ntin,
            yes(weighted),
            yes(marked),
            yes(adult),
            &quick_key,
            // Marked benchmark goods carry no group: any marking code fits them.
            "",
        ])
        .map_err(fail)?;
    }
    let csv = out
        .into_inner()
        .map_err(|e| CatalogueError::Invalid(format!("the benchmark CSV failed: {e}")))?;
    Ok((csv, keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_catalogue_imports_whole_and_every_figure_is_filled() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("b");
        let b = run(&dir, 300).expect("bench");
        assert_eq!(b.goods, 300);
        assert!(b.barcodes >= 300, "{b:?}");
        assert_eq!(b.lookups, LOOKUPS);
        assert!(b.lookup_p50_us > 0.0 && b.lookup_p99_us >= b.lookup_p50_us);
        assert!(b.lookup_max_us >= b.lookup_p99_us && b.baseline_p99_us > 0.0);
        assert!(b.search_hits > 0, "some names hold сүт: {b:?}");
        // The folder now holds a catalogue: a second run refuses it.
        let again = run(&dir, 300).expect_err("a used folder");
        assert!(again.to_string().contains("not empty"), "{again}");
    }

    #[test]
    fn generated_barcodes_are_valid_unique_gtins() {
        let (csv, keys) = generate(500).expect("csv");
        let mut seen = std::collections::HashSet::new();
        for key in &keys {
            assert_eq!(
                crate::catalogue::goods::barcode_key(key).as_deref(),
                Ok(key.as_str())
            );
            assert!(seen.insert(key), "{key} twice");
        }
        let text = String::from_utf8(csv).expect("utf-8");
        assert!(
            text.lines()
                .any(|l| l.contains(";кг;") && l.contains(";1;0;0;"))
        );
        assert!(
            text.lines()
                .any(|l| l.contains("Темекі") && l.contains(";0;1;1;"))
        );
    }

    #[test]
    fn quantiles_of_sorted_samples() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), 50.0);
        assert_eq!(quantile(&v, 0.99), 99.0);
        assert_eq!(quantile(&v, 1.0), 100.0);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }
}

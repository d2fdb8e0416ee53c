//! `sauda bench`: the accumulator's speed, each figure next to a baseline measured in
//! the same run on the same disk (../shared/research/limits.md explains why).
//!
//! 1. Durable sales through `dispatch`, one receipt per transaction, against raw
//!    one-row SQLite commits with the same settings (WAL, synchronous=FULL).
//! 2. `verify` of a large journal against the raw HMAC-SHA256 of the same records.
//! 3. The X report of a 10,000-receipt shift against a bare `SELECT` aggregate.
//!
//! Everything happens in a temporary folder; no register of the user is touched.

use std::sync::Arc;
use std::time::Instant;

use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::{Value, json};

use crate::commands::dispatch;
use crate::core::{Core, InitInput};
use crate::error::{ApiError, ErrorCode};
use crate::journal::chain::{GENESIS, RecordFields};
use crate::journal::keys::{KeyStoreKind, KeyStorePreference};
use crate::journal::record::{RecordKind, UserRef, ZReportPayload};
use crate::journal::report::ShiftReport;
use crate::journal::{Placement, Store};
use crate::ports::SystemClock;

#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    pub raw_commits_per_s: f64,
    pub sales_per_s: f64,
    pub sale_ratio: f64,
    pub verify_records: i64,
    pub verify_seconds: f64,
    pub hmac_seconds: f64,
    /// The same check forced onto one thread, for comparison with the one-thread HMAC.
    pub verify_one_thread_seconds: f64,
    pub verify_ratio: f64,
    pub report_receipts: i64,
    pub x_report_ms: f64,
    pub select_baseline_ms: f64,
    pub report_ratio: f64,
    /// Per Z: the records its integrity check went through, and its milliseconds.
    pub z_closes: Vec<(i64, f64)>,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

const PAYLOAD_LEN: usize = 600;

fn raw_commits(conn: &Connection, seconds: f64) -> Result<f64, ApiError> {
    let payload = vec![0x5au8; PAYLOAD_LEN];
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        conn.execute("INSERT INTO raw (payload) VALUES (?1)", params![payload])?;
        n += 1;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

fn sale_input(i: u64) -> Value {
    json!({
        "items": [
            {"name": "Нан / Хлеб", "price_tiyn": 25_000, "quantity_milli": 2000, "section": "1"},
            {"name": format!("Сүт / Молоко {}", i % 7), "price_tiyn": 61_050, "quantity_milli": 1000, "vat_group": "16", "section": "2"}
        ],
        "payments": [{"kind": "cash", "amount_tiyn": 200_000}]
    })
}

fn sales(
    core: &Core,
    caller: &crate::users::Caller,
    seconds: f64,
    counter: &mut u64,
) -> Result<f64, ApiError> {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        dispatch(core, caller, "receipt_sell", sale_input(*counter))?;
        *counter += 1;
        n += 1;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// A demo register for measuring, its key in a file inside the temporary folder.
pub(crate) fn demo_register_in(dir: &std::path::Path) -> Result<(Core, Vec<String>), ApiError> {
    Core::init(
        dir,
        InitInput {
            settings: crate::registration::demo_settings(),
            admin_name: "Bench".into(),
            admin_pin: "1234".into(),
            key_store: KeyStorePreference::Only(KeyStoreKind::File),
        },
        Arc::new(SystemClock),
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

pub fn run(quick: bool) -> Result<Figures, ApiError> {
    let tmp = tempfile::tempdir().map_err(internal)?;
    // 1. Sales against raw commits, interleaved rounds so both see the same disk.
    let raw = Connection::open(tmp.path().join("raw.sqlite"))?;
    raw.pragma_update(None, "journal_mode", "WAL")?;
    raw.pragma_update(None, "synchronous", "FULL")?;
    raw.execute_batch("CREATE TABLE raw (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")?;
    let register = tmp.path().join("register");
    let (core, _) = demo_register_in(&register)?;
    let caller = core.login("1234")?;
    // This machine's disk speed drifts by ±15 % over seconds, so many short rounds
    // alternate, each sale round is compared with the raw rounds just before and after
    // it, and the median of those ratios is the figure.
    let (rounds, round) = if quick { (3, 0.2) } else { (11, 0.4) };
    let (mut raw_rates, mut sale_rates) = (Vec::new(), Vec::new());
    let mut counter = 0u64;
    sales(&core, &caller, 0.2, &mut counter)?; // warm-up, opens the shift
    raw_rates.push(raw_commits(&raw, round)?);
    for _ in 0..rounds {
        sale_rates.push(sales(&core, &caller, round, &mut counter)?);
        raw_rates.push(raw_commits(&raw, round)?);
    }
    let ratios: Vec<f64> = sale_rates
        .iter()
        .enumerate()
        .map(|(i, sale)| sale / ((raw_rates[i] + raw_rates[i + 1]) / 2.0))
        .collect();
    let sale_ratio = median(ratios);
    let raw_commits_per_s = median(raw_rates);
    let sales_per_s = median(sale_rates);

    // 3. A shift of exactly 10,000 receipts (the rate rounds above sell an unknown
    // number, so their shift is closed first), then the X report against a bare aggregate.
    dispatch(&core, &caller, "shift_close", Value::Null)?;
    let target = if quick { 2_000 } else { 10_000 };
    for i in 0..target {
        dispatch(&core, &caller, "receipt_sell", sale_input(i))?;
    }
    let (mut x_times, mut base_times) = (Vec::new(), Vec::new());
    let conn = Connection::open(register.join(crate::journal::DB_FILE))?;
    for _ in 0..15 {
        let t = Instant::now();
        dispatch(&core, &caller, "report_x", Value::Null)?;
        x_times.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let _: (i64, i64) = conn.query_row(
            "SELECT count(*), sum(total) FROM doc WHERE seq > (SELECT closed_seq FROM shift WHERE shift_no = 1) AND kind = 'receipt'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        base_times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    // Three shifts of `target` receipts each, closed by Z. The Z's full integrity check
    // reads the whole journal, so each Z has a longer history to check than the last.
    let mut z_closes = Vec::new();
    for round in 0..if quick { 1 } else { 3 } {
        if round > 0 {
            for i in 0..target {
                dispatch(&core, &caller, "receipt_sell", sale_input(i))?;
            }
        }
        let records: i64 = conn.query_row("SELECT max(seq) FROM journal", [], |r| r.get(0))?;
        let t = Instant::now();
        dispatch(&core, &caller, "shift_close", Value::Null)?;
        z_closes.push((records, t.elapsed().as_secs_f64() * 1000.0));
    }
    let x_report_ms = median(x_times);
    let select_baseline_ms = median(base_times);

    // 2. Verify of a large journal against plain HMAC over the same records.
    let records = if quick { 100_000 } else { 1_000_000 };
    let (verify_seconds, verify_one_thread_seconds, hmac_seconds) =
        verify_speed(&tmp.path().join("large"), records)?;

    Ok(Figures {
        raw_commits_per_s,
        sales_per_s,
        sale_ratio,
        verify_records: records,
        verify_seconds,
        hmac_seconds,
        verify_one_thread_seconds,
        verify_ratio: hmac_seconds / verify_seconds,
        report_receipts: target as i64,
        x_report_ms,
        select_baseline_ms,
        report_ratio: x_report_ms / select_baseline_ms.max(1e-9),
        z_closes,
    })
}

/// Builds a journal of `records` receipts in shifts of 10,000 sealed by Z reports,
/// then times `verify` and the same HMAC chain computed from memory.
fn verify_speed(dir: &std::path::Path, records: i64) -> Result<(f64, f64, f64), ApiError> {
    let (core, _) = demo_register_in(dir)?;
    drop(core);
    let mut store = Store::open(dir)?;
    let key_bytes =
        crate::journal::keys::load(dir, "DEMO00000001-SAUDA-DEMO-0001", KeyStoreKind::File)?;
    store.set_key(crate::journal::chain::ChainKey::from_bytes(&key_bytes));
    // A real receipt payload (empty basket, the cashier's name as padding) of about
    // PAYLOAD_LEN bytes: every receipt in a journal must read back as a receipt.
    let payload = {
        let mut receipt = crate::journal::record::ReceiptPayload {
            demo: true,
            doc_no: 0,
            shift_no: 0,
            operation: 2,
            cashier: UserRef {
                id: 1,
                name: String::new(),
            },
            lines: Vec::new(),
            subtotal: 0,
            discount: 0,
            markup: 0,
            total: 0,
            taxes: Vec::new(),
            payments: Vec::new(),
            taken: 0,
            change: 0,
            buyer: Default::default(),
            parent: None,
        };
        let bare = serde_json::to_vec(&receipt).map_err(internal)?.len();
        receipt.cashier.name = "x".repeat(PAYLOAD_LEN.saturating_sub(bare));
        serde_json::to_vec(&receipt).map_err(internal)?
    };
    let base = store.tip()?.map_or(0, |t| t.seq);
    let now = crate::core::millis(time::OffsetDateTime::now_utc());
    let per_shift = 10_000;
    let mut written = base;
    let mut total = GENESIS;
    let mut shift_no = 0i64;
    let mut doc_no = 0i64;
    while written < records {
        shift_no += 1;
        store.write(|w| -> Result<(), ApiError> {
            w.skip_projections();
            let mut seal = w.key().shift_checksum(shift_no);
            for _ in 0..per_shift.min(records - written - 1).max(0) {
                doc_no += 1;
                w.append_bytes(
                    RecordKind::Receipt,
                    now,
                    Placement {
                        shift_no: Some(shift_no),
                        doc_no: Some(doc_no),
                    },
                    &payload,
                )?;
                if let Some(t) = w.tip() {
                    seal.add(&t.checksum);
                }
                written += 1;
            }
            let shift = seal.finish();
            total = w.key().total_checksum(&total, &shift);
            doc_no += 1;
            let z = ZReportPayload {
                demo: true,
                doc_no,
                shift_no,
                by: UserRef {
                    id: 1,
                    name: "Bench".into(),
                },
                report: ShiftReport {
                    shift_no,
                    ..ShiftReport::default()
                },
                shift_checksum: hex::encode(shift),
                total_checksum: hex::encode(total),
            };
            w.append(
                RecordKind::ZReport,
                now,
                Placement {
                    shift_no: Some(shift_no),
                    doc_no: Some(doc_no),
                },
                &z,
            )?;
            written += 1;
            Ok(())
        })?;
    }
    drop(store);
    let core = Core::open(dir, Arc::new(SystemClock))?;
    // Opening wrote the fixture's report rows in one large transaction; a register that
    // has worked for years has long checkpointed its log. Measure that settled state.
    Connection::open(dir.join(crate::journal::DB_FILE))?.query_row(
        "PRAGMA wal_checkpoint(TRUNCATE)",
        [],
        |_| Ok(()),
    )?;
    let started = Instant::now();
    let outcome = core.verify()?;
    let verify_seconds = started.elapsed().as_secs_f64();
    if let Some(f) = outcome.failure {
        return Err(internal(format!(
            "the benchmark journal failed verification: {}",
            f.message
        )));
    }
    // The baseline: the same chained HMACs over the same bytes, from memory.
    let key = crate::journal::chain::ChainKey::from_bytes(&key_bytes);
    let started = Instant::now();
    let mut previous = GENESIS;
    for seq in 1..=outcome.records {
        previous = key.record_checksum(
            &previous,
            &RecordFields {
                seq,
                kind: "receipt",
                created_at: now,
                shift_no: Some(1),
                doc_no: Some(seq),
                payload: &payload,
            },
        );
    }
    std::hint::black_box(previous);
    let hmac_seconds = started.elapsed().as_secs_f64();
    let conn = Connection::open(dir.join(crate::journal::DB_FILE))?;
    let mark = crate::journal::watermark::Watermark::in_dir(dir);
    let started = Instant::now();
    let one = crate::journal::verify::verify_with(&conn, &key, &mark, dir, i64::MAX)?;
    let one_thread_seconds = started.elapsed().as_secs_f64();
    if one.records != outcome.records || !one.is_ok() {
        return Err(internal(
            "the one-thread check disagrees with the two-thread check",
        ));
    }
    Ok((verify_seconds, one_thread_seconds, hmac_seconds))
}

pub fn print(f: &Figures) {
    println!(
        "sale through dispatch (durable, 1 receipt/commit): {:.0}/s",
        f.sales_per_s
    );
    println!(
        "raw SQLite commit, same settings (baseline):       {:.0}/s",
        f.raw_commits_per_s
    );
    println!("  ratio {:.2} (goal ≥ 0.70)", f.sale_ratio);
    println!(
        "verify of {} records: {:.2} s; raw HMAC-SHA256 of the same: {:.2} s",
        f.verify_records, f.verify_seconds, f.hmac_seconds
    );
    println!(
        "  ratio {:.2} (goal ≥ 0.50); on one thread {:.2} s, ratio {:.2}",
        f.verify_ratio,
        f.verify_one_thread_seconds,
        f.hmac_seconds / f.verify_one_thread_seconds
    );
    println!(
        "X report of a {}-receipt shift: {:.2} ms; bare SELECT aggregate: {:.2} ms",
        f.report_receipts, f.x_report_ms, f.select_baseline_ms
    );
    println!("  ratio {:.1} (goal: under 50 ms)", f.report_ratio);
    for (records, ms) in &f.z_closes {
        println!(
            "Z of such a shift (report + full integrity check of {records} records): {ms:.1} ms"
        );
    }
}

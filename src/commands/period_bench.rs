//! `sauda bench --inspector`: the tax inspector's reports over a year of one busy
//! register (issue 8: about 300,000 documents, the period report under 1 s), each
//! timed through `dispatch` as an inspector calls it and set against a bare aggregate
//! `SELECT` over the same records on a connection of its own, measured in the same run.
//!
//! The year is built quickly but honestly: one real sale through `dispatch` gives the
//! receipt every later one copies, then one transaction a day appends the shift's
//! opening, its receipts with their report rows, and a Z sealed by the very function
//! `shift_close` uses; `journal_verify` must pass before anything is timed. It works in
//! a temporary folder and must never touch a shop's register.

use std::sync::Arc;
use std::time::Instant;

use rusqlite::{Connection, OpenFlags, params};
use serde::Serialize;
use serde_json::{Value, json};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::dispatch;
use super::period::period_bounds;
use super::shift::seal_shift;
use crate::core::{Core, InitInput, millis, next_doc_no, offset_of, shift_state};
use crate::domain::shift::ShiftState;
use crate::error::{ApiError, ErrorCode};
use crate::journal::Placement;
use crate::journal::period::{shifts_in, span_of};
use crate::journal::record::{ReceiptPayload, RecordKind, ShiftOpenPayload, UserRef};
use crate::ports::ManualClock;
use crate::users::{Caller, Role};

/// 300,030 receipts in 365 days: the "≈ 300,000 documents".
const RECEIPTS_PER_DAY: i64 = 822;
/// Timed runs of each command; the median is the figure.
const ROUNDS: usize = 9;
const ADMIN_PIN: &str = "1234";

#[derive(Clone, Debug, Serialize)]
pub struct InspectorFigures {
    pub days: i64,
    pub shifts: usize,
    /// Receipts in the period: what the baseline counts.
    pub documents: i64,
    pub journal_records: i64,
    pub database_mb: f64,
    pub build_seconds: f64,
    /// `journal_verify` of the finished fixture, which must pass.
    pub verify_seconds: f64,
    pub rounds: usize,
    /// `SELECT count(*), sum(total) FROM doc` over the period's records.
    pub baseline_ms: f64,
    pub commands: Vec<TimedCommand>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TimedCommand {
    pub command: String,
    /// Median over the rounds.
    pub ms: f64,
    /// `ms` over the baseline's median.
    pub ratio: f64,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The two-line cash sale the other benchmarks sell, in two sections so the report
/// by section has rows to add up.
fn sale_input() -> Value {
    json!({
        "items": [
            {"name": "Нан / Хлеб", "price_tiyn": 25_000, "quantity_milli": 2000, "section": "1"},
            {"name": "Сүт / Молоко", "price_tiyn": 61_050, "quantity_milli": 1000, "vat_group": "16", "section": "2"}
        ],
        "payments": [{"kind": "cash", "amount_tiyn": 200_000}]
    })
}

/// The first day of the measured year, when its shift opens (Almaty, UTC+5).
const FIRST_OPENING: OffsetDateTime = datetime!(2025-01-01 09:00 +5);

pub fn run(quick: bool) -> Result<InspectorFigures, ApiError> {
    let days: i64 = if quick { 30 } else { 365 };
    let tmp = tempfile::tempdir().map_err(internal)?;
    let dir = tmp.path().join("register");
    // A clock the benchmark moves: the register is set up the day before the year, so
    // every record's time follows the one before, as on a real register.
    let clock = Arc::new(ManualClock::new(datetime!(2024-12-31 08:00 +5)));
    let (core, _) = Core::init(&dir, InitInput::demo(ADMIN_PIN), clock.clone())?;
    let admin = core.login(ADMIN_PIN)?;
    let mut staff = vec![admin.clone()];
    for (name, pin) in [("Айгүл", "3333"), ("Ерлан", "4444")] {
        dispatch(
            &core,
            &admin,
            "user_add",
            json!({"name": name, "role": "cashier", "pin": pin}),
        )?;
        staff.push(core.login(pin)?);
    }
    clock.advance(Duration::hours(1));
    dispatch(&core, &admin, "receipt_sell", sale_input())?;
    clock.advance(Duration::hours(10));
    dispatch(&core, &admin, "shift_close", Value::Null)?;
    let template: ReceiptPayload = core
        .lock_fresh()?
        .store
        .last_of(RecordKind::Receipt)?
        .ok_or_else(|| internal("the benchmark's sale is not in the journal"))?
        .decode()?;

    let started = Instant::now();
    for day in 0..days {
        let cashier = &staff[day as usize % staff.len()];
        append_day(
            &core,
            &template,
            cashier,
            FIRST_OPENING + Duration::days(day),
        )?;
    }
    let build_seconds = started.elapsed().as_secs_f64();
    drop(core);

    // Reopened as a register starts, the day after the year: every shift is closed.
    clock.set(FIRST_OPENING + Duration::days(days + 1));
    let core = Core::open(&dir, clock.clone())?;
    let db = dir.join(crate::journal::DB_FILE);
    // The build wrote the whole year through the log; a register that has worked for a
    // year has long checkpointed it. Measure that settled state.
    Connection::open(&db)?.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let verified = dispatch(&core, &Caller::system(), "journal_verify", Value::Null)?;
    if verified["ok"] != Value::Bool(true) {
        return Err(internal(format!(
            "the benchmark's year does not pass the integrity check: {}",
            verified["failure"]
        )));
    }
    let verify_seconds = verified["seconds"].as_f64().unwrap_or(f64::NAN);
    let journal_records = verified["records"].as_i64().unwrap_or(0);

    let last_day = (FIRST_OPENING + Duration::days(days - 1))
        .date()
        .to_string();
    let (from, to) = (FIRST_OPENING.date().to_string(), last_day);
    let bare = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let (start, end) = period_bounds(&from, &to, offset_of(&core.settings()))?;
    let shifts = shifts_in(&bare, start, end, millis(core.now()))?;
    let span = span_of(&shifts).ok_or_else(|| internal("the benchmark's year holds no shift"))?;
    // A receipt from the middle of the year: the search must look through everything.
    let wanted: i64 = bare.query_row(
        "SELECT doc_no FROM doc WHERE seq > ?1 AND seq <= ?2 ORDER BY seq
         LIMIT 1 OFFSET (SELECT count(*) / 2 FROM doc WHERE seq > ?1 AND seq <= ?2)",
        params![span.after, span.through],
        |r| r.get(0),
    )?;
    let inspector = Caller {
        user_id: -1,
        name: "Инспектор (bench)".into(),
        role: Role::Inspector,
    };
    let period = json!({"from": from, "to": to});
    let search = json!({"from": from, "to": to, "query": wanted.to_string()});
    let runs: [(&str, &Value); 4] = [
        ("report_period", &period),
        ("report_period_by_cashier", &period),
        ("report_period_by_section", &period),
        ("document_list", &search),
    ];
    let mut baseline = Vec::with_capacity(ROUNDS);
    let mut timed: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); runs.len()];
    let mut documents = 0i64;
    // The rounds interleave the commands and the baseline so all see the same page
    // cache; round 0 warms it and is checked, not counted.
    for round in 0..=ROUNDS {
        for (i, (command, input)) in runs.iter().enumerate() {
            let t = Instant::now();
            let out = dispatch(&core, &inspector, command, (*input).clone())?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if round == 0 {
                check(command, &out, days, wanted)?;
            } else {
                timed[i].push(ms);
            }
        }
        let t = Instant::now();
        let (count, _sum): (i64, i64) = bare.query_row(
            "SELECT count(*), sum(total) FROM doc WHERE seq > ?1 AND seq <= ?2",
            params![span.after, span.through],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if round == 0 {
            documents = count;
        } else {
            baseline.push(ms);
        }
    }
    if documents != days * RECEIPTS_PER_DAY {
        return Err(internal(format!(
            "the period holds {documents} documents, not the {} the year was built with",
            days * RECEIPTS_PER_DAY
        )));
    }
    let baseline_ms = median(baseline);
    let commands = runs
        .iter()
        .zip(timed)
        .map(|((command, _), times)| {
            let ms = median(times);
            TimedCommand {
                command: command.to_string(),
                ms,
                ratio: ms / baseline_ms.max(1e-9),
            }
        })
        .collect();
    let database_mb = std::fs::metadata(&db).map_or(0.0, |m| m.len() as f64 / 1e6);
    Ok(InspectorFigures {
        days,
        shifts: shifts.len(),
        documents,
        journal_records,
        database_mb,
        build_seconds,
        verify_seconds,
        rounds: ROUNDS,
        baseline_ms,
        commands,
    })
}

/// One working day in one transaction: the shift's opening, its receipts (copies of
/// `template` with their own numbers and times, report rows included) and its Z.
fn append_day(
    core: &Core,
    template: &ReceiptPayload,
    cashier: &Caller,
    opening: OffsetDateTime,
) -> Result<(), ApiError> {
    let mut st = core.lock();
    let demo = st.settings.demo;
    let by = UserRef {
        id: cashier.user_id,
        name: cashier.name.clone(),
    };
    st.store.write(|w| -> Result<(), ApiError> {
        let ShiftState::Closed { next_number } = shift_state(w.conn())? else {
            return Err(internal("the benchmark left a shift open"));
        };
        let shift_no = next_number as i64;
        let opened_ms = millis(opening);
        w.append(
            RecordKind::ShiftOpen,
            opened_ms,
            Placement {
                shift_no: Some(shift_no),
                doc_no: None,
            },
            &ShiftOpenPayload {
                shift_no,
                by: by.clone(),
            },
        )?;
        let mut receipt = template.clone();
        receipt.shift_no = shift_no;
        receipt.cashier = by.clone();
        let first_doc_no = next_doc_no(w.conn())?;
        for i in 0..RECEIPTS_PER_DAY {
            receipt.doc_no = first_doc_no + i;
            // One receipt every 40 s from 09:00:30: the last at about 18:08.
            w.append(
                RecordKind::Receipt,
                opened_ms + 30_000 + i * 40_000,
                Placement {
                    shift_no: Some(shift_no),
                    doc_no: Some(receipt.doc_no),
                },
                &receipt,
            )?;
        }
        // Closed at 21:00 the same day, so the shift belongs to that day's period.
        let closed_ms = millis(opening + Duration::hours(12));
        let z = seal_shift(w, shift_no, opened_ms, closed_ms, demo, by.clone())?;
        w.append(
            RecordKind::ZReport,
            closed_ms,
            Placement {
                shift_no: Some(shift_no),
                doc_no: Some(z.doc_no),
            },
            &z,
        )?;
        Ok(())
    })
}

/// The warm-up round's answers must be about the whole year, or the times are not.
fn check(command: &str, out: &Value, days: i64, wanted: i64) -> Result<(), ApiError> {
    let fine = match command {
        "report_period" => {
            let shifts = out["shifts"].as_array().map_or(0, Vec::len) as i64;
            let receipts: i64 = out["shifts"]
                .as_array()
                .map_or(0, |s| s.iter().filter_map(|r| r["receipts"].as_i64()).sum());
            shifts == days && receipts == days * RECEIPTS_PER_DAY
        }
        "report_period_by_cashier" => out["cashiers"].as_array().is_some_and(|c| !c.is_empty()),
        "report_period_by_section" => out["sections"].as_array().is_some_and(|s| s.len() == 2),
        "document_list" => out["documents"]
            .as_array()
            .is_some_and(|d| d.len() == 1 && d[0]["number"].as_i64() == Some(wanted)),
        _ => true,
    };
    if fine {
        Ok(())
    } else {
        Err(internal(format!(
            "{command} over the benchmark's year answered something else than expected: {}",
            out.to_string().chars().take(300).collect::<String>()
        )))
    }
}

pub fn print(f: &InspectorFigures) {
    println!(
        "a year of one register: {} days, {} shifts, {} receipts, {} journal records, {:.0} MB",
        f.days, f.shifts, f.documents, f.journal_records, f.database_mb
    );
    println!(
        "  built in {:.1} s; journal_verify passed in {:.2} s",
        f.build_seconds, f.verify_seconds
    );
    println!(
        "bare SELECT count(*), sum(total) over the period (baseline): {:.2} ms",
        f.baseline_ms
    );
    for c in &f.commands {
        println!("{:<26} {:>9.2} ms  ratio {:>6.1}", c.command, c.ms, c.ratio);
    }
    println!(
        "  medians of {} rounds as the inspector; goal: report_period under 1 s",
        f.rounds
    );
}

//! `sauda bench --link`: the operator link's speed against the simulator on loopback,
//! each figure next to a baseline measured in the same run.
//!
//! 1. Pay → fiscal sign recorded, per sale, p50/p99, against the same sale on a
//!    register without a link (the journal alone). The law allows 7 s; the
//!    issue's goal is p99 under 50 ms.
//! 2. Replay of a large autonomous queue, against bare protocol round trips to the same
//!    simulator; then the simulator's ledger is compared with the journal: every
//!    document once, in order.
//!
//! Everything happens in a temporary folder with its own simulator.

use std::time::{Duration, Instant};

use prost::Message;
use serde::Serialize;
use serde_json::json;

use crate::commands::dispatch;
use crate::core::Core;
use crate::error::{ApiError, ErrorCode};
use crate::link::LinkOptions;
use sauda_ofd::client::{Channels, Session, Timeouts};
use sauda_ofd::sim::{DeviceRegistration, Fault, SimConfig, Simulator};
use sauda_ofd::{frame, v204};

#[derive(Clone, Debug, Serialize)]
pub struct LinkFigures {
    pub sales: usize,
    pub fiscal_p50_ms: f64,
    pub fiscal_p99_ms: f64,
    pub journal_p50_ms: f64,
    pub journal_p99_ms: f64,
    pub p50_ratio: f64,
    pub replay_documents: usize,
    pub replay_seconds: f64,
    pub round_trip_seconds: f64,
    pub replay_ratio: f64,
    pub ledger_matches_journal: bool,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

fn timed_sales(core: &Core, n: usize) -> Result<Vec<f64>, ApiError> {
    let caller = core.login("1234")?;
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let started = Instant::now();
        let out = dispatch(
            core,
            &caller,
            "receipt_sell",
            json!({
                "items": [{"name": "Нан / Хлеб", "price_tiyn": 25_000 + i as i64, "quantity_milli": 1000}],
                "payments": [{"kind": "cash", "amount_tiyn": 50_000}]
            }),
        )?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if out["autonomous"] == true {
            return Err(internal("a benchmark sale went autonomous"));
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(times)
}

fn options(addr: String, budget: Duration) -> LinkOptions {
    LinkOptions {
        channels: Some(vec![addr]),
        budget,
        timeouts: Timeouts {
            connect: budget.min(Duration::from_secs(2)),
            io: budget,
            pause: Duration::from_millis(20),
        },
        reconnect_every: Duration::from_secs(3_600),
        test_every: Duration::from_secs(3_600),
        retry_on_document: false,
    }
}

pub fn run(quick: bool) -> Result<LinkFigures, ApiError> {
    let tmp = tempfile::tempdir().map_err(internal)?;
    let sim = Simulator::new(SimConfig::default());
    let settings = crate::registration::demo_settings();
    sim.register(DeviceRegistration::new(
        1,
        settings.token,
        settings.rnm.clone(),
    ));
    let server = sim.serve("127.0.0.1:0").map_err(internal)?;
    let addr = server.addr().to_string();
    let n = if quick { 100 } else { 1_000 };

    // 1. Journal-only sales, then fiscalised sales.
    let (plain, _) = super::super::bench::demo_register_in(&tmp.path().join("plain"))?;
    let journal = timed_sales(&plain, n)?;
    let (linked, _) = super::super::bench::demo_register_in(&tmp.path().join("linked"))?;
    linked.attach_link(options(addr.clone(), Duration::from_secs(5)))?;
    let fiscal = timed_sales(&linked, n)?;

    // 2. A queue made while the operator is down, replayed when it is back. A second
    // device at the simulator keeps the two registers' ledgers apart.
    let queue = if quick { 1_000 } else { 20_000 };
    let sim2 = Simulator::new(SimConfig::default());
    sim2.register(DeviceRegistration::new(
        1,
        settings.token,
        settings.rnm.clone(),
    ));
    let server2 = sim2.serve("127.0.0.1:0").map_err(internal)?;
    let (offline, _) = super::super::bench::demo_register_in(&tmp.path().join("offline"))?;
    offline.attach_link(options(
        server2.addr().to_string(),
        Duration::from_millis(300),
    ))?;
    sim2.inject(Fault::Down);
    let caller = offline.login("1234")?;
    for i in 0..queue {
        dispatch(
            &offline,
            &caller,
            "receipt_sell",
            json!({
                "items": [{"name": "Сүт / Молоко", "price_tiyn": 61_050 + i as i64, "quantity_milli": 1000}],
                "payments": [{"kind": "card", "amount_tiyn": 61_050 + i as i64}]
            }),
        )?;
    }
    sim2.inject(Fault::Up);
    let started = Instant::now();
    let status = offline.link_replay()?;
    let replay_seconds = started.elapsed().as_secs_f64();
    let ledger = sim2.ledger(1).ok_or_else(|| internal("no ledger"))?;
    let numbers: Vec<u64> = ledger
        .documents
        .iter()
        .filter_map(|d| d.printed_document_number)
        .collect();
    let ledger_matches_journal = status.queued == 0
        && numbers.len() == queue
        && numbers.iter().enumerate().all(|(i, &n)| n == i as u64 + 1);

    // Baseline: the same number of bare protocol round trips to the same simulator.
    let round_trip_seconds = round_trips(&sim2, &server2.addr().to_string(), 2_000.min(queue))?
        * (queue as f64 / 2_000.min(queue) as f64);
    drop((server, server2));
    let p50 = percentile(&fiscal, 0.5);
    let j50 = percentile(&journal, 0.5);
    Ok(LinkFigures {
        sales: n,
        fiscal_p50_ms: p50,
        fiscal_p99_ms: percentile(&fiscal, 0.99),
        journal_p50_ms: j50,
        journal_p99_ms: percentile(&journal, 0.99),
        p50_ratio: p50 / j50.max(1e-9),
        replay_documents: queue,
        replay_seconds,
        round_trip_seconds,
        replay_ratio: replay_seconds / round_trip_seconds.max(1e-9),
        ledger_matches_journal,
    })
}

/// Seconds for `n` COMMAND_SYSTEM exchanges on fresh connections: the network and the
/// simulator's share of every replayed document, without the register's work.
fn round_trips(sim: &Simulator, addr: &str, n: usize) -> Result<f64, ApiError> {
    let token = sim
        .ledger(1)
        .map(|l| l.issued_token)
        .ok_or_else(|| internal("no ledger"))?;
    let channels = Channels::new(vec![addr.to_string()], Timeouts::default());
    let mut session = Session {
        version: frame::Version::V203,
        id: 1,
        token,
        reqnum: 60_000,
    };
    let payload = v204::Request {
        command: v204::CommandTypeEnum::CommandSystem as i32,
        ..Default::default()
    }
    .encode_to_vec();
    let started = Instant::now();
    for _ in 0..n {
        let envelope = session.next();
        session.spend(envelope);
        let bytes = frame::encode(envelope, &payload).map_err(internal)?;
        channels
            .send(&bytes, 0, Instant::now() + Duration::from_secs(5))
            .map_err(internal)?;
    }
    Ok(started.elapsed().as_secs_f64())
}

pub fn print(f: &LinkFigures) {
    println!(
        "pay → fiscal sign recorded ({} sales): p50 {:.2} ms, p99 {:.2} ms (goal p99 < 50 ms; law 7 s)",
        f.sales, f.fiscal_p50_ms, f.fiscal_p99_ms
    );
    println!(
        "  baseline, same sale without the link: p50 {:.2} ms, p99 {:.2} ms → p50 ratio {:.2}",
        f.journal_p50_ms, f.journal_p99_ms, f.p50_ratio
    );
    println!(
        "replay of {} autonomous receipts: {:.1} s (goal < 60 s); bare round trips {:.1} s → ratio {:.2}; ledger equals journal, in order, once each: {}",
        f.replay_documents,
        f.replay_seconds,
        f.round_trip_seconds,
        f.replay_ratio,
        f.ledger_matches_journal
    );
}

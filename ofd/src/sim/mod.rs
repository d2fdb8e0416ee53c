//! The operator simulator (`ofd-sim`): a real TCP server on loopback that speaks the
//! protocol like the operator's service (spec/ofd-protocol.md §6), for tests and
//! demos. It keeps a ledger per registered device (tokens, replays, fiscal signs,
//! drawer, shift), records every exchange for assertions, injects faults on request,
//! answers barcode lookups from a small built-in national catalogue, and serves a
//! receipt-check web page for the signs it issued.
//!
//! It is a test double, not an operator: it keeps no server-side Z counters, checks
//! only the few data errors listed in `documents`, and stores nothing on disk. It must
//! never be linked into the register's own code paths; tests and the `ofd-sim` binary
//! are its only users.

mod check_page;
mod clock;
pub mod control;
mod documents;
mod engine;
mod faults;
mod ledger;
mod national_catalogue;
mod reply;
mod server;
mod wire;

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub use national_catalogue::{NATIONAL_CATALOGUE, NationalGoods};
pub use server::Server;

use crate::frame::Version;

/// How the simulated operator numbers things.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// The first token it issues; later ones count up, skipping 0 (§6 item 6). The
    /// default is above 2³¹ to catch signed/unsigned mix-ups.
    pub token_start: u32,
    /// The first fiscal sign of each device (§6 item 7).
    pub sign_start: u64,
    /// Base of the receipt-check link returned as `qr_code`.
    pub check_url: String,
    /// Result 11 once a shift has been open longer than this (§6 item 15).
    pub shift_limit_ms: Option<i64>,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            token_start: 4_000_000_001,
            sign_start: 9001,
            check_url: "http://127.0.0.1/check".into(),
            shift_limit_ms: None,
        }
    }
}

/// A device as the operator's portal registers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRegistration {
    /// The header ID (`kkm_id`).
    pub id: u32,
    /// The token the device must present on first contact.
    pub first_token: u32,
    /// The КГД registration number (`fns_kkm_id`), 12 digits.
    pub rnm: String,
    pub serial_number: String,
    pub org_title: String,
    pub org_iin: String,
    pub org_address: String,
}

impl DeviceRegistration {
    /// A registration with made-up organisation data, for tests and demos.
    pub fn new(id: u32, first_token: u32, rnm: impl Into<String>) -> DeviceRegistration {
        DeviceRegistration {
            id,
            first_token,
            rnm: rnm.into(),
            serial_number: format!("SIM{id:09}"),
            org_title: "ТОО «Сауда Демо»".into(),
            org_iin: "123456789012".into(),
            org_address: "г. Алматы, пр. Абая, 1".into(),
        }
    }
}

/// Something to go wrong. One-shot faults queue up and each is spent on one request,
/// in injection order; `Down`, `Block` and `RejectCommand` stay until lifted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Hold the next answer this many ms, then send it (the document is counted).
    DelayNextMs(u64),
    /// Process and count the next request, then close without replying (item 24).
    DropNextAnswer,
    /// Close the next request's connection unanswered; nothing is counted (item 22).
    UnreachableNext,
    /// Close every connection at once until `Up` (item 23).
    Down,
    Up,
    /// Count the next request, write only 10 bytes of its answer, close.
    CloseMidFrame,
    /// Count the next request, answer bytes that are not a frame, close.
    GarbageNext,
    /// Answer the next request with this result code, counting nothing (item 26).
    RefuseNext(u32),
    /// Answer every request with this command with `code` until `clear_faults`.
    RejectCommand {
        command: i32,
        code: u32,
    },
    /// Every request of every device answers 15, carrying `text` as TICKET_AD_INFO.
    Block {
        text: String,
    },
    Unblock,
}

/// One decoded exchange, in arrival order (item 31).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeRecord {
    pub version: Version,
    /// The request's TOKEN and REQNUM.
    pub token: u32,
    pub reqnum: u16,
    /// -1 when the payload did not decode and no command could be read from it.
    pub command: i32,
    pub result_code: u32,
    /// The stored answer of the last document was sent again.
    pub replay: bool,
    pub has_offline_period: bool,
    /// The TOKEN of the answer's header.
    pub answer_token: u32,
}

/// A document the operator counted, once (item 32).
#[derive(Clone, Debug)]
pub struct CountedDocument {
    pub command: i32,
    pub version: Version,
    pub reqnum: u16,
    /// The token the request carried.
    pub token: u32,
    /// The token issued in its answer.
    pub issued_token: u32,
    /// The fiscal sign (tickets).
    pub ticket_number: Option<String>,
    pub offline_ticket_number: Option<u32>,
    pub fr_shift_number: Option<u32>,
    pub printed_document_number: Option<u64>,
    /// `offline_ticket_number` set, or `is_offline` on a placement or close-shift.
    pub is_offline: bool,
    /// Ticket operation or placement operation.
    pub operation: Option<i32>,
    /// Tiyn: a ticket's `amounts.total` or a placement's sum.
    pub total: Option<i64>,
    /// The exact payload bytes received.
    pub request: Vec<u8>,
}

/// A snapshot of one device's account, for assertions.
#[derive(Clone, Debug)]
pub struct Ledger {
    pub issued_token: u32,
    pub exchanges: Vec<ExchangeRecord>,
    pub documents: Vec<CountedDocument>,
    /// Shifts closed so far (the number of the last Z report).
    pub shift_number: u32,
    /// Drawer cash in tiyn.
    pub cash: i64,
}

impl Ledger {
    /// The fiscal signs issued, in order.
    pub fn ticket_numbers(&self) -> Vec<&str> {
        self.documents
            .iter()
            .filter_map(|d| d.ticket_number.as_deref())
            .collect()
    }

    /// Counted documents with this command.
    pub fn documents_of(&self, command: i32) -> impl Iterator<Item = &CountedDocument> {
        self.documents.iter().filter(move |d| d.command == command)
    }
}

/// The simulated operator. Clones share one state; all of it sits behind one mutex,
/// which also serialises each device's requests (item 34).
#[derive(Clone)]
pub struct Simulator {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    config: SimConfig,
    state: Mutex<State>,
}

#[derive(Default)]
pub(crate) struct State {
    devices: HashMap<u32, ledger::Device>,
    faults: faults::FaultState,
    pinned_now_ms: Option<i64>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not take the simulator down with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Simulator {
    pub fn new(config: SimConfig) -> Simulator {
        Simulator {
            shared: Arc::new(Shared {
                config,
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// Registers a device the way the operator's portal does: its id and first token.
    /// Registering an id again starts its account afresh.
    pub fn register(&self, device: DeviceRegistration) {
        let fresh = ledger::Device::new(device, &self.shared.config);
        let id = fresh.reg.id;
        self.shared.lock().devices.insert(id, fresh);
    }

    /// Binds `addr` ("127.0.0.1:0" picks a port) and serves the protocol on background
    /// threads until the returned handle is stopped or dropped.
    pub fn serve(&self, addr: &str) -> std::io::Result<Server> {
        let shared = Arc::clone(&self.shared);
        Server::start(
            TcpListener::bind(addr)?,
            "operator",
            Arc::new(move |stream, stop| server::operator_connection(&shared, stream, stop)),
        )
    }

    /// Serves the receipt-check web page: `GET /?i=<fiscal sign>&f=<rnm>&…` shows the
    /// receipt the simulator counted under that sign, or 404.
    pub fn serve_check_page(&self, addr: &str) -> std::io::Result<Server> {
        let shared = Arc::clone(&self.shared);
        Server::start(
            TcpListener::bind(addr)?,
            "check page",
            Arc::new(move |stream, _| check_page::connection(&shared, stream)),
        )
    }

    pub fn inject(&self, fault: Fault) {
        tracing::info!(?fault, "fault injected");
        self.shared.lock().faults.inject(fault);
    }

    /// Lifts every fault, the lasting ones (down, blocked, rejected commands) too.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Pins the clock at this Unix time in ms (the default is the system clock).
    pub fn set_now(&self, unix_ms: i64) {
        self.shared.lock().pinned_now_ms = Some(unix_ms);
    }

    pub fn ledger(&self, id: u32) -> Option<Ledger> {
        self.shared
            .lock()
            .devices
            .get(&id)
            .map(ledger::Device::snapshot)
    }

    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }
}

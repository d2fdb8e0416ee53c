//! The operator link against the real simulator on 127.0.0.1: online fiscalisation,
//! autonomous mode after the 5-second budget, resends without duplicates, replay in
//! order after offline shifts, interrupted replay, token and operator blocks, the
//! second channel, the 72-hour limit on a test clock (R-40…R-66), and the barcode
//! lookup in the operator's national catalogue (issue 7).

use std::time::Duration as StdDuration;

use sauda::link::LinkOptions;
use sauda_ofd::client::Timeouts;
use sauda_ofd::sim::{DeviceRegistration, Server, SimConfig, Simulator};
use sauda_ofd::v204::CommandTypeEnum;
use serde_json::{Value, json};

use crate::support::Register;

mod nomenclature;
mod restarts;
mod service;

pub(super) const TICKET: i32 = CommandTypeEnum::CommandTicket as i32;
pub(super) const CLOSE_SHIFT: i32 = CommandTypeEnum::CommandCloseShift as i32;
pub(super) const MONEY_PLACEMENT: i32 = CommandTypeEnum::CommandMoneyPlacement as i32;
pub(super) const SYSTEM: i32 = CommandTypeEnum::CommandSystem as i32;

pub(crate) struct Operator {
    pub(super) sim: Simulator,
    pub(super) server: Server,
}

pub(super) fn operator(first_token: u32) -> Operator {
    let sim = Simulator::new(SimConfig::default());
    let s = sauda::registration::demo_settings();
    sim.register(DeviceRegistration {
        id: 1,
        first_token,
        rnm: s.rnm.clone(),
        serial_number: s.factory_number.clone(),
        org_title: s.org_name.clone(),
        org_iin: s.bin.clone(),
        org_address: s.address.clone(),
    });
    let server = sim.serve("127.0.0.1:0").expect("the simulator listens");
    Operator { sim, server }
}

pub(super) fn options(channels: Vec<String>, budget_ms: u64) -> LinkOptions {
    LinkOptions {
        channels: Some(channels),
        budget: StdDuration::from_millis(budget_ms),
        timeouts: Timeouts {
            connect: StdDuration::from_millis(budget_ms.min(1_000)),
            io: StdDuration::from_millis(budget_ms),
            pause: StdDuration::from_millis(20),
        },
        reconnect_every: StdDuration::from_secs(3_600),
        test_every: StdDuration::from_secs(3_600),
        retry_on_document: false,
    }
}

/// A demo register linked to a fresh simulator (demo token 1 000 001).
pub(crate) fn linked(budget_ms: u64) -> (Register, Operator) {
    let r = Register::new();
    let op = operator(r.core.settings().token);
    r.core
        .attach_link(options(vec![op.server.addr().to_string()], budget_ms))
        .expect("the link starts");
    (r, op)
}

pub(super) fn http_get(addr: std::net::SocketAddr, target: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(StdDuration::from_secs(2)))
        .expect("timeout");
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut page = String::new();
    s.read_to_string(&mut page).expect("page");
    page
}

pub(super) fn status(r: &Register) -> Value {
    r.call_as(&r.cashier, "link_status", json!({}))
        .expect("status")
}

pub(super) fn kinds(r: &Register, kind: &str) -> i64 {
    r.conn()
        .query_row(
            "SELECT count(*) FROM journal WHERE kind = ?1",
            [kind],
            |row| row.get(0),
        )
        .expect("count")
}

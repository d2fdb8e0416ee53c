//! One request through the simulated operator: the fault switches, the device lookup
//! (unknown ID → 1), decoding with the header's version (undecodable → 3), the
//! ledger's rules, and the answer frame with the request's header, SIZE and TOKEN
//! rewritten (spec §6 items 1–2, 14, 22–30).
//!
//! Everything happens under the simulator's one lock and nothing here touches a
//! socket: the engine says what to send and how (`Delivery`), and the server does it
//! after the lock is released, so a held answer never blocks other devices.

use super::clock;
use super::ledger::{Exchange, Forced};
use super::{Fault, Shared, reply, wire};
use crate::frame::{self, Envelope, Header};

/// How the answer reaches the device.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Delivery {
    Whole,
    /// Wait this many ms first.
    Delayed(u64),
    /// Close without writing.
    Dropped,
    /// Write the first 10 bytes, then close.
    Cut,
    /// Write bytes that are not a frame, then close.
    Garbage,
}

#[derive(Debug)]
pub(crate) enum Outcome {
    /// Close the connection: nothing was counted.
    Close,
    Reply {
        frame: Vec<u8>,
        delivery: Delivery,
    },
}

pub(crate) fn handle(shared: &Shared, header: &Header, payload: &[u8]) -> Outcome {
    let mut guard = shared.lock();
    let state = &mut *guard;
    if state.faults.down {
        return Outcome::Close;
    }
    let fault = state.faults.take_next();
    let delivery = match &fault {
        Some(Fault::UnreachableNext) => {
            tracing::info!(id = header.id, "unreachable once: closing unanswered");
            return Outcome::Close;
        }
        Some(Fault::DelayNextMs(ms)) => Delivery::Delayed(*ms),
        Some(Fault::DropNextAnswer) => Delivery::Dropped,
        Some(Fault::CloseMidFrame) => Delivery::Cut,
        Some(Fault::GarbageNext) => Delivery::Garbage,
        _ => Delivery::Whole,
    };
    let ex = Exchange {
        version: header.version,
        token: header.token,
        reqnum: header.reqnum,
        payload,
        now_ms: clock::now_ms(state.pinned_now_ms),
    };
    let (token, answer) = match state.devices.get_mut(&header.id) {
        None => {
            tracing::info!(id = header.id, "unknown device");
            let command = wire::peek_command(payload).unwrap_or(0).max(0);
            let refusal = reply::Reply::refusal(1, "unknown device id");
            (
                header.token,
                reply::encode(header.version, command, &refusal),
            )
        }
        Some(device) => match wire::decode_request(header.version, payload) {
            Err(e) => {
                tracing::info!(id = header.id, "protocol error: {e}");
                let a = device.refuse_raw(&ex, wire::peek_command(payload), &e.to_string());
                (a.token, a.payload)
            }
            Ok(req) => {
                let forced = if let Some(text) = &state.faults.block {
                    Some(Forced::Blocked(text.clone()))
                } else if let Some(Fault::RefuseNext(code)) = fault {
                    Some(Forced::Code(code))
                } else {
                    state.faults.rejection(req.command).map(Forced::Code)
                };
                let a = device.handle(&ex, &req, forced, &shared.config);
                tracing::debug!(
                    id = header.id,
                    command = req.command,
                    code = a.code,
                    "answered"
                );
                (a.token, a.payload)
            }
        },
    };
    let envelope = Envelope {
        version: header.version,
        id: header.id,
        token,
        reqnum: header.reqnum,
    };
    match frame::encode(envelope, &answer) {
        Ok(frame) => Outcome::Reply { frame, delivery },
        Err(e) => {
            // Only a reply beyond 5 MiB gets here; a closed connection is the truth.
            tracing::warn!(id = header.id, "answer not framed: {e}");
            Outcome::Close
        }
    }
}

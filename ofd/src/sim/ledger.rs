//! One device's account at the simulated operator, keyed by the header ID: the token
//! it was issued, the last accepted document (for replays), shift and drawer, and the
//! record of every exchange (spec §6 items 4–6, 31–33). Here live the token/REQNUM
//! rules of the §1.8 table and the dispatch by command; what a document does to the
//! drawer and which data errors refuse it is in `documents`.
//!
//! The ledger never touches sockets or faults: the engine hands it a decoded request
//! (and, when a fault forces one, the result code) and sends whatever it answers. A
//! refusal counts nothing and echoes the request's token.

use super::clock::Civil;
use super::national_catalogue;
use super::reply::{self, Content, REPORT_X, REPORT_Z, Reply, Service, Zx};
use super::wire::{self, Body, Incoming};
use super::{CountedDocument, DeviceRegistration, ExchangeRecord, Ledger, SimConfig};
use crate::frame::Version;

/// One request as the ledger sees it.
pub(crate) struct Exchange<'a> {
    pub version: Version,
    pub token: u32,
    pub reqnum: u16,
    pub payload: &'a [u8],
    pub now_ms: i64,
}

/// What to send back: the header's TOKEN and the `Response` payload.
#[derive(Debug)]
pub(crate) struct Answered {
    pub token: u32,
    pub payload: Vec<u8>,
    pub code: u32,
}

/// A result the fault switches impose before the ledger's own rules.
pub(crate) enum Forced {
    Blocked(String),
    Code(u32),
}

/// The last accepted document: what a resend with the same TOKEN and REQNUM replays.
#[derive(Clone, Debug)]
struct LastAccepted {
    token: u32,
    reqnum: u16,
    command: i32,
    token_after: u32,
    payload: Vec<u8>,
}

/// The §1.8 table's verdict on a document's TOKEN and REQNUM.
#[derive(Debug)]
enum Gate {
    Replay(LastAccepted),
    /// 9: same TOKEN and REQNUM as the last accepted document, another command.
    OtherCommand,
    /// 8: the device took the new token but did not advance REQNUM.
    StaleReqnum,
    /// 2: not the issued token (or 0).
    BadToken,
    Pass,
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Document,
    /// COMMAND_REPORT: no token check, answered with the issued token.
    Report,
    Service,
    /// In the version's enum but not served (CANCEL_TICKET, RESERVED): 5.
    Unsupported,
    Unknown,
}

fn kind(version: Version, command: i32) -> Kind {
    match command {
        wire::TICKET | wire::MONEY_PLACEMENT | wire::CLOSE_SHIFT => Kind::Document,
        wire::REPORT => Kind::Report,
        wire::SYSTEM | wire::INFO | wire::AUTH | wire::NOMENCLATURE => Kind::Service,
        wire::QR_GENERATE | wire::QR_GET_STATUS if version == Version::V204 => Kind::Service,
        7 if version == Version::V203 => Kind::Unsupported,
        127 => Kind::Unsupported,
        _ => Kind::Unknown,
    }
}

#[derive(Debug)]
pub(crate) struct Device {
    pub(super) reg: DeviceRegistration,
    pub(super) issued_token: u32,
    /// The next candidate for a new token (item 6: deterministic, from `token_start`).
    token_counter: u32,
    pub(super) next_sign: u64,
    last: Option<LastAccepted>,
    /// Shifts closed so far: the number of the last Z report.
    pub(super) shift_number: u32,
    /// When the server counted the first document of the open shift.
    pub(super) shift_opened_ms: Option<i64>,
    /// Drawer cash in tiyn.
    pub(super) cash: i64,
    /// The Z report of the last close-shift, as received.
    pub(super) last_z: Option<Vec<u8>>,
    pub(super) exchanges: Vec<ExchangeRecord>,
    pub(super) documents: Vec<CountedDocument>,
}

impl Device {
    pub fn new(reg: DeviceRegistration, config: &SimConfig) -> Device {
        Device {
            issued_token: reg.first_token,
            token_counter: config.token_start,
            next_sign: config.sign_start,
            reg,
            last: None,
            shift_number: 0,
            shift_opened_ms: None,
            cash: 0,
            last_z: None,
            exchanges: Vec::new(),
            documents: Vec::new(),
        }
    }

    pub fn snapshot(&self) -> Ledger {
        Ledger {
            issued_token: self.issued_token,
            exchanges: self.exchanges.clone(),
            documents: self.documents.clone(),
            shift_number: self.shift_number,
            cash: self.cash,
        }
    }

    /// Answers 3 to a request whose payload does not decode or lacks the part its
    /// command requires.
    pub fn refuse_raw(&mut self, ex: &Exchange<'_>, command: Option<i32>, why: &str) -> Answered {
        let reply = Reply::refusal(3, why);
        self.finish(ex, command.unwrap_or(-1), false, &reply, ex.token, false)
    }

    pub fn handle(
        &mut self,
        ex: &Exchange<'_>,
        req: &Incoming,
        forced: Option<Forced>,
        config: &SimConfig,
    ) -> Answered {
        let c = req.command;
        let offline = req.offline_period;
        match forced {
            Some(Forced::Blocked(text)) => {
                let mut reply = Reply::refusal(15, "the register is blocked at the operator");
                reply.content = Content::Service(self.service(config, Some(text)));
                return self.finish(ex, c, offline, &reply, ex.token, false);
            }
            Some(Forced::Code(code)) => {
                let reply = Reply::refusal(code, "refused by the simulator");
                return self.finish(ex, c, offline, &reply, ex.token, false);
            }
            None => {}
        }
        let refuse = |me: &mut Device, code: u32, text: &str| {
            me.finish(ex, c, offline, &Reply::refusal(code, text), ex.token, false)
        };
        match kind(ex.version, c) {
            Kind::Unknown => refuse(self, 4, "unknown command"),
            Kind::Unsupported => refuse(self, 5, "command not supported"),
            Kind::Document => self.document(ex, req, config),
            k @ (Kind::Report | Kind::Service) => {
                if k == Kind::Service && (ex.token != self.issued_token || ex.token == 0) {
                    return refuse(self, 2, "invalid token");
                }
                if self.shift_expired(config, ex.now_ms, req) {
                    return refuse(self, 11, "the shift has been open too long");
                }
                let reply = self.service_reply(ex, req, config);
                let token = self.issued_token;
                self.finish(ex, c, offline, &reply, token, false)
            }
        }
    }

    fn document(&mut self, ex: &Exchange<'_>, req: &Incoming, config: &SimConfig) -> Answered {
        let (c, offline) = (req.command, req.offline_period);
        let refuse = |me: &mut Device, code: u32, text: &str| {
            me.finish(ex, c, offline, &Reply::refusal(code, text), ex.token, false)
        };
        match self.gate(ex.token, ex.reqnum, c) {
            Gate::Replay(last) => {
                tracing::info!(
                    id = self.reg.id,
                    reqnum = ex.reqnum,
                    "replaying the last answer"
                );
                self.record(ex, c, offline, 0, last.token_after, true);
                Answered {
                    token: last.token_after,
                    payload: last.payload,
                    code: 0,
                }
            }
            Gate::OtherCommand => refuse(self, 9, "same TOKEN and REQNUM, another command"),
            Gate::StaleReqnum => refuse(self, 8, "REQNUM of the previous request"),
            Gate::BadToken => refuse(self, 2, "invalid token"),
            Gate::Pass if c != wire::CLOSE_SHIFT && self.shift_expired(config, ex.now_ms, req) => {
                refuse(self, 11, "the shift has been open too long")
            }
            Gate::Pass => match self.accept(ex, req, config) {
                Err((code, why)) => refuse(self, code, why),
                Ok((reply, mut doc)) => {
                    let token = self.new_token();
                    let payload = reply::encode(ex.version, c, &reply);
                    tracing::info!(id = self.reg.id, command = c, token, "document counted");
                    self.last = Some(LastAccepted {
                        token: ex.token,
                        reqnum: ex.reqnum,
                        command: c,
                        token_after: token,
                        payload: payload.clone(),
                    });
                    self.issued_token = token;
                    doc.issued_token = token;
                    self.documents.push(doc);
                    self.record(ex, c, offline, 0, token, false);
                    Answered {
                        token,
                        payload,
                        code: 0,
                    }
                }
            },
        }
    }

    fn gate(&self, token: u32, reqnum: u16, command: i32) -> Gate {
        if let Some(last) = &self.last
            && last.token == token
            && last.reqnum == reqnum
        {
            return if last.command == command {
                Gate::Replay(last.clone())
            } else {
                Gate::OtherCommand
            };
        }
        if token == self.issued_token && self.last.as_ref().is_some_and(|l| l.reqnum == reqnum) {
            return Gate::StaleReqnum;
        }
        if token != self.issued_token || token == 0 {
            return Gate::BadToken;
        }
        Gate::Pass
    }

    /// Counts up from `token_start`, never 0 and never the token the device holds.
    fn new_token(&mut self) -> u32 {
        loop {
            let t = self.token_counter;
            self.token_counter = t.wrapping_add(1);
            if t != 0 && t != self.issued_token {
                return t;
            }
        }
    }

    fn shift_expired(&self, config: &SimConfig, now_ms: i64, req: &Incoming) -> bool {
        match (config.shift_limit_ms, self.shift_opened_ms) {
            (Some(limit), Some(opened)) => {
                now_ms.saturating_sub(opened) > limit && !req.is_offline()
            }
            _ => false,
        }
    }

    pub(super) fn service(&self, config: &SimConfig, info_text: Option<String>) -> Service {
        let last_document = self.documents.last().map(|d| {
            (
                d.fr_shift_number.unwrap_or(self.shift_number + 1),
                d.printed_document_number.unwrap_or(0),
            )
        });
        Service {
            reg: self.reg.clone(),
            ofd_url: config.check_url.clone(),
            info_text,
            last_document,
        }
    }

    fn last_z_or_empty(&self, at: Civil) -> Zx {
        match &self.last_z {
            Some(z) => Zx::Received(z.clone()),
            None => Zx::Empty {
                shift_number: self.shift_number,
                at,
            },
        }
    }

    fn service_reply(&self, ex: &Exchange<'_>, req: &Incoming, config: &SimConfig) -> Reply {
        let now = Civil::from_unix_ms(ex.now_ms);
        let content = match &req.body {
            Body::Report(r) if r.kind == REPORT_X => Content::Report {
                kind: REPORT_X,
                zx: Zx::Received(r.zx_report.clone()),
            },
            Body::Report(r) => Content::Report {
                kind: REPORT_Z,
                zx: self.last_z_or_empty(r.date_time),
            },
            Body::Auth { login } => Content::Auth {
                login: login.clone(),
            },
            Body::Nomenclature {
                current_version,
                barcode,
            } => national_catalogue::answer(*current_version, barcode.as_deref()),
            Body::Qr { invoice_id } => Content::Qr {
                code: format!("{}?invoice={invoice_id}", config.check_url),
                status: if req.command == wire::QR_GENERATE {
                    crate::v204::StatusTypeEnum::StatusNew as i32
                } else {
                    crate::v204::StatusTypeEnum::StatusPaid as i32
                },
            },
            _ if req.command == wire::INFO => Content::Info {
                service: self.service(config, None),
                kind: REPORT_Z,
                zx: self.last_z_or_empty(now),
            },
            _ => Content::Service(self.service(config, None)),
        };
        Reply::ok(content)
    }

    fn finish(
        &mut self,
        ex: &Exchange<'_>,
        command: i32,
        offline_period: bool,
        reply: &Reply,
        token: u32,
        replay: bool,
    ) -> Answered {
        if reply.code != 0 {
            tracing::info!(
                id = self.reg.id,
                command,
                code = reply.code,
                "request refused"
            );
        }
        self.record(ex, command, offline_period, reply.code, token, replay);
        Answered {
            token,
            payload: reply::encode(ex.version, command.max(0), reply),
            code: reply.code,
        }
    }

    fn record(
        &mut self,
        ex: &Exchange<'_>,
        command: i32,
        has_offline_period: bool,
        result_code: u32,
        answer_token: u32,
        replay: bool,
    ) {
        self.exchanges.push(ExchangeRecord {
            version: ex.version,
            token: ex.token,
            reqnum: ex.reqnum,
            command,
            result_code,
            replay,
            has_offline_period,
            answer_token,
        });
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;

//! Requests of both protocol versions read into one version-neutral shape, so the
//! ledger's rules are written once. The payload is decoded with the schema of the
//! header's VERSION (spec §1.3); only what the simulator acts on or shows on the
//! receipt-check page is carried over, and report bodies are kept as the encoded
//! `ZXReport` bytes so they can be echoed without loss.
//!
//! This module does not judge a request (tokens, totals, cash): it only reads it. It
//! refuses a payload that does not decode, or a command that lacks the part the
//! command requires (spec §2.2), which the ledger answers with result 3.

use prost::Message;

use super::clock::Civil;
use crate::frame::Version;

pub(crate) const SYSTEM: i32 = crate::v204::CommandTypeEnum::CommandSystem as i32;
pub(crate) const TICKET: i32 = crate::v204::CommandTypeEnum::CommandTicket as i32;
pub(crate) const CLOSE_SHIFT: i32 = crate::v204::CommandTypeEnum::CommandCloseShift as i32;
pub(crate) const REPORT: i32 = crate::v204::CommandTypeEnum::CommandReport as i32;
pub(crate) const NOMENCLATURE: i32 = crate::v204::CommandTypeEnum::CommandNomenclature as i32;
pub(crate) const INFO: i32 = crate::v204::CommandTypeEnum::CommandInfo as i32;
pub(crate) const MONEY_PLACEMENT: i32 = crate::v204::CommandTypeEnum::CommandMoneyPlacement as i32;
pub(crate) const AUTH: i32 = crate::v204::CommandTypeEnum::CommandAuth as i32;
pub(crate) const QR_GENERATE: i32 = crate::v204::CommandTypeEnum::CommandQrGenerate as i32;
pub(crate) const QR_GET_STATUS: i32 = crate::v204::CommandTypeEnum::CommandQrGetStatus as i32;

#[derive(Debug, thiserror::Error)]
pub(crate) enum WireError {
    #[error("the payload is not a {0} Request: {1}")]
    Undecodable(&'static str, prost::DecodeError),
    #[error("command {0} lacks its `{1}` part")]
    MissingPart(i32, &'static str),
}

/// One decoded request.
#[derive(Clone, Debug)]
pub(crate) struct Incoming {
    pub command: i32,
    /// `service.offline_period` is present: the device is leaving autonomous mode.
    pub offline_period: bool,
    pub body: Body,
}

#[derive(Clone, Debug)]
pub(crate) enum Body {
    None,
    Ticket(Ticket),
    Placement(Placement),
    CloseShift(CloseShift),
    Report(Report),
    Auth {
        login: String,
    },
    /// A catalogue download from `current_version`, or a lookup of `barcode` (§3.10).
    Nomenclature {
        current_version: Option<u32>,
        barcode: Option<String>,
    },
    Qr {
        invoice_id: u64,
    },
}

/// A receipt; amounts in tiyn.
#[derive(Clone, Debug)]
pub(crate) struct Ticket {
    pub operation: i32,
    pub date_time: Civil,
    pub items: Vec<Item>,
    pub payments: Vec<Payment>,
    pub total: i64,
    pub taken: Option<i64>,
    pub change: Option<i64>,
    pub offline_ticket_number: Option<u32>,
    pub fr_shift_number: Option<u32>,
    pub printed_document_number: Option<u64>,
    pub parent: Option<Parent>,
    pub customer_iin_or_bin: Option<String>,
    /// 2.0.4: a position carries an NTIN but no commodity type (spec §3.2, answer 15).
    pub ntin_without_type: bool,
}

/// A position, discount or markup; `quantity` in thousandths (0 for modifiers).
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub kind: i32,
    pub name: String,
    pub quantity: u64,
    pub price: i64,
    pub sum: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct Payment {
    pub kind: i32,
    pub sum: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct Parent {
    pub number: String,
    pub kgd_kkm_id: String,
    pub is_offline: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Placement {
    pub operation: i32,
    pub sum: i64,
    pub is_offline: bool,
    pub fr_shift_number: Option<u32>,
    pub printed_document_number: Option<u64>,
}

#[derive(Clone, Debug)]
pub(crate) struct CloseShift {
    pub is_offline: bool,
    pub fr_shift_number: Option<u32>,
    pub withdraw_money: bool,
    pub printed_document_number: Option<u64>,
    /// The device's Z report, encoded in the request's version.
    pub z_report: Vec<u8>,
}

#[derive(Clone, Debug)]
pub(crate) struct Report {
    pub kind: i32,
    pub date_time: Civil,
    pub is_offline: bool,
    pub zx_report: Vec<u8>,
}

impl Incoming {
    /// The request says it comes from autonomous mode: an offline period, an offline
    /// receipt number or an `is_offline` flag. Such requests never get 11 (spec §2.5).
    pub fn is_offline(&self) -> bool {
        self.offline_period
            || match &self.body {
                Body::Ticket(t) => t.offline_ticket_number.is_some(),
                Body::Placement(p) => p.is_offline,
                Body::CloseShift(c) => c.is_offline,
                Body::Report(r) => r.is_offline,
                _ => false,
            }
    }
}

pub(crate) fn decode_request(version: Version, payload: &[u8]) -> Result<Incoming, WireError> {
    match version {
        Version::V203 => crate::v203::Request::decode(payload)
            .map_err(|e| WireError::Undecodable("2.0.3", e))
            .and_then(from_v203),
        Version::V204 => crate::v204::Request::decode(payload)
            .map_err(|e| WireError::Undecodable("2.0.4", e))
            .and_then(from_v204),
    }
}

/// The command of a payload that does not decode, read from its first field (tag 1,
/// varint), so even a refusal can name the command it answers.
pub(crate) fn peek_command(payload: &[u8]) -> Option<i32> {
    let (&tag, rest) = payload.split_first()?;
    if tag != 0x08 {
        return None;
    }
    let mut value: u64 = 0;
    for (i, &b) in rest.iter().take(10).enumerate() {
        value |= u64::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            // An enum is an int32 on the wire; a larger varint keeps its low bits.
            return Some(value as u32 as i32);
        }
    }
    None
}

fn missing(command: i32, part: &'static str) -> WireError {
    WireError::MissingPart(command, part)
}

fn from_v203(r: crate::v203::Request) -> Result<Incoming, WireError> {
    let c = r.command;
    let body = match c {
        TICKET => Body::Ticket(read203::ticket(
            r.ticket.as_ref().ok_or(missing(c, "ticket"))?,
        )),
        MONEY_PLACEMENT => {
            let p = r
                .money_placement
                .as_ref()
                .ok_or(missing(c, "money_placement"))?;
            read203::placement(p)
        }
        CLOSE_SHIFT => {
            let s = r.close_shift.as_ref().ok_or(missing(c, "close_shift"))?;
            Body::CloseShift(CloseShift {
                is_offline: s.is_offline.unwrap_or(false),
                fr_shift_number: s.fr_shift_number,
                withdraw_money: s.withdraw_money.unwrap_or(false),
                printed_document_number: s.printed_document_number,
                z_report: s.z_report.clone().unwrap_or_default().encode_to_vec(),
            })
        }
        REPORT => {
            let rep = r.report.as_ref().ok_or(missing(c, "report"))?;
            Body::Report(Report {
                kind: rep.report,
                date_time: read203::civil(&rep.date_time),
                is_offline: rep.is_offline.unwrap_or(false),
                zx_report: rep.zx_report.clone().unwrap_or_default().encode_to_vec(),
            })
        }
        AUTH => Body::Auth {
            login: r.auth.as_ref().ok_or(missing(c, "auth"))?.login.clone(),
        },
        NOMENCLATURE => Body::Nomenclature {
            current_version: r.nomenclature.as_ref().and_then(|n| n.current_version),
            barcode: r.nomenclature.as_ref().and_then(|n| n.barcode.clone()),
        },
        _ => Body::None,
    };
    Ok(Incoming {
        command: c,
        offline_period: r
            .service
            .as_ref()
            .is_some_and(|s| s.offline_period.is_some()),
        body,
    })
}

fn from_v204(r: crate::v204::Request) -> Result<Incoming, WireError> {
    let c = r.command;
    let body = match c {
        TICKET => {
            let t = r.ticket.as_ref().ok_or(missing(c, "ticket"))?;
            let mut ticket = read204::ticket(t);
            ticket.ntin_without_type =
                t.items
                    .iter()
                    .filter_map(|i| i.commodity.as_ref())
                    .any(|c| {
                        c.ntin.as_ref().is_some_and(|n| !n.is_empty()) && c.commodity_type.is_none()
                    });
            Body::Ticket(ticket)
        }
        MONEY_PLACEMENT => {
            let p = r
                .money_placement
                .as_ref()
                .ok_or(missing(c, "money_placement"))?;
            read204::placement(p)
        }
        CLOSE_SHIFT => {
            let s = r.close_shift.as_ref().ok_or(missing(c, "close_shift"))?;
            Body::CloseShift(CloseShift {
                is_offline: s.is_offline.unwrap_or(false),
                fr_shift_number: s.fr_shift_number,
                withdraw_money: s.withdraw_money.unwrap_or(false),
                printed_document_number: s.printed_document_number,
                z_report: s.z_report.encode_to_vec(),
            })
        }
        REPORT => {
            let rep = r.report.as_ref().ok_or(missing(c, "report"))?;
            Body::Report(Report {
                kind: rep.report,
                date_time: read204::civil(&rep.date_time),
                is_offline: rep.is_offline.unwrap_or(false),
                zx_report: rep.zx_report.encode_to_vec(),
            })
        }
        AUTH => Body::Auth {
            login: r.auth.as_ref().ok_or(missing(c, "auth"))?.login.clone(),
        },
        NOMENCLATURE => Body::Nomenclature {
            current_version: r.nomenclature.as_ref().and_then(|n| n.current_version),
            barcode: r.nomenclature.as_ref().and_then(|n| n.barcode.clone()),
        },
        QR_GENERATE | QR_GET_STATUS => Body::Qr {
            invoice_id: r.qr.as_ref().ok_or(missing(c, "qr"))?.invoice_id,
        },
        _ => Body::None,
    };
    Ok(Incoming {
        command: c,
        offline_period: r
            .service
            .as_ref()
            .is_some_and(|s| s.offline_period.is_some()),
        body,
    })
}

/// Readers for the messages whose fields are spelled alike in both versions.
macro_rules! readers {
    ($name:ident, $pb:path) => {
        mod $name {
            use super::{Body, Civil, Item, Parent, Payment, Placement, Ticket};
            use $pb as pb;

            /// Tiyn; saturates instead of wrapping on absurd amounts from the wire.
            pub(super) fn money(m: &pb::Money) -> i64 {
                i64::try_from(m.bills)
                    .ok()
                    .and_then(|b| b.checked_mul(100))
                    .and_then(|t| t.checked_add(i64::from(m.coins)))
                    .unwrap_or(i64::MAX)
            }

            pub(super) fn civil(d: &pb::DateTime) -> Civil {
                Civil {
                    year: d.date.year,
                    month: d.date.month,
                    day: d.date.day,
                    hour: d.time.hour,
                    minute: d.time.minute,
                    second: d.time.second.unwrap_or(0),
                }
            }

            fn modifier(kind: i32, m: &pb::ticket_request::Modifier) -> Item {
                Item {
                    kind,
                    name: m.name.clone().unwrap_or_default(),
                    quantity: 0,
                    price: 0,
                    sum: money(&m.sum),
                }
            }

            fn item(i: &pb::ticket_request::Item) -> Option<Item> {
                let kind = i.r#type;
                if let Some(c) = &i.commodity {
                    let name = c
                        .name
                        .clone()
                        .or_else(|| c.code.map(|code| code.to_string()));
                    return Some(Item {
                        kind,
                        name: name.unwrap_or_default(),
                        quantity: c.quantity,
                        price: money(&c.price),
                        sum: money(&c.sum),
                    });
                }
                if let Some(c) = &i.storno_commodity {
                    return Some(Item {
                        kind,
                        name: c.name.clone().unwrap_or_default(),
                        quantity: c.quantity,
                        price: money(&c.price),
                        sum: money(&c.sum),
                    });
                }
                [&i.markup, &i.storno_markup, &i.discount, &i.storno_discount]
                    .into_iter()
                    .flatten()
                    .next()
                    .map(|m| modifier(kind, m))
            }

            pub(super) fn ticket(t: &pb::TicketRequest) -> Ticket {
                Ticket {
                    operation: t.operation,
                    date_time: civil(&t.date_time),
                    items: t.items.iter().filter_map(item).collect(),
                    payments: t
                        .payments
                        .iter()
                        .map(|p| Payment {
                            kind: p.r#type,
                            sum: money(&p.sum),
                        })
                        .collect(),
                    total: money(&t.amounts.total),
                    taken: t.amounts.taken.as_ref().map(money),
                    change: t.amounts.change.as_ref().map(money),
                    offline_ticket_number: t.offline_ticket_number,
                    fr_shift_number: t.fr_shift_number,
                    printed_document_number: t.printed_document_number,
                    parent: t.parent_ticket.as_ref().map(|p| Parent {
                        number: p.parent_ticket_number.clone(),
                        kgd_kkm_id: p.kgd_kkm_id.clone(),
                        is_offline: p.parent_ticket_is_offline,
                    }),
                    customer_iin_or_bin: t
                        .extension_options
                        .as_ref()
                        .and_then(|x| x.customer_iin_or_bin.clone()),
                    ntin_without_type: false,
                }
            }

            pub(super) fn placement(p: &pb::MoneyPlacementRequest) -> Body {
                Body::Placement(Placement {
                    operation: p.operation,
                    sum: money(&p.sum),
                    is_offline: p.is_offline.unwrap_or(false),
                    fr_shift_number: p.fr_shift_number,
                    printed_document_number: p.printed_document_number,
                })
            }
        }
    };
}

readers!(read203, crate::v203);
readers!(read204, crate::v204);

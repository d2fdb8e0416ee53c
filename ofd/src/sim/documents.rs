//! What the operator does with a document that passed the token rules: the data
//! checks that refuse it (13, 14, 15, 17; spec §6 items 16–19), the fiscal sign and
//! receipt-check link of a ticket (item 7), and the drawer and shift it changes
//! (items 10–11).
//!
//! The checks are deliberately few, and each one is named in its refusal text:
//! - 13: unknown operation; a receipt without positions; a return without
//!   `parent_ticket`; a return naming an online receipt of this register that the
//!   operator never issued; payments that do not add up to `amounts.total` (payment
//!   sums are net amounts: cash taken minus change); an unknown placement operation.
//! - 17: the buyer's IIN/BIN is the seller's.
//! - 15: (2.0.4) a position with an NTIN but no commodity type.
//! - 14: cash going out (sale return, purchase, withdrawal) beyond the drawer.
//!
//! Nothing here is counted until every check passed: a refusal leaves the ledger as
//! it was. Token rotation and replays are the ledger's business, not this module's.

use super::ledger::{Device, Exchange};
use super::reply::{Content, REPORT_Z, Reply, Zx};
use super::wire::{self, Body, CloseShift, Incoming, Placement, Ticket};
use super::{CountedDocument, SimConfig};
use crate::v204::{MoneyPlacementEnum, OperationTypeEnum, PaymentTypeEnum};

const BUY: i32 = OperationTypeEnum::OperationBuy as i32;
const BUY_RETURN: i32 = OperationTypeEnum::OperationBuyReturn as i32;
const SELL: i32 = OperationTypeEnum::OperationSell as i32;
const SELL_RETURN: i32 = OperationTypeEnum::OperationSellReturn as i32;
const CASH: i32 = PaymentTypeEnum::PaymentCash as i32;
const DEPOSIT: i32 = MoneyPlacementEnum::MoneyPlacementDeposit as i32;
const WITHDRAWAL: i32 = MoneyPlacementEnum::MoneyPlacementWithdrawal as i32;

/// A refusal: result code and the reason sent as `result_text`.
pub(super) type Refusal = (u32, &'static str);
type Accepted = Result<(Reply, CountedDocument), Refusal>;

impl Device {
    /// Checks and counts a document; on success the answer and the counted record.
    pub(super) fn accept(
        &mut self,
        ex: &Exchange<'_>,
        req: &Incoming,
        config: &SimConfig,
    ) -> Accepted {
        let base = CountedDocument {
            command: req.command,
            version: ex.version,
            reqnum: ex.reqnum,
            token: ex.token,
            issued_token: 0,
            ticket_number: None,
            offline_ticket_number: None,
            fr_shift_number: None,
            printed_document_number: None,
            is_offline: false,
            operation: None,
            total: None,
            request: ex.payload.to_vec(),
        };
        match &req.body {
            Body::Ticket(t) if req.command == wire::TICKET => self.ticket(ex, t, config, base),
            Body::Placement(p) if req.command == wire::MONEY_PLACEMENT => {
                self.placement(ex, p, base)
            }
            Body::CloseShift(s) if req.command == wire::CLOSE_SHIFT => {
                Ok(self.close_shift(s, base))
            }
            _ => Err((3, "the document lacks its body")),
        }
    }

    fn ticket(
        &mut self,
        ex: &Exchange<'_>,
        t: &Ticket,
        config: &SimConfig,
        base: CountedDocument,
    ) -> Accepted {
        if let Some(refusal) = self.ticket_refusal(t) {
            return Err(refusal);
        }
        let cash = self.cash.saturating_add(cash_delta(t));
        if cash < 0 {
            return Err((14, "not enough cash in the drawer"));
        }
        self.cash = cash;
        self.open_shift(ex.now_ms);
        let sign = self.next_sign.to_string();
        self.next_sign += 1;
        let qr = format!(
            "{}?i={sign}&f={}&s={}.{:02}&t={}",
            config.check_url,
            self.reg.rnm,
            t.total / 100,
            t.total % 100,
            t.date_time.compact()
        );
        let doc = CountedDocument {
            ticket_number: Some(sign.clone()),
            offline_ticket_number: t.offline_ticket_number,
            fr_shift_number: t.fr_shift_number,
            printed_document_number: t.printed_document_number,
            is_offline: t.offline_ticket_number.is_some(),
            operation: Some(t.operation),
            total: Some(t.total),
            ..base
        };
        let content = Content::Ticket {
            number: sign,
            qr: qr.into_bytes(),
        };
        Ok((Reply::ok(content), doc))
    }

    /// The first data error of a receipt, in the order of the module's list.
    fn ticket_refusal(&self, t: &Ticket) -> Option<Refusal> {
        let bad = |text: &'static str| Some((13, text));
        if ![BUY, BUY_RETURN, SELL, SELL_RETURN].contains(&t.operation) {
            return bad("unknown operation");
        }
        if t.items.is_empty() {
            return bad("a receipt needs at least one position");
        }
        let is_return = t.operation == SELL_RETURN || t.operation == BUY_RETURN;
        match &t.parent {
            None if is_return => return bad("a return needs parent_ticket"),
            Some(p) if is_return && !p.is_offline && p.kgd_kkm_id == self.reg.rnm => {
                let known = self
                    .documents
                    .iter()
                    .any(|d| d.ticket_number.as_deref() == Some(&p.number));
                if !known {
                    return bad("parent_ticket names a receipt this operator never issued");
                }
            }
            _ => {}
        }
        let paid = t.payments.iter().fold(0i64, |a, p| a.saturating_add(p.sum));
        if paid != t.total {
            return bad("the payments do not add up to amounts.total");
        }
        if t.customer_iin_or_bin
            .as_deref()
            .is_some_and(|b| !b.is_empty() && b == self.reg.org_iin)
        {
            return Some((17, "the buyer is the seller"));
        }
        if t.ntin_without_type {
            return Some((15, "a position has an NTIN but no commodity_type"));
        }
        None
    }

    fn placement(&mut self, ex: &Exchange<'_>, p: &Placement, base: CountedDocument) -> Accepted {
        let cash = match p.operation {
            DEPOSIT => self.cash.saturating_add(p.sum),
            WITHDRAWAL if p.sum > self.cash => {
                return Err((14, "not enough cash in the drawer"));
            }
            WITHDRAWAL => self.cash - p.sum,
            _ => return Err((13, "unknown money placement operation")),
        };
        self.cash = cash;
        self.open_shift(ex.now_ms);
        let doc = CountedDocument {
            fr_shift_number: p.fr_shift_number,
            printed_document_number: p.printed_document_number,
            is_offline: p.is_offline,
            operation: Some(p.operation),
            total: Some(p.sum),
            ..base
        };
        Ok((Reply::ok(Content::Bare), doc))
    }

    /// Closes the shift: withdraws the drawer if asked, and answers the device's own
    /// Z report (the simulator keeps no counters of its own to compare it with).
    fn close_shift(&mut self, s: &CloseShift, base: CountedDocument) -> (Reply, CountedDocument) {
        if s.withdraw_money {
            self.cash = 0;
        }
        self.shift_number += 1;
        self.shift_opened_ms = None;
        self.last_z = Some(s.z_report.clone());
        let doc = CountedDocument {
            fr_shift_number: s.fr_shift_number,
            printed_document_number: s.printed_document_number,
            is_offline: s.is_offline,
            ..base
        };
        let content = Content::Report {
            kind: REPORT_Z,
            zx: Zx::Received(s.z_report.clone()),
        };
        (Reply::ok(content), doc)
    }

    fn open_shift(&mut self, now_ms: i64) {
        self.shift_opened_ms.get_or_insert(now_ms);
    }
}

/// Cash in (+) or out (−) of a receipt: its cash payments, by operation direction.
fn cash_delta(t: &Ticket) -> i64 {
    let cash = t
        .payments
        .iter()
        .filter(|p| p.kind == CASH)
        .fold(0i64, |a, p| a.saturating_add(p.sum));
    if t.operation == SELL || t.operation == BUY_RETURN {
        cash
    } else {
        -cash
    }
}

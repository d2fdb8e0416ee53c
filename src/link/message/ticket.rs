//! A receipt as `COMMAND_TICKET` (spec/ofd-protocol.md §3.2, §5.1, §5.5): its lines as
//! commodity and modifier items with their VAT, its payments, totals, buyer contacts
//! and, for a return, the original receipt.
//!
//! Only converts a finished receipt: every amount comes from the journal as it was
//! computed and printed; nothing here rounds, spreads or recomputes a figure.

use sauda_ofd::v204;
use v204::ticket_request::{self as ticket, item};

use super::{
    Context, MessageError, amount, local_date_time, money, operator, optional_text, request, text,
    whole_u32, whole_u64,
};
use crate::domain::PaymentKind;
use crate::journal::record::{
    BuyerPayload, LinePayload, ParentPayload, PaymentPayload, ReceiptPayload, Settings,
};
use crate::journal::report::payment_name;

/// Names of the modifier items that carry a line's discount or markup (§3.2: a
/// modifier's name is required since 2.0.1). Bilingual like the receipt header.
const DISCOUNT_NAME: &str = "Жеңілдік / Скидка";
const MARKUP_NAME: &str = "Үстеме / Наценка";

/// `COMMAND_TICKET`. `offline_sign` is the autonomous fiscal sign of a receipt made
/// offline; its presence is what marks the receipt as offline (R-58, R-66, §3.2).
pub fn receipt(
    r: &ReceiptPayload,
    created_at_ms: i64,
    offline_sign: Option<u32>,
    ctx: &Context,
) -> Result<v204::Request, MessageError> {
    let settings = ctx.settings;
    let operation = v204::OperationTypeEnum::try_from(i32::from(r.operation))
        .map_err(|_| MessageError::Operation(r.operation))?;
    let is_return = matches!(
        operation,
        v204::OperationTypeEnum::OperationSellReturn | v204::OperationTypeEnum::OperationBuyReturn
    );
    // Required for returns since 2.0.3 (§3.2, §5.5); a sale names no parent.
    let parent_ticket = match (&r.parent, is_return) {
        (Some(parent), true) => Some(parent_ticket(parent, settings)?),
        (None, true) => return Err(MessageError::MissingParent),
        (_, false) => None,
    };
    if r.lines.is_empty() {
        return Err(MessageError::NoLines);
    }
    let mut items = Vec::with_capacity(r.lines.len());
    for line in &r.lines {
        items.extend(line_items(line, settings)?);
    }
    let payments = payments(&r.payments, r.change)?;
    let paid_in_cash = payments
        .iter()
        .any(|p| p.r#type == v204::PaymentTypeEnum::PaymentCash as i32);
    // Cash makes taken and change required (§3.2). The receipt's discount and markup
    // already travel as modifier items, so `amounts.discount`/`markup` stay empty: the
    // operator would count them a second time (§3.5 counting rules).
    let amounts = ticket::Amounts {
        total: amount(r.total, "receipt total")?,
        taken: paid_in_cash
            .then(|| amount(r.taken, "amount taken"))
            .transpose()?,
        change: paid_in_cash
            .then(|| amount(r.change, "change"))
            .transpose()?,
        markup: None,
        discount: None,
    };
    let ticket = v204::TicketRequest {
        operation: operation as i32,
        date_time: local_date_time(created_at_ms, settings),
        operator: operator(&r.cashier)?,
        domain: ticket::Domain {
            r#type: v204::DomainTypeEnum::DomainTrading as i32,
            ..Default::default()
        },
        items,
        payments,
        // Taxes travel on the positions; receipt-level taxes would exclude them (§3.2).
        taxes: Vec::new(),
        amounts,
        extension_options: extension_options(&r.buyer),
        offline_ticket_number: offline_sign,
        printed_ticket: None,
        fr_shift_number: Some(whole_u32(r.shift_no, "shift number")?),
        printed_document_number: Some(whole_u64(r.doc_no, "document number")?),
        parent_ticket,
    };
    Ok(v204::Request {
        ticket: Some(ticket),
        ..request(v204::CommandTypeEnum::CommandTicket, ctx)?
    })
}

/// A line as its commodity followed by a discount and a markup item when it has them.
///
/// Why items and not `amounts.discount`/`markup`: a line may carry both (its own
/// discount plus a share of a receipt markup) while the two receipt fields exclude each
/// other, and the operator counts each modifier item once per line, exactly as our
/// X/Z report counts discounted lines (§3.5). The commodity's sum is therefore the
/// gross price × quantity, and goods − discounts + markups is what the buyer pays.
fn line_items(line: &LinePayload, settings: &Settings) -> Result<Vec<ticket::Item>, MessageError> {
    let quantity =
        u64::try_from(line.quantity)
            .ok()
            .filter(|&q| q > 0)
            .ok_or(MessageError::OutOfRange {
                field: "quantity",
                value: line.quantity,
            })?;
    // The VAT sits on the commodity and is the VAT contained in what the buyer pays
    // for the line (after its discount and markup), as printed and as the reports sum
    // it; the modifiers carry none, so nothing is counted twice.
    let taxes = match line.vat_rate {
        Some(percent) => vec![ticket::Tax {
            r#type: v204::TaxTypeEnum::Vat as i32,
            taxation_type: taxation_type(settings),
            percent,
            sum: amount(line.vat, "line VAT")?,
            is_in_total_sum: true,
        }],
        None => Vec::new(),
    };
    let commodity = item::Commodity {
        name: text(&line.name),
        section_code: line.section.clone(),
        quantity,
        price: amount(line.price, "price")?,
        sum: amount(line.gross, "line amount")?,
        taxes,
        // Required by 2.0.4 (§3.2, §4.4); records older than units were sold in pieces.
        measure_unit_code: line.measure_unit().code().to_string(),
        barcode: line.barcode.clone(),
        ntin: line.ntin.clone(),
        // One marking code per unit, as scanned with its GS separators (R-102,
        // devices.md §6.4): the operator hands them on to the marking system.
        list_excise_stamp: line.marks.clone(),
        // A position with an НТИН must say what it is in 2.0.4, or the operator answers
        // 15 (§3.2 note): everything a shop till sells by the line is a product. 2.0.3
        // has no such field, so a 2.0.3 register leaves it out.
        commodity_type: line
            .ntin
            .as_ref()
            .filter(|_| crate::link::state::version_of(settings) == sauda_ofd::frame::Version::V204)
            .map(|_| v204::CommodityTypeEnum::CommodityTypeProduct as i32),
        ..Default::default()
    };
    let mut items = vec![ticket::Item {
        r#type: item::ItemTypeEnum::ItemTypeCommodity as i32,
        commodity: Some(commodity),
        ..Default::default()
    }];
    if line.discount != 0 {
        items.push(ticket::Item {
            r#type: item::ItemTypeEnum::ItemTypeDiscount as i32,
            discount: Some(modifier(DISCOUNT_NAME, line.discount, "line discount")?),
            ..Default::default()
        });
    }
    if line.markup != 0 {
        items.push(ticket::Item {
            r#type: item::ItemTypeEnum::ItemTypeMarkup as i32,
            markup: Some(modifier(MARKUP_NAME, line.markup, "line markup")?),
            ..Default::default()
        });
    }
    Ok(items)
}

fn modifier(name: &str, tiyn: i64, field: &'static str) -> Result<ticket::Modifier, MessageError> {
    Ok(ticket::Modifier {
        name: Some(name.to_string()),
        sum: amount(tiyn, field)?,
        ..Default::default()
    })
}

/// The regime code, when 2.0.4 knows it: 103 (patent) was removed in 2.0.4 (§4.3), and
/// the field is optional since 2.0.1, so a register on that regime leaves it out.
fn taxation_type(settings: &Settings) -> Option<i32> {
    i32::try_from(settings.taxation_type)
        .ok()
        .filter(|&code| v204::TaxationTypeEnum::try_from(code).is_ok())
}

/// One entry per payment kind (§3.2), in the order first paid; empty payments are left
/// out because the operator counts every entry as a payment (§3.5).
/// One entry per kind. Cash counts net of the change, so the entries add up to the
/// total: the operator adds cash payments to the drawer and ignores `change` (spec §3.5).
fn payments(list: &[PaymentPayload], change: i64) -> Result<Vec<ticket::Payment>, MessageError> {
    let mut out: Vec<(i32, i64)> = Vec::new();
    for p in list {
        let kind = PaymentKind::ALL
            .into_iter()
            .find(|&k| payment_name(k) == p.kind)
            .ok_or_else(|| MessageError::PaymentKind(p.kind.clone()))?;
        if p.amount < 0 {
            return Err(MessageError::NegativeAmount {
                field: "payment",
                tiyn: p.amount,
            });
        }
        if p.amount == 0 {
            continue;
        }
        let code = i32::from(kind.code());
        match out.iter_mut().find(|(c, _)| *c == code) {
            Some((_, sum)) => *sum = sum.saturating_add(p.amount),
            None => out.push((code, p.amount)),
        }
    }
    let cash = i32::from(PaymentKind::Cash.code());
    if let Some((_, sum)) = out.iter_mut().find(|(c, _)| *c == cash) {
        *sum -= change.min(*sum);
    }
    out.retain(|(_, sum)| *sum > 0);
    Ok(out
        .into_iter()
        .map(|(code, sum)| ticket::Payment {
            r#type: code,
            sum: money(sum),
            ..Default::default()
        })
        .collect())
}

/// The buyer's contacts and IIN/BIN: the operator delivers the electronic receipt to
/// them.
fn extension_options(buyer: &BuyerPayload) -> Option<ticket::ExtensionOptions> {
    let options = ticket::ExtensionOptions {
        customer_email: optional_text(&buyer.email),
        customer_phone: optional_text(&buyer.phone),
        auxiliary: Vec::new(),
        customer_iin_or_bin: optional_text(&buyer.iin_bin),
    };
    (options != ticket::ExtensionOptions::default()).then_some(options)
}

/// The original receipt of a return (R-80, §5.5). An original that never got the
/// operator's fiscal sign is named by its document number, flagged as offline.
fn parent_ticket(
    parent: &ParentPayload,
    settings: &Settings,
) -> Result<ticket::ParentTicket, MessageError> {
    Ok(ticket::ParentTicket {
        parent_ticket_number: optional_text(&parent.fiscal_sign)
            .unwrap_or_else(|| parent.doc_no.to_string()),
        parent_ticket_data_time: local_date_time(parent.created_at, settings),
        kgd_kkm_id: parent.rnm.clone(),
        parent_ticket_total: amount(parent.total, "original receipt total")?,
        parent_ticket_is_offline: parent.offline,
    })
}

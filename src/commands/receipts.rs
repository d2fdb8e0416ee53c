//! Sales, purchases and returns (R-1, R-78…R-80): turning a cashier's input into a
//! receipt, checking it against the shift, the clock and the drawer, and recording it
//! in the journal before anything is printed or sent.
//!
//! A return is a new document that refers to its original and can never return more
//! than was sold; stored receipts are never changed.

use rusqlite::{OptionalExtension, params};
use time::OffsetDateTime;

use super::dto::*;
use super::{local_time, shift::open_shift_if_needed};
use crate::core::{Core, State, current_report, from_millis, millis, next_doc_no, shift_state};
use crate::domain::goods::{self, GoodsCodeError};
use crate::domain::identity::check_iin_bin;
use crate::domain::receipt::{
    self, Adjustment, AdjustmentValue, LineInput, Operation, Payment, PaymentKind, Receipt,
    ReceiptInput,
};
use crate::domain::shift::check_not_before;
use crate::domain::vat::{TaxTable, Taxation, VatRate};
use crate::domain::{MeasureUnit, Money, Quantity};
use crate::error::{ApiError, ErrorCode};
use crate::journal::Placement;
use crate::journal::record::{
    BuyerPayload, LinePayload, ParentPayload, PaymentPayload, ReceiptPayload, RecordKind,
    TaxPayload, UserRef,
};
use crate::journal::report::{operation_name, payment_name};
use crate::users::Caller;

pub fn sell(core: &Core, caller: &Caller, input: ReceiptIn) -> Result<ReceiptOut, ApiError> {
    let operation = match input.operation.as_deref() {
        None | Some("sell") => Operation::Sell,
        Some("buy") => Operation::Buy,
        Some(other) => {
            return Err(ApiError::validation(format!(
                "operation '{other}' is not a sale: use sell or buy (returns go through receipt_return)"
            )));
        }
    };
    let lang = super::paper::print_lang(input.lang.as_deref())?;
    let electronic = input
        .buyer
        .as_ref()
        .is_some_and(|b| has_text(&b.email) || has_text(&b.phone));
    let route = core.printer_gate(electronic)?;
    let mut warnings = core.link_gate()?;
    if let crate::printing::Route::ElectronicOnly(why) = &route {
        warnings.push(crate::problem::Problem::new(
            crate::problem::ProblemKey::ElectronicOnly,
            [why],
            format!("{why}: the receipt goes to the buyer electronically only"),
        ));
    }
    // marked goods carry a checked code per unit, looked up in the catalogue
    // before the journal is locked; only then is the journal asked whether a unit
    // was sold already, which needs its report rows up to date.
    let marks = super::marking::sale_codes(core, &input.items)?;
    let mut st = if marks.iter().any(|m| !m.is_empty()) {
        let st = core.lock_fresh()?;
        super::marking::not_sold_before(&st, &marks)?;
        st
    } else {
        core.lock()
    };
    st.ensure_unblocked()?;
    let settings = st.settings.clone();
    let table = TaxTable::default();
    let mut lines = Vec::with_capacity(input.items.len());
    for ((i, item), marks) in input.items.iter().enumerate().zip(marks) {
        let mut line = line_input(i + 1, item, &table, &settings.default_vat_group, false)?;
        line.marks = marks;
        lines.push(line);
    }
    let buyer = buyer(input.buyer.unwrap_or_default(), &settings.bin)?;
    let whole = input.adjustment.as_ref().map(adjustment).transpose()?;
    let receipt = receipt::calculate(
        ReceiptInput {
            operation,
            lines,
            adjustment: whole,
            payments: payments(&input.payments)?,
        },
        settings.vat_payer,
    )?;
    if let Some(limit) = settings.discount_limit(caller.role) {
        crate::domain::discount::check(&receipt, whole, limit)
            .map_err(|e| ApiError::new(ErrorCode::DiscountLimit, e.to_string()))?;
    }
    let context = ReceiptContext {
        buyer,
        parent: None,
        parent_lines: Vec::new(),
    };
    let (out, seq) = record(core, &mut st, caller, receipt, context)?;
    drop(st);
    let out = fiscalised(core, out, seq, warnings);
    super::paper::printed(core, out, &route, lang)
}

fn has_text(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.trim().is_empty())
}

/// Sends the journaled receipt to the operator (or queues it, autonomous) and puts
/// the outcome on the receipt (R-45, R-58…R-60).
pub(super) fn fiscalised(
    core: &Core,
    mut out: ReceiptOut,
    seq: i64,
    mut notices: Vec<crate::problem::Problem>,
) -> ReceiptOut {
    let f = core.fiscalise(seq, out.number, true);
    out.fiscal_sign = f.fiscal_sign;
    out.autonomous = f.autonomous;
    out.qr = f.qr;
    notices.extend(f.notices);
    out.notices = notices;
    if out.qr.is_none()
        && let Some(sign) = &out.fiscal_sign
    {
        out.qr = Some(crate::link::check_url(
            &core.settings(),
            sign,
            out.total_tiyn,
            out.created_ms,
        ));
    }
    out
}

pub(super) fn line_input(
    number: usize,
    item: &ItemIn,
    table: &TaxTable,
    default_group: &str,
    for_return: bool,
) -> Result<LineInput, ApiError> {
    if item.quantity_milli <= 0 {
        return Err(ApiError::validation(format!(
            "line {number}: the quantity must be greater than zero"
        )));
    }
    if item.quantity_milli > crate::domain::quantity::MAX_QUANTITY.thousandths() {
        return Err(ApiError::validation(format!(
            "line {number}: the quantity is too large"
        )));
    }
    if item.price_tiyn > crate::domain::money::MAX_AMOUNT.tiyn() {
        return Err(ApiError::validation(format!(
            "line {number}: the price is too large"
        )));
    }
    let name = item.name.trim();
    if name.chars().count() > 128 {
        return Err(ApiError::validation(format!(
            "line {number}: the name is longer than 128 characters"
        )));
    }
    let section = item.section.as_deref().unwrap_or("1").trim();
    if section.is_empty() || section.chars().count() > 32 {
        return Err(ApiError::validation(format!(
            "line {number}: the section must have 1 to 32 characters"
        )));
    }
    let group = item.vat_group.as_deref().unwrap_or(default_group);
    let unit = match item.unit.as_deref().map(str::trim) {
        None | Some("") => MeasureUnit::Piece,
        Some(text) => MeasureUnit::parse(text).ok_or_else(|| {
            ApiError::validation(format!(
                "line {number}: '{text}' is not a unit this register knows: use {}",
                MeasureUnit::all()
                    .map(|u| format!("{} ({})", u.russian(), u.code()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?,
    };
    let code = |text: &Option<String>, check: fn(&str) -> Result<String, GoodsCodeError>| {
        text.as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(check)
            .transpose()
            .map_err(|e| ApiError::validation(format!("line {number}: {e}")))
    };
    Ok(LineInput {
        name: name.to_string(),
        price: Money::from_tiyn(item.price_tiyn),
        quantity: Quantity::from_thousandths(item.quantity_milli),
        taxation: table
            .resolve(group, for_return)
            .map_err(|e| ApiError::validation(format!("line {number}: {e}")))?,
        section: section.to_string(),
        adjustment: item.adjustment.as_ref().map(adjustment).transpose()?,
        unit,
        ntin: code(&item.ntin, goods::ntin)?,
        barcode: code(&item.barcode, goods::gtin)?,
        marks: Vec::new(),
    })
}

fn adjustment(a: &AdjustmentIn) -> Result<Adjustment, ApiError> {
    let value = match (a.percent_milli, a.amount_tiyn) {
        (Some(p), None) => AdjustmentValue::Percent(p),
        (None, Some(t)) if t >= 0 => AdjustmentValue::Fixed(Money::from_tiyn(t)),
        _ => {
            return Err(ApiError::validation(
                "a discount or markup is either a percentage or a non-negative amount",
            ));
        }
    };
    match a.kind.as_str() {
        "discount" => Ok(Adjustment::Discount(value)),
        "markup" => Ok(Adjustment::Markup(value)),
        other => Err(ApiError::validation(format!(
            "'{other}' is neither discount nor markup"
        ))),
    }
}

pub(crate) fn payment_kind(text: &str) -> Result<PaymentKind, ApiError> {
    match text {
        "cash" => Ok(PaymentKind::Cash),
        "card" => Ok(PaymentKind::Card),
        "mobile" => Ok(PaymentKind::Mobile),
        other => Err(ApiError::validation(format!(
            "payment type '{other}' is unknown: use cash, card or mobile"
        ))),
    }
}

pub(super) fn payments(list: &[PaymentIn]) -> Result<Vec<Payment>, ApiError> {
    if list.is_empty() {
        return Err(ApiError::validation(
            "no payment was given: add cash, card or mobile",
        ));
    }
    list.iter()
        .map(|p| {
            if p.amount_tiyn < 0 || p.amount_tiyn > crate::domain::money::MAX_AMOUNT.tiyn() {
                return Err(ApiError::validation("a payment amount is out of range"));
            }
            Ok(Payment {
                kind: payment_kind(&p.kind)?,
                amount: Money::from_tiyn(p.amount_tiyn),
            })
        })
        .collect()
}

/// the buyer's IIN/BIN on request; e-mail or phone for the electronic receipt.
pub(super) fn buyer(b: BuyerIn, seller_bin: &str) -> Result<BuyerPayload, ApiError> {
    let clean = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let out = BuyerPayload {
        iin_bin: clean(b.iin_bin),
        email: clean(b.email),
        phone: clean(b.phone),
    };
    if let Some(iin) = &out.iin_bin {
        check_iin_bin(iin)?;
        if iin == seller_bin {
            return Err(ApiError::validation(
                "the buyer's IIN/BIN is the seller's own: enter the buyer's number",
            ));
        }
    }
    if let Some(email) = &out.email
        && (!email.contains('@') || email.contains(' ') || email.len() > 254)
    {
        return Err(ApiError::validation(format!(
            "'{email}' is not an e-mail address"
        )));
    }
    if let Some(phone) = &out.phone {
        let digits = phone.chars().filter(|c| c.is_ascii_digit()).count();
        if !(10..=15).contains(&digits)
            || !phone
                .chars()
                .all(|c| c.is_ascii_digit() || "+-() ".contains(c))
        {
            return Err(ApiError::validation(format!(
                "'{phone}' is not a phone number: write it like +7 701 123 45 67"
            )));
        }
    }
    Ok(out)
}

/// What a receipt carries besides its arithmetic: the buyer and, for a return, the original.
pub(super) struct ReceiptContext {
    pub buyer: BuyerPayload,
    pub parent: Option<ParentPayload>,
    pub parent_lines: Vec<u32>,
}

fn payload(
    receipt: &Receipt,
    settings_demo: bool,
    (doc_no, shift_no): (i64, i64),
    caller: &Caller,
    context: ReceiptContext,
) -> ReceiptPayload {
    let ReceiptContext {
        buyer,
        parent,
        parent_lines,
    } = context;
    ReceiptPayload {
        demo: settings_demo,
        doc_no,
        shift_no,
        operation: receipt.operation.code(),
        cashier: UserRef {
            id: caller.user_id,
            name: caller.name.clone(),
        },
        lines: receipt
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| LinePayload {
                name: l.input.name.clone(),
                section: l.input.section.clone(),
                price: l.input.price.tiyn(),
                quantity: l.input.quantity.thousandths(),
                vat_rate: match l.input.taxation {
                    Taxation::Vat(r) => Some(r.thousandths_percent()),
                    Taxation::NoVat => None,
                },
                gross: l.gross.tiyn(),
                discount: l.discount.tiyn(),
                markup: l.markup.tiyn(),
                amount: l.sum.tiyn(),
                vat: l.vat.tiyn(),
                parent_line: parent_lines.get(i).copied(),
                unit: Some(l.input.unit.code().to_string()),
                ntin: l.input.ntin.clone(),
                barcode: l.input.barcode.clone(),
                marks: l.input.marks.clone(),
            })
            .collect(),
        subtotal: receipt.subtotal.tiyn(),
        discount: receipt.discount.tiyn(),
        markup: receipt.markup.tiyn(),
        total: receipt.total.tiyn(),
        taxes: receipt
            .taxes
            .iter()
            .map(|t| TaxPayload {
                rate: t.rate.thousandths_percent(),
                turnover: t.turnover.tiyn(),
                vat: t.vat.tiyn(),
            })
            .collect(),
        payments: receipt
            .payments
            .iter()
            .map(|p| PaymentPayload {
                kind: payment_name(p.kind).into(),
                amount: p.amount.tiyn(),
            })
            .collect(),
        taken: receipt.taken.tiyn(),
        change: receipt.change.tiyn(),
        buyer,
        parent,
    }
}

/// Checks the shift, the clock and the drawer, then journals the receipt durably.
pub(super) fn record(
    core: &Core,
    st: &mut State,
    caller: &Caller,
    receipt: Receipt,
    context: ReceiptContext,
) -> Result<(ReceiptOut, i64), ApiError> {
    let now: OffsetDateTime = core.now();
    let now_ms = millis(now);
    let demo = st.settings.demo;
    let offset = crate::core::offset_of(&st.settings);
    let dir = core.dir().to_path_buf();
    let State { store, block, .. } = st;
    let paying_out = receipt.operation.cash_direction() * receipt.net_cash().tiyn() < 0;
    let work = |w: &mut crate::journal::Writer<'_>| -> Result<(ReceiptPayload, i64), ApiError> {
        check_not_before(now, w.tip().map(|t| from_millis(t.created_at)))?;
        let (shift_no, opens) = shift_state(w.conn())?.admit_operation(now)?;
        let paid_out = -receipt.operation.cash_direction() * receipt.net_cash().tiyn();
        if paid_out > 0 {
            let in_drawer = current_report(w.conn(), now_ms)?.cash_sum;
            if in_drawer < paid_out {
                return Err(insufficient_cash(in_drawer, paid_out));
            }
        }
        open_shift_if_needed(w, block, &dir, opens, shift_no as i64, caller, now_ms)?;
        let doc_no = next_doc_no(w.conn())?;
        let p = payload(&receipt, demo, (doc_no, shift_no as i64), caller, context);
        let seq = w.append(
            RecordKind::Receipt,
            now_ms,
            Placement {
                shift_no: Some(shift_no as i64),
                doc_no: Some(doc_no),
            },
            &p,
        )?;
        Ok((p, seq))
    };
    // Money paid out is checked against the drawer, which reads the report rows; a
    // sale reads none, so its rows may wait (`Store::write_sale`).
    let (stored, seq) = if paying_out {
        store.write(work)?
    } else {
        store.write_sale(work)?
    };
    Ok((receipt_out(&stored, now_ms, offset), seq))
}

pub(crate) fn insufficient_cash(in_drawer: i64, needed: i64) -> ApiError {
    ApiError::new(
        ErrorCode::InsufficientCash,
        format!(
            "the drawer holds {} tenge but {} are to be paid out: deposit cash first or pay by card",
            Money::from_tiyn(in_drawer),
            Money::from_tiyn(needed)
        ),
    )
}

pub(crate) fn receipt_out(
    p: &ReceiptPayload,
    created_at: i64,
    offset: time::UtcOffset,
) -> ReceiptOut {
    ReceiptOut {
        demo: p.demo,
        number: p.doc_no,
        shift: p.shift_no,
        operation: operation_name(p.operation).into(),
        created_at: local_time(created_at, offset),
        cashier: p.cashier.name.clone(),
        total_tiyn: p.total,
        vat_tiyn: p.taxes.iter().map(|t| t.vat).sum(),
        taken_tiyn: p.taken,
        change_tiyn: p.change,
        fiscal_sign: None,
        autonomous: false,
        qr: None,
        notices: Vec::new(),
        created_ms: created_at,
        printed: None,
        original_number: p.parent.as_ref().map(|x| x.doc_no),
        lines: p
            .lines
            .iter()
            .map(|l| LineOut {
                name: l.name.clone(),
                section: l.section.clone(),
                quantity: Quantity::from_thousandths(l.quantity).to_string(),
                price_tiyn: l.price,
                discount_tiyn: l.discount,
                markup_tiyn: l.markup,
                amount_tiyn: l.amount,
                vat_rate_milli: l.vat_rate,
                vat_tiyn: l.vat,
                unit: l.measure_unit().code().to_string(),
                ntin: l.ntin.clone(),
                barcode: l.barcode.clone(),
                marks: l.marks.clone(),
                returnable_milli: None,
            })
            .collect(),
        payments: p
            .payments
            .iter()
            .map(|x| PaymentOut {
                kind: x.kind.clone(),
                amount_tiyn: x.amount,
            })
            .collect(),
    }
}

/// Finds a stored receipt by its document number.
pub(super) fn find(st: &State, number: i64) -> Result<(i64, i64, ReceiptPayload), ApiError> {
    // The journal's unique document-number index finds it at once; a database error
    // is reported as such, never as "no such receipt".
    let seq: Option<i64> = st
        .store
        .conn()
        .prepare_cached("SELECT seq FROM journal WHERE doc_no = ?1 AND kind = 'receipt'")?
        .query_row(params![number], |r| r.get(0))
        .optional()?;
    let not_found = || {
        ApiError::new(
            ErrorCode::NotFound,
            format!("there is no receipt number {number} on this register"),
        )
    };
    let seq = seq.ok_or_else(not_found)?;
    let record = st.store.get(seq)?.ok_or_else(not_found)?;
    Ok((seq, record.created_at, record.decode()?))
}

pub fn get(core: &Core, _caller: &Caller, input: NumberIn) -> Result<ReceiptOut, ApiError> {
    Ok(stored(&core.lock(), input.number)?.0)
}

/// Receipt `number` as shown, with its signs and QR link; also its journal `seq` and
/// its payload, for callers that need more of it.
pub(super) fn stored(
    st: &State,
    number: i64,
) -> Result<(ReceiptOut, i64, ReceiptPayload), ApiError> {
    let (seq, created_at, p) = find(st, number)?;
    let mut out = receipt_out(&p, created_at, crate::core::offset_of(&st.settings));
    let signs = crate::link::signs_of(st.store.conn(), seq)?;
    out.autonomous = signs.autonomous.is_some();
    out.fiscal_sign = signs.printed_sign();
    out.qr = signs.qr.clone().or_else(|| {
        out.fiscal_sign
            .as_ref()
            .map(|s| crate::link::check_url(&st.settings, s, p.total, created_at))
    });
    Ok((out, seq, p))
}

/// What is left to return of each line of the original: (quantity, amount).
pub(super) fn remaining(
    st: &State,
    seq: i64,
    original: &ReceiptPayload,
) -> Result<Vec<(i64, i64)>, ApiError> {
    let mut left: Vec<(i64, i64)> = original
        .lines
        .iter()
        .map(|l| (l.quantity, l.amount))
        .collect();
    let mut stmt = st.store.conn().prepare_cached(
        "SELECT parent_line, sum(quantity), sum(amount) FROM doc_line WHERE parent_seq = ?1 GROUP BY parent_line",
    )?;
    let mut rows = stmt.query(params![seq])?;
    while let Some(row) = rows.next()? {
        let line: i64 = row.get(0)?;
        if let Some(slot) = left.get_mut((line - 1).max(0) as usize) {
            slot.0 -= row.get::<_, i64>(1)?;
            slot.1 -= row.get::<_, i64>(2)?;
        }
    }
    Ok(left)
}

pub fn refund(core: &Core, caller: &Caller, input: ReturnIn) -> Result<ReceiptOut, ApiError> {
    let lang = super::paper::print_lang(input.lang.as_deref())?;
    let route = core.printer_gate(false)?;
    let warnings = core.link_gate()?;
    let mut st = core.lock_fresh()?;
    st.ensure_unblocked()?;
    let (seq, created_at, original) = find(&st, input.original_number)?;
    let operation = Operation::from_code(original.operation as i64)
        .and_then(Operation::returned_as)
        .ok_or_else(|| {
            ApiError::validation(format!(
                "receipt {} is itself a return and cannot be returned",
                input.original_number
            ))
        })?;
    let left = remaining(&st, seq, &original)?;
    let no_marks: &[String] = &[];
    let wanted: Vec<(usize, Option<i64>, &[String])> = match &input.items {
        None => (0..original.lines.len())
            .filter(|&i| left[i].0 > 0)
            .map(|i| (i, None, no_marks))
            .collect(),
        Some(items) => items
            .iter()
            .map(|item| {
                let marks = item.marks.as_deref().unwrap_or_default();
                // Scanned codes say how many units come back.
                let quantity = item
                    .quantity_milli
                    .or((!marks.is_empty()).then_some(marks.len() as i64 * 1000));
                Ok((resolve_line(&original, &left, item)?, quantity, marks))
            })
            .collect::<Result<_, ApiError>>()?,
    };
    if wanted.is_empty() {
        return Err(ApiError::new(
            ErrorCode::OverReturn,
            format!(
                "everything on receipt {} has already been returned",
                input.original_number
            ),
        ));
    }
    let mut lines = Vec::new();
    let mut parent_lines = Vec::new();
    for (index, quantity, given_marks) in wanted {
        let line = &original.lines[index];
        let (qty_left, amount_left) = left[index];
        let quantity = quantity.unwrap_or(qty_left);
        if quantity <= 0 || quantity > qty_left {
            return Err(ApiError::new(
                ErrorCode::OverReturn,
                format!(
                    "line {} '{}': {} sold, {} already returned, at most {} can be returned",
                    index + 1,
                    line.name,
                    Quantity::from_thousandths(line.quantity),
                    Quantity::from_thousandths(line.quantity - qty_left),
                    Quantity::from_thousandths(qty_left.max(0))
                ),
            ));
        }
        let marks = super::marking::return_codes(
            &st,
            original.doc_no,
            index + 1,
            line,
            quantity,
            given_marks,
        )?;
        // The last units take what is left, so a line returned in parts adds up exactly.
        let amount = if quantity == qty_left {
            amount_left
        } else {
            crate::domain::money::div_round(
                line.amount as i128 * quantity as i128,
                line.quantity as i128,
            ) as i64
        };
        let gross = Quantity::from_thousandths(quantity).times(Money::from_tiyn(line.price));
        let difference = amount - gross.tiyn();
        lines.push(LineInput {
            name: line.name.clone(),
            price: Money::from_tiyn(line.price),
            quantity: Quantity::from_thousandths(quantity),
            taxation: line.vat_rate.map_or(Taxation::NoVat, |r| {
                Taxation::Vat(VatRate::from_thousandths_percent(r))
            }),
            section: line.section.clone(),
            adjustment: match difference {
                0 => None,
                d if d < 0 => Some(Adjustment::Discount(AdjustmentValue::Fixed(
                    Money::from_tiyn(-d),
                ))),
                d => Some(Adjustment::Markup(AdjustmentValue::Fixed(
                    Money::from_tiyn(d),
                ))),
            },
            unit: line.measure_unit(),
            ntin: line.ntin.clone(),
            barcode: line.barcode.clone(),
            marks,
        });
        parent_lines.push(index as u32 + 1);
    }
    let total: i64 = {
        // Work the total out first to spread the refund over the original's payments.
        let probe = receipt::calculate(
            ReceiptInput {
                operation: Operation::Sell,
                lines: lines.clone(),
                adjustment: None,
                payments: vec![Payment {
                    kind: PaymentKind::Cash,
                    amount: crate::domain::money::MAX_AMOUNT,
                }],
            },
            true,
        )?;
        probe.total.tiyn()
    };
    let refund_payments = match &input.payments {
        Some(list) => payments(list)?,
        None => proportional_refund(&original, total),
    };
    let receipt = receipt::calculate(
        ReceiptInput {
            operation,
            lines,
            adjustment: None,
            payments: refund_payments,
        },
        true,
    )?;
    let signs = crate::link::signs_of(st.store.conn(), seq)?;
    let parent = ParentPayload {
        seq,
        doc_no: original.doc_no,
        created_at,
        rnm: st.settings.rnm.clone(),
        total: original.total,
        // What the buyer's receipt shows: the operator's sign, or the autonomous one
        // if the original has not reached the operator yet (spec §5.5, gap 10).
        fiscal_sign: signs.printed_sign(),
        offline: signs.autonomous.is_some(),
    };
    let context = ReceiptContext {
        buyer: original.buyer.clone(),
        parent: Some(parent),
        parent_lines,
    };
    let (out, seq) = record(core, &mut st, caller, receipt, context)?;
    drop(st);
    let out = fiscalised(core, out, seq, warnings);
    super::paper::printed(core, out, &route, lang)
}

fn resolve_line(
    original: &ReceiptPayload,
    left: &[(i64, i64)],
    item: &ReturnItemIn,
) -> Result<usize, ApiError> {
    if let Some(line) = item.line {
        let index = line as usize;
        if index == 0 || index > original.lines.len() {
            return Err(ApiError::validation(format!(
                "receipt {} has lines 1 to {}, not {line}",
                original.doc_no,
                original.lines.len()
            )));
        }
        return Ok(index - 1);
    }
    let name = item
        .name
        .as_deref()
        .ok_or_else(|| ApiError::validation("name the line to return by its number or its name"))?;
    let matching: Vec<usize> = (0..original.lines.len())
        .filter(|&i| original.lines[i].name.eq_ignore_ascii_case(name.trim()))
        .collect();
    matching
        .iter()
        .copied()
        .find(|&i| left[i].0 > 0)
        .or(matching.first().copied())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("receipt {} has no item named '{name}'", original.doc_no),
            )
        })
}

/// Money goes back the way it came: the refund is spread over the original's cash
/// (net of change), card and mobile amounts, by the largest-remainder rule.
fn proportional_refund(original: &ReceiptPayload, total: i64) -> Vec<Payment> {
    let paid = |kind: &str| -> i64 {
        original
            .payments
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.amount)
            .sum()
    };
    let parts = [
        (PaymentKind::Cash, paid("cash") - original.change),
        (PaymentKind::Card, paid("card")),
        (PaymentKind::Mobile, paid("mobile")),
    ];
    let weights: Vec<i64> = parts.iter().map(|p| p.1).collect();
    if weights.iter().all(|&w| w <= 0) {
        return vec![Payment {
            kind: PaymentKind::Cash,
            amount: Money::from_tiyn(total),
        }];
    }
    parts
        .iter()
        .zip(crate::domain::money::split_proportionally(total, &weights))
        .filter(|(_, amount)| *amount > 0)
        .map(|(&(kind, _), amount)| Payment {
            kind,
            amount: Money::from_tiyn(amount),
        })
        .collect()
}

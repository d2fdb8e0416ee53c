//! Returns of receipts this register did not issue: bought before it was registered,
//! on the shop's previous register, or on another register of the same shop (R-80,
//! spec §5.5). The buyer brings the paper receipt; the cashier types what identifies
//! it (the issuing register's RNM, its fiscal sign, date and time, total) and what
//! comes back, at the prices and VAT printed on it: the pre-2026 12 % is allowed here
//! and only here (issue 3, domain).
//!
//! The original is not in this journal, so the limits are the ones the paper gives: a
//! return never exceeds the original's total, also summed over earlier returns of the
//! same receipt. A receipt of this register is returned by its number instead.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use time::PrimitiveDateTime;
use time::macros::format_description;

use super::dto::{BuyerIn, ItemIn, PaymentIn, ReceiptOut};
use super::receipts::{self, ReceiptContext};
use crate::core::{Core, millis, offset_of};
use crate::domain::receipt::{self, Operation, ReceiptInput};
use crate::domain::vat::TaxTable;
use crate::error::{ApiError, ErrorCode};
use crate::journal::record::{ParentPayload, ReceiptPayload};
use crate::users::Caller;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ExternalOriginalIn {
    /// The registration number (РНМ) of the register that issued it, as printed.
    pub rnm: String,
    /// Its fiscal sign (or autonomous sign), as printed.
    pub fiscal_sign: String,
    /// Its date and time as printed, in the register's time zone: `YYYY-MM-DD HH:MM[:SS]`.
    pub date_time: String,
    pub total_tiyn: i64,
    /// True when the receipt says "Автономды" / "Автономный".
    #[serde(default)]
    pub offline: bool,
    /// sell (default) or buy: what the original was.
    pub operation: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ExternalReturnIn {
    pub original: ExternalOriginalIn,
    /// What comes back, at the original's prices and VAT groups (`12` allowed).
    pub items: Vec<ItemIn>,
    /// How the money goes back.
    pub payments: Vec<PaymentIn>,
    pub buyer: Option<BuyerIn>,
}

pub fn refund_external(
    core: &Core,
    caller: &Caller,
    input: ExternalReturnIn,
) -> Result<ReceiptOut, ApiError> {
    let route = core.printer_gate(false)?;
    let warnings = core.link_gate()?;
    let mut st = core.lock_fresh()?;
    st.ensure_unblocked()?;
    let settings = st.settings.clone();
    let o = &input.original;
    let rnm = o.rnm.trim();
    if rnm.chars().count() < 12 || rnm.chars().count() > 32 {
        return Err(ApiError::validation(
            "the original's RNM must be the 12 or more characters printed on it",
        ));
    }
    if rnm == settings.rnm.trim() {
        return Err(ApiError::validation(
            "this receipt was issued by this register: return it by its number (receipt_return)",
        ));
    }
    let sign = o.fiscal_sign.trim();
    if sign.is_empty() || sign.chars().count() > 64 {
        return Err(ApiError::validation(
            "the original's fiscal sign must be given as printed (1 to 64 characters)",
        ));
    }
    if o.total_tiyn <= 0 || o.total_tiyn > crate::domain::money::MAX_AMOUNT.tiyn() {
        return Err(ApiError::validation(
            "the original's total must be the positive amount printed on it",
        ));
    }
    let issued = PrimitiveDateTime::parse(
        o.date_time.trim(),
        format_description!("[year]-[month]-[day] [hour]:[minute][optional [:[second]]]"),
    )
    .map_err(|_| {
        ApiError::validation(format!(
            "'{}' is not a date and time: write it as printed, YYYY-MM-DD HH:MM",
            o.date_time
        ))
    })?
    .assume_offset(offset_of(&settings));
    if issued > core.now() {
        return Err(ApiError::validation(
            "the original's date is in the future: check the date on the receipt",
        ));
    }
    let operation = match o.operation.as_deref() {
        None | Some("sell") => Operation::Sell,
        Some("buy") => Operation::Buy,
        Some(other) => {
            return Err(ApiError::validation(format!(
                "'{other}' is not what the original can be: sell or buy"
            )));
        }
    };
    let returned_as = operation.returned_as().ok_or_else(|| {
        ApiError::new(
            ErrorCode::Internal,
            "a sale or purchase always has a return",
        )
    })?;
    let table = TaxTable::default();
    let mut lines = Vec::with_capacity(input.items.len());
    for (i, item) in input.items.iter().enumerate() {
        lines.push(receipts::line_input(
            i + 1,
            item,
            &table,
            &settings.default_vat_group,
            true,
        )?);
    }
    let receipt = receipt::calculate(
        ReceiptInput {
            operation: returned_as,
            lines,
            adjustment: None,
            payments: receipts::payments(&input.payments)?,
        },
        settings.vat_payer,
    )?;
    let earlier = returned_before(&st, rnm, sign)?;
    if earlier + receipt.total.tiyn() > o.total_tiyn {
        return Err(ApiError::new(
            ErrorCode::OverReturn,
            format!(
                "the receipt's total is {} tenge and {} were returned before: at most {} tenge can come back",
                crate::domain::Money::from_tiyn(o.total_tiyn),
                crate::domain::Money::from_tiyn(earlier),
                crate::domain::Money::from_tiyn((o.total_tiyn - earlier).max(0))
            ),
        ));
    }
    let buyer = receipts::buyer(input.buyer.clone().unwrap_or_default(), &settings.bin)?;
    let context = ReceiptContext {
        buyer,
        parent: Some(ParentPayload {
            // Not in this journal: no sequence number, no document number.
            seq: 0,
            doc_no: 0,
            created_at: millis(issued),
            rnm: rnm.to_string(),
            total: o.total_tiyn,
            fiscal_sign: Some(sign.to_string()),
            offline: o.offline,
        }),
        parent_lines: Vec::new(),
    };
    let (out, seq) = receipts::record(core, &mut st, caller, receipt, context)?;
    drop(st);
    let out = receipts::fiscalised(core, out, seq, warnings);
    super::paper::printed(core, out, &route, crate::receipt_layout::Lang::Kk)
}

/// What earlier returns of the same foreign receipt gave back. Such returns are rare
/// and are the only returns whose original has no sequence number (`parent_seq` 0).
fn returned_before(st: &crate::core::State, rnm: &str, sign: &str) -> Result<i64, ApiError> {
    let conn = st.store.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT j.payload FROM doc d JOIN journal j ON j.seq = d.seq
         WHERE d.kind = 'receipt' AND d.parent_seq = 0",
    )?;
    let mut rows = stmt.query(params![])?;
    let mut sum = 0;
    while let Some(row) = rows.next()? {
        let bytes: Vec<u8> = row.get(0)?;
        let Ok(p) = serde_json::from_slice::<ReceiptPayload>(&bytes) else {
            continue;
        };
        if let Some(parent) = &p.parent
            && parent.rnm == rnm
            && parent.fiscal_sign.as_deref() == Some(sign)
        {
            sum += p.total;
        }
    }
    Ok(sum)
}

//! Finding the receipt a buyer brings back: by its number, or by the link in its
//! QR code (R-72, R-73: `i` is the fiscal sign, `f` the register's RNM), with what is
//! left to return of each line. Reading only; the return itself is `receipt_return`.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::dto::ReceiptOut;
use super::receipts::{remaining, stored};
use crate::core::Core;
use crate::error::{ApiError, ErrorCode};
use crate::users::Caller;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct FindIn {
    pub number: Option<i64>,
    /// The receipt-check link read from the receipt's QR code.
    pub qr: Option<String>,
}

/// The value of `key` in the query string of `url`.
fn query_value<'a>(url: &'a str, key: &str) -> Option<&'a str> {
    let (_, query) = url.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// The document number of the receipt with this printed fiscal sign (the operator's,
/// or the register's own autonomous one).
fn number_by_sign(core: &Core, sign: &str) -> Result<Option<i64>, ApiError> {
    let st = core.lock();
    Ok(st
        .store
        .conn()
        .prepare_cached(
            "SELECT j.doc_no FROM doc_fiscal f JOIN journal j ON j.seq = f.doc_seq
             WHERE j.kind = 'receipt'
               AND (f.fiscal_sign = ?1 OR CAST(f.autonomous_sign AS TEXT) = ?1)
             ORDER BY j.seq LIMIT 1",
        )?
        .query_row([sign], |r| r.get(0))
        .optional()?)
}

fn number_from_qr(core: &Core, url: &str) -> Result<i64, ApiError> {
    let (Some(sign), Some(rnm)) = (query_value(url, "i"), query_value(url, "f")) else {
        return Err(ApiError::validation(
            "this is not a receipt's QR code (it has no i= and f=): type the receipt's number instead",
        ));
    };
    let ours = core.settings().rnm;
    if rnm != ours {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!(
                "the receipt was issued by register {rnm}, not this one ({ours}): return it as another register's receipt"
            ),
        ));
    }
    number_by_sign(core, sign)?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("no receipt of this register has the fiscal sign {sign}"),
        )
    })
}

pub fn find_receipt(core: &Core, _caller: &Caller, input: FindIn) -> Result<ReceiptOut, ApiError> {
    let number = match (input.number, input.qr.as_deref()) {
        (Some(n), _) => n,
        (None, Some(url)) => number_from_qr(core, url.trim())?,
        (None, None) => {
            return Err(ApiError::validation(
                "give the receipt's number or scan its QR code",
            ));
        }
    };
    let st = core.lock();
    let (mut out, seq, original) = stored(&st, number)?;
    // Only sales and purchases are returned; a return has nothing left to return.
    if original.parent.is_none() {
        for (line, (quantity, _)) in out.lines.iter_mut().zip(remaining(&st, seq, &original)?) {
            line.returnable_milli = Some(quantity.max(0));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_link_gives_its_sign_and_register() {
        let url =
            "https://consumer.oofd.kz?i=2358573071&f=600400300200&s=1170.75&t=20260302T141530";
        assert_eq!(query_value(url, "i"), Some("2358573071"));
        assert_eq!(query_value(url, "f"), Some("600400300200"));
        assert_eq!(query_value(url, "x"), None);
        assert_eq!(query_value("no query", "i"), None);
    }
}

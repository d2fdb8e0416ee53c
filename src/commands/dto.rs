//! The JSON shapes of command inputs and outputs: the only serialisable view of the
//! core for the shells (CLI, desktop, HTTP).
//!
//! Amounts are integer tiyn (`*_tiyn`), quantities thousandths (`quantity_milli`),
//! rates thousandths of a percent, times RFC 3339 in the register's time zone. Field
//! names are snake_case: the CLI's `--json` output is a documented contract.

use serde::{Deserialize, Serialize};

use crate::journal::record::Settings;
use crate::journal::report::{CashierTotals, SectionReportRow, ShiftReport};
use crate::journal::verify::Failure;

/// For commands without input; `null` is accepted too.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct Empty {}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct LoginIn {
    pub pin: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct AdjustmentIn {
    /// discount or markup.
    pub kind: String,
    /// A percentage in thousandths of a percent (10 % = 10000)…
    pub percent_milli: Option<u32>,
    /// …or a fixed amount.
    pub amount_tiyn: Option<i64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ItemIn {
    pub name: String,
    pub price_tiyn: i64,
    pub quantity_milli: i64,
    /// A VAT group of the tax table (`16`, `10`, `5`, `0`, `exempt`); the register's
    /// default when absent.
    pub vat_group: Option<String>,
    pub section: Option<String>,
    pub adjustment: Option<AdjustmentIn>,
    /// Unit of measure: an ИС ЭСФ code ("166") or a short name ("кг", "шт"); pieces
    /// when absent. Only weighed or measured units take fractional quantities.
    #[serde(default)]
    pub unit: Option<String>,
    /// National Catalogue code (НТИН), up to 14 digits (R-2 element 8).
    #[serde(default)]
    pub ntin: Option<String>,
    /// GTIN barcode (8, 12, 13 or 14 digits, check digit verified).
    #[serde(default)]
    pub barcode: Option<String>,
    /// The catalogue article the line was taken from; a marked article needs `marks`.
    #[serde(default)]
    pub goods_code: Option<String>,
    /// Marking codes (DataMatrix) as scanned, one per unit; GS as `\u001d`,
    /// `<GS>` or the scanner's substitute.
    #[serde(default)]
    pub marks: Option<Vec<String>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PaymentIn {
    /// cash, card or mobile.
    pub kind: String,
    pub amount_tiyn: i64,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct BuyerIn {
    pub iin_bin: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ReceiptIn {
    /// sell (default) or buy.
    pub operation: Option<String>,
    pub items: Vec<ItemIn>,
    pub adjustment: Option<AdjustmentIn>,
    pub payments: Vec<PaymentIn>,
    pub buyer: Option<BuyerIn>,
    /// The language of the printed receipt, kk (default) or ru.
    #[serde(default)]
    pub lang: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ReturnItemIn {
    /// The line on the original receipt, from 1…
    pub line: Option<u32>,
    /// …or its name.
    pub name: Option<String>,
    /// What is left to return when absent (or one unit per code in `marks`).
    pub quantity_milli: Option<i64>,
    /// For a marked line: the code of each unit returned, as sold.
    #[serde(default)]
    pub marks: Option<Vec<String>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ReturnIn {
    /// The document number of the original receipt.
    pub original_number: i64,
    /// Everything not yet returned when absent.
    pub items: Option<Vec<ReturnItemIn>>,
    /// How the money goes back; in the original's proportions when absent.
    pub payments: Option<Vec<PaymentIn>>,
    /// The language of the printed return, kk (default) or ru.
    #[serde(default)]
    pub lang: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct LineOut {
    pub name: String,
    pub section: String,
    pub quantity: String,
    pub price_tiyn: i64,
    pub discount_tiyn: i64,
    pub markup_tiyn: i64,
    pub amount_tiyn: i64,
    pub vat_rate_milli: Option<u32>,
    pub vat_tiyn: i64,
    /// ИС ЭСФ unit code, like "796" (piece) or "166" (kilogram).
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barcode: Option<String>,
    /// What may still be returned of this line, in thousandths (`receipt_find` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returnable_milli: Option<i64>,
    /// The marking codes sold or returned on this line, one per unit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PaymentOut {
    pub kind: String,
    pub amount_tiyn: i64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ReceiptOut {
    pub demo: bool,
    /// Continuous document number of the register.
    pub number: i64,
    pub shift: i64,
    /// sell, sell_return, buy or buy_return.
    pub operation: String,
    pub created_at: String,
    pub cashier: String,
    pub total_tiyn: i64,
    pub vat_tiyn: i64,
    pub taken_tiyn: i64,
    pub change_tiyn: i64,
    /// The operator's fiscal sign; null until the operator link fiscalises the receipt.
    pub fiscal_sign: Option<String>,
    /// True when issued in autonomous mode with the register's own sign: the receipt
    /// then says "Автономды" / "Автономный".
    pub autonomous: bool,
    /// The receipt-check URL the QR code carries.
    pub qr: Option<String>,
    /// What to tell the cashier now: autonomous mode, the 72-hour countdown, texts from
    /// the operator or the tax authority.
    pub notices: Vec<crate::problem::Problem>,
    /// `created_at` as Unix ms, for printing and the QR code.
    pub created_ms: i64,
    /// Whether the printer printed it (null without a printer). False blocks the next
    /// document until `receipt_print` succeeds.
    #[serde(default)]
    pub printed: Option<bool>,
    pub original_number: Option<i64>,
    pub lines: Vec<LineOut>,
    pub payments: Vec<PaymentOut>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct NumberIn {
    pub number: i64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct CashIn {
    pub amount_tiyn: i64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct CashOut {
    pub demo: bool,
    pub number: i64,
    pub shift: i64,
    /// deposit or withdrawal.
    pub direction: String,
    pub amount_tiyn: i64,
    pub cash_in_drawer_tiyn: i64,
    pub created_at: String,
    /// Queued for the operator in autonomous mode.
    pub autonomous: bool,
    pub notices: Vec<crate::problem::Problem>,
}

/// The header printed on every report and receipt (R-2 elements 1–5).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct HeaderOut {
    pub demo: bool,
    pub org_name: String,
    pub bin: String,
    pub address: String,
    pub rnm: String,
    pub factory_number: String,
    pub kkm_id: String,
    pub vat_payer: bool,
    /// `kk` or `ru`: the language the login screen shows (settings `default_lang`).
    pub default_lang: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ReportOut {
    pub header: HeaderOut,
    /// X or Z.
    pub kind: String,
    /// The Z number, at least four digits (`0007`).
    pub z_number: Option<String>,
    pub number: Option<i64>,
    pub opened_at: Option<String>,
    pub taken_at: String,
    pub shift_checksum: Option<String>,
    pub total_checksum: Option<String>,
    pub report: ShiftReport,
    /// A Z closed in autonomous mode, queued for the operator.
    #[serde(default)]
    pub autonomous: bool,
    #[serde(default)]
    pub notices: Vec<crate::problem::Problem>,
}

/// `shift_close`: the Z prints at once in this language, kk (default) or ru.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct CloseIn {
    pub lang: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ShiftIn {
    /// The open shift (or the last closed one) when absent.
    pub shift: Option<i64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct CashierReportOut {
    pub header: HeaderOut,
    pub shift: i64,
    pub cashiers: Vec<CashierTotals>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct SectionReportOut {
    pub header: HeaderOut,
    pub shift: i64,
    pub sections: Vec<SectionReportRow>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ShiftStatusOut {
    /// open or closed.
    pub state: String,
    pub number: i64,
    pub opened_at: Option<String>,
    /// When the shift must be closed (24 h after its first operation, R-15).
    pub deadline: Option<String>,
    pub expired: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct StatusOut {
    pub header: HeaderOut,
    pub shift: ShiftStatusOut,
    pub blocked: Option<Failure>,
    pub cash_in_drawer_tiyn: i64,
    pub last_document_at: Option<String>,
    pub now: String,
    /// The receipt printer; absent when none is attached.
    #[serde(default)]
    pub printer: Option<crate::printing::PrinterStatus>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct UserAddIn {
    pub name: String,
    pub role: String,
    pub pin: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct UserIdIn {
    pub id: i64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct SettingsUpdateIn {
    pub changes: serde_json::Map<String, serde_json::Value>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct SettingsOut {
    pub settings: Settings,
    pub changed: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct VerifyOut {
    pub ok: bool,
    pub records: i64,
    pub shifts_checked: i64,
    pub last_seq: i64,
    pub failure: Option<Failure>,
    pub seconds: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ExportIn {
    /// First day, `YYYY-MM-DD`, in the register's time zone.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    pub after_seq: Option<i64>,
    pub limit: Option<i64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ExportRecord {
    pub seq: i64,
    pub kind: String,
    pub created_at_ms: i64,
    pub created_at: String,
    pub shift_no: Option<i64>,
    pub doc_no: Option<i64>,
    /// The record's canonical bytes, as a JSON value.
    pub payload: serde_json::Value,
    /// The exact bytes, hex, for recomputing the checksum.
    pub payload_hex: String,
    pub checksum: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ExportPage {
    pub header: HeaderOut,
    /// Checksum of the record before the first one of this page (zeros at record 1).
    pub previous_checksum: Option<String>,
    pub records: Vec<ExportRecord>,
    /// Pass as `after_seq` for the next page; null at the end.
    pub next_after_seq: Option<i64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct RebuildOut {
    pub records: i64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PrintIn {
    pub number: i64,
    /// kk (default) or ru.
    pub lang: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct PrintOut {
    pub number: i64,
    /// Printed as a marked copy (a reprint) rather than the original.
    pub copy: bool,
}

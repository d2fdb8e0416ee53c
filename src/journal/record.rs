//! The kinds of journal records and their payloads: the canonical bytes each record
//! stores and chains.
//!
//! Payloads are JSON objects with a fixed field order (serde writes struct fields in
//! declaration order), so the bytes of a record are a pure function of its content.
//! Amounts are integer tiyn, quantities thousandths, rates thousandths of a percent,
//! times Unix milliseconds. The export format and ARCHITECTURE.md document them.
//! Changing a field's meaning needs a new kind, never an edit: old records must keep
//! their meaning for the register's whole life.

use serde::{Deserialize, Serialize};

use super::report::ShiftReport;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    /// The register's registration data and the key's fingerprint (first record).
    Registration,
    /// A change of settings: the full new settings snapshot.
    Settings,
    /// A user added, disabled or given a new PIN (the PIN hash is not recorded).
    User,
    /// The running software's version and binary checksum, whenever it changes.
    Software,
    ShiftOpen,
    Receipt,
    Cash,
    ZReport,
    IntegrityCheck,
    /// A fiscal document's request as first sent to the operator, with its exact bytes.
    OfdRequest,
    /// An answer of the operator (or a refusal) and the token held after it.
    OfdAnswer,
    /// A document given an autonomous fiscal sign and queued for replay.
    Autonomous,
    /// The link changed mode: online, autonomous or blocked.
    LinkMode,
    /// A person's decision about a document the operator refused (spec §1.11).
    OfdResolution,
    /// A receipt the printer failed to print, or printed later (R-32, item 84).
    Printing,
}

impl RecordKind {
    pub const ALL: [RecordKind; 15] = [
        RecordKind::Registration,
        RecordKind::Settings,
        RecordKind::User,
        RecordKind::Software,
        RecordKind::ShiftOpen,
        RecordKind::Receipt,
        RecordKind::Cash,
        RecordKind::ZReport,
        RecordKind::IntegrityCheck,
        RecordKind::OfdRequest,
        RecordKind::OfdAnswer,
        RecordKind::Autonomous,
        RecordKind::LinkMode,
        RecordKind::OfdResolution,
        RecordKind::Printing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Registration => "registration",
            RecordKind::Settings => "settings",
            RecordKind::User => "user",
            RecordKind::Software => "software",
            RecordKind::ShiftOpen => "shift_open",
            RecordKind::Receipt => "receipt",
            RecordKind::Cash => "cash",
            RecordKind::ZReport => "z_report",
            RecordKind::IntegrityCheck => "integrity_check",
            RecordKind::OfdRequest => "ofd_request",
            RecordKind::OfdAnswer => "ofd_answer",
            RecordKind::Autonomous => "autonomous",
            RecordKind::LinkMode => "link_mode",
            RecordKind::OfdResolution => "ofd_resolution",
            RecordKind::Printing => "printing",
        }
    }

    /// Receipts and cash slips: nearly every record, left out of the index by kind.
    pub fn is_frequent(self) -> bool {
        matches!(self, RecordKind::Receipt | RecordKind::Cash)
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// The registration and settings of the register (R-89…R-95). Every receipt header
/// field comes from here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct Settings {
    /// A demo register: every document is marked as not fiscal.
    pub demo: bool,
    pub org_name: String,
    /// Seller's BIN or IIN.
    pub bin: String,
    pub address: String,
    pub vat_payer: bool,
    pub vat_certificate: Option<String>,
    pub factory_number: String,
    /// Registration number with the tax authority (РНМ), ≥ 12 characters.
    pub rnm: String,
    /// The register's identifier at the operator (OFD id).
    pub kkm_id: String,
    /// The current token for the operator (initial, later updated by the link).
    pub token: u32,
    /// Operator addresses in order of priority (`host:port`), at least one.
    pub ofd_channels: Vec<String>,
    pub ofd_name: String,
    /// Base of the receipt-check address printed and put in the QR code.
    pub receipt_check_url: String,
    pub protocol_version: String,
    /// The register's time zone as an offset from UTC; Kazakhstan is UTC+5.
    pub utc_offset_minutes: i32,
    /// Tax regime code of the protocol's `TaxationTypeEnum` (101 = general regime).
    pub taxation_type: u32,
    /// VAT group used when an item names none.
    pub default_vat_group: String,
    /// Where the register stands, `LATITUDE,LONGITUDE` in decimal degrees, sent to the
    /// operator in every service block (spec §3.7 GeoPosition; required with fiscal
    /// commands in 2.0.4). Absent in records written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The largest discount a cashier may give, in thousandths of a percent (10 % =
    /// 10000); 10 % when absent. Administrators have no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_limit_cashier: Option<u32>,
    /// The same for managers; 50 % when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_limit_manager: Option<u32>,
    /// `kk` or `ru`: the language the till's screens start in and go back to at every
    /// logout, so one cashier's choice does not greet the next. Kazakh when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_lang: Option<String>,
}

impl Settings {
    /// The discount limit of `role` (thousandths of a percent); none for an administrator.
    pub fn discount_limit(&self, role: crate::users::Role) -> Option<u32> {
        use crate::users::Role;
        match role {
            Role::Admin => None,
            Role::Manager => Some(self.discount_limit_manager.unwrap_or(50_000)),
            Role::Cashier | Role::Inspector => Some(self.discount_limit_cashier.unwrap_or(10_000)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationPayload {
    pub settings: Settings,
    pub key_store: String,
    pub key_fingerprint: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPayload {
    pub by: UserRef,
    pub changed: Vec<String>,
    pub settings: Settings,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPayload {
    pub action: String,
    pub user_id: i64,
    pub name: String,
    pub role: String,
    pub by: Option<UserRef>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwarePayload {
    pub name: String,
    pub version: String,
    pub executable: String,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftOpenPayload {
    pub shift_no: i64,
    pub by: UserRef,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinePayload {
    pub name: String,
    pub section: String,
    pub price: i64,
    pub quantity: i64,
    /// VAT rate in thousandths of a percent; absent without VAT.
    pub vat_rate: Option<u32>,
    pub gross: i64,
    pub discount: i64,
    pub markup: i64,
    pub amount: i64,
    pub vat: i64,
    /// For a return: the line number (from 1) on the original receipt.
    pub parent_line: Option<u32>,
    /// ИС ЭСФ unit code (R-2 element 9); absent on records written before units
    /// existed, which were all sold in pieces. Left out when absent so those records'
    /// stored bytes still read back as they were signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// National Catalogue code (R-2 element 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntin: Option<String>,
    /// GTIN barcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barcode: Option<String>,
    /// Marking codes of the units, one per unit; left out when there are none,
    /// like the fields above, so older records keep their signed bytes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<String>,
}

impl LinePayload {
    /// The line's unit; pieces for records older than units.
    pub fn measure_unit(&self) -> crate::domain::MeasureUnit {
        self.unit
            .as_deref()
            .and_then(crate::domain::MeasureUnit::parse)
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxPayload {
    pub rate: u32,
    pub turnover: i64,
    pub vat: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentPayload {
    /// cash, card or mobile.
    pub kind: String,
    pub amount: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerPayload {
    pub iin_bin: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// The original receipt a return refers to (R-80, protocol `ParentTicket`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentPayload {
    pub seq: i64,
    pub doc_no: i64,
    pub created_at: i64,
    pub rnm: String,
    pub total: i64,
    pub fiscal_sign: Option<String>,
    pub offline: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptPayload {
    pub demo: bool,
    pub doc_no: i64,
    pub shift_no: i64,
    /// Protocol operation code: 0 buy, 1 buy return, 2 sell, 3 sell return.
    pub operation: u8,
    pub cashier: UserRef,
    pub lines: Vec<LinePayload>,
    pub subtotal: i64,
    pub discount: i64,
    pub markup: i64,
    pub total: i64,
    pub taxes: Vec<TaxPayload>,
    pub payments: Vec<PaymentPayload>,
    pub taken: i64,
    pub change: i64,
    pub buyer: BuyerPayload,
    pub parent: Option<ParentPayload>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashPayload {
    pub demo: bool,
    pub doc_no: i64,
    pub shift_no: i64,
    /// deposit or withdrawal.
    pub direction: String,
    pub amount: i64,
    pub cashier: UserRef,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZReportPayload {
    pub demo: bool,
    pub doc_no: i64,
    pub shift_no: i64,
    pub by: UserRef,
    pub report: ShiftReport,
    /// HMAC over the checksums of every record of the shift.
    pub shift_checksum: String,
    /// HMAC chained over all Z reports' shift checksums.
    pub total_checksum: String,
}

/// Only the checksums of a Z report: what `verify` reads, without the report body.
#[derive(Clone, Debug, Deserialize)]
pub struct ZChecksums {
    pub shift_no: i64,
    pub shift_checksum: String,
    pub total_checksum: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityPayload {
    /// start, shift_open or shift_close.
    pub occasion: String,
    pub records_checked: i64,
    pub shifts_checked: i64,
}

/// A fiscal document's request as first sent (spec §1.6–1.8): its request number stays
/// reserved, and every resend carries the same token and number, until it is answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfdRequestPayload {
    pub doc_seq: i64,
    pub doc_no: i64,
    /// `CommandTypeEnum` value.
    pub command: i32,
    pub version: String,
    pub reqnum: u16,
    pub token: u32,
    /// The whole frame (header and protobuf payload) in lower-case hex.
    pub frame: String,
}

/// The operator's answer to one exchange. `token` is the token the
/// register holds after it: the next request carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfdAnswerPayload {
    /// The document answered; none for a service exchange.
    pub doc_seq: Option<i64>,
    pub command: i32,
    pub reqnum: u16,
    pub result_code: u32,
    pub result_text: Option<String>,
    pub token: u32,
    pub fiscal_sign: Option<String>,
    pub qr: Option<String>,
    /// The autonomous period this exchange reported, `[begin, end]` Unix ms.
    pub offline_period: Option<[i64; 2]>,
    /// Channel (from 1) that answered, and how long the exchange took.
    pub channel: u32,
    pub elapsed_ms: i64,
    /// Texts for the cashier from the operator or the tax authority.
    pub messages: Vec<String>,
}

/// A document that got no answer in time, or was made while the queue was not empty:
/// it is queued for replay and, if it is a receipt, carries the register's own fiscal
/// sign, unique for the register's whole life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutonomousPayload {
    pub doc_seq: i64,
    pub doc_no: i64,
    pub sign: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkModePayload {
    /// online, autonomous or blocked.
    pub mode: String,
    /// When this mode began (Unix ms): for autonomous mode, the first failed attempt.
    pub since: i64,
    /// For blocked: token (result 2), operator (result 15) or refused (a document).
    pub cause: Option<String>,
    pub reason: String,
}

/// What a person decided about a document the operator refused: `resend` it as a new
/// request, or `remove` it from the queue (the operator never gets it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfdResolutionPayload {
    pub doc_seq: i64,
    pub action: String,
    pub by: UserRef,
    pub reason: String,
}

/// A receipt that could not be printed (`printed: false`, with why), and the print
/// that finally handed it over (`printed: true`). Only these two events are journaled,
/// not every print.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintingPayload {
    pub doc_no: i64,
    pub printed: bool,
    pub reason: Option<String>,
}

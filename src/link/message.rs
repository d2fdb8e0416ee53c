//! Journal documents as operator protocol messages (spec/ofd-protocol.md §2–§5): a
//! receipt, a cash slip, a Z or X report and the service block become the 2.0.4
//! `Request` that the link frames and sends.
//!
//! Messages are built from the 2.0.4 schema and fill every field 2.0.4 requires, so the
//! same payload also parses under 2.0.3 and only the header's VERSION follows the
//! register's setting (§4.8). Fields removed in 2.0.4 are never sent. This module only
//! converts: it must not read the clock, the journal or the network, and it does not
//! decide whether, when or in which order a document is sent.

#[doc(hidden)]
pub mod fixtures;
mod ticket;
mod zx;

use sauda_ofd::v204;

use crate::core::{from_millis, offset_of};
use crate::journal::record::{CashPayload, Settings, SoftwarePayload, UserRef, ZReportPayload};
use crate::journal::report::ShiftReport;

pub use ticket::receipt;
pub use zx::zx_report;

/// The start and end of the autonomous period being reported, Unix ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OfflinePeriod {
    pub begin_ms: i64,
    pub end_ms: i64,
}

/// What every message needs besides its document.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub settings: &'a Settings,
    /// Set on every message while the register replays its autonomous queue (spec
    /// §5.4, R-64/R-66).
    pub offline_period: Option<OfflinePeriod>,
    /// The running software (modules, version, checksum) for
    /// `ServiceRequest.software_information` (issue item 7).
    pub software: Option<&'a SoftwarePayload>,
}

impl<'a> Context<'a> {
    /// A service request's context: no autonomous period, no software block.
    pub fn service(settings: &'a Settings) -> Context<'a> {
        Context {
            settings,
            offline_period: None,
            software: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error(
        "the register's id at the operator ({0:?}) is not a whole number from 0 to 4294967295: correct kkm_id in the settings"
    )]
    KkmId(String),
    #[error("unknown operation code {0} (0 buy, 1 buy return, 2 sell, 3 sell return)")]
    Operation(u8),
    #[error("unknown payment kind {0:?} (cash, card or mobile)")]
    PaymentKind(String),
    #[error("unknown cash direction {0:?} (deposit or withdrawal)")]
    CashDirection(String),
    #[error("{field} is negative ({tiyn} tiyn): the protocol carries no negative amounts")]
    NegativeAmount { field: &'static str, tiyn: i64 },
    #[error("{field} = {value} does not fit its protocol field")]
    OutOfRange { field: &'static str, value: i64 },
    #[error("the receipt has no lines: the protocol needs at least one position")]
    NoLines,
    #[error("a return must name the original receipt (protocol ParentTicket, R-80)")]
    MissingParent,
}

/// `COMMAND_MONEY_PLACEMENT`: a cash deposit or withdrawal. `offline` marks a
/// slip made in autonomous mode.
pub fn cash(
    c: &CashPayload,
    created_at_ms: i64,
    offline: bool,
    ctx: &Context,
) -> Result<v204::Request, MessageError> {
    let operation = match c.direction.as_str() {
        "deposit" => v204::MoneyPlacementEnum::MoneyPlacementDeposit,
        "withdrawal" => v204::MoneyPlacementEnum::MoneyPlacementWithdrawal,
        other => return Err(MessageError::CashDirection(other.to_string())),
    };
    let placement = v204::MoneyPlacementRequest {
        date_time: local_date_time(created_at_ms, ctx.settings),
        operation: operation as i32,
        sum: amount(c.amount, "cash amount")?,
        is_offline: offline.then_some(true),
        fr_shift_number: Some(whole_u32(c.shift_no, "shift number")?),
        printed_document_number: Some(whole_u64(c.doc_no, "document number")?),
        operator: operator(&c.cashier)?,
    };
    Ok(v204::Request {
        money_placement: Some(placement),
        ..request(v204::CommandTypeEnum::CommandMoneyPlacement, ctx)?
    })
}

/// `COMMAND_CLOSE_SHIFT` with the register's own Z report (R-14, R-19, §3.6). We never
/// ask the operator to withdraw the cash: a withdrawal is a document of its own.
pub fn close_shift(
    z: &ZReportPayload,
    created_at_ms: i64,
    offline: bool,
    ctx: &Context,
) -> Result<v204::Request, MessageError> {
    let settings = ctx.settings;
    let mut z_report = zx::checked_zx_report(&z.report, settings)?;
    z_report
        .close_shift_time
        .get_or_insert_with(|| local_date_time(created_at_ms, settings));
    // The algorithm is not specified (§7 gap 4) and servers do not check it; the
    // shift's own checksum is the one we can stand behind.
    z_report.checksum = text(&z.shift_checksum);
    let close = v204::CloseShiftRequest {
        close_time: local_date_time(created_at_ms, settings),
        is_offline: offline.then_some(true),
        fr_shift_number: Some(whole_u32(z.shift_no, "shift number")?),
        withdraw_money: None,
        z_report,
        operator: operator(&z.by)?,
        printed_document_number: Some(whole_u64(z.doc_no, "document number")?),
    };
    Ok(v204::Request {
        close_shift: Some(close),
        ..request(v204::CommandTypeEnum::CommandCloseShift, ctx)?
    })
}

/// `COMMAND_REPORT` with `REPORT_X`: the current shift's counters (§3.5, §5.2).
pub fn x_report(
    report: &ShiftReport,
    now_ms: i64,
    ctx: &Context,
) -> Result<v204::Request, MessageError> {
    let zx_report = zx::checked_zx_report(report, ctx.settings)?;
    let report = v204::ReportRequest {
        report: v204::ReportTypeEnum::ReportX as i32,
        date_time: local_date_time(now_ms, ctx.settings),
        is_offline: None,
        zx_report,
    };
    Ok(v204::Request {
        report: Some(report),
        ..request(v204::CommandTypeEnum::CommandReport, ctx)?
    })
}

/// `COMMAND_SYSTEM`: the availability check and, with `ctx.offline_period`, the
/// report of the autonomous period sent first after the link returns.
pub fn system(ctx: &Context) -> Result<v204::Request, MessageError> {
    request(v204::CommandTypeEnum::CommandSystem, ctx)
}

/// `COMMAND_INFO`: registration data and counters at the start of work (§5.0).
pub fn info(ctx: &Context) -> Result<v204::Request, MessageError> {
    request(v204::CommandTypeEnum::CommandInfo, ctx)
}

/// `COMMAND_NOMENCLATURE` asking for one item by barcode (§3.10,
/// `NomenclatureRequest.barcode`); `current_version` stays out, so the operator does
/// not send its whole catalogue.
pub fn nomenclature(barcode: &str, ctx: &Context) -> Result<v204::Request, MessageError> {
    Ok(v204::Request {
        nomenclature: Some(v204::NomenclatureRequest {
            current_version: None,
            barcode: Some(barcode.to_string()),
        }),
        ..request(v204::CommandTypeEnum::CommandNomenclature, ctx)?
    })
}

/// The service block sent with every command (§3.7, §5). 2.0.4 makes `reg_info` with
/// `kkm` and `org` required whenever the block is present.
///
/// `security_stats` (the geo-position the 2.0.4 comments want with every fiscal
/// command) comes from the `location` setting; without one it is left out, since
/// made-up coordinates would be worse than none.
pub fn service(ctx: &Context) -> Result<v204::ServiceRequest, MessageError> {
    let s = ctx.settings;
    let kkm = v204::KkmRegInfo {
        fns_kkm_id: text(&s.rnm),
        serial_number: text(&s.factory_number),
        // The same number as the header ID, as the reference client and server use it.
        kkm_id: Some(device_id(s)?.to_string()),
        ..Default::default()
    };
    // Settings keep one bilingual address and no ОКЭД code; `oked` is required in 2.0.4,
    // so it goes out empty until the settings learn it.
    let org = v204::OrgRegInfo {
        title: s.org_name.clone(),
        address: s.address.clone(),
        iin: s.bin.clone(),
        oked: String::new(),
        address_kz: s.address.clone(),
    };
    Ok(v204::ServiceRequest {
        offline_period: ctx
            .offline_period
            .map(|p| v204::service_request::OfflinePeriod {
                begin_time: local_date_time(p.begin_ms, s),
                end_time: local_date_time(p.end_ms, s),
            }),
        // Required by rule since 2.0.1; the answer carries the receipt header data.
        get_reg_info: Some(true),
        software_information: ctx.software.map(software_information),
        security_stats: security_stats(s),
        reg_info: v204::service_request::RegInfo { kkm, org },
        ..Default::default()
    })
}

/// The register's position (§3.7), when the settings have one. The settings are
/// validated on every change, so an unreadable location can only come from an old
/// record; it is left out rather than sent wrong.
fn security_stats(s: &Settings) -> Option<v204::service_request::SecurityStats> {
    let (latitude, longitude) =
        crate::registration::location_millionths(s.location.as_deref()?).ok()?;
    Some(v204::service_request::SecurityStats {
        geo_position: v204::service_request::security_stats::GeoPosition {
            latitude,
            longitude,
            source: "MANUAL".into(),
        },
    })
}

/// The frame header's ID: the register's id at the operator as a number (§1.2).
pub fn device_id(settings: &Settings) -> Result<u32, MessageError> {
    settings
        .kkm_id
        .trim()
        .parse()
        .map_err(|_| MessageError::KkmId(settings.kkm_id.clone()))
}

/// Local wall-clock time in the register's time zone: the protocol's dates
/// carry no zone and the server stores them as received (§0.2).
pub fn local_date_time(ms: i64, settings: &Settings) -> v204::DateTime {
    let utc = from_millis(ms);
    let local = utc.checked_to_offset(offset_of(settings)).unwrap_or(utc);
    v204::DateTime {
        date: v204::Date {
            year: u32::try_from(local.year()).unwrap_or(0),
            month: u32::from(u8::from(local.month())),
            day: u32::from(local.day()),
        },
        time: v204::Time {
            hour: u32::from(local.hour()),
            minute: u32::from(local.minute()),
            second: Some(u32::from(local.second())),
        },
    }
}

/// Tiyn as tenge and tiyn. The protocol has no negative amounts (§0.2), so a negative
/// becomes zero here; the builders above refuse negatives before they get this far
/// (see [`MessageError::NegativeAmount`]), so the clamp only guards the infallible
/// [`zx_report`].
pub fn money(tiyn: i64) -> v204::Money {
    money_of_magnitude(u64::try_from(tiyn).unwrap_or(0))
}

fn money_of_magnitude(tiyn: u64) -> v204::Money {
    v204::Money {
        bills: tiyn / 100,
        coins: (tiyn % 100) as u32,
    }
}

/// An amount of a document, refused rather than altered when negative.
fn amount(tiyn: i64, field: &'static str) -> Result<v204::Money, MessageError> {
    if tiyn < 0 {
        return Err(MessageError::NegativeAmount { field, tiyn });
    }
    Ok(money(tiyn))
}

fn whole_u32(value: i64, field: &'static str) -> Result<u32, MessageError> {
    u32::try_from(value).map_err(|_| MessageError::OutOfRange { field, value })
}

fn whole_u64(value: i64, field: &'static str) -> Result<u64, MessageError> {
    u64::try_from(value).map_err(|_| MessageError::OutOfRange { field, value })
}

/// An optional text, left out when blank: codecs refuse empty optional strings (§0.2).
fn text(value: &str) -> Option<String> {
    (!value.trim().is_empty()).then(|| value.to_string())
}

fn optional_text(value: &Option<String>) -> Option<String> {
    value.as_deref().and_then(text)
}

fn request(command: v204::CommandTypeEnum, ctx: &Context) -> Result<v204::Request, MessageError> {
    Ok(v204::Request {
        command: command as i32,
        service: Some(service(ctx)?),
        ..Default::default()
    })
}

fn operator(user: &UserRef) -> Result<v204::Operator, MessageError> {
    Ok(v204::Operator {
        code: whole_u32(user.id, "cashier id")?,
        name: text(&user.name),
    })
}

fn software_information(software: &SoftwarePayload) -> v204::service_request::SoftwareInformation {
    use v204::service_request::software_information::ModuleInformation;
    // The executable's path stays home: it says nothing the operator needs. Platform
    // fields are left out so that the same document always makes the same bytes.
    let module = ModuleInformation {
        name: software.name.clone(),
        version: software.version.clone(),
        extended_info: text(&software.sha256)
            .map(|sha256| v204::KeyValuePair {
                key: "sha256".to_string(),
                value: Some(sha256),
            })
            .into_iter()
            .collect(),
        ..Default::default()
    };
    v204::service_request::SoftwareInformation {
        module_infos: vec![module],
        ..Default::default()
    }
}

#[cfg(test)]
mod tests;

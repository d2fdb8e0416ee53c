//! The simulator's answers, described once and written in the request's version.
//!
//! Answers are built with the 2.0.4 schema. For a 2.0.3 request the encoded answer is
//! read back through the 2.0.3 schema and encoded again: every answer field we fill
//! has the same number and wire type in both versions (spec §4), and the round trip
//! drops what 2.0.3 does not know (`OfdRegInfo`, `QRResponse`). A received report is
//! decoded straight into the answer's own version, so a 2.0.3 Z report is echoed
//! whole. This module decides nothing: result codes and contents come from the ledger.

use prost::Message;

use super::DeviceRegistration;
use super::clock::Civil;
use crate::frame::Version;
use crate::v204 as pb;

/// One answer: `Result` plus at most one kind of content.
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    pub code: u32,
    pub text: Option<String>,
    pub content: Content,
}

#[derive(Clone, Debug)]
pub(crate) enum Content {
    /// `command` and `result` only: every refusal except 15 (spec §2.3).
    Bare,
    Ticket {
        number: String,
        qr: Vec<u8>,
    },
    Report {
        kind: i32,
        zx: Zx,
    },
    Service(Service),
    Info {
        service: Service,
        kind: i32,
        zx: Zx,
    },
    Auth {
        login: String,
    },
    /// `NomenclatureResponse`: `result` is a `NomenclatureResultTypeEnum` value.
    Nomenclature {
        version: u32,
        result: i32,
        elements: Vec<pb::nomenclature_response::Element>,
    },
    Qr {
        code: String,
        status: i32,
    },
}

/// The `ZXReport` of an answer.
#[derive(Clone, Debug)]
pub(crate) enum Zx {
    /// A report the device sent, encoded in its request's version.
    Received(Vec<u8>),
    /// Nothing to report yet: `shift_number` and a date, all sums zero (spec §3.5).
    Empty { shift_number: u32, at: Civil },
}

/// `ServiceResponse`: registration data, an info text, the last counted document.
#[derive(Clone, Debug)]
pub(crate) struct Service {
    pub reg: DeviceRegistration,
    pub ofd_url: String,
    pub info_text: Option<String>,
    /// `(fr_shift_number, printed_document_number)`.
    pub last_document: Option<(u32, u64)>,
}

pub(crate) const REPORT_Z: i32 = pb::ReportTypeEnum::ReportZ as i32;
pub(crate) const REPORT_X: i32 = pb::ReportTypeEnum::ReportX as i32;

impl Reply {
    pub fn ok(content: Content) -> Reply {
        Reply {
            code: 0,
            text: None,
            content,
        }
    }

    pub fn refusal(code: u32, text: impl Into<String>) -> Reply {
        Reply {
            code,
            text: Some(text.into()),
            content: Content::Bare,
        }
    }
}

/// The `Response` payload answering `command`, in `version`.
pub(crate) fn encode(version: Version, command: i32, reply: &Reply) -> Vec<u8> {
    let mut r = pb::Response {
        command,
        result: pb::Result {
            result_code: reply.code,
            result_text: reply.text.clone(),
        },
        ..Default::default()
    };
    match &reply.content {
        Content::Bare => {}
        Content::Ticket { number, qr } => {
            r.ticket = Some(pb::TicketResponse {
                ticket_number: number.clone(),
                qr_code: Some(qr.clone()),
            });
        }
        Content::Report { kind, zx } => r.report = Some(report(*kind, zx)),
        Content::Service(s) => r.service = Some(service(s)),
        Content::Info {
            service: s,
            kind,
            zx,
        } => {
            r.service = Some(service(s));
            r.report = Some(report(*kind, zx));
        }
        Content::Auth { login } => {
            r.auth = Some(pb::AuthResponse {
                result: pb::auth_response::ResultTypeEnum::ResultTypeOk as i32,
                operator_code: login.trim().parse().ok().or(Some(1)),
                operator_name: Some(login.clone()).filter(|l| !l.is_empty()),
                roles: vec![pb::UserRoleEnum::UserRolePaymaster as i32],
            });
        }
        Content::Nomenclature {
            version,
            result,
            elements,
        } => {
            r.nomenclature = Some(pb::NomenclatureResponse {
                version: *version,
                result: *result,
                elements: elements.clone(),
                created_time: None,
            });
        }
        Content::Qr { code, status } => {
            r.qr = Some(pb::QrResponse {
                qr_code: code.clone(),
                status: *status,
            });
        }
    }
    let bytes = r.encode_to_vec();
    match version {
        Version::V204 => bytes,
        Version::V203 => as_v203(&bytes, &reply.content),
    }
}

fn as_v203(bytes: &[u8], content: &Content) -> Vec<u8> {
    let Ok(mut r) = crate::v203::Response::decode(bytes) else {
        // Cannot happen for bytes we just encoded; the 2.0.4 bytes are the best answer.
        return bytes.to_vec();
    };
    let zx = match content {
        Content::Report { zx, .. } | Content::Info { zx, .. } => Some(zx),
        _ => None,
    };
    if let (Some(Zx::Received(raw)), Some(report)) = (zx, r.report.as_mut()) {
        report.zx_report = Some(crate::v203::ZxReport::decode(&raw[..]).unwrap_or_default());
    }
    r.encode_to_vec()
}

fn date_time(c: &Civil) -> pb::DateTime {
    pb::DateTime {
        date: pb::Date {
            year: c.year,
            month: c.month,
            day: c.day,
        },
        time: pb::Time {
            hour: c.hour,
            minute: c.minute,
            second: Some(c.second),
        },
    }
}

fn report(kind: i32, zx: &Zx) -> pb::ReportResponse {
    let zx_report = match zx {
        // Our own encoding of a decoded report: it decodes again.
        Zx::Received(raw) => pb::ZxReport::decode(&raw[..]).unwrap_or_default(),
        Zx::Empty { shift_number, at } => pb::ZxReport {
            date_time: date_time(at),
            shift_number: *shift_number,
            open_shift_time: date_time(at),
            close_shift_time: Some(date_time(at)),
            ..Default::default()
        },
    };
    pb::ReportResponse {
        report: kind,
        zx_report,
    }
}

fn service(s: &Service) -> pb::ServiceResponse {
    let reg = &s.reg;
    pb::ServiceResponse {
        ticket_ads: s
            .info_text
            .iter()
            .map(|text| pb::TicketAd {
                info: pb::TicketAdInfo {
                    r#type: pb::TicketAdTypeEnum::TicketAdInfo as i32,
                    version: 1,
                },
                text: text.clone(),
            })
            .collect(),
        reg_info: pb::service_response::RegInfo {
            kkm: pb::KkmRegInfo {
                fns_kkm_id: Some(reg.rnm.clone()),
                serial_number: Some(reg.serial_number.clone()),
                kkm_id: Some(reg.id.to_string()),
                ..Default::default()
            },
            pos: Some(pb::PosRegInfo {
                title: reg.org_title.clone(),
                address: reg.org_address.clone(),
                address_kz: reg.org_address.clone(),
                latitude: 0,
                longitude: 0,
            }),
            org: pb::OrgRegInfo {
                title: reg.org_title.clone(),
                address: reg.org_address.clone(),
                iin: reg.org_iin.clone(),
                // ОКЭД 47190: other retail sale in non-specialised stores.
                oked: "47190".into(),
                address_kz: reg.org_address.clone(),
            },
            ofd: Some(pb::OfdRegInfo {
                title: "ОФД симулятор".into(),
                title_kz: "ФДО симуляторы".into(),
                url: s.ofd_url.clone(),
            }),
        },
        binded_taxation: None,
        last_document_info: s.last_document.map(|(fr_shift_number, printed)| {
            pb::service_response::LastDocumentInfo {
                fr_shift_number,
                printed_document_number: printed,
            }
        }),
        auxiliary: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v203;

    fn service_block() -> Service {
        Service {
            reg: DeviceRegistration::new(7, 100, "600400300200"),
            ofd_url: "http://127.0.0.1/check".into(),
            info_text: Some("Касса заблокирована".into()),
            last_document: Some((3, 41)),
        }
    }

    #[test]
    fn an_info_answer_reads_the_same_in_both_versions() {
        let reply = Reply::ok(Content::Info {
            service: service_block(),
            kind: REPORT_Z,
            zx: Zx::Empty {
                shift_number: 2,
                at: Civil::from_unix_ms(0),
            },
        });
        let new = pb::Response::decode(&encode(Version::V204, 5, &reply)[..]).expect("2.0.4");
        let old = v203::Response::decode(&encode(Version::V203, 5, &reply)[..]).expect("2.0.3");
        let (new_s, old_s) = (new.service.expect("service"), old.service.expect("service"));
        assert_eq!(new_s.reg_info.org.iin, reg_iin());
        let old_reg = old_s.reg_info.expect("reg_info");
        assert_eq!(old_reg.org.expect("org").inn, Some(reg_iin()));
        assert_eq!(old_reg.kkm.expect("kkm").kkm_id.as_deref(), Some("7"));
        assert_eq!(old_s.ticket_ads[0].text, "Касса заблокирована");
        assert_eq!(
            old_s
                .last_document_info
                .expect("last")
                .printed_document_number,
            Some(41)
        );
        assert_eq!(new.report.expect("report").zx_report.shift_number, 2);
        let old_zx = old.report.expect("report").zx_report.expect("zx");
        assert_eq!(old_zx.shift_number, 2);
    }

    fn reg_iin() -> String {
        DeviceRegistration::new(7, 100, "600400300200").org_iin
    }

    #[test]
    fn a_2_0_3_z_report_is_echoed_whole() {
        let z = v203::ZxReport {
            shift_number: 12,
            annulled_tickets: Some(v203::zx_report::AnnulledTickets::default()),
            ..Default::default()
        };
        let reply = Reply::ok(Content::Report {
            kind: REPORT_Z,
            zx: Zx::Received(z.encode_to_vec()),
        });
        let old = v203::Response::decode(&encode(Version::V203, 2, &reply)[..]).expect("2.0.3");
        assert_eq!(old.report.expect("report").zx_report, Some(z));
    }

    #[test]
    fn a_refusal_carries_only_command_and_result() {
        let bytes = encode(Version::V203, 1, &Reply::refusal(2, "wrong token"));
        let r = v203::Response::decode(&bytes[..]).expect("decode");
        assert_eq!((r.command, r.result.result_code), (1, 2));
        assert!(r.ticket.is_none() && r.service.is_none() && r.report.is_none());
    }
}

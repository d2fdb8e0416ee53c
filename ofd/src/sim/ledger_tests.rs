//! The ledger's rules without sockets: the §1.8 token/REQNUM table, service commands,
//! the data checks of `documents`, the shift limit and the drawer.

use prost::Message;

use super::*;
use crate::v204;

const ID: u32 = 77;
const FIRST: u32 = 555;
const NOW: i64 = 1_750_000_000_000;

fn config() -> SimConfig {
    SimConfig::default()
}

fn device() -> Device {
    Device::new(
        DeviceRegistration::new(ID, FIRST, "600400300200"),
        &config(),
    )
}

fn money(tiyn: u64) -> v204::Money {
    v204::Money {
        bills: tiyn / 100,
        coins: u32::try_from(tiyn % 100).expect("coins"),
    }
}

fn ticket(operation: v204::OperationTypeEnum, total: u64) -> v204::TicketRequest {
    v204::TicketRequest {
        operation: operation as i32,
        items: vec![v204::ticket_request::Item {
            r#type: v204::ticket_request::item::ItemTypeEnum::ItemTypeCommodity as i32,
            commodity: Some(v204::ticket_request::item::Commodity {
                name: Some("Хлеб".into()),
                quantity: 1000,
                price: money(total),
                sum: money(total),
                ..Default::default()
            }),
            ..Default::default()
        }],
        payments: vec![v204::ticket_request::Payment {
            r#type: v204::PaymentTypeEnum::PaymentCash as i32,
            sum: money(total),
            ..Default::default()
        }],
        amounts: v204::ticket_request::Amounts {
            total: money(total),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn sale(total: u64) -> v204::Request {
    v204::Request {
        command: wire::TICKET,
        ticket: Some(ticket(v204::OperationTypeEnum::OperationSell, total)),
        ..Default::default()
    }
}

fn placement(op: v204::MoneyPlacementEnum, sum: u64) -> v204::Request {
    v204::Request {
        command: wire::MONEY_PLACEMENT,
        money_placement: Some(v204::MoneyPlacementRequest {
            operation: op as i32,
            sum: money(sum),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn bare(command: i32) -> v204::Request {
    v204::Request {
        command,
        ..Default::default()
    }
}

fn exchange(
    d: &mut Device,
    cfg: &SimConfig,
    token: u32,
    reqnum: u16,
    req: &v204::Request,
    now_ms: i64,
) -> Answered {
    let payload = req.encode_to_vec();
    let ex = Exchange {
        version: Version::V204,
        token,
        reqnum,
        payload: &payload,
        now_ms,
    };
    let incoming = wire::decode_request(Version::V204, &payload).expect("decodes");
    d.handle(&ex, &incoming, None, cfg)
}

fn send(d: &mut Device, token: u32, reqnum: u16, req: &v204::Request) -> Answered {
    exchange(d, &config(), token, reqnum, req, NOW)
}

fn answer(a: &Answered) -> v204::Response {
    v204::Response::decode(&a.payload[..]).expect("response")
}

#[test]
fn the_first_contact_needs_the_registered_token() {
    let mut d = device();
    assert_eq!(send(&mut d, 1, 1, &sale(100)).code, 2);
    let a = send(&mut d, FIRST, 2, &sale(100));
    assert_eq!((a.code, a.token), (0, 4_000_000_001));
    assert_eq!(answer(&a).ticket.expect("ticket").ticket_number, "9001");
    assert_eq!(d.issued_token, 4_000_000_001);
}

#[test]
fn the_retry_table_of_section_1_8() {
    let mut d = device();
    let first = send(&mut d, FIRST, 1, &sale(100));
    let t1 = first.token;
    // Row 1: replay, unchanged, counted once.
    let again = send(&mut d, FIRST, 1, &sale(100));
    assert_eq!((again.token, &again.payload), (t1, &first.payload));
    assert_eq!(d.documents.len(), 1);
    assert!(d.exchanges[1].replay);
    // Row 2: same TOKEN+REQNUM, another command.
    let other = placement(v204::MoneyPlacementEnum::MoneyPlacementDeposit, 5);
    assert_eq!(send(&mut d, FIRST, 1, &other).code, 9);
    // Row 3: the new token with the old REQNUM.
    assert_eq!(send(&mut d, t1, 1, &sale(100)).code, 8);
    // Row 4: an old or zero token.
    assert_eq!(send(&mut d, FIRST, 2, &sale(100)).code, 2);
    assert_eq!(send(&mut d, 0, 2, &sale(100)).code, 2);
    // Refusals echo the request's token and count nothing.
    assert_eq!(send(&mut d, 0, 2, &sale(100)).token, 0);
    assert_eq!(d.documents.len(), 1);
    // Row 5: accept.
    let next = send(&mut d, t1, 2, &sale(100));
    assert_eq!((next.code, next.token), (0, t1 + 1));
    assert_eq!(answer(&next).ticket.expect("ticket").ticket_number, "9002");
    // Replay is one level deep: the first document is now just an old token.
    assert_eq!(send(&mut d, FIRST, 1, &sale(100)).code, 2);
}

#[test]
fn service_commands_need_the_token_and_keep_it() {
    let mut d = device();
    assert_eq!(send(&mut d, 9, 1, &bare(wire::SYSTEM)).code, 2);
    let a = send(&mut d, FIRST, 2, &bare(wire::INFO));
    assert_eq!((a.code, a.token), (0, FIRST));
    let info = answer(&a);
    let service = info.service.expect("service");
    assert_eq!(service.reg_info.kkm.kkm_id.as_deref(), Some("77"));
    assert_eq!(
        service.reg_info.kkm.fns_kkm_id.as_deref(),
        Some("600400300200")
    );
    assert!(service.last_document_info.is_none());
    assert_eq!(info.report.expect("report").report, REPORT_Z);
    // REPORT skips the check and answers the issued token.
    let report = v204::Request {
        command: wire::REPORT,
        report: Some(v204::ReportRequest {
            report: REPORT_X,
            ..Default::default()
        }),
        ..Default::default()
    };
    let a = send(&mut d, 12345, 3, &report);
    assert_eq!((a.code, a.token), (0, FIRST));
    assert_eq!(d.issued_token, FIRST);
}

#[test]
fn unknown_and_unsupported_commands() {
    let mut d = device();
    assert_eq!(send(&mut d, FIRST, 1, &bare(42)).code, 4);
    assert_eq!(send(&mut d, FIRST, 2, &bare(127)).code, 5);
    let no_ticket = bare(wire::TICKET).encode_to_vec();
    assert!(matches!(
        wire::decode_request(Version::V204, &no_ticket),
        Err(wire::WireError::MissingPart(1, "ticket"))
    ));
    let ex = Exchange {
        version: Version::V204,
        token: FIRST,
        reqnum: 3,
        payload: &no_ticket,
        now_ms: NOW,
    };
    let a = d.refuse_raw(&ex, wire::peek_command(&no_ticket), "no ticket");
    assert_eq!((answer(&a).command, a.code), (wire::TICKET, 3));
    assert_eq!(d.exchanges.last().map(|e| e.command), Some(wire::TICKET));
}

#[test]
fn tokens_skip_zero_and_the_token_held() {
    let cfg = SimConfig {
        token_start: u32::MAX,
        ..config()
    };
    let mut d = Device::new(DeviceRegistration::new(ID, 1, "600400300200"), &cfg);
    assert_eq!(d.new_token(), u32::MAX);
    assert_eq!(d.new_token(), 2, "0 and the held token 1 are skipped");
}

#[test]
fn data_errors_refuse_without_counting() {
    let mut d = device();
    let mut bad = sale(100);
    if let Some(t) = bad.ticket.as_mut() {
        t.amounts.total = money(90);
    }
    assert_eq!(
        send(&mut d, FIRST, 1, &bad).code,
        13,
        "payments differ from total"
    );
    let mut refund = v204::Request {
        command: wire::TICKET,
        ticket: Some(ticket(v204::OperationTypeEnum::OperationSellReturn, 100)),
        ..Default::default()
    };
    assert_eq!(send(&mut d, FIRST, 2, &refund).code, 13, "no parent");
    if let Some(t) = refund.ticket.as_mut() {
        t.parent_ticket = Some(v204::ticket_request::ParentTicket {
            parent_ticket_number: "123".into(),
            kgd_kkm_id: "600400300200".into(),
            ..Default::default()
        });
    }
    assert_eq!(
        send(&mut d, FIRST, 3, &refund).code,
        13,
        "sign never issued"
    );
    let mut buyer = sale(100);
    if let Some(t) = buyer.ticket.as_mut() {
        t.extension_options = Some(v204::ticket_request::ExtensionOptions {
            customer_iin_or_bin: Some(d.reg.org_iin.clone()),
            ..Default::default()
        });
    }
    assert_eq!(send(&mut d, FIRST, 4, &buyer).code, 17);
    let mut ntin = sale(100);
    if let Some(c) = ntin
        .ticket
        .as_mut()
        .and_then(|t| t.items[0].commodity.as_mut())
    {
        c.ntin = Some("0123456789".into());
    }
    assert_eq!(send(&mut d, FIRST, 5, &ntin).code, 15);
    assert!(d.documents.is_empty());
    assert_eq!(d.issued_token, FIRST);
}

#[test]
fn the_drawer_follows_cash_and_refuses_to_go_negative() {
    let mut d = device();
    let withdraw = placement(v204::MoneyPlacementEnum::MoneyPlacementWithdrawal, 500);
    assert_eq!(send(&mut d, FIRST, 1, &withdraw).code, 14);
    let t = send(&mut d, FIRST, 2, &sale(1_000)).token;
    assert_eq!(d.cash, 1_000);
    let sign = d.documents[0].ticket_number.clone().expect("sign");
    let mut refund = v204::Request {
        command: wire::TICKET,
        ticket: Some(ticket(v204::OperationTypeEnum::OperationSellReturn, 400)),
        ..Default::default()
    };
    if let Some(tr) = refund.ticket.as_mut() {
        tr.parent_ticket = Some(v204::ticket_request::ParentTicket {
            parent_ticket_number: sign,
            kgd_kkm_id: "600400300200".into(),
            ..Default::default()
        });
    }
    let t = send(&mut d, t, 3, &refund).token;
    assert_eq!(d.cash, 600);
    let t = send(&mut d, t, 4, &withdraw).token;
    assert_eq!(d.cash, 100);
    assert_eq!(send(&mut d, t, 5, &withdraw).code, 14);
    assert_eq!(d.documents.len(), 3);
}

#[test]
fn close_shift_withdraws_counts_and_echoes_the_z_report() {
    let mut d = device();
    let t = send(&mut d, FIRST, 1, &sale(700)).token;
    let z = v204::ZxReport {
        shift_number: 1,
        cash_sum: money(700),
        ..Default::default()
    };
    let close = v204::Request {
        command: wire::CLOSE_SHIFT,
        close_shift: Some(v204::CloseShiftRequest {
            withdraw_money: Some(true),
            fr_shift_number: Some(1),
            z_report: z.clone(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let a = send(&mut d, t, 2, &close);
    assert_eq!(a.code, 0);
    assert_ne!(a.token, t);
    let report = answer(&a).report.expect("report");
    assert_eq!((report.report, report.zx_report), (REPORT_Z, z));
    assert_eq!((d.cash, d.shift_number), (0, 1));
    let info = answer(&send(&mut d, a.token, 3, &bare(wire::INFO)));
    let last = info
        .service
        .expect("service")
        .last_document_info
        .expect("last");
    assert_eq!(last.fr_shift_number, 1);
    assert_eq!(info.report.expect("report").zx_report.shift_number, 1);
}

#[test]
fn a_long_shift_answers_11_except_offline_and_close() {
    let cfg = SimConfig {
        shift_limit_ms: Some(1_000),
        ..config()
    };
    let mut d = Device::new(DeviceRegistration::new(ID, FIRST, "600400300200"), &cfg);
    let limit = |d: &mut Device, token, reqnum, req: &v204::Request, now| {
        exchange(d, &cfg, token, reqnum, req, now)
    };
    let t = limit(&mut d, FIRST, 1, &sale(100), NOW).token;
    let late = NOW + 2_000;
    assert_eq!(limit(&mut d, t, 2, &sale(100), late).code, 11);
    assert_eq!(limit(&mut d, t, 3, &bare(wire::SYSTEM), late).code, 11);
    let mut offline = sale(100);
    if let Some(tr) = offline.ticket.as_mut() {
        tr.offline_ticket_number = Some(7);
    }
    let a = limit(&mut d, t, 4, &offline, late);
    assert_eq!(a.code, 0);
    assert!(d.documents[1].is_offline);
    let close = v204::Request {
        command: wire::CLOSE_SHIFT,
        close_shift: Some(v204::CloseShiftRequest::default()),
        ..Default::default()
    };
    let a = limit(&mut d, a.token, 5, &close, late);
    assert_eq!(a.code, 0);
    assert_eq!(limit(&mut d, a.token, 6, &sale(100), late).code, 0);
}

#[test]
fn forced_results_come_first() {
    let mut d = device();
    let payload = sale(100).encode_to_vec();
    let ex = Exchange {
        version: Version::V204,
        token: FIRST,
        reqnum: 1,
        payload: &payload,
        now_ms: NOW,
    };
    let incoming = wire::decode_request(Version::V204, &payload).expect("decodes");
    let blocked = d.handle(
        &ex,
        &incoming,
        Some(Forced::Blocked("Позвоните в ОФД".into())),
        &config(),
    );
    let r = answer(&blocked);
    assert_eq!(r.result.result_code, 15);
    assert_eq!(
        r.service.expect("service").ticket_ads[0].text,
        "Позвоните в ОФД"
    );
    let refused = d.handle(&ex, &incoming, Some(Forced::Code(254)), &config());
    assert_eq!((refused.code, refused.token), (254, FIRST));
    assert!(d.documents.is_empty());
    assert_eq!(d.exchanges.len(), 2);
    assert_eq!(send(&mut d, FIRST, 1, &sale(100)).code, 0);
}

#[test]
fn the_qr_link_names_sign_register_sum_and_time() {
    let mut d = device();
    let mut req = sale(123_456);
    if let Some(t) = req.ticket.as_mut() {
        t.date_time = v204::DateTime {
            date: v204::Date {
                year: 2025,
                month: 3,
                day: 7,
            },
            time: v204::Time {
                hour: 9,
                minute: 5,
                second: Some(1),
            },
        };
    }
    let qr = answer(&send(&mut d, FIRST, 1, &req))
        .ticket
        .expect("ticket")
        .qr_code;
    assert_eq!(
        String::from_utf8(qr.expect("qr")).expect("utf-8"),
        "http://127.0.0.1/check?i=9001&f=600400300200&s=1234.56&t=20250307T090501"
    );
}

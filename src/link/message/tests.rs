//! Tests of the document → message conversion: what each message carries, the offline
//! markers, local time, money, and that every message parses under 2.0.3 and 2.0.4
//! with every 2.0.4-required field present (prost does not check `required`).

use prost::Message;
use sauda_ofd::{v203, v204};

use super::fixtures::*;
use super::*;
use crate::journal::record::ReceiptPayload;

fn settings() -> Settings {
    Settings {
        kkm_id: "100500".into(),
        rnm: "600400123456".into(),
        ..crate::registration::demo_settings()
    }
}

fn ctx(settings: &Settings) -> Context<'_> {
    Context {
        settings,
        offline_period: None,
        software: None,
    }
}

fn tenge(bills: u64, coins: u32) -> v204::Money {
    v204::Money { bills, coins }
}

/// Encodes, checks the bytes parse under both schemas to the same message, and checks
/// through the 2.0.3 schema (where these fields are optional) that every field 2.0.4
/// requires is really on the wire.
fn wire(request: &v204::Request) -> Vec<u8> {
    let bytes = request.encode_to_vec();
    let again = v204::Request::decode(bytes.as_slice()).expect("2.0.4 parses its own bytes");
    assert_eq!(&again, request);
    let old = v203::Request::decode(bytes.as_slice()).expect("2.0.3 parses the bytes");
    assert_eq!(old.encode_to_vec(), bytes, "2.0.3 understands every field");
    let service = old
        .service
        .as_ref()
        .expect("every message carries the service block");
    let reg = service
        .reg_info
        .as_ref()
        .expect("reg_info (2.0.4: required)");
    let kkm = reg.kkm.as_ref().expect("reg_info.kkm (2.0.4: required)");
    assert!(kkm.fns_kkm_id.is_some() && kkm.serial_number.is_some() && kkm.kkm_id.is_some());
    let org = reg.org.as_ref().expect("reg_info.org (2.0.4: required)");
    for field in [
        &org.title,
        &org.address,
        &org.inn,
        &org.okved,
        &org.address_kz,
    ] {
        assert!(field.is_some(), "OrgRegInfo fields are required in 2.0.4");
    }
    if let Some(t) = &old.ticket {
        let domain = t.domain.as_ref().expect("domain (2.0.4: required)");
        assert!(domain.r#type.is_some(), "domain.type (2.0.4: required)");
        for item in &t.items {
            if let Some(c) = &item.commodity {
                assert!(
                    c.measure_unit_code.is_some(),
                    "measure_unit_code (2.0.4: required)"
                );
            }
        }
    }
    if let Some(m) = &old.money_placement {
        assert!(m.operator.is_some(), "operator (2.0.4: required)");
    }
    if let Some(r) = &old.report {
        check_zx(r.zx_report.as_ref().expect("zx_report (2.0.4: required)"));
    }
    if let Some(c) = &old.close_shift {
        assert!(c.operator.is_some(), "operator (2.0.4: required)");
        check_zx(c.z_report.as_ref().expect("z_report (2.0.4: required)"));
    }
    bytes
}

fn check_zx(zx: &v203::ZxReport) {
    assert!(
        zx.open_shift_time.is_some(),
        "open_shift_time (2.0.4: required)"
    );
    assert!(
        zx.annulled_tickets.is_none(),
        "annulled_tickets is gone in 2.0.4"
    );
    for tax in &zx.taxes {
        assert!(
            tax.operations
                .iter()
                .all(|o| o.turnover_without_tax.is_some())
        );
    }
    for t in &zx.ticket_operations {
        assert!(t.offline_count.is_some() && t.discount_sum.is_some());
        assert!(t.markup_sum.is_some() && t.change_sum.is_some());
        assert!(t.payments.iter().all(|p| p.count.is_some()));
    }
    assert!(
        zx.money_placements
            .iter()
            .all(|m| m.offline_count.is_some())
    );
}

#[test]
fn r44_sale_sends_goods_discount_item_line_vat_and_both_payments() {
    let s = settings();
    let request = receipt(&sale(), SOLD_AT, None, &ctx(&s)).expect("a sale converts");
    wire(&request);
    assert_eq!(request.command, v204::CommandTypeEnum::CommandTicket as i32);
    let t = request.ticket.expect("ticket part");
    assert_eq!(t.operation, v204::OperationTypeEnum::OperationSell as i32);
    assert_eq!(t.domain.r#type, v204::DomainTypeEnum::DomainTrading as i32);
    assert_eq!(
        (t.fr_shift_number, t.printed_document_number),
        (Some(3), Some(42))
    );
    assert_eq!(t.operator.code, 2);
    let types: Vec<i32> = t.items.iter().map(|i| i.r#type).collect();
    assert_eq!(types, [1, 5, 1], "commodity, its discount, commodity");
    let bread = t.items[0].commodity.as_ref().expect("commodity");
    assert_eq!((bread.quantity, bread.section_code.as_str()), (2_000, "1"));
    assert_eq!((bread.price, bread.sum), (tenge(250, 0), tenge(500, 0)));
    assert_eq!(bread.measure_unit_code, "796");
    assert_eq!(bread.commodity_type, None);
    assert_eq!(bread.taxes.len(), 1);
    let vat = &bread.taxes[0];
    assert_eq!(vat.r#type, v204::TaxTypeEnum::Vat as i32);
    assert_eq!(
        (vat.percent, vat.sum, vat.is_in_total_sum),
        (12_000, tenge(48, 21), true)
    );
    assert_eq!(vat.taxation_type, Some(v204::TaxationTypeEnum::Rts as i32));
    let discount = t.items[1].discount.as_ref().expect("discount modifier");
    assert_eq!(discount.sum, tenge(50, 0));
    assert!(discount.name.is_some() && discount.taxes.is_empty());
    let milk = t.items[2].commodity.as_ref().expect("commodity");
    assert_eq!((milk.price, milk.sum), (tenge(480, 50), tenge(720, 75)));
    // R-2 (8), (9): the unit, the National Catalogue code and the barcode travel; an
    // НТИН brings the commodity type 2.0.4 wants with it (§3.2 note).
    assert_eq!(milk.measure_unit_code, "112");
    assert_eq!(milk.ntin.as_deref(), Some("02000000020012"));
    assert_eq!(milk.barcode.as_deref(), Some("4870001234560"));
    assert_eq!((bread.ntin.as_ref(), bread.barcode.as_ref()), (None, None));
    // 2.0.3 has no commodity type; 2.0.4 wants it with an НТИН (§3.2 note).
    assert_eq!(milk.commodity_type, None);
    let s204 = Settings {
        protocol_version: "2.0.4".into(),
        ..settings()
    };
    let request = receipt(&sale(), SOLD_AT, None, &ctx(&s204)).expect("a sale converts");
    let types: Vec<Option<i32>> = request
        .ticket
        .expect("ticket")
        .items
        .iter()
        .filter_map(|i| i.commodity.as_ref().map(|c| c.commodity_type))
        .collect();
    let product = Some(v204::CommodityTypeEnum::CommodityTypeProduct as i32);
    assert_eq!(types, [None, product], "only the line with an НТИН");
    assert!(
        t.taxes.is_empty(),
        "never receipt-level and item-level taxes together"
    );
    // Cash counts net of the change, so the payments add up to the total (§3.5).
    let paid: Vec<(i32, v204::Money)> = t.payments.iter().map(|p| (p.r#type, p.sum)).collect();
    assert_eq!(paid, [(0, tenge(970, 75)), (1, tenge(200, 0))]);
    assert_eq!(t.amounts.total, tenge(1170, 75));
    assert_eq!(
        (t.amounts.taken, t.amounts.change),
        (Some(tenge(1200, 0)), Some(tenge(29, 25)))
    );
    assert_eq!((t.amounts.discount, t.amounts.markup), (None, None));
    let buyer = t
        .extension_options
        .expect("the buyer's e-mail travels (R-8)");
    assert_eq!(buyer.customer_email.as_deref(), Some("buyer@example.kz"));
    assert_eq!(buyer.customer_phone, None, "blank texts are left out");
    assert_eq!(t.offline_ticket_number, None);
    assert_eq!(t.parent_ticket, None);
}

#[test]
fn r80_return_names_its_parent_and_a_return_without_one_is_refused() {
    let s = settings();
    let request = receipt(&sale_return(), SOLD_AT + 60_000, None, &ctx(&s)).expect("converts");
    wire(&request);
    let t = request.ticket.expect("ticket part");
    assert_eq!(
        t.operation,
        v204::OperationTypeEnum::OperationSellReturn as i32
    );
    let parent = t
        .parent_ticket
        .expect("parent_ticket is required for returns");
    assert_eq!(parent.parent_ticket_number, "9001");
    assert_eq!(parent.kgd_kkm_id, "600400123456");
    assert_eq!(parent.parent_ticket_total, tenge(1170, 75));
    assert_eq!(parent.parent_ticket_data_time, local_date_time(SOLD_AT, &s));
    assert!(!parent.parent_ticket_is_offline);
    assert_eq!(t.extension_options, None);

    let mut unsigned = sale_return();
    if let Some(p) = unsigned.parent.as_mut() {
        p.fiscal_sign = None;
        p.offline = true;
    }
    let t = receipt(&unsigned, SOLD_AT, None, &ctx(&s))
        .expect("converts")
        .ticket;
    let parent = t.and_then(|t| t.parent_ticket).expect("parent");
    assert_eq!(
        (
            parent.parent_ticket_number.as_str(),
            parent.parent_ticket_is_offline
        ),
        ("42", true)
    );

    let orphan = ReceiptPayload {
        parent: None,
        ..sale_return()
    };
    assert!(matches!(
        receipt(&orphan, SOLD_AT, None, &ctx(&s)),
        Err(MessageError::MissingParent)
    ));
}

#[test]
fn r81_cash_withdrawal_is_a_money_placement() {
    let s = settings();
    let request = cash(&withdrawal(), SOLD_AT, false, &ctx(&s)).expect("converts");
    wire(&request);
    assert_eq!(
        request.command,
        v204::CommandTypeEnum::CommandMoneyPlacement as i32
    );
    let m = request.money_placement.expect("money_placement part");
    assert_eq!(
        m.operation,
        v204::MoneyPlacementEnum::MoneyPlacementWithdrawal as i32
    );
    assert_eq!(m.sum, tenge(20_000, 0));
    assert_eq!(
        (m.fr_shift_number, m.printed_document_number),
        (Some(3), Some(44))
    );
    assert_eq!((m.operator.code, m.is_offline), (2, None));
    let odd = CashPayload {
        direction: "sideways".into(),
        ..withdrawal()
    };
    assert!(matches!(
        cash(&odd, SOLD_AT, false, &ctx(&s)),
        Err(MessageError::CashDirection(_))
    ));
}

#[test]
fn r19_close_shift_carries_the_full_z_report() {
    let s = settings();
    let request = close_shift(&z_payload(), CLOSED_AT, false, &ctx(&s)).expect("converts");
    wire(&request);
    assert_eq!(
        request.command,
        v204::CommandTypeEnum::CommandCloseShift as i32
    );
    let c = request.close_shift.expect("close_shift part");
    assert_eq!(c.close_time, local_date_time(CLOSED_AT, &s));
    assert_eq!((c.is_offline, c.withdraw_money), (None, None));
    assert_eq!(
        (c.fr_shift_number, c.printed_document_number),
        (Some(3), Some(45))
    );
    assert_eq!(c.operator.code, 2);
    let z = c.z_report;
    assert_eq!(z.shift_number, 3);
    assert_eq!(z.open_shift_time, local_date_time(OPENED_AT, &s));
    assert_eq!(z.close_shift_time, Some(local_date_time(CLOSED_AT, &s)));
    assert_eq!(z.checksum.as_deref(), Some("ab".repeat(32).as_str()));
    for list in [&z.operations, &z.discounts, &z.markups, &z.total_result] {
        let codes: Vec<i32> = list.iter().map(|o| o.operation).collect();
        assert_eq!(codes, [0, 1, 2, 3], "n = 4, zeros included, protocol order");
    }
    assert_eq!(z.operations[2].sum, tenge(1220, 75));
    assert_eq!(
        (z.discounts[2].count, z.discounts[2].sum),
        (1, tenge(50, 0))
    );
    assert_eq!(z.sections.len(), 2);
    assert!(z.sections.iter().all(|s| s.operations.len() == 4));
    assert_eq!(z.taxes[0].operations.len(), 4);
    assert_eq!(
        z.taxes[0].operations[2].turnover_without_tax,
        tenge(1045, 32)
    );
    assert_eq!(z.start_shift_non_nullable_sums.len(), 4);
    assert_eq!(z.non_nullable_sums[2].sum, tenge(11_170, 75));
    assert_eq!(z.ticket_operations.len(), 4);
    let sell = &z.ticket_operations[2];
    assert_eq!((sell.tickets_total_count, sell.tickets_count), (10, 1));
    let kinds: Vec<i32> = sell.payments.iter().map(|p| p.payment).collect();
    assert_eq!(kinds, [0, 1, 4], "one row per payment type");
    assert_eq!(
        (sell.change_sum, sell.discount_sum),
        (tenge(29, 25), tenge(50, 0))
    );
    let placements: Vec<(i32, u32)> = z
        .money_placements
        .iter()
        .map(|m| (m.operation, m.operations_count))
        .collect();
    assert_eq!(
        placements,
        [(0, 0), (1, 1)],
        "n = 2: deposit and withdrawal"
    );
    assert_eq!(z.cash_sum, tenge(30_490, 25));
    assert_eq!(
        (z.revenue.sum, z.revenue.is_negative),
        (tenge(690, 25), false)
    );
}

#[test]
fn r44_x_report_is_a_report_request_without_closing_fields() {
    let s = settings();
    let open = ShiftReport {
        closed_at: None,
        taken_at: SOLD_AT,
        revenue: -100,
        ..shift_report()
    };
    let request = x_report(&open, SOLD_AT, &ctx(&s)).expect("converts");
    wire(&request);
    assert_eq!(request.command, v204::CommandTypeEnum::CommandReport as i32);
    let r = request.report.expect("report part");
    assert_eq!(r.report, v204::ReportTypeEnum::ReportX as i32);
    assert_eq!(r.date_time, local_date_time(SOLD_AT, &s));
    assert_eq!(
        (r.zx_report.close_shift_time, r.zx_report.checksum),
        (None, None)
    );
    assert_eq!(
        (r.zx_report.revenue.sum, r.zx_report.revenue.is_negative),
        (tenge(1, 0), true)
    );
}

#[test]
fn r66_offline_documents_carry_their_markers_and_the_period() {
    let s = settings();
    let period = OfflinePeriod {
        begin_ms: SOLD_AT - 7_200_000,
        end_ms: SOLD_AT + 3_600_000,
    };
    let replay = Context {
        offline_period: Some(period),
        ..ctx(&s)
    };
    let t = receipt(&sale(), SOLD_AT, Some(1_772_442_930), &replay).expect("converts");
    wire(&t);
    let offline = t.service.as_ref().and_then(|sv| sv.offline_period);
    let offline = offline.expect("offline_period on every replayed message");
    assert_eq!(offline.begin_time, local_date_time(period.begin_ms, &s));
    assert_eq!(offline.end_time, local_date_time(period.end_ms, &s));
    assert_eq!(
        t.ticket.and_then(|t| t.offline_ticket_number),
        Some(1_772_442_930)
    );
    let m = cash(&withdrawal(), SOLD_AT, true, &replay).expect("converts");
    assert_eq!(m.money_placement.and_then(|m| m.is_offline), Some(true));
    let z = close_shift(&z_payload(), CLOSED_AT, true, &replay).expect("converts");
    wire(&z);
    assert_eq!(z.close_shift.and_then(|c| c.is_offline), Some(true));
}

#[test]
fn r64_system_reports_the_offline_period_and_info_asks_for_registration_data() {
    let s = settings();
    let software = SoftwarePayload {
        name: "sauda".into(),
        version: "0.1.0".into(),
        executable: "/opt/sauda/bin/sauda".into(),
        sha256: "0f".repeat(32),
    };
    let c = Context {
        offline_period: Some(OfflinePeriod {
            begin_ms: SOLD_AT,
            end_ms: SOLD_AT,
        }),
        software: Some(&software),
        ..ctx(&s)
    };
    let system = system(&c).expect("converts");
    wire(&system);
    assert_eq!(system.command, v204::CommandTypeEnum::CommandSystem as i32);
    let sv = system.service.expect("service block");
    assert!(sv.offline_period.is_some());
    let geo = sv
        .security_stats
        .expect("the location travels")
        .geo_position;
    assert_eq!(
        (geo.latitude, geo.longitude, geo.source.as_str()),
        (51_128_207, 71_430_411, "MANUAL")
    );
    let nowhere = Settings {
        location: None,
        ..settings()
    };
    let unplaced = super::system(&ctx(&nowhere))
        .expect("converts")
        .service
        .expect("service");
    assert!(unplaced.security_stats.is_none(), "no made-up coordinates");
    let module = &sv.software_information.expect("software").module_infos[0];
    assert_eq!(
        (module.name.as_str(), module.version.as_str()),
        ("sauda", "0.1.0")
    );
    assert_eq!(
        module.extended_info[0].value.as_deref(),
        Some("0f".repeat(32).as_str())
    );
    let info = info(&ctx(&s)).expect("converts");
    wire(&info);
    assert_eq!(info.command, v204::CommandTypeEnum::CommandInfo as i32);
    let sv = info.service.expect("service block");
    assert_eq!((sv.get_reg_info, sv.offline_period), (Some(true), None));
    assert_eq!(sv.reg_info.kkm.fns_kkm_id.as_deref(), Some("600400123456"));
    assert_eq!(
        sv.reg_info.kkm.serial_number.as_deref(),
        Some("SAUDA-DEMO-0001")
    );
    assert_eq!(sv.reg_info.kkm.kkm_id.as_deref(), Some("100500"));
    assert_eq!(sv.reg_info.org.iin, s.bin);
}

#[test]
fn r67_local_time_is_utc_plus_five_across_midnight_and_new_year() {
    let s = settings();
    let dt = |y, mo, d, h, mi, sec| v204::DateTime {
        date: v204::Date {
            year: y,
            month: mo,
            day: d,
        },
        time: v204::Time {
            hour: h,
            minute: mi,
            second: Some(sec),
        },
    };
    // 2026-03-01 20:30:15 UTC.
    assert_eq!(
        local_date_time(1_772_397_015_000, &s),
        dt(2026, 3, 2, 1, 30, 15)
    );
    // 2025-12-31 19:00:00 UTC.
    assert_eq!(
        local_date_time(1_767_207_600_000, &s),
        dt(2026, 1, 1, 0, 0, 0)
    );
    // 2025-12-31 18:59:59.999 UTC: still the old year in Astana.
    assert_eq!(
        local_date_time(1_767_207_599_999, &s),
        dt(2025, 12, 31, 23, 59, 59)
    );
}

#[test]
fn money_splits_tenge_and_tiyn_and_never_goes_negative() {
    assert_eq!(money(0), tenge(0, 0));
    assert_eq!(money(99), tenge(0, 99));
    assert_eq!(money(117_075), tenge(1170, 75));
    assert_eq!(money(-5), tenge(0, 0));
    assert_eq!(money(i64::MAX), tenge(92_233_720_368_547_758, 7));
}

#[test]
fn figures_the_protocol_cannot_carry_are_refused_not_altered() {
    let s = settings();
    let mut bad = sale();
    bad.lines[0].discount = -1;
    assert!(matches!(
        receipt(&bad, SOLD_AT, None, &ctx(&s)),
        Err(MessageError::NegativeAmount { .. })
    ));
    let mut z = z_payload();
    z.report.cash_sum = -1;
    assert!(close_shift(&z, CLOSED_AT, false, &ctx(&s)).is_err());
    assert_eq!(zx_report(&z.report, &ctx(&s)).cash_sum, tenge(0, 0));
    let no_id = Settings {
        kkm_id: "KKM-1".into(),
        ..settings()
    };
    assert!(matches!(system(&ctx(&no_id)), Err(MessageError::KkmId(_))));
    let mut odd = sale();
    odd.payments.push(payment("barter", 1));
    assert!(matches!(
        receipt(&odd, SOLD_AT, None, &ctx(&s)),
        Err(MessageError::PaymentKind(_))
    ));
}

#[test]
fn payments_merge_per_kind_and_a_removed_regime_is_left_out() {
    let patent = Settings {
        taxation_type: 103,
        ..settings()
    };
    let mut r = sale();
    r.payments = vec![
        payment("card", 10_000),
        payment("mobile", 0),
        payment("card", 10_000),
    ];
    r.payments.push(payment("cash", 100_000));
    let t = receipt(&r, SOLD_AT, None, &ctx(&patent))
        .expect("converts")
        .ticket;
    let t = t.expect("ticket part");
    let paid: Vec<(i32, v204::Money)> = t.payments.iter().map(|p| (p.r#type, p.sum)).collect();
    assert_eq!(paid, [(1, tenge(200, 0)), (0, tenge(970, 75))]);
    let vat = &t.items[0].commodity.as_ref().expect("commodity").taxes[0];
    assert_eq!(vat.taxation_type, None, "103 (patent) is not a 2.0.4 value");
}

//! The barcode lookup without a network: input checks, reading the operator's answer
//! (also a hostile one), result 18 by protocol version, and the request's bytes.

use prost::Message;

use super::*;
use crate::error::ErrorCode;
use v204::nomenclature_response::{Element, Item};

fn item_element(barcode: &str) -> Element {
    Element {
        r#type: ElementTypeEnum::Item as i32,
        title: "Сигареты «Алтын Тау» синие".into(),
        parent_group_id: None,
        id: 7_000_007,
        item: Some(Item {
            article: Some(" AT-BLUE-20 ".into()),
            barcode: Some(barcode.into()),
            sell_price: Some(v204::Money {
                bills: 1_300,
                coins: 50,
            }),
            measure_title: Some("шт".into()),
            measure_fractional: Some(false),
            measure_unit_code: Some("796".into()),
            ntin: Some("02100000000073".into()),
            is_markedeac: Some(true),
            ..Default::default()
        }),
        title_kk: Some("Темекі «Алтын Тау» көк".into()),
    }
}

fn answer(result: NomenclatureResultTypeEnum, elements: Vec<Element>) -> v204::Response {
    v204::Response {
        command: v204::CommandTypeEnum::CommandNomenclature as i32,
        nomenclature: Some(v204::NomenclatureResponse {
            version: 1,
            created_time: None,
            elements,
            result: result as i32,
        }),
        ..Default::default()
    }
}

#[test]
fn a_barcode_is_8_to_14_digits_and_a_gtin_14_goes_out_as_its_ean_13() {
    assert_eq!(
        barcode(" 4870307000074 ").ok().as_deref(),
        Some("4870307000074")
    );
    assert_eq!(
        barcode("04870307000074").ok().as_deref(),
        Some("4870307000074")
    );
    assert_eq!(barcode("46001238").ok().as_deref(), Some("46001238"));
    assert_eq!(
        barcode("14870307000071").ok().as_deref(),
        Some("14870307000071")
    );
    for bad in [
        "",
        "1234567",
        "487030700007A",
        "4870 307000074",
        "487030700007412",
    ] {
        let e = barcode(bad).expect_err(bad);
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.message.contains("8 to 14 digits"), "{}", e.message);
    }
}

#[test]
fn an_item_fills_names_ntin_unit_marking_and_price() {
    let got = from_response(
        "4870307000074",
        &answer(
            NomenclatureResultTypeEnum::ResultTypeOk,
            vec![item_element("4870307000074")],
        ),
    )
    .expect("read");
    assert_eq!(
        got,
        NationalItem {
            found: true,
            barcode: "4870307000074".into(),
            name_ru: "Сигареты «Алтын Тау» синие".into(),
            name_kk: "Темекі «Алтын Тау» көк".into(),
            ntin: Some("02100000000073".into()),
            unit: Some("796".into()),
            weighted: false,
            marked: true,
            price_tiyn: Some(130_050),
            article: Some("AT-BLUE-20".into()),
        }
    );
}

#[test]
fn not_found_result_and_empty_answers_read_as_not_found() {
    let not_found = NationalItem::not_found("4870399999997");
    for result in [
        NomenclatureResultTypeEnum::ResultTypeElementNotFoundByBarcode,
        NomenclatureResultTypeEnum::ResultTypeOk,
        NomenclatureResultTypeEnum::ResultTypeVersionIsActual,
        NomenclatureResultTypeEnum::ResultTypeNoVersion,
    ] {
        let got = from_response("4870399999997", &answer(result, Vec::new())).expect("read");
        assert_eq!(got, not_found, "{result:?}");
    }
    // Result 3 wins even over a stray element.
    let stray = answer(
        NomenclatureResultTypeEnum::ResultTypeElementNotFoundByBarcode,
        vec![item_element("4870399999997")],
    );
    assert!(!from_response("4870399999997", &stray).expect("read").found);
    let bare = v204::Response::default();
    let e = from_response("4870399999997", &bare).expect_err("no nomenclature part");
    assert!(e.message.contains("by hand"), "{}", e.message);
}

#[test]
fn the_item_with_our_barcode_wins_and_groups_are_skipped() {
    let mut group = item_element("4870307000074");
    group.r#type = ElementTypeEnum::Group as i32;
    group.title = "Темекі".into();
    let mut other = item_element("4870306000068");
    other.title = "Пиво".into();
    let mine = item_element("04870307000074");
    let got = from_response(
        "4870307000074",
        &answer(
            NomenclatureResultTypeEnum::ResultTypeOk,
            vec![group, other, mine],
        ),
    )
    .expect("read");
    assert_eq!(got.name_ru, "Сигареты «Алтын Тау» синие");
    assert_eq!(got.barcode, "04870307000074", "as the operator spells it");
}

#[test]
fn hostile_numbers_and_texts_are_clamped_not_trusted() {
    let mut e = item_element("not a barcode");
    e.title = format!("\u{7}  {}", "Ж".repeat(1_000));
    e.title_kk = None;
    let item = e.item.as_mut().expect("item");
    item.sell_price = Some(v204::Money {
        bills: u64::MAX,
        coins: u32::MAX,
    });
    item.ntin = Some("NTIN-12".into());
    item.measure_unit_code = Some("999".into());
    item.measure_title = Some("кг".into());
    item.measure_fractional = Some(true);
    item.article = Some("\n".into());
    let got = from_response(
        "4870307000074",
        &answer(NomenclatureResultTypeEnum::ResultTypeOk, vec![e]),
    )
    .expect("read");
    assert_eq!(got.name_ru.chars().count(), 128);
    assert!(got.name_ru.starts_with('Ж'));
    assert_eq!(got.name_kk, "");
    assert_eq!(got.barcode, "4870307000074", "the one asked for");
    assert_eq!(got.price_tiyn, None, "beyond the register's largest amount");
    assert_eq!(got.ntin, None, "not digits");
    assert_eq!(got.unit.as_deref(), Some("166"), "from the unit's title");
    assert!(got.weighted);
    assert_eq!(got.article, None);
    assert_eq!(
        tiyn(&v204::Money {
            bills: u64::MAX,
            coins: 5
        }),
        i64::MAX
    );
}

#[test]
fn result_18_is_not_found_in_2_0_3_and_deregistered_in_2_0_4() {
    let old = refused("4870399999997", Version::V203, 18, "not found").expect("2.0.3");
    assert_eq!(old, NationalItem::not_found("4870399999997"));
    let new = refused("4870399999997", Version::V204, 18, "deregistered").expect_err("2.0.4");
    assert_eq!(new.code, ErrorCode::Validation);
    assert!(new.message.contains("deregistered"), "{}", new.message);
    assert!(new.message.contains("by hand"), "{}", new.message);
    for code in [2, 3, 15, 254] {
        let e = refused("4870399999997", Version::V203, code, "no").expect_err("refused");
        assert!(
            e.message.contains(&format!("result {code}")),
            "{}",
            e.message
        );
    }
}

#[test]
fn the_request_carries_the_barcode_in_field_5_then_field_2_and_the_service_block() {
    let settings = crate::registration::demo_settings();
    let request = message::nomenclature(
        "4870307000074",
        &Context {
            settings: &settings,
            offline_period: None,
            software: None,
        },
    )
    .expect("builds");
    assert_eq!(
        request.command,
        v204::CommandTypeEnum::CommandNomenclature as i32
    );
    assert!(request.service.is_some(), "the service block goes with it");
    let bytes = request.encode_to_vec();
    // Request field 5 (length-delimited: tag 0x2A) holding only NomenclatureRequest
    // field 2 (tag 0x12) with the 13 digits: no current_version, no catalogue download.
    let mut expected = vec![0x2A, 15, 0x12, 13];
    expected.extend_from_slice(b"4870307000074");
    assert!(
        bytes.windows(expected.len()).any(|w| w == expected),
        "{}",
        hex::encode(&bytes)
    );
    let old = sauda_ofd::v203::Request::decode(bytes.as_slice()).expect("2.0.3 reads it");
    let n = old.nomenclature.expect("nomenclature");
    assert_eq!(
        (n.barcode.as_deref(), n.current_version),
        (Some("4870307000074"), None)
    );
}

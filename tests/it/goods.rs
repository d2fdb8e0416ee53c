//! What names a good besides its name (R-2 elements 8 and 9): the unit of measure, the
//! National Catalogue code and the barcode go from the sale's input into the journal,
//! the operator's message and the receipt a lookup returns, and a return keeps them.

use prost::Message;
use sauda::error::ErrorCode;
use serde_json::{Value, json};

use crate::link::linked;
use crate::support::{Register, code};

fn sugar_and_milk() -> Value {
    json!([
        {"name": "Қант", "price_tiyn": 52_000, "quantity_milli": 1_250, "unit": "кг",
         "ntin": "02000000010013"},
        {"name": "Сүт", "price_tiyn": 61_050, "quantity_milli": 2_000, "unit": "112",
         "ntin": "02000000020012", "barcode": "4870001234560"},
        {"name": "Қалам", "price_tiyn": 15_000, "quantity_milli": 3_000}
    ])
}

#[test]
fn r2_units_and_catalogue_codes_reach_the_journal_and_the_operator() {
    let (r, op) = linked(2_000);
    // 2.0.4, where the operator refuses an НТИН without a commodity type (answer 15).
    r.call_as(
        &r.admin,
        "settings_update",
        json!({"changes": {"protocol_version": "2.0.4"}}),
    )
    .expect("a closed shift may change the protocol");
    let sale = r
        .sell(
            sugar_and_milk(),
            json!([{"kind": "cash", "amount_tiyn": 235_000}]),
        )
        .expect("sale");
    // 1.25 kg × 520 = 650; 2 l × 610.50 = 1221; 3 × 150 = 450.
    assert_eq!(sale["total_tiyn"], 65_000 + 122_100 + 45_000);
    assert_eq!(sale["fiscal_sign"], "9001", "the operator took it: {sale}");
    let units: Vec<&str> = sale["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["unit"].as_str().expect("unit"))
        .collect();
    assert_eq!(units, ["166", "112", "796"]);
    assert_eq!(sale["lines"][1]["barcode"], "4870001234560");
    assert!(sale["lines"][2].get("ntin").is_none());

    let stored: String = r
        .conn()
        .query_row(
            "SELECT json_extract(payload, '$.lines') FROM journal WHERE kind = 'receipt'",
            [],
            |row| row.get(0),
        )
        .expect("journal");
    assert!(stored.contains(r#""unit":"166""#) && stored.contains("02000000020012"));

    let ledger = op.sim.ledger(1).expect("ledger");
    let request =
        sauda_ofd::v204::Request::decode(ledger.documents[0].request.as_slice()).expect("decodes");
    let goods: Vec<_> = request
        .ticket
        .expect("ticket")
        .items
        .into_iter()
        .filter_map(|i| i.commodity)
        .map(|c| (c.measure_unit_code, c.quantity, c.ntin, c.commodity_type))
        .collect();
    let product = Some(sauda_ofd::v204::CommodityTypeEnum::CommodityTypeProduct as i32);
    assert_eq!(
        goods,
        [
            ("166".into(), 1_250, Some("02000000010013".into()), product),
            ("112".into(), 2_000, Some("02000000020012".into()), product),
            ("796".into(), 3_000, None, None),
        ]
    );

    // A return keeps what identifies the good.
    let back = r
        .call_as(
            &r.cashier,
            "receipt_return",
            json!({"original_number": sale["number"], "items": [{"line": 1, "quantity_milli": 500}]}),
        )
        .expect("half a kilo back");
    assert_eq!(back["lines"][0]["unit"], "166");
    assert_eq!(back["lines"][0]["ntin"], "02000000010013");
}

#[test]
fn r2_a_wrong_unit_code_or_quantity_is_refused_with_what_to_do() {
    let r = Register::new();
    let before = r.journal_len();
    let cash = json!([{"kind": "cash", "amount_tiyn": 1_000_000}]);
    let refused = |item: Value, hint: &str| {
        let result = r.sell(json!([item]), cash.clone());
        let message = match &result {
            Err(e) => e.message.clone(),
            Ok(v) => panic!("accepted {v}"),
        };
        assert!(message.contains(hint), "{message}");
        assert_eq!(code(result), ErrorCode::Validation);
    };
    let base = json!({"name": "Қалам", "price_tiyn": 15_000, "quantity_milli": 1_000});
    let with = |key: &str, value: Value| {
        let mut item = base.clone();
        item[key] = value;
        item
    };
    refused(with("quantity_milli", json!(1_500)), "whole units");
    refused(with("unit", json!("ящик")), "кг (166)");
    refused(with("ntin", json!("0200 0000")), "НТИН");
    refused(with("barcode", json!("4870001234561")), "check digit");
    assert_eq!(r.journal_len(), before, "a refused sale writes nothing");
}

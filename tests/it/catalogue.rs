//! The catalogue, scanning and marked goods through the command table (issue 7):
//! import of the demo catalogue, scans by EAN, label-scale code, keyboard bursts and
//! marking codes; R-101 (no code, no sale of a marked item), R-102 (the code goes into
//! the receipt and to the operator, and a return needs it back).

use base64::Engine;
use prost::Message;
use sauda::error::ErrorCode;
use serde_json::{Value, json};

use crate::link::linked;
use crate::support::{Register, code};

pub const KENT_PACK: &str = "04870020020014Ab3!x9QMDEwMjAy";
pub const SHOES: &str = "0104870024020058215Wb!aTxq,8WgE\u{1d}91EE06\u{1d}92YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY3";
pub const BEER_1: &str = "010487002202003621aBc1234\u{1d}93dGVz";
pub const BEER_2: &str = "010487002202003621aBc1235\u{1d}93dGVa";

pub fn with_demo_catalogue(r: &Register) {
    let content = base64::engine::general_purpose::STANDARD.encode(sauda::catalogue::DEMO_CSV);
    let report = r
        .call_as(
            &r.manager,
            "catalogue_import",
            json!({ "content_base64": content }),
        )
        .expect("import runs");
    assert_eq!(report["imported"], true, "{report}");
}

fn scan(r: &Register, text: &str) -> Value {
    r.call_as(&r.cashier, "catalogue_scan", json!({ "text": text }))
        .expect("scan answers")
}

fn cash(tiyn: i64) -> Value {
    json!([{"kind": "cash", "amount_tiyn": tiyn}])
}

#[test]
fn scans_by_ean_label_scale_and_unknown_codes() {
    let r = Register::new();
    with_demo_catalogue(&r);
    let bread = scan(&r, "]E04870001010010\r");
    assert_eq!(bread["kind"], "goods");
    assert_eq!(bread["symbology"], "ean13");
    assert_eq!(bread["item"]["name"], "Нан «Ақбидай» ақ, 500 г");
    assert_eq!(bread["item"]["ntin"], "02000000001001");
    assert_eq!(bread["item"]["barcode"], "04870001010010");

    // Preset A: 21 PLU 00001 (apples) 1.250 kg; preset B: 23 PLU 00005 (казы) 450 ₸.
    let apples = scan(&r, "2100001012502");
    assert_eq!(apples["item"]["quantity_milli"], 1_250);
    assert_eq!(apples["item"]["unit"], "166");
    let kazy = scan(&r, "2300005004507");
    assert_eq!(
        kazy["item"]["quantity_milli"], 46,
        "450 ₸ at 9800 ₸/kg is 45.9 g"
    );

    let unknown = scan(&r, "4006381333931");
    assert_eq!(unknown["kind"], "unknown");
    assert!(
        unknown["message"]
            .as_str()
            .unwrap_or_default()
            .contains("4006381333931")
    );
    let wrong = r.call_as(
        &r.cashier,
        "catalogue_scan",
        json!({"text": "4870001010011"}),
    );
    let message = wrong.expect_err("a bad check digit is refused").message;
    assert!(message.contains("check digit"), "{message}");

    // Weighed goods scanned without a weight, and marked goods scanned by their EAN,
    // ask for what is missing.
    // A scanner that drops the GS separators: the shoes' code is re-split on its
    // known layout and stored with them (devices.md §6.3 step 3).
    let shoes = scan(&r, &SHOES.replace('\u{1d}', ""));
    assert_eq!(shoes["item"]["goods_code"], "2005");
    assert_eq!(shoes["item"]["marks"][0], SHOES);

    let r2 = scan(&r, "4870020020014");
    assert_eq!(
        (r2["needs_mark"].as_bool(), r2["age_check"].as_bool()),
        (Some(true), Some(true))
    );
}

#[test]
fn a_fast_burst_is_a_scan_a_slow_one_is_typing_and_a_russian_layout_is_repaired() {
    let r = Register::new();
    with_demo_catalogue(&r);
    let keys = |text: &str, gap: f64| -> Value {
        let mut keys: Vec<Value> = text
            .chars()
            .enumerate()
            .map(|(i, c)| json!({"key": c.to_string(), "at_ms": 1000.0 + i as f64 * gap}))
            .collect();
        let last = 1000.0 + text.chars().count() as f64 * gap;
        keys.push(json!({"key": "Enter", "at_ms": last}));
        Value::Array(keys)
    };
    let fast = r
        .call_as(
            &r.cashier,
            "catalogue_scan",
            json!({"keys": keys("4870003010032", 4.0)}),
        )
        .expect("scan");
    assert_eq!(
        (fast["kind"].as_str(), fast["item"]["name"].as_str()),
        (Some("goods"), Some("Сүт «Фудмастер» 2,5%, 1 л"))
    );
    let slow = r
        .call_as(
            &r.cashier,
            "catalogue_scan",
            json!({"keys": keys("1250", 120.0)}),
        )
        .expect("typed");
    assert_eq!(slow["kind"], "typed");
    assert!(
        slow["text"]
            .as_str()
            .unwrap_or_default()
            .starts_with("1250")
    );
    // The beer's GS1 code typed through the Russian layout: letters arrive Cyrillic,
    // GS as the scanner's `~` substitute (scanner settings).
    let mut settings = r
        .call_as(&r.admin, "scanner_settings_show", Value::Null)
        .expect("settings");
    settings["gs_substitute"] = json!("~");
    r.call_as(&r.admin, "scanner_settings_update", settings)
        .expect("saved");
    let typed = sauda::devices::layout::from_us(
        &BEER_1.replace('\u{1d}', "~"),
        sauda::devices::layout::KeyboardLayout::Russian,
    );
    assert!(
        typed.contains('ф') && typed.contains('Ё'),
        "really Cyrillic: {typed}"
    );
    let beer = r
        .call_as(
            &r.cashier,
            "catalogue_scan",
            json!({"keys": keys(&typed, 3.0)}),
        )
        .expect("scan");
    assert_eq!(beer["kind"], "goods", "{beer}");
    assert_eq!(beer["item"]["marks"][0], BEER_1);
}

#[test]
fn r101_a_marked_item_is_refused_without_its_code_and_sold_with_it() {
    let (r, op) = linked(2_000);
    with_demo_catalogue(&r);
    let before = r.journal_len();
    let kent = |marks: Value| {
        json!([{"name": "Kent", "price_tiyn": 145_000, "quantity_milli": 1000,
                "goods_code": "2001", "marks": marks}])
    };
    let refused = r.sell(kent(Value::Null), cash(145_000));
    assert_eq!(code(refused), ErrorCode::MarkingRequired);
    // By barcode alone (no article code) the catalogue still knows it is marked.
    let by_ean = r.sell(
        json!([{"name": "Kent", "price_tiyn": 145_000, "quantity_milli": 1000, "barcode": "4870020020014"}]),
        cash(145_000),
    );
    assert_eq!(code(by_ean), ErrorCode::MarkingRequired);
    let other = r.sell(kent(json!([BEER_1])), cash(145_000));
    let message = other.expect_err("a beer's code on cigarettes").message;
    assert!(message.contains("another product"), "{message}");
    let short = r.sell(kent(json!(["0487002002001"])), cash(145_000));
    assert_eq!(code(short), ErrorCode::MarkingRequired);
    assert_eq!(r.journal_len(), before, "refusals write nothing");

    let sale = r
        .sell(kent(json!([KENT_PACK])), cash(145_000))
        .expect("sold with its code");
    assert_eq!(sale["lines"][0]["marks"][0], KENT_PACK);
    let ledger = op.sim.ledger(1).expect("ledger");
    let request =
        sauda_ofd::v203::Request::decode(ledger.documents[0].request.as_slice()).expect("decodes");
    let stamps: Vec<String> = request
        .ticket
        .expect("ticket")
        .items
        .into_iter()
        .filter_map(|i| i.commodity)
        .flat_map(|c| c.list_excise_stamp)
        .collect();
    assert_eq!(stamps, [KENT_PACK], "the code reaches the operator (R-102)");
    let again = r.sell(kent(json!([KENT_PACK])), cash(145_000));
    let message = again.expect_err("the same pack twice").message;
    assert!(
        message.contains(&format!("receipt {}", sale["number"])),
        "{message}"
    );
}

#[test]
fn r102_two_units_need_two_codes_a_code_once_and_a_return_needs_the_code_sold() {
    let r = Register::new();
    with_demo_catalogue(&r);
    let beer = |marks: Value, qty: i64| {
        json!([{"name": "Сыра", "price_tiyn": 54_000, "quantity_milli": qty,
                "goods_code": "2003", "marks": marks}])
    };
    assert_eq!(
        code(r.sell(beer(json!([BEER_1]), 2000), cash(108_000))),
        ErrorCode::MarkingRequired
    );
    assert_eq!(
        code(r.sell(beer(json!([BEER_1, BEER_1]), 2000), cash(108_000))),
        ErrorCode::MarkingDuplicate
    );
    // GS written out as text by a copy-paste still reads as the same code.
    let pasted = BEER_2.replace('\u{1d}', "<GS>");
    let sale = r
        .sell(beer(json!([BEER_1, pasted]), 2000), cash(108_000))
        .expect("two units, two codes");
    assert_eq!(sale["lines"][0]["marks"], json!([BEER_1, BEER_2]));

    let back = |marks: Value| {
        r.call_as(
            &r.cashier,
            "receipt_return",
            json!({"original_number": sale["number"], "items": [{"line": 1, "marks": marks}]}),
        )
    };
    assert_eq!(code(back(Value::Null)), ErrorCode::MarkingRequired);
    assert_eq!(code(back(json!([KENT_PACK]))), ErrorCode::MarkingRequired);
    let returned = back(json!([BEER_2])).expect("one unit back with its code");
    assert_eq!(returned["lines"][0]["quantity"], "1");
    assert_eq!(returned["lines"][0]["marks"], json!([BEER_2]));
    assert_eq!(
        code(back(json!([BEER_2]))),
        ErrorCode::MarkingDuplicate,
        "returned already"
    );
    // The returned unit is back in circulation and can be sold again; the other not.
    r.sell(beer(json!([BEER_2]), 1000), cash(54_000))
        .expect("resold");
    // Resold, the unit belongs to its new receipt: the old one cannot take it back.
    assert_eq!(code(back(json!([BEER_2]))), ErrorCode::MarkingDuplicate);
    assert_eq!(
        code(r.sell(beer(json!([BEER_1]), 1000), cash(54_000))),
        ErrorCode::MarkingDuplicate
    );
}

#[test]
fn the_receipt_keeps_its_price_when_the_catalogue_changes() {
    let r = Register::new();
    with_demo_catalogue(&r);
    let item = scan(&r, "4870001010010")["item"].clone();
    let sale = r.sell(json!([item]), cash(18_000)).expect("sold");
    let mut bread = scan(&r, "4870001010010")["goods"].clone();
    let id = bread["id"].clone();
    bread["price_tiyn"] = json!(20_000);
    let saved = r
        .call_as(
            &r.manager,
            "catalogue_save",
            json!({"id": id, "goods": bread}),
        )
        .expect("price changed");
    assert_eq!(saved["price_tiyn"], 20_000);
    let stored = r
        .call_as(&r.manager, "receipt_get", json!({"number": sale["number"]}))
        .expect("stored");
    assert_eq!(stored["lines"][0]["price_tiyn"], 18_000);
    assert_eq!(stored["total_tiyn"], 18_000);
}

#[test]
fn cashiers_find_goods_but_only_managers_change_them() {
    let r = Register::new();
    with_demo_catalogue(&r);
    let found = r
        .call_as(&r.cashier, "catalogue_search", json!({"text": "ҚАЗЫ"}))
        .expect("search");
    assert_eq!(found["goods"][0]["code"], "5");
    let keys = r
        .call_as(&r.cashier, "catalogue_quick_keys", Value::Null)
        .expect("keys");
    assert_eq!(keys.as_array().map(Vec::len), Some(11));
    let goods = found["goods"][0].clone();
    for command in ["catalogue_save", "catalogue_import", "catalogue_export"] {
        let input = match command {
            "catalogue_save" => json!({"goods": goods}),
            "catalogue_import" => json!({"content_base64": ""}),
            _ => Value::Null,
        };
        let refused = r.call_as(&r.cashier, command, input);
        assert_eq!(code(refused), ErrorCode::Forbidden, "{command}");
    }
    let archived = r
        .call_as(
            &r.manager,
            "catalogue_archive",
            json!({"id": goods["id"], "archived": true}),
        )
        .expect("archived");
    assert_eq!(archived["archived"], true);
    let gone = r
        .call_as(&r.cashier, "catalogue_search", json!({"text": "қазы"}))
        .expect("search");
    assert_eq!(gone["goods"].as_array().map(Vec::len), Some(0));
}

/// R-75/R-76: a refused item names each problem by key and values, so the screen words
/// it in the cashier's language; the English stays in `message` for logs.
#[test]
fn a_refused_item_names_its_problems_for_the_screen() {
    let r = Register::new();
    with_demo_catalogue(&r);
    let mut bread = scan(&r, "4870001010010")["goods"].clone();
    bread["code"] = json!("new-bread");
    bread["barcodes"] = json!(["4870001010010", "4870001010011"]);
    bread["unit"] = json!("ящик");
    let err = r
        .call_as(&r.manager, "catalogue_save", json!({"goods": bread}))
        .expect_err("refused");
    assert_eq!(err.code, ErrorCode::Validation);
    let json = serde_json::to_value(&err).expect("json");
    let keys: Vec<&str> = json["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["key"].as_str())
        .collect();
    assert_eq!(keys, ["unknown_unit", "barcode_check_digit"], "{json}");
    assert_eq!(json["problems"][0]["args"][0], "ящик");
    assert!(
        err.message.contains("unknown unit 'ящик'"),
        "{}",
        err.message
    );

    // A clash found while saving (the barcode belongs to the bread) is named too.
    bread["barcodes"] = json!(["4870001010010"]);
    bread["unit"] = json!("шт");
    bread["quick_key"] = Value::Null;
    let err = r
        .call_as(&r.manager, "catalogue_save", json!({"goods": bread}))
        .expect_err("the barcode is the bread's");
    let json = serde_json::to_value(&err).expect("json");
    assert_eq!(json["problems"][0]["key"], "barcode_taken", "{json}");
    assert_eq!(json["problems"][0]["args"][1], "1001");
    // Errors without problems keep their old shape.
    let plain = serde_json::to_value(sauda::error::ApiError::validation("x")).expect("json");
    assert!(plain.get("problems").is_none());
}

/// devices.md §6.3 step 4: a code of the item's own GTIN but not of its product group's
/// shape (a shoe code without its 91/92 crypto part, a drinks-style code on cigarettes)
/// is refused at the scan and at the sale; clearing the group accepts any marking code.
#[test]
fn r101_a_marking_code_must_have_the_shape_of_its_product_group() {
    let r = Register::new();
    with_demo_catalogue(&r);
    let shoes_short = "0104870024020058215Wb!aTxq,8WgE\u{1d}93dGVz";
    let err = r
        .call_as(&r.cashier, "catalogue_scan", json!({"text": shoes_short}))
        .expect_err("a drinks-shaped code on shoes");
    assert_eq!(err.code, ErrorCode::MarkingRequired);
    let json = serde_json::to_value(&err).expect("json");
    assert_eq!(
        json["problems"][0]["key"], "marking_shape_long_crypto",
        "{json}"
    );
    assert_eq!(json["problems"][0]["args"][0], "shoes");
    let shoes = |mark: &str| {
        json!([{"name": "Кроссовки", "price_tiyn": 1_890_000, "quantity_milli": 1000,
                "goods_code": "2005", "marks": [mark]}])
    };
    let refused = r.sell(shoes(shoes_short), cash(1_890_000));
    assert_eq!(code(refused), ErrorCode::MarkingRequired);
    assert_eq!(scan(&r, SHOES)["kind"], "goods", "the real shape is taken");
    r.sell(shoes(SHOES), cash(1_890_000))
        .expect("sold with a shoe-shaped code");

    let cigarettes_gs1 = "010487002002001421Zx9!k3Q0Lm2P\u{1d}93a1B2";
    let err = r
        .call_as(
            &r.cashier,
            "catalogue_scan",
            json!({"text": cigarettes_gs1}),
        )
        .expect_err("not a tobacco shape");
    assert_eq!(
        serde_json::to_value(&err).expect("json")["problems"][0]["key"],
        "marking_shape_tobacco"
    );

    // The manager clears the group: the general checks alone apply.
    let mut kent = scan(&r, "4870020020014")["goods"].clone();
    assert_eq!(kent["marking_group"], "tobacco");
    kent["marking_group"] = Value::Null;
    let saved = r
        .call_as(
            &r.manager,
            "catalogue_save",
            json!({"id": kent["id"], "goods": kent}),
        )
        .expect("saved");
    assert_eq!(saved["marked"], true, "still marked");
    assert_eq!(scan(&r, cigarettes_gs1)["kind"], "goods");

    // An unknown group is named in the screen's words.
    kent["marking_group"] = json!("мебель");
    let err = r
        .call_as(
            &r.manager,
            "catalogue_save",
            json!({"id": kent["id"], "goods": kent}),
        )
        .expect_err("no such group");
    assert_eq!(
        serde_json::to_value(&err).expect("json")["problems"][0]["key"],
        "marking_group_unknown"
    );
}

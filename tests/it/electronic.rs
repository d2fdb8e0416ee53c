//! The electronic receipt, sent again from the journal: every element of
//! R-2 in Kazakh and in Russian, the operator's sign online and "Автономды" with the
//! register's own sign offline, checked against golden files in
//! tests/golden/receipts (`SAUDA_BLESS=1` rewrites them after a deliberate change).

use std::path::PathBuf;
use std::time::Duration as StdDuration;

use sauda::link::LinkOptions;
use sauda_ofd::client::Timeouts;
use sauda_ofd::sim::{DeviceRegistration, Fault, SimConfig, Simulator};
use serde_json::{Value, json};

use crate::support::{Register, code};

fn golden(name: &str, text: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/receipts")
        .join(name);
    if std::env::var_os("SAUDA_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
        std::fs::write(&path, text).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with SAUDA_BLESS=1", path.display()));
    assert_eq!(
        text, expected,
        "{name} changed; rerun with SAUDA_BLESS=1 if intended"
    );
}

fn electronic(r: &Register, number: i64, lang: &str) -> Value {
    r.call_as(
        &r.cashier,
        "receipt_electronic",
        json!({"number": number, "lang": lang}),
    )
    .expect("electronic receipt")
}

#[test]
fn r2_r8_r9_r59_r60_electronic_receipts_carry_every_element_online_and_autonomous() {
    let r = Register::new();
    let sim = Simulator::new(SimConfig {
        check_url: "https://consumer.oofd.kz".into(),
        ..SimConfig::default()
    });
    let s = r.core.settings();
    sim.register(DeviceRegistration::new(1, s.token, s.rnm.clone()));
    let server = sim.serve("127.0.0.1:0").expect("simulator");
    r.core
        .attach_link(LinkOptions {
            channels: Some(vec![server.addr().to_string()]),
            budget: StdDuration::from_millis(300),
            timeouts: Timeouts {
                pause: StdDuration::from_millis(20),
                ..Timeouts::default()
            },
            retry_on_document: false,
            ..LinkOptions::default()
        })
        .expect("link");
    let sale = r
        .call_as(
            &r.cashier,
            "receipt_sell",
            json!({
                "items": [
                    {"name": "Нан «Бородинский» / Хлеб", "price_tiyn": 25_000, "quantity_milli": 2000,
                     "adjustment": {"kind": "discount", "percent_milli": 10_000}},
                    {"name": "Сүт 2,5 %", "price_tiyn": 61_050, "quantity_milli": 1000, "vat_group": "10", "section": "2"}
                ],
                "payments": [{"kind": "cash", "amount_tiyn": 200_000}],
                "buyer": {"email": "buyer@example.kz"}
            }),
        )
        .expect("sale");
    assert_eq!(sale["fiscal_sign"], "9001");
    let online = electronic(&r, 1, "kk");
    assert_eq!(
        online["email"], "buyer@example.kz",
        "the contact given at the sale"
    );
    let text = online["text"].as_str().expect("text");
    for element in [
        "ДЕМО ДҮКЕН",
        "БСН/ЖСН",
        "ЗНМ",
        "РНМ",
        "Чек № 1",
        "Фискалдық белгі",
        "9001",
        "ҚҚС 10%",
        "ЖИЫНЫ",
        "ОФД",
        "consumer.oofd.kz",
    ] {
        assert!(
            text.contains(element),
            "R-2: '{element}' missing from\n{text}"
        );
    }
    golden("sale_online.kk.txt", text);
    golden(
        "sale_online.ru.txt",
        electronic(&r, 1, "ru")["text"].as_str().expect("text"),
    );

    sim.inject(Fault::Down);
    r.simple_sale(30_000);
    let offline = electronic(&r, 2, "kk");
    assert_eq!(offline["autonomous"], true);
    let text = offline["text"].as_str().expect("text");
    assert!(text.contains("Автономды"), "R-60:\n{text}");
    golden("sale_autonomous.kk.txt", text);
    let ru = electronic(&r, 2, "ru");
    assert!(
        ru["text"]
            .as_str()
            .expect("text")
            .contains("Автономный режим")
    );
    golden("sale_autonomous.ru.txt", ru["text"].as_str().expect("text"));

    assert_eq!(
        code(r.call_as(&r.cashier, "receipt_electronic", json!({"number": 99}))),
        sauda::error::ErrorCode::NotFound
    );
    assert_eq!(
        code(r.call_as(
            &r.cashier,
            "receipt_electronic",
            json!({"number": 1, "to": {"email": "not-an-address"}})
        )),
        sauda::error::ErrorCode::Validation
    );
}

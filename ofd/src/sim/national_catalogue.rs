//! A small stand-in for the National Catalogue of Goods (НКТ) that the simulated
//! operator answers barcode lookups from (COMMAND_NOMENCLATURE with
//! `NomenclatureRequest.barcode`, spec §3.10; spec/devices.md §6.5): eight Kazakh goods
//! with valid EAN-13 barcodes (prefix 487), Russian and Kazakh names, an НТИН, the
//! ИС ЭСФ unit code, and the marking flag for the beer and the cigarettes.
//!
//! The barcodes are deliberately not those of the demo shop's catalogue
//! (demo/catalogue.csv uses 48700NN…), so a lookup from the demo register finds goods
//! the shop does not sell yet. This is test data, not the real catalogue: the НТИНs
//! are made up, and nothing here is ever sent as a fiscal document.

use super::reply::Content;
use crate::v204 as pb;

/// One good as the national catalogue describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NationalGoods {
    /// The element's id in the operator's nomenclature.
    pub id: u64,
    /// EAN-13 with a correct check digit.
    pub barcode: &'static str,
    pub name_ru: &'static str,
    pub name_kk: &'static str,
    /// НТИН: an opaque digit string (spec/devices.md §6.5).
    pub ntin: &'static str,
    /// ИС ЭСФ unit code: "796" pieces, "166" kilograms, "112" litres.
    pub unit_code: &'static str,
    pub unit_title: &'static str,
    /// Sold by weight or volume (`measure_fractional`).
    pub fractional: bool,
    /// Subject to marking (`is_markedeac`).
    pub marked: bool,
    /// The recommended price in tiyn, when the catalogue has one.
    pub price_tiyn: Option<u64>,
    pub article: Option<&'static str>,
}

/// The whole built-in catalogue, in element-id order.
pub const NATIONAL_CATALOGUE: &[NationalGoods] = &[
    NationalGoods {
        id: 7_000_001,
        barcode: "4870301000018",
        name_ru: "Кумыс «Саумал», 0,5 л",
        name_kk: "Қымыз «Саумал», 0,5 л",
        ntin: "02100000000011",
        unit_code: "796",
        unit_title: "шт",
        fractional: false,
        marked: false,
        price_tiyn: Some(79_000),
        article: Some("SAU-050"),
    },
    NationalGoods {
        id: 7_000_002,
        barcode: "4870302000024",
        name_ru: "Сыр «Өркен» твёрдый, 200 г",
        name_kk: "Ірімшік «Өркен» қатты, 200 г",
        ntin: "02100000000028",
        unit_code: "796",
        unit_title: "шт",
        fractional: false,
        marked: false,
        price_tiyn: Some(125_000),
        article: None,
    },
    NationalGoods {
        id: 7_000_003,
        barcode: "4870303000030",
        name_ru: "Шоколад «Кахарман» молочный, 90 г",
        name_kk: "Шоколад «Қаһарман» сүтті, 90 г",
        ntin: "02100000000035",
        unit_code: "796",
        unit_title: "шт",
        fractional: false,
        marked: false,
        // No recommended price: the shop sets its own.
        price_tiyn: None,
        article: None,
    },
    NationalGoods {
        id: 7_000_004,
        barcode: "4870304000046",
        name_ru: "Рис «Мактаарал», весовой",
        name_kk: "Күріш «Мақтаарал», салмақпен",
        ntin: "02100000000042",
        unit_code: "166",
        unit_title: "кг",
        fractional: true,
        marked: false,
        price_tiyn: Some(69_000),
        article: None,
    },
    NationalGoods {
        id: 7_000_005,
        barcode: "4870305000052",
        name_ru: "Молоко «Асель» 2,5%, разливное",
        name_kk: "Сүт «Әсел» 2,5%, құйма",
        ntin: "02100000000059",
        unit_code: "112",
        unit_title: "л",
        fractional: true,
        marked: false,
        price_tiyn: Some(45_000),
        article: None,
    },
    NationalGoods {
        id: 7_000_006,
        barcode: "4870306000068",
        name_ru: "Пиво «Жетысу» светлое, 0,45 л, банка",
        name_kk: "Сыра «Жетісу» ашық, 0,45 л, банка",
        ntin: "02100000000066",
        unit_code: "796",
        unit_title: "шт",
        fractional: false,
        marked: true,
        price_tiyn: Some(52_000),
        article: None,
    },
    NationalGoods {
        id: 7_000_007,
        barcode: "4870307000074",
        name_ru: "Сигареты «Алтын Тау» синие",
        name_kk: "Темекі «Алтын Тау» көк",
        ntin: "02100000000073",
        unit_code: "796",
        unit_title: "шт",
        fractional: false,
        marked: true,
        price_tiyn: Some(130_000),
        article: Some("AT-BLUE-20"),
    },
    NationalGoods {
        id: 7_000_008,
        barcode: "4870308000080",
        name_ru: "Пельмени «Таңғы» замороженные, 1 кг",
        name_kk: "Тоңазытылған тұшпара «Таңғы», 1 кг",
        ntin: "02100000000080",
        unit_code: "796",
        unit_title: "шт",
        fractional: false,
        marked: false,
        price_tiyn: Some(240_000),
        article: None,
    },
];

/// The good with this barcode. EAN-8, UPC-A, EAN-13 and GTIN-14 spellings of one
/// number match alike (leading zeros do not count), as a GTIN lookup should.
pub fn find(barcode: &str) -> Option<&'static NationalGoods> {
    let wanted = gtin_key(barcode)?;
    NATIONAL_CATALOGUE
        .iter()
        .find(|g| gtin_key(g.barcode).as_deref() == Some(wanted.as_str()))
}

/// Digits without leading zeros; `None` for anything that is not 1–14 digits.
fn gtin_key(code: &str) -> Option<String> {
    let code = code.trim();
    if code.is_empty() || code.len() > 14 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(code.trim_start_matches('0').to_string())
}

/// COMMAND_NOMENCLATURE (spec §3.10): a barcode is looked up in the built-in national
/// catalogue and answered with its one item, or with result 3 and no elements; the
/// top-level result is 0 either way. Without a barcode the device downloads the
/// catalogue: version 1, with nothing in it, "actual" when it already holds version 1.
pub(crate) fn answer(current_version: Option<u32>, barcode: Option<&str>) -> Content {
    use crate::v204::nomenclature_response::NomenclatureResultTypeEnum as R;
    const VERSION: u32 = 1;
    let (result, elements) = match barcode.filter(|b| !b.trim().is_empty()) {
        Some(code) => match find(code) {
            Some(goods) => (R::ResultTypeOk, vec![element(goods)]),
            None => (R::ResultTypeElementNotFoundByBarcode, Vec::new()),
        },
        None if current_version == Some(VERSION) => (R::ResultTypeVersionIsActual, Vec::new()),
        None => (R::ResultTypeOk, Vec::new()),
    };
    Content::Nomenclature {
        version: VERSION,
        result: result as i32,
        elements,
    }
}

/// The `NomenclatureResponse.Element` (type ITEM) describing `g`.
pub(crate) fn element(g: &NationalGoods) -> pb::nomenclature_response::Element {
    use pb::nomenclature_response::{Element, ElementTypeEnum, Item};
    Element {
        r#type: ElementTypeEnum::Item as i32,
        title: g.name_ru.to_string(),
        parent_group_id: None,
        id: g.id,
        item: Some(Item {
            article: g.article.map(str::to_string),
            barcode: Some(g.barcode.to_string()),
            sell_price: g.price_tiyn.map(|tiyn| pb::Money {
                bills: tiyn / 100,
                coins: (tiyn % 100) as u32,
            }),
            measure_count: Some(1000),
            measure_title: Some(g.unit_title.to_string()),
            measure_fractional: Some(g.fractional),
            measure_unit_code: Some(g.unit_code.to_string()),
            ntin: Some(g.ntin.to_string()),
            is_markedeac: Some(g.marked),
            ..Default::default()
        }),
        title_kk: Some(g.name_kk.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use prost::Message;

    use super::*;
    use crate::frame::Version;
    use crate::sim::ledger::{Device, Exchange};
    use crate::sim::{DeviceRegistration, SimConfig, wire};
    use crate::v203;

    /// The EAN/GTIN check digit of everything but the last digit.
    fn check_digit(body: &str) -> u32 {
        let sum: u32 = body
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
            .sum();
        (10 - sum % 10) % 10
    }

    #[test]
    fn every_barcode_is_a_kazakh_ean13_with_its_check_digit() {
        for g in NATIONAL_CATALOGUE {
            assert_eq!(g.barcode.len(), 13, "{}", g.barcode);
            assert!(g.barcode.starts_with("487"), "{}", g.barcode);
            let (body, last) = g.barcode.split_at(12);
            assert_eq!(
                last.parse::<u32>().ok(),
                Some(check_digit(body)),
                "{}",
                g.barcode
            );
            assert!(g.ntin.bytes().all(|b| b.is_ascii_digit()) && g.ntin.len() <= 14);
            assert!(matches!(g.unit_code, "796" | "166" | "112"));
        }
        let mut ids: Vec<u64> = NATIONAL_CATALOGUE.iter().map(|g| g.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), NATIONAL_CATALOGUE.len(), "ids are unique");
        // Known check digits, so the helper itself is right.
        assert_eq!(check_digit("487012345678"), 9);
        assert_eq!(check_digit("400638133393"), 1);
    }

    #[test]
    fn names_are_bilingual_and_use_the_kazakh_letters() {
        let kazakh: String = NATIONAL_CATALOGUE.iter().map(|g| g.name_kk).collect();
        for letter in ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'] {
            assert!(
                kazakh.to_lowercase().contains(letter),
                "no {letter} in {kazakh}"
            );
        }
        assert!(NATIONAL_CATALOGUE.iter().any(|g| g.marked));
        assert!(NATIONAL_CATALOGUE.iter().any(|g| g.fractional));
    }

    #[test]
    fn lookups_ignore_leading_zeros_and_refuse_non_digits() {
        assert_eq!(find("4870306000068").map(|g| g.id), Some(7_000_006));
        assert_eq!(find(" 04870306000068 ").map(|g| g.id), Some(7_000_006));
        assert!(find("4870001010010").is_none(), "the demo shop's bread");
        assert!(find("48703060000xx").is_none());
        assert!(find("").is_none());
        assert!(find("000000000000000").is_none());
    }

    fn lookup(version: Version, barcode: &str) -> Vec<u8> {
        let reg = DeviceRegistration::new(5, 77, "600400300200");
        let config = SimConfig::default();
        let mut device = Device::new(reg, &config);
        let request = pb::Request {
            command: wire::NOMENCLATURE,
            nomenclature: Some(pb::NomenclatureRequest {
                current_version: None,
                barcode: Some(barcode.to_string()),
            }),
            ..Default::default()
        };
        let payload = request.encode_to_vec();
        let incoming = wire::decode_request(version, &payload).expect("decodes");
        let ex = Exchange {
            version,
            token: 77,
            reqnum: 1,
            payload: &payload,
            now_ms: 1_750_000_000_000,
        };
        let answered = device.handle(&ex, &incoming, None, &config);
        assert_eq!((answered.code, answered.token), (0, 77), "the token stays");
        answered.payload
    }

    #[test]
    fn a_known_barcode_is_answered_with_one_item() {
        let answer =
            pb::Response::decode(&lookup(Version::V204, "4870307000074")[..]).expect("2.0.4");
        assert_eq!((answer.command, answer.result.result_code), (4, 0));
        let n = answer.nomenclature.expect("nomenclature");
        assert_eq!(n.result, 0, "RESULT_TYPE_OK");
        assert_eq!(n.elements.len(), 1);
        let e = &n.elements[0];
        assert_eq!(e.r#type, 1, "ITEM");
        assert_eq!(e.title, "Сигареты «Алтын Тау» синие");
        assert_eq!(e.title_kk.as_deref(), Some("Темекі «Алтын Тау» көк"));
        let item = e.item.as_ref().expect("item");
        assert_eq!(item.barcode.as_deref(), Some("4870307000074"));
        assert_eq!(item.ntin.as_deref(), Some("02100000000073"));
        assert_eq!(item.measure_unit_code.as_deref(), Some("796"));
        assert_eq!(item.is_markedeac, Some(true));
        let price = item.sell_price.as_ref().expect("price");
        assert_eq!((price.bills, price.coins), (1_300, 0));
    }

    #[test]
    fn the_2_0_3_answer_carries_the_same_item() {
        let answer =
            v203::Response::decode(&lookup(Version::V203, "4870305000052")[..]).expect("2.0.3");
        let n = answer.nomenclature.expect("nomenclature");
        let e = &n.elements[0];
        assert_eq!(e.title_kk.as_deref(), Some("Сүт «Әсел» 2,5%, құйма"));
        let item = e.item.as_ref().expect("item");
        assert_eq!(item.measure_unit_code.as_deref(), Some("112"));
        assert_eq!(item.measure_fractional, Some(true));
    }

    #[test]
    fn without_a_barcode_the_version_download_answers_as_before() {
        let result = |c: Content| match c {
            Content::Nomenclature {
                version,
                result,
                elements,
            } => (version, result, elements.len()),
            other => panic!("not a nomenclature answer: {other:?}"),
        };
        assert_eq!(
            result(answer(Some(1), None)),
            (1, 1, 0),
            "VERSION_IS_ACTUAL"
        );
        assert_eq!(result(answer(None, None)), (1, 0, 0));
        assert_eq!(
            result(answer(Some(0), Some("  "))),
            (1, 0, 0),
            "blank barcode"
        );
    }

    #[test]
    fn an_unknown_barcode_is_ok_with_result_3_and_no_elements() {
        for version in [Version::V203, Version::V204] {
            let answer =
                pb::Response::decode(&lookup(version, "4870399999997")[..]).expect("decodes");
            assert_eq!(answer.result.result_code, 0, "not a refusal");
            let n = answer.nomenclature.expect("nomenclature");
            assert_eq!(n.result, 3, "RESULT_TYPE_ELEMENT_NOT_FOUND_BY_BARCODE");
            assert!(n.elements.is_empty());
        }
    }
}

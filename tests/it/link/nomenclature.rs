//! The barcode lookup in the operator's national catalogue against the real simulator
//! (issue 7, spec §3.10): a known barcode fills the names, НТИН and unit, an unknown
//! one reads as not found, and neither silence nor a refusal changes the link's mode
//! or stops a sale. Result 18 is "not found" in 2.0.3 only.

use prost::Message;
use sauda::error::ErrorCode;
use sauda_ofd::frame;
use sauda_ofd::sim::{Fault, NATIONAL_CATALOGUE};
use serde_json::{Value, json};

use super::*;
use crate::support::code;

const NOMENCLATURE: i32 = CommandTypeEnum::CommandNomenclature as i32;
/// A valid EAN-13 with the Kazakh prefix that neither the shop nor the operator knows.
const UNKNOWN: &str = "4870399999997";

fn lookup(r: &Register, barcode: &str) -> Result<Value, sauda::error::ApiError> {
    r.call_as(
        &r.manager,
        "catalogue_operator_lookup",
        json!({ "barcode": barcode }),
    )
}

fn lookups(op: &Operator) -> usize {
    op.sim.ledger(1).map_or(0, |l| {
        l.exchanges
            .iter()
            .filter(|e| e.command == NOMENCLATURE)
            .count()
    })
}

#[test]
fn issue7_a_barcode_the_shop_lacks_is_filled_from_the_operators_catalogue() {
    let (r, op) = linked(2_000);
    let beer = NATIONAL_CATALOGUE
        .iter()
        .find(|g| g.barcode == "4870306000068")
        .expect("the beer is in the simulator's catalogue");
    let found = lookup(&r, "04870306000068").expect("lookup");
    assert_eq!(
        found,
        json!({
            "found": true,
            "barcode": "4870306000068",
            "name_ru": beer.name_ru,
            "name_kk": beer.name_kk,
            "ntin": beer.ntin,
            "unit": "796",
            "weighted": false,
            "marked": true,
            "price_tiyn": 52_000,
            "article": null,
        })
    );
    let rice = lookup(&r, "4870304000046").expect("lookup");
    assert_eq!(
        (rice["unit"].clone(), rice["weighted"].clone()),
        (json!("166"), json!(true))
    );
    assert_eq!(rice["name_kk"], "Күріш «Мақтаарал», салмақпен");
    // What went out: COMMAND_NOMENCLATURE with the EAN-13 in `nomenclature.barcode`.
    let frame_hex: String = r
        .conn()
        .query_row(
            "SELECT json_extract(payload, '$.frame') FROM journal
             WHERE kind = 'ofd_request' ORDER BY seq LIMIT 1",
            [],
            |row| row.get(0),
        )
        .expect("the request is journaled");
    let bytes = hex::decode(frame_hex).expect("hex");
    let (_, payload) = frame::read_frame(&mut &bytes[..]).expect("one frame");
    let request = sauda_ofd::v204::Request::decode(payload.as_slice()).expect("decodes");
    assert_eq!(request.command, NOMENCLATURE);
    assert_eq!(
        request.nomenclature.and_then(|n| n.barcode).as_deref(),
        Some("4870306000068")
    );
    assert!(request.service.is_some(), "the service block goes with it");
    // A suggestion only: nothing counted, the till still online, cashiers not allowed.
    let ledger = op.sim.ledger(1).expect("ledger");
    assert!(ledger.documents.is_empty());
    assert_eq!(status(&r)["mode"], "online");
    let cashier = r.call_as(
        &r.cashier,
        "catalogue_operator_lookup",
        json!({"barcode": UNKNOWN}),
    );
    assert_eq!(code(cashier), ErrorCode::Forbidden);
}

#[test]
fn issue7_an_unknown_barcode_reads_as_not_found_and_bad_input_is_refused_before_asking() {
    let (r, op) = linked(2_000);
    let none = lookup(&r, UNKNOWN).expect("lookup");
    assert_eq!(none["found"], false, "{none}");
    assert_eq!(none["barcode"], UNKNOWN);
    assert_eq!(none["name_ru"], "");
    assert_eq!(lookups(&op), 1);
    let bad = lookup(&r, "48703-06").expect_err("not digits");
    assert_eq!(bad.code, ErrorCode::Validation);
    assert!(bad.message.contains("8 to 14 digits"), "{}", bad.message);
    assert_eq!(lookups(&op), 1, "the operator is not asked");
    assert_eq!(status(&r)["mode"], "online");
}

#[test]
fn issue7_a_silent_operator_gives_a_clear_error_and_leaves_the_mode_alone() {
    let (r, op) = linked(300);
    let Operator { sim, server } = op;
    server.stop();
    let modes_before = kinds(&r, "link_mode");
    let started = std::time::Instant::now();
    let silent = lookup(&r, UNKNOWN).expect_err("no operator");
    assert!(
        started.elapsed() < StdDuration::from_secs(3),
        "within the budget"
    );
    assert_eq!(silent.code, ErrorCode::Validation);
    assert!(
        silent.message.contains("did not answer"),
        "{}",
        silent.message
    );
    assert!(silent.message.contains("by hand"), "{}", silent.message);
    assert_eq!(
        status(&r)["mode"],
        "online",
        "a lookup does not go autonomous"
    );
    assert_eq!(kinds(&r, "link_mode"), modes_before);
    // The register's own documents decide the mode: the next sale goes autonomous and
    // then lookups are refused at once, without asking anyone.
    let sale = r.simple_sale(1_000);
    assert_eq!(sale["autonomous"], true, "{sale}");
    let offline = lookup(&r, UNKNOWN).expect_err("autonomous");
    assert!(
        offline.message.contains("not online"),
        "{}",
        offline.message
    );
    assert!(offline.message.contains("by hand"), "{}", offline.message);
    assert!(sim.ledger(1).expect("ledger").exchanges.is_empty());
}

#[test]
fn issue7_result_18_is_not_found_in_2_0_3_and_never_blocks_the_till() {
    let (r, op) = linked(2_000);
    assert_eq!(r.core.settings().protocol_version, "2.0.3");
    op.sim.inject(Fault::RejectCommand {
        command: NOMENCLATURE,
        code: 18,
    });
    let none = lookup(&r, "4870307000074").expect("2.0.3: 18 is not found by barcode");
    assert_eq!(none["found"], false, "{none}");
    assert_eq!(status(&r)["mode"], "online");
    let sale = r.simple_sale(1_000);
    assert_eq!(sale["fiscal_sign"], "9001", "the sale goes on: {sale}");
    // In 2.0.4 the same number means "deregistered": an error, still no block from here.
    r.call_as(&r.manager, "shift_close", json!({}))
        .expect("Z before the protocol changes");
    r.call_as(
        &r.admin,
        "settings_update",
        json!({"changes": {"protocol_version": "2.0.4"}}),
    )
    .expect("protocol changed");
    let e = lookup(&r, "4870307000074").expect_err("2.0.4: deregistered");
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("deregistered"), "{}", e.message);
    assert_eq!(status(&r)["mode"], "online");
    op.sim.clear_faults();
    let found = lookup(&r, "4870307000074").expect("2.0.4 lookup");
    assert_eq!(found["name_kk"], "Темекі «Алтын Тау» көк");
    assert_eq!(found["marked"], true);
}

//! The journal screen's list (`document_list`): a shift's documents newest first with
//! their kind, total and sign, and the search a manager uses to find a buyer's receipt.

use serde_json::{Value, json};

use crate::link::linked;

fn list(r: &crate::support::Register, input: Value) -> Value {
    r.call_as(&r.manager, "document_list", input)
        .expect("the list reads")
}

#[test]
fn the_shifts_documents_newest_first_and_found_by_number_sign_or_amount() {
    let (r, _op) = linked(2_000);
    r.call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 100_000}))
        .expect("deposit");
    let sale = r.simple_sale(30_000);
    let other = r.simple_sale(125_050);
    r.call_as(
        &r.cashier,
        "receipt_return",
        json!({"original_number": sale["number"]}),
    )
    .expect("return");

    let all = list(&r, Value::Null);
    let kinds: Vec<&str> = all["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| d["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["sell_return", "sell", "sell", "deposit"]);
    assert_eq!(all["more"], false);
    assert_eq!(all["documents"][1]["fiscal_sign"], other["fiscal_sign"]);
    assert_eq!(all["documents"][3]["total_tiyn"], 100_000);

    let by_number = list(&r, json!({"query": other["number"].to_string()}));
    assert_eq!(by_number["documents"].as_array().map(Vec::len), Some(1));
    assert_eq!(by_number["documents"][0]["number"], other["number"]);
    let by_amount = list(&r, json!({"query": "1 250,50"}));
    assert_eq!(by_amount["documents"][0]["number"], other["number"]);
    let by_sign = list(&r, json!({"query": sale["fiscal_sign"]}));
    assert_eq!(by_sign["documents"][0]["number"], sale["number"]);
    let nothing = list(&r, json!({"query": "999999"}));
    assert_eq!(nothing["documents"], json!([]));
    let cut = list(&r, json!({"limit": 2}));
    assert_eq!(
        (
            cut["documents"].as_array().map(Vec::len),
            cut["more"].clone()
        ),
        (Some(2), json!(true))
    );
}

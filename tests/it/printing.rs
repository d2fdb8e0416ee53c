//! The paper side of a sale through the printer port (R-8, R-32, item 84): receipts are
//! printed; a printer that cannot print refuses a sale unless the buyer takes the
//! electronic receipt; a receipt the printer failed on blocks the next document until
//! it is printed; reprints are marked copies. The printer here is the test's own
//! implementation of the port (ports.rs: tests plug in their own parts).

use std::sync::{Arc, Mutex};

use sauda::error::ErrorCode;
use sauda::ports::ReceiptPrinter;
use sauda::receipt_layout::Line;
use serde_json::json;

use crate::support::{Register, code, notice_keys};

#[derive(Default)]
struct Paper {
    /// What `ready` answers: `Some(why)` = cannot print.
    fault: Option<String>,
    /// Fail the next print (the paper runs out in the middle).
    fail_next: bool,
    printed: Vec<Vec<Line>>,
    drawer_opened: usize,
}

struct TestPrinter(Arc<Mutex<Paper>>);

impl ReceiptPrinter for TestPrinter {
    fn ready(&mut self) -> Result<(), String> {
        match &self.0.lock().expect("paper").fault {
            Some(why) => Err(why.clone()),
            None => Ok(()),
        }
    }

    fn print(
        &mut self,
        _document: Option<i64>,
        lines: &[Line],
        drawer: bool,
    ) -> Result<(), String> {
        let mut p = self.0.lock().expect("paper");
        if std::mem::take(&mut p.fail_next) {
            return Err("Қағаз бітті / Закончилась бумага".into());
        }
        p.printed.push(lines.to_vec());
        p.drawer_opened += usize::from(drawer);
        Ok(())
    }

    fn columns(&self) -> usize {
        48
    }
}

fn with_printer() -> (Register, Arc<Mutex<Paper>>) {
    let r = Register::new();
    let paper = Arc::new(Mutex::new(Paper::default()));
    r.core.attach_printer(Box::new(TestPrinter(paper.clone())));
    (r, paper)
}

fn text(lines: &[Line]) -> String {
    sauda::receipt_layout::plain_text(lines, 48)
}

fn sale_with(
    r: &Register,
    buyer: serde_json::Value,
) -> Result<serde_json::Value, sauda::error::ApiError> {
    r.call_as(
        &r.cashier,
        "receipt_sell",
        json!({"items": [{"name": "Нан", "price_tiyn": 1_000, "quantity_milli": 1000}],
               "payments": [{"kind": "cash", "amount_tiyn": 1_000}],
               "buyer": buyer, "lang": "ru"}),
    )
}

#[test]
fn r8_r76_every_sale_is_printed_in_the_language_asked_for() {
    let (r, paper) = with_printer();
    let sale = sale_with(&r, json!({})).expect("sale");
    assert_eq!(sale["printed"], true);
    // The next buyer asks for Kazakh: the language is chosen per receipt.
    r.call_as(
        &r.cashier,
        "receipt_sell",
        json!({"items": [{"name": "Нан", "price_tiyn": 1_000, "quantity_milli": 1000}],
               "payments": [{"kind": "cash", "amount_tiyn": 1_000}], "lang": "kk"}),
    )
    .expect("sale in Kazakh");
    let p = paper.lock().expect("paper");
    assert_eq!(p.printed.len(), 2);
    let russian = text(&p.printed[0]);
    let kazakh = text(&p.printed[1]);
    for (printed, words) in [
        (&russian, ["ПРОДАЖА", "ИТОГО", "Наличные"]),
        (&kazakh, ["САТУ", "ЖИЫНЫ", "Қолма-қол"]),
    ] {
        for word in words {
            assert!(printed.contains(word), "R-76: {word} in {printed}");
        }
    }
    assert!(
        !kazakh.contains("ИТОГО") && !russian.contains("ЖИЫНЫ"),
        "one language each"
    );
}

#[test]
fn r32_no_paper_and_no_electronic_route_refuses_the_sale_before_it_is_recorded() {
    let (r, paper) = with_printer();
    paper.lock().expect("paper").fault = Some("Қағаз бітті / Закончилась бумага".into());
    let before = r.journal_len();
    assert_eq!(code(sale_with(&r, json!({}))), ErrorCode::PrinterFault);
    assert_eq!(r.journal_len(), before, "nothing recorded");
    // With the buyer's e-mail the electronic receipt is enough (reading of R-32).
    let sale = sale_with(&r, json!({"email": "buyer@example.kz"})).expect("sale");
    assert_eq!(notice_keys(&sale), ["electronic_only"], "{sale}");
    assert!(paper.lock().expect("paper").printed.is_empty());
}

#[test]
fn r32_item84_a_failed_print_blocks_until_the_receipt_is_printed_and_reprints_are_copies() {
    let (r, paper) = with_printer();
    paper.lock().expect("paper").fail_next = true;
    let sale = sale_with(&r, json!({})).expect("the sale stands");
    assert_eq!(sale["printed"], false);
    let number = sale["number"].as_i64().expect("number");
    assert_eq!(notice_keys(&sale), ["not_printed"], "{sale}");
    assert_eq!(sale["notices"][0]["args"], json!([number.to_string()]));
    let refused = sale_with(&r, json!({}));
    assert_eq!(code(refused), ErrorCode::PrinterFault);
    // The same after a restart: the failure is in the journal.
    let mut r = r;
    r.reopen();
    r.core.attach_printer(Box::new(TestPrinter(paper.clone())));
    assert_eq!(code(sale_with(&r, json!({}))), ErrorCode::PrinterFault);
    let first = r
        .call_as(&r.cashier, "receipt_print", json!({"number": number}))
        .expect("printed now");
    assert_eq!(first["copy"], false, "its first print is the original");
    sale_with(&r, json!({})).expect("selling again");
    let again = r
        .call_as(&r.cashier, "receipt_print", json!({"number": number}))
        .expect("reprint");
    assert_eq!(again["copy"], true);
    let p = paper.lock().expect("paper");
    let last = text(p.printed.last().expect("printed"));
    assert!(
        last.contains("КӨШІРМЕ"),
        "item 84: a reprint is marked: {last}"
    );
}

#[test]
fn r81_cash_slips_print_open_the_drawer_and_a_failed_slip_blocks_like_a_receipt() {
    let (r, paper) = with_printer();
    let cash_in = r
        .call_as(&r.manager, "cash_deposit", json!({"amount_tiyn": 50_000}))
        .expect("deposit");
    {
        let p = paper.lock().expect("paper");
        let slip = text(p.printed.last().expect("slip"));
        assert!(
            slip.contains("КАССАҒА ЕНГІЗУ") && slip.contains("500.00"),
            "{slip}"
        );
        assert_eq!(p.drawer_opened, 1);
    }
    paper.lock().expect("paper").fail_next = true;
    let out = r
        .call_as(&r.manager, "cash_withdraw", json!({"amount_tiyn": 10_000}))
        .expect("the withdrawal stands");
    assert_eq!(notice_keys(&out), ["not_printed"], "{out}");
    assert_eq!(code(sale_with(&r, json!({}))), ErrorCode::PrinterFault);
    let number = out["number"].clone();
    let again = r
        .call_as(&r.manager, "receipt_print", json!({"number": number}))
        .expect("the slip prints now");
    assert_eq!(again["copy"], false);
    sale_with(&r, json!({})).expect("selling again");
    let copy = r
        .call_as(
            &r.manager,
            "receipt_print",
            json!({"number": cash_in["number"]}),
        )
        .expect("reprint of the first slip");
    assert_eq!(copy["copy"], true);
    let p = paper.lock().expect("paper");
    assert!(text(p.printed.last().expect("copy")).contains("КӨШІРМЕ"));
}

/// Reports on paper: X, by cashier and by section print on the attached printer
/// without journaling anything; the Z prints when the shift closes, and a failed Z
/// print is a notice that blocks nothing (only receipts and slips block, R-32).
#[test]
fn r16_reports_print_on_the_attached_printer_and_the_z_prints_at_close() {
    let (r, paper) = with_printer();
    sale_with(&r, json!({})).expect("a sale");
    let before = r.journal_len();
    for (kind, want) in [
        ("x", "X-ЕСЕП"),
        ("by_cashier", "КАССИРЛЕР БОЙЫНША ЕСЕП"),
        ("by_section", "БӨЛІМДЕР БОЙЫНША ЕСЕП"),
    ] {
        let out = r
            .call_as(&r.manager, "report_print", json!({"kind": kind}))
            .expect("printed");
        assert_eq!(out["printed"], true);
        let p = paper.lock().expect("paper");
        let printed = text(p.printed.last().expect("report"));
        assert!(printed.contains(want), "{printed}");
    }
    assert!(
        text(
            paper
                .lock()
                .expect("paper")
                .printed
                .last()
                .expect("section")
        )
        .contains("Бөлім 1"),
        "the sale's section is on the section report"
    );
    assert_eq!(r.journal_len(), before, "reports are not documents");
    // Laid out for another width without printing (the CLI prints elsewhere with it).
    let shown = r
        .call_as(
            &r.manager,
            "report_print",
            json!({"kind": "by_cashier", "lang": "ru", "columns": 32}),
        )
        .expect("laid out");
    assert_eq!(shown["printed"], false);
    assert!(shown["lines"].to_string().contains("ОТЧЁТ ПО КАССИРАМ"));
    assert_eq!(
        code(r.call_as(&r.manager, "report_print", json!({"kind": "y"}))),
        ErrorCode::Validation
    );

    paper.lock().expect("paper").fail_next = true;
    let z = r
        .call_as(&r.manager, "shift_close", json!({}))
        .expect("the Z stands");
    assert_eq!(notice_keys(&z), ["report_not_printed"], "{z}");
    assert!(z["notices"].to_string().contains("report_print z"), "{z}");
    let again = r
        .call_as(&r.manager, "report_print", json!({"kind": "z"}))
        .expect("the Z prints now");
    let printed =
        text(&serde_json::from_value::<Vec<Line>>(again["lines"].clone()).expect("lines"));
    assert!(printed.contains("Z-ЕСЕП № 0001"), "{printed}");
    sale_with(&r, json!({})).expect("a failed Z print blocks nothing");
    let closes_printed = paper
        .lock()
        .expect("paper")
        .printed
        .iter()
        .filter(|l| text(l).contains("Z-ЕСЕП"))
        .count();
    assert_eq!(closes_printed, 1);
}

#[test]
fn r16_r76_the_z_prints_at_close_in_the_language_asked_for() {
    let (r, paper) = with_printer();
    sale_with(&r, json!({})).expect("sale");
    assert_eq!(
        code(r.call_as(&r.manager, "shift_close", json!({"lang": "en"}))),
        ErrorCode::Validation,
        "a wrong language is refused before the shift closes"
    );
    r.call_as(&r.manager, "shift_close", json!({"lang": "ru"}))
        .expect("Z");
    let p = paper.lock().expect("paper");
    let z = text(p.printed.last().expect("the Z printed"));
    assert!(z.contains("Z-ОТЧЁТ") && !z.contains("Z-ЕСЕП"), "{z}");
}

#[test]
fn item84_the_status_bar_shows_what_the_printer_last_said() {
    let plain = Register::new();
    let status = plain
        .call_as(&plain.cashier, "register_status", json!(null))
        .expect("status");
    assert!(status["printer"].is_null(), "no printer attached: {status}");

    let (r, paper) = with_printer();
    let printer = |r: &Register| {
        r.call_as(&r.cashier, "register_status", json!(null))
            .expect("status")["printer"]
            .clone()
    };
    assert_eq!(printer(&r)["state"], "unknown");
    sale_with(&r, json!({})).expect("sale");
    assert_eq!(printer(&r)["state"], "ready");
    // Paper runs out in the middle of the next receipt: the receipt waits.
    paper.lock().expect("paper").fail_next = true;
    let waiting = sale_with(&r, json!({})).expect("the sale stands");
    let now = printer(&r);
    assert_eq!(now["state"], "fault");
    assert!(
        now["problem"]
            .as_str()
            .is_some_and(|p| p.contains("бумага")),
        "{now}"
    );
    assert_eq!(now["unprinted"], waiting["number"]);
    // Printed again, the receipt no longer waits and the printer is ready.
    r.call_as(
        &r.cashier,
        "receipt_print",
        json!({"number": waiting["number"]}),
    )
    .expect("printed now");
    let fixed = printer(&r);
    assert_eq!(
        (fixed["state"].clone(), fixed["unprinted"].clone()),
        (json!("ready"), json!(null))
    );
}

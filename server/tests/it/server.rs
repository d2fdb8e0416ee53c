//! The HTTP transport over real TCP on 127.0.0.1: PIN sessions, the command table,
//! error codes as HTTP statuses, and the event stream.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;

use crate::support::{login, post, start};

#[test]
fn r12_a_pin_session_sells_and_errors_carry_their_code() {
    let r = start();
    let (status, out) = post(r.addr, "session_login", None, r#"{"pin":"9999"}"#);
    assert_eq!((status, out["code"].as_str()), (401, Some("wrong_pin")));
    let (status, out) = post(r.addr, "register_status", None, "");
    assert_eq!(
        (status, out["code"].as_str()),
        (401, Some("session_required"))
    );

    let cashier = login(r.addr, "3333");
    let (status, sale) = post(
        r.addr,
        "receipt_sell",
        Some(&cashier),
        r#"{"items":[{"name":"Нан","price_tiyn":25000,"quantity_milli":2000}],"payments":[{"kind":"cash","amount_tiyn":100000}]}"#,
    );
    assert_eq!(status, 200, "{sale}");
    assert_eq!(sale["total_tiyn"], 50_000);
    assert_eq!(sale["change_tiyn"], 50_000);

    // A cashier may not take the X report (R-11): 403 with the code the UI branches on.
    let (status, out) = post(r.addr, "report_x", Some(&cashier), "");
    assert_eq!((status, out["code"].as_str()), (403, Some("forbidden")));
    // Bad input: 422 and a sentence; nothing is written.
    let (status, out) = post(r.addr, "receipt_sell", Some(&cashier), "{\"items\": 5}");
    assert_eq!((status, out["code"].as_str()), (422, Some("validation")));
    let (status, out) = post(r.addr, "receipt_sell", Some(&cashier), "not json");
    assert_eq!((status, out["code"].as_str()), (422, Some("validation")));
    // A scan the core cannot read names its problem for the page to word (R-75).
    let (status, out) = post(
        r.addr,
        "catalogue_scan",
        Some(&cashier),
        r#"{"text":"]E04870001010011"}"#,
    );
    assert_eq!((status, out["code"].as_str()), (422, Some("validation")));
    assert_eq!(out["problems"][0]["key"], "barcode_check_digit", "{out}");
    assert_eq!(out["problems"][0]["args"][0], "4870001010011");
    let (_, status_out) = post(r.addr, "register_status", Some(&cashier), "");
    assert_eq!(status_out["cash_in_drawer_tiyn"], 50_000);

    let (status, _) = post(r.addr, "session_logout", Some(&cashier), "");
    assert_eq!(status, 200);
    let (status, _) = post(r.addr, "register_status", Some(&cashier), "");
    assert_eq!(status, 401);
}

#[test]
fn the_event_stream_sends_the_status_and_ends_with_the_session() {
    let r = start();
    let token = login(r.addr, "3333");
    let mut s = TcpStream::connect(r.addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        s,
        "GET /api/events?token={token} HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("write");
    let mut lines = BufReader::new(s).lines();
    let mut events = Vec::new();
    let mut logged_out = false;
    while let Some(Ok(line)) = lines.next() {
        if let Some(name) = line.strip_prefix("event: ") {
            events.push(name.to_string());
            if name == "status" && !logged_out {
                post(r.addr, "session_logout", Some(&token), "");
                logged_out = true;
            }
            if name == "session_ended" {
                break;
            }
        }
        if let Some(data) = line.strip_prefix("data: ")
            && events.len() == 1
        {
            let v: Value = serde_json::from_str(data).expect("status JSON");
            assert_eq!(v["register"]["header"]["demo"], true);
            assert_eq!(v["link"]["mode"], "detached");
        }
    }
    assert_eq!(events.first().map(String::as_str), Some("status"));
    assert_eq!(events.last().map(String::as_str), Some("session_ended"));
}

#[test]
fn the_virtual_printers_receipts_are_shown_to_a_live_session_only() {
    let paper = tempfile::tempdir().expect("paper folder");
    std::fs::write(paper.path().join("1.png"), b"\x89PNG receipt").expect("a receipt");
    let options = sauda_server::ServerOptions {
        paper_dir: Some(paper.path().to_path_buf()),
        ..sauda_server::ServerOptions::default()
    };
    let r = crate::support::start_with(1, options);
    let get = |path: &str| {
        let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        crate::support::raw(r.addr, request.as_bytes())
    };
    assert_eq!(get("/paper/1.png").0, 401, "no token");
    assert_eq!(
        get("/paper/1.png?token=guess").0,
        401,
        "a token never issued"
    );
    let token = login(r.addr, "1111");
    let (status, body) = get(&format!("/paper/1.png?token={token}"));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("receipt"));
}

#[test]
fn without_a_session_a_large_body_is_refused_before_it_is_read() {
    let r = start();
    let big = format!("{{\"pin\": \"{}\"}}", "1".repeat(64 * 1024));
    let (status, _) = post(r.addr, "receipt_sell", None, &big);
    assert_eq!(
        status, 401,
        "no session: refused as such, whatever the body"
    );
    let (status, body) = post(r.addr, "session_login", None, &big);
    assert_eq!(status, 413, "a login carries a PIN, not 64 KB: {body}");
    let token = login(r.addr, "3333");
    let (status, _) = post(r.addr, "register_status", Some(&token), "{}");
    assert_eq!(status, 200, "a session's small body still goes through");
}

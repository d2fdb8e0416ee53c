//! Server mode and the inspector's remote access over real TCP (R-84): every role
//! against every command, sessions that expire and cannot be replayed, lockout and rate
//! limits, registers an inspector may not read, oversized bodies and climbing paths,
//! SQL-looking input, and the audit log that records it all.

use std::time::Duration;

use sauda::commands::COMMANDS;
use sauda::users::Role;
use sauda_server::{Lifetimes, ServerOptions};
use serde_json::json;

use crate::support::{
    INSPECTOR_PASSWORD, Running, inspector, login_to, post, post_to, raw, start, start_tls,
    start_with,
};

fn actions(r: &Running, action: &str) -> Vec<sauda::remote_access::AuditEntry> {
    r.audit()
        .into_iter()
        .filter(|e| e.event.action == action)
        .collect()
}

#[test]
fn r84_every_role_meets_exactly_the_commands_the_table_allows() {
    let r = start_with(1, ServerOptions::default());
    let tokens = [
        (Role::Cashier, login_to(r.addr, "3333", None)),
        (Role::Manager, login_to(r.addr, "2222", None)),
        (Role::Admin, login_to(r.addr, "1111", None)),
        (Role::Inspector, inspector(r.addr, "petrov")),
    ];
    // Commands that would end the sessions the rest of the table needs go last.
    let mut commands: Vec<_> = COMMANDS.iter().collect();
    commands.sort_by_key(|c| c.name == "user_disable" || c.name == "session_login");
    for (role, token) in &tokens {
        for c in &commands {
            let (status, out) = post(r.addr, c.name, Some(token), "{}");
            let allowed = c.access.allows(*role);
            if allowed {
                assert_ne!(
                    status, 403,
                    "{role:?} may run {} ({:?}) but was refused: {out}",
                    c.name, c.access
                );
            } else {
                assert_eq!(
                    (status, out["code"].as_str()),
                    (403, Some("forbidden")),
                    "{role:?} must not run {} ({:?}): {out}",
                    c.name,
                    c.access
                );
            }
        }
    }
    // Everything the inspector ran is in the log under the inspector's name.
    let logged: Vec<String> = r
        .audit()
        .into_iter()
        .filter(|e| e.event.actor == "inspector:petrov" && e.event.action != "login")
        .map(|e| e.event.detail)
        .collect();
    let before_login = ["session_login", "register_header"];
    for c in COMMANDS.iter().filter(|c| !before_login.contains(&c.name)) {
        assert!(
            logged.iter().any(|d| d.split(' ').next() == Some(c.name)),
            "the inspector's {} is in the log: {logged:?}",
            c.name
        );
    }
}

#[test]
fn without_a_live_session_every_name_known_or_not_answers_401_and_is_logged() {
    let r = start();
    let names = COMMANDS
        .iter()
        .map(|c| c.name)
        .filter(|n| !matches!(*n, "session_login" | "register_header"))
        .chain([
            "no_such_command",
            "register_list",
            "audit_log",
            "drop_table",
        ]);
    let forged = "0".repeat(64);
    for name in names {
        for token in [None, Some(forged.as_str()), Some("short")] {
            let (status, out) = post(r.addr, name, token, "{}");
            assert_eq!(
                (status, out["code"].as_str()),
                (401, Some("session_required")),
                "{name} with {token:?}: {out}"
            );
        }
    }
    let refused = actions(&r, "refused");
    assert!(
        refused
            .iter()
            .any(|e| e.event.detail.contains("never issued")),
        "a forged token is logged: {refused:?}"
    );
    // A token is worth nothing after logout: a replay is refused and logged.
    let token = inspector(r.addr, "ivanov");
    assert_eq!(post(r.addr, "report_x", Some(&token), "").0, 200);
    assert_eq!(post(r.addr, "session_logout", Some(&token), "").0, 200);
    let (status, _) = post(r.addr, "report_x", Some(&token), "");
    assert_eq!(status, 401);
    assert_eq!(actions(&r, "logout").len(), 1);
}

#[test]
fn r84_wrong_passwords_lock_the_account_and_each_attempt_is_logged() {
    let r = start();
    let wrong = json!({"login": "ivanov", "password": "guess-guess-1"}).to_string();
    for _ in 0..4 {
        let (status, out) = post(r.addr, "inspector_login", None, &wrong);
        assert_eq!(
            (status, out["code"].as_str()),
            (401, Some("wrong_pin")),
            "{out}"
        );
    }
    // The fifth failure locks the account, and the right password does not help until
    // the lock ends.
    let (status, out) = post(r.addr, "inspector_login", None, &wrong);
    assert_eq!(
        (status, out["code"].as_str()),
        (429, Some("login_locked")),
        "{out}"
    );
    let right = json!({"login": "ivanov", "password": INSPECTOR_PASSWORD}).to_string();
    let (status, out) = post(r.addr, "inspector_login", None, &right);
    assert_eq!(
        (status, out["code"].as_str()),
        (429, Some("login_locked")),
        "{out}"
    );
    // An unknown login answers like a wrong password: nothing tells which logins exist.
    let unknown = json!({"login": "nobody", "password": "guess-guess-1"}).to_string();
    let (status, out) = post(r.addr, "inspector_login", None, &unknown);
    assert_eq!((status, out["code"].as_str()), (401, Some("wrong_pin")));
    assert_eq!(actions(&r, "login_failed").len(), 5);
    assert_eq!(actions(&r, "locked").len(), 2);
    // The other inspector is not held up by ivanov's lock.
    inspector(r.addr, "petrov");
    // SQL-looking logins are just wrong logins.
    let sql = json!({"login": "' OR 1=1 --", "password": "x' OR '1'='1"}).to_string();
    let (status, _) = post(r.addr, "inspector_login", None, &sql);
    assert!(status == 401 || status == 429, "{status}");
}

#[test]
fn a_flood_without_a_session_is_refused_whole_but_logged_only_so_far() {
    let r = start();
    let statuses: Vec<u16> = (0..75)
        .map(|_| post(r.addr, "report_x", None, "").0)
        .collect();
    assert!(statuses.iter().all(|s| *s == 401), "every request refused");
    let logged = actions(&r, "refused")
        .iter()
        .filter(|e| e.event.actor == "anonymous")
        .count();
    assert_eq!(
        logged, 60,
        "one address gets 60 refusals a minute in the log"
    );
}

#[test]
fn one_address_gets_ten_login_attempts_a_minute() {
    let r = start();
    let mut statuses = Vec::new();
    // Each attempt makes up another login: no lock stops them, only the address limit.
    for n in 0..11 {
        let attempt = json!({"login": format!("nobody-{n}"), "password": "guess-guess-1"});
        statuses.push(post(r.addr, "inspector_login", None, &attempt.to_string()).0);
    }
    assert_eq!(statuses[..10], [401; 10]);
    assert_eq!(statuses[10], 429);
    assert!(
        actions(&r, "refused")
            .iter()
            .any(|e| e.event.detail.contains("too many"))
    );
}

#[test]
fn an_inspector_reads_only_the_registers_granted_and_staff_only_their_own() {
    let r = start_with(2, ServerOptions::default());
    let ivanov = inspector(r.addr, "ivanov");
    let (status, list) = post(r.addr, "register_list", Some(&ivanov), "");
    assert_eq!(status, 200);
    let ids: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|x| x["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["till-1"]);
    let (status, _) = post_to(r.addr, "report_x", Some(&ivanov), Some("till-1"), "");
    assert_eq!(status, 200);
    let (status, out) = post_to(r.addr, "report_x", Some(&ivanov), Some("till-2"), "");
    assert_eq!((status, out["code"].as_str()), (403, Some("forbidden")));
    // On a server of several registers an inspector must name one.
    let (status, _) = post(r.addr, "report_x", Some(&ivanov), "");
    assert_eq!(status, 422);

    let petrov = inspector(r.addr, "petrov");
    let (_, list) = post(r.addr, "register_list", Some(&petrov), "");
    assert_eq!(list.as_array().map(Vec::len), Some(2));

    // A cashier of till-2 sells there, and cannot reach till-1 with that session.
    let cashier = login_to(r.addr, "3333", Some("till-2"));
    let sale = r#"{"items":[{"name":"Нан","price_tiyn":25000,"quantity_milli":1000}],"payments":[{"kind":"cash","amount_tiyn":25000}]}"#;
    assert_eq!(post(r.addr, "receipt_sell", Some(&cashier), sale).0, 200);
    let (status, _) = post_to(r.addr, "receipt_sell", Some(&cashier), Some("till-1"), sale);
    assert_eq!(status, 403);
    let (status, docs) = post_to(r.addr, "document_list", Some(&petrov), Some("till-2"), "{}");
    assert_eq!(status, 200);
    assert_eq!(docs["documents"].as_array().map(Vec::len), Some(1));
    let (_, docs) = post_to(r.addr, "document_list", Some(&petrov), Some("till-1"), "{}");
    assert_eq!(docs["documents"], json!([]), "registers never mix");
    assert!(
        actions(&r, "refused")
            .iter()
            .any(|e| e.event.register.as_deref() == Some("till-2")
                && e.event.actor == "inspector:ivanov")
    );
    // An unknown register is not found, whoever asks.
    let (status, _) = post_to(r.addr, "report_x", Some(&petrov), Some("till-9"), "");
    assert_eq!(status, 404);
}

#[test]
fn r84_an_inspector_disabled_during_a_session_is_refused_at_the_next_request() {
    let r = start();
    let token = inspector(r.addr, "ivanov");
    assert_eq!(post(r.addr, "report_x", Some(&token), "").0, 200);
    r.state
        .access
        .lock()
        .expect("access store")
        .set_active("ivanov", false)
        .expect("disabled");
    assert_eq!(post(r.addr, "report_x", Some(&token), "").0, 401);
    assert!(actions(&r, "refused").iter().any(|e| {
        e.event
            .detail
            .contains("disabled or outside its time window")
    }));
    // The session is closed, not only refused once.
    r.state
        .access
        .lock()
        .expect("access store")
        .set_active("ivanov", true)
        .expect("enabled again");
    assert_eq!(post(r.addr, "report_x", Some(&token), "").0, 401);
}

#[test]
fn inspector_sessions_expire_sooner_than_staff_sessions() {
    let options = ServerOptions {
        inspector_sessions: Lifetimes {
            idle: Duration::from_millis(300),
            absolute: Duration::from_secs(60),
        },
        ..ServerOptions::default()
    };
    let r = start_with(1, options);
    // Staff first: opening a session sweeps out expired ones, which would make the
    // inspector's token unknown rather than expired.
    let staff = login_to(r.addr, "2222", None);
    let token = inspector(r.addr, "ivanov");
    std::thread::sleep(Duration::from_millis(500));
    let (status, _) = post(r.addr, "report_x", Some(&token), "");
    assert_eq!(status, 401);
    assert_eq!(post(r.addr, "report_x", Some(&staff), "").0, 200);
    assert!(
        actions(&r, "refused")
            .iter()
            .any(|e| e.event.detail.contains("expired"))
    );
}

#[test]
fn oversized_bodies_and_climbing_paths_are_refused_and_logged() {
    let options = ServerOptions {
        max_body: 64 * 1024,
        ..ServerOptions::default()
    };
    let r = start_with(1, options);
    let token = login_to(r.addr, "1111", None);
    let big = format!("{{\"csv\":\"{}\"}}", "x".repeat(100 * 1024));
    let (status, _) = post(r.addr, "catalogue_import", Some(&token), &big);
    assert_eq!(status, 413);
    assert!(
        actions(&r, "refused")
            .iter()
            .any(|e| e.event.detail.contains("request body over"))
    );

    for path in [
        "/../fiscal.sqlite",
        "/%2e%2e/server/audit.key",
        "/..%2f..%2fetc/passwd",
        "/paper/..%5c..%5cchain.key",
    ] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        let (status, body) = raw(r.addr, request.as_bytes());
        assert_eq!(status, 400, "{path}: {body}");
    }
    assert!(
        actions(&r, "refused")
            .iter()
            .any(|e| e.event.detail.contains("path outside"))
    );
    let request = "GET /pos.html HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    assert_eq!(raw(r.addr, request.as_bytes()).0, 200);
}

#[test]
fn sql_looking_input_is_only_text_and_the_inspector_reads_only_the_own_log() {
    let r = start();
    let manager = login_to(r.addr, "2222", None);
    let (status, docs) = post(
        r.addr,
        "document_list",
        Some(&manager),
        &json!({"query": "1; DROP TABLE journal; --"}).to_string(),
    );
    assert_eq!(status, 200, "{docs}");
    assert_eq!(docs["documents"], json!([]));
    assert_eq!(
        post(r.addr, "journal_verify", Some(&manager), "").1["ok"],
        true
    );

    let ivanov = inspector(r.addr, "ivanov");
    post(r.addr, "report_x", Some(&ivanov), "");
    let (status, log) = post(r.addr, "audit_log", Some(&ivanov), "{}");
    assert_eq!(status, 200);
    let entries = log.as_array().expect("entries");
    assert!(!entries.is_empty());
    assert!(
        entries.iter().all(|e| e["actor"] == "inspector:ivanov"),
        "{log}"
    );
    // A cashier may not read the log; an administrator reads all of it.
    let cashier = login_to(r.addr, "3333", None);
    assert_eq!(post(r.addr, "audit_log", Some(&cashier), "").0, 403);
    let admin = login_to(r.addr, "1111", None);
    let (_, all) = post(r.addr, "audit_log", Some(&admin), "");
    assert!(
        all.as_array()
            .expect("entries")
            .iter()
            .any(|e| e["actor"].as_str().is_some_and(|a| a.starts_with("pin:"))),
        "{all}"
    );
    let (status, connected) = post(r.addr, "server_connected", Some(&admin), "");
    assert_eq!(status, 200);
    assert!(connected.as_array().map_or(0, Vec::len) >= 3, "{connected}");
    let check = r
        .state
        .access
        .lock()
        .expect("access")
        .verify_audit()
        .expect("verify");
    assert!(check.ok, "{check:?}");
}

/// One command over HTTPS with a client that trusts only the pinned certificate.
fn https_post(
    r: &Running,
    command: &str,
    token: Option<&str>,
    body: &str,
) -> (u16, serde_json::Value) {
    use std::io::{Read, Write};
    let fingerprint = r.fingerprint.as_deref().expect("an HTTPS server");
    let config = sauda_server::tls::pinned_client_config(fingerprint).expect("client config");
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
    let conn = rustls::ClientConnection::new(config, name).expect("client");
    let tcp = std::net::TcpStream::connect(r.addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut stream = rustls::StreamOwned::new(conn, tcp);
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "POST /api/{command} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("request");
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !bytes.is_empty() => {}
        Err(e) => panic!("HTTPS exchange failed: {e}"),
    }
    let text = String::from_utf8_lossy(&bytes).to_string();
    let status = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (
        status,
        serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    )
}

#[test]
fn r84_the_inspector_works_over_https_with_the_generated_certificate() {
    let r = start_tls(1);
    let login = json!({"login": "ivanov", "password": INSPECTOR_PASSWORD}).to_string();
    let (status, out) = https_post(&r, "inspector_login", None, &login);
    assert_eq!(status, 200, "{out}");
    let token = out["token"].as_str().expect("token").to_string();
    let period = json!({"from": "2026-01-01", "to": "2026-12-31"}).to_string();
    let (status, report) = https_post(&r, "report_period", Some(&token), &period);
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["header"]["demo"], true);
    // Plain HTTP to the HTTPS port gets no answer.
    let (status, _) = raw(
        r.addr,
        b"POST /api/inspector_login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_ne!(status, 200);
}

#[test]
fn plain_http_is_refused_off_loopback() {
    let r = start();
    let refused = sauda_server::Background::start(r.state.clone(), "0.0.0.0:0", None).map(|_| ());
    let message = refused
        .expect_err("plain HTTP on 0.0.0.0 is refused")
        .to_string();
    assert!(
        message.contains("HTTPS") || message.contains("TLS") || message.contains("certificate"),
        "{message}"
    );
}

#[test]
fn r84_a_damaged_access_log_refuses_the_inspector_but_not_the_till() {
    let r = start();
    let petrov = inspector(r.addr, "petrov");
    // Someone rewrites the log's sealed tip behind the server's back.
    let raw = rusqlite::Connection::open(r.state_dir().join(sauda::remote_access::DB_FILE))
        .expect("access store file");
    raw.execute("UPDATE audit_tip SET seal = zeroblob(32)", [])
        .expect("tip rewritten");
    let login = json!({"login": "ivanov", "password": INSPECTOR_PASSWORD}).to_string();
    let (status, out) = post(r.addr, "inspector_login", None, &login);
    assert_eq!(
        (status, out["code"].as_str()),
        (500, Some("storage")),
        "{out}"
    );
    // An inspector already logged in is not answered either: no reading unrecorded.
    let (status, out) = post(r.addr, "report_x", Some(&petrov), "");
    assert_eq!(
        (status, out["code"].as_str()),
        (500, Some("storage")),
        "{out}"
    );
    // The cashier at the till still sells.
    let cashier = login_to(r.addr, "3333", None);
    let (status, _) = post(r.addr, "register_status", Some(&cashier), "");
    assert_eq!(status, 200);
}

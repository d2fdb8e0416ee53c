//! The operator simulator over real TCP on 127.0.0.1, driven by the crate's own
//! client (`Channels`, `Session`) and frame codec: the token/REQNUM table of spec
//! §1.8, the fault injections of §6, blocking, both protocol versions and the
//! receipt-check page.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use prost::Message;
use sauda_ofd::client::{Answer, Channels, NoAnswer, Session, Timeouts};
use sauda_ofd::frame::{self, Envelope, FrameError, Header, Version};
use sauda_ofd::sim::{DeviceRegistration, Fault, Server, SimConfig, Simulator};
use sauda_ofd::{v203, v204};

const ID: u32 = 4242;
const FIRST: u32 = 1_000;
const RNM: &str = "600400300200";
const TICKET: i32 = v204::CommandTypeEnum::CommandTicket as i32;
const SYSTEM: i32 = v204::CommandTypeEnum::CommandSystem as i32;
const PLACEMENT: i32 = v204::CommandTypeEnum::CommandMoneyPlacement as i32;

struct Rig {
    sim: Simulator,
    server: Server,
    channels: Channels,
}

fn rig() -> Rig {
    let sim = Simulator::new(SimConfig::default());
    sim.register(DeviceRegistration::new(ID, FIRST, RNM));
    let server = sim.serve("127.0.0.1:0").expect("serve");
    let channels = Channels::new(
        vec![server.addr().to_string()],
        Timeouts {
            connect: Duration::from_secs(1),
            io: Duration::from_secs(2),
            pause: Duration::from_millis(20),
        },
    );
    Rig {
        sim,
        server,
        channels,
    }
}

impl Rig {
    fn send_within(&self, frame: &[u8], budget: Duration) -> Result<Answer, NoAnswer> {
        self.channels.send(frame, 0, Instant::now() + budget)
    }

    fn send(&self, frame: &[u8]) -> Answer {
        self.send_within(frame, Duration::from_secs(3))
            .expect("an answer")
    }

    fn documents(&self) -> usize {
        self.sim.ledger(ID).expect("ledger").documents.len()
    }
}

fn session(version: Version) -> Session {
    Session {
        version,
        id: ID,
        token: FIRST,
        reqnum: 0,
    }
}

fn money(tiyn: u64) -> v204::Money {
    v204::Money {
        bills: tiyn / 100,
        coins: u32::try_from(tiyn % 100).expect("coins"),
    }
}

fn sale_v204(total: u64) -> v204::Request {
    use v204::ticket_request::{Amounts, Item, Payment, item};
    v204::Request {
        command: TICKET,
        ticket: Some(v204::TicketRequest {
            operation: v204::OperationTypeEnum::OperationSell as i32,
            date_time: v204::DateTime {
                date: v204::Date {
                    year: 2025,
                    month: 6,
                    day: 1,
                },
                time: v204::Time {
                    hour: 12,
                    minute: 30,
                    second: Some(5),
                },
            },
            items: vec![Item {
                r#type: item::ItemTypeEnum::ItemTypeCommodity as i32,
                commodity: Some(item::Commodity {
                    name: Some("Хлеб бородинский".into()),
                    section_code: "1".into(),
                    quantity: 2000,
                    price: money(total / 2),
                    sum: money(total),
                    measure_unit_code: "796".into(),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            payments: vec![Payment {
                r#type: v204::PaymentTypeEnum::PaymentCash as i32,
                sum: money(total),
                ..Default::default()
            }],
            amounts: Amounts {
                total: money(total),
                taken: Some(money(total)),
                change: Some(money(0)),
                ..Default::default()
            },
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn system() -> v204::Request {
    v204::Request {
        command: SYSTEM,
        ..Default::default()
    }
}

fn framed(envelope: Envelope, request: &impl Message) -> Vec<u8> {
    frame::encode(envelope, &request.encode_to_vec()).expect("frame")
}

fn response(answer: &Answer) -> v204::Response {
    v204::Response::decode(&answer.payload[..]).expect("a 2.0.4 response")
}

fn code(answer: &Answer) -> u32 {
    response(answer).result.result_code
}

fn sign(answer: &Answer) -> String {
    response(answer).ticket.expect("ticket").ticket_number
}

/// One exchange on one connection, no retry: what a single attempt sees.
fn raw(addr: SocketAddr, request: &[u8]) -> Result<(Header, Vec<u8>), FrameError> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    s.set_read_timeout(Some(Duration::from_secs(2)))?;
    s.write_all(request)?;
    frame::read_frame(&mut s)
}

#[test]
fn an_online_ticket_gets_sign_9001_and_a_token_above_2_31() {
    let rig = rig();
    let mut s = session(Version::V204);
    let env = s.next();
    let answer = rig.send(&framed(env, &sale_v204(1_000)));
    s.spend(env);
    assert_eq!(code(&answer), 0);
    assert_eq!(sign(&answer), "9001");
    let qr = response(&answer)
        .ticket
        .and_then(|t| t.qr_code)
        .expect("qr");
    assert!(
        String::from_utf8(qr)
            .expect("utf-8")
            .contains("i=9001&f=600400300200&s=10.00")
    );
    assert!(s.take_token(&answer.header, 0));
    assert!(s.token > 1 << 31, "token {}", s.token);
    assert_eq!(answer.header.reqnum, env.reqnum);
    let ledger = rig.sim.ledger(ID).expect("ledger");
    assert_eq!(ledger.issued_token, s.token);
    assert_eq!(ledger.cash, 1_000);
    // The next document goes out with the new token and is accepted.
    let env = s.next();
    let answer = rig.send(&framed(env, &sale_v204(500)));
    assert_eq!((code(&answer), sign(&answer)), (0, "9002".to_string()));
}

#[test]
fn resending_the_same_frame_replays_and_counts_once() {
    let rig = rig();
    let frame = framed(session(Version::V204).next(), &sale_v204(1_000));
    let first = rig.send(&frame);
    let again = rig.send(&frame);
    assert_eq!(sign(&again), sign(&first));
    assert_eq!(again.header.token, first.header.token);
    assert_eq!(again.payload, first.payload);
    let ledger = rig.sim.ledger(ID).expect("ledger");
    assert_eq!(ledger.documents.len(), 1);
    assert_eq!(ledger.exchanges.len(), 2);
    assert!(!ledger.exchanges[0].replay && ledger.exchanges[1].replay);
}

#[test]
fn the_retry_refusals_9_8_and_2() {
    let rig = rig();
    let s = session(Version::V204);
    let env = s.next();
    let first = rig.send(&framed(env, &sale_v204(1_000)));
    let deposit = v204::Request {
        command: PLACEMENT,
        money_placement: Some(v204::MoneyPlacementRequest {
            sum: money(100),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(code(&rig.send(&framed(env, &deposit))), 9);
    let stale = Envelope {
        token: first.header.token,
        ..env
    };
    let eight = rig.send(&framed(stale, &sale_v204(1_000)));
    assert_eq!(code(&eight), 8);
    let wrong = Envelope {
        token: 99,
        reqnum: env.reqnum + 1,
        ..env
    };
    let two = rig.send(&framed(wrong, &sale_v204(1_000)));
    assert_eq!(
        (code(&two), two.header.token),
        (2, 99),
        "a refusal echoes the token"
    );
    assert_eq!(rig.documents(), 1);
}

#[test]
fn an_unknown_id_gets_1_and_garbage_gets_3() {
    let rig = rig();
    let stranger = Envelope {
        id: ID + 1,
        ..session(Version::V204).next()
    };
    let answer = rig.send(&framed(stranger, &system()));
    assert_eq!((code(&answer), answer.header.id), (1, ID + 1));
    let garbage = frame::encode(session(Version::V204).next(), &[0xFF, 0xFF, 0xFF]).expect("frame");
    let answer = rig.send(&garbage);
    assert_eq!(code(&answer), 3);
    let ledger = rig.sim.ledger(ID).expect("ledger");
    assert_eq!(
        (ledger.exchanges[0].command, ledger.exchanges[0].result_code),
        (-1, 3)
    );
}

#[test]
fn a_lost_answer_is_replayed_on_resend() {
    let rig = rig();
    rig.sim.inject(Fault::DropNextAnswer);
    let frame = framed(session(Version::V204).next(), &sale_v204(1_000));
    // The client's own retry loop resends the same bytes after the cut connection.
    let answer = rig.send(&frame);
    assert_eq!(answer.attempts, 2);
    assert_eq!(sign(&answer), "9001");
    let ledger = rig.sim.ledger(ID).expect("ledger");
    assert_eq!(ledger.documents.len(), 1);
    assert!(ledger.exchanges[1].replay);
}

#[test]
fn a_held_answer_outlives_the_deadline_and_replays_later() {
    let rig = rig();
    rig.sim.inject(Fault::DelayNextMs(300));
    let frame = framed(session(Version::V204).next(), &sale_v204(1_000));
    let started = Instant::now();
    let err = rig
        .send_within(&frame, Duration::from_millis(100))
        .expect_err("no answer within 100 ms");
    assert!(started.elapsed() < Duration::from_millis(290), "{err}");
    assert_eq!(
        rig.documents(),
        1,
        "the document was counted before the hold"
    );
    let answer = rig.send(&frame);
    assert_eq!(sign(&answer), "9001");
    assert_eq!(rig.documents(), 1);
}

#[test]
fn down_closes_every_connection_until_up() {
    let rig = rig();
    rig.sim.inject(Fault::Down);
    let frame = framed(session(Version::V204).next(), &system());
    assert!(raw(rig.server.addr(), &frame).is_err());
    assert!(rig.send_within(&frame, Duration::from_millis(200)).is_err());
    rig.sim.inject(Fault::Up);
    assert_eq!(code(&rig.send(&frame)), 0);
}

#[test]
fn unreachable_once_counts_nothing() {
    let rig = rig();
    rig.sim.inject(Fault::UnreachableNext);
    let frame = framed(session(Version::V204).next(), &sale_v204(1_000));
    assert!(raw(rig.server.addr(), &frame).is_err());
    assert_eq!(rig.documents(), 0);
    assert!(rig.sim.ledger(ID).expect("ledger").exchanges.is_empty());
    let answer = rig.send(&frame);
    assert_eq!((sign(&answer), rig.documents()), ("9001".to_string(), 1));
}

#[test]
fn a_cut_or_garbled_answer_fails_the_attempt_and_the_resend_replays() {
    let rig = rig();
    let frame = framed(session(Version::V204).next(), &sale_v204(1_000));
    rig.sim.inject(Fault::CloseMidFrame);
    assert!(matches!(
        raw(rig.server.addr(), &frame),
        Err(FrameError::Truncated)
    ));
    rig.sim.inject(Fault::GarbageNext);
    assert!(matches!(
        raw(rig.server.addr(), &frame),
        Err(FrameError::BadMarker(_))
    ));
    let answer = rig.send(&frame);
    assert_eq!(sign(&answer), "9001");
    let ledger = rig.sim.ledger(ID).expect("ledger");
    assert_eq!(ledger.documents.len(), 1);
    assert_eq!(ledger.exchanges.iter().filter(|e| e.replay).count(), 2);
}

#[test]
fn refusals_on_demand_count_nothing() {
    let rig = rig();
    let mut s = session(Version::V204);
    rig.sim.inject(Fault::RefuseNext(254));
    let env = s.next();
    let answer = rig.send(&framed(env, &sale_v204(1_000)));
    assert_eq!((code(&answer), answer.header.token), (254, FIRST));
    rig.sim.inject(Fault::RejectCommand {
        command: TICKET,
        code: 13,
    });
    s.spend(env);
    for _ in 0..2 {
        let env = s.next();
        assert_eq!(code(&rig.send(&framed(env, &sale_v204(1_000)))), 13);
        s.spend(env);
    }
    assert_eq!(code(&rig.send(&framed(s.next(), &system()))), 0);
    rig.sim.clear_faults();
    assert_eq!(code(&rig.send(&framed(s.next(), &sale_v204(1_000)))), 0);
    assert_eq!(rig.documents(), 1);
}

#[test]
fn a_blocked_register_gets_15_with_the_text_until_unblocked() {
    let rig = rig();
    let mut s = session(Version::V204);
    rig.sim.inject(Fault::Block {
        text: "Касса заблокирована: позвоните в ОФД".into(),
    });
    let env = s.next();
    let answer = rig.send(&framed(env, &sale_v204(1_000)));
    s.spend(env);
    let r = response(&answer);
    assert_eq!(r.result.result_code, 15);
    let ad = &r.service.expect("service").ticket_ads[0];
    assert_eq!(ad.info.r#type, v204::TicketAdTypeEnum::TicketAdInfo as i32);
    assert_eq!(ad.text, "Касса заблокирована: позвоните в ОФД");
    rig.sim.inject(Fault::Unblock);
    let env = s.next();
    assert_eq!(code(&rig.send(&framed(env, &system()))), 0);
    s.spend(env);
    assert_eq!(code(&rig.send(&framed(s.next(), &sale_v204(1_000)))), 0);
}

#[test]
fn a_2_0_3_ticket_is_answered_in_2_0_3() {
    let rig = rig();
    // The 2.0.4 sale is valid 2.0.3 on the wire except `domain`, which 2.0.3 ignores.
    let ticket =
        v203::TicketRequest::decode(&sale_v204(1_000).ticket.expect("ticket").encode_to_vec()[..])
            .expect("2.0.3 ticket");
    let request = v203::Request {
        command: TICKET,
        ticket: Some(ticket),
        ..Default::default()
    };
    let answer = rig.send(&framed(session(Version::V203).next(), &request));
    assert_eq!(answer.header.version, Version::V203);
    let r = v203::Response::decode(&answer.payload[..]).expect("2.0.3 response");
    assert_eq!(
        (
            r.result.result_code,
            r.ticket.expect("ticket").ticket_number
        ),
        (0, "9001".into())
    );
    let ledger = rig.sim.ledger(ID).expect("ledger");
    assert_eq!(ledger.exchanges[0].version, Version::V203);
    assert_eq!(ledger.documents[0].version, Version::V203);
}

#[test]
fn one_connection_may_carry_several_exchanges() {
    let rig = rig();
    let mut s = session(Version::V204);
    let mut stream = TcpStream::connect(rig.server.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    for expected in ["9001", "9002"] {
        let env = s.next();
        stream
            .write_all(&framed(env, &sale_v204(100)))
            .expect("write");
        let (header, payload) = frame::read_frame(&mut stream).expect("answer");
        s.spend(env);
        assert!(s.take_token(&header, 0));
        let r = v204::Response::decode(&payload[..]).expect("response");
        assert_eq!(r.ticket.expect("ticket").ticket_number, expected);
    }
}

#[test]
fn a_frame_of_another_version_closes_the_connection() {
    let rig = rig();
    let mut frame = framed(session(Version::V204).next(), &system());
    frame[2] = 202;
    assert!(raw(rig.server.addr(), &frame).is_err());
    assert!(rig.sim.ledger(ID).expect("ledger").exchanges.is_empty());
}

#[test]
fn stopping_a_server_closes_its_port_promptly() {
    let rig = rig();
    let addr = rig.server.addr();
    let started = Instant::now();
    rig.server.stop();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err());
}

fn http_get(addr: SocketAddr, target: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut page = String::new();
    s.read_to_string(&mut page).expect("page");
    page
}

#[test]
fn the_check_page_shows_a_counted_receipt() {
    let rig = rig();
    let page_server = rig.sim.serve_check_page("127.0.0.1:0").expect("check page");
    let answer = rig.send(&framed(session(Version::V204).next(), &sale_v204(1_000)));
    let qr = response(&answer)
        .ticket
        .and_then(|t| t.qr_code)
        .expect("qr");
    let link = String::from_utf8(qr).expect("utf-8");
    let query = link.split_once('?').map(|(_, q)| q).expect("query");
    let page = http_get(page_server.addr(), &format!("/check?{query}"));
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    assert!(page.contains("text/html; charset=utf-8"));
    for text in [
        "Чек / Чек",
        "9001",
        "Хлеб бородинский",
        "10.00",
        "ТОО «Сауда Демо»",
        RNM,
    ] {
        assert!(page.contains(text), "{text} missing from {page}");
    }
    let missing = http_get(page_server.addr(), "/?i=123456&f=600400300200");
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    let other_register = http_get(page_server.addr(), "/?i=9001&f=111111111111");
    assert!(other_register.starts_with("HTTP/1.1 404"));
}

#[test]
fn the_simulator_can_be_shared_between_threads() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Simulator>();
    let rig = rig();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (sim, channels) = (rig.sim.clone(), rig.channels.clone());
            std::thread::spawn(move || {
                let frame = framed(session(Version::V204).next(), &system());
                let answer = channels
                    .send(&frame, 0, Instant::now() + Duration::from_secs(3))
                    .expect("answer");
                assert_eq!(code(&answer), 0);
                sim.ledger(ID).expect("ledger").exchanges.len()
            })
        })
        .collect();
    for h in handles {
        assert!(h.join().expect("thread") >= 1);
    }
    assert_eq!(rig.sim.ledger(ID).expect("ledger").exchanges.len(), 4);
}

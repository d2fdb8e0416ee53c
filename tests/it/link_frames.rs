//! Golden frames: the exact bytes the register sends the operator for each kind of
//! message, built from fixed documents and wrapped in the 18-byte header, compared with
//! the fixtures in `tests/golden/frames/` (lower-case hex, 32 bytes a line). A change in
//! these bytes is a change of what goes on the wire and must be deliberate: rerun with
//! `SAUDA_BLESS=1` to rewrite the fixtures, then review the diff.
//!
//! Each fixture is also read back with the schema its header names and compared with
//! the message that was built, so a fixture cannot drift from what it claims to hold.

use std::path::PathBuf;

use prost::Message;
use sauda::journal::record::{CashPayload, Settings, SoftwarePayload};
use sauda::link::message::fixtures::*;
use sauda::link::message::{self, Context, OfflinePeriod};
use sauda_ofd::frame::{self, Envelope, Version};
use sauda_ofd::{v203, v204};

const TOKEN: u32 = 4_000_000_001;
const REQNUM: u16 = 7;
fn settings() -> Settings {
    Settings {
        kkm_id: "100500".into(),
        ..sauda::registration::demo_settings()
    }
}

fn cases(s: &Settings, software: &SoftwarePayload) -> Vec<(&'static str, v204::Request)> {
    let online = Context {
        settings: s,
        offline_period: None,
        software: None,
    };
    let replay = Context {
        offline_period: Some(OfflinePeriod {
            begin_ms: SOLD_AT - 2 * 3_600_000,
            end_ms: SOLD_AT + 3_600_000,
        }),
        ..online
    };
    let deposit = CashPayload {
        demo: false,
        doc_no: 41,
        shift_no: 3,
        direction: "deposit".into(),
        amount: 5_000_000,
        cashier: cashier(),
    };
    let z = z_payload();
    let with_software = Context {
        software: Some(software),
        ..online
    };
    let built = [
        (
            "ticket_sell",
            message::receipt(&sale(), SOLD_AT, None, &online),
        ),
        (
            "ticket_return",
            message::receipt(&sale_return(), SOLD_AT + 60_000, None, &online),
        ),
        (
            "money_placement_deposit",
            message::cash(&deposit, OPENED_AT, false, &online),
        ),
        (
            "close_shift",
            message::close_shift(&z, CLOSED_AT, false, &online),
        ),
        (
            "report_x",
            message::x_report(&open_shift_report(), SOLD_AT, &online),
        ),
        ("system", message::system(&with_software)),
        ("info", message::info(&online)),
        (
            "nomenclature_barcode",
            message::nomenclature("4870306000068", &online),
        ),
        (
            "ticket_offline",
            message::receipt(&sale(), SOLD_AT, Some(1_772_442_930), &replay),
        ),
    ];
    built
        .into_iter()
        .map(|(name, request)| (name, request.expect("the fixed documents convert")))
        .collect()
}

fn fixture(name: &str, version: Version) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/frames")
        .join(format!("{name}.v{}.hex", version.code()))
}

/// Lower-case hex, 32 bytes (64 digits) a line, so a diff points at the changed bytes.
fn to_hex_lines(bytes: &[u8]) -> String {
    bytes
        .chunks(32)
        .map(|chunk| format!("{}\n", hex::encode(chunk)))
        .collect()
}

#[test]
fn link_frames_match_the_golden_fixtures_under_2_0_3_and_2_0_4() {
    let s = settings();
    let id = message::device_id(&s).expect("the fixed kkm_id is a number");
    let software = SoftwarePayload {
        name: "sauda".into(),
        version: "0.1.0".into(),
        executable: "/opt/sauda/bin/sauda".into(),
        sha256: "0f".repeat(32),
    };
    let bless = std::env::var("SAUDA_BLESS").is_ok_and(|v| v == "1");
    let mut mismatched = Vec::new();
    for (name, request) in cases(&s, &software) {
        let payload = request.encode_to_vec();
        for version in [Version::V203, Version::V204] {
            let envelope = Envelope {
                version,
                id,
                token: TOKEN,
                reqnum: REQNUM,
            };
            let built = frame::encode(envelope, &payload).expect("a small payload frames");
            let path = fixture(name, version);
            if bless {
                std::fs::create_dir_all(path.parent().expect("fixture folder"))
                    .expect("fixture folder can be created");
                std::fs::write(&path, to_hex_lines(&built)).expect("fixture can be written");
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if text != to_hex_lines(&built) {
                mismatched.push(path.display().to_string());
                continue;
            }
            let stored: String = text.split_whitespace().collect();
            let stored = hex::decode(stored).expect("fixtures are hex");
            read_back(&stored, envelope, &request);
        }
    }
    assert!(
        mismatched.is_empty(),
        "frames differ from (or lack) their fixtures: {mismatched:#?}\n\
         if the change is intended, rerun with SAUDA_BLESS=1 and review the diff"
    );
}

/// Parses a stored frame with the schema its header names and compares it with the
/// message it was built from.
fn read_back(stored: &[u8], envelope: Envelope, request: &v204::Request) {
    let (header, payload) =
        frame::read_frame(&mut &stored[..]).expect("a fixture is one whole frame");
    assert_eq!(
        (header.version, header.id, header.token, header.reqnum),
        (
            envelope.version,
            envelope.id,
            envelope.token,
            envelope.reqnum
        )
    );
    assert_eq!(header.size as usize, stored.len());
    match header.version {
        Version::V203 => {
            let old = v203::Request::decode(payload.as_slice()).expect("2.0.3 parses it");
            assert_eq!(old.command, request.command);
            assert_eq!(
                old.encode_to_vec(),
                request.encode_to_vec(),
                "2.0.3 keeps every field"
            );
        }
        Version::V204 => {
            let new = v204::Request::decode(payload.as_slice()).expect("2.0.4 parses it");
            assert_eq!(&new, request);
        }
    }
}

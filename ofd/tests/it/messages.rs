//! The generated messages against the byte examples of spec/ofd-protocol.md §1.4:
//! if a field number or a label in our `.proto` files is wrong, these bytes differ.

use prost::Message;
use sauda_ofd::frame::{self, Envelope, Version};
use sauda_ofd::{v203, v204};

const ID: u32 = 100_500;
const TOKEN: u32 = 123_456_789;

#[test]
fn a_system_request_is_the_frame_of_the_spec() {
    let request = v203::Request {
        command: v203::CommandTypeEnum::CommandSystem as i32,
        ..Default::default()
    };
    let payload = request.encode_to_vec();
    assert_eq!(
        payload,
        [0x08, 0x00],
        "proto2 `required` keeps command = 0 on the wire"
    );
    let bytes = frame::encode(
        Envelope {
            version: Version::V203,
            id: ID,
            token: TOKEN,
            reqnum: 1,
        },
        &payload,
    )
    .expect("frame");
    assert_eq!(
        bytes,
        [
            0xA2, 0x81, 0xCB, 0x00, 0x14, 0x00, 0x00, 0x00, 0x94, 0x88, 0x01, 0x00, 0x15, 0xCD,
            0x5B, 0x07, 0x01, 0x00, 0x08, 0x00
        ]
    );
}

#[test]
fn the_ok_answer_of_the_spec_decodes_in_both_versions() {
    let wire = [
        0xA2, 0x81, 0xCB, 0x00, 0x18, 0x00, 0x00, 0x00, 0x94, 0x88, 0x01, 0x00, 0x15, 0xCD, 0x5B,
        0x07, 0x01, 0x00, 0x08, 0x00, 0x12, 0x02, 0x08, 0x00,
    ];
    let (header, payload) = frame::read_frame(&mut &wire[..]).expect("frame");
    assert_eq!((header.id, header.token, header.reqnum), (ID, TOKEN, 1));
    let answer = v203::Response::decode(&payload[..]).expect("2.0.3 response");
    assert_eq!(answer.command, v203::CommandTypeEnum::CommandSystem as i32);
    assert_eq!(answer.result.result_code, 0);
    assert_eq!(
        answer.encode_to_vec(),
        payload,
        "re-encoding gives the same bytes"
    );
    let answer = v204::Response::decode(&payload[..]).expect("2.0.4 response");
    assert_eq!(answer.result.result_code, 0);
}

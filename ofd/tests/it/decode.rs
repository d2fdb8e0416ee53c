//! Random bytes from the network never panic the decoders (issue 4, "Bad input and
//! faults"): the frame reader and both schemas' `Request`/`Response` decoders, on raw
//! noise and on well-framed noise. The cargo-fuzz target `ofd/fuzz` searches deeper.

use proptest::prelude::*;
use prost::Message;
use sauda_ofd::frame::{self, Envelope, Version};
use sauda_ofd::{v203, v204};

fn decode_all(payload: &[u8]) {
    let _ = v203::Response::decode(payload);
    let _ = v204::Response::decode(payload);
    let _ = v203::Request::decode(payload);
    let _ = v204::Request::decode(payload);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn raw_noise_is_refused_without_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut cursor = data.as_slice();
        if let Ok((_, payload)) = frame::read_frame(&mut cursor) {
            decode_all(&payload);
        }
        decode_all(&data);
    }

    #[test]
    fn framed_noise_is_decoded_or_refused_without_panic(
        payload in proptest::collection::vec(any::<u8>(), 0..512),
        v204_header in any::<bool>(),
        token in any::<u32>(),
        reqnum in any::<u16>(),
    ) {
        let version = if v204_header { Version::V204 } else { Version::V203 };
        let bytes = frame::encode(Envelope { version, id: 1, token, reqnum }, &payload)
            .expect("small payloads fit");
        let mut cursor = bytes.as_slice();
        let (header, read) = frame::read_frame(&mut cursor).expect("a valid frame reads back");
        prop_assert_eq!(header.token, token);
        prop_assert_eq!(&read, &payload);
        decode_all(&read);
    }
}

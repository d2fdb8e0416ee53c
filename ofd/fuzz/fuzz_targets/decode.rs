//! Arbitrary bytes from the network into the frame reader and both schemas' decoders:
//! whatever arrives, the register gets an error, never a panic or a huge allocation
//! (issue 4, "Bad input and faults"). The same property runs on every CI build as a
//! proptest in `ofd/tests/it/decode.rs`; this target lets libFuzzer search deeper.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prost::Message;
use sauda_ofd::{frame, v203, v204};

fuzz_target!(|data: &[u8]| {
    let mut cursor = data;
    if let Ok((_header, payload)) = frame::read_frame(&mut cursor) {
        let _ = v203::Response::decode(payload.as_slice());
        let _ = v204::Response::decode(payload.as_slice());
        let _ = v203::Request::decode(payload.as_slice());
        let _ = v204::Request::decode(payload.as_slice());
    }
    let _ = v204::Response::decode(data);
    let _ = v203::Request::decode(data);
});

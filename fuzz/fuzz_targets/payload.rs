//! The JANDI outgoing-webhook decoder: any bytes decode or fail, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(payload) = curfew_shared::jandi::OutgoingWebhook::from_json(body) {
        let _ = payload.created_at();
        let _ = payload.writer_identity();
        let _ = curfew_shared::command::parse(&payload.text);
    }
});

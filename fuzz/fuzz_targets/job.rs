//! The queue message decoder: any body is a job or a permanent error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    if let Ok(job) = curfew_shared::job::Job::decode(body) {
        let _ = job.idempotency_key();
        let _ = job.message_group();
    }
});

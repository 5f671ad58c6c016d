//! The schedule file loader: any text loads, or is refused with reasons.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = curfew_shared::schedule::parse_schedules(text, chrono_tz::Asia::Seoul);
});

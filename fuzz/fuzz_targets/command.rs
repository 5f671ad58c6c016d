//! The chat command grammar: any text parses or fails with an error, and
//! what parses renders back to a command that parses the same.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(command) = curfew_shared::command::parse(text) {
        let again = curfew_shared::command::parse(&command.to_string());
        assert_eq!(again.ok(), Some(command));
    }
});

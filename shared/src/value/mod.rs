//! The bottom layer of the domain: values as people type them and as
//! every layer above reads them (dates, times, durations, a `force_*`
//! window's end, local wall-clock times resolved through DST), and why a
//! value was refused. It uses nothing else of this crate.

mod error;
pub mod local_time;
mod time;

pub use error::{ConfigError, ValueError};
pub use time::{
    parse_date, parse_duration, parse_time, parse_time_or_none, DateArg, ForDuration, ForceEnd,
};

//! Why a value was refused: one a person typed (a date, a time, a
//! duration, a month), said the same way by chat, the schedules file and
//! the CLI; or a setting of the environment (SPEC §8), said the same way
//! by the ingress and the worker.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a date, time or duration was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueError {
    #[error("expected YYYY-MM-DD, today or tomorrow")]
    DateFormat,
    #[error("no such day in the calendar")]
    NoSuchDate,
    #[error("expected H:MM or HH:MM")]
    TimeFormat,
    #[error("hours run 00-23 and minutes 00-59")]
    TimeRange,
    #[error("expected a duration like 30m, 2h, 1h30m, 1d or 2d12h")]
    DurationFormat,
    #[error("a duration must be longer than zero")]
    DurationZero,
    #[error("a duration may be at most 7 days (168h)")]
    DurationTooLong,
    #[error("expected start or stop")]
    ActionWord,
    /// `until DATE TIME` names an instant that has passed (in the schedule's time zone).
    #[error("that moment has already passed")]
    InPast,
    /// `until DATE TIME` more than 7 days ahead: a window may last at most 7 days.
    #[error("a window may end at most 7 days ahead")]
    TooFarAhead,
    #[error("expected a month as YYYY-MM")]
    MonthFormat,
    #[error("expected a year as YYYY")]
    YearFormat,
    /// `savings` of a month that has not begun (in the schedule's time zone).
    #[error("that month has not begun")]
    FutureMonth,
}

/// A variable that is missing or unreadable: names it and what it must
/// be, never its value (it may be a secret).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{var} {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub reason: String,
}

impl ConfigError {
    pub fn new(var: &'static str, reason: impl Into<String>) -> Self {
        Self {
            var,
            reason: reason.into(),
        }
    }

    /// `var` is required and not set.
    pub fn missing(var: &'static str) -> Self {
        Self::new(var, "is required and not set")
    }

    /// `var` is set to something it cannot be: `expected` says what it
    /// must be.
    pub fn invalid(var: &'static str, expected: &str) -> Self {
        Self::new(var, format!("is invalid: {expected}"))
    }
}

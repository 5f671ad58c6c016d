//! DATE, TIME and DURATION: the values inside chat commands.

use super::ValueError;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A date as typed: resolved only once the schedule's time zone is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateArg {
    Today,
    Tomorrow,
    On(NaiveDate),
}

impl DateArg {
    /// The calendar date this argument names at instant `now` in time zone `tz`.
    pub fn resolve(self, now: DateTime<Utc>, tz: Tz) -> NaiveDate {
        let today = now.with_timezone(&tz).date_naive();
        match self {
            Self::Today => today,
            Self::Tomorrow => today.checked_add_days(Days::new(1)).unwrap_or(today),
            Self::On(date) => date,
        }
    }
}

impl std::fmt::Display for DateArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Today => f.write_str("today"),
            Self::Tomorrow => f.write_str("tomorrow"),
            Self::On(date) => write!(f, "{}", date.format("%Y-%m-%d")),
        }
    }
}

/// Parses `YYYY-MM-DD`, `today` or `tomorrow` (any case).
pub fn parse_date(input: &str) -> Result<DateArg, ValueError> {
    if input.eq_ignore_ascii_case("today") {
        return Ok(DateArg::Today);
    }
    if input.eq_ignore_ascii_case("tomorrow") {
        return Ok(DateArg::Tomorrow);
    }
    let mut parts = input.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ValueError::DateFormat);
    };
    let year = digits(y, 4, 4).ok_or(ValueError::DateFormat)?;
    let month = digits(m, 1, 2).ok_or(ValueError::DateFormat)?;
    let day = digits(d, 1, 2).ok_or(ValueError::DateFormat)?;
    let year = i32::try_from(year).map_err(|_| ValueError::DateFormat)?;
    NaiveDate::from_ymd_opt(year, month, day)
        .map(DateArg::On)
        .ok_or(ValueError::NoSuchDate)
}

/// Parses `H:MM` or `HH:MM`, 00:00–23:59.
pub fn parse_time(input: &str) -> Result<NaiveTime, ValueError> {
    let (h, m) = input.split_once(':').ok_or(ValueError::TimeFormat)?;
    let hour = digits(h, 1, 2).ok_or(ValueError::TimeFormat)?;
    let minute = digits(m, 2, 2).ok_or(ValueError::TimeFormat)?;
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or(ValueError::TimeRange)
}

/// Parses a TIME or `None` (any case): `Ok(None)` means "no start (or stop) that day".
pub fn parse_time_or_none(input: &str) -> Result<Option<NaiveTime>, ValueError> {
    if input.eq_ignore_ascii_case("none") {
        Ok(None)
    } else {
        parse_time(input).map(Some)
    }
}

/// How long a `force_start for DURATION` lasts, in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ForDuration(u32);

impl ForDuration {
    /// Seven days: an override must stay inside the reconciler's 8-day look-back.
    pub const MAX_MINUTES: u32 = 7 * 24 * 60;

    /// `None` for zero or more than [`Self::MAX_MINUTES`].
    pub const fn from_minutes(minutes: u32) -> Option<Self> {
        if minutes == 0 || minutes > Self::MAX_MINUTES {
            None
        } else {
            Some(Self(minutes))
        }
    }

    pub const fn minutes(self) -> u32 {
        self.0
    }

    pub fn to_chrono(self) -> chrono::Duration {
        chrono::Duration::minutes(i64::from(self.0))
    }
}

impl std::fmt::Display for ForDuration {
    /// Canonical form: `30m`, `2h`, `1h30m`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (hours, minutes) = (self.0 / 60, self.0 % 60);
        match (hours, minutes) {
            (0, m) => write!(f, "{m}m"),
            (h, 0) => write!(f, "{h}h"),
            (h, m) => write!(f, "{h}h{m}m"),
        }
    }
}

/// Parses `30m`, `2h`, `1h30m` (any case; `90m` is fine too).
pub fn parse_duration(input: &str) -> Result<ForDuration, ValueError> {
    let lower = input.to_ascii_lowercase();
    let (hours, rest) = match lower.split_once('h') {
        Some((h, rest)) => (
            Some(digits(h, 1, 4).ok_or(ValueError::DurationFormat)?),
            rest,
        ),
        None => (None, lower.as_str()),
    };
    let minutes = match rest.strip_suffix('m') {
        Some(m) => Some(digits(m, 1, 5).ok_or(ValueError::DurationFormat)?),
        None if rest.is_empty() => None,
        None => return Err(ValueError::DurationFormat),
    };
    if hours.is_none() && minutes.is_none() {
        return Err(ValueError::DurationFormat);
    }
    let total = u64::from(hours.unwrap_or(0)) * 60 + u64::from(minutes.unwrap_or(0));
    if total == 0 {
        return Err(ValueError::DurationZero);
    }
    u32::try_from(total)
        .ok()
        .and_then(ForDuration::from_minutes)
        .ok_or(ValueError::DurationTooLong)
}

/// An unsigned decimal of `min..=max` ASCII digits (no sign, no spaces).
fn digits(text: &str, min: usize, max: usize) -> Option<u32> {
    let ok = (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

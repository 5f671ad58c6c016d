//! DATE, TIME and DURATION as people type them (chat commands, the
//! schedules file), and when a `force_*` window ends.

use super::ValueError;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// When a `force_start` / `force_stop` window ends and hands the servers
/// back to the schedule (SPEC §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForceEnd {
    /// `for 1h30m`, `for 2d12h`: that long after the command.
    For(ForDuration),
    /// `until 23:00`: the next 23:00 on the schedule's wall clock.
    Until(NaiveTime),
    /// `until 2026-12-26 09:00`, `until tomorrow 09:00`: that day, that time.
    /// (A variant of its own, so `Until` keeps its wire form for queued jobs.)
    UntilOn { date: DateArg, time: NaiveTime },
}

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

/// How long a `force_start for DURATION` (or `force_stop for`) window
/// lasts, in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ForDuration(u32);

impl ForDuration {
    /// Seven days: an override must stay inside the reconciler's 8-day look-back.
    pub const MAX_MINUTES: u32 = 7 * MINUTES_A_DAY;

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

const MINUTES_A_DAY: u32 = 24 * 60;

impl std::fmt::Display for ForDuration {
    /// Canonical form: `30m`, `2h`, `1h30m`, `1d`, `2d12h`, `7d`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (days, rest) = (self.0 / MINUTES_A_DAY, self.0 % MINUTES_A_DAY);
        let (hours, minutes) = (rest / 60, rest % 60);
        for (value, unit) in [(days, 'd'), (hours, 'h'), (minutes, 'm')] {
            if value > 0 {
                write!(f, "{value}{unit}")?;
            }
        }
        Ok(())
    }
}

/// Parses `30m`, `2h`, `1h30m`, `1d`, `2d12h`, `1d2h30m` (any case; units
/// in that order, each at most once; `90m` and `36h` are fine too), at most
/// seven days in all.
pub fn parse_duration(input: &str) -> Result<ForDuration, ValueError> {
    let lower = input.to_ascii_lowercase();
    let mut rest = lower.as_str();
    let mut total: u64 = 0;
    let mut any = false;
    for (unit, minutes_per) in [('d', u64::from(MINUTES_A_DAY)), ('h', 60), ('m', 1)] {
        let Some((number, after)) = rest.split_once(unit) else {
            continue;
        };
        let number = digits(number, 1, 5).ok_or(ValueError::DurationFormat)?;
        total += u64::from(number) * minutes_per;
        rest = after;
        any = true;
    }
    if !any || !rest.is_empty() {
        return Err(ValueError::DurationFormat);
    }
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

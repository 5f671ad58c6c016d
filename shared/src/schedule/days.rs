//! Day expressions: which calendar days a schedule period applies to.
//!
//! The grammar follows the `weekdays`, `monthdays` and `months` fields of
//! "Instance Scheduler on AWS" (v3 `instance_scheduler/cron/parser.py`, `validator.py` and
//! `cron_to_running_period.py`), so that period definitions can be carried over unchanged.
//!
//! An expression is a comma-separated list of items; a day matches the expression when it
//! matches any item. Matching is case-insensitive and whitespace around items (and around the
//! `-`, `/` and `#` inside them) is ignored. An empty expression or an empty item is an error.
//!
//! Items common to all three fields, where `a` and `b` are values of the field:
//!
//! | item            | meaning                                                           |
//! |-----------------|-------------------------------------------------------------------|
//! | `*`, `?`, `all` | every value                                                       |
//! | `a`             | that value                                                        |
//! | `a-b`           | `a` through `b`; see below for wrapping                           |
//! | `a-b/n`         | every `n`th value from `a` through `b`                            |
//! | `a/n`           | every `n`th value from `a` to the last value of the field         |
//! | `*/n`           | every `n`th value from the first value of the field               |
//!
//! Weekday and month ranges wrap past the end (`fri-mon` is fri,sat,sun,mon; `nov-feb` is
//! nov,dec,jan,feb) and a step carries across the wrap (`fri-tue/2` is fri,sun,tue). Monthday
//! ranges never wrap: `20-10` is an error.
//!
//! Field values and field-specific items:
//!
//! * **weekdays**: `0`–`6` with **0 = Monday** … 6 = Sunday (Python's `calendar` numbering,
//!   not cron's), `mon`..`sun` or `monday`..`sunday`; `weekdays` (mon-fri), `weekends`
//!   (sat,sun); `L` alone is Sunday (the last day of the week); `d#n` is the `n`th (1–5)
//!   weekday `d` of the month (`mon#5` matches nothing in a month with four Mondays); `dL` is
//!   the last weekday `d` of the month (`friL`, `4L`). `L` may not appear in a range or step.
//! * **monthdays**: `1`–`31`; `L` is the last day of the month and may also end a range
//!   (`15-L`, `3-L/2`) but never start one; `nW` is the weekday (Mon–Fri) nearest to day `n`
//!   without leaving the month: a Saturday moves back to Friday unless it is the 1st (then
//!   forward to Monday the 3rd), a Sunday moves forward to Monday unless it is the month's
//!   last day (then back to Friday). A day number past the end of a month (`31` in April,
//!   `30W` in February, `30-L` in February) simply matches nothing in that month.
//! * **months**: `1`–`12`, `jan`..`dec` or `january`..`december`; `L` is not allowed.
//!
//! [`DayRule`] combines the three fields with AND, as Instance Scheduler does (cron would OR
//! the day-of-month and day-of-week fields).
//!
//! Differences from Instance Scheduler (v3.2.8), all deliberate:
//!
//! * `all`, `weekdays` and `weekends` are extensions; Instance Scheduler only knows `weekdays`
//!   and `weekends` as names of its demo periods.
//! * `*/n` is an extension; Instance Scheduler rejects it (a step must start at a value).
//! * Steps are whole numbers of at least 1. Instance Scheduler's step regex
//!   (`^(.+)/.*(\d+).*$`) keeps only the step's last digit, so there `1-31/12` steps by 2 and
//!   `1-31/10` (like `1-31/0`) steps by 0 and never terminates; here they step by 12 and 10,
//!   and a step of 0 is a parse error.
//! * An `nW` whose day does not exist in the month matches nothing; Instance Scheduler raises
//!   while evaluating it.
//! * Names are the full name or its three-letter abbreviation (as in v3); v1's set builders
//!   also accepted anything whose first three letters matched (`tues`, `sept`).
//! * Only ASCII digits are numbers (Python's `\d` also accepts other scripts' digits).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// The field of a day expression, named in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayField {
    /// Day of the week.
    Weekday,
    /// Day of the month.
    Monthday,
    /// Month of the year.
    Month,
}

impl DayField {
    fn bounds(self) -> (u32, u32) {
        match self {
            DayField::Weekday => (0, 6),
            DayField::Monthday => (1, 31),
            DayField::Month => (1, 12),
        }
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            DayField::Weekday => &WEEKDAY_NAMES,
            DayField::Monthday => &[],
            DayField::Month => &MONTH_NAMES,
        }
    }
}

impl fmt::Display for DayField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DayField::Weekday => "weekday",
            DayField::Monthday => "monthday",
            DayField::Month => "month",
        })
    }
}

/// Why a day expression was rejected. Every message quotes the offending text so a user can
/// find it in a long period definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DayExprError {
    /// The whole expression is empty or blank.
    #[error("empty expression")]
    Empty,
    /// Two commas with nothing between them, or a leading/trailing comma.
    #[error("empty item in \"{expr}\"")]
    EmptyItem {
        /// The whole (trimmed) expression.
        expr: String,
    },
    /// Not a name or number of the field.
    #[error("unknown {field} \"{token}\"")]
    Unknown {
        /// The field being parsed.
        field: DayField,
        /// The text that was not understood.
        token: String,
    },
    /// A number outside the field's range.
    #[error("{field} {value} is out of range {min}-{max}")]
    OutOfRange {
        /// The field being parsed.
        field: DayField,
        /// The number as written.
        value: String,
        /// Smallest allowed value.
        min: u32,
        /// Largest allowed value.
        max: u32,
    },
    /// A monthday range whose start is after its end.
    #[error("monthday range {start}-{end} runs backwards (monthday ranges may not wrap)")]
    BackwardsMonthdayRange {
        /// First day of the range.
        start: u32,
        /// Last day of the range.
        end: u32,
    },
    /// `d#n` with `n` not in 1-5.
    #[error("\"{item}\": the occurrence must be 1-5")]
    BadOccurrence {
        /// The whole item.
        item: String,
    },
    /// `.../n` with `n` not a whole number of at least 1.
    #[error("\"{item}\": the step must be a whole number of at least 1")]
    BadStep {
        /// The whole item.
        item: String,
    },
    /// A construct that exists but is not allowed here (e.g. `L` in a months field).
    #[error("\"{item}\": {reason}")]
    Unsupported {
        /// The whole item.
        item: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const ALL_WEEKDAYS: u64 = 0b111_1111;
const MON_TO_FRI: u64 = 0b001_1111;
const SAT_SUN: u64 = 0b110_0000;
const SUNDAY: u64 = 1 << 6;

/// A weekdays field, e.g. `mon-fri`, `sat,sun`, `mon#1`, `friL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekdayExpr {
    source: String,
    /// Bit `d` set: every weekday `d` (0 = Monday) matches.
    days: u64,
    /// Bit `d * 5 + (n - 1)` set: the `n`th weekday `d` of the month matches.
    nth: u64,
    /// Bit `d` set: the last weekday `d` of the month matches.
    last: u64,
}

impl WeekdayExpr {
    /// Parses a weekdays field; see the module documentation for the grammar.
    pub fn parse(source: &str) -> Result<Self, DayExprError> {
        let mut expr = WeekdayExpr {
            source: String::new(),
            days: 0,
            nth: 0,
            last: 0,
        };
        expr.source = for_each_item(source, |item| expr.add_item(item))?;
        Ok(expr)
    }

    /// Does `date` fall on one of the expression's weekdays?
    pub fn matches(&self, date: NaiveDate) -> bool {
        let weekday = date.weekday().num_days_from_monday();
        if bit(self.days, weekday) {
            return true;
        }
        let day = date.day();
        // Day 1-7 is the first occurrence of its weekday, 8-14 the second, and so on.
        let occurrence_index = day.saturating_sub(1) / 7;
        if self.nth != 0 && bit(self.nth, weekday * 5 + occurrence_index) {
            return true;
        }
        self.last != 0 && bit(self.last, weekday) && day + 7 > days_in_month(date)
    }

    /// The expression as written, without surrounding whitespace.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    fn add_item(&mut self, item: &str) -> Result<(), DayExprError> {
        const FIELD: DayField = DayField::Weekday;
        if is_all(item) {
            self.days |= ALL_WEEKDAYS;
            return Ok(());
        }
        if item.eq_ignore_ascii_case("weekdays") {
            self.days |= MON_TO_FRI;
            return Ok(());
        }
        if item.eq_ignore_ascii_case("weekends") {
            self.days |= SAT_SUN;
            return Ok(());
        }
        // Instance Scheduler reads a lone `L` as the last value of the weekday domain.
        if is_last(item) {
            self.days |= SUNDAY;
            return Ok(());
        }
        if let Some((day, occurrence)) = item.split_once('#') {
            let weekday = field_value(FIELD, day.trim())?;
            let occurrence = parse_number(occurrence.trim())
                .filter(|n| (1..=5).contains(n))
                .ok_or_else(|| DayExprError::BadOccurrence {
                    item: item.to_owned(),
                })?;
            self.nth |= 1 << (weekday * 5 + occurrence - 1);
            return Ok(());
        }
        if !item.contains(['-', '/']) {
            // No weekday name ends in "l", so a trailing L can only be the last-weekday suffix.
            if let Some(day) = item.strip_suffix(['l', 'L']) {
                return match field_value(FIELD, day.trim()) {
                    Ok(weekday) => {
                        self.last |= 1 << weekday;
                        Ok(())
                    }
                    Err(err @ DayExprError::OutOfRange { .. }) => Err(err),
                    Err(_) => Err(DayExprError::Unknown {
                        field: FIELD,
                        token: item.to_owned(),
                    }),
                };
            }
        }
        self.days |= parse_set_item(FIELD, item)?;
        Ok(())
    }
}

/// A monthdays field, e.g. `1-15`, `L`, `15W`, `1-31/2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthdayExpr {
    source: String,
    /// Bit `d` set: day `d` matches (in months that have it).
    days: u64,
    /// The month's last day matches.
    last: bool,
    /// Bit `n` set: the weekday nearest to day `n` matches.
    nearest: u64,
}

impl MonthdayExpr {
    /// Parses a monthdays field; see the module documentation for the grammar.
    pub fn parse(source: &str) -> Result<Self, DayExprError> {
        let mut expr = MonthdayExpr {
            source: String::new(),
            days: 0,
            last: false,
            nearest: 0,
        };
        expr.source = for_each_item(source, |item| expr.add_item(item))?;
        Ok(expr)
    }

    /// Does `date` fall on one of the expression's days of the month?
    pub fn matches(&self, date: NaiveDate) -> bool {
        let day = date.day();
        if bit(self.days, day) {
            return true;
        }
        if !self.last && self.nearest == 0 {
            return false;
        }
        let month_len = days_in_month(date);
        if self.last && day == month_len {
            return true;
        }
        if self.nearest == 0 {
            return false;
        }
        // `nW` resolves to a day at most two away from `n`, so only those `n` can hit `day`.
        let weekday = i64::from(date.weekday().num_days_from_monday());
        let first = day.saturating_sub(2).max(1);
        let last = day.saturating_add(2).min(month_len);
        (first..=last).any(|n| {
            let n_weekday = (weekday + i64::from(n) - i64::from(day)).rem_euclid(7);
            bit(self.nearest, n) && nearest_weekday(n, n_weekday, month_len) == day
        })
    }

    /// The expression as written, without surrounding whitespace.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    fn add_item(&mut self, item: &str) -> Result<(), DayExprError> {
        const FIELD: DayField = DayField::Monthday;
        if is_last(item) {
            self.last = true;
            return Ok(());
        }
        if !item.contains(['-', '/']) {
            if let Some(day) = item.strip_suffix(['w', 'W']) {
                let day = day.trim();
                if parse_number(day).is_none() {
                    return Err(DayExprError::Unknown {
                        field: FIELD,
                        token: item.to_owned(),
                    });
                }
                self.nearest |= 1 << field_value(FIELD, day)?;
                return Ok(());
            }
        }
        self.days |= parse_set_item(FIELD, item)?;
        Ok(())
    }
}

/// A months field, e.g. `jan`, `nov-feb`, `jan/3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthExpr {
    source: String,
    /// Bit `m` set: month `m` (1 = January) matches.
    months: u64,
}

impl MonthExpr {
    /// Parses a months field; see the module documentation for the grammar.
    pub fn parse(source: &str) -> Result<Self, DayExprError> {
        let mut months = 0;
        let source = for_each_item(source, |item| {
            if is_last(item) {
                return Err(DayExprError::Unsupported {
                    item: item.to_owned(),
                    reason: "L is not allowed in a month expression",
                });
            }
            months |= parse_set_item(DayField::Month, item)?;
            Ok(())
        })?;
        Ok(MonthExpr { source, months })
    }

    /// Does `date` fall in one of the expression's months?
    pub fn matches(&self, date: NaiveDate) -> bool {
        bit(self.months, date.month())
    }

    /// The expression as written, without surrounding whitespace.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

/// The day part of a schedule period: a day matches when it satisfies every field given.
///
/// This is Instance Scheduler's AND, not cron's rule of OR-ing day-of-month with day-of-week:
/// `weekdays: mon` with `monthdays: 15` matches only a Monday the 15th.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRule {
    /// Days of the week; use `*` for all.
    pub weekdays: WeekdayExpr,
    /// Days of the month; `None` means every day.
    pub monthdays: Option<MonthdayExpr>,
    /// Months of the year; `None` means every month.
    pub months: Option<MonthExpr>,
}

impl DayRule {
    /// Does `date` satisfy every field of the rule?
    pub fn matches(&self, date: NaiveDate) -> bool {
        self.weekdays.matches(date)
            && self.monthdays.as_ref().is_none_or(|m| m.matches(date))
            && self.months.as_ref().is_none_or(|m| m.matches(date))
    }

    /// A rule that matches every day.
    pub fn all() -> Self {
        DayRule {
            weekdays: WeekdayExpr {
                source: "*".to_owned(),
                days: ALL_WEEKDAYS,
                nth: 0,
                last: 0,
            },
            monthdays: None,
            months: None,
        }
    }
}

macro_rules! impl_text_traits {
    ($($ty:ty),*) => {$(
        impl FromStr for $ty {
            type Err = DayExprError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

impl_text_traits!(WeekdayExpr, MonthdayExpr, MonthExpr);

/// Splits `source` on commas, hands each trimmed item to `add`, and returns the trimmed
/// source to keep as the expression's text.
fn for_each_item(
    source: &str,
    mut add: impl FnMut(&str) -> Result<(), DayExprError>,
) -> Result<String, DayExprError> {
    let trimmed = source.trim();
    if trimmed.is_empty() {
        return Err(DayExprError::Empty);
    }
    for item in trimmed.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(DayExprError::EmptyItem {
                expr: trimmed.to_owned(),
            });
        }
        add(item)?;
    }
    Ok(trimmed.to_owned())
}

/// Parses the forms every field shares (`*`, `a`, `a-b`, `a-b/n`, `a/n`, `*/n`) into a bitset
/// with bit `v` set for each selected value `v`.
fn parse_set_item(field: DayField, item: &str) -> Result<u64, DayExprError> {
    let (min, max) = field.bounds();
    if is_all(item) {
        return Ok(range_mask(min, max, 1, min, max));
    }
    let unsupported = |reason| DayExprError::Unsupported {
        item: item.to_owned(),
        reason,
    };
    let (base, step) = match item.split_once('/') {
        Some((base, step)) => {
            let step = parse_number(step.trim())
                .filter(|&n| n >= 1)
                .ok_or_else(|| DayExprError::BadStep {
                    item: item.to_owned(),
                })?;
            (base.trim(), Some(step))
        }
        None => (item, None),
    };
    if base.is_empty() {
        return Err(unsupported("a step needs a value or range to start from"));
    }
    let (start, end) = if let Some((start, end)) = base.split_once('-') {
        let (start, end) = (start.trim(), end.trim());
        if start.is_empty() || end.is_empty() {
            return Err(unsupported("a range needs a start and an end"));
        }
        if is_last(start) {
            return Err(unsupported("a range cannot start at L"));
        }
        let start = field_value(field, start)?;
        let end = if is_last(end) {
            if field != DayField::Monthday {
                return Err(unsupported("only monthday ranges may end at L"));
            }
            max
        } else {
            field_value(field, end)?
        };
        if field == DayField::Monthday && start > end {
            return Err(DayExprError::BackwardsMonthdayRange { start, end });
        }
        (start, end)
    } else if is_all(base) {
        (min, max)
    } else if is_last(base) {
        return Err(unsupported("a step cannot start at L"));
    } else {
        let value = field_value(field, base)?;
        match step {
            Some(_) => (value, max),
            None => (value, value),
        }
    };
    Ok(range_mask(start, end, step.unwrap_or(1), min, max))
}

/// Instance Scheduler's `_range_to_discrete_values`: step from `start` towards `end`, and when
/// `start > end` carry the stepping across the end of the domain once (`fri-tue/2` is fri,
/// sun, tue). Callers guarantee `min <= start, end <= max` and `step >= 1`.
fn range_mask(start: u32, end: u32, step: u32, min: u32, max: u32) -> u64 {
    let (end, step, min, max) = (
        u64::from(end),
        u64::from(step),
        u64::from(min),
        u64::from(max),
    );
    let width = max - min + 1;
    let mut pointer = u64::from(start);
    let mut wrap_pending = pointer > end;
    let mut mask = 0u64;
    while wrap_pending || pointer <= end {
        if (min..=max).contains(&pointer) {
            mask |= 1u64 << pointer;
        }
        pointer += step;
        if wrap_pending && pointer > max {
            pointer -= width;
            wrap_pending = false;
        }
    }
    mask
}

/// A number or (for weekdays and months) a name, checked against the field's range.
fn field_value(field: DayField, token: &str) -> Result<u32, DayExprError> {
    let (min, max) = field.bounds();
    if let Some(value) = parse_number(token) {
        return if (min..=max).contains(&value) {
            Ok(value)
        } else {
            Err(DayExprError::OutOfRange {
                field,
                value: token.to_owned(),
                min,
                max,
            })
        };
    }
    field
        .names()
        .iter()
        .zip(min..)
        .find(|(name, _)| {
            token.eq_ignore_ascii_case(name)
                || name
                    .get(..3)
                    .is_some_and(|abbr| token.eq_ignore_ascii_case(abbr))
        })
        .map(|(_, value)| value)
        .ok_or_else(|| DayExprError::Unknown {
            field,
            token: token.to_owned(),
        })
}

/// ASCII digits only (unlike `u32::from_str`, which accepts a leading `+`); saturates rather
/// than failing on huge numbers so they are reported as out of range.
fn parse_number(token: &str) -> Option<u32> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(token.bytes().fold(0u32, |acc, b| {
        acc.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    }))
}

fn is_all(token: &str) -> bool {
    token == "*" || token == "?" || token.eq_ignore_ascii_case("all")
}

fn is_last(token: &str) -> bool {
    token.eq_ignore_ascii_case("l")
}

fn bit(mask: u64, index: u32) -> bool {
    mask.checked_shr(index).is_some_and(|m| m & 1 == 1)
}

/// Instance Scheduler's `resolve_nearest_weekday_as_monthday`; `weekday` is day `n`'s
/// weekday (0 = Monday).
fn nearest_weekday(n: u32, weekday: i64, month_len: u32) -> u32 {
    match weekday {
        5 if n == 1 => 3,
        5 => n - 1,
        6 if n == month_len => n - 2,
        6 => n + 1,
        _ => n,
    }
}

fn days_in_month(date: NaiveDate) -> u32 {
    match date.month() {
        2 if is_leap_year(date.year()) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// One `#[test]` per case: `day_case!(name, weekday|monthday|month "expr", "date", bool);`
    /// or `day_case!(name, rule "weekdays", Some("monthdays"), Some("months"), "date", bool);`
    macro_rules! day_case {
        ($name:ident, weekday $expr:literal, $date:literal, $want:expr) => {
            #[test]
            fn $name() {
                let expr = WeekdayExpr::parse($expr).unwrap();
                assert_eq!(expr.matches(date($date)), $want, "{} on {}", $expr, $date);
            }
        };
        ($name:ident, monthday $expr:literal, $date:literal, $want:expr) => {
            #[test]
            fn $name() {
                let expr = MonthdayExpr::parse($expr).unwrap();
                assert_eq!(expr.matches(date($date)), $want, "{} on {}", $expr, $date);
            }
        };
        ($name:ident, month $expr:literal, $date:literal, $want:expr) => {
            #[test]
            fn $name() {
                let expr = MonthExpr::parse($expr).unwrap();
                assert_eq!(expr.matches(date($date)), $want, "{} on {}", $expr, $date);
            }
        };
        ($name:ident, rule $wd:literal, $md:expr, $mo:expr, $date:literal, $want:expr) => {
            #[test]
            fn $name() {
                let md: Option<&str> = $md;
                let mo: Option<&str> = $mo;
                let rule = DayRule {
                    weekdays: WeekdayExpr::parse($wd).unwrap(),
                    monthdays: md.map(|s| MonthdayExpr::parse(s).unwrap()),
                    months: mo.map(|s| MonthExpr::parse(s).unwrap()),
                };
                assert_eq!(rule.matches(date($date)), $want, "{:?} on {}", rule, $date);
            }
        };
    }

    /// One `#[test]` per rejected expression; the message must quote `$needle`.
    macro_rules! err_case {
        ($name:ident, $ty:ident $expr:literal, $needle:literal) => {
            #[test]
            fn $name() {
                let err = $ty::parse($expr).unwrap_err();
                let text = err.to_string();
                assert!(text.contains($needle), "{:?} gave {:?}", $expr, text);
            }
        };
    }

    // Weekdays. December 2026: Tue 1st, Mondays 7/14/21/28, Fri 25th is the last Friday.
    day_case!(wd_mon_on_monday, weekday "mon", "2026-12-07", true);
    day_case!(wd_mon_not_tuesday, weekday "mon", "2026-12-08", false);
    day_case!(wd_zero_is_monday, weekday "0", "2026-12-07", true);
    day_case!(wd_zero_not_sunday, weekday "0", "2026-12-06", false);
    day_case!(wd_six_is_sunday, weekday "6", "2026-12-06", true);
    day_case!(wd_full_name, weekday "Wednesday", "2026-12-09", true);
    day_case!(wd_upper_abbr, weekday "FRI", "2026-12-11", true);
    day_case!(wd_range_thursday, weekday "mon-fri", "2026-12-10", true);
    day_case!(wd_range_saturday, weekday "mon-fri", "2026-12-12", false);
    day_case!(wd_numeric_range, weekday "0-4", "2026-12-11", true);
    day_case!(wd_numeric_range_sunday, weekday "0-4", "2026-12-13", false);
    day_case!(wd_wrap_fri_mon_sunday, weekday "fri-mon", "2026-12-13", true);
    day_case!(wd_wrap_fri_mon_monday, weekday "fri-mon", "2026-12-14", true);
    day_case!(wd_wrap_fri_mon_tuesday, weekday "fri-mon", "2026-12-15", false);
    day_case!(wd_wrap_fri_mon_thursday, weekday "fri-mon", "2026-12-10", false);
    day_case!(wd_list_hit, weekday "mon, wed ,fri", "2026-12-09", true);
    day_case!(wd_list_miss, weekday "mon,wed,fri", "2026-12-10", false);
    day_case!(wd_keyword_weekdays, weekday "weekdays", "2026-12-11", true);
    day_case!(wd_keyword_weekdays_saturday, weekday "weekdays", "2026-12-12", false);
    day_case!(wd_keyword_weekends, weekday "Weekends", "2026-12-12", true);
    day_case!(wd_keyword_weekends_friday, weekday "weekends", "2026-12-11", false);
    day_case!(wd_all_keyword, weekday "ALL", "2026-12-13", true);
    day_case!(wd_star, weekday "*", "2026-12-10", true);
    day_case!(wd_question_mark, weekday "?", "2026-12-10", true);
    day_case!(wd_step_wednesday, weekday "mon-sun/2", "2026-12-09", true);
    day_case!(wd_step_tuesday, weekday "mon-sun/2", "2026-12-08", false);
    day_case!(wd_value_step, weekday "tue/2", "2026-12-10", true);
    day_case!(wd_value_step_miss, weekday "tue/2", "2026-12-09", false);
    day_case!(wd_wrapping_step_tuesday, weekday "fri-tue/2", "2026-12-08", true);
    day_case!(wd_wrapping_step_monday, weekday "fri-tue/2", "2026-12-07", false);
    day_case!(wd_star_step, weekday "*/3", "2026-12-10", true);
    day_case!(wd_lone_l_is_sunday, weekday "L", "2026-12-06", true);
    day_case!(wd_spaced_range, weekday "  mon - fri  ", "2026-12-07", true);
    day_case!(mon_1_first_monday, weekday "mon#1", "2026-12-07", true);
    day_case!(mon_1_not_second_monday, weekday "mon#1", "2026-12-14", false);
    day_case!(wd_numeric_nth, weekday "2#2", "2026-12-09", true);
    day_case!(wd_full_name_nth, weekday "Thursday#3", "2026-12-17", true);
    day_case!(mon_5_absent_in_december, weekday "mon#5", "2026-12-28", false);
    day_case!(mon_5_present_in_november, weekday "mon#5", "2026-11-30", true);
    day_case!(fri_l_last_friday, weekday "friL", "2026-12-25", true);
    day_case!(fri_l_not_earlier_friday, weekday "friL", "2026-12-18", false);
    day_case!(numeric_last_weekday, weekday "4L", "2026-12-25", true);
    day_case!(full_name_last_weekday, weekday "sundayl", "2026-12-27", true);
    day_case!(wd_union_nth_and_range, weekday "mon#1, sat-sun", "2026-12-12", true);

    // Monthdays. August 2026: Sat 1st, Sat 15th, Sun 16th, Mon 31st.
    day_case!(md_single, monthday "15", "2026-08-15", true);
    day_case!(md_single_miss, monthday "15", "2026-08-14", false);
    day_case!(md_leading_zero, monthday "05", "2026-08-05", true);
    day_case!(md_range_end, monthday "1-15", "2026-03-15", true);
    day_case!(md_range_after, monthday "1-15", "2026-03-16", false);
    day_case!(md_last_february, monthday "L", "2026-02-28", true);
    day_case!(md_last_not_27th, monthday "L", "2026-02-27", false);
    day_case!(md_last_leap_year, monthday "L", "2028-02-29", true);
    day_case!(md_last_leap_year_28th, monthday "l", "2028-02-28", false);
    day_case!(md_last_april, monthday "L", "2026-04-30", true);
    day_case!(md_15w_friday_before, monthday "15W", "2026-08-14", true);
    day_case!(md_15w_not_saturday, monthday "15W", "2026-08-15", false);
    day_case!(md_15w_not_monday_after, monthday "15W", "2026-08-17", false);
    day_case!(md_16w_sunday_to_monday, monthday "16w", "2026-08-17", true);
    day_case!(md_1w_saturday_to_monday, monthday "1W", "2026-08-03", true);
    day_case!(md_1w_not_the_saturday, monthday "1W", "2026-08-01", false);
    day_case!(md_1w_not_previous_month, monthday "1W", "2026-07-31", false);
    day_case!(md_31w_sunday_to_friday, monthday "31W", "2026-05-29", true);
    day_case!(md_31w_not_next_monday, monthday "31W", "2026-06-01", false);
    day_case!(md_28w_last_saturday, monthday "28W", "2026-02-27", true);
    day_case!(md_10w_already_weekday, monthday "10W", "2026-08-10", true);
    day_case!(md_30w_february_no_match, monthday "30W", "2026-02-27", false);
    day_case!(md_31_april_no_match, monthday "31", "2026-04-30", false);
    day_case!(md_odd_days_third, monthday "1-31/2", "2026-08-03", true);
    day_case!(md_odd_days_fourth, monthday "1-31/2", "2026-08-04", false);
    day_case!(md_star_step, monthday "*/2", "2026-08-31", true);
    day_case!(md_star_step_even, monthday "*/2", "2026-08-30", false);
    day_case!(md_value_step, monthday "10/5", "2026-08-25", true);
    day_case!(md_value_step_miss, monthday "10/5", "2026-08-26", false);
    day_case!(md_two_digit_step, monthday "1-31/12", "2026-08-13", true);
    day_case!(md_two_digit_step_not_3rd, monthday "1-31/12", "2026-08-03", false);
    day_case!(md_range_to_last, monthday "25-L", "2026-02-28", true);
    day_case!(md_range_to_last_step, monthday "3-L/2", "2026-08-31", true);
    day_case!(md_30_to_last_february, monthday "30-L", "2026-02-28", false);
    day_case!(md_list_with_last, monthday "1, 15, L", "2026-08-31", true);
    day_case!(md_star, monthday "*", "2026-08-19", true);

    // Months.
    day_case!(mo_abbr, month "jan", "2026-01-15", true);
    day_case!(mo_abbr_miss, month "jan", "2026-02-15", false);
    day_case!(mo_full_name, month "December", "2026-12-01", true);
    day_case!(mo_number, month "7", "2026-07-04", true);
    day_case!(mo_range, month "mar-may", "2026-04-01", true);
    day_case!(mo_range_miss, month "mar-may", "2026-06-01", false);
    day_case!(mo_wrap_january, month "nov-feb", "2026-01-10", true);
    day_case!(mo_wrap_december, month "nov-feb", "2026-12-10", true);
    day_case!(mo_wrap_march, month "nov-feb", "2026-03-01", false);
    day_case!(mo_jan_3_april, month "jan/3", "2026-04-01", true);
    day_case!(mo_jan_3_october, month "jan/3", "2026-10-31", true);
    day_case!(mo_jan_3_may, month "jan/3", "2026-05-01", false);
    day_case!(mo_numeric_step, month "1-12/2", "2026-03-01", true);
    day_case!(mo_numeric_step_miss, month "1-12/2", "2026-02-01", false);
    day_case!(mo_wrap_step_january, month "nov-feb/2", "2027-01-05", true);
    day_case!(mo_wrap_step_december, month "nov-feb/2", "2026-12-05", false);
    day_case!(mo_star, month "*", "2026-09-09", true);

    // DayRule: every given field must match.
    day_case!(rule_and_both_hold, rule "mon-fri", Some("1-7"), None, "2026-12-07", true);
    day_case!(rule_and_weekday_fails, rule "mon-fri", Some("1-7"), None, "2026-12-05", false);
    day_case!(rule_and_monthday_fails, rule "mon-fri", Some("1-7"), None, "2026-12-08", false);
    day_case!(rule_not_cron_or, rule "mon", Some("15"), None, "2026-12-15", false);
    day_case!(rule_with_month, rule "sat", None, Some("dec"), "2026-12-12", true);
    day_case!(rule_month_fails, rule "sat", None, Some("dec"), "2026-11-14", false);
    day_case!(rule_all_three, rule "fri", Some("13"), Some("feb"), "2026-02-13", true);
    day_case!(rule_all_three_wrong_month, rule "fri", Some("13"), Some("feb"), "2026-03-13", false);

    // Parse errors: each message quotes the offending text.
    err_case!(err_unknown_weekday, WeekdayExpr "funday", "unknown weekday \"funday\"");
    err_case!(err_monthday_32, MonthdayExpr "32", "monthday 32 is out of range 1-31");
    err_case!(
        err_monthday_backwards,
        MonthdayExpr "20-10",
        "monthday range 20-10 runs backwards (monthday ranges may not wrap)"
    );
    err_case!(err_empty, WeekdayExpr "", "empty expression");
    err_case!(err_blank, MonthExpr "   ", "empty expression");
    err_case!(err_empty_item, WeekdayExpr "mon,,fri", "\"mon,,fri\"");
    err_case!(err_trailing_comma, MonthdayExpr "1,", "\"1,\"");
    err_case!(err_occurrence_6, WeekdayExpr "mon#6", "\"mon#6\": the occurrence must be 1-5");
    err_case!(err_occurrence_0, WeekdayExpr "mon#0", "\"mon#0\"");
    err_case!(err_occurrence_missing, WeekdayExpr "mon#", "\"mon#\"");
    err_case!(err_weekday_7, WeekdayExpr "7", "weekday 7 is out of range 0-6");
    err_case!(err_weekday_7_last, WeekdayExpr "7L", "weekday 7 is out of range 0-6");
    err_case!(err_month_13, MonthExpr "13", "month 13 is out of range 1-12");
    err_case!(err_month_0, MonthExpr "0", "month 0 is out of range");
    err_case!(err_monthday_0, MonthdayExpr "0", "monthday 0 is out of range");
    err_case!(err_unknown_month, MonthExpr "smarch", "unknown month \"smarch\"");
    err_case!(err_month_four_letters, MonthExpr "sept", "\"sept\"");
    err_case!(err_step_zero, MonthdayExpr "1-31/0", "\"1-31/0\"");
    err_case!(err_step_text, WeekdayExpr "mon-fri/x", "\"mon-fri/x\"");
    err_case!(err_step_nothing_before, MonthdayExpr "/2", "\"/2\"");
    err_case!(err_weekday_range_to_l, WeekdayExpr "3-L", "\"3-L\"");
    err_case!(err_range_from_l, MonthdayExpr "L-13", "\"L-13\"");
    err_case!(err_step_from_l, MonthdayExpr "L/2", "\"L/2\"");
    err_case!(err_month_l, MonthExpr "L", "\"L\"");
    err_case!(err_nearest_32, MonthdayExpr "32W", "monthday 32 is out of range");
    err_case!(err_bare_w, MonthdayExpr "W", "unknown monthday \"W\"");
    err_case!(err_nearest_in_range, MonthdayExpr "2W-15", "\"2W\"");
    err_case!(err_negative_weekday, WeekdayExpr "-1", "\"-1\"");
    err_case!(err_name_as_monthday, MonthdayExpr "mon", "unknown monthday \"mon\"");
    err_case!(err_unknown_last_weekday, WeekdayExpr "funL", "unknown weekday \"funL\"");
    err_case!(err_nearest_in_weekdays, WeekdayExpr "15W", "unknown weekday \"15W\"");
    err_case!(err_plus_sign, MonthdayExpr "+5", "unknown monthday \"+5\"");
    err_case!(err_huge_number, MonthdayExpr "99999999999999999999", "99999999999999999999");
    err_case!(err_later_item, MonthExpr "jan, feb, bogus", "unknown month \"bogus\"");

    #[test]
    fn source_text_is_trimmed_and_displayed() {
        let expr: WeekdayExpr = "  Mon-Fri , sat ".parse().unwrap();
        assert_eq!(expr.as_str(), "Mon-Fri , sat");
        assert_eq!(expr.to_string(), "Mon-Fri , sat");
        let md: MonthdayExpr = " L ".parse().unwrap();
        assert_eq!(md.to_string(), "L");
        let mo: MonthExpr = "nov-feb".parse().unwrap();
        assert_eq!(mo.as_str(), "nov-feb");
        assert!("".parse::<MonthExpr>().is_err());
    }

    #[test]
    fn rule_all_matches_every_day_of_a_leap_year() {
        let rule = DayRule::all();
        let mut day = date("2028-01-01");
        while day.year() == 2028 {
            assert!(rule.matches(day));
            day = day.succ_opt().unwrap();
        }
        assert_eq!(rule.weekdays.as_str(), "*");
    }

    fn month_days(year: i32, month: u32) -> Vec<NaiveDate> {
        let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap();
        first
            .iter_days()
            .take_while(|d| d.month() == month)
            .collect()
    }

    proptest! {
        #[test]
        fn parsing_and_matching_never_panic(
            text in prop_oneof![
                any::<String>(),
                "[0-9a-zA-Z#/*?,LlWw \\-]{0,24}",
            ],
            days in 0i64..200_000,
        ) {
            let day = date("1900-01-01") + chrono::Duration::days(days);
            if let Ok(e) = WeekdayExpr::parse(&text) {
                let _ = e.matches(day);
                prop_assert_eq!(WeekdayExpr::parse(&e.to_string()), Ok(e));
            }
            if let Ok(e) = MonthdayExpr::parse(&text) {
                let _ = e.matches(day);
                prop_assert_eq!(MonthdayExpr::parse(&e.to_string()), Ok(e));
            }
            if let Ok(e) = MonthExpr::parse(&text) {
                let _ = e.matches(day);
                prop_assert_eq!(MonthExpr::parse(&e.to_string()), Ok(e));
            }
        }

        #[test]
        fn last_matches_exactly_the_final_day(year in 1600i32..2600, month in 1u32..=12) {
            let expr = MonthdayExpr::parse("L").unwrap();
            let days = month_days(year, month);
            let hits: Vec<_> = days.iter().filter(|d| expr.matches(**d)).collect();
            prop_assert_eq!(hits.len(), 1);
            prop_assert_eq!(hits[0], days.last().unwrap());
        }

        #[test]
        fn nearest_weekday_is_one_nearby_weekday(
            n in 1u32..=31,
            year in 1600i32..2600,
            month in 1u32..=12,
        ) {
            let expr = MonthdayExpr::parse(&format!("{n}W")).unwrap();
            let days = month_days(year, month);
            let hits: Vec<_> = days.iter().filter(|d| expr.matches(**d)).collect();
            if n as usize > days.len() {
                prop_assert!(hits.is_empty());
            } else {
                prop_assert_eq!(hits.len(), 1);
                let hit = hits[0];
                prop_assert!(hit.weekday().num_days_from_monday() < 5);
                prop_assert!(hit.day().abs_diff(n) <= 2);
            }
        }

        #[test]
        fn nth_and_last_weekday_occur_at_most_once(
            weekday in 0u32..7,
            n in 1u32..=5,
            year in 1600i32..2600,
            month in 1u32..=12,
        ) {
            let days = month_days(year, month);
            let nth = WeekdayExpr::parse(&format!("{weekday}#{n}")).unwrap();
            let nth_hits: Vec<_> = days.iter().filter(|d| nth.matches(**d)).collect();
            let same_weekday = days
                .iter()
                .filter(|d| d.weekday().num_days_from_monday() == weekday)
                .count();
            prop_assert_eq!(nth_hits.len(), usize::from(n as usize <= same_weekday));
            for hit in &nth_hits {
                prop_assert_eq!(hit.weekday().num_days_from_monday(), weekday);
            }
            let last = WeekdayExpr::parse(&format!("{}L", WEEKDAY_NAMES[weekday as usize]))
                .unwrap();
            let last_hits: Vec<_> = days.iter().filter(|d| last.matches(**d)).collect();
            prop_assert_eq!(last_hits.len(), 1);
            prop_assert_eq!(last_hits[0].weekday().num_days_from_monday(), weekday);
            prop_assert!(last_hits[0].day() + 7 > days.len() as u32);
        }
    }
}

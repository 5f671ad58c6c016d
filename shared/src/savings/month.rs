//! A calendar month in a schedule's time zone (`savings [MONTH]`).

use super::Window;
use crate::value::local_time::resolve;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    /// Parses `YYYY-MM` (month 01–12); `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let first = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
        Some(Self { first })
    }

    /// The month `at` falls in, on `tz`'s calendar.
    pub fn of(at: DateTime<Utc>, tz: Tz) -> Self {
        let local = at.with_timezone(&tz).date_naive();
        Self {
            first: local.with_day(1).unwrap_or(local),
        }
    }

    /// Its first day.
    pub const fn first_day(self) -> NaiveDate {
        self.first
    }

    /// The month after it.
    pub fn next(self) -> Self {
        Self {
            first: self
                .first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(self.first),
        }
    }

    /// From its first midnight to the next month's, in `tz`.
    pub fn whole(self, tz: Tz) -> Window {
        let midnight = |day: NaiveDate| resolve(tz, day, chrono::NaiveTime::MIN);
        Window {
            from: midnight(self.first),
            to: midnight(self.next().first),
        }
    }

    /// The part of it that has happened by `now` (all of a past month);
    /// `None` before it begins.
    pub fn so_far(self, tz: Tz, now: DateTime<Utc>) -> Option<Window> {
        let whole = self.whole(tz);
        (whole.from < now).then(|| Window {
            from: whole.from,
            to: whole.to.min(now),
        })
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.first.format("%Y-%m"))
    }
}

impl TryFrom<String> for Month {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).ok_or_else(|| format!("{text:?} is not a month (YYYY-MM)"))
    }
}

impl From<Month> for String {
    fn from(month: Month) -> Self {
        month.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_strictly() {
        for (text, ok) in [
            ("2026-12", true),
            ("2027-02", true),
            ("2026-13", false),
            ("2026-00", false),
            ("2026-1", false),
            ("26-12", false),
            ("2026/12", false),
            ("december", false),
        ] {
            assert_eq!(Month::parse(text).is_some(), ok, "{text}");
        }
        assert_eq!(Month::parse("2026-12").unwrap().to_string(), "2026-12");
        assert_eq!(
            Month::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
    }

    #[test]
    fn a_month_runs_between_local_midnights() {
        let seoul = chrono_tz::Asia::Seoul;
        let feb = Month::parse("2027-02").unwrap().whole(seoul);
        assert_eq!(feb.from.to_rfc3339(), "2027-01-31T15:00:00+00:00");
        assert_eq!(feb.to.to_rfc3339(), "2027-02-28T15:00:00+00:00");
        assert!((feb.hours() - 672.0).abs() < 1e-9);
        let mid = feb.from + chrono::Duration::days(3);
        assert_eq!(Month::of(mid, seoul).to_string(), "2027-02");
        let part = Month::parse("2027-02").unwrap().so_far(seoul, mid).unwrap();
        assert!((part.hours() - 72.0).abs() < 1e-9);
        assert!(Month::parse("2027-03")
            .unwrap()
            .so_far(seoul, mid)
            .is_none());
    }
}

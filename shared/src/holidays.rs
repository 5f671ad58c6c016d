//! The public holidays curfew knows (SPEC §6 item 6): `shared/data/holidays.tsv`,
//! generated from the Python `holidays` package by `scripts/gen-holidays`
//! (never typed by hand; its first line names the package's version),
//! compiled in and read once. Lunar-calendar days (설날, 추석, 부처님
//! 오신 날), substitute days (대체공휴일) and the one-off days a government
//! declared are in it as the package has them.

use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The generated file.
const DATA: &str = include_str!("../data/holidays.tsv");

/// One public holiday of one country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    /// ISO 3166-1 alpha-2, upper case (`KR`).
    pub country: &'static str,
    pub date: NaiveDate,
    /// The source's English name ("Korean New Year").
    pub name_en: &'static str,
    /// The source's Korean name where it has one ("설날").
    pub name_ko: Option<&'static str>,
}

impl Holiday {
    /// The name in Korean when asked for and known, else in English.
    pub fn name(&self, korean: bool) -> &'static str {
        match self.name_ko {
            Some(name) if korean => name,
            _ => self.name_en,
        }
    }

    /// Both names, for an operator's screen: "설날 (Korean New Year)", or
    /// the English one alone where the source has no Korean.
    pub fn names(&self) -> String {
        match self.name_ko {
            Some(korean) => format!("{korean} ({})", self.name_en),
            None => self.name_en.to_owned(),
        }
    }
}

/// A country code curfew knows no public holidays of. Its text names the
/// codes it knows: the schedules file, `curfew holidays` and `import
/// legacy --holidays` refuse one the same way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no public holidays known for {country:?} (use an ISO 3166-1 alpha-2 code curfew knows: {known})")]
pub struct UnknownCountry {
    pub country: String,
    pub known: String,
}

/// `code` (any case, blanks around it dropped) as curfew keys it, upper
/// case, if curfew knows its public holidays.
pub fn country(code: &str) -> Result<String, UnknownCountry> {
    let upper = code.trim().to_ascii_uppercase();
    if days_of(&upper).is_some() {
        Ok(upper)
    } else {
        Err(UnknownCountry {
            country: code.to_owned(),
            known: countries().join(", "),
        })
    }
}

/// Every country's holidays, by date.
type Table = HashMap<&'static str, BTreeMap<NaiveDate, Holiday>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table::new();
        for holiday in DATA.lines().filter_map(parse_line) {
            table
                .entry(holiday.country)
                .or_default()
                .insert(holiday.date, holiday);
        }
        table
    })
}

/// One line of the file; comments and blank lines are none. (The file's
/// test checks that every other line is read.)
fn parse_line(line: &'static str) -> Option<Holiday> {
    if line.starts_with('#') || line.trim().is_empty() {
        return None;
    }
    let mut fields = line.split('\t');
    let country = fields.next()?;
    let date = NaiveDate::parse_from_str(fields.next()?, "%Y-%m-%d").ok()?;
    let name_en = fields.next().filter(|n| !n.is_empty())?;
    let name_ko = fields.next().filter(|n| !n.is_empty());
    Some(Holiday {
        country,
        date,
        name_en,
        name_ko,
    })
}

/// What the file says of itself: its first line, without the `#`
/// ("curfew public holidays: Python holidays 0.109, 2020-2035, ...").
pub fn source() -> &'static str {
    DATA.lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('#')
        .trim()
}

/// The countries curfew knows, sorted.
pub fn countries() -> Vec<&'static str> {
    let mut countries: Vec<&'static str> = table().keys().copied().collect();
    countries.sort_unstable();
    countries
}

/// The first and last year the file covers.
pub fn years() -> (i32, i32) {
    let dates = table().values().flat_map(|days| days.keys());
    let (first, last) = dates.fold((i32::MAX, i32::MIN), |(first, last), date| {
        (first.min(date.year()), last.max(date.year()))
    });
    (first, last)
}

/// `country`'s holidays by date. A schedule's codes are upper case
/// already (validated): they are found without an allocation, which a
/// tick's evaluation of every schedule's every date would otherwise make.
fn days_of(country: &str) -> Option<&'static BTreeMap<NaiveDate, Holiday>> {
    let table = table();
    table
        .get(country)
        .or_else(|| table.get(country.to_ascii_uppercase().as_str()))
}

/// `country`'s public holidays in `year`, in date order (none for a
/// country or year curfew does not know).
pub fn of_year(country: &str, year: i32) -> Vec<Holiday> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Vec::new();
    };
    days_of(country)
        .map(|days| days.range(first..=last).map(|(_, h)| *h).collect())
        .unwrap_or_default()
}

/// The public holiday on `date` of the first of `countries` that has one.
pub fn on<S: AsRef<str>>(countries: &[S], date: NaiveDate) -> Option<Holiday> {
    countries
        .iter()
        .find_map(|country| days_of(country.as_ref())?.get(&date).copied())
}

#[cfg(test)]
mod tests;

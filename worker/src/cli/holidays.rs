//! `curfew holidays COUNTRY [YEAR]` (SPEC §9): the public holidays curfew
//! knows, as `shared/data/holidays.tsv` has them, with the file's source.
//! No AWS: what a team checks before writing `holidays = ["KR"]`.

use anyhow::bail;
use chrono::Datelike;
use curfew_shared::holidays;
use std::io::Write;

/// The public holidays curfew knows for a country and year.
#[derive(Debug, Clone, clap::Args)]
pub struct HolidaysArgs {
    /// ISO 3166-1 alpha-2 country code, e.g. KR, JP, US.
    pub country: String,
    /// The year [default: this year].
    pub year: Option<i32>,
}

/// Prints `country`'s holidays of `year` (this year, `today`'s, when not
/// given): one line a day, date, weekday, the Korean name where the source
/// has one, then the English.
pub fn run(
    args: &HolidaysArgs,
    today: chrono::NaiveDate,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let country = holidays::country(&args.country)?;
    let year = args.year.unwrap_or_else(|| today.year());
    let (first, last) = holidays::years();
    if !(first..=last).contains(&year) {
        bail!(
            "curfew knows public holidays from {first} to {last}, not {year} (scripts/gen-holidays makes the file)"
        );
    }
    let days = holidays::of_year(&country, year);
    writeln!(out, "{country} {year}: {} public holidays", days.len())?;
    for day in &days {
        writeln!(
            out,
            "{}  {}  {}",
            day.date,
            day.date.format("%a"),
            day.names()
        )?;
    }
    writeln!(out, "source: {}", holidays::source())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(country: &str, year: Option<i32>) -> anyhow::Result<String> {
        let mut out = Vec::new();
        let args = HolidaysArgs {
            country: country.to_owned(),
            year,
        };
        let today = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
        run(&args, today, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn a_year_of_korean_holidays_with_both_names() {
        let text = printed("kr", None).unwrap();
        assert!(text.starts_with("KR 2027: 24 public holidays\n"), "{text}");
        assert!(
            text.contains("2027-02-07  Sun  설날 (Korean New Year)\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "2027-02-09  Tue  설날 대체 휴일 (Alternative holiday for Korean New Year)\n"
            ),
            "{text}"
        );
        assert!(text.ends_with(&format!("source: {}\n", holidays::source())));
        let us = printed("US", Some(2028)).unwrap();
        assert!(us.contains("2028-11-23  Thu  Thanksgiving Day\n"), "{us}");
    }

    #[test]
    fn an_unknown_country_or_year_says_what_is_known() {
        let error = printed("XX", None).unwrap_err().to_string();
        assert!(
            error.contains("\"XX\"") && error.contains("KR, SG, US"),
            "{error}"
        );
        let error = printed("KR", Some(2019)).unwrap_err().to_string();
        assert!(error.contains("from 2020 to 2035, not 2019"), "{error}");
    }
}

//! The generated file read back, and its dates checked against a second
//! source where one was at hand (each case says which), else against the
//! rule that makes the day (the n-th weekday of a month, Easter, a
//! substitute day's rule).

#![allow(clippy::indexing_slicing)]
use super::*;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn dates(country: &str, year: i32) -> Vec<String> {
    of_year(country, year)
        .iter()
        .map(|h| h.date.to_string())
        .collect()
}

#[test]
fn every_line_of_the_file_is_read() {
    let lines = DATA
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .count();
    let read: usize = table().values().map(BTreeMap::len).sum();
    assert_eq!(read, lines, "a line that does not parse, or a date twice");
    assert!(source().starts_with("curfew public holidays: Python holidays "));
}

#[test]
fn the_ten_countries_from_2020_to_2035() {
    assert_eq!(
        countries(),
        ["AU", "CA", "DE", "FR", "GB", "IN", "JP", "KR", "SG", "US"]
    );
    assert_eq!(years(), (2020, 2035));
    for country in countries() {
        for year in 2020..=2035 {
            assert!(of_year(country, year).len() >= 5, "{country} {year}");
        }
    }
    assert!(country("kr").is_ok() && country("KR").is_ok() && country("XX").is_err());
    assert_eq!(country(" jp ").unwrap(), "JP");
    let unknown = country("xx").unwrap_err();
    assert_eq!(unknown.country, "xx");
    assert!(
        unknown.to_string().starts_with("no public holidays known for \"xx\" (use an ISO 3166-1 alpha-2 code curfew knows: AU, CA,"),
        "{unknown}"
    );
    assert!(of_year("XX", 2027).is_empty());
    assert!(of_year("KR", 2019).is_empty());
}

/// KR 2027 in full. Second source: KASI's lunar table for 2027
/// (astro.kasi.re.kr, calendarData): lunar 1/1 = Feb 7, 4/1 = May 6 (so
/// 부처님오신날, 4/8, = May 13), 8/1 = Sep 1 (so 추석, 8/15, = Sep 15).
/// Substitute days by 관공서의 공휴일에 관한 규정 art. 3: 설날 on a Sunday
/// → Feb 9; 광복절, 개천절, 한글날 and (from 2023) 기독탄신일 on a
/// weekend → the next weekday; 현충일 and 신정 have none. 제헌절 (public
/// again from 2026) and 노동절 as the source has them.
#[test]
fn korea_2027_in_full_with_its_substitute_days() {
    assert_eq!(
        dates("KR", 2027),
        [
            "2027-01-01",
            "2027-02-06",
            "2027-02-07",
            "2027-02-08",
            "2027-02-09",
            "2027-03-01",
            "2027-05-01",
            "2027-05-03",
            "2027-05-05",
            "2027-05-13",
            "2027-06-06",
            "2027-07-17",
            "2027-07-19",
            "2027-08-15",
            "2027-08-16",
            "2027-09-14",
            "2027-09-15",
            "2027-09-16",
            "2027-10-03",
            "2027-10-04",
            "2027-10-09",
            "2027-10-11",
            "2027-12-25",
            "2027-12-27",
        ]
    );
    let seollal = on(&["KR"], date("2027-02-07")).unwrap();
    assert_eq!(seollal.name(true), "설날");
    assert_eq!(seollal.name(false), "Korean New Year");
    assert_eq!(
        on(&["KR"], date("2027-02-09")).unwrap().name(true),
        "설날 대체 휴일"
    );
}

/// KR 2028 in full. 추석 (Oct 3) falls on 개천절, so its substitute is
/// Oct 5 (art. 3: a 추석 day shared with another holiday); the general
/// election of Apr 12 is a public holiday (art. 2 item 9). Lunar dates
/// checked against the 2028 new moons only through the package.
#[test]
fn korea_2028_in_full_with_its_substitute_days() {
    assert_eq!(
        dates("KR", 2028),
        [
            "2028-01-01",
            "2028-01-26",
            "2028-01-27",
            "2028-01-28",
            "2028-03-01",
            "2028-04-12",
            "2028-05-01",
            "2028-05-02",
            "2028-05-05",
            "2028-06-06",
            "2028-07-17",
            "2028-08-15",
            "2028-10-02",
            "2028-10-03",
            "2028-10-04",
            "2028-10-05",
            "2028-10-09",
            "2028-12-25",
        ]
    );
}

/// Days a second source announced (KASI's 월력요항 as the press reported
/// it: 2021 설날 Feb 12 and 추석 Sep 21; 2025 설날 Jan 29, 추석 Oct 6 with
/// Oct 5 a Sunday and 어린이날 = 부처님오신날 on May 5, substitute May 6),
/// and the one-off days the government declared (2020-08-17, 2023-10-02,
/// 2024-10-01, 2025-01-27; the 2025-06-03 election).
#[test]
fn korea_announced_and_one_off_days() {
    for day in [
        "2021-02-11",
        "2021-02-12",
        "2021-02-13",
        "2021-09-20",
        "2021-09-21",
        "2021-09-22",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-05-05",
        "2025-05-06",
        "2025-10-05",
        "2025-10-06",
        "2025-10-07",
        "2025-10-08",
        "2020-08-17",
        "2023-10-02",
        "2024-10-01",
        "2025-01-27",
        "2025-06-03",
    ] {
        assert!(on(&["KR"], date(day)).is_some(), "{day}");
    }
    assert!(on(&["KR"], date("2025-01-31")).is_none());
}

/// Two years of every other country, each day by its rule: (country, a
/// day that must be a holiday, why), and days that must not be.
#[test]
fn every_country_two_years_by_rule() {
    let holidays = [
        // JP: Coming of Age Day is January's second Monday; a holiday on a
        // Sunday moves to Monday (振替休日): Vernal Equinox 2027-03-21.
        ("JP", "2027-01-11"),
        ("JP", "2028-01-10"),
        ("JP", "2027-03-22"),
        ("JP", "2028-08-11"),
        // US: MLK Day, January's third Monday; Thanksgiving, November's
        // fourth Thursday; July 4 2027 a Sunday → observed Monday 5th.
        ("US", "2027-01-18"),
        ("US", "2028-01-17"),
        ("US", "2027-11-25"),
        ("US", "2028-11-23"),
        ("US", "2027-07-05"),
        // GB (England): Easter 2027-03-28 and 2028-04-16, so Good Friday
        // and Easter Monday; the late summer bank holiday, August's last
        // Monday.
        ("GB", "2027-03-26"),
        ("GB", "2027-03-29"),
        ("GB", "2028-04-14"),
        ("GB", "2028-04-17"),
        ("GB", "2027-08-30"),
        ("GB", "2028-08-28"),
        // DE: Ascension is Easter + 39 days; German Unity Day, Oct 3.
        ("DE", "2027-05-06"),
        ("DE", "2028-05-25"),
        ("DE", "2027-10-03"),
        ("DE", "2028-10-03"),
        // FR: Bastille Day, Armistice, Easter Monday.
        ("FR", "2027-07-14"),
        ("FR", "2028-11-11"),
        ("FR", "2028-04-17"),
        // CA: Canada Day; Labour Day, September's first Monday.
        ("CA", "2027-07-01"),
        ("CA", "2027-09-06"),
        ("CA", "2028-09-04"),
        // AU: Australia Day, ANZAC Day, Good Friday.
        ("AU", "2027-01-26"),
        ("AU", "2028-04-25"),
        ("AU", "2028-04-14"),
        // SG: National Day; Chinese New Year 2027 is Feb 6 (the new moon
        // falls before midnight in UTC+8, after it in Korea: 설날 is Feb 7).
        ("SG", "2027-08-09"),
        ("SG", "2028-08-09"),
        ("SG", "2027-02-06"),
        // IN: Republic Day, Independence Day, Gandhi Jayanti.
        ("IN", "2027-01-26"),
        ("IN", "2028-08-15"),
        ("IN", "2028-10-02"),
    ];
    for (country, day) in holidays {
        assert!(on(&[country], date(day)).is_some(), "{country} {day}");
    }
    let working = [
        ("US", "2027-07-06"),
        ("GB", "2027-03-28"),
        ("JP", "2027-01-12"),
        ("KR", "2027-02-10"),
        ("SG", "2027-02-09"),
    ];
    for (country, day) in working {
        assert!(on(&[country], date(day)).is_none(), "{country} {day}");
    }
}

#[test]
fn the_first_country_with_a_holiday_names_it() {
    let day = date("2027-07-05");
    assert_eq!(on(&["KR", "US"], day).unwrap().country, "US");
    assert_eq!(on(&["kr", "us"], date("2027-02-08")).unwrap().country, "KR");
    assert_eq!(on::<&str>(&[], day), None);
}

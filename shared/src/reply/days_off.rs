//! `holidays [YEAR]`: the year's days off, each with its name and source,
//! past ones marked, and the exceptions that still apply on them (SPEC §3).

use super::{action_text, date_text, pick, time_or_none_text, Context, HolidaysView};
use super::{Card, DayOff, DayOffLine, Lang, Tone};
use crate::schedule::{Exception, Schedule};
use crate::Action;
use chrono::NaiveDate;

impl HolidaysView {
    /// `schedule`'s days off in `year`, one a date (of two countries with
    /// a holiday that day, the first named in `holidays`, as the timeline
    /// reads them), with the `exceptions` stored on each.
    pub fn of(schedule: &Schedule, year: i32, today: NaiveDate, exceptions: &[Exception]) -> Self {
        let mut days: Vec<DayOffLine> = Vec::new();
        for country in &schedule.holidays {
            for holiday in crate::holidays::of_year(country, year) {
                if days.iter().any(|d| d.day.date == holiday.date) {
                    continue;
                }
                let mut on_it: Vec<Exception> = exceptions
                    .iter()
                    .filter(|e| e.date == holiday.date)
                    .cloned()
                    .collect();
                on_it.sort_by_key(|e| e.action);
                days.push(DayOffLine {
                    day: holiday.into(),
                    exceptions: on_it,
                });
            }
        }
        days.sort_by_key(|d| d.day.date);
        Self {
            schedule: schedule.name.clone(),
            year,
            countries: schedule.holidays.clone(),
            days,
            today,
            known: crate::holidays::years(),
        }
    }
}

/// The day's name in the reply's language where the source has it.
pub(super) fn day_off_name(day: &DayOff, lang: Lang) -> &str {
    match (&day.name_ko, lang) {
        (Some(korean), Lang::Ko) => korean,
        _ => &day.name_en,
    }
}

pub(super) fn render(view: &HolidaysView, ctx: &Context) -> Card {
    let lang = ctx.lang;
    let name = &view.schedule;
    if view.countries.is_empty() {
        return Card::new(
            Tone::Ok,
            pick(
                lang,
                format!("충성! {name}에는 쉬는 날이 없습니다! 스케줄에 holidays = [\"KR\"]를 넣으면 그 나라 공휴일에는 기상하지 않습니다!"),
                format!("{name} keeps no days off: holidays = [\"KR\"] in its schedule skips that country's public holidays."),
            ),
        );
    }
    let countries = view.countries.join(", ");
    let year = view.year;
    let (first, last) = view.known;
    if !(first..=last).contains(&year) {
        return Card::new(
            Tone::Warning,
            pick(
                lang,
                format!("충성! {year}년 공휴일은 모릅니다! curfew는 {first}–{last}년 공휴일을 알고 있습니다!"),
                format!("curfew knows public holidays of {first}–{last}, not {year}."),
            ),
        );
    }
    let lines: Vec<String> = view
        .days
        .iter()
        .map(|line_of| {
            let day = &line_of.day;
            let mut line = format!(
                "{} {} [{}]",
                date_text(day.date, lang),
                day_off_name(day, lang),
                day.source
            );
            if day.date < view.today {
                line.push_str(pick(lang, " (지남)", " (past)"));
            }
            for exception in &line_of.exceptions {
                let working = exception.action == Action::Start && exception.time.is_some();
                line.push_str(&format!(
                    "\n  {} {} {}{}",
                    pick(lang, "예외:", "exception:"),
                    action_text(exception.action, lang),
                    time_or_none_text(exception.time, exception.action, lang),
                    if working {
                        pick(lang, " → 근무일", " → a working day")
                    } else {
                        ""
                    }
                ));
            }
            line
        })
        .collect();
    let count = lines.len();
    let heading = pick(
        lang,
        format!("충성! {name} {year}년 쉬는 날 {count}일 보고드립니다! ({countries} 공휴일, 그날은 기상하지 않습니다)"),
        format!("{name}: {count} day(s) off in {year} ({countries} public holidays: nothing starts on them)."),
    );
    if lines.is_empty() {
        return Card::new(Tone::Ok, heading);
    }
    Card::new(Tone::Ok, heading).block(pick(lang, "쉬는 날", "Days off"), lines.join("\n"))
}

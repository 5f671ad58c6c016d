//! Company calendars (SPEC §6 item 6, `calendars = [...]`): an iCal feed
//! (RFC 5545, as Google Calendar and Outlook publish them) read into the
//! dates it marks as days off. All-day events mark their dates (`DTEND` is
//! exclusive, so a three-day event marks three; a `DURATION` counts the
//! same way); recurring ones (`RRULE`, `RDATE`, less `EXDATE`) are
//! expanded by the `icalendar` crate's recurrence support (the `rrule`
//! crate); timed events are not days off and are counted, not kept.
//! Parsing is the crate's; what is checked here is what a feed must be
//! before it is trusted: small enough, text, a calendar.
//!
//! Only the reading is built: storing the dates, the daily feed job and
//! the timeline's use of them are not yet (README "Days off").

use chrono::{Duration, NaiveDate, TimeZone as _};
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime, EventLike, EventStatus};
use std::collections::BTreeMap;

/// The most of a feed curfew reads. A company's days off for years take a
/// few KiB; a public calendar of every holiday in the world about 300 KiB.
pub const MAX_FEED_BYTES: usize = 1024 * 1024;

/// Occurrences of one recurring event curfew expands: a yearly day off
/// over a century is 100.
const MAX_OCCURRENCES: u16 = 1000;

/// What a feed marks within the range asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DaysOff {
    /// Each date off, with the summary of (the first) event that marks it.
    pub days: BTreeMap<NaiveDate, String>,
    /// Timed (not all-day) events, ignored: `holidays` says how many.
    pub timed: usize,
}

/// Why a feed was not read. Its text says what was wrong and where, so a
/// room told of it can have the feed mended.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("the calendar is {bytes} bytes; curfew reads at most {MAX_FEED_BYTES} (1 MiB)")]
    TooLarge { bytes: usize },
    #[error("not an iCalendar file: {0}")]
    NotICal(String),
    #[error("event {summary:?}: {reason}")]
    BadEvent { summary: String, reason: String },
}

/// The days off `feed` marks from `first` to `last` (local dates,
/// inclusive).
pub fn parse(feed: &[u8], first: NaiveDate, last: NaiveDate) -> Result<DaysOff, FeedError> {
    if feed.len() > MAX_FEED_BYTES {
        return Err(FeedError::TooLarge { bytes: feed.len() });
    }
    let text = std::str::from_utf8(feed).map_err(|error| {
        FeedError::NotICal(format!("not UTF-8 text (byte {})", error.valid_up_to() + 1))
    })?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let opening = text.lines().next().unwrap_or_default().trim_end();
    if !opening.eq_ignore_ascii_case("BEGIN:VCALENDAR") {
        return Err(FeedError::NotICal(format!(
            "line 1 is {:?}, not BEGIN:VCALENDAR",
            opening.chars().take(60).collect::<String>()
        )));
    }
    content_lines(text)?;
    let unfolded = icalendar::parser::unfold(text);
    let calendar: Calendar = icalendar::parser::read_calendar(&unfolded)
        .map_err(|error| {
            FeedError::NotICal(format!(
                "the parser stopped ({}; lines counted after unfolding)",
                first_line(&error)
            ))
        })?
        .into();
    let mut days_off = DaysOff::default();
    for component in &calendar.components {
        let CalendarComponent::Event(event) = component else {
            continue;
        };
        if event.get_status() == Some(EventStatus::Cancelled) {
            continue;
        }
        let summary = event.get_summary().unwrap_or("(no title)").to_owned();
        let start = match event.get_start() {
            Some(DatePerhapsTime::Date(date)) => date,
            Some(DatePerhapsTime::DateTime(_)) => {
                days_off.timed += 1;
                continue;
            }
            None => {
                return Err(FeedError::BadEvent {
                    summary,
                    reason: "no DTSTART".to_owned(),
                })
            }
        };
        let length = length_in_days(event, start);
        for occurrence in occurrences(event, start, first, last, &summary)? {
            for offset in 0..length {
                let date = occurrence + Duration::days(offset);
                if (first..=last).contains(&date) {
                    days_off.days.entry(date).or_insert_with(|| summary.clone());
                }
            }
        }
    }
    Ok(days_off)
}

/// How many dates an all-day event starting on `start` covers: up to its
/// `DTEND` (exclusive), or its `DURATION` in whole days, else one.
fn length_in_days(event: &icalendar::Event, start: NaiveDate) -> i64 {
    let by_end = match event.get_end() {
        Some(DatePerhapsTime::Date(end)) => Some((end - start).num_days()),
        _ => event.property_value("DURATION").and_then(duration_in_days),
    };
    by_end.unwrap_or(1).max(1)
}

/// `P3D`, `P1W`: an all-day event's `DURATION` in days.
fn duration_in_days(value: &str) -> Option<i64> {
    let value = value.trim().strip_prefix('P')?;
    if let Some(weeks) = value.strip_suffix('W') {
        return weeks.parse::<i64>().ok().map(|w| w * 7);
    }
    value.strip_suffix('D')?.parse().ok()
}

/// The dates the event starts on within `first..=last` (widened by a year
/// back, for a long event that began before the range): its `DTSTART` and,
/// when it recurs, every occurrence its rules give, less its `EXDATE`s.
fn occurrences(
    event: &icalendar::Event,
    start: NaiveDate,
    first: NaiveDate,
    last: NaiveDate,
    summary: &str,
) -> Result<Vec<NaiveDate>, FeedError> {
    let recurs =
        event.property_value("RRULE").is_some() || event.multi_properties().contains_key("RDATE");
    if !recurs {
        return Ok(vec![start]);
    }
    let mut set = event
        .get_recurrence()
        .map_err(|error| FeedError::BadEvent {
            summary: summary.to_owned(),
            reason: error.to_string(),
        })?;
    // A DATE DTSTART is anchored at local midnight by the crate; its
    // occurrences are read back as local dates the same way.
    let local = icalendar::Tz::LOCAL;
    let midnight = |date: NaiveDate| {
        local
            .from_local_datetime(&date.and_time(chrono::NaiveTime::MIN))
            .earliest()
    };
    if let Some(after) = midnight(first - Duration::days(366)) {
        set = set.after(after);
    }
    if let Some(before) = last.succ_opt().and_then(midnight) {
        set = set.before(before);
    }
    Ok(set
        .all(MAX_OCCURRENCES)
        .dates
        .iter()
        .map(|at| at.date_naive())
        .collect())
}

/// Every content line is `NAME[;PARAM=...]:value` (RFC 5545 §3.1; a line
/// that begins with a space or tab continues the one before): the first
/// one that is not is named by its line number in the file, which the
/// parser's own error (counted after unfolding, and often at the start of
/// the component) does not do.
fn content_lines(text: &str) -> Result<(), FeedError> {
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with([' ', '\t']) {
            continue;
        }
        let name_end = line.find([':', ';']).unwrap_or(line.len());
        let name = &line[..name_end];
        let named = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !named || !line.contains(':') {
            return Err(FeedError::NotICal(format!(
                "line {}: {:?} is not a property (NAME:value)",
                number + 1,
                line.chars().take(60).collect::<String>()
            )));
        }
    }
    Ok(())
}

/// The parser's message up to its first line break: where it stopped.
fn first_line(error: &str) -> String {
    error.lines().next().unwrap_or(error).trim().to_owned()
}

#[cfg(test)]
mod tests;

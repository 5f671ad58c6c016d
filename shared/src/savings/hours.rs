//! Hours stopped: actual (from the ledger) and planned (from the timeline).

use super::{LedgerEntry, Origin};
use crate::resource::{Billing, GroupKind};
use crate::schedule::Timeline;
use crate::Action;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// A span of time, `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Window {
    /// Its length in hours.
    pub fn hours(self) -> f64 {
        hours_between(self.from, self.to)
    }

    /// The hours of `[from, to)` inside it.
    fn overlap(self, from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
        hours_between(from.max(self.from), to.min(self.to))
    }
}

/// Hours from `from` to `to` (0 when `to` is not after `from`).
fn hours_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    let seconds = (to - from).num_seconds().max(0);
    // Whole seconds: a month has under 2^22 of them, exact in an f64.
    #[allow(clippy::cast_precision_loss)]
    let seconds = seconds as f64;
    seconds / 3600.0
}

/// One resource's hours stopped by curfew in a window, with what it was
/// priced as when last seen in the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Stopped {
    pub id: String,
    pub name: String,
    pub kind: GroupKind,
    pub billing: Billing,
    pub region: String,
    pub hours: f64,
}

/// The hours each resource spent stopped by curfew inside `window`: from
/// each stop curfew made to the next start of any origin (a person's, AWS's,
/// curfew's); a stop with no start after it is open until the window ends.
/// A stop curfew did not make opens nothing (a person's stop is not
/// curfew's saving). `entries` may begin before the window, so a stop made
/// last month counts from the window's start; they need not be sorted.
pub fn stopped_hours(entries: &[LedgerEntry], window: Window) -> Vec<Stopped> {
    let mut sorted: Vec<&LedgerEntry> = entries.iter().filter(|e| e.at < window.to).collect();
    sorted.sort_by_key(|e| e.at);
    let mut open: BTreeMap<&str, DateTime<Utc>> = BTreeMap::new();
    let mut found: BTreeMap<&str, Stopped> = BTreeMap::new();
    // A resource stopped and started again before the window is none of
    // its business: kept only with hours, or with an entry in the window.
    let mut in_window: BTreeSet<&str> = BTreeSet::new();
    for entry in sorted {
        if entry.at >= window.from {
            in_window.insert(&entry.id);
        }
        let stopped = found.entry(&entry.id).or_insert_with(|| Stopped {
            id: entry.id.clone(),
            name: entry.name.clone(),
            kind: entry.kind,
            billing: entry.billing.clone(),
            region: entry.region.clone(),
            hours: 0.0,
        });
        stopped.billing.clone_from(&entry.billing);
        stopped.name.clone_from(&entry.name);
        match (entry.action, entry.origin) {
            (Action::Stop, Origin::Curfew) => {
                open.entry(&entry.id).or_insert(entry.at);
            }
            (Action::Stop, Origin::Seen) => {}
            (Action::Start, _) => {
                if let Some(since) = open.remove(entry.id.as_str()) {
                    stopped.hours += window.overlap(since, entry.at);
                }
            }
        }
    }
    for (id, since) in open {
        if let Some(stopped) = found.get_mut(id) {
            stopped.hours += window.overlap(since, window.to);
        }
    }
    found
        .into_values()
        .filter(|s| s.hours > 0.0 || in_window.contains(s.id.as_str()))
        .collect()
}

/// The hours of `window` in which the timeline wants the schedule stopped
/// (a schedule that never says either is counted as running).
pub fn planned_off_hours(timeline: &Timeline<'_>, window: Window) -> f64 {
    spans(timeline, window, Action::Stop)
        .into_iter()
        .map(|(from, to)| hours_between(from, to))
        .sum()
}

/// The spans of `window` in which the timeline wants `action`'s state.
pub(super) fn spans(
    timeline: &Timeline<'_>,
    window: Window,
    action: Action,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut spans = Vec::new();
    let mut state = timeline.state_at(window.from);
    let mut since = window.from;
    for event in timeline.events(window.from, window.to) {
        if state == Some(action) && event.at > since {
            spans.push((since, event.at));
        }
        state = Some(event.action);
        since = event.at;
    }
    if state == Some(action) && window.to > since {
        spans.push((since, window.to));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn entry(id: &str, action: Action, origin: Origin, when: &str) -> LedgerEntry {
        LedgerEntry {
            id: id.to_owned(),
            name: id.to_owned(),
            kind: GroupKind::Ec2,
            action,
            origin,
            at: at(when),
            billing: Billing::default(),
            region: "ap-northeast-2".to_owned(),
            target: String::new(),
        }
    }

    fn window(from: &str, to: &str) -> Window {
        Window {
            from: at(from),
            to: at(to),
        }
    }

    #[test]
    fn stops_count_until_the_next_start_of_any_origin() {
        use Action::{Start, Stop};
        use Origin::{Curfew, Seen};
        let entries = [
            // Stopped last month: counts from the window's start.
            entry("a", Stop, Curfew, "2027-01-31T10:00:00Z"),
            entry("a", Start, Curfew, "2027-02-01T00:00:00Z"),
            // A person starts it at night: the interval ends there.
            entry("a", Stop, Curfew, "2027-02-01T10:00:00Z"),
            entry("a", Start, Seen, "2027-02-01T13:00:00Z"),
            // A person's stop is not curfew's saving.
            entry("a", Stop, Seen, "2027-02-01T14:00:00Z"),
            entry("a", Start, Curfew, "2027-02-02T00:00:00Z"),
            // Open at the end: counts until the window ends.
            entry("a", Stop, Curfew, "2027-02-02T10:00:00Z"),
            // Another resource, and a start with no stop before it.
            entry("b", Start, Curfew, "2027-02-01T00:00:00Z"),
        ];
        let found = stopped_hours(
            &entries,
            window("2027-01-31T15:00:00Z", "2027-02-02T12:00:00Z"),
        );
        let hours: Vec<(&str, f64)> = found.iter().map(|s| (s.id.as_str(), s.hours)).collect();
        assert_eq!(hours, [("a", 9.0 + 3.0 + 2.0), ("b", 0.0)]);
    }

    #[test]
    fn a_resource_last_stopped_long_ago_is_still_counted() {
        let entries = [entry(
            "a",
            Action::Stop,
            Origin::Curfew,
            "2026-12-01T00:00:00Z",
        )];
        let found = stopped_hours(
            &entries,
            window("2027-02-01T00:00:00Z", "2027-02-02T00:00:00Z"),
        );
        assert_eq!(found.len(), 1);
        assert!((found[0].hours - 24.0).abs() < 1e-9);
    }

    #[test]
    fn planned_hours_of_ten_hours_a_weekday_are_seventy_point_two_percent() {
        let office = super::super::office();
        let timeline = Timeline::new(&office, &[], &[]);
        // February 2027: four whole weeks, Monday the 1st to Sunday the 28th.
        let feb = super::super::Month::parse("2027-02")
            .unwrap()
            .whole(chrono_tz::Asia::Seoul);
        let off = planned_off_hours(&timeline, feb);
        assert!((off - 472.0).abs() < 1e-9, "{off}");
        assert_eq!(format!("{:.1}%", off / feb.hours() * 100.0), "70.2%");
    }

    /// SPEC §6 item 6: planned savings count a day off as stopped. The
    /// office keeping KR's holidays: 설날 falls on Sat 6 to Tue 9 February
    /// 2027, so two weekdays (8th, 9th) of 10 running hours stop too.
    #[test]
    fn planned_hours_count_the_weekdays_off() {
        let mut office = super::super::office();
        office.holidays = vec!["KR".to_owned()];
        let timeline = Timeline::new(&office, &[], &[]);
        let feb = super::super::Month::parse("2027-02")
            .unwrap()
            .whole(chrono_tz::Asia::Seoul);
        let off = planned_off_hours(&timeline, feb);
        assert!((off - 492.0).abs() < 1e-9, "{off}");
    }
}

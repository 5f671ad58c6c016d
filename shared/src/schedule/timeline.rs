//! A schedule's events in time (SPEC §6): periods, exceptions and overrides
//! combined into one sorted list of starts and stops.
//!
//! How the three sources combine:
//! 1. Periods give running intervals on the dates their day expressions match
//!    (an overnight period belongs to the date it starts on). Overlapping
//!    intervals, and intervals at most one minute apart, merge; the edges of
//!    the union are the schedule's events. Lone starts and stops are added as
//!    they are.
//! 2. An exception on local date D replaces every start (or stop) whose wall
//!    clock falls on D with one at its time, or with `None` removes them. It
//!    applies on any date, also one the periods don't touch.
//! 3. An override is an event at its instant; `force_start for|until` adds a
//!    stop at its end and holds back every earlier-issued event strictly inside
//!    its window, so `force_start for 2h` at 18:00 is not cut short by a 19:00
//!    scheduled stop.
//!
//! At one instant, an override beats an exception, which beats the schedule;
//! of two events of the same source and instant, the stop comes last (wins).

use super::local_time::resolve;
use super::model::{Exception, Override, Schedule};
use crate::Action;
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How far back the reconciler looks for the latest event (SPEC §6).
pub const LOOK_BACK: Duration = Duration::days(8);

/// Intervals closer than this merge (`23:59` then `00:00` runs through midnight).
const BRIDGE: Duration = Duration::minutes(1);

/// Where an event comes from; the order is the precedence at equal instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Schedule,
    Exception,
    Override,
}

impl Source {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Schedule => "schedule",
            Self::Exception => "exception",
            Self::Override => "override",
        }
    }
}

/// One start or stop of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub action: Action,
    pub source: Source,
}

/// What `next` lists: the events plus the warnings before stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpcomingKind {
    Start,
    Stop,
    /// `stop_warning_minutes` before a stop.
    StopWarning,
}

/// An entry of [`Timeline::upcoming`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Upcoming {
    pub at: DateTime<Utc>,
    pub kind: UpcomingKind,
    pub source: Source,
}

/// A schedule with its exceptions and overrides: everything that makes its events.
#[derive(Debug, Clone, Copy)]
pub struct Timeline<'a> {
    pub schedule: &'a Schedule,
    pub exceptions: &'a [Exception],
    pub overrides: &'a [Override],
}

/// An event with, for override events, the instant its override was issued
/// (a later override's window holds back the events of earlier ones).
#[derive(Debug, Clone, Copy)]
struct Tagged {
    event: Event,
    issued: Option<DateTime<Utc>>,
}

impl<'a> Timeline<'a> {
    pub const fn new(
        schedule: &'a Schedule,
        exceptions: &'a [Exception],
        overrides: &'a [Override],
    ) -> Self {
        Self {
            schedule,
            exceptions,
            overrides,
        }
    }

    /// The events at instants in `[from, to)`, sorted by time.
    pub fn events(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Event> {
        if from >= to {
            return Vec::new();
        }
        let tz = self.schedule.timezone;
        // Two days of margin: an interval reaches at most into the next day,
        // and merging needs its neighbours on both sides.
        let first = shift(from.with_timezone(&tz).date_naive(), -2);
        let last = shift(to.with_timezone(&tz).date_naive(), 1);
        let mut events = self.schedule_events(first, last);
        self.apply_exceptions(&mut events, first, last);
        self.apply_overrides(&mut events);
        events.sort_by_key(|t| (t.event.at, t.event.source, t.event.action));
        let mut result: Vec<Event> = Vec::with_capacity(events.len());
        for Tagged { event, .. } in events {
            if event.at < from || event.at >= to {
                continue;
            }
            // The same instant twice: keep the one that wins (sorted last).
            match result.last_mut() {
                Some(previous) if previous.at == event.at => *previous = event,
                _ => result.push(event),
            }
        }
        result
    }

    /// The latest event at or before `at`, looking back [`LOOK_BACK`].
    pub fn latest(&self, at: DateTime<Utc>) -> Option<Event> {
        self.events(at - LOOK_BACK, just_after(at)).pop()
    }

    /// The events after `after`, up to and including `after + horizon`.
    pub fn next_events(&self, after: DateTime<Utc>, horizon: Duration) -> Vec<Event> {
        self.events(just_after(after), just_after(after + horizon))
    }

    /// The events after `after` within `horizon`, with a warning
    /// `stop_warning_minutes` before each stop (when that is still ahead).
    pub fn upcoming(&self, after: DateTime<Utc>, horizon: Duration) -> Vec<Upcoming> {
        let warning = Duration::minutes(i64::from(self.schedule.stop_warning_minutes));
        let mut upcoming = Vec::new();
        for event in self.next_events(after, horizon) {
            if event.action == Action::Stop && !warning.is_zero() && event.at - warning > after {
                upcoming.push(Upcoming {
                    at: event.at - warning,
                    kind: UpcomingKind::StopWarning,
                    source: event.source,
                });
            }
            let kind = match event.action {
                Action::Start => UpcomingKind::Start,
                Action::Stop => UpcomingKind::Stop,
            };
            upcoming.push(Upcoming {
                at: event.at,
                kind,
                source: event.source,
            });
        }
        upcoming.sort_by_key(|u| u.at);
        upcoming
    }

    /// The running intervals' edges and the lone events of the periods, on
    /// the local dates `first..=last`.
    fn schedule_events(&self, first: NaiveDate, last: NaiveDate) -> Vec<Tagged> {
        let tz = self.schedule.timezone;
        let midnight = NaiveTime::MIN;
        let mut intervals = Vec::new();
        let mut events = Vec::new();
        let lone = |at, action| Tagged {
            event: Event {
                at,
                action,
                source: Source::Schedule,
            },
            issued: None,
        };
        for date in first.iter_days().take_while(|d| *d <= last) {
            for period in self
                .schedule
                .periods
                .iter()
                .filter(|p| p.days.matches(date))
            {
                match (period.start, period.stop) {
                    (Some(start), Some(stop)) => {
                        let stop_date = if stop > start { date } else { shift(date, 1) };
                        intervals.push((resolve(tz, date, start), resolve(tz, stop_date, stop)));
                    }
                    (Some(start), None) => {
                        events.push(lone(resolve(tz, date, start), Action::Start))
                    }
                    (None, Some(stop)) => events.push(lone(resolve(tz, date, stop), Action::Stop)),
                    (None, None) => intervals.push((
                        resolve(tz, date, midnight),
                        resolve(tz, shift(date, 1), midnight),
                    )),
                }
            }
        }
        intervals.retain(|(start, stop)| start < stop);
        intervals.sort();
        let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(intervals.len());
        for (start, stop) in intervals {
            match merged.last_mut() {
                Some((_, end)) if start <= *end + BRIDGE => *end = (*end).max(stop),
                _ => merged.push((start, stop)),
            }
        }
        for (start, stop) in merged {
            events.push(lone(start, Action::Start));
            events.push(lone(stop, Action::Stop));
        }
        events
    }

    /// Replaces (or removes) the schedule's starts or stops on each excepted date.
    fn apply_exceptions(&self, events: &mut Vec<Tagged>, first: NaiveDate, last: NaiveDate) {
        let tz = self.schedule.timezone;
        // Keyed by (date, action): a later entry replaces an earlier one, as in storage.
        let by_key: HashMap<(NaiveDate, Action), Option<NaiveTime>> = self
            .exceptions
            .iter()
            .filter(|e| (first..=last).contains(&e.date))
            .map(|e| ((e.date, e.action), e.time))
            .collect();
        if by_key.is_empty() {
            return;
        }
        events.retain(|t| {
            let date = t.event.at.with_timezone(&tz).date_naive();
            !by_key.contains_key(&(date, t.event.action))
        });
        for (&(date, action), time) in &by_key {
            if let Some(time) = time {
                events.push(Tagged {
                    event: Event {
                        at: resolve(tz, date, *time),
                        action,
                        source: Source::Exception,
                    },
                    issued: None,
                });
            }
        }
    }

    /// Adds the overrides' events and holds back what their windows cover.
    fn apply_overrides(&self, events: &mut Vec<Tagged>) {
        for o in self.overrides {
            let issued = Some(o.issued_at);
            let at_issue = Event {
                at: o.issued_at,
                action: o.action,
                source: Source::Override,
            };
            events.push(Tagged {
                event: at_issue,
                issued,
            });
            if let Some(until) = o.until {
                let end = Event {
                    at: until,
                    action: Action::Stop,
                    source: Source::Override,
                };
                events.push(Tagged { event: end, issued });
            }
        }
        for o in self.overrides {
            let Some(until) = o.until else { continue };
            events.retain(|t| {
                let inside = o.issued_at < t.event.at && t.event.at < until;
                let older = t.issued.is_none_or(|issued| issued < o.issued_at);
                !(inside && older)
            });
        }
    }
}

/// `date` moved by `days` (saturating at the ends of the calendar).
pub(crate) fn shift(date: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(date)
}

/// The smallest instant after `at`: turns half-open ranges into closed ones.
fn just_after(at: DateTime<Utc>) -> DateTime<Utc> {
    at + Duration::nanoseconds(1)
}

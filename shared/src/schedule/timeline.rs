//! A schedule's events in time (SPEC §6): periods, exceptions and overrides
//! combined into one sorted list of starts and stops, and the desired state
//! at every instant.
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
//! 3. An override is an event at its instant. With `for|until` it opens a
//!    window (see [`super::windows`]): inside it no earlier-issued event
//!    changes the state, and at its end the state becomes what periods and
//!    exceptions give there: an event only where that differs from what the
//!    override held. `force_start for 2h` at 08:12 on a 09:00–19:00 day ends
//!    with nothing to do; at 18:30 it ends with a stop at 20:30.
//!
//! At one instant, an override beats an exception, which beats the schedule;
//! of two events of the same source and instant, the stop comes last (wins).
//!
//! The desired state at an instant is the action of the latest event within
//! [`LOOK_BACK`]; where there is none (a schedule that runs all the time has
//! no edges at all), it is whether the periods' intervals cover the instant
//! ([`Event::steady`]).

use super::event::{Event, Source};
use super::model::{Exception, Override, Schedule};
use super::windows::{self, Handback};
use crate::value::local_time::resolve;
use crate::Action;
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How far back the reconciler looks for the latest event (SPEC §6).
pub const LOOK_BACK: Duration = Duration::days(8);

/// Intervals closer than this merge (`23:59` then `00:00` runs through midnight).
const BRIDGE: Duration = Duration::minutes(1);

/// What `next` lists: the events plus the warnings before stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpcomingKind {
    Start,
    Stop,
    /// `stop_warning_minutes` before a stop.
    StopWarning,
    /// A `for|until` window ends and the schedule takes over; where that
    /// changes the state, a `Start` or `Stop` (source override) follows at
    /// the same instant.
    Handback {
        held: Action,
        resumes: Option<Action>,
    },
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
        self.compute(from, to).events
    }

    /// The ends of `for|until` windows at instants in `[from, to)`, where
    /// the schedule takes over again (a replaced window has none).
    pub fn handbacks(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Handback> {
        self.compute(from, to).handbacks
    }

    /// The latest event at or before `at`, looking back [`LOOK_BACK`].
    pub fn latest(&self, at: DateTime<Utc>) -> Option<Event> {
        self.events(at - LOOK_BACK, just_after(at)).pop()
    }

    /// What the schedule wants at `at`: the latest event, or where there is
    /// none in the look-back, the [`Event::steady`] state of its periods.
    /// `None` only for a schedule that has neither (no periods with running
    /// intervals, and no start or stop within the look-back).
    pub fn desired(&self, at: DateTime<Utc>) -> Option<Event> {
        // One evaluation for both: a tick asks this of every schedule.
        let computed = self.compute(at - LOOK_BACK, just_after(at));
        match computed.events.last() {
            Some(event) => Some(*event),
            None => computed.base.steady(at).map(Event::steady),
        }
    }

    /// The desired state at `at` (see [`Self::desired`]).
    pub fn state_at(&self, at: DateTime<Utc>) -> Option<Action> {
        self.desired(at).map(|event| event.action)
    }

    /// Whether the periods' running intervals cover `at` (`None`: the
    /// schedule has no period with an interval, only lone events or none).
    pub fn steady(&self, at: DateTime<Utc>) -> Option<Action> {
        Base::new(self, at, just_after(at)).steady(at)
    }

    /// The events after `after`, up to and including `after + horizon`.
    pub fn next_events(&self, after: DateTime<Utc>, horizon: Duration) -> Vec<Event> {
        self.events(just_after(after), just_after(after + horizon))
    }

    /// The events after `after` within `horizon`, with a warning
    /// `stop_warning_minutes` before each stop (when that is still ahead),
    /// and the ends of override windows.
    pub fn upcoming(&self, after: DateTime<Utc>, horizon: Duration) -> Vec<Upcoming> {
        let warning = Duration::minutes(i64::from(self.schedule.stop_warning_minutes));
        let Computed {
            events, handbacks, ..
        } = self.compute(just_after(after), just_after(after + horizon));
        let mut upcoming: Vec<Upcoming> = handbacks
            .iter()
            .map(|h| Upcoming {
                at: h.at,
                kind: UpcomingKind::Handback {
                    held: h.held,
                    resumes: h.resumes,
                },
                source: Source::Override,
            })
            .collect();
        for event in events {
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
        // A hand-back sorts before the event it causes at the same instant.
        upcoming.sort_by_key(|u| (u.at, !matches!(u.kind, UpcomingKind::Handback { .. })));
        upcoming
    }

    /// The events and hand-backs in `[from, to)`, and the schedule's own
    /// events they were made from.
    fn compute(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Computed {
        // A window that ends in range hands back to the state the schedule
        // has there, which may come from an event up to LOOK_BACK earlier.
        let reach = if self.overrides.iter().any(|o| o.until.is_some()) {
            from - LOOK_BACK
        } else {
            from
        };
        let base = Base::new(self, reach.min(to), to);
        let (mut events, handbacks) =
            windows::apply(self.overrides, &base.events, |at| base.state_at(at));
        events.retain(|e| e.at >= from && e.at < to);
        Computed {
            events: winners(events),
            handbacks: handbacks
                .into_iter()
                .filter(|h| h.at >= from && h.at < to)
                .collect(),
            base,
        }
    }
}

/// What [`Timeline::compute`] makes of a range.
struct Computed {
    events: Vec<Event>,
    handbacks: Vec<Handback>,
    base: Base,
}

/// A running interval `[start, stop)`.
type Interval = (DateTime<Utc>, DateTime<Utc>);

/// The periods' and exceptions' events over a range (no overrides): what
/// "the schedule" says, and what a window hands back to.
struct Base {
    /// Sorted; one per instant (the winner).
    events: Vec<Event>,
    /// The periods' merged running intervals, trustworthy inside the range.
    intervals: Vec<Interval>,
    /// Whether any period gives running intervals (else there is no steady state).
    has_intervals: bool,
}

impl Base {
    /// The schedule's own events at instants in `[from, to)`.
    fn new(timeline: &Timeline<'_>, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        let tz = timeline.schedule.timezone;
        // Two days of margin: an interval reaches at most into the next day,
        // and merging needs its neighbours on both sides.
        let first = shift(from.with_timezone(&tz).date_naive(), -2);
        let last = shift(to.with_timezone(&tz).date_naive(), 1);
        let (mut events, intervals) = schedule_events(timeline.schedule, first, last);
        apply_exceptions(timeline, &mut events, first, last);
        events.retain(|e| e.at >= from && e.at < to);
        let has_intervals = timeline
            .schedule
            .periods
            .iter()
            .any(|p| p.start.is_some() == p.stop.is_some());
        Self {
            events: winners(events),
            intervals,
            has_intervals,
        }
    }

    /// The schedule's state at `at`: its latest event within the look-back,
    /// else its steady state.
    fn state_at(&self, at: DateTime<Utc>) -> Option<Action> {
        latest_within_look_back(&self.events, at)
            .map(|event| event.action)
            .or_else(|| self.steady(at))
    }

    fn steady(&self, at: DateTime<Utc>) -> Option<Action> {
        self.has_intervals.then(|| {
            let covered = self
                .intervals
                .iter()
                .any(|(start, stop)| *start <= at && at < *stop);
            if covered {
                Action::Start
            } else {
                Action::Stop
            }
        })
    }
}

/// The latest of the sorted `events` at or before `at`, if it is within
/// [`LOOK_BACK`]: where there is one, it gives the state at `at`.
pub fn latest_within_look_back(events: &[Event], at: DateTime<Utc>) -> Option<&Event> {
    events
        .iter()
        .take_while(|e| e.at <= at)
        .last()
        .filter(|e| e.at >= at - LOOK_BACK)
}

/// `events` sorted by time, one per instant: of two at the same instant the
/// one that sorts last wins (an override beats an exception beats the
/// schedule; a stop beats a start).
fn winners(mut events: Vec<Event>) -> Vec<Event> {
    events.sort_by_key(|e| (e.at, e.source, e.action));
    let mut result: Vec<Event> = Vec::with_capacity(events.len());
    for event in events {
        match result.last_mut() {
            Some(previous) if previous.at == event.at => *previous = event,
            _ => result.push(event),
        }
    }
    result
}

fn schedule_event(at: DateTime<Utc>, action: Action) -> Event {
    Event {
        at,
        action,
        source: Source::Schedule,
    }
}

/// The running intervals' edges and the lone events of the periods, on the
/// local dates `first..=last`, and the merged intervals themselves.
///
/// A day off (SPEC §6 item 6) starts nothing: its intervals and lone
/// starts are left out. The stop of a left-out interval stays, as a lone
/// stop, unless it falls inside (or at the edge of) an interval that does
/// run: so `exception set <holiday> start 10:00` makes a working day that
/// ends at the period's stop, and an evening-before run that reaches into
/// a day off still ends at its own stop.
fn schedule_events(
    schedule: &Schedule,
    first: NaiveDate,
    last: NaiveDate,
) -> (Vec<Event>, Vec<Interval>) {
    let tz = schedule.timezone;
    let midnight = NaiveTime::MIN;
    let mut intervals = Vec::new();
    let mut events = Vec::new();
    // The stops of intervals left out on days off.
    let mut days_off_stops = Vec::new();
    for date in first.iter_days().take_while(|d| *d <= last) {
        let day_off = schedule.day_off(date).is_some();
        for period in schedule.periods.iter().filter(|p| p.days.matches(date)) {
            match (period.start, period.stop) {
                (Some(start), Some(stop)) => {
                    let stop_date = if stop > start { date } else { shift(date, 1) };
                    let stop = resolve(tz, stop_date, stop);
                    if day_off {
                        days_off_stops.push(stop);
                    } else {
                        intervals.push((resolve(tz, date, start), stop));
                    }
                }
                (Some(start), None) => {
                    if !day_off {
                        events.push(schedule_event(resolve(tz, date, start), Action::Start));
                    }
                }
                (None, Some(stop)) => {
                    events.push(schedule_event(resolve(tz, date, stop), Action::Stop));
                }
                (None, None) => {
                    if !day_off {
                        intervals.push((
                            resolve(tz, date, midnight),
                            resolve(tz, shift(date, 1), midnight),
                        ));
                    }
                }
            }
        }
    }
    intervals.retain(|(start, stop)| start < stop);
    intervals.sort();
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for (start, stop) in intervals {
        match merged.last_mut() {
            Some((_, end)) if start <= *end + BRIDGE => *end = (*end).max(stop),
            _ => merged.push((start, stop)),
        }
    }
    for (start, stop) in &merged {
        events.push(schedule_event(*start, Action::Start));
        events.push(schedule_event(*stop, Action::Stop));
    }
    for stop in days_off_stops {
        if !merged
            .iter()
            .any(|(start, end)| *start <= stop && stop <= *end)
        {
            events.push(schedule_event(stop, Action::Stop));
        }
    }
    (events, merged)
}

/// Replaces (or removes) the schedule's starts or stops on each excepted date.
fn apply_exceptions(
    timeline: &Timeline<'_>,
    events: &mut Vec<Event>,
    first: NaiveDate,
    last: NaiveDate,
) {
    let tz = timeline.schedule.timezone;
    // Keyed by (date, action): a later entry replaces an earlier one, as in storage.
    let by_key: HashMap<(NaiveDate, Action), Option<NaiveTime>> = timeline
        .exceptions
        .iter()
        .filter(|e| (first..=last).contains(&e.date))
        .map(|e| ((e.date, e.action), e.time))
        .collect();
    if by_key.is_empty() {
        return;
    }
    events.retain(|e| {
        let date = e.at.with_timezone(&tz).date_naive();
        !by_key.contains_key(&(date, e.action))
    });
    for (&(date, action), time) in &by_key {
        if let Some(time) = time {
            events.push(Event {
                at: resolve(tz, date, *time),
                action,
                source: Source::Exception,
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

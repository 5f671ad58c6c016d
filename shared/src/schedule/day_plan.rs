//! One local day of a schedule, as `info` shows it.

use super::event::{Event, Source};
use super::timeline::{latest_within_look_back, shift, Timeline, LOOK_BACK};
use crate::value::local_time::resolve;
use crate::Action;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// The effective plan of one local date, after exceptions and overrides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPlan {
    pub date: NaiveDate,
    /// The day's events in order, with their local wall-clock time.
    pub events: Vec<PlannedEvent>,
    /// Actions an exception removed on this date (`... stop None`).
    pub removed: Vec<Action>,
    /// Whether the servers should be running as the day begins.
    pub running_at_start: bool,
    /// Whether they should be running as it ends.
    pub running_at_end: bool,
    /// When the day ends running: the first stop after it (within 8 days).
    pub next_stop: Option<Event>,
    /// One cell for each local hour (23 or 25 on DST days).
    pub hours: Vec<HourState>,
}

/// An event of the day with its local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedEvent {
    pub time: NaiveTime,
    pub event: Event,
}

/// The desired state over one hour of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HourState {
    Running,
    Stopped,
    /// A start or stop happens inside the hour.
    Changing,
}

impl HourState {
    pub const fn glyph(self) -> char {
        match self {
            Self::Running => '█',
            Self::Stopped => '░',
            Self::Changing => '▒',
        }
    }
}

impl DayPlan {
    /// Builds the plan of `date` (a local date in the schedule's time zone).
    pub fn of(timeline: &Timeline<'_>, date: NaiveDate) -> Self {
        let tz = timeline.schedule.timezone;
        let day_start = resolve(tz, date, NaiveTime::MIN);
        let day_end = resolve(tz, shift(date, 1), NaiveTime::MIN);
        let events = timeline.events(day_start - LOOK_BACK, day_end + LOOK_BACK);
        // The latest event within the look-back, else the steady state: a
        // schedule that runs all the time shows running all day.
        let running_at = |at: DateTime<Utc>| {
            let state = match latest_within_look_back(&events, at) {
                Some(event) => Some(event.action),
                None => timeline.steady(at),
            };
            state == Some(Action::Start)
        };
        let running_at_start = running_at(day_start);
        let running_at_end = running_at(day_end - Duration::nanoseconds(1));
        let day_events: Vec<PlannedEvent> = events
            .iter()
            .filter(|e| e.at >= day_start && e.at < day_end)
            .map(|e| PlannedEvent {
                time: e.at.with_timezone(&tz).time(),
                event: *e,
            })
            .collect();
        let next_stop = if running_at_end {
            events
                .iter()
                .find(|e| e.at >= day_end && e.action == Action::Stop)
                .copied()
        } else {
            None
        };
        let mut removed: Vec<Action> = timeline
            .exceptions
            .iter()
            .filter(|e| e.date == date && e.time.is_none())
            .map(|e| e.action)
            .collect();
        removed.sort();
        removed.dedup();
        let mut hours = Vec::with_capacity(25);
        let mut hour_start = day_start;
        while hour_start < day_end {
            let hour_end = (hour_start + Duration::hours(1)).min(day_end);
            let changes = events.iter().any(|e| e.at > hour_start && e.at < hour_end);
            hours.push(match (changes, running_at(hour_start)) {
                (true, _) => HourState::Changing,
                (false, true) => HourState::Running,
                (false, false) => HourState::Stopped,
            });
            hour_start = hour_end;
        }
        Self {
            date,
            events: day_events,
            removed,
            running_at_start,
            running_at_end,
            next_stop,
            hours,
        }
    }

    /// The day's starts (or stops), in order.
    pub fn times_of(&self, action: Action) -> impl Iterator<Item = &PlannedEvent> {
        self.events.iter().filter(move |p| p.event.action == action)
    }

    /// Whether an exception changed (or removed) this day's `action`.
    pub fn excepted(&self, action: Action) -> bool {
        self.removed.contains(&action)
            || self
                .times_of(action)
                .any(|p| p.event.source == Source::Exception)
    }

    /// The 24-hour bar, e.g. `░░░░░░░░░██████████░░░░░`, one cell an hour.
    pub fn bar(&self) -> String {
        self.hours.iter().map(|h| h.glyph()).collect()
    }
}

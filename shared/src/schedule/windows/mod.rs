//! Override windows (SPEC §6.3): how `force_start` / `force_stop` with
//! `for|until` combine with the schedule's own events.
//!
//! An override is an event at the instant it was issued. Its window runs
//! from then to its end: inside it no earlier-issued event changes the state
//! (the schedule's and the exceptions' events are all earlier-issued, as are
//! older overrides), and at its end the schedule takes over: the state
//! becomes what periods and exceptions give at that instant. That is an
//! event only where it differs from what the override held, so
//! `force_start for 2h` at 08:12 before a 09:00 start ends quietly, and the
//! same at 18:30 after a 19:00 stop ends with a stop at 20:30.
//!
//! A later override replaces an earlier one's window: the earlier window
//! ends where the later override is issued, without a hand-back of its own.

use super::event::{Event, Source};
use super::model::Override;
use crate::Action;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a `for|until` window ends and the schedule takes over again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Handback {
    /// The window's end.
    pub at: DateTime<Utc>,
    /// What the override held during its window.
    pub held: Action,
    /// The state periods and exceptions give at `at` (`None`: they give
    /// none, and the servers stay as they are).
    pub resumes: Option<Action>,
}

impl Handback {
    /// Whether the hand-back starts or stops something (an event at `at`).
    pub fn changes(&self) -> bool {
        self.resumes.is_some_and(|action| action != self.held)
    }
}

/// The schedule's events (`base`, already with exceptions) combined with
/// the overrides: `base` minus what windows hold back, plus each override's
/// event and each hand-back that changes the state; unsorted. `schedule_at`
/// gives the state of periods and exceptions at an instant.
pub(super) fn apply(
    overrides: &[Override],
    base: &[Event],
    schedule_at: impl Fn(DateTime<Utc>) -> Option<Action>,
) -> (Vec<Event>, Vec<Handback>) {
    let mut by_issue: Vec<&Override> = overrides.iter().collect();
    by_issue.sort_by_key(|o| o.issued_at);
    let mut events: Vec<Event> = Vec::with_capacity(base.len() + 2 * overrides.len());
    let mut held: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    let mut handbacks = Vec::new();
    for (i, o) in by_issue.iter().enumerate() {
        events.push(Event {
            at: o.issued_at,
            action: o.action,
            source: Source::Override,
        });
        let Some(until) = o.until else { continue };
        let replaced_at = by_issue
            .get(i + 1)
            .map(|next| next.issued_at)
            .filter(|next| *next < until);
        held.push((o.issued_at, replaced_at.unwrap_or(until)));
        if replaced_at.is_some() {
            continue;
        }
        let handback = Handback {
            at: until,
            held: o.action,
            resumes: schedule_at(until),
        };
        if let Some(action) = handback.resumes.filter(|_| handback.changes()) {
            events.push(Event {
                at: until,
                action,
                source: Source::Override,
            });
        }
        handbacks.push(handback);
    }
    events.extend(
        base.iter()
            .filter(|e| !held.iter().any(|(from, to)| *from < e.at && e.at < *to))
            .copied(),
    );
    (events, handbacks)
}

#[cfg(test)]
mod tests;

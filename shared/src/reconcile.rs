//! Reconciliation (SPEC §6) as a pure decision: given a schedule, its latest
//! event, what has been applied so far and the instances as AWS describes
//! them, decide which instances to start or stop now and what to remember.
//!
//! A start goes group by group: a group acts once every group in its `after`
//! list is fully up; a stop goes the other way round. Whatever cannot act yet
//! stays in a [`Rollout`] kept in the schedule's state, and the next
//! reconcile (the next tick, a minute later) takes it further. Nobody sleeps,
//! and a crashed worker loses nothing: the state says where it was.
//!
//! The worker does the I/O around [`decide`]: it loads the state, describes
//! the fleet, carries out the [`Decision`] and writes the new state with a
//! conditional write, so two workers never both apply one event.

use crate::reply::{GroupWait, InstanceRef, InstanceState};
use crate::schedule::{Event, GroupKind, Schedule};
use crate::Action;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// One scheduled instance, as the fleet adapter describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub kind: GroupKind,
    /// EC2 instance id or RDS DB instance identifier.
    pub id: String,
    /// The `Name` tag (EC2) or the identifier (RDS).
    pub name: String,
    /// The schedule tag's value.
    pub schedule: String,
    /// The group tag's value, if any.
    pub group: Option<String>,
    pub state: InstanceState,
}

impl Instance {
    pub fn reference(&self) -> InstanceRef {
        InstanceRef {
            name: self.name.clone(),
            id: self.id.clone(),
        }
    }

    /// Whether the instance is where `action` wants it (EC2 `running` / RDS
    /// `available` for a start, `stopped` for a stop).
    fn settled(&self, action: Action) -> bool {
        self.state == target(action)
    }

    /// Whether a start (or stop) call applies to it now: only from the
    /// opposite resting state. An instance on its way somewhere is left be.
    fn actionable(&self, action: Action) -> bool {
        self.state == target(opposite(action))
    }
}

const fn target(action: Action) -> InstanceState {
    match action {
        Action::Start => InstanceState::Running,
        Action::Stop => InstanceState::Stopped,
    }
}

const fn opposite(action: Action) -> Action {
    match action {
        Action::Start => Action::Stop,
        Action::Stop => Action::Start,
    }
}

/// What the scheduler remembers about one schedule between reconciles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulerState {
    /// The last event applied; the next reconcile applies only a newer one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<Event>,
    /// A grouped start or stop that is still going.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout: Option<Rollout>,
}

/// A grouped start or stop in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rollout {
    /// The event being carried out.
    pub event: Event,
    /// When the first group acted; after `start_timeout_minutes` it fails.
    pub began_at: DateTime<Utc>,
    /// Groups not yet acted on, in the order they go.
    pub remaining: Vec<String>,
}

/// What one reconcile does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// The event this reconcile applies for the first time, if any.
    pub applied_now: Option<Event>,
    /// The action of the event being carried out (new or in progress).
    pub action: Option<Action>,
    /// Instances to call start (or stop) for.
    pub act: Vec<Instance>,
    /// Instances already in (or on their way to) the wanted state.
    pub unchanged: Vec<Instance>,
    /// Groups that wait, and on which groups.
    pub waiting: Vec<GroupWait>,
    /// Groups still waiting when the rollout timed out.
    pub timed_out: Vec<String>,
    /// The state to write (conditionally) once the actions are done.
    pub state: SchedulerState,
}

impl Decision {
    /// Whether the stored state must be written.
    pub fn changes(&self, before: &SchedulerState) -> bool {
        self.state != *before
    }
}

/// Whether a schedule needs the fleet described at all: a new event, or a
/// rollout to take further. Everything else is an idle minute.
pub fn is_due(latest: Option<Event>, state: &SchedulerState) -> bool {
    state.rollout.is_some() || latest.is_some_and(|event| is_new(event, state))
}

/// Whether `event` comes after the one applied last. Time only moves
/// forward: a tick evaluated at an instant before an event that was already
/// applied (EventBridge's `time` has whole seconds; a `force_start` issued
/// half a second later is newer) must not re-apply an older event.
fn is_new(event: Event, state: &SchedulerState) -> bool {
    match state.applied {
        None => true,
        Some(applied) => event.at > applied.at || (event.at == applied.at && event != applied),
    }
}

/// Decides one reconcile of `schedule` at `now`. `instances` are the
/// schedule's own (its tag), as described just now.
pub fn decide(
    schedule: &Schedule,
    latest: Option<Event>,
    state: &SchedulerState,
    instances: &[Instance],
    now: DateTime<Utc>,
) -> Decision {
    let mut decision = Decision {
        state: state.clone(),
        ..Decision::default()
    };
    let new_event = latest.filter(|event| is_new(*event, state));
    let mut rollout = match new_event {
        Some(event) => {
            decision.applied_now = Some(event);
            decision.state.applied = Some(event);
            // A newer event replaces whatever rollout was still going.
            let order: Vec<String> = match event.action {
                Action::Start => schedule.start_order().map(|g| g.name.clone()).collect(),
                Action::Stop => schedule.stop_order().map(|g| g.name.clone()).collect(),
            };
            // Instances outside every declared group have nothing to wait on.
            let ungrouped = instances.iter().filter(|i| group_of(schedule, i).is_none());
            sort_into(&mut decision, ungrouped, event.action);
            Rollout {
                event,
                began_at: now,
                remaining: order,
            }
        }
        None => match &state.rollout {
            Some(rollout) => rollout.clone(),
            None => return decision,
        },
    };
    let action = rollout.event.action;
    decision.action = Some(action);
    let settled = |group: &str| {
        instances
            .iter()
            .filter(|i| i.group.as_deref() == Some(group))
            .all(|i| i.settled(action))
    };
    // Groups go in order (dependencies first), each judged on the states
    // described before anything acts now: a group whose blockers act in this
    // very reconcile still waits for them to come up (or down).
    let mut remaining = Vec::new();
    for group in std::mem::take(&mut rollout.remaining) {
        let on: Vec<String> = blockers_of(schedule, &group, action)
            .into_iter()
            .filter(|other| remaining.contains(other) || !settled(other))
            .collect();
        if on.is_empty() {
            let members = instances
                .iter()
                .filter(|i| i.group.as_deref() == Some(group.as_str()));
            sort_into(&mut decision, members, action);
        } else {
            decision.waiting.push(GroupWait {
                group: group.clone(),
                on,
            });
            remaining.push(group);
        }
    }
    rollout.remaining = remaining;
    let timeout = Duration::minutes(i64::from(schedule.start_timeout_minutes));
    decision.state.rollout = if rollout.remaining.is_empty() {
        None
    } else if now - rollout.began_at >= timeout {
        decision.timed_out = rollout.remaining.clone();
        None
    } else {
        Some(rollout)
    };
    decision
}

/// The declared group an instance belongs to, if its group tag names one.
fn group_of<'a>(schedule: &'a Schedule, instance: &Instance) -> Option<&'a str> {
    let tag = instance.group.as_deref()?;
    schedule
        .groups
        .iter()
        .find(|g| g.name == tag)
        .map(|g| g.name.as_str())
}

/// The groups that must be settled before `group` may act: its `after` list
/// for a start; for a stop, the groups that start after it.
fn blockers_of(schedule: &Schedule, group: &str, action: Action) -> Vec<String> {
    match action {
        Action::Start => schedule
            .groups
            .iter()
            .find(|g| g.name == group)
            .map(|g| g.after.clone())
            .unwrap_or_default(),
        Action::Stop => schedule
            .groups
            .iter()
            .filter(|g| g.after.iter().any(|a| a == group))
            .map(|g| g.name.clone())
            .collect(),
    }
}

fn sort_into<'a>(
    decision: &mut Decision,
    instances: impl Iterator<Item = &'a Instance>,
    action: Action,
) {
    for instance in instances {
        if instance.actionable(action) {
            decision.act.push(instance.clone());
        } else {
            decision.unchanged.push(instance.clone());
        }
    }
}

#[cfg(test)]
mod tests;

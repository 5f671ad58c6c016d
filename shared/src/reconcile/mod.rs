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

mod capacity;
mod caught;
mod entries;
pub mod restart;

use crate::resource::{Capacity, GroupKind, GroupWait, Instance, InstanceState};
use crate::schedule::{Event, Schedule, Timeline};
use crate::Action;
use caught::{stance, Stance};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

impl Instance {
    /// Whether the instance is where `action` wants it (EC2 `running` / RDS
    /// `available` for a start, `stopped` for a stop).
    fn settled(&self, action: Action) -> bool {
        self.state == target(action)
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
    /// The stop (its instant) whose warning was sent: one warning per stop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warned: Option<DateTime<Utc>>,
    /// Started instances to check once they have had time to come up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<Verify>,
    /// The RDS DB instances and clusters curfew stopped, and when: AWS
    /// starts them by itself after seven days (see `restart`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub db_stops: BTreeMap<String, DateTime<Utc>>,
    /// When those past their seventh day were last looked at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_checked: Option<DateTime<Utc>>,
    /// The Auto Scaling groups and ECS services curfew scaled to zero, by
    /// id, with the capacity each had: what their start restores (see
    /// `capacity`; their tag keeps a copy).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capacities: BTreeMap<String, Capacity>,
    /// Since when this (schedule, pair)'s resources could not be reached
    /// (SPEC §5 Targets): set by the one write whose worker tells the
    /// room, cleared when the pair answers again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreachable: Option<DateTime<Utc>>,
    /// The resources curfew stopped and has not seen up since, and when it
    /// stopped them: a describe that finds one up records a start it did
    /// not make (see `entries`). Stored by instant (a stop acts on all of a
    /// schedule's resources at one), so the item grows by an id, not an id
    /// and a date, per resource.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        with = "entries::by_instant"
    )]
    pub stopped: BTreeMap<String, DateTime<Utc>>,
}

/// Instances started by curfew, checked at `due` (SPEC §6: an EC2 start can
/// fail silently, e.g. with a KMS-encrypted volume).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verify {
    pub due: DateTime<Utc>,
    /// When the first of them was started: past `start_timeout_minutes`, one
    /// still `starting` counts as failed.
    pub since: DateTime<Utc>,
    pub ids: Vec<String>,
}

/// How long after a start curfew checks that it took.
pub const VERIFY_AFTER: Duration = Duration::minutes(5);

/// What a schedule's timeline says at one instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outlook {
    /// The desired state: the latest event at or before the instant (8 days
    /// back at most), or with none there, the schedule's steady state
    /// ([`Event::steady`]: a schedule that runs all the time).
    pub latest: Option<Event>,
    /// A stop close enough to warn about: within `stop_warning_minutes`.
    pub stop_ahead: Option<Event>,
}

impl Outlook {
    pub fn of(timeline: &Timeline<'_>, now: DateTime<Utc>) -> Self {
        let warning = Duration::minutes(i64::from(timeline.schedule.stop_warning_minutes));
        let stop_ahead = if warning.is_zero() {
            None
        } else {
            timeline
                .next_events(now, warning)
                .into_iter()
                .find(|e| e.action == Action::Stop)
        };
        Self {
            latest: timeline.desired(now),
            stop_ahead,
        }
    }
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
    /// Resources caught on their way the other way (or busy) when their
    /// turn came, by id: acted on once a reconcile finds them at rest
    /// (see `caught`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caught: Vec<String>,
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
    /// Resources caught on their way the other way (or busy), still kept
    /// in the rollout: acted on once at rest.
    pub caught: Vec<Instance>,
    /// Caught resources that did not come to rest within
    /// `start_timeout_minutes`: given up on, and told to the room once.
    pub not_at_rest: Vec<Instance>,
    /// Groups that wait, and on which groups.
    pub waiting: Vec<GroupWait>,
    /// Groups still waiting when the rollout timed out.
    pub timed_out: Vec<String>,
    /// `enforce = true` found instances out of the wanted state and re-applies
    /// the latest event.
    pub enforced: bool,
    /// A stop to warn the room about now (something still runs).
    pub warn: Option<Event>,
    /// Started instances that did not come up.
    pub not_up: Vec<Instance>,
    /// DBs AWS started after seven days stopped, stopped again now (the
    /// schedule still wants them stopped).
    pub restopped: Vec<Instance>,
    /// The schedule's `hibernate`: a stop hibernates the EC2 instances
    /// configured for it.
    pub hibernate: bool,
    /// Resources in a group of another kind (with the group's kind), left
    /// alone; reported when a rollout begins.
    pub misfiled: Vec<(Instance, GroupKind)>,
    /// The starts and stops to write in the ledger once the calls are
    /// made (region and target left for the worker to fill in).
    pub ledger: Vec<crate::savings::LedgerEntry>,
    /// The state to write (conditionally) before acting.
    pub state: SchedulerState,
}

impl Decision {
    /// Whether the stored state must be written.
    pub fn changes(&self, before: &SchedulerState) -> bool {
        self.state != *before
    }

    /// The resources `action` is called for: the rollout's, and for a
    /// stop the DBs AWS started after seven days.
    pub fn to_call(&self, action: Action) -> impl Iterator<Item = &Instance> {
        let rollout = (self.action == Some(action)).then_some(&self.act);
        let again = (action == Action::Stop).then_some(&self.restopped);
        rollout.into_iter().chain(again).flatten()
    }
}

/// Whether a schedule needs the fleet described at all: a new event, a
/// rollout to take further, a start to verify, a stop to warn about,
/// `enforce`, or a DB near its seventh day stopped ([`restart`]).
/// Everything else is an idle minute: no EC2 or RDS call.
pub fn is_due(
    schedule: &Schedule,
    outlook: &Outlook,
    state: &SchedulerState,
    now: DateTime<Utc>,
) -> bool {
    state.rollout.is_some()
        || outlook.latest.is_some_and(|event| is_new(event, state))
        || state.verify.as_ref().is_some_and(|v| v.due <= now)
        || outlook
            .stop_ahead
            .is_some_and(|stop| state.warned != Some(stop.at))
        || (schedule.enforce && outlook.latest.is_some())
        || restart::is_due(state, now)
}

/// Whether `event` comes after the one applied last. Time only moves
/// forward: a tick evaluated at an instant before an event that was already
/// applied (EventBridge's `time` has whole seconds; a `force_start` issued
/// half a second later is newer) must not re-apply an older event.
///
/// A steady state (no edge in the look-back) is applied once: it is new
/// unless the last thing applied already wanted the same (the steady state
/// itself, or an edge of the same action that brought the servers there).
/// So a schedule changed to run all the time starts its servers once, and
/// after that people are not fought.
fn is_new(event: Event, state: &SchedulerState) -> bool {
    match state.applied {
        None => true,
        Some(applied) if event.is_steady() => applied.action != event.action,
        Some(applied) => event.at > applied.at || (event.at == applied.at && event != applied),
    }
}

/// Decides one reconcile of `schedule` at `now`. `instances` are the
/// schedule's own (its tag), as described just now.
pub fn decide(
    schedule: &Schedule,
    outlook: &Outlook,
    state: &SchedulerState,
    instances: &[Instance],
    now: DateTime<Utc>,
) -> Decision {
    let instances = &*capacity::claimed(instances, state);
    let mut decision = Decision {
        state: state.clone(),
        hibernate: schedule.hibernate,
        ..Decision::default()
    };
    verify(schedule, &mut decision, instances, now);
    warn(outlook, &mut decision, instances);
    let stopped_wanted = outlook.latest.is_some_and(|e| e.action == Action::Stop);
    restart::look(&mut decision, instances, stopped_wanted, now);
    roll(schedule, outlook, &mut decision, instances, now);
    let acting = &decision.act;
    decision
        .restopped
        .retain(|db| !acting.iter().any(|i| i.id == db.id));
    restart::record(&mut decision, now);
    capacity::record(&mut decision, instances);
    entries::record(&mut decision, instances, now);
    if decision.action == Some(Action::Start) && !decision.act.is_empty() {
        let ids = decision.act.iter().map(|i| i.id.clone());
        match &mut decision.state.verify {
            Some(pending) => pending.ids.extend(ids),
            None => {
                decision.state.verify = Some(Verify {
                    due: now + VERIFY_AFTER,
                    since: now,
                    ids: ids.collect(),
                });
            }
        }
    }
    decision
}

/// Checks the starts whose verification is due: an instance that fell back
/// (or never left `starting` within the timeout) did not come up.
fn verify(
    schedule: &Schedule,
    decision: &mut Decision,
    instances: &[Instance],
    now: DateTime<Utc>,
) {
    let Some(pending) = decision.state.verify.take() else {
        return;
    };
    if pending.due > now {
        decision.state.verify = Some(pending);
        return;
    }
    let timeout = Duration::minutes(i64::from(schedule.start_timeout_minutes));
    let mut still_starting = Vec::new();
    for id in pending.ids {
        match instances.iter().find(|i| i.id == id) {
            Some(i) if i.state == InstanceState::Running => {}
            Some(i) if i.state == InstanceState::Starting && now - pending.since < timeout => {
                still_starting.push(id);
            }
            // A person stopped it meanwhile: their call, not a failed start.
            Some(i) if i.state == InstanceState::Stopping => {}
            Some(i) => decision.not_up.push(i.clone()),
            None => {}
        }
    }
    if !still_starting.is_empty() {
        decision.state.verify = Some(Verify {
            due: now + Duration::minutes(1),
            since: pending.since,
            ids: still_starting,
        });
    }
}

/// One warning per stop, while any instance of the schedule runs.
fn warn(outlook: &Outlook, decision: &mut Decision, instances: &[Instance]) {
    let Some(stop) = outlook.stop_ahead else {
        return;
    };
    if decision.state.warned == Some(stop.at) {
        return;
    }
    decision.state.warned = Some(stop.at);
    if instances.iter().any(|i| i.state == InstanceState::Running) {
        decision.warn = Some(stop);
    }
}

/// Applies a new event (or, with `enforce`, the latest one again) and takes
/// a grouped rollout one step further.
fn roll(
    schedule: &Schedule,
    outlook: &Outlook,
    decision: &mut Decision,
    instances: &[Instance],
    now: DateTime<Utc>,
) {
    let state = decision.state.clone();
    let new_event = outlook.latest.filter(|event| is_new(*event, &state));
    let enforce = outlook.latest.filter(|event| {
        new_event.is_none()
            && state.rollout.is_none()
            && schedule.enforce
            && instances
                .iter()
                .any(|i| stance(i, event.action) == Stance::Act)
    });
    if enforce.is_some() {
        decision.enforced = true;
    }
    let rollout = match new_event.or(enforce) {
        Some(event) => {
            if new_event.is_some() {
                decision.applied_now = Some(event);
                decision.state.applied = Some(event);
            }
            begin(schedule, event, decision, instances, now)
        }
        None => match &state.rollout {
            Some(rollout) => rollout.clone(),
            None => return,
        },
    };
    take_further(schedule, rollout, decision, instances, now);
}

/// A new rollout for `event`: it replaces whatever rollout was still going.
/// Instances outside every declared group act at once; the groups with
/// members wait their turn, in dependency order.
fn begin(
    schedule: &Schedule,
    event: Event,
    decision: &mut Decision,
    instances: &[Instance],
    now: DateTime<Utc>,
) -> Rollout {
    // A group with no instances has nothing to do and nobody to wait for.
    let has_members = |g: &&crate::schedule::Group| {
        instances
            .iter()
            .any(|i| i.group.as_deref() == Some(g.name.as_str()))
    };
    let order: Vec<String> = match event.action {
        Action::Start => schedule
            .start_order()
            .filter(has_members)
            .map(|g| g.name.clone())
            .collect(),
        Action::Stop => schedule
            .stop_order()
            .filter(has_members)
            .map(|g| g.name.clone())
            .collect(),
    };
    let mut rollout = Rollout {
        event,
        began_at: now,
        remaining: order,
        caught: Vec::new(),
    };
    let ungrouped = instances.iter().filter(|i| group_of(schedule, i).is_none());
    sort_into(decision, &mut rollout, ungrouped);
    decision.misfiled = misfiled(schedule, instances)
        .into_iter()
        .map(|(i, kind)| (i.clone(), kind))
        .collect();
    rollout
}

/// Moves `rollout` on: each caught resource found at rest acts now; each
/// group whose blockers are settled acts now, the others wait; past
/// `start_timeout_minutes` the rest is given up (groups as timed out, caught
/// resources as not at rest). What remains is kept in the state for the
/// next reconcile.
fn take_further(
    schedule: &Schedule,
    mut rollout: Rollout,
    decision: &mut Decision,
    instances: &[Instance],
    now: DateTime<Utc>,
) {
    let action = rollout.event.action;
    decision.action = Some(action);
    for id in std::mem::take(&mut rollout.caught) {
        // Gone (terminated, untagged) or settled by itself: nothing to do.
        if let Some(instance) = instances.iter().find(|i| i.id == id) {
            sort_into(decision, &mut rollout, std::iter::once(instance));
        }
    }
    let settled = |group: &str| members_of(schedule, instances, group).all(|i| i.settled(action));
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
            let members = members_of(schedule, instances, &group);
            sort_into(decision, &mut rollout, members);
        } else {
            decision.waiting.push(GroupWait {
                group: group.clone(),
                on,
            });
            remaining.push(group);
        }
    }
    rollout.remaining = remaining;
    let caught = instances.iter().filter(|i| rollout.caught.contains(&i.id));
    decision.caught = caught.cloned().collect();
    let timeout = Duration::minutes(i64::from(schedule.start_timeout_minutes));
    decision.state.rollout = if rollout.remaining.is_empty() && rollout.caught.is_empty() {
        None
    } else if now - rollout.began_at >= timeout {
        decision.timed_out = rollout.remaining.clone();
        decision.not_at_rest = std::mem::take(&mut decision.caught);
        None
    } else {
        Some(rollout)
    };
}

/// The members of `group` that are of its kind. One of another kind (an
/// ECS service tagged into an `rds` group) is never acted on as the group:
/// it is reported ([`misfiled`]) and left alone.
fn members_of<'a>(
    schedule: &'a Schedule,
    instances: &'a [Instance],
    group: &'a str,
) -> impl Iterator<Item = &'a Instance> + 'a {
    let kind = schedule
        .groups
        .iter()
        .find(|g| g.name == group)
        .map(|g| g.kind);
    instances
        .iter()
        .filter(move |i| i.group.as_deref() == Some(group) && Some(i.kind) == kind)
}

/// The resources whose group tag names a declared group of another kind,
/// with that group's kind.
pub fn misfiled<'a>(
    schedule: &'a Schedule,
    instances: &'a [Instance],
) -> Vec<(&'a Instance, GroupKind)> {
    instances
        .iter()
        .filter_map(|i| {
            let group = schedule
                .groups
                .iter()
                .find(|g| i.group.as_deref() == Some(g.name.as_str()))?;
            (group.kind != i.kind).then_some((i, group.kind))
        })
        .collect()
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

/// Sorts resources whose turn has come: called now, as wanted already, or
/// caught (kept in `rollout` for a later reconcile). A resource that is
/// not curfew's to change is none of these.
fn sort_into<'a>(
    decision: &mut Decision,
    rollout: &mut Rollout,
    instances: impl Iterator<Item = &'a Instance>,
) {
    let action = rollout.event.action;
    for instance in instances {
        match stance(instance, action) {
            Stance::Act => decision.act.push(instance.clone()),
            Stance::AsWanted => decision.unchanged.push(instance.clone()),
            Stance::Caught => rollout.caught.push(instance.id.clone()),
            Stance::Leave => {}
        }
    }
}

#[cfg(test)]
mod tests;

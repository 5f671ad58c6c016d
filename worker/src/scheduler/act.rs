//! The two I/O steps of a reconcile (SPEC §6; `reconcile.rs` puts them
//! together): the pure [`decide`] on the loaded state and the described
//! instances with the conditional state write that commits the decision
//! ([`decide_and_save`]; "claim" is the job lease's word, not this one's),
//! then the start / stop calls ([`act`]).
//!
//! The state is written *before* acting: of two workers (two ticks, or a
//! tick and a `force_start`) deciding on the same schedule, only one write
//! goes through, and only that one acts; the other re-reads and finds the
//! event applied. A crash between the write and the calls leaves started
//! instances unstarted: the verification a few minutes later reports them.

use crate::app::ExecError;
use crate::limits::{EC2_BATCH, EC2_CONCURRENCY, RDS_CONCURRENCY, STATE_WRITE_ATTEMPTS};
use chrono::{DateTime, Utc};
use curfew_shared::ports::{Fleet, FleetError, TimelineData, Timelines};
use curfew_shared::reconcile::{decide, Decision, Outlook};
use curfew_shared::resource::{Capacity, GroupKind, Instance};
use curfew_shared::schedule::{Schedule, Timeline};
use curfew_shared::Action;
use futures::stream::{self, StreamExt};
use std::collections::HashMap;

/// Decides one schedule's reconcile in the pair `pair` (its key, `""` for
/// the implicit pair) at the instant `at` and writes its state. Returns the decision
/// to carry out (its state is already stored). The fleet was described, so
/// the pair is reachable: a mark saying otherwise is cleared.
pub async fn decide_and_save(
    store: &dyn Timelines,
    fleet: &dyn Fleet,
    pair: &str,
    schedule: &Schedule,
    mut data: TimelineData,
    mut instances: Vec<Instance>,
    at: DateTime<Utc>,
) -> Result<Decision, ExecError> {
    for _ in 0..STATE_WRITE_ATTEMPTS {
        let timeline = Timeline::new(schedule, &data.exceptions, &data.overrides);
        let outlook = Outlook::of(&timeline, at);
        let mut decision = decide(schedule, &outlook, &data.state.state, &instances, at);
        decision.state.unreachable = None;
        if !decision.changes(&data.state.state)
            || store
                .save_state(&schedule.name, pair, data.state.version, &decision.state)
                .await?
        {
            return Ok(decision);
        }
        // Lost the race: the winner may have acted, so describe again too.
        data = store.load(&schedule.name).await?.for_pair(pair);
        instances = fleet.describe_schedule(&schedule.tag).await?;
    }
    Err(ExecError::Contention(schedule.name.clone()))
}

/// Carries out decisions of any number of schedules: EC2 starts in batched
/// calls for all of them at once, the other kinds (RDS instances and
/// clusters, Auto Scaling groups, ECS services) one call each side by
/// side; then the stops likewise.
/// A failing EC2 batch is split in halves until the failing instances are
/// alone, so one bad instance never blocks the others. Returns the failure
/// of each instance that was not started (or stopped), by id.
pub async fn act(fleet: &dyn Fleet, decisions: &[&Decision]) -> HashMap<String, FleetError> {
    let mut failures = HashMap::new();
    for action in [Action::Start, Action::Stop] {
        // Batches of different instances do not wait for each other either.
        let ec2_failures: Vec<HashMap<String, FleetError>> =
            stream::iter(ec2_batches(decisions, action))
                .map(|(call, batch)| isolate_ec2(fleet, call, batch))
                .buffer_unordered(EC2_CONCURRENCY)
                .collect()
                .await;
        failures.extend(ec2_failures.into_iter().flatten());
        // The other kinds take one resource a call: side by side.
        let other_failures: Vec<(String, FleetError)> = stream::iter(one_a_call(decisions, action))
            .map(|one| async move { one.send(fleet, action).await.err().map(|e| (one.id(), e)) })
            .buffer_unordered(RDS_CONCURRENCY)
            .filter_map(std::future::ready)
            .collect()
            .await;
        failures.extend(other_failures);
    }
    failures
}

/// The EC2 batches for `action`: a stop hibernates where the schedule says
/// so and the instance is configured for it, and each way has its own
/// batches of at most `EC2_BATCH`.
fn ec2_batches(decisions: &[&Decision], action: Action) -> Vec<(Ec2Call, Vec<String>)> {
    let ec2: Vec<(bool, &Instance)> = decisions
        .iter()
        .flat_map(|d| {
            d.to_call(action)
                .filter(|i| i.kind == GroupKind::Ec2)
                .map(move |i| (action == Action::Stop && d.hibernate && i.hibernates, i))
        })
        .collect();
    let ids = |hibernating: bool| -> Vec<String> {
        ec2.iter()
            .filter(|(h, _)| *h == hibernating)
            .map(|(_, i)| i.id.clone())
            .collect()
    };
    [
        (Ec2Call::Hibernate, ids(true)),
        (Ec2Call::Plain(action), ids(false)),
    ]
    .into_iter()
    .flat_map(|(call, ids)| {
        ids.chunks(EC2_BATCH)
            .map(|batch| (call, batch.to_vec()))
            .collect::<Vec<_>>()
    })
    .collect()
}

/// The resources of every kind but EC2 that `action` is called for, one a call.
fn one_a_call<'d>(decisions: &[&'d Decision], action: Action) -> Vec<OneCall<'d>> {
    decisions
        .iter()
        .flat_map(|d| d.to_call(action).map(move |i| (d, i)))
        .filter(|(_, i)| i.kind != GroupKind::Ec2)
        .map(|(d, i)| match i.kind {
            GroupKind::Asg | GroupKind::Ecs => OneCall::Scale(i, d.capacity_for(i, action)),
            _ => OneCall::Act(i),
        })
        .collect()
}

/// One call for one resource: a start or stop, or a scaling with the
/// capacity to save or restore (`None`: there is none to restore).
#[derive(Debug, Clone, Copy)]
enum OneCall<'d> {
    Act(&'d Instance),
    Scale(&'d Instance, Option<Capacity>),
}

impl OneCall<'_> {
    fn id(self) -> String {
        match self {
            Self::Act(i) | Self::Scale(i, _) => i.id.clone(),
        }
    }

    async fn send(self, fleet: &dyn Fleet, action: Action) -> Result<(), FleetError> {
        match self {
            Self::Act(i) => fleet.act(action, i.kind, std::slice::from_ref(&i.id)).await,
            Self::Scale(i, Some(capacity)) => fleet.scale(action, i, capacity).await,
            Self::Scale(i, None) => Err(FleetError::refused(
                "scale",
                &i.id,
                format!(
                    "{} has no saved capacity, neither in the scheduler state nor in its tag: \
                     nothing is guessed",
                    i.id
                ),
            )),
        }
    }
}

/// The EC2 call a batch gets.
#[derive(Debug, Clone, Copy)]
enum Ec2Call {
    Plain(Action),
    Hibernate,
}

impl Ec2Call {
    async fn send(self, fleet: &dyn Fleet, ids: &[String]) -> Result<(), FleetError> {
        match self {
            Self::Plain(action) => fleet.act(action, GroupKind::Ec2, ids).await,
            Self::Hibernate => fleet.hibernate(ids).await,
        }
    }
}

/// One EC2 call for `ids`; on failure, bisects (iteratively) to find the
/// instances that fail on their own, and returns their failures.
async fn isolate_ec2(
    fleet: &dyn Fleet,
    call: Ec2Call,
    ids: Vec<String>,
) -> HashMap<String, FleetError> {
    let mut failures = HashMap::new();
    let mut pending = vec![ids];
    while let Some(batch) = pending.pop() {
        match call.send(fleet, &batch).await {
            Ok(()) => {}
            Err(error) => match batch.as_slice() {
                [] => {}
                [id] => {
                    failures.insert(id.clone(), error);
                }
                _ => {
                    let (left, right) = batch.split_at(batch.len() / 2);
                    pending.push(right.to_vec());
                    pending.push(left.to_vec());
                }
            },
        }
    }
    failures
}

//! The resources curfew starts and stops (SPEC §5, §6): found by their
//! schedule tag, acted on by kind.

use super::{CallError, Class, PortFuture};
use crate::resource::{Capacity, GroupKind, Instance};
use crate::target::Pair;
use crate::Action;
use std::sync::Arc;

/// A failed describe, start or stop, naming the resources it was for
/// (none: a failure of the whole pair, such as a role not assumed).
#[derive(Debug, thiserror::Error)]
#[error("{}{source}", for_ids(.ids))]
pub struct FleetError {
    pub ids: Vec<String>,
    #[source]
    pub source: CallError,
}

/// `["i-1", "i-2"]: ` before the call's error, or nothing without ids.
fn for_ids(ids: &[String]) -> String {
    if ids.is_empty() {
        String::new()
    } else {
        format!("{ids:?}: ")
    }
}

impl FleetError {
    /// An error of curfew's own about one resource (no AWS call failed:
    /// what came back, or what was kept, cannot be acted on). Retrying
    /// cannot help.
    pub fn refused(operation: &'static str, id: &str, message: String) -> Self {
        Self {
            ids: vec![id.to_owned()],
            source: CallError {
                operation,
                class: Class::Permanent,
                code: None,
                message: message.clone(),
                source: Box::new(std::io::Error::other(message)),
            },
        }
    }

    /// Whether a later try may succeed.
    pub const fn class(&self) -> Class {
        self.source.class
    }
}

/// Describes and acts on the scheduled resources of one account and region.
/// The AWS adapter calls EC2 and RDS; `curfew_testkit::MemoryFleet` keeps
/// instances in memory and counts the calls.
pub trait Fleet: Send + Sync + std::fmt::Debug {
    /// Every resource carrying the schedule tag key (a tick: once for all).
    fn describe(&self) -> PortFuture<'_, Result<Vec<Instance>, FleetError>>;

    /// The resources whose schedule tag is `tag` (a chat command).
    fn describe_schedule<'a>(
        &'a self,
        tag: &'a str,
    ) -> PortFuture<'a, Result<Vec<Instance>, FleetError>>;

    /// Starts or stops `ids` of `kind` in one call where the kind takes
    /// several (EC2: up to `EC2_BATCH`), else one after another. A failure
    /// names the ids of the call that failed. For the kinds that stop:
    /// EC2, RDS instances and clusters (the scaled kinds take [`Fleet::scale`]).
    fn act<'a>(
        &'a self,
        action: Action,
        kind: GroupKind,
        ids: &'a [String],
    ) -> PortFuture<'a, Result<(), FleetError>>;

    /// Scales an Auto Scaling group or ECS service (`instance`, as
    /// described) to zero, first saving `capacity` in its own tag (a stop),
    /// or back to `capacity`, then removing that tag (a start).
    fn scale<'a>(
        &'a self,
        action: Action,
        instance: &'a Instance,
        capacity: Capacity,
    ) -> PortFuture<'a, Result<(), FleetError>>;

    /// Hibernates EC2 instances `ids` (configured for it) in one call.
    fn hibernate<'a>(&'a self, ids: &'a [String]) -> PortFuture<'a, Result<(), FleetError>>;
}

/// The fleet of each (target, region) pair (SPEC §5 Targets). The AWS
/// adapter builds one client set per pair on first use and keeps it for
/// the life of the process (a warm Lambda), assuming the target's role;
/// `curfew_testkit::MemoryFleets` keeps one memory fleet per pair.
pub trait Fleets: Send + Sync + std::fmt::Debug {
    /// The fleet of `pair`, with its credentials obtained: a role that
    /// cannot be assumed fails here, naming the role.
    fn fleet<'a>(&'a self, pair: &'a Pair) -> PortFuture<'a, Result<Arc<dyn Fleet>, FleetError>>;

    /// The worker's own region (`AWS_REGION`): the region of a deployment
    /// without targets, and of targets that name none.
    fn home_region(&self) -> &str;
}

//! Instances in memory (the `Fleet` port), with every call counted: a
//! start makes an instance `Running` and a stop `Stopped` at once (a test
//! that needs one stuck sets its state), and instances told to fail make
//! any call that includes them fail, as one bad id fails an EC2 batch.

use super::{injected, Faults};
use curfew_shared::ports::{Class, Fleet, FleetError, PortFuture};
use curfew_shared::resource::{Capacity, GroupKind, Instance, InstanceState, Scale};
use curfew_shared::Action;
use std::collections::BTreeSet;
use std::sync::Mutex;

/// The scheduled resources of one account and region.
#[derive(Debug, Default)]
pub struct MemoryFleet {
    instances: Mutex<Vec<Instance>>,
    /// Ids whose start or stop is refused (permanent).
    refused: Mutex<BTreeSet<String>>,
    faults: Faults,
    calls: Mutex<Vec<String>>,
}

/// One resource of `kind` carrying the schedule tag `schedule` (and the
/// group tag `group`), in `state`. An Auto Scaling group has min 1,
/// desired 2, max 4 when up, and at 0 has that saved in its tag; an ECS
/// service likewise with a desired count of 2.
pub fn instance(
    kind: GroupKind,
    id: &str,
    schedule: &str,
    group: Option<&str>,
    state: InstanceState,
) -> Instance {
    Instance {
        kind,
        id: id.to_owned(),
        name: id.to_owned(),
        schedule: schedule.to_owned(),
        group: group.map(str::to_owned),
        zone: Some("ap-northeast-2a".to_owned()),
        hibernates: false,
        place: None,
        billing: Default::default(),
        launched: None,
        scale: scale_of(kind, &state),
        state,
    }
}

/// What [`instance`] gives a scaled kind.
fn scale_of(kind: GroupKind, state: &InstanceState) -> Option<Scale> {
    let up = match kind {
        GroupKind::Asg => Capacity {
            min: 1,
            desired: 2,
            max: 4,
        },
        GroupKind::Ecs => Capacity::service(2),
        _ => return None,
    };
    let scale = if *state == InstanceState::Stopped {
        Scale {
            now: Capacity {
                min: 0,
                desired: 0,
                max: up.max,
            },
            saved: Some(up),
            arn: None,
        }
    } else {
        Scale {
            now: up,
            saved: None,
            arn: None,
        }
    };
    Some(scale)
}

impl MemoryFleet {
    /// A fleet of these instances.
    pub fn of(instances: Vec<Instance>) -> Self {
        Self {
            instances: Mutex::new(instances),
            ..Self::default()
        }
    }

    /// The next call (describe or act) fails with an error of `class`.
    pub fn fail_next(&self, class: Class) {
        self.faults.fail_next_after(0, class);
    }

    /// Every start or stop call that includes `id` is refused.
    pub fn refuse(&self, id: &str) {
        if let Ok(mut refused) = self.refused.lock() {
            refused.insert(id.to_owned());
        }
    }

    /// Sets `id`'s state, as a person or AWS would.
    pub fn set_state(&self, id: &str, state: InstanceState) {
        if let Ok(mut instances) = self.instances.lock() {
            for i in instances.iter_mut().filter(|i| i.id == id) {
                i.state = state.clone();
            }
        }
    }

    /// Deletes the capacity `id`'s tag saved, as a person might: at zero,
    /// it then looks scaled down by hand, as the AWS adapter describes it.
    pub fn lose_saved_capacity(&self, id: &str) {
        if let Ok(mut instances) = self.instances.lock() {
            for i in instances.iter_mut().filter(|i| i.id == id) {
                if let Some(scale) = i.scale.as_mut() {
                    scale.saved = None;
                    if scale.now.is_zero() {
                        i.state = InstanceState::Other("at 0 by hand".to_owned());
                    }
                }
            }
        }
    }

    /// `id`'s state now (`None`: no such instance).
    pub fn state(&self, id: &str) -> Option<InstanceState> {
        let instances = self.instances.lock().ok()?;
        instances
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.state.clone())
    }

    /// The calls made so far: `describe`, `describe dev`, `start ec2 i-1,i-2`.
    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn log(&self, call: String) {
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(call);
        }
    }

    fn describe_where(&self, tag: Option<&str>) -> Result<Vec<Instance>, FleetError> {
        self.log(tag.map_or_else(|| "describe".to_owned(), |t| format!("describe {t}")));
        self.faults
            .next("DescribeInstances", "MemoryFleet")
            .map_err(|source| FleetError {
                ids: Vec::new(),
                source,
            })?;
        let instances = self.instances.lock().map(|i| i.clone()).unwrap_or_default();
        Ok(instances
            .into_iter()
            .filter(|i| tag.is_none_or(|t| i.schedule == t))
            .collect())
    }

    fn act_now(
        &self,
        verb: &str,
        action: Action,
        kind: GroupKind,
        ids: &[String],
    ) -> Result<(), FleetError> {
        self.log(format!("{verb} {} {}", kind.as_str(), ids.join(",")));
        let operation = match action {
            Action::Start => "StartInstances",
            Action::Stop => "StopInstances",
        };
        let fail = |source| FleetError {
            ids: ids.to_vec(),
            source,
        };
        self.faults.next(operation, "MemoryFleet").map_err(fail)?;
        let refused = self.refused.lock().map(|r| r.clone()).unwrap_or_default();
        if ids.iter().any(|id| refused.contains(id)) {
            return Err(fail(injected(operation, Class::Permanent, "MemoryFleet")));
        }
        // As AWS does: an EC2 instance or a DB on its way somewhere (EC2
        // `pending`, RDS `starting`, `stopping`, `modifying`) refuses a start
        // or stop (IncorrectInstanceState, InvalidDBInstanceState).
        let moving = |i: &Instance| {
            !matches!(i.kind, GroupKind::Asg | GroupKind::Ecs)
                && !matches!(i.state, InstanceState::Running | InstanceState::Stopped)
        };
        let busy = self.instances.lock().is_ok_and(|instances| {
            instances
                .iter()
                .any(|i| i.kind == kind && ids.contains(&i.id) && moving(i))
        });
        if busy {
            return Err(fail(injected(operation, Class::Permanent, "MemoryFleet")));
        }
        let state = match action {
            Action::Start => InstanceState::Running,
            Action::Stop => InstanceState::Stopped,
        };
        if let Ok(mut instances) = self.instances.lock() {
            for i in instances
                .iter_mut()
                .filter(|i| i.kind == kind && ids.contains(&i.id))
            {
                i.state = state.clone();
            }
        }
        Ok(())
    }
}

impl Fleet for MemoryFleet {
    fn hibernate<'a>(&'a self, ids: &'a [String]) -> PortFuture<'a, Result<(), FleetError>> {
        Box::pin(async move { self.act_now("hibernate", Action::Stop, GroupKind::Ec2, ids) })
    }

    fn describe(&self) -> PortFuture<'_, Result<Vec<Instance>, FleetError>> {
        Box::pin(async move { self.describe_where(None) })
    }

    fn describe_schedule<'a>(
        &'a self,
        tag: &'a str,
    ) -> PortFuture<'a, Result<Vec<Instance>, FleetError>> {
        Box::pin(async move { self.describe_where(Some(tag)) })
    }

    fn act<'a>(
        &'a self,
        action: Action,
        kind: GroupKind,
        ids: &'a [String],
    ) -> PortFuture<'a, Result<(), FleetError>> {
        Box::pin(async move { self.act_now(action.as_str(), action, kind, ids) })
    }

    /// Logged as `stop (1,2,4) asg web`. A stop saves the capacity as
    /// the tag would and scales to zero; a start sets it and drops the tag.
    fn scale<'a>(
        &'a self,
        action: Action,
        instance: &'a Instance,
        capacity: Capacity,
    ) -> PortFuture<'a, Result<(), FleetError>> {
        Box::pin(async move {
            let Capacity { min, desired, max } = capacity;
            let verb = format!("{} ({min},{desired},{max})", action.as_str());
            let ids = std::slice::from_ref(&instance.id);
            self.act_now(&verb, action, instance.kind, ids)?;
            if let Ok(mut instances) = self.instances.lock() {
                for i in instances.iter_mut().filter(|i| i.id == instance.id) {
                    i.scale = Some(match action {
                        Action::Stop => Scale {
                            now: Capacity {
                                min: 0,
                                desired: 0,
                                max,
                            },
                            saved: Some(capacity),
                            arn: None,
                        },
                        Action::Start => Scale {
                            now: capacity,
                            saved: None,
                            arn: None,
                        },
                    });
                }
            }
            Ok(())
        })
    }
}

//! Caught mid-way (SPEC §6): what an event does with each resource, given
//! the state it was described in.
//!
//! A resource already where the event wants it, or on its way there, is
//! left to get there. One at rest the other way is acted on now. One on its
//! way the other way (EC2 `pending` or RDS `starting` at a stop, `stopping`
//! at a start), or busy in a state of AWS's own (RDS `modifying`,
//! `backing-up`), cannot take the call now (AWS refuses it), so it is
//! *caught*: it stays in the event's rollout and is acted on at the first
//! reconcile that finds it at rest, within `start_timeout_minutes`; past
//! that the room is told once. This finishes the event the resource was
//! caught in; it is not fighting people: once the event is done, a person's
//! start at night is left alone until the next stop.
//!
//! Auto Scaling groups and ECS services take a new size whatever they are
//! doing, so they are never caught: scaled to zero at a stop (a service
//! whose tasks never came up too) and restored at a start (tasks still
//! draining too), unless the zero is a person's.

use super::{opposite, target, Instance};
use crate::resource::{GroupKind, InstanceState};
use crate::Action;

/// What an event does with one resource now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stance {
    /// At rest the other way (or, scaled, not yet at the wanted size): call
    /// it now.
    Act,
    /// Where the event wants it, or on its way there: nothing to call.
    AsWanted,
    /// On its way the other way, or busy: called once it comes to rest.
    Caught,
    /// Not curfew's to change (a group a person scaled to zero, a size
    /// that could not be read).
    Leave,
}

/// The stance of `instance` towards `action`.
pub(super) fn stance(instance: &Instance, action: Action) -> Stance {
    if matches!(instance.kind, GroupKind::Asg | GroupKind::Ecs) {
        return scaled(instance, action);
    }
    let moving_to = |action| match action {
        Action::Start => InstanceState::Starting,
        Action::Stop => InstanceState::Stopping,
    };
    if instance.state == target(action) || instance.state == moving_to(action) {
        Stance::AsWanted
    } else if instance.state == target(opposite(action)) {
        Stance::Act
    } else {
        Stance::Caught
    }
}

/// A group or a service: its size decides, not how far its instances or
/// tasks have got.
fn scaled(instance: &Instance, action: Action) -> Stance {
    let Some(scale) = &instance.scale else {
        return Stance::Leave;
    };
    let at_zero = scale.now.is_zero();
    match action {
        Action::Stop if at_zero => Stance::AsWanted,
        Action::Stop => Stance::Act,
        Action::Start if !at_zero => Stance::AsWanted,
        // Curfew's zero (its tag or the scheduler state saved the size),
        // whether or not the last tasks have drained.
        Action::Start
            if matches!(
                instance.state,
                InstanceState::Stopped | InstanceState::Stopping
            ) =>
        {
            Stance::Act
        }
        Action::Start => Stance::Leave,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{Capacity, Scale};

    /// The reconcile tests' instance, of `kind`, sized `now` if scaled.
    fn resource(kind: GroupKind, state: InstanceState, now: Option<Capacity>) -> Instance {
        Instance {
            kind,
            scale: now.map(|now| Scale {
                now,
                saved: None,
                arn: None,
            }),
            ..crate::reconcile::tests::instance("r", None, state)
        }
    }

    const UP: Capacity = Capacity {
        min: 1,
        desired: 2,
        max: 4,
    };
    const ZERO: Capacity = Capacity {
        min: 0,
        desired: 0,
        max: 4,
    };

    fn other(state: &str) -> InstanceState {
        InstanceState::Other(state.to_owned())
    }

    /// Every stopped-or-started kind × every state it can be described in
    /// × start and stop.
    #[test]
    fn instances_and_databases_are_caught_on_their_way_the_other_way() {
        use InstanceState::{Running, Starting, Stopped, Stopping};
        use Stance::{Act, AsWanted, Caught};
        let table = [
            // (state, at a start, at a stop)
            (Running, AsWanted, Act),
            (Stopped, Act, AsWanted),
            (Starting, AsWanted, Caught),
            (Stopping, Caught, AsWanted),
            (other("modifying"), Caught, Caught),
            (other("backing-up"), Caught, Caught),
            (other("rebooting"), Caught, Caught),
        ];
        for kind in [GroupKind::Ec2, GroupKind::Rds, GroupKind::RdsCluster] {
            for (state, at_start, at_stop) in table.clone() {
                let r = resource(kind, state.clone(), None);
                assert_eq!(
                    stance(&r, Action::Start),
                    at_start,
                    "{kind:?} {state:?} start"
                );
                assert_eq!(stance(&r, Action::Stop), at_stop, "{kind:?} {state:?} stop");
            }
        }
    }

    /// Groups and services: scaled to zero at a stop whatever their state,
    /// restored at a start whatever their state; a person's zero is theirs.
    #[test]
    fn groups_and_services_take_their_size_whatever_their_state() {
        use InstanceState::{Running, Starting, Stopped, Stopping};
        use Stance::{Act, AsWanted, Leave};
        let table = [
            // (state, size now, at a start, at a stop)
            (Running, UP, AsWanted, Act),
            (Starting, UP, AsWanted, Act), // tasks never coming up: still scaled down
            (Stopping, UP, AsWanted, Act), // scaling in above zero
            (Stopping, ZERO, Act, AsWanted), // curfew's zero, tasks draining
            (Stopped, ZERO, Act, AsWanted),
            (other("at 0 by hand"), ZERO, Leave, AsWanted),
        ];
        for kind in [GroupKind::Asg, GroupKind::Ecs] {
            for (state, now, at_start, at_stop) in table.clone() {
                let r = resource(kind, state.clone(), Some(now));
                assert_eq!(
                    stance(&r, Action::Start),
                    at_start,
                    "{kind:?} {state:?} start"
                );
                assert_eq!(stance(&r, Action::Stop), at_stop, "{kind:?} {state:?} stop");
            }
            let unknown = resource(kind, other("capacity unknown"), None);
            assert_eq!(stance(&unknown, Action::Start), Leave);
            assert_eq!(stance(&unknown, Action::Stop), Leave);
        }
    }
}

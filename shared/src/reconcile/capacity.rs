//! The capacity of what curfew scales to zero rather than stops (SPEC §5:
//! Auto Scaling groups, ECS services). A stop saves the capacity in the
//! scheduler state, which is written before anything acts, and the fleet
//! adapter saves it again in the resource's own tag before scaling it
//! down. A start restores the state's copy, else the tag's; with neither,
//! the start fails naming the resource, and nothing is guessed.
//!
//! The state's copy is dropped once the resource is seen up again, so a
//! later stop saves what it has become (a person may have resized it).

use super::{Decision, Instance, SchedulerState};
use crate::resource::{Capacity, InstanceState};
use crate::Action;
use std::borrow::Cow;

/// The instances as the decision sees them: a resource at zero that its tag
/// does not claim (so the adapter calls it a person's doing) but whose
/// capacity the state saved was stopped by curfew, and is `Stopped`.
pub(super) fn claimed<'a>(
    instances: &'a [Instance],
    state: &SchedulerState,
) -> Cow<'a, [Instance]> {
    let unclaimed = |i: &Instance| {
        matches!(i.state, InstanceState::Other(_))
            && i.scale.as_ref().is_some_and(|s| s.now.is_zero())
            && state.capacities.contains_key(&i.id)
    };
    if !instances.iter().any(unclaimed) {
        return Cow::Borrowed(instances);
    }
    Cow::Owned(
        instances
            .iter()
            .map(|i| {
                let mut i = i.clone();
                if unclaimed(&i) {
                    i.state = InstanceState::Stopped;
                }
                i
            })
            .collect(),
    )
}

/// Saves the capacity of each resource this decision scales to zero, and
/// forgets those seen up again (or gone). A resource already at zero keeps
/// what was saved: a redone stop must not save the zero it left behind.
pub(super) fn record(decision: &mut Decision, instances: &[Instance]) {
    let stopping: Vec<&Instance> = if decision.action == Some(Action::Stop) {
        decision.act.iter().filter(|i| i.scale.is_some()).collect()
    } else {
        Vec::new()
    };
    let saved = &mut decision.state.capacities;
    saved.retain(|id, _| {
        stopping.iter().any(|i| i.id == *id)
            || instances
                .iter()
                .any(|i| i.id == *id && i.state != InstanceState::Running)
    });
    for i in stopping {
        if let Some(scale) = i.scale.as_ref().filter(|s| !s.now.is_zero()) {
            saved.insert(i.id.clone(), scale.now);
        }
    }
}

impl Decision {
    /// The capacity `action` sets `instance` back to (a start) or saves
    /// before scaling it to zero (a stop); `None` when there is none to
    /// restore.
    pub fn capacity_for(&self, instance: &Instance, action: Action) -> Option<Capacity> {
        let scale = instance.scale.as_ref()?;
        match action {
            Action::Stop => Some(scale.now),
            Action::Start => self
                .state
                .capacities
                .get(&instance.id)
                .copied()
                .or(scale.saved),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{decide, Outlook};
    use super::*;
    use crate::resource::{GroupKind, Scale};
    use crate::schedule::{parse_schedules, Event, Schedule, Source};
    use chrono::{DateTime, TimeZone, Utc};

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

    fn schedule() -> Schedule {
        let text = "[[schedule]]\nname = \"dev\"\n[[schedule.period]]\n\
                    days = \"all\"\nstart = \"09:00\"\nstop = \"19:00\"\n";
        parse_schedules(text, chrono_tz::Asia::Seoul)
            .unwrap()
            .remove(0)
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap()
    }

    fn wanting(action: Action) -> Outlook {
        Outlook {
            latest: Some(Event {
                at: now(),
                action,
                source: Source::Schedule,
            }),
            stop_ahead: None,
        }
    }

    fn group(state: InstanceState, now: Capacity, saved: Option<Capacity>) -> Instance {
        Instance {
            kind: GroupKind::Asg,
            id: "web".to_owned(),
            name: "web".to_owned(),
            schedule: "dev".to_owned(),
            group: None,
            state,
            zone: None,
            hibernates: false,
            place: None,
            billing: Default::default(),
            launched: None,
            scale: Some(Scale {
                now,
                saved,
                arn: None,
            }),
        }
    }

    fn saved(capacity: Capacity) -> SchedulerState {
        SchedulerState {
            capacities: [("web".to_owned(), capacity)].into(),
            ..SchedulerState::default()
        }
    }

    fn decide_at(action: Action, state: &SchedulerState, instance: Instance) -> Decision {
        decide(&schedule(), &wanting(action), state, &[instance], now())
    }

    #[test]
    fn a_stop_saves_the_capacity_in_the_state_it_writes_before_acting() {
        let stop = decide_at(
            Action::Stop,
            &SchedulerState::default(),
            group(InstanceState::Running, UP, None),
        );
        assert_eq!(stop.act.len(), 1);
        assert_eq!(stop.state.capacities.get("web"), Some(&UP));
        assert_eq!(stop.capacity_for(&stop.act[0], Action::Stop), Some(UP));
    }

    #[test]
    fn a_redone_stop_finding_the_group_at_zero_keeps_what_was_saved() {
        let mut decision = Decision {
            action: Some(Action::Stop),
            act: vec![group(InstanceState::Stopping, ZERO, Some(UP))],
            state: saved(UP),
            ..Decision::default()
        };
        let instances = decision.act.clone();
        record(&mut decision, &instances);
        assert_eq!(decision.state.capacities.get("web"), Some(&UP));
    }

    #[test]
    fn a_start_restores_the_states_copy_else_the_tags_else_nothing() {
        let stopped = group(InstanceState::Stopped, ZERO, Some(Capacity::service(3)));
        let start = decide_at(Action::Start, &saved(UP), stopped.clone());
        assert_eq!(start.capacity_for(&stopped, Action::Start), Some(UP));
        let start = decide_at(Action::Start, &SchedulerState::default(), stopped);
        assert_eq!(
            start.capacity_for(&start.act[0], Action::Start),
            Some(Capacity::service(3))
        );
        let bare = group(InstanceState::Stopped, ZERO, None);
        let start = decide_at(Action::Start, &SchedulerState::default(), bare);
        assert_eq!(start.capacity_for(&start.act[0], Action::Start), None);
    }

    #[test]
    fn a_group_whose_tag_was_lost_is_still_curfews_while_the_state_saved_it() {
        let by_hand = || group(InstanceState::Other("at 0 by hand".to_owned()), ZERO, None);
        let start = decide_at(Action::Start, &saved(UP), by_hand());
        assert_eq!(start.act.len(), 1, "{start:?}");
        assert_eq!(start.capacity_for(&start.act[0], Action::Start), Some(UP));
        // Not saved anywhere: a person's zero, left alone.
        let start = decide_at(Action::Start, &SchedulerState::default(), by_hand());
        assert!(start.act.is_empty(), "{start:?}");
    }

    #[test]
    fn the_copy_is_dropped_once_the_group_is_seen_up_and_kept_until_then() {
        let mut state = saved(UP);
        state.applied = wanting(Action::Start).latest;
        let up = decide_at(
            Action::Start,
            &state,
            group(InstanceState::Running, UP, None),
        );
        assert!(up.state.capacities.is_empty());
        let starting = group(InstanceState::Starting, UP, Some(UP));
        let coming = decide_at(Action::Start, &state, starting);
        assert_eq!(coming.state.capacities.get("web"), Some(&UP));
    }
}

//! The ledger's share of a reconcile (SPEC §6 Savings): an entry for each
//! start and stop this decision makes, and for each start of a resource
//! curfew stopped that a describe finds made by someone else (a person, or
//! AWS's 7-day restart), so a stopped interval ends where it really ended.
//!
//! The state remembers what curfew stopped and has not seen up since
//! ([`SchedulerState::stopped`]); the worker writes the entries (those
//! whose calls went through) with the pair's region after acting.

use super::{Decision, Instance};
use crate::resource::InstanceState;
use crate::savings::{LedgerEntry, Origin};
use crate::Action;
use chrono::{DateTime, Utc};

/// Adds the decision's ledger entries and keeps `stopped` up to date.
/// `instances` are as described before acting.
pub(super) fn record(decision: &mut Decision, instances: &[Instance], now: DateTime<Utc>) {
    let stopped = std::mem::take(&mut decision.state.stopped);
    for (id, since) in stopped {
        let Some(instance) = instances.iter().find(|i| i.id == id) else {
            // Gone (terminated, untagged): nothing more to see of it.
            continue;
        };
        // EC2 says when it last started: after curfew's stop, someone
        // started it, even if it is stopped again by now (then the rest of
        // the night is theirs, not curfew's). A DB or a group says only
        // whether it is up.
        let launched = instance
            .launched
            .filter(|launched| *launched > since && *launched <= now);
        let up = matches!(
            instance.state,
            InstanceState::Running | InstanceState::Starting
        );
        if up || launched.is_some() {
            let at = launched.unwrap_or(now);
            decision
                .ledger
                .push(entry(instance, Action::Start, Origin::Seen, at));
        } else {
            decision.state.stopped.insert(id, since);
        }
    }
    let called: Vec<LedgerEntry> = [Action::Start, Action::Stop]
        .into_iter()
        .flat_map(|action| decision.to_call(action).map(move |i| (action, i)))
        .map(|(action, instance)| entry(instance, action, Origin::Curfew, now))
        .collect();
    for call in called {
        match call.action {
            Action::Stop => decision.state.stopped.insert(call.id.clone(), now),
            Action::Start => decision.state.stopped.remove(&call.id),
        };
        decision.ledger.push(call);
    }
}

/// [`super::SchedulerState::stopped`] as stored: instant → ids.
pub(super) mod by_instant {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub(in crate::reconcile) fn serialize<S: Serializer>(
        stopped: &BTreeMap<String, DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut grouped: BTreeMap<DateTime<Utc>, Vec<&str>> = BTreeMap::new();
        for (id, at) in stopped {
            grouped.entry(*at).or_default().push(id);
        }
        grouped.serialize(serializer)
    }

    pub(in crate::reconcile) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, DateTime<Utc>>, D::Error> {
        let grouped = BTreeMap::<DateTime<Utc>, Vec<String>>::deserialize(deserializer)?;
        Ok(grouped
            .into_iter()
            .flat_map(|(at, ids)| ids.into_iter().map(move |id| (id, at)))
            .collect())
    }
}

fn entry(instance: &Instance, action: Action, origin: Origin, at: DateTime<Utc>) -> LedgerEntry {
    LedgerEntry {
        id: instance.id.clone(),
        name: instance.shown_name(),
        kind: instance.kind,
        action,
        origin,
        at,
        billing: instance.billing.clone(),
        region: String::new(),
        target: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{decide, Outlook, SchedulerState};
    use super::*;
    use crate::schedule::Timeline;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn ec2(id: &str, state: InstanceState, launched: Option<&str>) -> Instance {
        Instance {
            kind: crate::resource::GroupKind::Ec2,
            id: id.to_owned(),
            name: id.to_owned(),
            schedule: "office".to_owned(),
            group: None,
            state,
            zone: None,
            hibernates: false,
            scale: None,
            place: None,
            billing: crate::resource::Billing::default(),
            launched: launched.map(at),
        }
    }

    fn reconcile(state: &SchedulerState, instances: &[Instance], now: &str) -> Decision {
        let office = crate::savings::office();
        let timeline = Timeline::new(&office, &[], &[]);
        let now = at(now);
        decide(&office, &Outlook::of(&timeline, now), state, instances, now)
    }

    #[test]
    fn a_stop_a_start_seen_at_its_launch_time_and_the_next_stop() {
        use InstanceState::{Running, Stopped};
        // Monday 19:00 KST: curfew stops both.
        let up = [ec2("a", Running, None), ec2("b", Running, None)];
        let stop = reconcile(&SchedulerState::default(), &up, "2026-12-07T10:00:00Z");
        let kinds: Vec<_> = stop
            .ledger
            .iter()
            .map(|e| (e.id.as_str(), e.action, e.origin))
            .collect();
        assert_eq!(
            kinds,
            [
                ("a", Action::Stop, Origin::Curfew),
                ("b", Action::Stop, Origin::Curfew)
            ]
        );
        assert_eq!(stop.state.stopped.len(), 2);

        // A person starts `a` at 22:00 KST; the next describe is Tuesday 09:00.
        let described = [
            ec2("a", Running, Some("2026-12-07T13:00:00Z")),
            ec2("b", Stopped, Some("2026-12-07T00:00:00Z")),
        ];
        let start = reconcile(&stop.state, &described, "2026-12-08T00:00:00Z");
        let seen: Vec<_> = start
            .ledger
            .iter()
            .map(|e| (e.id.as_str(), e.action, e.origin, e.at.to_rfc3339()))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "a",
                    Action::Start,
                    Origin::Seen,
                    "2026-12-07T13:00:00+00:00".to_owned()
                ),
                (
                    "b",
                    Action::Start,
                    Origin::Curfew,
                    "2026-12-08T00:00:00+00:00".to_owned()
                ),
            ],
            "a is running already: curfew starts only b"
        );
        assert!(start.state.stopped.is_empty());
    }

    #[test]
    fn what_curfew_stopped_is_stored_by_instant_and_read_back_the_same() {
        let mut state = SchedulerState::default();
        for id in ["a", "b"] {
            state
                .stopped
                .insert(id.to_owned(), at("2026-12-07T10:00:00Z"));
        }
        state
            .stopped
            .insert("c".to_owned(), at("2026-12-08T10:00:00Z"));
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(
            json["stopped"],
            serde_json::json!({"2026-12-07T10:00:00Z": ["a", "b"], "2026-12-08T10:00:00Z": ["c"]})
        );
        let back: SchedulerState = serde_json::from_value(json).unwrap();
        assert_eq!(back, state);
    }

    #[test]
    fn a_start_and_stop_by_hand_between_two_describes_ends_curfews_interval() {
        let mut state = SchedulerState::default();
        state
            .stopped
            .insert("a".to_owned(), at("2026-12-07T10:00:00Z"));
        // Started at 22:00 KST and stopped again before Tuesday's describe.
        let down = [ec2(
            "a",
            InstanceState::Stopped,
            Some("2026-12-07T13:00:00Z"),
        )];
        let decision = reconcile(&state, &down, "2026-12-08T00:00:00Z");
        let seen = decision
            .ledger
            .iter()
            .find(|e| e.origin == Origin::Seen)
            .unwrap();
        assert_eq!(
            (seen.action, seen.at),
            (Action::Start, at("2026-12-07T13:00:00Z"))
        );
        assert!(
            !decision.state.stopped.contains_key("a"),
            "the night after is not curfew's"
        );
    }

    #[test]
    fn a_launch_time_before_the_stop_dates_the_start_when_seen() {
        let mut state = SchedulerState::default();
        state
            .stopped
            .insert("a".to_owned(), at("2026-12-07T10:00:00Z"));
        let up = [ec2(
            "a",
            InstanceState::Running,
            Some("2026-12-07T00:00:00Z"),
        )];
        let decision = reconcile(&state, &up, "2026-12-08T00:00:00Z");
        assert_eq!(decision.ledger[0].origin, Origin::Seen);
        assert_eq!(decision.ledger[0].at, at("2026-12-08T00:00:00Z"));
    }
}

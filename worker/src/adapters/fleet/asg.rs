//! Auto Scaling groups (SPEC §5): found with one paginated
//! `DescribeAutoScalingGroups` filtered on the tag key; stopped by saving
//! min / desired / max in the group's tag `curfew:capacity` and then
//! setting min and desired to 0; started by restoring the capacity the
//! scheduler gives (its state's copy, else what this tag saved).
//!
//! The tag is written before the capacity changes, so a worker that dies
//! between the two leaves the group as it was, with its capacity saved; the
//! retry saves the same again. After a restore the tag is removed, so a
//! group a person scales to 0 later is told apart from one curfew stopped
//! (it is shown as "at 0 by hand" and left alone).

use super::{fleet_error, scaled_state, AwsFleet, Instance};
use aws_sdk_autoscaling::types::{AutoScalingGroup, Filter, LifecycleState, Tag};
use curfew_shared::ports::FleetError;
use curfew_shared::resource::{Billing, Capacity, GroupKind, InstanceState, Scale};
use curfew_shared::Action;

/// The tag that keeps a stopped group's capacity: `min,desired,max`.
pub const CAPACITY_TAG: &str = "curfew:capacity";

/// The group's capacity as AWS describes it (it always sends all three; a
/// group without them is not guessed at).
fn capacity_of(group: &AutoScalingGroup) -> Option<Capacity> {
    Some(Capacity {
        min: group.min_size()?,
        desired: group.desired_capacity()?,
        max: group.max_size()?,
    })
}

/// `min,desired,max`, as the tag holds it.
fn to_tag(capacity: Capacity) -> String {
    format!("{},{},{}", capacity.min, capacity.desired, capacity.max)
}

/// The tag's value; `None` unless three whole numbers, min ≤ desired ≤ max.
fn from_tag(text: &str) -> Option<Capacity> {
    let numbers: Vec<i32> = text
        .split(',')
        .map(|n| n.trim().parse().ok())
        .collect::<Option<_>>()?;
    let [min, desired, max] = numbers.as_slice() else {
        return None;
    };
    let capacity = Capacity {
        min: *min,
        desired: *desired,
        max: *max,
    };
    (0 <= capacity.min && capacity.min <= capacity.desired && capacity.desired <= capacity.max)
        .then_some(capacity)
}

/// Up when every desired instance is InService; see [`scaled_state`].
fn asg_state(group: &AutoScalingGroup, saved: bool) -> InstanceState {
    let Some(Capacity { min, desired, .. }) = capacity_of(group) else {
        return InstanceState::Other("capacity unknown".to_owned());
    };
    let in_service = group
        .instances()
        .iter()
        .filter(|i| i.lifecycle_state() == Some(&LifecycleState::InService))
        .count();
    let in_service = i32::try_from(in_service).unwrap_or(i32::MAX);
    scaled_state(desired, in_service, desired == 0 && min == 0, saved)
}

fn tag_value(group: &AutoScalingGroup, key: &str) -> Option<String> {
    AwsFleet::tag(group.tags().iter().map(|t| (t.key(), t.value())), key)
}

impl AwsFleet {
    /// Every group carrying the schedule tag key.
    pub(super) async fn describe_asgs(&self) -> Result<Vec<Instance>, FleetError> {
        let filter = Filter::builder()
            .name("tag-key")
            .values(&self.tags.schedule)
            .build();
        let mut pages = self
            .autoscaling
            .describe_auto_scaling_groups()
            .filters(filter)
            .max_records(100)
            .into_paginator()
            .send();
        let mut groups = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| fleet_error("DescribeAutoScalingGroups", &[], e))?;
            for group in page.auto_scaling_groups() {
                let (Some(name), Some(schedule)) = (
                    group.auto_scaling_group_name(),
                    tag_value(group, &self.tags.schedule),
                ) else {
                    continue;
                };
                let saved = tag_value(group, CAPACITY_TAG);
                groups.push(Instance {
                    kind: GroupKind::Asg,
                    id: name.to_owned(),
                    name: name.to_owned(),
                    schedule,
                    group: tag_value(group, &self.tags.group),
                    state: asg_state(group, saved.is_some()),
                    zone: None,
                    hibernates: false,
                    place: self.place(),
                    billing: Billing {
                        // What runs now: one entry per instance in service.
                        members: group
                            .instances()
                            .iter()
                            .filter(|i| i.lifecycle_state() == Some(&LifecycleState::InService))
                            .filter_map(|i| i.instance_type().map(str::to_owned))
                            .collect(),
                        ..Billing::default()
                    },
                    launched: None,
                    scale: capacity_of(group).map(|now| Scale {
                        now,
                        saved: saved.as_deref().and_then(from_tag),
                        arn: None,
                    }),
                });
            }
        }
        Ok(groups)
    }

    /// Stops one group (saves `capacity` in its tag, scales to 0) or
    /// starts it (restores `capacity`, removes the tag).
    pub(super) async fn scale_asg(
        &self,
        action: Action,
        name: &str,
        capacity: Capacity,
    ) -> Result<(), FleetError> {
        match action {
            Action::Stop => {
                self.tag_capacity(name, capacity).await?;
                self.resize(name, 0, 0, capacity.max).await
            }
            Action::Start => {
                self.resize(name, capacity.min, capacity.desired, capacity.max)
                    .await?;
                self.untag_capacity(name).await
            }
        }
    }

    fn capacity_tag(name: &str, value: Option<String>) -> Tag {
        Tag::builder()
            .resource_id(name)
            .resource_type("auto-scaling-group")
            .key(CAPACITY_TAG)
            .set_value(value)
            .propagate_at_launch(false)
            .build()
    }

    async fn tag_capacity(&self, name: &str, capacity: Capacity) -> Result<(), FleetError> {
        let ids = [name.to_owned()];
        self.autoscaling
            .create_or_update_tags()
            .tags(Self::capacity_tag(name, Some(to_tag(capacity))))
            .send()
            .await
            .map(drop)
            .map_err(|e| fleet_error("CreateOrUpdateTags", &ids, e))
    }

    async fn untag_capacity(&self, name: &str) -> Result<(), FleetError> {
        let ids = [name.to_owned()];
        self.autoscaling
            .delete_tags()
            .tags(Self::capacity_tag(name, None))
            .send()
            .await
            .map(drop)
            .map_err(|e| fleet_error("DeleteTags", &ids, e))
    }

    async fn resize(&self, name: &str, min: i32, desired: i32, max: i32) -> Result<(), FleetError> {
        let ids = [name.to_owned()];
        self.autoscaling
            .update_auto_scaling_group()
            .auto_scaling_group_name(name)
            .min_size(min)
            .desired_capacity(desired)
            .max_size(max)
            .send()
            .await
            .map(drop)
            .map_err(|e| fleet_error("UpdateAutoScalingGroup", &ids, e))
    }
}

#[cfg(test)]
mod tests {
    use super::{from_tag, to_tag, Capacity};

    #[test]
    fn the_capacity_tag_round_trips_and_refuses_what_it_cannot_restore() {
        let capacity = Capacity {
            min: 1,
            desired: 2,
            max: 4,
        };
        assert_eq!(to_tag(capacity), "1,2,4");
        assert_eq!(from_tag("1,2,4"), Some(capacity));
        assert_eq!(from_tag(" 1, 2 ,4"), Some(capacity));
        for bad in ["", "1,2", "1,2,3,4", "a,b,c", "3,2,4", "1,5,4", "-1,0,1"] {
            assert_eq!(from_tag(bad), None, "{bad:?}");
        }
    }
}

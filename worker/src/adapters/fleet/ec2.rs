//! EC2 instances: `DescribeInstances` filtered on the tag key, batched
//! `StartInstances` / `StopInstances` (a stop is a normal shutdown).
//! Instances an Auto Scaling group launched are left to their group.

use super::{fleet_error, AwsFleet, Instance};
use chrono::DateTime;
use curfew_shared::ports::FleetError;
use curfew_shared::resource::{Billing, GroupKind, InstanceState};
use curfew_shared::Action;

fn ec2_state(name: Option<&aws_sdk_ec2::types::InstanceStateName>) -> InstanceState {
    use aws_sdk_ec2::types::InstanceStateName as S;
    match name {
        Some(S::Running) => InstanceState::Running,
        Some(S::Stopped) => InstanceState::Stopped,
        Some(S::Pending) => InstanceState::Starting,
        Some(S::Stopping) | Some(S::ShuttingDown) => InstanceState::Stopping,
        Some(other) => InstanceState::Other(other.as_str().to_owned()),
        None => InstanceState::Other("unknown".to_owned()),
    }
}

/// The tag AWS puts on every instance an Auto Scaling group launches.
const ASG_MEMBER_TAG: &str = "aws:autoscaling:groupName";

impl AwsFleet {
    pub(super) async fn describe_ec2(
        &self,
        tag: Option<&str>,
    ) -> Result<Vec<Instance>, FleetError> {
        let filter = match tag {
            None => aws_sdk_ec2::types::Filter::builder()
                .name("tag-key")
                .values(&self.tags.schedule),
            Some(value) => aws_sdk_ec2::types::Filter::builder()
                .name(format!("tag:{}", self.tags.schedule))
                .values(value),
        }
        .build();
        let mut pages = self
            .ec2
            .describe_instances()
            .filters(filter)
            .max_results(1000)
            .into_paginator()
            .send();
        let mut instances = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| fleet_error("DescribeInstances", &[], e))?;
            for instance in page.reservations().iter().flat_map(|r| r.instances()) {
                let tag = |key: &str| {
                    Self::tag(instance.tags().iter().map(|t| (t.key(), t.value())), key)
                };
                let (Some(id), Some(schedule)) = (instance.instance_id(), tag(&self.tags.schedule))
                else {
                    continue;
                };
                // A member of an Auto Scaling group (which propagates its
                // tags) is scheduled through its group: stopped on its own,
                // the group would replace it.
                if tag(ASG_MEMBER_TAG).is_some() {
                    continue;
                }
                let state = ec2_state(instance.state().and_then(|s| s.name()));
                if state == InstanceState::Other("terminated".to_owned()) {
                    continue;
                }
                instances.push(Instance {
                    kind: GroupKind::Ec2,
                    id: id.to_owned(),
                    name: tag("Name").unwrap_or_else(|| id.to_owned()),
                    schedule,
                    group: tag(&self.tags.group),
                    state,
                    zone: instance
                        .placement()
                        .and_then(|p| p.availability_zone())
                        .map(str::to_owned),
                    hibernates: instance
                        .hibernation_options()
                        .and_then(|h| h.configured())
                        .unwrap_or(false),
                    place: self.place(),
                    billing: Billing {
                        class: instance.instance_type().map(|t| t.as_str().to_owned()),
                        ..Billing::default()
                    },
                    launched: instance
                        .launch_time()
                        .and_then(|t| DateTime::from_timestamp(t.secs(), t.subsec_nanos())),
                    scale: None,
                });
            }
        }
        Ok(instances)
    }

    /// Hibernates EC2 instances in one call (`StopInstances` with
    /// `Hibernate`): each must be configured for it.
    pub async fn hibernate_ec2(&self, ids: &[String]) -> Result<(), FleetError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.ec2
            .stop_instances()
            .set_instance_ids(Some(ids.to_vec()))
            .hibernate(true)
            .send()
            .await
            .map(drop)
            .map_err(|e| fleet_error("StopInstances", ids, e))
    }

    /// Starts or stops EC2 instances in one call (a stop is a normal
    /// shutdown, never `Force`).
    pub async fn act_ec2(&self, action: Action, ids: &[String]) -> Result<(), FleetError> {
        if ids.is_empty() {
            return Ok(());
        }
        let batch = Some(ids.to_vec());
        match action {
            Action::Start => self
                .ec2
                .start_instances()
                .set_instance_ids(batch)
                .send()
                .await
                .map(drop)
                .map_err(|e| fleet_error("StartInstances", ids, e)),
            Action::Stop => self
                .ec2
                .stop_instances()
                .set_instance_ids(batch)
                .send()
                .await
                .map(drop)
                .map_err(|e| fleet_error("StopInstances", ids, e)),
        }
    }
}

//! EC2 and RDS: find the scheduled instances, start and stop them.
//!
//! Describing is one paginated call per service for the whole fleet, filtered
//! on the schedule tag key (SPEC §6, cost of a tick): EC2 `DescribeInstances`
//! with a `tag-key` filter, RDS `DescribeDBInstances` whose `TagList` is in
//! the response. EC2 starts and stops are batched; RDS takes one instance a call.

use crate::error::aws_error;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use curfew_shared::ports::{Fleet, FleetError, PortFuture};
use curfew_shared::reply::InstanceState;
use curfew_shared::schedule::GroupKind;
use curfew_shared::Action;

pub use curfew_shared::reconcile::Instance;

/// The tag keys (`CURFEW_TAG_KEY`, `CURFEW_GROUP_TAG_KEY`).
#[derive(Debug, Clone)]
pub struct TagKeys {
    pub schedule: String,
    pub group: String,
}

impl Default for TagKeys {
    fn default() -> Self {
        Self {
            schedule: "ScheduleName".to_owned(),
            group: "ScheduleGroupName".to_owned(),
        }
    }
}

fn fleet_error<E>(
    operation: &'static str,
    ids: &[String],
    error: SdkError<E, HttpResponse>,
) -> FleetError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    FleetError {
        ids: ids.to_vec(),
        source: aws_error(operation, error),
    }
}

/// The EC2 and RDS clients of one account and region.
#[derive(Debug, Clone)]
pub struct AwsFleet {
    pub ec2: aws_sdk_ec2::Client,
    pub rds: aws_sdk_rds::Client,
    pub tags: TagKeys,
}

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

fn rds_state(status: Option<&str>) -> InstanceState {
    match status {
        Some("available") => InstanceState::Running,
        Some("stopped") => InstanceState::Stopped,
        Some("starting") => InstanceState::Starting,
        Some("stopping") => InstanceState::Stopping,
        Some(other) => InstanceState::Other(other.to_owned()),
        None => InstanceState::Other("unknown".to_owned()),
    }
}

impl AwsFleet {
    /// Every instance carrying the schedule tag: EC2 then RDS.
    pub async fn describe(&self) -> Result<Vec<Instance>, FleetError> {
        self.describe_where(None).await
    }

    /// The instances of one schedule tag value (for a chat command): EC2 is
    /// filtered by AWS, RDS here (RDS cannot filter on tags).
    pub async fn describe_schedule(&self, tag: &str) -> Result<Vec<Instance>, FleetError> {
        self.describe_where(Some(tag)).await
    }

    async fn describe_where(&self, tag: Option<&str>) -> Result<Vec<Instance>, FleetError> {
        let mut instances = self.describe_ec2(tag).await?;
        instances.extend(
            self.describe_rds()
                .await?
                .into_iter()
                .filter(|i| tag.is_none_or(|t| i.schedule == t)),
        );
        Ok(instances)
    }

    async fn describe_ec2(&self, tag: Option<&str>) -> Result<Vec<Instance>, FleetError> {
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
                    instance
                        .tags()
                        .iter()
                        .find(|t| t.key() == Some(key))
                        .and_then(|t| t.value())
                        .map(str::to_owned)
                };
                let (Some(id), Some(schedule)) = (instance.instance_id(), tag(&self.tags.schedule))
                else {
                    continue;
                };
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
                });
            }
        }
        Ok(instances)
    }

    async fn describe_rds(&self) -> Result<Vec<Instance>, FleetError> {
        let mut pages = self
            .rds
            .describe_db_instances()
            .max_records(100)
            .into_paginator()
            .send();
        let mut instances = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| fleet_error("DescribeDBInstances", &[], e))?;
            for db in page.db_instances() {
                let tag = |key: &str| {
                    db.tag_list()
                        .iter()
                        .find(|t| t.key() == Some(key))
                        .and_then(|t| t.value())
                        .map(str::to_owned)
                };
                let (Some(id), Some(schedule)) =
                    (db.db_instance_identifier(), tag(&self.tags.schedule))
                else {
                    continue;
                };
                instances.push(Instance {
                    kind: GroupKind::Rds,
                    id: id.to_owned(),
                    name: id.to_owned(),
                    schedule,
                    group: tag(&self.tags.group),
                    state: rds_state(db.db_instance_status()),
                    zone: db.availability_zone().map(str::to_owned),
                });
            }
        }
        Ok(instances)
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

    /// Starts or stops one RDS instance (RDS takes one a call).
    pub async fn act_rds(&self, action: Action, id: &str) -> Result<(), FleetError> {
        let ids = [id.to_owned()];
        match action {
            Action::Start => self
                .rds
                .start_db_instance()
                .db_instance_identifier(id)
                .send()
                .await
                .map(drop)
                .map_err(|e| fleet_error("StartDBInstance", &ids, e)),
            Action::Stop => self
                .rds
                .stop_db_instance()
                .db_instance_identifier(id)
                .send()
                .await
                .map(drop)
                .map_err(|e| fleet_error("StopDBInstance", &ids, e)),
        }
    }
}

/// The port: EC2 in batched calls, RDS one instance a call.
impl Fleet for AwsFleet {
    fn describe(&self) -> PortFuture<'_, Result<Vec<Instance>, FleetError>> {
        Box::pin(Self::describe(self))
    }

    fn describe_schedule<'a>(
        &'a self,
        tag: &'a str,
    ) -> PortFuture<'a, Result<Vec<Instance>, FleetError>> {
        Box::pin(Self::describe_schedule(self, tag))
    }

    fn act<'a>(
        &'a self,
        action: Action,
        kind: GroupKind,
        ids: &'a [String],
    ) -> PortFuture<'a, Result<(), FleetError>> {
        Box::pin(async move {
            match kind {
                GroupKind::Ec2 => self.act_ec2(action, ids).await,
                GroupKind::Rds => {
                    for id in ids {
                        self.act_rds(action, id).await?;
                    }
                    Ok(())
                }
            }
        })
    }
}

//! The scheduled resources of one account and region, by kind: find them
//! by their schedule tag, start and stop them (`ec2.rs`, `rds.rs`,
//! `asg.rs`, `ecs.rs`).
//!
//! Describing is one paginated call per service for the whole fleet, filtered
//! on the schedule tag key (SPEC §6, cost of a tick): EC2 `DescribeInstances`
//! with a `tag-key` filter, RDS `DescribeDBInstances` whose `TagList` is in
//! the response, and `DescribeDBClusters` only when some DB instance is a
//! cluster member (a cluster always has one), Auto Scaling groups with
//! `DescribeAutoScalingGroups` filtered on the tag key, and ECS services
//! (`ListClusters`, `ListServices`, `DescribeServices` with tags), the
//! services side by side. EC2 starts and stops are batched; the other kinds
//! take one resource a call, and the scaled ones (groups, services) act on
//! what the describe found, with no describe of their own.

mod asg;
mod ec2;
mod ecs;
mod pairs;
mod rds;

pub use asg::CAPACITY_TAG;
pub use ecs::DESIRED_TAG;
pub use pairs::{AwsFleets, SESSION_NAME};

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use curfew_aws::aws_error;
use curfew_shared::ports::{Fleet, FleetError, PortFuture};
use curfew_shared::resource::{Capacity, GroupKind, InstanceState};
use curfew_shared::Action;

use curfew_shared::resource::Instance;

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

/// The state of a resource curfew scales rather than stops (an Auto
/// Scaling group, an ECS service): up when `running` has reached
/// `desired`; at zero, stopped by curfew when its capacity is `saved` in
/// its tag (stopping while some still run), else a person's doing, left
/// alone.
fn scaled_state(desired: i32, running: i32, at_zero: bool, saved: bool) -> InstanceState {
    match (at_zero, saved) {
        (true, true) if running == 0 => InstanceState::Stopped,
        (true, true) => InstanceState::Stopping,
        (true, false) => InstanceState::Other("at 0 by hand".to_owned()),
        _ if running == desired => InstanceState::Running,
        _ if running < desired => InstanceState::Starting,
        _ => InstanceState::Stopping,
    }
}

/// A failed call, with the resources it was for.
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

/// The EC2, RDS, Auto Scaling and ECS clients of one account and region.
#[derive(Debug, Clone)]
pub struct AwsFleet {
    pub ec2: aws_sdk_ec2::Client,
    pub rds: aws_sdk_rds::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    pub ecs: aws_sdk_ecs::Client,
    pub tags: TagKeys,
    /// `account/region` outside the worker's own (see `Instance::place`).
    pub label: Option<String>,
}

impl AwsFleet {
    /// The clients of the account and region `sdk` points at.
    pub fn new(sdk: &aws_config::SdkConfig, tags: TagKeys) -> Self {
        Self {
            ec2: aws_sdk_ec2::Client::new(sdk),
            rds: aws_sdk_rds::Client::new(sdk),
            autoscaling: aws_sdk_autoscaling::Client::new(sdk),
            ecs: aws_sdk_ecs::Client::new(sdk),
            tags,
            label: None,
        }
    }

    /// The same clients, their resources labelled `label` in chat.
    pub fn labelled(self, label: Option<String>) -> Self {
        Self { label, ..self }
    }

    fn place(&self) -> Option<String> {
        self.label.clone()
    }

    /// Every instance carrying the schedule tag: EC2 then RDS.
    pub async fn describe(&self) -> Result<Vec<Instance>, FleetError> {
        self.describe_where(None).await
    }

    /// The instances of one schedule tag value (for a chat command): EC2 is
    /// filtered by AWS, RDS here (RDS cannot filter on tags).
    pub async fn describe_schedule(&self, tag: &str) -> Result<Vec<Instance>, FleetError> {
        self.describe_where(Some(tag)).await
    }

    /// EC2 is filtered on `tag` by AWS; the other kinds cannot be, so they
    /// are filtered here.
    async fn describe_where(&self, tag: Option<&str>) -> Result<Vec<Instance>, FleetError> {
        // The services do not wait for each other: a describing tick costs
        // the slowest of them, not their sum.
        let databases = async {
            let found = self.describe_rds().await?;
            let mut databases = found.instances;
            if !found.members.is_empty() {
                databases.extend(self.describe_rds_clusters(&found.members).await?);
            }
            Ok::<_, FleetError>(databases)
        };
        let (mut instances, databases, groups, services) = futures::try_join!(
            self.describe_ec2(tag),
            databases,
            self.describe_asgs(),
            self.describe_ecs(),
        )?;
        instances.extend(
            [databases, groups, services]
                .into_iter()
                .flatten()
                .filter(|i| tag.is_none_or(|t| i.schedule == t)),
        );
        Ok(instances)
    }

    /// The value of `key` among `tags` (every service tags with key/value pairs).
    fn tag<'t>(
        tags: impl IntoIterator<Item = (Option<&'t str>, Option<&'t str>)>,
        key: &str,
    ) -> Option<String> {
        tags.into_iter()
            .find(|(k, _)| *k == Some(key))
            .and_then(|(_, v)| v)
            .map(str::to_owned)
    }
}

/// The port: EC2 in batched calls, the other kinds one a call.
impl Fleet for AwsFleet {
    fn hibernate<'a>(&'a self, ids: &'a [String]) -> PortFuture<'a, Result<(), FleetError>> {
        Box::pin(self.hibernate_ec2(ids))
    }

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
            if kind == GroupKind::Ec2 {
                return self.act_ec2(action, ids).await;
            }
            for id in ids {
                match kind {
                    GroupKind::Ec2 => self.act_ec2(action, std::slice::from_ref(id)).await,
                    GroupKind::Rds => self.act_rds(action, id).await,
                    GroupKind::RdsCluster => self.act_rds_cluster(action, id).await,
                    GroupKind::Asg | GroupKind::Ecs => Err(FleetError::refused(
                        "act",
                        id,
                        format!(
                            "{id}: a {} is scaled, not started or stopped",
                            kind.as_str()
                        ),
                    )),
                }?;
            }
            Ok(())
        })
    }

    fn scale<'a>(
        &'a self,
        action: Action,
        instance: &'a Instance,
        capacity: Capacity,
    ) -> PortFuture<'a, Result<(), FleetError>> {
        Box::pin(async move {
            match instance.kind {
                GroupKind::Asg => self.scale_asg(action, &instance.id, capacity).await,
                GroupKind::Ecs => self.scale_ecs(action, instance, capacity).await,
                kind => Err(FleetError::refused(
                    "scale",
                    &instance.id,
                    format!("{}: a {} is not scaled", instance.id, kind.as_str()),
                )),
            }
        })
    }
}

//! ECS services (SPEC §5): every cluster's services (`ListClusters`,
//! `ListServices`, then `DescribeServices` with their tags, 10 a call),
//! those carrying the schedule tag. A stop saves the desired count in the
//! service's tag `curfew:desired` and then sets it to 0; a start restores
//! the count the scheduler gives (its state's copy, else this tag's) and
//! removes the tag. As with Auto Scaling groups, the tag is written first,
//! and a service at 0 without it is a person's doing.
//!
//! A service's id is `cluster/service` (its cluster's name and its own).

use super::{fleet_error, scaled_state, AwsFleet, Instance};
use aws_sdk_ecs::types::{Service, ServiceField, Tag};
use curfew_shared::ports::FleetError;
use curfew_shared::resource::{Capacity, GroupKind, InstanceState, Scale};
use curfew_shared::Action;

/// The tag that keeps a stopped service's desired count.
pub const DESIRED_TAG: &str = "curfew:desired";

/// Services in one `DescribeServices` call (the API's limit).
const DESCRIBE_BATCH: usize = 10;

fn tag_value(service: &Service, key: &str) -> Option<String> {
    AwsFleet::tag(service.tags().iter().map(|t| (t.key(), t.value())), key)
}

/// The desired count the tag saved, if it reads as one above zero.
fn saved_desired(service: &Service) -> Option<i32> {
    tag_value(service, DESIRED_TAG)?
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
}

/// Up when the running count has reached the desired one; see [`scaled_state`].
fn ecs_state(service: &Service) -> InstanceState {
    let (desired, running) = (service.desired_count(), service.running_count());
    let saved = tag_value(service, DESIRED_TAG).is_some();
    scaled_state(desired, running, desired == 0, saved)
}

impl AwsFleet {
    /// Every tagged service of every cluster.
    pub(super) async fn describe_ecs(&self) -> Result<Vec<Instance>, FleetError> {
        let mut clusters = self.ecs.list_clusters().into_paginator().items().send();
        let mut services = Vec::new();
        while let Some(cluster) = clusters.next().await {
            let cluster = cluster.map_err(|e| fleet_error("ListClusters", &[], e))?;
            let mut arns = Vec::new();
            let mut pages = self
                .ecs
                .list_services()
                .cluster(&cluster)
                .max_results(100)
                .into_paginator()
                .items()
                .send();
            while let Some(arn) = pages.next().await {
                arns.push(arn.map_err(|e| fleet_error("ListServices", &[], e))?);
            }
            for batch in arns.chunks(DESCRIBE_BATCH) {
                for service in self.describe_services(&cluster, batch).await? {
                    services.extend(self.scheduled(&service));
                }
            }
        }
        Ok(services)
    }

    async fn describe_services(
        &self,
        cluster: &str,
        names: &[String],
    ) -> Result<Vec<Service>, FleetError> {
        self.ecs
            .describe_services()
            .cluster(cluster)
            .set_services(Some(names.to_vec()))
            .include(ServiceField::Tags)
            .send()
            .await
            .map(|out| out.services.unwrap_or_default())
            .map_err(|e| fleet_error("DescribeServices", names, e))
    }

    /// The service as a scheduled resource, if it carries the schedule tag.
    fn scheduled(&self, service: &Service) -> Option<Instance> {
        let schedule = tag_value(service, &self.tags.schedule)?;
        let name = service.service_name()?;
        let cluster = service.cluster_arn()?.rsplit('/').next()?;
        Some(Instance {
            kind: GroupKind::Ecs,
            id: format!("{cluster}/{name}"),
            name: name.to_owned(),
            schedule,
            group: tag_value(service, &self.tags.group),
            state: ecs_state(service),
            zone: None,
            hibernates: false,
            place: self.place(),
            billing: Default::default(),
            launched: None,
            scale: Some(Scale {
                now: Capacity::service(service.desired_count()),
                saved: saved_desired(service).map(Capacity::service),
                arn: service.service_arn().map(str::to_owned),
            }),
        })
    }

    /// Stops one service (saves the desired count of `capacity` in its
    /// tag, sets 0) or starts it (sets that count, removes the tag).
    pub(super) async fn scale_ecs(
        &self,
        action: Action,
        service: &Instance,
        capacity: Capacity,
    ) -> Result<(), FleetError> {
        let id = service.id.as_str();
        let Some((cluster, name)) = id.split_once('/') else {
            return Err(FleetError::refused(
                "UpdateService",
                id,
                format!("{id:?} is not cluster/service"),
            ));
        };
        let Some(arn) = service.scale.as_ref().and_then(|s| s.arn.as_deref()) else {
            return Err(FleetError::refused(
                "TagResource",
                id,
                format!("{id} was described without its ARN"),
            ));
        };
        match action {
            Action::Stop => {
                self.tag_desired(id, arn, capacity.desired).await?;
                self.set_desired(id, cluster, name, 0).await
            }
            Action::Start => {
                self.set_desired(id, cluster, name, capacity.desired)
                    .await?;
                let ids = [id.to_owned()];
                self.ecs
                    .untag_resource()
                    .resource_arn(arn)
                    .tag_keys(DESIRED_TAG)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|e| fleet_error("UntagResource", &ids, e))
            }
        }
    }

    async fn tag_desired(&self, id: &str, arn: &str, desired: i32) -> Result<(), FleetError> {
        let ids = [id.to_owned()];
        self.ecs
            .tag_resource()
            .resource_arn(arn)
            .tags(
                Tag::builder()
                    .key(DESIRED_TAG)
                    .value(desired.to_string())
                    .build(),
            )
            .send()
            .await
            .map(drop)
            .map_err(|e| fleet_error("TagResource", &ids, e))
    }

    async fn set_desired(
        &self,
        id: &str,
        cluster: &str,
        name: &str,
        desired: i32,
    ) -> Result<(), FleetError> {
        let ids = [id.to_owned()];
        self.ecs
            .update_service()
            .cluster(cluster)
            .service(name)
            .desired_count(desired)
            .send()
            .await
            .map(drop)
            .map_err(|e| fleet_error("UpdateService", &ids, e))
    }
}

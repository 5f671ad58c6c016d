//! RDS: DB instances (`DescribeDBInstances`, whose `TagList` is in the
//! answer) and Aurora / DocumentDB / Neptune clusters
//! (`DescribeDBClusters`, likewise). A cluster member is never acted on
//! alone: AWS refuses it, and the cluster is the unit that stops.

use super::{fleet_error, AwsFleet, Instance};
use curfew_shared::ports::FleetError;
use curfew_shared::resource::{Billing, GroupKind, InstanceState};
use curfew_shared::Action;
use std::collections::BTreeMap;

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

/// The tagged DB instances, and the classes of every cluster's members
/// (tagged or not): only when there are some are clusters described, and
/// a cluster is priced by them.
pub(super) struct Databases {
    pub(super) instances: Vec<Instance>,
    pub(super) members: BTreeMap<String, Vec<String>>,
}

impl AwsFleet {
    /// Every tagged DB instance that is not a cluster member.
    pub(super) async fn describe_rds(&self) -> Result<Databases, FleetError> {
        let mut pages = self
            .rds
            .describe_db_instances()
            .max_records(100)
            .into_paginator()
            .send();
        let mut found = Databases {
            instances: Vec::new(),
            members: BTreeMap::new(),
        };
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| fleet_error("DescribeDBInstances", &[], e))?;
            for db in page.db_instances() {
                if let Some(cluster) = db.db_cluster_identifier() {
                    let classes = found.members.entry(cluster.to_owned()).or_default();
                    classes.extend(db.db_instance_class().map(str::to_owned));
                    continue;
                }
                let tags = || db.tag_list().iter().map(|t| (t.key(), t.value()));
                let (Some(id), Some(schedule)) = (
                    db.db_instance_identifier(),
                    Self::tag(tags(), &self.tags.schedule),
                ) else {
                    continue;
                };
                found.instances.push(Instance {
                    kind: GroupKind::Rds,
                    id: id.to_owned(),
                    name: id.to_owned(),
                    schedule,
                    group: Self::tag(tags(), &self.tags.group),
                    state: rds_state(db.db_instance_status()),
                    zone: db.availability_zone().map(str::to_owned),
                    hibernates: false,
                    place: self.place(),
                    billing: Billing {
                        class: db.db_instance_class().map(str::to_owned),
                        engine: db.engine().map(str::to_owned),
                        multi_az: db.multi_az().unwrap_or(false),
                        members: Vec::new(),
                    },
                    launched: None,
                    scale: None,
                });
            }
        }
        Ok(found)
    }

    /// Every tagged cluster (Aurora, DocumentDB, Neptune: one API).
    /// `members`: each cluster's members' classes, from [`Self::describe_rds`].
    pub(super) async fn describe_rds_clusters(
        &self,
        members: &BTreeMap<String, Vec<String>>,
    ) -> Result<Vec<Instance>, FleetError> {
        let mut pages = self
            .rds
            .describe_db_clusters()
            .max_records(100)
            .into_paginator()
            .send();
        let mut clusters = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| fleet_error("DescribeDBClusters", &[], e))?;
            for cluster in page.db_clusters() {
                let tags = || cluster.tag_list().iter().map(|t| (t.key(), t.value()));
                let (Some(id), Some(schedule)) = (
                    cluster.db_cluster_identifier(),
                    Self::tag(tags(), &self.tags.schedule),
                ) else {
                    continue;
                };
                clusters.push(Instance {
                    kind: GroupKind::RdsCluster,
                    id: id.to_owned(),
                    name: id.to_owned(),
                    schedule,
                    group: Self::tag(tags(), &self.tags.group),
                    state: rds_state(cluster.status()),
                    zone: None,
                    hibernates: false,
                    place: self.place(),
                    billing: Billing {
                        engine: cluster.engine().map(str::to_owned),
                        members: members.get(id).cloned().unwrap_or_default(),
                        ..Billing::default()
                    },
                    launched: None,
                    scale: None,
                });
            }
        }
        Ok(clusters)
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

    /// Starts or stops one cluster (with all its members).
    pub(super) async fn act_rds_cluster(&self, action: Action, id: &str) -> Result<(), FleetError> {
        let ids = [id.to_owned()];
        match action {
            Action::Start => self
                .rds
                .start_db_cluster()
                .db_cluster_identifier(id)
                .send()
                .await
                .map(drop)
                .map_err(|e| fleet_error("StartDBCluster", &ids, e)),
            Action::Stop => self
                .rds
                .stop_db_cluster()
                .db_cluster_identifier(id)
                .send()
                .await
                .map(drop)
                .map_err(|e| fleet_error("StopDBCluster", &ids, e)),
        }
    }
}

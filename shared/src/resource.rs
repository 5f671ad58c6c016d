//! The resources curfew schedules, their kinds, as the fleet describes
//! them and as replies and decisions name them. Both `reconcile` (which decides on
//! them) and `reply` (which shows them) use these; neither owns them.

use serde::{Deserialize, Serialize};

/// What a group holds (SPEC §5, resource kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupKind {
    /// EC2 instances.
    Ec2,
    /// RDS DB instances that are not cluster members.
    Rds,
    /// Aurora, DocumentDB and Neptune clusters, stopped and started whole.
    RdsCluster,
    /// Auto Scaling groups: scaled to 0 and back to their saved capacity.
    Asg,
    /// ECS services: desired count to 0 and back to the saved count.
    Ecs,
}

impl GroupKind {
    /// Every kind, in the order replies list them.
    pub const ALL: [Self; 5] = [Self::Ec2, Self::Rds, Self::RdsCluster, Self::Asg, Self::Ecs];

    /// As the schedules file writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ec2 => "ec2",
            Self::Rds => "rds",
            Self::RdsCluster => "rds-cluster",
            Self::Asg => "asg",
            Self::Ecs => "ecs",
        }
    }

    /// The kind the schedules file names (`ec2`, `rds`, `rds-cluster`, `asg`,
    /// `ecs`; any case).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(text))
    }
}

/// One scheduled instance, as the fleet adapter describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub kind: GroupKind,
    /// EC2 instance id or RDS DB instance identifier.
    pub id: String,
    /// The `Name` tag (EC2) or the identifier (RDS).
    pub name: String,
    /// The schedule tag's value.
    pub schedule: String,
    /// The group tag's value, if any.
    pub group: Option<String>,
    pub state: InstanceState,
    /// The availability zone, for notifications.
    pub zone: Option<String>,
    /// EC2 only: configured for hibernation (`HibernationOptions.Configured`).
    pub hibernates: bool,
    /// Auto Scaling groups and ECS services: their size now and as saved.
    pub scale: Option<Scale>,
    /// Where it is when that is not the worker's own account and region
    /// (`account/region`, SPEC §5 Targets): chat shows it beside the name.
    pub place: Option<String>,
    /// What its on-demand price depends on (SPEC §6 Savings).
    pub billing: Billing,
    /// EC2 only: its last start (`LaunchTime`, which every start resets),
    /// so a start curfew did not make is dated when it happened, not when
    /// a describe first saw it.
    pub launched: Option<chrono::DateTime<chrono::Utc>>,
}

/// What a resource's on-demand price depends on, as its describe says it
/// (the ledger keeps it with every start and stop, so a month is priced
/// as the resource was then).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Billing {
    /// EC2 instance type (`t3.micro`), RDS DB instance class (`db.t3.medium`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// RDS engine as AWS names it (`postgres`, `mysql`, `aurora-mysql`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// RDS: a Multi-AZ deployment (priced as such).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub multi_az: bool,
    /// What a resource made of others costs: an Aurora cluster's member
    /// instances' classes, an Auto Scaling group's instances' types (one
    /// entry per instance).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// What curfew needs to scale a resource to zero and back (an Auto
/// Scaling group, an ECS service) rather than stop it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    /// As described now: what a stop saves.
    pub now: Capacity,
    /// As the resource's own tag saved it at curfew's last stop, if it is
    /// there and reads as a capacity: what a start restores when the
    /// scheduler state has no copy (SPEC §5: "a lost state still restores").
    pub saved: Option<Capacity>,
    /// ECS: the service's ARN, which its tags are written on (a group is
    /// tagged by its name).
    pub arn: Option<String>,
}

/// A scaled resource's size. An ECS service has a desired count only:
/// its `min` and `max` are that count too ([`Capacity::service`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    pub min: i32,
    pub desired: i32,
    pub max: i32,
}

impl Capacity {
    /// An ECS service's desired count.
    pub const fn service(desired: i32) -> Self {
        Self {
            min: desired,
            desired,
            max: desired,
        }
    }

    /// Scaled to zero: nothing wanted and nothing kept running.
    pub const fn is_zero(self) -> bool {
        self.min == 0 && self.desired == 0
    }
}

impl Instance {
    pub fn reference(&self) -> InstanceRef {
        InstanceRef {
            name: self.shown_name(),
            id: self.id.clone(),
        }
    }

    /// Name, id and zone, as a notification lists it.
    pub fn placed(&self) -> Placed {
        Placed {
            name: self.shown_name(),
            id: self.id.clone(),
            zone: self.zone.clone(),
        }
    }

    /// The name as chat shows it: with `[account/region]` outside the
    /// worker's own account and region, so two accounts' `web-1` differ.
    pub fn shown_name(&self) -> String {
        match &self.place {
            Some(place) => format!("{} [{place}]", self.name),
            None => self.name.clone(),
        }
    }
}

/// EC2 and RDS states folded into what a person cares about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceState {
    /// EC2 `running`, RDS `available`.
    Running,
    /// EC2 `stopped`, RDS `stopped`.
    Stopped,
    /// EC2 `pending`, RDS `starting`.
    Starting,
    /// EC2 `stopping`, RDS `stopping`.
    Stopping,
    /// Anything else, as AWS names it (`terminated`, `modifying`, ...).
    Other(String),
}

/// An instance as a reply names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceRef {
    pub name: String,
    pub id: String,
}

/// An instance as a notification names it: with its availability zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    pub name: String,
    pub id: String,
    pub zone: Option<String>,
}

/// A group that cannot act yet, and the groups it waits on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupWait {
    pub group: String,
    /// The groups it waits on.
    pub on: Vec<String>,
}

//! The resources curfew schedules, as the fleet describes them and as
//! replies and decisions name them. Both `reconcile` (which decides on
//! them) and `reply` (which shows them) use these; neither owns them.

use crate::schedule::GroupKind;
use serde::{Deserialize, Serialize};

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
}

impl Instance {
    pub fn reference(&self) -> InstanceRef {
        InstanceRef {
            name: self.name.clone(),
            id: self.id.clone(),
        }
    }

    /// Name, id and zone, as a notification lists it.
    pub fn placed(&self) -> Placed {
        Placed {
            name: self.name.clone(),
            id: self.id.clone(),
            zone: self.zone.clone(),
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

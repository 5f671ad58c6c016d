//! One line of the ledger: a start or stop of one resource.

use crate::resource::{Billing, GroupKind};
use crate::Action;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A start or stop of one resource, with what its price depends on then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// EC2 instance id, DB identifier, group name, `cluster/service`.
    pub id: String,
    /// As chat shows it.
    pub name: String,
    pub kind: GroupKind,
    pub action: Action,
    pub origin: Origin,
    /// When it happened: the instant curfew acted, or for a start curfew
    /// saw, the instance's own launch time where AWS gives one.
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub billing: Billing,
    /// The region it is in (the worker fills it in from the pair).
    #[serde(default)]
    pub region: String,
    /// The `[[target]]` it was reached through; empty: the worker's own account.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
}

/// Who made a start or stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// curfew's own call.
    Curfew,
    /// Found by a describe: a person, or AWS's 7-day restart of a DB.
    Seen,
}

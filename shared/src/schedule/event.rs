//! One start or stop of a schedule, and where it comes from: what the
//! timeline (`timeline.rs`) lists and override windows (`windows/`)
//! hand back, so both read it from here.

use crate::Action;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an event comes from; the order is the precedence at equal instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Schedule,
    Exception,
    Override,
}

impl Source {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Schedule => "schedule",
            Self::Exception => "exception",
            Self::Override => "override",
        }
    }
}

/// One start or stop of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub action: Action,
    pub source: Source,
}

impl Event {
    /// The instant a steady state is dated at: it has no edge of its own,
    /// and a fixed instant lets the scheduler record it as applied once.
    pub const STEADY_AT: DateTime<Utc> = DateTime::UNIX_EPOCH;

    /// The desired state of a schedule with no event in the look-back (SPEC
    /// §6.5): `Start` where its periods cover the instant, else `Stop`.
    pub const fn steady(action: Action) -> Self {
        Self {
            at: Self::STEADY_AT,
            action,
            source: Source::Schedule,
        }
    }

    /// Whether this is a [`Self::steady`] state rather than an edge in time.
    pub fn is_steady(&self) -> bool {
        self.at == Self::STEADY_AT
    }
}

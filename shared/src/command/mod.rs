//! The chat command grammar of SPEC §3: what a JANDI message asks curfew to do.
//!
//! [`parse`] turns the text of a message (`/서버 dev exception set 2026-12-24
//! stop 15:00`) into a [`Command`]; `Display` renders a command back into its
//! canonical text, and parsing that text gives the same command again. Dates
//! stay unresolved ([`DateArg::Today`]) until the worker knows the schedule's
//! time zone: the ingress that parses does not.

mod error;
mod parse;
mod render;
mod usage;

pub use error::{Argument, CommandError};
pub use parse::parse;
pub use usage::Usage;

use crate::savings::Month;
use crate::value::{DateArg, ForceEnd};
use crate::Action;
use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// One parsed chat command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// `help`, or a bare `/<kw>`.
    Help,
    /// `list`: every schedule, one line each.
    List,
    /// `<schedule> <op>`.
    Schedule { schedule: String, op: ScheduleOp },
    /// `savings [MONTH]`: every schedule's savings (`None`: this month).
    Savings { month: Option<Month> },
}

/// What a command does to (or asks of) one schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ScheduleOp {
    Status,
    Info {
        date: DateArg,
    },
    ExceptionInfo {
        date: DateArg,
    },
    /// `time: None` removes that date's start (or stop).
    ExceptionSet {
        date: DateArg,
        action: Action,
        time: Option<NaiveTime>,
    },
    ExceptionDel {
        date: DateArg,
        action: Action,
    },
    /// `force_start [for|until ...]`: running now, and with an end the
    /// schedule takes over again there.
    ForceStart {
        end: Option<ForceEnd>,
    },
    /// `force_stop [for|until ...]`, the same the other way round. (`end`
    /// defaults to `None`: jobs queued before it existed read as before.)
    ForceStop {
        #[serde(default)]
        end: Option<ForceEnd>,
    },
    Next,
    History,
    /// `holidays [YEAR]`: the days off the schedule skips (`None`: this year).
    Holidays {
        year: Option<i32>,
    },
    /// `savings [MONTH]` of one schedule (`None`: this month).
    Savings {
        month: Option<Month>,
    },
}

impl Command {
    /// The schedule a command concerns, if any: it becomes the FIFO group.
    pub fn schedule(&self) -> Option<&str> {
        match self {
            Self::Schedule { schedule, .. } => Some(schedule),
            Self::Help | Self::List | Self::Savings { .. } => None,
        }
    }

    /// Mutating commands are limited by `CURFEW_ADMINS` and recorded in the audit log.
    pub fn is_mutating(&self) -> bool {
        matches!(self, Self::Schedule { op, .. } if op.is_mutating())
    }
}

impl ScheduleOp {
    /// See [`Command::is_mutating`].
    pub const fn is_mutating(&self) -> bool {
        matches!(
            self,
            Self::ExceptionSet { .. }
                | Self::ExceptionDel { .. }
                | Self::ForceStart { .. }
                | Self::ForceStop { .. }
        )
    }

    /// The usage line that belongs to this operation.
    pub const fn usage(&self) -> Usage {
        match self {
            Self::Status => Usage::Status,
            Self::Info { .. } => Usage::Info,
            Self::ExceptionInfo { .. } => Usage::ExceptionInfo,
            Self::ExceptionSet { .. } => Usage::ExceptionSet,
            Self::ExceptionDel { .. } => Usage::ExceptionDel,
            Self::ForceStart { .. } => Usage::ForceStart,
            Self::ForceStop { .. } => Usage::ForceStop,
            Self::Next => Usage::Next,
            Self::History => Usage::History,
            Self::Holidays { .. } => Usage::Holidays,
            Self::Savings { .. } => Usage::Savings,
        }
    }
}

#[cfg(test)]
mod tests;

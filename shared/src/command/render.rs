//! [`Command`] → canonical text. `parse(&cmd.to_string()) == Ok(cmd)`.

use super::{Command, ForceEnd, ScheduleOp};

impl std::fmt::Display for Command {
    /// The arguments after `/<kw>`, in canonical form (full command names, no aliases).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Help => f.write_str("help"),
            Self::List => f.write_str("list"),
            Self::Schedule { schedule, op } => write!(f, "{schedule} {op}"),
        }
    }
}

impl std::fmt::Display for ScheduleOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Status => f.write_str("status"),
            Self::Info { date } => write!(f, "info {date}"),
            Self::ExceptionInfo { date } => write!(f, "exception info {date}"),
            Self::ExceptionSet {
                date,
                action,
                time: Some(time),
            } => {
                write!(f, "exception set {date} {action} {}", time.format("%H:%M"))
            }
            Self::ExceptionSet {
                date,
                action,
                time: None,
            } => {
                write!(f, "exception set {date} {action} None")
            }
            Self::ExceptionDel { date, action } => write!(f, "exception del {date} {action}"),
            Self::ForceStart { end: None } => f.write_str("force_start"),
            Self::ForceStart {
                end: Some(ForceEnd::For(duration)),
            } => {
                write!(f, "force_start for {duration}")
            }
            Self::ForceStart {
                end: Some(ForceEnd::Until(time)),
            } => {
                write!(f, "force_start until {}", time.format("%H:%M"))
            }
            Self::ForceStop => f.write_str("force_stop"),
            Self::Next => f.write_str("next"),
            Self::History => f.write_str("history"),
        }
    }
}

//! [`Command`] → canonical text. `parse(&cmd.to_string()) == Ok(cmd)`.

use super::{Command, ForceEnd, ScheduleOp};
use crate::savings::Month;

impl std::fmt::Display for Command {
    /// The arguments after `/<kw>`, in canonical form (full command names, no aliases).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Help => f.write_str("help"),
            Self::List => f.write_str("list"),
            Self::Savings { month } => write_savings(f, *month),
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
            Self::ForceStart { end } => write_force(f, "force_start", end.as_ref()),
            Self::ForceStop { end } => write_force(f, "force_stop", end.as_ref()),
            Self::Next => f.write_str("next"),
            Self::History => f.write_str("history"),
            Self::Holidays { year: None } => f.write_str("holidays"),
            Self::Holidays { year: Some(year) } => write!(f, "holidays {year}"),
            Self::Savings { month } => write_savings(f, *month),
        }
    }
}

fn write_savings(f: &mut std::fmt::Formatter<'_>, month: Option<Month>) -> std::fmt::Result {
    f.write_str("savings")?;
    match month {
        None => Ok(()),
        Some(month) => write!(f, " {month}"),
    }
}

fn write_force(
    f: &mut std::fmt::Formatter<'_>,
    word: &str,
    end: Option<&ForceEnd>,
) -> std::fmt::Result {
    f.write_str(word)?;
    match end {
        None => Ok(()),
        Some(end) => write!(f, " {end}"),
    }
}

impl std::fmt::Display for ForceEnd {
    /// `for 2h`, `until 23:00`, `until 2026-12-26 09:00`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::For(duration) => write!(f, "for {duration}"),
            Self::Until(time) => write!(f, "until {}", time.format("%H:%M")),
            Self::UntilOn { date, time } => write!(f, "until {date} {}", time.format("%H:%M")),
        }
    }
}

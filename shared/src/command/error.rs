//! Why a chat command could not be parsed, with the usage line to show.

use super::Usage;
use crate::value::ValueError;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A syntax error in a chat command. Every variant carries the usage line of
/// the command the writer was typing, so the reply can show how to write it.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum CommandError {
    #[error("unknown command {word:?}")]
    UnknownCommand { word: String, usage: Usage },
    #[error("missing {what}")]
    MissingArgument { what: Argument, usage: Usage },
    #[error("unexpected {word:?} after the command")]
    UnexpectedArgument { word: String, usage: Usage },
    #[error("bad {what} {input:?}: {reason}")]
    BadValue {
        what: Argument,
        input: String,
        reason: ValueError,
        usage: Usage,
    },
    /// A control character (other than spaces, tabs and line breaks): no
    /// one types those, and they would end up in names and logs.
    #[error("the command contains a control character (U+{code:04X})")]
    ControlCharacter { code: u32, usage: Usage },
}

impl CommandError {
    /// The usage line to show with the error.
    pub const fn usage(&self) -> Usage {
        match self {
            Self::UnknownCommand { usage, .. }
            | Self::MissingArgument { usage, .. }
            | Self::UnexpectedArgument { usage, .. }
            | Self::BadValue { usage, .. }
            | Self::ControlCharacter { usage, .. } => *usage,
        }
    }
}

/// A slot of the grammar, named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Argument {
    /// The command after the schedule name (`status`, `info`, ...).
    Command,
    /// `info`, `set` or `del` after `exception`.
    ExceptionCommand,
    Date,
    /// `start` or `stop`.
    Action,
    Time,
    Duration,
    /// `for` or `until` after `force_start`.
    ForceEnd,
    /// `YYYY-MM` after `savings`.
    Month,
    /// `YYYY` after `holidays`.
    Year,
}

impl Argument {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Command => "command",
            Self::ExceptionCommand => "exception command (info, set, del)",
            Self::Date => "date",
            Self::Action => "start|stop",
            Self::Time => "time",
            Self::Duration => "duration",
            Self::ForceEnd => "for|until",
            Self::Month => "month",
            Self::Year => "year",
        }
    }
}

impl std::fmt::Display for Argument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

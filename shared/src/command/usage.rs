//! Usage lines: what an error shows so the writer can type it right.

use serde::{Deserialize, Serialize};

/// Which command's usage line an error carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Usage {
    /// The overview: `/<kw> <schedule> <command>`.
    General,
    Help,
    List,
    Status,
    Info,
    /// `exception` with no or an unknown sub-command.
    Exception,
    ExceptionInfo,
    ExceptionSet,
    ExceptionDel,
    ForceStart,
    ForceStop,
    Next,
    History,
    Holidays,
    /// `[<schedule>] savings [MONTH]`.
    Savings,
}

impl Usage {
    /// Every usage line, in the order `help` lists them.
    pub const ALL: [Self; 13] = [
        Self::Help,
        Self::List,
        Self::Status,
        Self::Info,
        Self::ExceptionInfo,
        Self::ExceptionSet,
        Self::ExceptionDel,
        Self::ForceStart,
        Self::ForceStop,
        Self::Next,
        Self::History,
        Self::Holidays,
        Self::Savings,
    ];

    /// The arguments after `/<kw>`, language-neutral: this is the grammar itself.
    pub const fn pattern(self) -> &'static str {
        match self {
            Self::General => {
                "<schedule> status|info|exception|force_start|force_stop|next|history|holidays|savings"
            }
            Self::Help => "help",
            Self::List => "list",
            Self::Status => "<schedule> status|s",
            Self::Info => "<schedule> info|i [DATE]",
            Self::Exception => "<schedule> exception|e info|set|del ...",
            Self::ExceptionInfo => "<schedule> exception|e info|i [DATE]",
            Self::ExceptionSet => "<schedule> exception|e set|s DATE start|stop TIME|None",
            Self::ExceptionDel => "<schedule> exception|e del|d DATE start|stop",
            Self::ForceStart => "<schedule> force_start [for DURATION | until [DATE] TIME]",
            Self::ForceStop => "<schedule> force_stop [for DURATION | until [DATE] TIME]",
            Self::Next => "<schedule> next",
            Self::History => "<schedule> history",
            Self::Holidays => "<schedule> holidays [YEAR]",
            Self::Savings => "[<schedule>] savings [MONTH]",
        }
    }

    /// The full line with the team's keyword, e.g. `/서버 <schedule> status|s`.
    pub fn line(self, keyword: &str) -> String {
        format!("/{} {}", keyword.trim_start_matches('/'), self.pattern())
    }
}

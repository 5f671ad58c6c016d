//! The two things a schedule ever does to its servers.

use serde::{Deserialize, Serialize};

/// Start or stop: the kind of a timeline event, of an exception, of an override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Start,
    Stop,
}

impl Action {
    /// The word used in chat commands and in `--json` output.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
        }
    }

    /// Parses `start` / `stop` in any case.
    pub fn parse(word: &str) -> Option<Self> {
        if word.eq_ignore_ascii_case("start") {
            Some(Self::Start)
        } else if word.eq_ignore_ascii_case("stop") {
            Some(Self::Stop)
        } else {
            None
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

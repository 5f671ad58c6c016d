//! The chat fronts a command can come from (SPEC §4): its reply goes back
//! the same way, and `history` says which.

use serde::{Deserialize, Serialize};

/// JANDI or Slack.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Front {
    #[default]
    Jandi,
    Slack,
}

impl Front {
    pub const fn is_jandi(&self) -> bool {
        matches!(self, Self::Jandi)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Jandi => "jandi",
            Self::Slack => "slack",
        }
    }
}

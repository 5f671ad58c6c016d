//! The chat fronts a command can come from (SPEC §4): its reply goes back
//! the same way, and `history` says which; and how a room or channel is
//! compared wherever one is named ([`room_key`]).

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

/// A room or channel as curfew compares it (SPEC §4.2): without `#`, in
/// lower case, so `#Dev`, `dev` and `DEV` are one channel (an id such as
/// `C0123ABC` compares the same way). Schedules' `rooms` and the Slack
/// channel webhooks both match by it.
pub fn room_key(room: &str) -> String {
    room.trim().trim_start_matches('#').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::room_key;

    #[test]
    fn hash_case_and_blanks_do_not_matter() {
        for room in ["dev", "#dev", "#Dev", " DEV "] {
            assert_eq!(room_key(room), "dev", "{room:?}");
        }
        assert_eq!(room_key("C0123ABC"), "c0123abc");
    }
}

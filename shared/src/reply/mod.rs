//! Replies (SPEC §3): plain data in [`view`], rendered into JANDI messages in
//! Korean (the seed's 서버병 voice, the default) or English.

pub mod view;

pub use view::*;

use serde::{Deserialize, Serialize};

/// The reply language, from `CURFEW_LANG`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    /// `ko` or `en` (any case); anything else is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ko" => Some(Self::Ko),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

//! What a reply says, ready for any chat front: a tone, a body line and
//! titled blocks of text (lists go in blocks, not in the body). The views
//! in this module become cards, in ko or en; each front renders a card in
//! its own wire shape (JANDI's `body` / `connectColor` / `connectInfo` in
//! `crate::jandi`), so a new front adds a renderer and nothing else.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How the reply reads: all went well, something needs an eye, or
/// something failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Ok,
    Warning,
    Error,
}

/// One reply or notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub tone: Tone,
    pub body: String,
    pub blocks: Vec<Block>,
    /// What the reader may do about it at once, where the front can offer
    /// it (Slack's buttons; JANDI shows none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<Offer>,
}

/// One offered command: a button's label, the command typing it would
/// give (without the keyword), good until `until` (a warning's offers
/// expire at the stop they are about, shown as `stop`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub label: String,
    pub command: String,
    pub until: DateTime<Utc>,
    pub stop: String,
}

/// A titled block of text under the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub title: String,
    pub text: String,
}

impl Card {
    pub fn new(tone: Tone, body: impl Into<String>) -> Self {
        Self {
            tone,
            body: body.into(),
            blocks: Vec::new(),
            offers: Vec::new(),
        }
    }

    /// Adds an offer.
    #[must_use]
    pub fn offer(mut self, offer: Offer) -> Self {
        self.offers.push(offer);
        self
    }

    /// Adds a block.
    #[must_use]
    pub fn block(mut self, title: impl Into<String>, text: impl Into<String>) -> Self {
        self.blocks.push(Block {
            title: title.into(),
            text: text.into(),
        });
        self
    }
}

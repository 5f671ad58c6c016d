//! What a reply says, ready for any chat front: a tone, a body line and
//! titled blocks of text (lists go in blocks, not in the body). The views
//! in this module become cards, in ko or en; each front renders a card in
//! its own wire shape (JANDI's `body` / `connectColor` / `connectInfo` in
//! `crate::jandi`), so a new front adds a renderer and nothing else.

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
        }
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

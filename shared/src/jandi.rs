//! JANDI's wire formats (SPEC §4): what its outgoing webhook posts to the
//! ingress, and what curfew posts to an incoming webhook.

use crate::reply::{Card, Tone};
use crate::Redacted;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

/// The body JANDI's outgoing webhook posts. Two shapes exist in the wild:
/// flat `writerName` / `writerEmail`, and `writer: {id, name, email}`; both
/// are accepted. Only `token` and `text` are required; unknown fields are
/// ignored. A missing token reads as empty, so the ingress refuses it with
/// 401 exactly like a wrong one. The token is [`Redacted`]: `Debug` leaves
/// it out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutgoingWebhook {
    #[serde(default)]
    pub token: Redacted<String>,
    pub text: String,
    #[serde(default)]
    pub team_name: Option<String>,
    #[serde(default)]
    pub room_name: Option<String>,
    #[serde(default)]
    pub writer_name: Option<String>,
    #[serde(default)]
    pub writer_email: Option<String>,
    #[serde(default)]
    pub writer: Option<Writer>,
    #[serde(default)]
    pub data: Option<serde_json::Value>,
    #[serde(default)]
    pub keyword: Option<String>,
    /// As sent, e.g. `2026-11-24T09:00:00.000Z`; see [`Self::created_at`].
    #[serde(default, rename = "createdAt")]
    pub created_at_text: Option<String>,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub ip: Option<String>,
}

/// The nested writer object. JANDI sends `id` as a number or a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Writer {
    #[serde(default, deserialize_with = "string_or_number")]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

impl OutgoingWebhook {
    /// Parses a request body. The error never quotes the body (it holds the token).
    pub fn from_json(body: &[u8]) -> Result<Self, PayloadError> {
        serde_json::from_slice(body).map_err(|e| PayloadError {
            line: e.line(),
            column: e.column(),
            category: match e.classify() {
                serde_json::error::Category::Data => "a field has the wrong type or is missing",
                serde_json::error::Category::Eof => "the JSON ends too early",
                serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                    "not valid JSON"
                }
            },
        })
    }

    /// The writer's display name, from either shape.
    pub fn writer_name(&self) -> Option<&str> {
        self.writer
            .as_ref()
            .and_then(|w| w.name.as_deref())
            .or(self.writer_name.as_deref())
    }

    /// The writer's email, from either shape.
    pub fn writer_email(&self) -> Option<&str> {
        self.writer
            .as_ref()
            .and_then(|w| w.email.as_deref())
            .or(self.writer_email.as_deref())
    }

    /// Who wrote the message, as one string for keys and audit records:
    /// the email if known, else the name, else the JANDI id, else empty.
    pub fn writer_identity(&self) -> &str {
        self.writer_email()
            .or(self.writer_name())
            .or(self.writer.as_ref().and_then(|w| w.id.as_deref()))
            .unwrap_or("")
    }

    /// `createdAt` as an instant, if present and well-formed (RFC 3339).
    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        self.created_at_text
            .as_deref()
            .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
            .map(|at| at.with_timezone(&Utc))
    }
}

/// Why a body is not an outgoing-webhook payload. Says where, never what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{category} (line {line}, column {column})")]
pub struct PayloadError {
    pub line: usize,
    pub column: usize,
    pub category: &'static str,
}

fn string_or_number<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(Option::<Id>::deserialize(de)?.map(|id| match id {
        Id::Text(text) => text,
        Id::Number(number) => number.to_string(),
    }))
}

/// Message colours of SPEC §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Color {
    Ok,
    Warning,
    Error,
}

impl Color {
    pub const fn hex(self) -> &'static str {
        match self {
            Self::Ok => "#1DDB16",
            Self::Warning => "#FFBB00",
            Self::Error => "#FF0000",
        }
    }
}

/// A message for a JANDI incoming webhook, and also the body of the
/// ingress's immediate answer: `{body, connectColor, connectInfo[]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub body: String,
    pub connect_color: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connect_info: Vec<ConnectInfo>,
}

/// One block under the message body: lists go here, not into `body`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectInfo {
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

impl From<&Card> for Message {
    /// A reply or notice as JANDI shows it: the body, its colour, a
    /// `connectInfo` block per block.
    fn from(card: &Card) -> Self {
        let color = match card.tone {
            Tone::Ok => Color::Ok,
            Tone::Warning => Color::Warning,
            Tone::Error => Color::Error,
        };
        card.blocks
            .iter()
            .fold(Self::new(color, card.body.clone()), |message, block| {
                message.block(block.title.clone(), block.text.clone())
            })
    }
}

impl Message {
    pub fn new(color: Color, body: impl Into<String>) -> Self {
        Self {
            body: body.into(),
            connect_color: color.hex().to_owned(),
            connect_info: Vec::new(),
        }
    }

    /// Adds a `connectInfo` block.
    #[must_use]
    pub fn block(mut self, title: impl Into<String>, description: impl Into<String>) -> Self {
        self.connect_info.push(ConnectInfo {
            title: title.into(),
            description: description.into(),
            image_url: None,
        });
        self
    }
}

/// The command keyword when a message does not say which one it used (the
/// seed team's `/서버`): usage lines in replies and notices show it.
pub const DEFAULT_KEYWORD: &str = "서버";

/// Headers an incoming webhook requires (SPEC §4).
pub const INCOMING_ACCEPT: &str = "application/vnd.tosslab.jandi-v2+json";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_becomes_body_colour_and_a_connect_info_block_per_block() {
        for (tone, hex) in [
            (Tone::Ok, "#1DDB16"),
            (Tone::Warning, "#FFBB00"),
            (Tone::Error, "#FF0000"),
        ] {
            let card = Card::new(tone, "dev: started 1").block("Started", "web-1 (i-1)");
            let json = serde_json::to_value(Message::from(&card)).unwrap();
            assert_eq!(
                json,
                serde_json::json!({
                    "body": "dev: started 1",
                    "connectColor": hex,
                    "connectInfo": [{"title": "Started", "description": "web-1 (i-1)"}]
                })
            );
        }
        let bare = serde_json::to_value(Message::from(&Card::new(Tone::Ok, "hi"))).unwrap();
        assert_eq!(
            bare,
            serde_json::json!({"body": "hi", "connectColor": "#1DDB16"})
        );
    }
}

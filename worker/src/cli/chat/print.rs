//! How the console shows what comes back: the ingress's immediate answer and
//! the worker's replies, as plain text on any [`Write`], so tests can read it.

use curfew_shared::front::Front;
use curfew_shared::jandi::{Color, Message};
use curfew_shared::slack::{self, Block, ResponseType};
use serde_json::Value;
use std::io::{self, Write};

/// A JSON body as received: a JANDI message or a Slack (Block Kit) one when
/// it has that shape, else the JSON itself, which is still shown rather
/// than dropped (a worker bug should be visible in the console, not
/// silently swallowed).
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Message(Message),
    Slack(slack::Message),
    Json(Value),
}

impl Shown {
    pub fn from_json(value: Value) -> Self {
        if let Ok(message) = serde_json::from_value::<Message>(value.clone()) {
            return Self::Message(message);
        }
        match serde_json::from_value::<slack::Message>(value.clone()) {
            Ok(message) => Self::Slack(message),
            Err(_) => Self::Json(value),
        }
    }
}

/// A reply that arrived on the console's incoming webhook.
pub fn reply(out: &mut impl Write, shown: &Shown) -> io::Result<()> {
    shown_with(out, "◀ reply", shown)
}

/// A reply with how long after the last posted line it came: the round trip
/// through ingress, queue, worker and webhook, as a person at the console feels it.
pub fn reply_after(
    out: &mut impl Write,
    shown: &Shown,
    elapsed: std::time::Duration,
) -> io::Result<()> {
    let heading = format!("◀ reply ({} ms after the last line)", elapsed.as_millis());
    shown_with(out, &heading, shown)
}

/// The ingress's immediate answer to a posted line (or a pressed button,
/// answered with an empty 200). Anything but 200 is explained, because the
/// chat itself would show nothing and leave the user guessing.
pub fn answer(out: &mut impl Write, front: Front, status: u16, body: &[u8]) -> io::Result<()> {
    if status == 200 {
        let heading = "▶ answer (HTTP 200)";
        return match serde_json::from_slice::<Value>(body) {
            Ok(value) => shown_with(out, heading, &Shown::from_json(value)),
            Err(_) => {
                writeln!(out, "{heading}")?;
                text(out, &String::from_utf8_lossy(body))
            }
        };
    }
    let refused = match front {
        Front::Jandi => "the ingress refused the token (--token or CURFEW_JANDI_TOKENS)",
        Front::Slack => {
            "the ingress refused the signature (--signing-secret or CURFEW_SLACK_SIGNING_SECRETS)"
        }
    };
    let why = match status {
        400 => "the ingress could not read the payload",
        401 => refused,
        404 => "the ingress has no such front configured (or no such path)",
        405 => "the ingress takes only POST",
        413 => "the line is too long for the ingress",
        _ => "the ingress answered with an error",
    };
    writeln!(out, "▶ answer (HTTP {status}): {why}")?;
    text(out, &String::from_utf8_lossy(body))
}

/// The ingress could not be reached; the console goes on, since the ingress
/// may simply not have started yet.
pub fn unreachable(
    out: &mut impl Write,
    url: &str,
    error: &dyn std::fmt::Display,
) -> io::Result<()> {
    writeln!(out, "✗ the ingress is not reachable at {url} ({error})")
}

fn shown_with(out: &mut impl Write, heading: &str, shown: &Shown) -> io::Result<()> {
    match shown {
        Shown::Message(message) => {
            match marker(&message.connect_color) {
                Some(marker) => writeln!(out, "{heading} · {marker}")?,
                None => writeln!(out, "{heading}")?,
            }
            text(out, &message.body)?;
            for block in &message.connect_info {
                let mut lines = block.description.lines();
                writeln!(
                    out,
                    "  [{}] {}",
                    block.title,
                    lines.next().unwrap_or_default()
                )?;
                for line in lines {
                    writeln!(out, "      {line}")?;
                }
            }
            Ok(())
        }
        Shown::Slack(message) => slack_message(out, heading, message),
        Shown::Json(value) => {
            writeln!(out, "{heading} (not a JANDI or Slack message)")?;
            let pretty = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
            text(out, &pretty)
        }
    }
}

/// A Block Kit message as Slack shows it, roughly: who sees it, the
/// header, the sections, and the buttons numbered for typing.
fn slack_message(out: &mut impl Write, heading: &str, message: &slack::Message) -> io::Result<()> {
    let seen_by = match message.response_type {
        Some(ResponseType::Ephemeral) => " · only you",
        Some(ResponseType::InChannel) | None => "",
    };
    let replaces = if message.replace_original {
        " · replaces the message its button was on"
    } else {
        ""
    };
    writeln!(out, "{heading}{seen_by}{replaces}")?;
    for block in &message.blocks {
        match block {
            Block::Header { text: header } => writeln!(out, "{}", header.text)?,
            Block::Section { text: section } => {
                for line in section.text.lines() {
                    writeln!(out, "  {line}")?;
                }
            }
            Block::Actions { elements } => {
                let buttons: Vec<String> = elements
                    .iter()
                    .enumerate()
                    .map(|(n, button)| format!("[{}] {}", n + 1, button.text.text))
                    .collect();
                writeln!(out, "  {}  (type a number to press)", buttons.join("  "))?;
            }
        }
    }
    Ok(())
}

/// `ok` / `warning` / `error` for the SPEC colours, the colour itself for
/// any other, nothing when there is none.
fn marker(color: &str) -> Option<String> {
    let color = color.trim();
    [Color::Ok, Color::Warning, Color::Error]
        .into_iter()
        .find(|known| known.hex().eq_ignore_ascii_case(color))
        .map(|known| {
            match known {
                Color::Ok => "ok",
                Color::Warning => "warning",
                Color::Error => "error",
            }
            .to_owned()
        })
        .or_else(|| (!color.is_empty()).then(|| color.to_owned()))
}

fn text(out: &mut impl Write, text: &str) -> io::Result<()> {
    for line in text.lines() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_message_with_blocks() {
        let message = Message::new(Color::Warning, "충성! 예외 등록")
            .block("dev", "2026-12-24 stop 15:00")
            .block("주의", "start 없음\n18:00에 정지");
        let text = printed(|out| reply(out, &Shown::Message(message)));
        assert_eq!(
            text,
            "◀ reply · warning\n충성! 예외 등록\n  [dev] 2026-12-24 stop 15:00\n  \
             [주의] start 없음\n      18:00에 정지\n"
        );
    }

    #[test]
    fn answers_by_status() {
        // (status, body, expected output)
        let cases: [(u16, &str, &str); 5] = [
            (
                200,
                r##"{"body":"접수","connectColor":"#1ddb16"}"##,
                "▶ answer (HTTP 200) · ok\n접수\n",
            ),
            (
                200,
                r#"{"body":"x","connectColor":"purple"}"#,
                "▶ answer (HTTP 200) · purple\nx\n",
            ),
            (
                200,
                r#"{"hello":1}"#,
                "▶ answer (HTTP 200) (not a JANDI or Slack message)\n{\n  \"hello\": 1\n}\n",
            ),
            (
                401,
                "",
                "▶ answer (HTTP 401): the ingress refused the token (--token or CURFEW_JANDI_TOKENS)\n",
            ),
            (
                502,
                "bad gateway",
                "▶ answer (HTTP 502): the ingress answered with an error\nbad gateway\n",
            ),
        ];
        for (status, body, expected) in cases {
            assert_eq!(
                printed(|out| answer(out, Front::Jandi, status, body.as_bytes())),
                expected,
                "{status}"
            );
        }
    }
}

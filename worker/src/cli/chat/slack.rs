//! The console in Slack's shoes (SPEC §9, `chat --front slack`): a typed
//! line goes to the ingress as the signed slash command Slack would send,
//! and a button, pressed by its number, as the signed `block_actions`
//! click. Both name the console's own `response_url`, where the worker's
//! answer comes back. The ingress cannot tell the console from Slack.

use super::payload::Identity;
use chrono::{DateTime, Utc};
use curfew_shared::signing::sign;
use curfew_shared::slack::{Block, Button, Message};
use serde_json::json;

/// The slash command a line that does not start with `/` is sent as (the
/// command the manifest in `infra/slack-manifest.yaml` installs).
pub const DEFAULT_COMMAND: &str = "/curfew";

/// Where Slack posts slash commands and clicks (SPEC §4.2).
pub const COMMANDS_PATH: &str = "/slack/commands";
pub const ACTIONS_PATH: &str = "/slack/actions";

/// One request as Slack sends it: the path on the ingress, the
/// form-encoded body, and the two headers it is signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub path: &'static str,
    pub body: String,
    /// `X-Slack-Request-Timestamp`.
    pub timestamp: String,
    /// `X-Slack-Signature`.
    pub signature: String,
}

/// The buttons of the latest message that had some, as the console numbers
/// them (1, 2, ...), and the `ts` it gave that message: a click's
/// idempotency key names the message, as Slack's do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pressable {
    pub message_ts: String,
    pub buttons: Vec<Button>,
}

impl Pressable {
    /// The buttons of `message` (received as the `seq`-th message at
    /// `now`), if it has any.
    pub fn of(message: &Message, seq: usize, now: DateTime<Utc>) -> Option<Self> {
        let buttons: Vec<Button> = message
            .blocks
            .iter()
            .flat_map(|block| match block {
                Block::Actions { elements } => elements.clone(),
                Block::Header { .. } | Block::Section { .. } => Vec::new(),
            })
            .collect();
        (!buttons.is_empty()).then(|| Self {
            message_ts: format!("{}.{seq:06}", now.timestamp()),
            buttons,
        })
    }

    /// The button a typed line presses: its number, 1-based.
    pub fn pressed(&self, line: &str) -> Option<&Button> {
        let number: usize = line.trim().parse().ok()?;
        self.buttons.get(number.checked_sub(1)?)
    }
}

/// The slash command Slack would send for `line` typed at `now`. A line
/// without a leading `/` is sent as [`DEFAULT_COMMAND`].
pub fn slash_command(
    line: &str,
    who: &Identity,
    response_url: &str,
    now: DateTime<Utc>,
) -> SignedRequest {
    let line = line.trim();
    let (command, text) = match line.strip_prefix('/') {
        Some(rest) => {
            let (word, text) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            (format!("/{word}"), text.trim())
        }
        None => (DEFAULT_COMMAND.to_owned(), line),
    };
    let channel_id = channel_id(&who.room);
    let user_id = user_id(&who.writer);
    let form = [
        ("token", "unused-verification-token"),
        ("team_id", "T0LOCAL"),
        ("team_domain", who.team.as_str()),
        ("channel_id", channel_id.as_str()),
        ("channel_name", who.room.as_str()),
        ("user_id", user_id.as_str()),
        ("user_name", who.writer.as_str()),
        ("command", command.as_str()),
        ("text", text),
        ("response_url", response_url),
        ("trigger_id", "0.0.local"),
    ];
    signed(COMMANDS_PATH, encode(&form), who, now)
}

/// The `block_actions` click Slack would send when `button` of the
/// message `message_ts` is pressed at `now`.
pub fn click(
    button: &Button,
    message_ts: &str,
    who: &Identity,
    response_url: &str,
    now: DateTime<Utc>,
) -> SignedRequest {
    let payload = json!({
        "type": "block_actions",
        "team": {"id": "T0LOCAL", "domain": who.team},
        "user": {"id": user_id(&who.writer), "username": who.writer, "name": who.writer},
        "channel": {"id": channel_id(&who.room), "name": who.room},
        "container": {"type": "message", "message_ts": message_ts},
        "response_url": response_url,
        "actions": [{
            "type": "button",
            "action_id": button.action_id,
            "value": button.value,
            "action_ts": format!("{}.000000", now.timestamp()),
        }],
    });
    let body = encode(&[("payload", payload.to_string().as_str())]);
    signed(ACTIONS_PATH, body, who, now)
}

fn signed(path: &'static str, body: String, who: &Identity, now: DateTime<Utc>) -> SignedRequest {
    let timestamp = now.timestamp().to_string();
    let signature = sign(who.secret.expose(), &timestamp, body.as_bytes());
    SignedRequest {
        path,
        body,
        timestamp,
        signature,
    }
}

/// `application/x-www-form-urlencoded`. Pairs of strings always encode.
fn encode(form: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(form).unwrap_or_default()
}

/// A stable, Slack-looking id for the console's channel and user, so
/// `rooms` and `CURFEW_ADMINS` may name either the name or the id.
fn channel_id(room: &str) -> String {
    format!("C{}", room.trim_start_matches('#').to_uppercase())
}

fn user_id(writer: &str) -> String {
    format!("U{}", writer.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use curfew_shared::front::Front;
    use curfew_shared::signing::SigningSecrets;
    use curfew_shared::slack::{BlockActions, SlashCommand};

    fn who() -> Identity {
        Identity {
            front: Front::Slack,
            secret: "s3cret".to_owned().into(),
            team: "local".to_owned(),
            room: "dev-ops".to_owned(),
            writer: "kim".to_owned(),
            email: None,
        }
    }

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 9, 50, 0).unwrap()
    }

    fn verified(request: &SignedRequest) -> bool {
        SigningSecrets::from_list("other,s3cret").verify(
            &request.timestamp,
            request.body.as_bytes(),
            &request.signature,
        )
    }

    #[test]
    fn a_line_is_a_signed_slash_command_slack_would_send() {
        // (typed line, command, text)
        let cases = [
            ("/curfew dev status", "/curfew", "dev status"),
            ("  /ops  dev  next ", "/ops", "dev  next"),
            (
                "dev force_start for 2h",
                "/curfew",
                "dev force_start for 2h",
            ),
            ("/curfew", "/curfew", ""),
        ];
        for (line, command, text) in cases {
            let request = slash_command(line, &who(), "http://127.0.0.1:1/slack/response", at());
            assert_eq!(request.path, "/slack/commands");
            assert_eq!(request.timestamp, at().timestamp().to_string());
            assert!(verified(&request), "{line:?}");
            let form = SlashCommand::from_form(request.body.as_bytes()).unwrap();
            assert_eq!(form.command, command, "{line:?}");
            assert_eq!(form.text, text, "{line:?}");
            assert_eq!(form.user_id, "UKIM");
            assert_eq!(form.user_name.as_deref(), Some("kim"));
            assert_eq!(form.channel_name.as_deref(), Some("dev-ops"));
            assert_eq!(form.channel_id.as_deref(), Some("CDEV-OPS"));
            assert_eq!(
                form.response_url.unwrap().expose(),
                "http://127.0.0.1:1/slack/response"
            );
        }
    }

    #[test]
    fn a_pressed_number_is_a_signed_click_on_that_button() {
        let card = curfew_shared::reply::Card::new(curfew_shared::reply::Tone::Warning, "dev")
            .offer(curfew_shared::reply::Offer {
                label: "Keep running 1h".to_owned(),
                command: "dev force_start for 1h".to_owned(),
                stop: "19:00".to_owned(),
                until: at(),
            });
        let message = &curfew_shared::slack::messages(&card, None)[0];
        let pressable = Pressable::of(message, 3, at()).unwrap();
        assert_eq!(pressable.message_ts, format!("{}.000003", at().timestamp()));
        assert!(pressable.pressed("2").is_none());
        assert!(pressable.pressed("0").is_none());
        assert!(pressable.pressed("dev status").is_none());
        let button = pressable.pressed(" 1 ").unwrap();

        let request = click(button, &pressable.message_ts, &who(), "http://r/", at());
        assert_eq!(request.path, "/slack/actions");
        assert!(verified(&request));
        let click = BlockActions::from_form(request.body.as_bytes()).unwrap();
        let (action, offer) = click.offer().unwrap();
        assert_eq!(action.action_id, "offer-0");
        assert_eq!(offer.command, "dev force_start for 1h");
        assert_eq!(click.user.id, "UKIM");
        assert_eq!(
            click.container.unwrap().message_ts.as_deref(),
            Some(pressable.message_ts.as_str())
        );
        assert_eq!(
            Pressable::of(
                &curfew_shared::slack::messages(
                    &curfew_shared::reply::Card::new(curfew_shared::reply::Tone::Ok, "no buttons"),
                    None,
                )[0],
                1,
                at()
            ),
            None
        );
    }
}

//! Slack's wire shapes (SPEC §4.2): a slash command as Slack posts it
//! (form-encoded, decoded with `serde_urlencoded`), and a reply [`Card`] as
//! Block Kit messages within Slack's limits. The ingress verifies a request
//! before anything here reads it; the worker posts what [`messages`] makes.

use crate::redacted::Redacted;
use crate::reply::{Card, Offer, Tone};
use serde::{Deserialize, Serialize};

/// Blocks in one message (Slack's limit).
pub const MAX_BLOCKS: usize = 50;
/// Characters in a section's text (Slack's limit).
pub const MAX_SECTION_CHARS: usize = 3000;
/// Characters in a header's text (Slack's limit).
pub const MAX_HEADER_CHARS: usize = 150;
/// Buttons in one actions block (Slack's limit).
pub const MAX_BUTTONS: usize = 25;
/// Characters in a button's text (Slack's limit).
pub const MAX_BUTTON_CHARS: usize = 75;
/// Messages one `response_url` takes (Slack's limit); a longer reply's
/// rest goes to the channel's incoming webhook ([`Response`]).
pub const RESPONSE_URL_USES: usize = 5;
/// How long a `response_url` takes messages after its command (Slack's
/// limit, 30 minutes); a later reply goes to the channel's webhook.
pub const RESPONSE_URL_MINUTES: i64 = 30;

/// A slash command's form fields (`application/x-www-form-urlencoded`).
/// Fields curfew does not read are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SlashCommand {
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default)]
    pub team_domain: Option<String>,
    #[serde(default)]
    pub channel_id: Option<String>,
    #[serde(default)]
    pub channel_name: Option<String>,
    pub user_id: String,
    #[serde(default)]
    pub user_name: Option<String>,
    /// The command as the app defines it, e.g. `/curfew`.
    pub command: String,
    /// What follows the command (may be empty).
    #[serde(default)]
    pub text: String,
    /// Where the reply goes. It lets anyone post to the channel for 30
    /// minutes: a secret, never logged.
    #[serde(default)]
    pub response_url: Option<Redacted<String>>,
}

/// Why a body is not a slash command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a Slack slash command: {0}")]
pub struct FormError(String);

impl SlashCommand {
    /// Decodes a form-encoded body.
    pub fn from_form(body: &[u8]) -> Result<Self, FormError> {
        serde_urlencoded::from_bytes(body).map_err(|e| FormError(e.to_string()))
    }

    /// The line as the grammar reads it: the command and its text, e.g.
    /// `/curfew dev status`.
    pub fn line(&self) -> String {
        if self.text.trim().is_empty() {
            self.command.clone()
        } else {
            format!("{} {}", self.command, self.text.trim())
        }
    }
}

/// Who sees a reply: the whole channel, or only the one who asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseType {
    InChannel,
    Ephemeral,
}

/// One Block Kit message: `text` is the fallback notifications and
/// screen readers show, `blocks` what the channel sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_type: Option<ResponseType>,
    /// A click's answer replaces the message the button was on.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replace_original: bool,
    pub text: String,
    pub blocks: Vec<Block>,
}

/// The Block Kit blocks curfew uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Header { text: Text },
    Section { text: Text },
    Actions { elements: Vec<Button> },
}

/// A button: its value carries its [`Offer`] (JSON) back in the click.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    #[serde(rename = "type")]
    pub kind: String,
    pub text: Text,
    pub action_id: String,
    pub value: String,
}

/// A `block_actions` click (the form field `payload`, JSON).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BlockActions {
    #[serde(rename = "type")]
    pub kind: String,
    pub user: ClickUser,
    #[serde(default)]
    pub channel: Option<ClickChannel>,
    /// Where the answer goes (a secret, like a command's).
    #[serde(default)]
    pub response_url: Option<Redacted<String>>,
    #[serde(default)]
    pub container: Option<ClickContainer>,
    pub actions: Vec<ClickedAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClickUser {
    pub id: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClickChannel {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClickContainer {
    #[serde(default)]
    pub message_ts: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClickedAction {
    pub action_id: String,
    #[serde(default)]
    pub value: Option<String>,
}

/// The form a click arrives in.
#[derive(Deserialize)]
struct PayloadForm {
    payload: String,
}

impl BlockActions {
    /// Decodes a click's form-encoded body (its `payload` field).
    pub fn from_form(body: &[u8]) -> Result<Self, FormError> {
        let form: PayloadForm =
            serde_urlencoded::from_bytes(body).map_err(|e| FormError(e.to_string()))?;
        let click: Self =
            serde_json::from_str(&form.payload).map_err(|e| FormError(e.to_string()))?;
        if click.kind != "block_actions" {
            return Err(FormError(format!(
                "an interaction of type {:?}",
                click.kind
            )));
        }
        Ok(click)
    }

    /// The clicked button's offer, if its value is one of curfew's.
    pub fn offer(&self) -> Option<(&ClickedAction, Offer)> {
        let action = self.actions.first()?;
        let value = serde_json::from_str(action.value.as_deref()?).ok()?;
        Some((action, value))
    }
}

/// A text object. curfew's text is plain (resource names carry `_` and
/// `*`, which `mrkdwn` would read as formatting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
}

impl Text {
    fn plain(text: impl Into<String>) -> Self {
        Self {
            kind: "plain_text".to_owned(),
            text: text.into(),
        }
    }
}

/// The card as Block Kit: the tone and body in a section, each titled
/// block as a header and its text in sections of at most
/// [`MAX_SECTION_CHARS`], split into messages of at most [`MAX_BLOCKS`]
/// (a header stays with its first section). Every message carries the
/// body as its fallback `text`, and the later ones say which part they are.
pub fn messages(card: &Card, response_type: Option<ResponseType>) -> Vec<Message> {
    let lead = format!("{} {}", tone_mark(card.tone), card.body);
    let mut groups: Vec<Vec<Block>> = vec![sections(&lead)];
    for block in &card.blocks {
        let mut group = vec![Block::Header {
            text: Text::plain(cut(&block.title, MAX_HEADER_CHARS)),
        }];
        group.extend(sections(&block.text));
        groups.push(group);
    }
    let mut pages: Vec<Vec<Block>> = vec![Vec::new()];
    for group in groups {
        for (n, block) in group.into_iter().enumerate() {
            let room = pages.last().map_or(0, |page| MAX_BLOCKS - page.len());
            // A header needs room for itself and its first section.
            let needed = if n == 0 { 2 } else { 1 };
            if room < needed {
                pages.push(Vec::new());
            }
            if let Some(page) = pages.last_mut() {
                page.push(block);
            }
        }
    }
    for (n, offers) in card.offers.chunks(MAX_BUTTONS).enumerate() {
        if pages.last().is_none_or(|page| page.len() >= MAX_BLOCKS) {
            pages.push(Vec::new());
        }
        if let Some(page) = pages.last_mut() {
            page.push(buttons(offers, n * MAX_BUTTONS));
        }
    }
    let count = pages.len();
    pages
        .into_iter()
        .enumerate()
        .map(|(n, blocks)| Message {
            response_type,
            replace_original: false,
            text: if count == 1 {
                card.body.clone()
            } else {
                format!("{} ({}/{count})", card.body, n + 1)
            },
            blocks,
        })
        .collect()
}

/// The offers as one actions block, a button each. `first` is the first
/// offer's place in the card: a button's `action_id` is unique in its
/// message, as a click's idempotency key needs (SPEC §4.2).
fn buttons(offers: &[Offer], first: usize) -> Block {
    Block::Actions {
        elements: offers
            .iter()
            .zip(first..)
            .map(|(offer, n)| Button {
                kind: "button".to_owned(),
                text: Text::plain(
                    offer
                        .label
                        .chars()
                        .take(MAX_BUTTON_CHARS)
                        .collect::<String>(),
                ),
                action_id: format!("offer-{n}"),
                value: serde_json::to_string(offer).unwrap_or_default(),
            })
            .collect(),
    }
}

/// A reply to a `response_url`, split where Slack's limits put it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The messages the `response_url` takes (at most
    /// [`RESPONSE_URL_USES`]), the first replacing the message a clicked
    /// button was on when asked to.
    pub to_response_url: Vec<Message>,
    /// The rest, shaped for the channel's incoming webhook (which knows
    /// neither `response_type` nor `replace_original`).
    pub overflow: Vec<Message>,
}

/// A reply to a `response_url`: [`messages`] for `response_type`, the
/// first of them replacing the message a clicked button was on when
/// `replace_original` (the others follow it); past the URL's
/// [`RESPONSE_URL_USES`], the [`Response::overflow`].
pub fn response(card: &Card, response_type: ResponseType, replace_original: bool) -> Response {
    let mut to_response_url = messages(card, Some(response_type));
    if let Some(first) = to_response_url.first_mut() {
        first.replace_original = replace_original;
    }
    let overflow = to_response_url
        .split_off(RESPONSE_URL_USES.min(to_response_url.len()))
        .into_iter()
        .map(for_webhook)
        .collect();
    Response {
        to_response_url,
        overflow,
    }
}

/// A `response_url` message reshaped for an incoming webhook: a webhook
/// posts to its channel for everyone and replaces nothing.
pub fn for_webhook(message: Message) -> Message {
    Message {
        response_type: None,
        replace_original: false,
        ..message
    }
}

/// How the tone reads at a glance (Slack shows no colour on a message).
const fn tone_mark(tone: Tone) -> &'static str {
    match tone {
        Tone::Ok => "✅",
        Tone::Warning => "⚠️",
        Tone::Error => "❌",
    }
}

/// `text` in sections of at most [`MAX_SECTION_CHARS`], cut between lines
/// where it can be (a single longer line is cut between characters).
fn sections(text: &str) -> Vec<Block> {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let mut line = line.to_owned();
        loop {
            let joined = current.chars().count() + usize::from(!current.is_empty());
            if joined + line.chars().count() <= MAX_SECTION_CHARS {
                if !current.is_empty() {
                    current.push('\n');
                }
                current.push_str(&line);
                break;
            }
            if !current.is_empty() {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            let head = cut(&line, MAX_SECTION_CHARS);
            line = line.chars().skip(head.chars().count()).collect();
            parts.push(head);
        }
    }
    if !current.is_empty() || parts.is_empty() {
        parts.push(current);
    }
    parts
        .into_iter()
        .map(|text| Block::Section {
            // Slack refuses an empty text.
            text: Text::plain(if text.is_empty() {
                " ".to_owned()
            } else {
                text
            }),
        })
        .collect()
}

/// The first `max` characters of `text`.
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// Slack's own example request (api.slack.com, "Verifying requests
    /// from Slack"), as the form it is.
    const EXAMPLE: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    #[test]
    fn slacks_example_decodes_and_hides_its_response_url() {
        let command = SlashCommand::from_form(EXAMPLE.as_bytes()).unwrap();
        assert_eq!(command.command, "/webhook-collect");
        assert_eq!(command.channel_id.as_deref(), Some("G8PSS9T3V"));
        assert_eq!(command.user_name.as_deref(), Some("roadrunner"));
        assert_eq!(command.text, "");
        assert_eq!(command.line(), "/webhook-collect");
        assert_eq!(
            command.response_url.as_ref().unwrap().expose(),
            "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN"
        );
        assert!(!format!("{command:?}").contains("hooks.slack.com"));
    }

    #[test]
    fn text_with_spaces_and_hangul_is_decoded_into_the_line() {
        let form = "user_id=U1&command=%2Fcurfew&text=dev+force_start+for+2h&channel_name=%EC%84%9C%EB%B2%84";
        let command = SlashCommand::from_form(form.as_bytes()).unwrap();
        assert_eq!(command.line(), "/curfew dev force_start for 2h");
        assert_eq!(command.channel_name.as_deref(), Some("서버"));
    }

    #[test]
    fn a_body_without_user_or_command_is_refused() {
        for body in ["", "text=hi", "user_id=U1", "command=%2Fcurfew", "%%%"] {
            assert!(
                SlashCommand::from_form(body.as_bytes()).is_err(),
                "{body:?}"
            );
        }
    }

    #[test]
    fn a_card_is_a_section_then_a_header_and_section_per_block() {
        let card =
            Card::new(Tone::Ok, "dev: running").block("Instances", "web-1 running\nweb-2 stopped");
        let [message] = messages(&card, Some(ResponseType::InChannel))
            .try_into()
            .unwrap();
        let json = serde_json::to_value(&message).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "response_type": "in_channel",
                "text": "dev: running",
                "blocks": [
                    {"type": "section", "text": {"type": "plain_text", "text": "✅ dev: running"}},
                    {"type": "header", "text": {"type": "plain_text", "text": "Instances"}},
                    {"type": "section", "text": {"type": "plain_text", "text": "web-1 running\nweb-2 stopped"}},
                ]
            })
        );
    }

    #[test]
    fn a_long_reply_is_split_within_slacks_limits() {
        // 300 resources over 4 pairs, as a big status shows them.
        let mut card = Card::new(Tone::Warning, "dev: 300 resources");
        for pair in 0..4 {
            let lines: Vec<String> = (0..75)
                .map(|n| {
                    format!(
                        "i-{pair}{n:016x} web-{n} running t3.medium [123456789012/ap-northeast-2]"
                    )
                })
                .collect();
            card = card.block(format!("pair {pair}"), lines.join("\n"));
        }
        for n in 0..60 {
            card = card.block(format!("group {n}"), "a short line");
        }
        let pages = messages(&card, None);
        assert!(pages.len() > 1);
        let mut texts = String::new();
        for (n, page) in pages.iter().enumerate() {
            assert!(
                page.blocks.len() <= MAX_BLOCKS,
                "page {n}: {}",
                page.blocks.len()
            );
            assert!(
                !matches!(page.blocks.last(), Some(Block::Header { .. })),
                "page {n} ends on a header"
            );
            assert!(page.text.ends_with(&format!("({}/{})", n + 1, pages.len())));
            for block in &page.blocks {
                if let Block::Section { text } = block {
                    assert!(text.text.chars().count() <= MAX_SECTION_CHARS);
                    texts.push_str(&text.text);
                    texts.push('\n');
                }
            }
        }
        for pair in 0..4 {
            for n in [0, 74] {
                assert!(
                    texts.contains(&format!("i-{pair}{n:016x} ")),
                    "nothing lost"
                );
            }
        }
    }

    #[test]
    fn a_response_url_takes_five_messages_and_the_webhook_the_rest() {
        let mut card = Card::new(Tone::Ok, "dev: 200 groups");
        for n in 0..200 {
            card = card.block(format!("group {n}"), "a short line");
        }
        let all = messages(&card, Some(ResponseType::InChannel));
        assert_eq!(all.len(), 9, "200 headers and sections, 48 a message");
        let response = response(&card, ResponseType::InChannel, true);
        assert_eq!(response.to_response_url.len(), RESPONSE_URL_USES);
        assert_eq!(response.overflow.len(), 4);
        assert!(response.to_response_url[0].replace_original);
        assert!(response.to_response_url[1..]
            .iter()
            .all(|m| !m.replace_original && m.response_type == Some(ResponseType::InChannel)));
        for (message, original) in response.overflow.iter().zip(&all[5..]) {
            assert_eq!(message.response_type, None, "a webhook's message");
            assert!(!message.replace_original);
            assert_eq!(message.blocks, original.blocks, "nothing lost");
        }
        let short = response_of_one(&card);
        assert!(short.overflow.is_empty());
    }

    #[test]
    fn many_offers_are_actions_blocks_of_25_with_ids_unique_in_the_message() {
        let mut card = Card::new(Tone::Warning, "20 schedules stop in 10 minutes");
        for n in 0..60 {
            card = card.offer(Offer {
                label: format!("schedule-with-a-rather-long-name-{n:02}: Keep running until 21:00"),
                command: format!("s{n} force_start for 1h"),
                until: chrono::DateTime::UNIX_EPOCH,
                stop: "19:00".to_owned(),
            });
        }
        let pages = messages(&card, None);
        assert_eq!(pages.len(), 1);
        let actions: Vec<&Vec<Button>> = pages[0]
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Actions { elements } => Some(elements),
                _ => None,
            })
            .collect();
        let sizes: Vec<usize> = actions.iter().map(|a| a.len()).collect();
        assert_eq!(sizes, [25, 25, 10]);
        let ids: std::collections::BTreeSet<&str> = actions
            .iter()
            .flat_map(|a| a.iter().map(|b| b.action_id.as_str()))
            .collect();
        assert_eq!(ids.len(), 60, "unique: {ids:?}");
        assert!(ids.contains("offer-59"));
        for button in actions.iter().flat_map(|a| a.iter()) {
            assert!(button.text.text.chars().count() <= MAX_BUTTON_CHARS);
        }
    }

    fn response_of_one(card: &Card) -> Response {
        let one = Card::new(Tone::Ok, card.body.clone());
        response(&one, ResponseType::Ephemeral, false)
    }

    #[test]
    fn a_line_longer_than_a_section_is_cut_between_characters() {
        let card = Card::new(Tone::Error, "x").block("long", "가".repeat(MAX_SECTION_CHARS + 10));
        let [message] = messages(&card, None).try_into().unwrap();
        let lengths: Vec<usize> = message
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Section { text } => Some(text.text.chars().count()),
                _ => None,
            })
            .collect();
        assert_eq!(lengths, [3, MAX_SECTION_CHARS, 10]);
    }
}

/// The stop warning's buttons and the click that comes back (SPEC §4.2).
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod button_tests {
    use super::*;
    use crate::reply::{render, Context, Lang, Notice, NoticeView, Reply};
    use crate::schedule::{Event, Source};
    use crate::Action;

    fn warning(lang: Lang) -> Card {
        let stop = Event {
            at: "2026-12-07T10:00:00Z".parse().unwrap(),
            action: Action::Stop,
            source: Source::Schedule,
        };
        let view = NoticeView {
            schedule: "dev".into(),
            timezone: chrono_tz::Asia::Seoul,
            notice: Notice::StopWarning {
                stop,
                running: Vec::new(),
            },
        };
        render(&Reply::Notice(view), &Context::new(lang, "서버"))
    }

    #[test]
    fn the_warning_offers_an_hour_until_stop_plus_two_hours_and_stop_now() {
        let card = warning(Lang::En);
        let offered: Vec<(&str, &str)> = card
            .offers
            .iter()
            .map(|o| (o.label.as_str(), o.command.as_str()))
            .collect();
        assert_eq!(
            offered,
            [
                ("Keep running 1h", "dev force_start for 1h"),
                (
                    "Keep running until 21:00",
                    "dev force_start until 2026-12-07 21:00"
                ),
                ("Stop now", "dev force_stop"),
            ]
        );
        for offer in &card.offers {
            assert_eq!(offer.stop, "19:00");
            crate::command::parse(&offer.command).unwrap();
        }
        assert_eq!(warning(Lang::Ko).offers[0].label, "1시간 더 켜두기");
    }

    #[test]
    fn slack_shows_them_as_buttons_and_jandi_not_at_all() {
        let card = warning(Lang::En);
        let [message] = messages(&card, None).try_into().unwrap();
        let Some(Block::Actions { elements }) = message.blocks.last() else {
            panic!("{:?}", message.blocks)
        };
        assert_eq!(elements.len(), 3);
        let value: Offer = serde_json::from_str(&elements[1].value).unwrap();
        assert_eq!(value.command, "dev force_start until 2026-12-07 21:00");
        assert_eq!(value.until, card.offers[1].until);
        let jandi = serde_json::to_string(&crate::jandi::Message::from(&card)).unwrap();
        assert!(!jandi.contains("force_start"), "{jandi}");
    }

    /// A click as Slack posts it: the form field `payload`, JSON.
    pub(crate) fn click_form(value: &str) -> String {
        let payload = serde_json::json!({
            "type": "block_actions",
            "user": {"id": "U42", "username": "alice", "name": "alice"},
            "channel": {"id": "C0123ABC", "name": "dev-ops"},
            "container": {"type": "message", "message_ts": "1796648400.000100"},
            "response_url": "https://hooks.slack.com/actions/T1/1/secret",
            "actions": [{"type": "button", "action_id": "offer-0", "value": value, "action_ts": "1796648401.0"}]
        });
        serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap()
    }

    #[test]
    fn a_click_decodes_into_its_offer() {
        let value = serde_json::to_string(&warning(Lang::En).offers[0]).unwrap();
        let click = BlockActions::from_form(click_form(&value).as_bytes()).unwrap();
        let (action, offer) = click.offer().unwrap();
        assert_eq!(action.action_id, "offer-0");
        assert_eq!(offer.command, "dev force_start for 1h");
        assert!(
            !format!("{click:?}").contains("hooks.slack.com"),
            "never in a log line"
        );
        assert!(BlockActions::from_form(click_form("not json").as_bytes())
            .unwrap()
            .offer()
            .is_none());
        let other = click_form(&value).replace("block_actions", "view_submission");
        assert!(BlockActions::from_form(other.as_bytes()).is_err());
        assert!(BlockActions::from_form(b"payload=%7B").is_err());
    }
}

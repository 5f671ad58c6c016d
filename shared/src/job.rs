//! Jobs on the queue (SPEC §7): versioned JSON envelopes and their
//! idempotency keys.
//!
//! Every job is `{"v":1,"kind":...}`. An EventBridge Scheduled Event put on
//! the queue as it is (`source` `aws.events`) is read as a tick, because the
//! rule target cannot wrap it.

use crate::command::Command;
use crate::front::Front;
use crate::jandi::OutgoingWebhook;
use crate::redacted::Redacted;
use crate::reply::Offer;
use crate::slack::{BlockActions, ClickedAction, SlashCommand};
use chrono::{DateTime, DurationRound, SecondsFormat, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The envelope version this build writes and reads.
pub const VERSION: u64 = 1;

/// One unit of work for the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
// One job per queue message, decoded once: a box would save no memory
// worth its allocation.
#[allow(clippy::large_enum_variant)]
pub enum Job {
    /// A chat command to execute and answer.
    Command(CommandJob),
    /// Reconcile every schedule at `at`.
    Tick(TickJob),
    /// Reconcile one schedule at `at`.
    Reconcile(ReconcileJob),
    /// Reconcile every schedule in one (target, region) pair at `at`: what
    /// a tick over several pairs fans out into (SPEC §5 Targets).
    Pair(PairJob),
}

/// A parsed chat command with who sent it from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandJob {
    pub key: String,
    pub command: Command,
    /// The message as typed (for the audit log).
    pub text: String,
    /// The team's keyword, for usage lines in replies.
    pub keyword: Option<String>,
    /// Email, else name, else JANDI id (see [`OutgoingWebhook::writer_identity`]).
    pub writer: String,
    pub writer_name: Option<String>,
    pub room: Option<String>,
    /// The room's id where the front has one (a Slack channel's `C…`), so
    /// a schedule's `rooms` may name a channel either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    pub team: Option<String>,
    /// JANDI's `createdAt`, else when the ingress received the message;
    /// Slack's `X-Slack-Request-Timestamp`.
    pub created_at: String,
    /// The chat front it came from, which its reply goes back through
    /// (absent in jobs written before Slack: JANDI).
    #[serde(default, skip_serializing_if = "Front::is_jandi")]
    pub front: Front,
    /// Slack's `response_url` for the reply. It lets anyone post to the
    /// channel for 30 minutes: a secret, never in a log line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_url: Option<Redacted<String>>,
    /// A button's click (SPEC §4.2): the offer it carried, good until the
    /// stop it was made for; its answer replaces the message it was on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Offer>,
}

/// A scheduler tick: the instant to evaluate every timeline at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickJob {
    pub at: DateTime<Utc>,
    /// The AWS account and region of an EventBridge tick, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// A reconcile of one schedule at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileJob {
    pub schedule: String,
    pub at: DateTime<Utc>,
}

/// One pair's share of a tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairJob {
    /// The `[[target]]`'s name.
    pub target: String,
    pub region: String,
    pub at: DateTime<Utc>,
}

/// Why a message body is not a job. Every variant is permanent: retrying
/// cannot fix the body, so the worker sends it to the DLQ at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("no version field `v`")]
    MissingVersion,
    #[error("unknown job version {0} (this build reads version {VERSION})")]
    UnknownVersion(String),
    #[error("malformed job: {0}")]
    Malformed(String),
}

impl Job {
    /// Reads a queue message body: a versioned envelope or an EventBridge Scheduled Event.
    pub fn decode(body: &str) -> Result<Self, JobError> {
        let value: Value =
            serde_json::from_str(body).map_err(|e| JobError::NotJson(e.to_string()))?;
        if value.get("source").and_then(Value::as_str) == Some("aws.events") {
            return scheduled_event_tick(&value).map(Self::Tick);
        }
        match value.get("v") {
            None => Err(JobError::MissingVersion),
            Some(v) if v.as_u64() == Some(VERSION) => {
                serde_json::from_value(value).map_err(|e| JobError::Malformed(e.to_string()))
            }
            Some(v) => Err(JobError::UnknownVersion(v.to_string())),
        }
    }

    /// The envelope: the job's fields plus `"v": 1`.
    pub fn encode(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.insert("v".to_owned(), Value::from(VERSION));
        }
        value.to_string()
    }

    /// The key the worker claims before acting, and the FIFO deduplication id
    /// of jobs curfew sends itself.
    pub fn idempotency_key(&self) -> String {
        match self {
            Self::Command(job) => job.key.clone(),
            Self::Tick(job) => tick_key(job.at),
            Self::Reconcile(job) => reconcile_key(&job.schedule, job.at),
            Self::Pair(job) => pair_key(&job.target, &job.region, job.at),
        }
    }

    /// The FIFO message group (SPEC §1): the schedule for chat commands, `_`
    /// for commands about no single schedule, `tick` for ticks, the pair
    /// (`target|region`) for a pair's job, so pairs never wait on each other.
    pub fn message_group(&self) -> String {
        match self {
            Self::Command(job) => fifo_safe(job.command.schedule().unwrap_or("_")),
            Self::Tick(_) => "tick".to_owned(),
            Self::Reconcile(job) => fifo_safe(&job.schedule),
            Self::Pair(job) => fifo_safe(&format!("{}|{}", job.target, job.region)),
        }
    }
}

impl CommandJob {
    /// The job for a parsed command. `received_at` stands in for a missing `createdAt`.
    pub fn new(payload: &OutgoingWebhook, command: Command, received_at: DateTime<Utc>) -> Self {
        let created_at = payload
            .created_at_text
            .clone()
            .unwrap_or_else(|| received_at.to_rfc3339_opts(SecondsFormat::Millis, true));
        let writer = payload.writer_identity().to_owned();
        let room = payload.room_name.clone();
        let key = command_key(
            &created_at,
            &writer,
            room.as_deref().unwrap_or(""),
            &payload.text,
        );
        Self {
            key,
            command,
            text: payload.text.clone(),
            keyword: payload.keyword.clone(),
            writer,
            writer_name: payload.writer_name().map(str::to_owned),
            room,
            room_id: None,
            team: payload.team_name.clone(),
            created_at,
            front: Front::Jandi,
            response_url: None,
            offer: None,
        }
    }

    /// The job for a parsed Slack slash command sent at `sent_at` (its
    /// verified `X-Slack-Request-Timestamp`). The writer is the Slack user
    /// (`user_id`, named by `user_name`), the room its channel (name, else
    /// id), the keyword the app's command without its `/`.
    pub fn from_slack(request: &SlashCommand, command: Command, sent_at: DateTime<Utc>) -> Self {
        let created_at = sent_at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let text = request.line();
        let room = request
            .channel_name
            .clone()
            .or_else(|| request.channel_id.clone());
        let key = command_key(
            &created_at,
            &request.user_id,
            request.channel_id.as_deref().unwrap_or(""),
            &text,
        );
        Self {
            key,
            command,
            text,
            keyword: Some(request.command.trim_start_matches('/').to_owned()),
            writer: request.user_id.clone(),
            writer_name: request.user_name.clone(),
            room,
            room_id: request.channel_id.clone(),
            team: request
                .team_domain
                .clone()
                .or_else(|| request.team_id.clone()),
            created_at,
            front: Front::Slack,
            response_url: request.response_url.clone(),
            offer: None,
        }
    }

    /// The job for a click on an offered button at `clicked_at`: exactly
    /// the command typing it would give, with the clicker as writer. Its
    /// key is (the message's `ts`, the button's `action_id`, the user), so
    /// a double click acts once and a second person's click is a command
    /// of its own.
    pub fn from_slack_click(
        click: &BlockActions,
        action: &ClickedAction,
        offer: Offer,
        command: Command,
        clicked_at: DateTime<Utc>,
    ) -> Self {
        let message_ts = click
            .container
            .as_ref()
            .and_then(|c| c.message_ts.clone())
            .unwrap_or_default();
        let key = command_key(&message_ts, &click.user.id, &action.action_id, "click");
        let channel = click.channel.as_ref();
        Self {
            key,
            command,
            text: offer.command.clone(),
            keyword: None,
            writer: click.user.id.clone(),
            writer_name: click
                .user
                .username
                .clone()
                .or_else(|| click.user.name.clone()),
            room: channel.map(|c| c.name.clone().unwrap_or_else(|| c.id.clone())),
            room_id: channel.map(|c| c.id.clone()),
            team: None,
            created_at: clicked_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            front: Front::Slack,
            response_url: click.response_url.clone(),
            offer: Some(offer),
        }
    }
}

/// SQS allows only ASCII letters, digits and punctuation (at most 128) in a
/// group id; a name outside that (`개발`) maps to a stable hash of itself, so
/// one schedule's jobs still share one group.
fn fifo_safe(name: &str) -> String {
    if !name.is_empty() && name.len() <= 128 && name.bytes().all(|b| b.is_ascii_graphic()) {
        return name.to_owned();
    }
    let digest = hex::encode(Sha256::digest(name.as_bytes()));
    format!("h-{}", digest.get(..32).unwrap_or(&digest))
}

/// hex SHA-256 of `createdAt|writer|room|text` (never the token): the same
/// message delivered twice has the same key, so it acts once.
pub fn command_key(created_at: &str, writer: &str, room: &str, text: &str) -> String {
    let mut hasher = Sha256::new();
    for (i, part) in [created_at, writer, room, text].iter().enumerate() {
        if i > 0 {
            hasher.update(b"|");
        }
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// `schedule|T` with T truncated to the minute, e.g. `dev|2026-12-04T09:00:00Z`.
pub fn reconcile_key(schedule: &str, at: DateTime<Utc>) -> String {
    format!("{schedule}|{}", minute(at))
}

/// `target|region|T` with T truncated to the minute (SPEC §5): one job per
/// pair and tick, so a tick delivered twice fans out once.
pub fn pair_key(target: &str, region: &str, at: DateTime<Utc>) -> String {
    format!("{target}|{region}|{}", minute(at))
}

/// `tick|T` with T truncated to the minute: one tick job per minute.
pub fn tick_key(at: DateTime<Utc>) -> String {
    format!("tick|{}", minute(at))
}

fn minute(at: DateTime<Utc>) -> String {
    at.duration_trunc(TimeDelta::minutes(1))
        .unwrap_or(at)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The EventBridge Scheduled Event JSON for a tick at `at`: what the rule puts
/// on the queue, and what `curfew tick --at` enqueues.
pub fn scheduled_event(at: DateTime<Utc>) -> Value {
    serde_json::json!({
        "version": "0",
        "id": format!("curfew-tick-{}", minute(at)),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "time": at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "resources": [],
        "detail": {}
    })
}

fn scheduled_event_tick(value: &Value) -> Result<TickJob, JobError> {
    let detail_type = value.get("detail-type").and_then(Value::as_str);
    if detail_type != Some("Scheduled Event") {
        return Err(JobError::Malformed(format!(
            "an aws.events message that is not a Scheduled Event ({detail_type:?})"
        )));
    }
    let time = value
        .get("time")
        .and_then(Value::as_str)
        .ok_or_else(|| JobError::Malformed("a Scheduled Event without `time`".to_owned()))?;
    let at = DateTime::parse_from_rfc3339(time)
        .map_err(|e| JobError::Malformed(format!("Scheduled Event time {time:?}: {e}")))?
        .with_timezone(&Utc);
    let text = |field: &str| value.get(field).and_then(Value::as_str).map(str::to_owned);
    Ok(TickJob {
        at,
        account: text("account"),
        region: text("region"),
    })
}

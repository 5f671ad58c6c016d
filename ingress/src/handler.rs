//! The ingress decision: size, JSON, token, replay window, parse, enqueue.
//!
//! Answers (SPEC §4): 413 for a body over the limit; 400 for a body that is
//! not a payload; 401 (no detail) for a missing or wrong token; otherwise
//! always 200 with a JANDI message, because JANDI shows nothing else: `help`
//! and syntax errors are answered here, everything else is queued and
//! acknowledged. The queue is the only thing called.

use crate::Config;
use chrono::{DateTime, Utc};
use curfew_shared::command::{parse, Command};
use curfew_shared::front::Front;
use curfew_shared::jandi::{Message, OutgoingWebhook};
use curfew_shared::job::{CommandJob, Job};
use curfew_shared::ports::JobQueue;
use curfew_shared::reply::{render, Card, Context, ErrorView, Reply};
use curfew_shared::slack::{self, ResponseType};

use curfew_shared::jandi::DEFAULT_KEYWORD;

/// An HTTP answer: a status and, for 200, the front's message (JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: Option<serde_json::Value>,
    /// What happened, for the log line (never the token or the body).
    pub outcome: Outcome,
}

/// The kinds of answer, for logs and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A path no front serves, or a front that is not configured.
    NotFound,
    TooLarge,
    BadPayload,
    Unauthorized,
    Replay,
    AnsweredHere,
    Queued,
    QueueFailed,
}

impl Answer {
    pub(crate) const fn bare(status: u16, outcome: Outcome) -> Self {
        Self {
            status,
            body: None,
            outcome,
        }
    }

    /// 200 with the card in the front's shape: a JANDI message, or an
    /// ephemeral Slack message (only the one who typed it sees it; an
    /// answer in place is one message: help and an error are far under
    /// Slack's 50 blocks).
    fn ok(front: Front, card: &Card, outcome: Outcome) -> Self {
        let body = match front {
            Front::Jandi => serde_json::to_value(Message::from(card)).ok(),
            Front::Slack => slack::messages(card, Some(ResponseType::Ephemeral))
                .into_iter()
                .next()
                .and_then(|m| serde_json::to_value(m).ok()),
        };
        Self {
            status: 200,
            body,
            outcome,
        }
    }
}

/// Decides the answer to one POST body received at `now`.
pub async fn handle(
    body: &[u8],
    now: DateTime<Utc>,
    config: &Config,
    queue: &impl JobQueue,
) -> Answer {
    let Some(tokens) = &config.tokens else {
        return Answer::bare(404, Outcome::NotFound);
    };
    if body.len() > config.max_body_bytes {
        return Answer::bare(413, Outcome::TooLarge);
    }
    let Ok(payload) = OutgoingWebhook::from_json(body) else {
        return Answer::bare(400, Outcome::BadPayload);
    };
    if !tokens.accepts(payload.token.expose()) {
        return Answer::bare(401, Outcome::Unauthorized);
    }
    let keyword = payload
        .keyword
        .clone()
        .unwrap_or_else(|| DEFAULT_KEYWORD.to_owned());
    let ctx = Context::new(config.lang, keyword);
    if let Some(text) = &payload.created_at_text {
        let fresh = match (payload.created_at(), config.replay_window) {
            (_, None) => true,
            (Some(created), Some(window)) => (now - created).abs() <= window,
            (None, Some(_)) => false,
        };
        if !fresh {
            let reply = Reply::Error(ErrorView::Replay {
                created_at: text.clone(),
            });
            return Answer::ok(Front::Jandi, &render(&reply, &ctx), Outcome::Replay);
        }
    }
    let job = |command| CommandJob::new(&payload, command, now);
    parse_and_queue(&payload.text, &ctx, Front::Jandi, job, queue).await
}

/// What both fronts do with a verified command line: `help` and syntax
/// errors answered here, anything else made into its job (`job`), queued,
/// and acknowledged, in the front's shape.
pub(crate) async fn parse_and_queue(
    line: &str,
    ctx: &Context,
    front: Front,
    job: impl FnOnce(Command) -> CommandJob,
    queue: &impl JobQueue,
) -> Answer {
    let command = match parse(line) {
        Ok(Command::Help) => {
            return Answer::ok(front, &render(&Reply::Help, ctx), Outcome::AnsweredHere)
        }
        Ok(command) => command,
        Err(error) => {
            let reply = Reply::Error(ErrorView::Syntax(error));
            return Answer::ok(front, &render(&reply, ctx), Outcome::AnsweredHere);
        }
    };
    match queue.send(&Job::Command(job(command.clone()))).await {
        Ok(()) => {
            let reply = Reply::Accepted { command };
            Answer::ok(front, &render(&reply, ctx), Outcome::Queued)
        }
        Err(error) => {
            let reply = Reply::Error(ErrorView::Failed {
                what: error.to_string(),
            });
            Answer::ok(front, &render(&reply, ctx), Outcome::QueueFailed)
        }
    }
}

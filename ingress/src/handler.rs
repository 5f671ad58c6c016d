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
use curfew_shared::jandi::{Message, OutgoingWebhook};
use curfew_shared::job::{CommandJob, Job};
use curfew_shared::ports::JobQueue;
use curfew_shared::reply::{render, Card, Context, ErrorView, Reply};

use curfew_shared::jandi::DEFAULT_KEYWORD;

/// An HTTP answer: a status and, for 200, the JANDI message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub message: Option<Message>,
    /// What happened, for the log line (never the token or the body).
    pub outcome: Outcome,
}

/// The kinds of answer, for logs and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    TooLarge,
    BadPayload,
    Unauthorized,
    Replay,
    AnsweredHere,
    Queued,
    QueueFailed,
}

impl Answer {
    const fn bare(status: u16, outcome: Outcome) -> Self {
        Self {
            status,
            message: None,
            outcome,
        }
    }

    fn ok(card: Card, outcome: Outcome) -> Self {
        let message = Message::from(&card);
        Self {
            status: 200,
            message: Some(message),
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
    if body.len() > config.max_body_bytes {
        return Answer::bare(413, Outcome::TooLarge);
    }
    let Ok(payload) = OutgoingWebhook::from_json(body) else {
        return Answer::bare(400, Outcome::BadPayload);
    };
    if !config.tokens.accepts(payload.token.expose()) {
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
            return Answer::ok(render(&reply, &ctx), Outcome::Replay);
        }
    }
    let command = match parse(&payload.text) {
        Ok(Command::Help) => return Answer::ok(render(&Reply::Help, &ctx), Outcome::AnsweredHere),
        Ok(command) => command,
        Err(error) => {
            let reply = Reply::Error(ErrorView::Syntax(error));
            return Answer::ok(render(&reply, &ctx), Outcome::AnsweredHere);
        }
    };
    let job = Job::Command(CommandJob::new(&payload, command.clone(), now));
    match queue.send(&job).await {
        Ok(()) => Answer::ok(render(&Reply::Accepted { command }, &ctx), Outcome::Queued),
        Err(error) => {
            let reply = Reply::Error(ErrorView::Failed {
                what: error.to_string(),
            });
            Answer::ok(render(&reply, &ctx), Outcome::QueueFailed)
        }
    }
}

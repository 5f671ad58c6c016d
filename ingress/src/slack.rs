//! The Slack decision for `POST /slack/commands` (SPEC §4.2): size, then
//! the timestamp and signature (nothing else is read before them), then
//! the form, the command, and an answer at once or one job enqueued.
//!
//! Answers: 404 when no signing secret is configured (no Slack front);
//! 413 for a body over the limit; 401 (no detail) for a missing, stale or
//! wrong signature; 400 for a signed body that is not a slash command;
//! otherwise 200 with an ephemeral Block Kit message: `help` and syntax
//! errors answered here (the usage line shows the app's own command), the
//! rest acknowledged and queued as the same command job JANDI produces.
//! `POST /slack/actions` (a button's click) is verified the same way and
//! queues the command its button offers ([`action`]).

use crate::handler::{parse_and_queue, Answer, Outcome};
use crate::Config;
use chrono::{DateTime, Utc};
use curfew_shared::command::parse;
use curfew_shared::front::Front;
use curfew_shared::job::{CommandJob, Job};
use curfew_shared::ports::JobQueue;
use curfew_shared::reply::Context;
use curfew_shared::signing::request_time;
use curfew_shared::slack::{BlockActions, SlashCommand};

/// The two headers Slack signs a request with, as sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signed<'a> {
    /// `X-Slack-Request-Timestamp`.
    pub timestamp: Option<&'a str>,
    /// `X-Slack-Signature`.
    pub signature: Option<&'a str>,
}

impl<'a> Signed<'a> {
    /// Read through `header` (a request's headers, by lower-case name).
    pub fn from_headers(header: impl Fn(&str) -> Option<&'a str>) -> Self {
        Self {
            timestamp: header("x-slack-request-timestamp"),
            signature: header("x-slack-signature"),
        }
    }
}

/// Decides the answer to one slash command received at `now`.
pub async fn command(
    body: &[u8],
    signed: Signed<'_>,
    now: DateTime<Utc>,
    config: &Config,
    queue: &impl JobQueue,
) -> Answer {
    let sent_at = match admitted(body, signed, now, config) {
        Ok(sent_at) => sent_at,
        Err(refused) => return refused,
    };
    let Ok(request) = SlashCommand::from_form(body) else {
        return Answer::bare(400, Outcome::BadPayload);
    };
    let ctx = Context::new(config.lang, request.command.trim_start_matches('/'));
    let job = |command| CommandJob::from_slack(&request, command, sent_at);
    parse_and_queue(&request.line(), &ctx, Front::Slack, job, queue).await
}

/// Decides the answer to one button click received at `now`: verified as
/// a command is, then the command its button offers is queued exactly as
/// typing it would queue it (its instant, as a command's, the timestamp
/// Slack signed), and Slack gets an empty 200 (the answer comes
/// from the worker, replacing the message the button was on). A click that
/// is not one of curfew's offers is 400.
pub async fn action(
    body: &[u8],
    signed: Signed<'_>,
    now: DateTime<Utc>,
    config: &Config,
    queue: &impl JobQueue,
) -> Answer {
    let clicked_at = match admitted(body, signed, now, config) {
        Ok(sent_at) => sent_at,
        Err(refused) => return refused,
    };
    let Ok(click) = BlockActions::from_form(body) else {
        return Answer::bare(400, Outcome::BadPayload);
    };
    let Some((clicked, offer)) = click.offer() else {
        return Answer::bare(400, Outcome::BadPayload);
    };
    let Ok(command) = parse(&offer.command) else {
        return Answer::bare(400, Outcome::BadPayload);
    };
    let job = Job::Command(CommandJob::from_slack_click(
        &click, clicked, offer, command, clicked_at,
    ));
    match queue.send(&job).await {
        Ok(()) => Answer::bare(200, Outcome::Queued),
        // Not 200: Slack then tells the clicker the click failed.
        Err(_) => Answer::bare(503, Outcome::QueueFailed),
    }
}

/// What every Slack request passes first, in this order: a Slack front
/// configured (else 404), the size (413), then the timestamp and signature
/// (401, no detail). The instant it was signed at, or the refusal.
fn admitted(
    body: &[u8],
    signed: Signed<'_>,
    now: DateTime<Utc>,
    config: &Config,
) -> Result<DateTime<Utc>, Answer> {
    if config.slack.is_empty() {
        return Err(Answer::bare(404, Outcome::NotFound));
    }
    if body.len() > config.max_body_bytes {
        return Err(Answer::bare(413, Outcome::TooLarge));
    }
    verified(body, signed, now, config).map_err(|outcome| Answer::bare(401, outcome))
}

/// The instant the request was signed at, if its timestamp is within the
/// replay window and its signature holds; else why not (for the log).
fn verified(
    body: &[u8],
    signed: Signed<'_>,
    now: DateTime<Utc>,
    config: &Config,
) -> Result<DateTime<Utc>, Outcome> {
    let (Some(timestamp), Some(signature)) = (signed.timestamp, signed.signature) else {
        return Err(Outcome::Unauthorized);
    };
    let sent_at = request_time(timestamp).ok_or(Outcome::Unauthorized)?;
    if config
        .replay_window
        .is_some_and(|window| (now - sent_at).abs() > window)
    {
        return Err(Outcome::Replay);
    }
    if !config.slack.verify(timestamp, body, signature) {
        return Err(Outcome::Unauthorized);
    }
    Ok(sent_at)
}

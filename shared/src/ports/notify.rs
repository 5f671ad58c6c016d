//! Posting replies and notices to a room's incoming webhook, or a Slack
//! command's `response_url` (SPEC §4).

use super::PortFuture;
use crate::reply::Card;
use crate::slack::ResponseType;

/// A post that did not go through. Says why, never where to (a webhook
/// URL carries a secret token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    /// The front refused the message (a 4xx other than 429): retrying will not help.
    #[error("the chat front refused the message with HTTP {status}")]
    Rejected { status: u16 },
    /// Still failing after every attempt: a transient outage; the job may be retried later.
    #[error("the chat front did not accept the message after {attempts} attempts (last: {last})")]
    GaveUp { attempts: u32, last: String },
}

impl NotifyError {
    /// Whether the job that posted may succeed if retried later.
    pub const fn is_transient(&self) -> bool {
        matches!(self, Self::GaveUp { .. })
    }
}

/// Where a card goes, and so in which front's shape. Its `Debug` never
/// shows the URL (its path is a secret).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination<'a> {
    /// A JANDI incoming webhook.
    Jandi(&'a str),
    /// A Slack slash command's `response_url`: the channel sees the reply
    /// (`in_channel`), or only the one who asked (`ephemeral`).
    SlackResponse {
        url: &'a str,
        response_type: ResponseType,
        /// A click's answer, replacing the message the button was on.
        replace_original: bool,
        /// The channel's incoming webhook, for what the `response_url` no
        /// longer takes (past its uses, or refused as used or expired).
        fallback: Option<&'a str>,
    },
    /// A Slack incoming webhook (a channel's, or the default).
    SlackWebhook(&'a str),
}

impl Destination<'_> {
    pub const fn url(&self) -> &str {
        match self {
            Self::Jandi(url) | Self::SlackResponse { url, .. } | Self::SlackWebhook(url) => url,
        }
    }
}

impl std::fmt::Debug for Destination<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Jandi(_) => f.write_str("Jandi(<redacted>)"),
            Self::SlackWebhook(_) => f.write_str("SlackWebhook(<redacted>)"),
            Self::SlackResponse { response_type, .. } => {
                write!(f, "SlackResponse(<redacted>, {response_type:?})")
            }
        }
    }
}

/// Posts a reply or notice, in the destination's front's own shape: the
/// callers hand over a [`Card`], never a front's wire type. The adapter
/// renders, retries, paces and budgets its attempts;
/// `curfew_testkit::MemoryNotifier` records what each front would receive.
pub trait Notify: Send + Sync + std::fmt::Debug {
    fn post<'a>(
        &'a self,
        to: Destination<'a>,
        card: &'a Card,
    ) -> PortFuture<'a, Result<(), NotifyError>>;
}

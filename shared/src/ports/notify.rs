//! Posting replies and notices to a room's incoming webhook (SPEC §4).

use super::PortFuture;
use crate::reply::Card;

/// A post that did not go through. Says why, never where to (a webhook
/// URL carries a secret token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    /// JANDI refused the message (a 4xx other than 429): retrying will not help.
    #[error("JANDI refused the message with HTTP {status}")]
    Rejected { status: u16 },
    /// Still failing after every attempt: a transient outage; the job may be retried later.
    #[error("JANDI did not accept the message after {attempts} attempts (last: {last})")]
    GaveUp { attempts: u32, last: String },
}

impl NotifyError {
    /// Whether the job that posted may succeed if retried later.
    pub const fn is_transient(&self) -> bool {
        matches!(self, Self::GaveUp { .. })
    }
}

/// Posts a reply or notice to an incoming webhook, in the front's own
/// shape: the callers hand over a [`Card`], never a front's wire type. The
/// JANDI adapter renders, retries, paces and budgets its attempts;
/// `curfew_testkit::MemoryNotifier` records what JANDI would receive.
pub trait Notify: Send + Sync + std::fmt::Debug {
    fn post<'a>(&'a self, url: &'a str, card: &'a Card) -> PortFuture<'a, Result<(), NotifyError>>;
}

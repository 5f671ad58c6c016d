//! Posting replies and notices to a room's incoming webhook (SPEC §4).

use super::PortFuture;
use crate::jandi::Message;

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

/// Posts a message to an incoming webhook. The JANDI adapter retries,
/// paces and budgets its attempts; `curfew_testkit::MemoryNotifier` records.
pub trait Notify: Send + Sync + std::fmt::Debug {
    fn post<'a>(
        &'a self,
        url: &'a str,
        message: &'a Message,
    ) -> PortFuture<'a, Result<(), NotifyError>>;
}

//! Exactly-once jobs (SPEC §7): the port that claims a job's key before
//! it runs and marks it done after.

use super::{PortFuture, StoreError};
use chrono::{DateTime, Duration, Utc};

/// The outcome of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This worker holds the key until the lease ends: act, then [`JobClaims::done`].
    Acquired,
    /// Another delivery finished this job: do nothing.
    AlreadyDone,
    /// Another worker holds a live lease: retry later (leave the message).
    HeldElsewhere { lease_until: DateTime<Utc> },
}

/// Claims and completes job keys. The DynamoDB adapter does it with
/// conditional writes; `curfew_testkit::MemoryClaims` in memory.
pub trait JobClaims: Send + Sync + std::fmt::Debug {
    /// Claims `key` at `now` for `lease`: acquired when nobody holds it or
    /// the holder's lease has run out; the record lives `ttl` past `now`.
    fn claim<'a>(
        &'a self,
        key: &'a str,
        now: DateTime<Utc>,
        lease: Duration,
        ttl: Duration,
    ) -> PortFuture<'a, Result<Claim, StoreError>>;

    /// Whether `key`'s job is done: `replay-dlq` skips those.
    fn is_done<'a>(&'a self, key: &'a str) -> PortFuture<'a, Result<bool, StoreError>>;

    /// Marks `key` done: every later delivery of it is skipped.
    fn done<'a>(
        &'a self,
        key: &'a str,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> PortFuture<'a, Result<(), StoreError>>;

    /// Gives up an in-progress claim after a failure, so the retry need not
    /// wait for the lease. A done record is never released.
    fn release<'a>(&'a self, key: &'a str) -> PortFuture<'a, Result<(), StoreError>>;
}

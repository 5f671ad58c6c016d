//! In-memory fakes of the ports in `curfew_shared::ports`, for tests that
//! run in milliseconds without a local AWS: the moto tests are the
//! adapters' contract tests, these fakes follow the same contract.
//!
//! Each fake can be told to fail its next calls (`fail_next`, with the
//! class the adapter would give: throttling when transient, access denied
//! when permanent), so the layers above can be tested on every verdict.

mod audit;
mod claims;
mod fleet;
mod fleets;
mod ledger;
mod notify;
mod prices;
mod queue;
mod schedules;
mod timelines;

pub use audit::MemoryAudit;
pub use claims::MemoryClaims;
pub use fleet::{instance, MemoryFleet};
pub use fleets::{MemoryFleets, HOME_REGION};
pub use ledger::MemoryLedger;
pub use notify::MemoryNotifier;
pub use prices::MemoryPrices;
pub use queue::MemoryQueue;
pub use schedules::MemorySchedules;
pub use timelines::MemoryTimelines;

use curfew_shared::ports::{CallError, Class, StoreError};
use std::collections::VecDeque;
use std::sync::Mutex;

/// Failures to inject: what each next call does, pass (`None`) or fail.
#[derive(Debug, Default)]
struct Faults(Mutex<VecDeque<Option<Class>>>);

impl Faults {
    /// The call after the next `calls` calls fails with an error of `class`.
    fn fail_next_after(&self, calls: usize, class: Class) {
        if let Ok(mut faults) = self.0.lock() {
            faults.extend(std::iter::repeat_n(None, calls));
            faults.push_back(Some(class));
        }
    }

    /// This call's injected failure, if any, as the DynamoDB adapter says it.
    fn check(&self, operation: &'static str, fake: &str) -> Result<(), StoreError> {
        self.next(operation, fake).map_err(StoreError::Call)
    }

    /// This call's injected failure, if any, as a bare call error.
    fn next(&self, operation: &'static str, fake: &str) -> Result<(), CallError> {
        let class = self.0.lock().ok().and_then(|mut f| f.pop_front()).flatten();
        match class {
            None => Ok(()),
            Some(class) => Err(injected(operation, class, fake)),
        }
    }
}

/// The error an adapter gives for a throttled (transient) or refused
/// (permanent) call.
fn injected(operation: &'static str, class: Class, fake: &str) -> CallError {
    let code = match class {
        Class::Transient => "ThrottlingException",
        Class::Permanent => "AccessDeniedException",
    };
    CallError {
        operation,
        class,
        code: Some(code.to_owned()),
        message: format!("injected by {fake}"),
        source: Box::new(std::io::Error::other("injected")),
    }
}

/// A fake's lock was poisoned: a test thread panicked holding it.
fn poisoned(fake: &str) -> StoreError {
    StoreError::Corrupt {
        name: fake.to_owned(),
        message: "a test thread panicked holding the lock".to_owned(),
    }
}

//! The small traits the binaries' adapters implement (SPEC §2, STYLE:
//! capability-sized ports): the domain says what it needs, the worker and
//! the ingress plug in SQS, DynamoDB, EC2, RDS and JANDI, and the tests plug
//! in the in-memory fakes of `curfew_testkit`.
//!
//! Ports return [`PortFuture`]s (boxed), so a bundle of them can hold
//! `Arc<dyn Port>` and a call site reads the same whichever is behind it.

mod audit;
mod claims;
mod error;
mod fleet;
mod ledger;
mod notify;
mod prices;
mod queue;
mod schedules;
mod timeline;

pub use audit::AuditLog;
pub use claims::{Claim, JobClaims};
pub use error::{CallError, Class, StoreError};
pub use fleet::{Fleet, FleetError, Fleets};
pub use ledger::{Ledger, LedgerItem, Unrecorded};
pub use notify::{Destination, Notify, NotifyError};
pub use prices::Prices;
pub use queue::{JobQueue, QueueError};
pub use schedules::Schedules;
pub use timeline::{Replaced, StoredState, TimelineData, Timelines};

/// What a port's method returns: a future that may be held across threads.
pub type PortFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

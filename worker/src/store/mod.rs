//! DynamoDB storage, by the key design of docs/DYNAMODB.md.

mod audit;
mod claims;
mod schedules;
mod timeline;

pub use audit::AuditStore;
pub use claims::{Claim, ClaimStore};
pub use schedules::ScheduleStore;
pub use timeline::{StoredState, TimelineData, TimelineStore};

use aws_sdk_dynamodb::error::DisplayErrorContext;

/// A storage failure, naming the operation. Never carries item contents.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("DynamoDB {operation} failed: {message}")]
    Aws {
        operation: &'static str,
        message: String,
    },
    #[error("the stored schedule {name:?} cannot be read: {message}")]
    Corrupt { name: String, message: String },
}

impl StoreError {
    pub(crate) fn aws<E: std::error::Error + 'static>(operation: &'static str, error: E) -> Self {
        Self::Aws {
            operation,
            message: DisplayErrorContext(&error).to_string(),
        }
    }
}

//! DynamoDB storage, by the key design of docs/DYNAMODB.md.

mod audit;
mod claims;
mod schedules;
mod timeline;

pub use audit::AuditStore;
pub use claims::{Claim, ClaimStore};
pub use schedules::ScheduleStore;
pub use timeline::{StoredState, TimelineData, TimelineStore};

use crate::error::{AwsError, Class};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// A storage failure, naming the operation. Never carries item contents.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("DynamoDB {0}")]
    Aws(#[source] AwsError),
    /// An item curfew cannot read: permanent until someone mends it.
    #[error("the stored schedule {name:?} cannot be read: {message}")]
    Corrupt { name: String, message: String },
}

impl StoreError {
    pub(crate) fn aws<E>(operation: &'static str, error: SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        Self::Aws(AwsError::new(operation, error))
    }

    /// Whether a later try may succeed.
    pub const fn class(&self) -> Class {
        match self {
            Self::Aws(error) => error.class,
            Self::Corrupt { .. } => Class::Permanent,
        }
    }
}

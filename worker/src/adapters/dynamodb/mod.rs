//! DynamoDB storage, by the key design of docs/DYNAMODB.md.

mod audit;
mod claims;
pub mod instance_scheduler;
pub mod items;
mod ledger;
mod schedules;
pub mod seed;
mod timeline;

pub use audit::AuditStore;
pub use claims::ClaimStore;
pub use ledger::LedgerStore;
pub use schedules::ScheduleStore;
pub use timeline::TimelineStore;

use curfew_shared::ports::StoreError;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use curfew_aws::aws_error;

/// A string attribute.
pub(crate) fn s(text: impl Into<String>) -> aws_sdk_dynamodb::types::AttributeValue {
    aws_sdk_dynamodb::types::AttributeValue::S(text.into())
}

/// The [`StoreError`] of a failed DynamoDB call, classified.
fn failed<E>(operation: &'static str, error: SdkError<E, HttpResponse>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    StoreError::Call(aws_error(operation, error))
}

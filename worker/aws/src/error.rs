//! Failed AWS calls, typed and classified once (STYLE, Errors).
//!
//! Every adapter keeps the SDK's error as the `#[source]` of a
//! [`CallError`] (the ports' error type, from `shared`), with the service's
//! error code, and sorts it into a
//! [`Class`] here, in one place: transient (throttling, 5xx, timeouts,
//! dispatch failures) may pass on its own and is retried; permanent (access
//! denied, validation, a missing resource) will fail the same way again. The
//! job handler turns the class into its verdict.
//!
//! The code lists are the SDK's own (`aws-runtime`'s retry classifiers), so
//! curfew calls throttling what the SDK's retries call throttling.

use aws_runtime::retries::classifiers::{THROTTLING_ERRORS, TRANSIENT_ERRORS};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use curfew_shared::ports::{CallError, Class};

/// The [`CallError`] of `operation` from its SDK error, classified.
pub fn aws_error<E>(operation: &'static str, error: SdkError<E, HttpResponse>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let class = classify(&error);
    let code = error.code().map(str::to_owned);
    let message = DisplayErrorContext(&error).to_string();
    CallError {
        operation,
        class,
        code,
        message,
        source: Box::new(error),
    }
}

/// The class of an SDK error. A service error is transient when its code is
/// one the SDK retries (throttling, request timeouts) or its HTTP status is
/// 429 or 5xx; every other service error is permanent. Timeouts, dispatch
/// failures (no connection) and unreadable responses are transient; a
/// request the SDK could not even build is permanent.
pub fn classify<E: ProvideErrorMetadata>(error: &SdkError<E, HttpResponse>) -> Class {
    match error {
        SdkError::ServiceError(context) => {
            let status = context.raw().status().as_u16();
            let code = context.err().code().unwrap_or_default();
            let retried = THROTTLING_ERRORS.contains(&code) || TRANSIENT_ERRORS.contains(&code);
            if retried || status == 429 || status >= 500 {
                Class::Transient
            } else {
                Class::Permanent
            }
        }
        SdkError::ConstructionFailure(_) => Class::Permanent,
        // Timeouts, dispatch and response failures, and any future kind.
        _ => Class::Transient,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    fn service_error(status: u16, code: &str) -> SdkError<ErrorMetadata, HttpResponse> {
        let raw = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::empty());
        SdkError::service_error(ErrorMetadata::builder().code(code).build(), raw)
    }

    #[test]
    fn service_errors_are_classified_by_code_and_status() {
        use Class::{Permanent, Transient};
        for (status, code, class) in [
            (400, "ThrottlingException", Transient),
            (400, "ProvisionedThroughputExceededException", Transient),
            (503, "RequestLimitExceeded", Transient),
            (400, "RequestTimeout", Transient),
            (500, "InternalServerError", Transient),
            (429, "TooManyRequests", Transient),
            (403, "AccessDenied", Permanent),
            (403, "UnauthorizedOperation", Permanent),
            (400, "ValidationException", Permanent),
            (404, "DBInstanceNotFound", Permanent),
        ] {
            assert_eq!(
                classify(&service_error(status, code)),
                class,
                "{status} {code}"
            );
        }
    }

    #[test]
    fn a_call_error_keeps_its_code_class_and_source() {
        let error = aws_error("Query", service_error(400, "ThrottlingException"));
        assert_eq!(error.class, Class::Transient);
        assert_eq!(error.code.as_deref(), Some("ThrottlingException"));
        assert!(error
            .to_string()
            .starts_with("Query failed (transient, ThrottlingException)"));
        assert!(std::error::Error::source(&error).is_some());
        let timeout: SdkError<ErrorMetadata, HttpResponse> =
            SdkError::timeout_error("the attempt took too long");
        assert_eq!(classify(&timeout), Class::Transient);
    }
}

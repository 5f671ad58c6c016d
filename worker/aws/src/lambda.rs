//! Telling Lambda why a function could not start. Without this a missing
//! variable shows up only as "Runtime exited with error: exit status 2"
//! and a log line to look for; posted to the Runtime API's `/init/error`
//! (the call `lambda_runtime` makes for its own init failures), the reason
//! is the invocation's error, in the console and in the caller's answer.

use lambda_runtime_api_client::body::Body;
use lambda_runtime_api_client::{build_request, PooledClient};

/// The Runtime API's init-error path (API version 2018-06-01).
const INIT_ERROR_PATH: &str = "/2018-06-01/runtime/init/error";

/// Reports `message` as the function's init error when running under
/// Lambda (`AWS_LAMBDA_RUNTIME_API` set); elsewhere does nothing, as the
/// caller also logs it. A report that cannot be posted is logged: the
/// process exits either way, and Lambda then says so in its own words.
pub async fn report_init_error(error_type: &str, message: &str) {
    let Ok(api) = std::env::var("AWS_LAMBDA_RUNTIME_API") else {
        return;
    };
    let Ok(endpoint) = api.parse() else {
        tracing::error!(%api, "AWS_LAMBDA_RUNTIME_API is not an address: init error not reported");
        return;
    };
    let body = serde_json::json!({ "errorType": error_type, "errorMessage": message }).to_string();
    let request = build_request()
        .method("POST")
        .uri(INIT_ERROR_PATH)
        .header("lambda-runtime-function-error-type", "Runtime.InitError")
        .body(Body::from(body));
    let outcome = match request {
        Ok(request) => PooledClient::builder()
            .with_endpoint(endpoint)
            .build()
            .call(request)
            .await
            .map(|response| response.status()),
        Err(error) => Err(error.into()),
    };
    match outcome {
        Ok(status) if status.is_success() => {}
        Ok(status) => tracing::error!(%status, "the Runtime API refused the init error"),
        Err(error) => tracing::error!(%error, "the init error could not be posted"),
    }
}

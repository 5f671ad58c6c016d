//! `curfew`, the worker and the operator CLI: everything is in the
//! library's `cli` module. Built without the `cli` feature (the Lambda zip,
//! scripts/build-lambda) it is only the worker under Lambda
//! ([`curfew_worker::front::lambda::main`]): no clap, no chat console.

#[cfg(feature = "cli")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    curfew_worker::cli::main().await
}

#[cfg(not(feature = "cli"))]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    curfew_worker::front::lambda::main().await
}

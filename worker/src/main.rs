//! `curfew`, the worker and the operator CLI: everything is in the
//! library's [`curfew_worker::cli`] module.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    curfew_worker::cli::main().await
}

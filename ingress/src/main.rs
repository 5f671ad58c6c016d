//! `curfew-ingress`: the JANDI outgoing-webhook endpoint.
//!
//! Reads its configuration once, builds one SQS client, then serves: under
//! the Lambda runtime when `AWS_LAMBDA_RUNTIME_API` is set, else plain HTTP
//! on `CURFEW_INGRESS_ADDR` (Ctrl-C or SIGTERM stops it).

use curfew_aws::SqsQueue;
use curfew_ingress::{http, Config};
use std::process::ExitCode;
use std::sync::Arc;

/// Connecting to SQS, and one `SendMessage` with its retries: JANDI waits
/// for the answer, and a stuck queue should give a clear error (the writer
/// types the command again) well before JANDI gives up on the webhook.
const SQS_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);
const SQS_SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_ansi(false)
        .init();
    let config = match Config::from_lookup(|name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(error) => {
            tracing::error!(%error, "bad configuration");
            curfew_aws::report_init_error("Curfew.ConfigError", &error.to_string()).await;
            return ExitCode::from(2);
        }
    };
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .connect_timeout(SQS_CONNECT_TIMEOUT)
                .operation_timeout(SQS_SEND_TIMEOUT)
                .build(),
        )
        .load()
        .await;
    let queue = SqsQueue::new(aws_sdk_sqs::Client::new(&sdk), config.queue_url.clone());
    let result = if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        http::run_lambda(config, queue)
            .await
            .map_err(|e| e.to_string())
    } else {
        serve_locally(config, queue)
            .await
            .map_err(|e| e.to_string())
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "stopped");
            ExitCode::FAILURE
        }
    }
}

async fn serve_locally(config: Config, queue: SqsQueue) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(&config.addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "ingress listening");
    http::serve(
        listener,
        Arc::new(config),
        Arc::new(queue),
        shutdown_signal(),
    )
    .await
}

async fn shutdown_signal() {
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = async { if let Some(t) = terminate.as_mut() { t.recv().await; } else { std::future::pending::<()>().await } } => {}
    }
}

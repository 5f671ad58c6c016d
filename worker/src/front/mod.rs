//! The two ways messages reach the handler: [`lambda`] (an SQS event
//! under AWS Lambda) and [`poll`] (`curfew worker`, long polling). Both hand
//! a [`batch`] to the handler, which keeps FIFO order per group.

pub mod batch;
pub mod lambda;
pub mod poll;

/// Log lines to stderr (CloudWatch under Lambda), at `RUST_LOG` or `info`.
pub fn init_logs() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_ansi(false)
        .with_writer(std::io::stderr)
        .init();
}

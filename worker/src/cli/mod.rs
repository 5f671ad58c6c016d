//! The operator CLI (SPEC §9): `worker`, `setup`, `apply`, `export`,
//! `tick`, `plan`, `chat`, `replay-dlq`, `import`, `savings`, each a thin command over
//! the layers below. clap's types and `anyhow`
//! stay in this module, as does the dev chat console ([`chat`]).

pub mod apply;
pub mod chat;
pub mod holidays;
pub mod import;
pub mod plan;
pub mod replay;
pub mod savings;
pub mod setup;

use crate::adapters::aws::sdk_config;
use crate::adapters::dynamodb::{ScheduleStore, TimelineStore};
use crate::adapters::jandi::{Notifier, RetryPolicy};
use crate::app::{App, Services};
use crate::config::WorkerConfig;
use crate::front::batch::DeadLetters;
use crate::front::lambda;
use crate::front::poll::Poller;
use anyhow::Context as _;
use clap::{Parser, Subcommand};
use curfew_shared::job::{scheduled_event, tick_key};
use curfew_shared::schedule::{render_schedules, SchedulesFile};
use curfew_shared::target::validate_targets;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "curfew",
    version,
    about = "ChatOps instance scheduler for AWS EC2 and RDS"
)]
struct Cli {
    /// With no subcommand under AWS Lambda (AWS_LAMBDA_RUNTIME_API set), the
    /// worker runs: Lambda starts `bootstrap` without arguments.
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print a schedule's coming events (start / stop, with their source).
    Plan(plan::PlanArgs),
    /// Create the table and the queues if missing (local use).
    Setup,
    /// Make the stored schedules match a TOML file.
    Apply {
        file: PathBuf,
        /// Show what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Delete stored schedules that the file does not have.
        #[arg(long)]
        prune: bool,
    },
    /// Print the stored schedules in the file format.
    Export,
    /// Turn an existing installation into a schedules file (and a report):
    /// exit 0 everything mapped, 3 something reported, 1 an error.
    #[command(subcommand)]
    Import(import::ImportSource),
    /// Run the job handler: under Lambda (SQS trigger) when
    /// AWS_LAMBDA_RUNTIME_API is set, else long-poll CURFEW_QUEUE_URL until
    /// SIGTERM / Ctrl-C (the batch in hand is finished first).
    Worker,
    /// A local console: type `/서버 dev status` (or with --front slack
    /// `/curfew dev status`), see the ingress's answer and then the
    /// worker's reply, received on a local incoming webhook / response_url.
    Chat(chat::ChatArgs),
    /// What stopping saved in a month, in hours and USD at on-demand rates.
    Savings(savings::SavingsArgs),
    /// The public holidays curfew knows for a country and year (no AWS).
    Holidays(holidays::HolidaysArgs),
    /// Move dead letters back to the queue (already-done jobs are dropped).
    ReplayDlq(replay::ReplayArgs),
    /// Put a tick (an EventBridge Scheduled Event) on the queue.
    Tick {
        /// The instant to evaluate the schedules at (RFC 3339); default now.
        #[arg(long, conflicts_with = "every")]
        at: Option<chrono::DateTime<chrono::FixedOffset>>,
        /// Keep ticking every SECONDS until SIGTERM / Ctrl-C: EventBridge's
        /// rate(1 minute) for a local stack (scripts/dev runs `--every 60`).
        #[arg(long, value_name = "SECONDS")]
        every: Option<u64>,
    },
}

/// Parses the command line and runs the command (the binary's whole `main`).
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::front::init_logs();
    let command = match cli.command {
        Some(command) => command,
        None if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() => Command::Worker,
        None => {
            use clap::CommandFactory as _;
            let _ = Cli::command().print_help();
            return ExitCode::from(2);
        }
    };
    let result = match command {
        // The one command with an exit status of its own (3: reported).
        Command::Import(source) => match import::run(source).await {
            Ok(status) => return status,
            Err(error) => Err(error),
        },
        Command::Plan(args) if args.file.is_some() => {
            plan::run_file(&args, &mut std::io::stdout().lock())
        }
        Command::Plan(args) => run_plan(&args).await,
        Command::Setup => run_setup().await,
        Command::Apply {
            file,
            dry_run,
            prune,
        } => run_apply(&file, dry_run, prune).await,
        Command::Export => run_export().await,
        Command::Worker => run_worker().await,
        Command::Chat(args) => chat::run(args).await,
        Command::ReplayDlq(args) => run_replay(&args).await,
        Command::Savings(args) => run_savings(&args).await,
        Command::Holidays(args) => holidays::run(
            &args,
            chrono::Utc::now().date_naive(),
            &mut std::io::stdout().lock(),
        ),
        Command::Tick { at, every: None } => run_tick(at.map(|t| t.to_utc())).await,
        Command::Tick {
            every: Some(seconds),
            ..
        } => run_ticker(std::time::Duration::from_secs(seconds.max(1))).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `curfew holidays KR | head`: the reader left, nothing went wrong.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("curfew: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn store() -> anyhow::Result<ScheduleStore> {
    Ok(ScheduleStore::new(
        aws_sdk_dynamodb::Client::new(&sdk_config().await?),
        table_name()?,
    ))
}

async fn run_plan(args: &plan::PlanArgs) -> anyhow::Result<()> {
    let client = aws_sdk_dynamodb::Client::new(&sdk_config().await?);
    let table = table_name()?;
    plan::run_stored(
        args,
        &ScheduleStore::new(client.clone(), table.clone()),
        &TimelineStore::new(client, table),
        default_tz()?,
        &mut std::io::stdout().lock(),
    )
    .await
}

async fn run_savings(args: &savings::SavingsArgs) -> anyhow::Result<()> {
    let sdk = sdk_config().await?;
    savings::run(args, &sdk, &mut std::io::stdout().lock()).await
}

async fn run_setup() -> anyhow::Result<()> {
    let sdk = sdk_config().await?;
    let table = table_name()?;
    let new = setup::create_table(&aws_sdk_dynamodb::Client::new(&sdk), &table).await?;
    println!(
        "table {table}: {}",
        if new { "created" } else { "already there" }
    );
    let (queue, dlq) = setup::create_queues(&aws_sdk_sqs::Client::new(&sdk), &table).await?;
    println!("CURFEW_QUEUE_URL={queue}");
    println!("CURFEW_DLQ_URL={dlq}");
    Ok(())
}

async fn run_apply(file: &PathBuf, dry_run: bool, prune: bool) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let parsed =
        SchedulesFile::from_toml(&text).with_context(|| format!("in {}", file.display()))?;
    // Nothing is written unless every schedule in the file is valid.
    let mut problems: Vec<String> = match parsed.validate(default_tz()?) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    };
    if let Err(errors) = validate_targets(&parsed.target) {
        problems.extend(errors.iter().map(ToString::to_string));
    }
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("{}: {problem}", file.display());
        }
        anyhow::bail!(
            "{} problem(s) in {}; nothing applied",
            problems.len(),
            file.display()
        );
    }
    let changes = apply::apply(&store().await?, &parsed, dry_run, prune).await?;
    for line in changes.lines(prune) {
        println!("{line}");
    }
    if dry_run {
        println!("(dry run: nothing written)");
    }
    Ok(())
}

async fn run_export() -> anyhow::Result<()> {
    let stored = store().await?.load().await?;
    print!("{}", render_schedules(&stored)?);
    Ok(())
}

async fn run_worker() -> anyhow::Result<()> {
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        return lambda::serve_from_env()
            .await
            .map_err(|e| anyhow::anyhow!("{e}"));
    }
    let config = WorkerConfig::from_env()?;
    let sdk = sdk_config().await?;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let dead_letters = config.dlq_url.clone().map(|url| DeadLetters {
        sqs: sqs.clone(),
        url,
    });
    let app = App {
        services: Services::new(&sdk, &config),
        notifier: std::sync::Arc::new(Notifier::new(RetryPolicy::default())?),
        config,
    };
    let poller = Poller {
        sqs,
        queue_url: app.config.require_queue()?.to_owned(),
        dead_letters,
        wait: std::time::Duration::from_secs(20),
        retry_cap: std::time::Duration::from_secs(30),
    };
    tracing::info!(table = %app.config.table, "worker polling");
    poller.run(&app, shutdown_signal()).await;
    Ok(())
}

async fn run_replay(args: &replay::ReplayArgs) -> anyhow::Result<()> {
    let config = WorkerConfig::from_env()?;
    let dlq_url = config
        .dlq_url
        .clone()
        .ok_or_else(|| anyhow::anyhow!("CURFEW_DLQ_URL is not set"))?;
    let sdk = sdk_config().await?;
    let replayer = replay::Replayer {
        sqs: aws_sdk_sqs::Client::new(&sdk),
        dlq_url,
        queue_url: config.require_queue()?.to_owned(),
        claims: Services::new(&sdk, &config).claims,
    };
    let verb = if args.dry_run { "would move" } else { "moved" };
    let done = replayer
        .run(args, |so_far| {
            eprintln!(
                "... {verb} {}, skipped {} already done, kept {} unreadable",
                so_far.moved, so_far.skipped_done, so_far.kept_unreadable
            );
        })
        .await?;
    println!(
        "{verb} {} message(s) back to the queue; skipped {} already done; kept {} unreadable in the DLQ",
        done.moved, done.skipped_done, done.kept_unreadable
    );
    Ok(())
}

async fn run_tick(at: Option<chrono::DateTime<chrono::Utc>>) -> anyhow::Result<()> {
    let config = WorkerConfig::from_env()?;
    let queue_url = config.require_queue()?;
    let at = at.unwrap_or_else(chrono::Utc::now);
    let sqs = aws_sdk_sqs::Client::new(&sdk_config().await?);
    sqs.send_message()
        .queue_url(queue_url)
        .message_body(scheduled_event(at).to_string())
        .message_group_id("tick")
        .message_deduplication_id(tick_key(at))
        .send()
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "SendMessage: {}",
                aws_sdk_sqs::error::DisplayErrorContext(&e)
            )
        })?;
    println!("tick for {} queued", at.to_rfc3339());
    Ok(())
}

/// Enqueues a tick now and then every `period`, until Ctrl-C or SIGTERM.
async fn run_ticker(period: std::time::Duration) -> anyhow::Result<()> {
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    let mut interval = tokio::time::interval(period);
    loop {
        tokio::select! {
            _ = interval.tick() => {
                if let Err(error) = run_tick(None).await {
                    eprintln!("curfew: {error:#}");
                }
            }
            () = &mut shutdown => return Ok(()),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    tracing::info!("shutting down after the batch in hand");
}

/// The worker's configuration with only `names` read from the environment
/// (the rest at their defaults): a command that needs one variable reads
/// it by the worker's own rule, and is not stopped by an unrelated one.
fn config_of(names: &[&str]) -> Result<WorkerConfig, curfew_shared::value::ConfigError> {
    WorkerConfig::from_lookup(|name| {
        names
            .contains(&name)
            .then(|| std::env::var(name).ok())
            .flatten()
    })
}

/// `CURFEW_TABLE` (default `curfew`).
fn table_name() -> anyhow::Result<String> {
    Ok(config_of(&["CURFEW_TABLE"])?.table)
}

/// `CURFEW_DEFAULT_TZ`: unset or empty is `Asia/Seoul`, anything else must
/// be a time zone.
pub fn default_tz() -> anyhow::Result<chrono_tz::Tz> {
    Ok(config_of(&["CURFEW_DEFAULT_TZ"])?.default_tz)
}

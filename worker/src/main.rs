//! `curfew`: the operator CLI (SPEC §9). Built so far: `plan`, `setup`,
//! `apply`, `export`. The worker, `tick`, `replay-dlq`, `import` and `chat`
//! arrive with the pipeline and the scheduler.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use curfew_shared::schedule::{render_schedules, SchedulesFile};
use curfew_worker::store::ScheduleStore;
use curfew_worker::{apply, default_tz, plan, sdk_config, setup, table_name};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "curfew",
    version,
    about = "ChatOps instance scheduler for AWS EC2 and RDS"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(args) => plan::run(&args, &mut std::io::stdout().lock()),
        Command::Setup => run_setup().await,
        Command::Apply {
            file,
            dry_run,
            prune,
        } => run_apply(&file, dry_run, prune).await,
        Command::Export => run_export().await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("curfew: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn store() -> ScheduleStore {
    ScheduleStore::new(
        aws_sdk_dynamodb::Client::new(&sdk_config().await),
        table_name(),
    )
}

async fn run_setup() -> anyhow::Result<()> {
    let sdk = sdk_config().await;
    let table = table_name();
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
    if let Err(errors) = parsed.validate(default_tz()?) {
        for error in &errors {
            eprintln!("{}: {error}", file.display());
        }
        anyhow::bail!(
            "{} problem(s) in {}; nothing applied",
            errors.len(),
            file.display()
        );
    }
    let changes = apply::apply(&store().await, &parsed.schedule, dry_run, prune).await?;
    for line in changes.lines(prune) {
        println!("{line}");
    }
    if dry_run {
        println!("(dry run: nothing written)");
    }
    Ok(())
}

async fn run_export() -> anyhow::Result<()> {
    let defs = store().await.list().await?;
    print!("{}", render_schedules(&defs)?);
    Ok(())
}

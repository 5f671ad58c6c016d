//! `curfew`: the operator CLI (and, with the pipeline, the worker).
//!
//! Today it has `plan`, which previews a schedule's events from a TOML file
//! with no AWS at all. The worker, `setup`, `apply`, `export`, `tick`,
//! `replay-dlq`, `import` and `chat` arrive with the pipeline (SPEC §9).

mod plan;

use clap::{Parser, Subcommand};
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(args) => plan::run(&args, &mut std::io::stdout().lock()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("curfew: {error:#}");
            ExitCode::FAILURE
        }
    }
}

//! `curfew import legacy|aws-instance-scheduler` (SPEC §5 "Import"): read
//! an existing installation's tables with paginated Scans, turn them into
//! a schedules file (the pure mapping in `crate::import`), print the report on stderr,
//! and write the file (`--out`, else stdout) or apply it (`--apply`, with
//! the seed's exceptions). Nothing is written or applied when an item was
//! left out. Exit status: 0 everything mapped, 3 something reported, 1 an
//! error.

use super::apply;
use crate::adapters::dynamodb::items::{self, Item};
use crate::adapters::dynamodb::{instance_scheduler, seed, ScheduleStore, TimelineStore};
use crate::import::legacy::Seed;
use crate::import::{self as mapping, Imported};
use anyhow::Context as _;
use chrono::Utc;
use chrono_tz::Tz;
use curfew_shared::schedule::render_schedules;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum ImportSource {
    /// The 2017 bot's tables: {P}Schedule, {P}ScheduleServerGroup, {P}ScheduleException.
    Legacy {
        /// Prefix of the three table names.
        #[arg(long, default_value = "")]
        prefix: String,
        /// The time zone the seed's Lambda ran in (its TZ).
        #[arg(long, default_value = "Asia/Seoul")]
        timezone: Tz,
        /// Countries (e.g. KR) whose public holidays the report names among
        /// the dated exceptions, so they can give way to `holidays = [...]`.
        #[arg(long, value_name = "COUNTRY", value_delimiter = ',')]
        holidays: Vec<String>,
        #[command(flatten)]
        output: Output,
    },
    /// An Instance Scheduler on AWS config table (period, schedule and config items).
    AwsInstanceScheduler {
        /// The config table's name.
        #[arg(long)]
        table: String,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Debug, clap::Args)]
pub struct Output {
    /// Write the schedules file here (default: stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Apply the result to CURFEW_TABLE at once (exceptions included).
    #[arg(long)]
    apply: bool,
}

/// Runs an import; `Ok` carries the exit status (0 or 3).
pub async fn run(source: ImportSource) -> anyhow::Result<ExitCode> {
    let sdk = crate::adapters::aws::sdk_config().await?;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let (imported, output, writer) = match source {
        ImportSource::Legacy {
            prefix,
            timezone,
            holidays,
            output,
        } => {
            for country in &holidays {
                curfew_shared::holidays::country(country).context("--holidays")?;
            }
            let seed = read_seed(&client, &prefix).await?;
            let imported = mapping::legacy::import(&seed, timezone);
            for line in mapping::legacy::on_public_holidays(&imported.exceptions, &holidays) {
                eprintln!("{line}");
            }
            (imported, output, "curfew import legacy")
        }
        ImportSource::AwsInstanceScheduler { table, output } => {
            let items = scan(&client, &table).await?;
            let table = instance_scheduler::table(&items).map_err(anyhow::Error::msg)?;
            let tag_key = super::config_of(&["CURFEW_TAG_KEY"])?.tags.schedule;
            let today = Utc::now().date_naive();
            let imported = mapping::instance_scheduler::import(&table, &tag_key, today);
            (imported, output, "curfew import aws-instance-scheduler")
        }
    };
    for line in imported.report.lines() {
        eprintln!("{line}");
    }
    if imported.report.blocks() {
        let left_out = imported
            .report
            .items
            .iter()
            .filter(|i| i.became.is_none())
            .count();
        eprintln!("{left_out} item(s) could not be imported: nothing written or applied");
        return Ok(ExitCode::from(3));
    }
    let text = render_schedules(&imported.file)?;
    match &output.out {
        Some(path) => {
            std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None if !output.apply => print!("{text}"),
        None => {}
    }
    if output.apply {
        apply_imported(&client, &imported, writer).await?;
    } else if !imported.exceptions.is_empty() {
        eprintln!(
            "{} exception(s) above are set with --apply (the file holds none)",
            imported.exceptions.len()
        );
    }
    Ok(if imported.report.has_findings() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// `apply` of the file, then the exceptions (upserts: a second run changes nothing).
async fn apply_imported(
    client: &aws_sdk_dynamodb::Client,
    imported: &Imported,
    writer: &str,
) -> anyhow::Result<()> {
    let table = super::table_name()?;
    let schedules = ScheduleStore::new(client.clone(), table.clone());
    let changes = apply::apply(&schedules, &imported.file, false, false).await?;
    for line in changes.lines(false) {
        println!("{line}");
    }
    let timelines = TimelineStore::new(client.clone(), table);
    let now = Utc::now();
    for (schedule, exception) in &imported.exceptions {
        timelines
            .set_exception(schedule, *exception, writer, now)
            .await?;
    }
    if !imported.exceptions.is_empty() {
        println!("{} exception(s) set", imported.exceptions.len());
    }
    Ok(())
}

async fn read_seed(client: &aws_sdk_dynamodb::Client, prefix: &str) -> anyhow::Result<Seed> {
    let named = |table: &str| format!("{prefix}{table}");
    let schedules = scan(client, &named("Schedule")).await?;
    let groups = scan(client, &named("ScheduleServerGroup")).await?;
    let exceptions = scan(client, &named("ScheduleException")).await?;
    Ok(Seed {
        schedules: read_all(&schedules, seed::seed_schedule)?,
        groups: read_all(&groups, seed::seed_group)?,
        exceptions: read_all(&exceptions, seed::seed_exception)?,
    })
}

/// Every item read by `one`; the first it refuses is the error.
fn read_all<T>(items: &[Item], one: fn(&Item) -> Result<T, String>) -> anyhow::Result<Vec<T>> {
    items
        .iter()
        .map(one)
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)
}

/// A whole table, with progress on stderr.
async fn scan(client: &aws_sdk_dynamodb::Client, table: &str) -> anyhow::Result<Vec<Item>> {
    let items = items::scan_all(client, table, |so_far| {
        eprintln!("... {table}: {so_far} item(s) read");
    })
    .await
    .with_context(|| format!("reading table {table}"))?;
    Ok(items)
}

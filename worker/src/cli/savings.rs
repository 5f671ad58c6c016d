//! `curfew savings [SCHEDULE] [--month YYYY-MM] [--json]` (SPEC §9): the
//! report of `commands::savings` as a table, or one JSON object per
//! schedule and then the total.

use crate::app::Services;
use crate::commands::savings::{report, Refused, Report};
use crate::config::WorkerConfig;
use anyhow::Context as _;
use curfew_shared::savings::{share_text, usd_text, Figures, Month};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct SavingsArgs {
    /// One schedule; default every schedule.
    pub schedule: Option<String>,
    /// The month, YYYY-MM; default this month (in each schedule's time zone).
    #[arg(long, value_parser = parse_month)]
    pub month: Option<Month>,
    /// One JSON object per schedule per line, then `{"total": {...}}`.
    #[arg(long)]
    pub json: bool,
}

fn parse_month(text: &str) -> Result<Month, String> {
    Month::parse(text).ok_or_else(|| format!("{text:?} is not a month: expected YYYY-MM"))
}

/// Reads, prices and prints.
pub async fn run(
    args: &SavingsArgs,
    sdk: &aws_config::SdkConfig,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let config = WorkerConfig::from_env()?;
    let services = Services::new(sdk, &config);
    let now = chrono::Utc::now();
    eprintln!("... reading the schedules, the ledger, the fleet and the prices");
    let reports = report(
        &services,
        &config,
        args.schedule.as_deref(),
        args.month,
        now,
    )
    .await
    .context("savings")?;
    let reports = match reports {
        Ok(reports) => reports,
        Err(Refused::FutureMonth(month)) => anyhow::bail!("{month} has not begun"),
    };
    if let (Some(name), true) = (&args.schedule, reports.is_empty()) {
        let known = services.schedules.load().await?.schedule;
        let known: Vec<&str> = known.iter().map(|d| d.name.as_str()).collect();
        anyhow::bail!(
            "no schedule is named {name:?} (known: {})",
            known.join(", ")
        );
    }
    let total = Figures::total(reports.iter().map(|r| &r.savings.figures));
    if args.json {
        print_json(&reports, &total, args.month, out)
    } else {
        print_table(&reports, &total, out)
    }
}

fn print_json(
    reports: &[Report],
    total: &Figures,
    month: Option<Month>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    for r in reports {
        writeln!(out, "{}", serde_json::to_string(&r.savings)?)?;
    }
    let month = month.or_else(|| reports.first().map(|r| r.savings.month));
    let mut total = serde_json::to_value(total)?;
    if let (Some(object), Some(month)) = (total.as_object_mut(), month) {
        object.insert("month".to_owned(), month.to_string().into());
    }
    writeln!(out, "{}", serde_json::json!({ "total": total }))?;
    Ok(())
}

fn print_table(reports: &[Report], total: &Figures, out: &mut impl Write) -> anyhow::Result<()> {
    let month = reports
        .first()
        .map(|r| r.savings.month.to_string())
        .unwrap_or_default();
    writeln!(out, "savings {month}, USD at on-demand rates (actual = what curfew did, planned = the timeline x what each schedule holds now)")?;
    writeln!(
        out,
        "{:<16} {:>21} {:>21} {:>11} {:>15}",
        "schedule", "hours stopped a / p", "usd saved a / p", "always-on", "share a / p"
    )?;
    let rows = reports
        .iter()
        .map(|r| (r.savings.schedule.as_str(), &r.savings.figures))
        .chain(std::iter::once(("total", total)));
    for (name, f) in rows {
        let shares = f.shares();
        writeln!(
            out,
            "{name:<16} {:>21} {:>21} {:>11} {:>15}",
            format!(
                "{:.1} / {:.1}",
                f.hours_stopped.actual, f.hours_stopped.planned
            ),
            format!("{} / {}", usd(f.usd_saved.actual), usd(f.usd_saved.planned)),
            usd(f.usd_always_on),
            format!(
                "{} / {}",
                share_text(shares.actual),
                share_text(shares.planned)
            ),
        )?;
    }
    for r in reports {
        for u in &r.savings.figures.unpriced {
            writeln!(
                out,
                "not priced: {}: {}: {}",
                r.savings.schedule, u.resource, u.reason
            )?;
        }
    }
    Ok(())
}

fn usd(value: Option<f64>) -> String {
    usd_text(value, "unavailable")
}

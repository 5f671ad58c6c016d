//! `curfew plan SCHEDULE`: a schedule's coming events with their source.
//! With `--file F` it reads the schedule from the file an operator is about
//! to apply (no AWS needed: a preview); without, the stored schedule with its
//! exceptions and overrides, as the scheduler will act on it.
//!
//! Both forms say first what holds at `--from` where the events alone would
//! not: a disabled schedule (its events are only what it would do once
//! enabled), and with `--json` the desired state at `--from` (SPEC §9).

use anyhow::{anyhow, bail, Context as _};
use chrono::{DateTime, Duration, SubsecRound as _, Utc};
use chrono_tz::Tz;
use curfew_shared::ports::{Schedules, Timelines};
use curfew_shared::schedule::{
    model::find_by_name, parse_schedules, Event, Handback, Schedule, Timeline,
};
use curfew_shared::Action;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The schedule's name.
    pub schedule: String,
    /// Read schedules from this TOML file instead of DynamoDB.
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Start of the range (RFC 3339 with offset); default now.
    #[arg(long)]
    pub from: Option<String>,
    /// Number of days to show.
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: u32,
    /// One JSON object per line: first the state at --from {"at", "state",
    /// "enabled"}, then one {"at", "action", "source"} per event.
    #[arg(long)]
    pub json: bool,
}

/// The first `--json` line (SPEC §9): what the schedule wants at `--from`,
/// so a range with no event still says whether it runs throughout.
#[derive(Debug, Serialize)]
struct JsonState {
    at: String,
    /// `running`, `stopped`, or `none` (lone starts or stops with nothing
    /// in the look-back: no desired state).
    state: &'static str,
    enabled: bool,
}

/// One `--json` event line, exactly as SPEC §9 specifies.
#[derive(Debug, Serialize)]
struct JsonEvent<'a> {
    at: String,
    action: &'a str,
    source: &'a str,
    /// Why the event differs from the plain schedule: its date is a day
    /// off, on which nothing started (SPEC §6 item 6); an event without a
    /// note has no key.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// `plan --file`: the schedule as the file has it (no exceptions, no overrides).
pub fn run_file(args: &PlanArgs, out: &mut impl Write) -> anyhow::Result<()> {
    let Some(path) = &args.file else {
        bail!("plan: no --file given");
    };
    let default_tz = super::default_tz()?;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let schedules =
        parse_schedules(&text, default_tz).with_context(|| format!("in {}", path.display()))?;
    let schedule = find_by_name(&schedules, &args.schedule, |s| &s.name).ok_or_else(|| {
        let known: Vec<&str> = schedules.iter().map(|s| s.name.as_str()).collect();
        anyhow!(
            "no schedule {:?} in {} (known: {})",
            args.schedule,
            path.display(),
            known.join(", ")
        )
    })?;
    print(&Timeline::new(schedule, &[], &[]), args, out)
}

/// `plan` from DynamoDB: the stored schedule with its exceptions and overrides.
pub async fn run_stored(
    args: &PlanArgs,
    schedules: &dyn Schedules,
    timeline: &dyn Timelines,
    default_tz: Tz,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let defs = schedules.list().await?;
    let def = find_by_name(&defs, &args.schedule, |d| &d.name).ok_or_else(|| {
        let known: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
        anyhow!(
            "no stored schedule {:?} (known: {})",
            args.schedule,
            known.join(", ")
        )
    })?;
    let schedule: Schedule = def.validate(default_tz).map_err(|errors| {
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow!("the stored schedule is invalid: {}", errors.join("; "))
    })?;
    let data = timeline.load(&schedule.name).await?;
    print(
        &Timeline::new(&schedule, &data.exceptions, &data.overrides),
        args,
        out,
    )
}

fn print(timeline: &Timeline<'_>, args: &PlanArgs, out: &mut impl Write) -> anyhow::Result<()> {
    let schedule = timeline.schedule;
    let from = match &args.from {
        Some(text) => DateTime::parse_from_rfc3339(text)
            .with_context(|| {
                format!("--from {text:?} is not RFC 3339 (e.g. 2026-12-04T00:00:00+09:00)")
            })?
            .with_timezone(&Utc),
        // Whole seconds: the first `--json` line shows this instant.
        None => Utc::now().trunc_subsecs(0),
    };
    let to = from + Duration::days(i64::from(args.days));
    let events = timeline.events(from, to);
    let state = timeline.state_at(from);
    if args.json {
        writeln!(out, "{}", state_json_line(from, state, schedule)?)?;
        for event in &events {
            writeln!(out, "{}", json_line(event, schedule)?)?;
        }
        return Ok(());
    }
    if !schedule.enabled {
        writeln!(out, "{}", disabled_line(&schedule.name))?;
    }
    // Text: each window's hand-back too, before the event it causes.
    let mut lines: Vec<(DateTime<Utc>, u8, String)> = Vec::new();
    for handback in timeline.handbacks(from, to) {
        lines.push((handback.at, 0, handback_line(&handback, schedule.timezone)));
    }
    for event in &events {
        let mut line = text_line(event, schedule.timezone);
        if let Some(note) = day_off_note(event, schedule) {
            line.push_str(&format!("  ({note})"));
        }
        lines.push((event.at, 1, line));
    }
    // Each day off in range, at its midnight: a day with no event at all
    // (an all-day period skipped) is still marked.
    let first = from.with_timezone(&schedule.timezone).date_naive();
    let last = to.with_timezone(&schedule.timezone).date_naive();
    for date in first.iter_days().take_while(|d| *d <= last) {
        if let Some(holiday) = schedule.day_off(date) {
            let midnight = curfew_shared::value::local_time::resolve(
                schedule.timezone,
                date,
                chrono::NaiveTime::MIN,
            );
            if midnight >= from && midnight < to {
                lines.push((
                    midnight,
                    0,
                    format!(
                        "{} {}  day off: {} ({}), nothing starts",
                        date,
                        date.format("%a"),
                        holiday.name_en,
                        holiday.country
                    ),
                ));
            }
        }
    }
    lines.sort();
    for (_, _, text) in &lines {
        writeln!(out, "{text}")?;
    }
    if events.is_empty() {
        let throughout = match state {
            Some(Action::Start) => "running throughout",
            Some(Action::Stop) => "stopped throughout",
            None => "no events",
        };
        writeln!(
            out,
            "{}: {throughout} the {} day(s) from {} (no start or stop)",
            schedule.name,
            args.days,
            local_text(from, schedule.timezone)
        )?;
    }
    Ok(())
}

/// `2026-12-02 Wed 10:12 +09:00  back   override  window ends: the schedule keeps it running`.
fn handback_line(handback: &Handback, tz: Tz) -> String {
    let then = match handback.resumes {
        Some(Action::Start) if handback.changes() => "the schedule starts it",
        Some(Action::Stop) if handback.changes() => "the schedule stops it",
        Some(Action::Start) => "the schedule keeps it running",
        Some(Action::Stop) => "the schedule keeps it stopped",
        None => "the schedule sets nothing, it stays as it is",
    };
    format!(
        "{}  back   override  window ends: {then}",
        local_text(handback.at, tz)
    )
}

/// The text form's first line for a schedule with `enabled = false`.
fn disabled_line(name: &str) -> String {
    format!(
        "{name} is disabled (enabled = false): no tick starts or stops anything for it; \
         the plan below is what it would do once enabled"
    )
}

/// The first `--json` line: the state at `from`.
fn state_json_line(
    from: DateTime<Utc>,
    state: Option<Action>,
    schedule: &Schedule,
) -> anyhow::Result<String> {
    Ok(serde_json::to_string(&JsonState {
        at: json_at(from, schedule.timezone),
        state: match state {
            Some(Action::Start) => "running",
            Some(Action::Stop) => "stopped",
            None => "none",
        },
        enabled: schedule.enabled,
    })?)
}

/// One `--json` event line.
fn json_line(event: &Event, schedule: &Schedule) -> anyhow::Result<String> {
    Ok(serde_json::to_string(&JsonEvent {
        at: json_at(event.at, schedule.timezone),
        action: event.action.as_str(),
        source: event.source.as_str(),
        note: day_off_note(event, schedule),
    })?)
}

/// `day off: Korean New Year (KR)` when the event's local date is one.
fn day_off_note(event: &Event, schedule: &Schedule) -> Option<String> {
    let date = event.at.with_timezone(&schedule.timezone).date_naive();
    schedule
        .day_off(date)
        .map(|h| format!("day off: {} ({})", h.name_en, h.country))
}

/// RFC 3339 with the schedule's offset (`2026-12-04T09:00:00+09:00`).
fn json_at(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).to_rfc3339()
}

/// `2026-12-04 Fri 09:00 +09:00  start  schedule`.
fn text_line(event: &Event, tz: Tz) -> String {
    format!(
        "{}  {:<5}  {}",
        local_text(event.at, tz),
        event.action.as_str(),
        event.source.as_str()
    )
}

fn local_text(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %a %H:%M %:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// `plan SCHEDULE --file FILE --from FROM --days DAYS [--json]`.
    fn plan_in(
        file: PathBuf,
        schedule: &str,
        from: &str,
        days: u32,
        json: bool,
    ) -> anyhow::Result<String> {
        let args = PlanArgs {
            schedule: schedule.to_owned(),
            file: Some(file),
            from: Some(from.to_owned()),
            days,
            json,
        };
        let mut out = Vec::new();
        run_file(&args, &mut out)?;
        Ok(String::from_utf8(out)?)
    }

    /// Over the example schedules file.
    fn plan(schedule: &str, from: &str, days: u32, json: bool) -> anyhow::Result<String> {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/schedules.toml");
        plan_in(PathBuf::from(file), schedule, from, days, json)
    }

    /// `plan NAME --file` over a file holding `toml` (one schedule, `NAME`).
    fn plan_toml(name: &str, toml: &str, from: &str, days: u32, json: bool) -> String {
        let dir = std::env::temp_dir().join(format!("curfew-plan-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{name}.toml"));
        std::fs::write(&file, toml).unwrap();
        let result = plan_in(file, name, from, days, json);
        std::fs::remove_dir_all(&dir).unwrap();
        result.unwrap()
    }

    fn keys(line: &str) -> Vec<String> {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }

    /// `00:00-23:59` every day: the bridge runs it through midnight.
    const ALL_DAY: &str = "[[schedule]]\nname = \"allday\"\ntimezone = \"Asia/Seoul\"\n\
        [[schedule.period]]\ndays = \"all\"\nstart = \"00:00\"\nstop = \"23:59\"\n";

    /// Up on Mondays only: stopped from Tuesday to Sunday.
    const MONDAYS: &str = "[[schedule]]\nname = \"mondays\"\ntimezone = \"Asia/Seoul\"\n\
        [[schedule.period]]\ndays = \"mon\"\nstart = \"09:00\"\nstop = \"19:00\"\n";

    /// A lone start on the 1st of each month: mid-month, nothing in the look-back.
    const LONE_STARTS: &str = "[[schedule]]\nname = \"monthly\"\ntimezone = \"Asia/Seoul\"\n\
        [[schedule.period]]\nmonthdays = \"1\"\nstart = \"09:00\"\n";

    /// The dev weekdays, switched off.
    const DISABLED: &str = "[[schedule]]\nname = \"off\"\ntimezone = \"Asia/Seoul\"\n\
        enabled = false\n[[schedule.period]]\ndays = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"\n";

    #[test]
    fn json_says_running_throughout_for_an_all_day_schedule() {
        let out = plan_toml("allday", ALL_DAY, "2026-12-04T12:00:00+09:00", 3, true);
        assert_eq!(
            out,
            "{\"at\":\"2026-12-04T12:00:00+09:00\",\"state\":\"running\",\"enabled\":true}\n"
        );
    }

    #[test]
    fn json_says_stopped_throughout_between_mondays() {
        let out = plan_toml("mondays", MONDAYS, "2026-12-08T00:00:00+09:00", 5, true);
        assert_eq!(
            out,
            "{\"at\":\"2026-12-08T00:00:00+09:00\",\"state\":\"stopped\",\"enabled\":true}\n"
        );
    }

    #[test]
    fn json_says_none_for_lone_starts_with_nothing_in_the_look_back() {
        let out = plan_toml("monthly", LONE_STARTS, "2026-12-15T00:00:00+09:00", 3, true);
        assert_eq!(
            out,
            "{\"at\":\"2026-12-15T00:00:00+09:00\",\"state\":\"none\",\"enabled\":true}\n"
        );
        // Its first start is in range: listed after the state line.
        let out = plan_toml("monthly", LONE_STARTS, "2026-12-31T00:00:00+09:00", 2, true);
        assert_eq!(
            out.lines().collect::<Vec<_>>(),
            [
                r#"{"at":"2026-12-31T00:00:00+09:00","state":"none","enabled":true}"#,
                r#"{"at":"2027-01-01T09:00:00+09:00","action":"start","source":"schedule"}"#,
            ]
        );
    }

    #[test]
    fn the_state_line_has_exactly_at_state_enabled_and_events_no_note() {
        let out = plan("dev", "2026-12-04T00:00:00+09:00", 4, true).unwrap();
        let mut lines = out.lines();
        assert_eq!(keys(lines.next().unwrap()), ["at", "enabled", "state"]);
        let events: Vec<&str> = lines.collect();
        assert_eq!(events.len(), 6, "{out}");
        for line in events {
            assert_eq!(keys(line), ["action", "at", "source"], "{line}");
        }
    }

    #[test]
    fn a_disabled_schedule_says_so_in_both_forms_and_still_lists_its_events() {
        let json = plan_toml("off", DISABLED, "2026-12-04T00:00:00+09:00", 1, true);
        assert_eq!(
            json.lines().collect::<Vec<_>>(),
            [
                r#"{"at":"2026-12-04T00:00:00+09:00","state":"stopped","enabled":false}"#,
                r#"{"at":"2026-12-04T09:00:00+09:00","action":"start","source":"schedule"}"#,
                r#"{"at":"2026-12-04T19:00:00+09:00","action":"stop","source":"schedule"}"#,
            ]
        );
        let words = plan_toml("off", DISABLED, "2026-12-04T00:00:00+09:00", 1, false);
        assert_eq!(
            words.lines().collect::<Vec<_>>(),
            [
                "off is disabled (enabled = false): no tick starts or stops anything for it; \
                 the plan below is what it would do once enabled",
                "2026-12-04 Fri 09:00 +09:00  start  schedule",
                "2026-12-04 Fri 19:00 +09:00  stop   schedule",
            ]
        );
    }

    #[test]
    fn an_enabled_schedule_has_no_disabled_line() {
        let out = plan("dev", "2026-12-04T00:00:00+09:00", 1, false).unwrap();
        assert!(!out.contains("disabled"), "{out}");
    }

    #[test]
    fn json_lines_for_the_dev_weekend() {
        let out = plan("dev", "2026-12-04T00:00:00+09:00", 4, true).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 7);
        assert_eq!(
            lines[0],
            r#"{"at":"2026-12-04T00:00:00+09:00","state":"stopped","enabled":true}"#
        );
        assert_eq!(
            lines[1],
            r#"{"at":"2026-12-04T09:00:00+09:00","action":"start","source":"schedule"}"#
        );
        assert!(!out.contains("2026-12-06"), "Sunday has no events: {out}");
    }

    /// The dev weekdays keeping KR's holidays.
    const KR_DEV: &str = "[[schedule]]\nname = \"kr\"\ntimezone = \"Asia/Seoul\"\n\
        holidays = [\"KR\"]\n[[schedule.period]]\ndays = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"\n";

    /// SPEC §9: an event on a day off carries a `note`; the days off are
    /// marked in the text form, also where nothing happens at all.
    #[test]
    fn days_off_are_noted_in_both_forms() {
        let out = plan_toml("kr", KR_DEV, "2027-02-05T00:00:00+09:00", 6, true);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[1..],
            [
                r#"{"at":"2027-02-05T09:00:00+09:00","action":"start","source":"schedule"}"#,
                r#"{"at":"2027-02-05T19:00:00+09:00","action":"stop","source":"schedule"}"#,
                r#"{"at":"2027-02-08T19:00:00+09:00","action":"stop","source":"schedule","note":"day off: The second day of Korean New Year (KR)"}"#,
                r#"{"at":"2027-02-09T19:00:00+09:00","action":"stop","source":"schedule","note":"day off: Alternative holiday for Korean New Year (KR)"}"#,
                r#"{"at":"2027-02-10T09:00:00+09:00","action":"start","source":"schedule"}"#,
                r#"{"at":"2027-02-10T19:00:00+09:00","action":"stop","source":"schedule"}"#,
            ]
        );
        let text = plan_toml("kr", KR_DEV, "2027-02-05T00:00:00+09:00", 6, false);
        assert!(
            text.contains("2027-02-07 Sun  day off: Korean New Year (KR), nothing starts\n"),
            "{text}"
        );
        assert!(
            text.contains("2027-02-08 Mon  day off: The second day of Korean New Year (KR), nothing starts\n2027-02-08 Mon 19:00 +09:00  stop   schedule  (day off: The second day of Korean New Year (KR))"),
            "{text}"
        );
    }

    #[test]
    fn text_output_names_weekday_and_offset() {
        let out = plan("batch", "2026-12-04T00:00:00+09:00", 1, false).unwrap();
        assert_eq!(
            out.lines().next(),
            Some("2026-12-04 Fri 06:00 +09:00  stop   schedule")
        );
    }

    #[test]
    fn a_schedule_that_runs_all_the_time_says_so() {
        let always = "[[schedule]]\nname = \"always\"\ntimezone = \"Asia/Seoul\"\n[[schedule.period]]\ndays = \"all\"\n";
        let from = "2026-12-04T00:00:00+09:00";
        assert_eq!(
            plan_toml("always", always, from, 7, false),
            "always: running throughout the 7 day(s) from 2026-12-04 Fri 00:00 +09:00 (no start or stop)\n"
        );
        assert_eq!(
            plan_toml("always", always, from, 7, true),
            "{\"at\":\"2026-12-04T00:00:00+09:00\",\"state\":\"running\",\"enabled\":true}\n",
            "--json says the state even with no event"
        );
    }

    #[test]
    fn schedule_names_match_case_insensitively() {
        assert!(plan("DEV", "2026-12-04T00:00:00+09:00", 1, true).is_ok());
    }

    #[test]
    fn unknown_schedule_lists_the_known_ones() {
        let error = plan("prod", "2026-12-04T00:00:00+09:00", 1, true)
            .unwrap_err()
            .to_string();
        assert!(error.contains("dev, staging, batch"), "{error}");
    }

    #[test]
    fn bad_from_says_what_to_write() {
        let error = plan("dev", "2026-12-04", 1, true).unwrap_err().to_string();
        assert!(error.contains("RFC 3339"), "{error}");
    }
}

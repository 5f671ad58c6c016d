//! `curfew import legacy|aws-instance-scheduler` as an operator runs it:
//! the binary, against tables created on the local AWS (moto) in the exact
//! shapes the seed's README and Instance Scheduler's config items use
//! (string sets as DynamoDB string sets, booleans as BOOL or strings).

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType,
};
use curfew_shared::schedule::{render_schedules, SchedulesFile};
use curfew_worker::adapters::dynamodb::{ScheduleStore, TimelineStore};
use curfew_worker::cli::setup;
use std::collections::HashMap;
use std::process::{Command, Output};

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

fn ss(items: &[&str]) -> AttributeValue {
    AttributeValue::Ss(items.iter().map(|i| (*i).to_owned()).collect())
}

async fn table(client: &aws_sdk_dynamodb::Client, name: &str, keys: &[&str]) {
    let mut create = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest);
    for (i, key) in keys.iter().enumerate() {
        let kind = if i == 0 {
            KeyType::Hash
        } else {
            KeyType::Range
        };
        create = create
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name(*key)
                    .key_type(kind)
                    .build()
                    .unwrap(),
            )
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(*key)
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            );
    }
    create.send().await.unwrap();
}

async fn put(client: &aws_sdk_dynamodb::Client, table: &str, item: &[(&str, AttributeValue)]) {
    let item: HashMap<String, AttributeValue> = item
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    client
        .put_item()
        .table_name(table)
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
}

/// `curfew import ARGS` with `CURFEW_TABLE` = `curfew_table`.
fn import(curfew_table: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_curfew"))
        .arg("import")
        .args(args)
        .env("CURFEW_TABLE", curfew_table)
        .env("CURFEW_TAG_KEY", "Schedule")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn curfew_table(client: &aws_sdk_dynamodb::Client, name: &str) -> String {
    let table = format!("{name}-{}", std::process::id());
    setup::create_table(client, &table).await.unwrap();
    table
}

#[tokio::test]
async fn the_seeds_three_tables_import_and_apply_with_their_exceptions() {
    let Some(endpoint) = curfew_testkit::local_aws() else {
        return;
    };
    let client = aws_sdk_dynamodb::Client::new(&curfew_testkit::sdk_at(&endpoint).await);
    let prefix = format!("seed{}-", std::process::id());
    let name = |t: &str| format!("{prefix}{t}");
    table(&client, &name("Schedule"), &["ScheduleName"]).await;
    table(
        &client,
        &name("ScheduleServerGroup"),
        &["ScheduleName", "GroupName"],
    )
    .await;
    table(&client, &name("ScheduleException"), &["ExceptionUuid"]).await;
    put(
        &client,
        &name("Schedule"),
        &[
            ("ScheduleName", s("dev")),
            ("TagValue", s("dev")),
            ("DaysActive", s("weekdays")),
            ("Enabled", AttributeValue::Bool(true)),
            ("StartTime", s("9:00")),
            ("StopTime", s("19:00")),
            ("ForceStart", AttributeValue::Bool(false)),
        ],
    )
    .await;
    put(
        &client,
        &name("Schedule"),
        &[
            ("ScheduleName", s("batch")),
            ("TagValue", s("batch-servers")),
            ("DaysActive", s("mon,wed,fri")),
            ("Enabled", s("true")),
            ("StartTime", s("8:30")),
            ("StopTime", s("None")),
            ("ForceStart", s("false")),
        ],
    )
    .await;
    for (group, kind, after) in [
        ("db", "RDS", vec![]),
        ("cache", "EC2", vec![]),
        ("app", "EC2", vec![s("db"), s("cache")]),
    ] {
        put(
            &client,
            &name("ScheduleServerGroup"),
            &[
                ("ScheduleName", s("dev")),
                ("GroupName", s(group)),
                ("InstanceType", s(kind)),
                ("Dependency", AttributeValue::L(after)),
            ],
        )
        .await;
    }
    put(
        &client,
        &name("ScheduleException"),
        &[
            ("ExceptionUuid", s("0b6f")),
            ("ScheduleName", s("dev")),
            ("ExceptionDate", s("2027-01-04")),
            ("ExceptionType", s("start")),
            ("ExceptionValue", s("10:30")),
        ],
    )
    .await;

    let target = curfew_table(&client, "import-legacy").await;
    let out = std::env::temp_dir().join(format!("{prefix}schedules.toml"));
    let ran = import(
        &target,
        &[
            "legacy",
            "--prefix",
            &prefix,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let report = text(&ran.stderr);
    assert_eq!(ran.status.code(), Some(0), "{report}");
    assert!(
        report.contains("Schedule batch -> schedule batch"),
        "{report}"
    );
    assert!(
        report.contains("ScheduleException 0b6f -> exception dev 2027-01-04 start 10:30"),
        "{report}"
    );
    let file = SchedulesFile::from_toml(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let batch = file.schedule.iter().find(|d| d.name == "batch").unwrap();
    assert_eq!(batch.tag.as_deref(), Some("batch-servers"));
    assert_eq!(
        (
            batch.periods[0].start.as_deref(),
            batch.periods[0].stop.as_deref()
        ),
        (Some("08:30"), None)
    );
    let dev = file.schedule.iter().find(|d| d.name == "dev").unwrap();
    let app = dev.groups.iter().find(|g| g.name == "app").unwrap();
    assert_eq!(app.after, ["db", "cache"]);
    let store = ScheduleStore::new(client.clone(), target.clone());
    assert!(
        store.list().await.unwrap().is_empty(),
        "--out alone applies nothing"
    );

    let applied = import(&target, &["legacy", "--prefix", &prefix, "--apply"]);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied.stderr));
    assert!(text(&applied.stdout).contains("1 exception(s) set"));
    let mut exported =
        SchedulesFile::from_toml(&render_schedules(&store.load().await.unwrap()).unwrap())
            .unwrap()
            .schedule;
    let mut imported = file.schedule.clone();
    exported.sort_by(|a, b| a.name.cmp(&b.name));
    imported.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(exported, imported, "export of the imported set is the file");
    let timeline = TimelineStore::new(client.clone(), target.clone())
        .load("dev")
        .await
        .unwrap();
    assert_eq!(timeline.exceptions.len(), 1);
    let again = import(&target, &["legacy", "--prefix", &prefix, "--apply"]);
    assert!(
        text(&again.stdout).contains("= dev"),
        "a second run changes nothing"
    );
}

/// An Instance Scheduler config table: the sample's shapes.
async fn instance_scheduler_table(client: &aws_sdk_dynamodb::Client, name: &str, weekdays: &str) {
    table(client, name, &["type", "name"]).await;
    put(
        client,
        name,
        &[
            ("type", s("config")),
            ("name", s("scheduler")),
            ("tagname", s("Schedule")),
            ("default_timezone", s("UTC")),
        ],
    )
    .await;
    put(
        client,
        name,
        &[
            ("type", s("period")),
            ("name", s("office")),
            ("begintime", s("09:00")),
            ("endtime", s("17:00")),
            ("weekdays", ss(&[weekdays])),
            ("description", s("Office hours")),
        ],
    )
    .await;
    put(
        client,
        name,
        &[
            ("type", s("period")),
            ("name", s("weekend")),
            ("weekdays", ss(&["sat", "sun"])),
        ],
    )
    .await;
    put(
        client,
        name,
        &[
            ("type", s("period")),
            ("name", s("first-monday")),
            ("begintime", s("10:00")),
            ("endtime", s("12:00")),
            ("weekdays", ss(&["mon#1"])),
            ("monthdays", ss(&["L"])),
        ],
    )
    .await;
    put(
        client,
        name,
        &[
            ("type", s("schedule")),
            ("name", s("seoul")),
            ("periods", ss(&["office", "weekend"])),
            ("timezone", s("Asia/Seoul")),
            ("enforced", AttributeValue::Bool(true)),
            ("stop_new_instances", AttributeValue::Bool(true)),
        ],
    )
    .await;
    put(
        client,
        name,
        &[
            ("type", s("schedule")),
            ("name", s("big")),
            ("periods", ss(&["office@t3.large", "first-monday"])),
            ("timezone", s("UTC")),
            ("retain_running", AttributeValue::Bool(false)),
        ],
    )
    .await;
}

/// Asserts the state `curfew plan --json` gives at each instant (the
/// latest event before it, else the state line at `--from`) is the one
/// `expected` pairs with it.
fn assert_planned(target: &str, schedule: &str, expected: &[(&str, &str)]) {
    let plan = Command::new(env!("CARGO_BIN_EXE_curfew"))
        .args([
            "plan",
            schedule,
            "--from",
            "2026-12-31T00:00:00+09:00",
            "--days",
            "366",
            "--json",
        ])
        .env("CURFEW_TABLE", target)
        .output()
        .unwrap();
    assert!(plan.status.success(), "{}", text(&plan.stderr));
    let stdout = text(&plan.stdout);
    let mut lines = stdout.lines();
    let first: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(first["enabled"], true, "{schedule}: {first}");
    let at_from = first["state"].as_str().unwrap().to_owned();
    let events: Vec<(chrono::DateTime<chrono::FixedOffset>, String)> = lines
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                chrono::DateTime::parse_from_rfc3339(v["at"].as_str().unwrap()).unwrap(),
                v["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let planned: Vec<(&str, &str)> = expected
        .iter()
        .map(|(at, _)| {
            let instant = chrono::DateTime::parse_from_rfc3339(at).unwrap();
            let state = match events.iter().rfind(|(t, _)| *t <= instant) {
                Some((_, action)) if action == "start" => "running",
                Some(_) => "stopped",
                None => at_from.as_str(),
            };
            (*at, state)
        })
        .collect();
    assert_eq!(planned, expected, "{schedule}");
}

#[tokio::test]
async fn an_instance_scheduler_table_imports_and_plans_as_instance_scheduler_runs() {
    let Some(endpoint) = curfew_testkit::local_aws() else {
        return;
    };
    let client = aws_sdk_dynamodb::Client::new(&curfew_testkit::sdk_at(&endpoint).await);
    let source = format!("is-config-{}", std::process::id());
    instance_scheduler_table(&client, &source, "mon-fri").await;
    let target = curfew_table(&client, "import-is").await;
    let ran = import(
        &target,
        &["aws-instance-scheduler", "--table", &source, "--apply"],
    );
    let report = text(&ran.stderr);
    assert_eq!(
        ran.status.code(),
        Some(3),
        "the resize is reported: {report}"
    );
    assert!(
        report.contains("office@t3.large: curfew does not resize"),
        "{report}"
    );
    assert!(
        report.contains("config scheduler -> CURFEW_TAG_KEY=Schedule"),
        "{report}"
    );
    assert!(
        text(&ran.stdout).contains("+ seoul"),
        "{}",
        text(&ran.stdout)
    );

    // Expected states worked out by hand from Instance Scheduler's rules
    // (running_period.py: running in [begintime, endtime) on matching
    // days, a period without times runs all day, no matching period is
    // stopped); 2027-01-01 is a Friday.
    let seoul = [
        ("2027-01-04T10:00:00+09:00", "running"), // Mon, office
        ("2027-01-04T17:30:00+09:00", "stopped"), // after 17:00
        ("2027-01-09T03:00:00+09:00", "running"), // Sat, weekend all day
        ("2027-01-11T08:59:00+09:00", "stopped"), // Mon before office
        ("2027-07-16T16:59:00+09:00", "running"), // Fri
        ("2027-07-16T17:00:00+09:00", "stopped"),
        ("2027-12-25T12:00:00+09:00", "running"), // Sat
    ];
    assert_planned(&target, "seoul", &seoul);
    // `big` runs office hours in UTC; first-monday (a first Monday that is
    // also the month's last day) never matches.
    let big = [
        ("2027-02-01T10:30:00+00:00", "running"), // first Monday of February
        ("2027-02-01T17:00:00+00:00", "stopped"),
        ("2027-02-06T10:30:00+00:00", "stopped"), // Sat
    ];
    assert_planned(&target, "big", &big);
}

#[tokio::test]
async fn an_unknown_weekday_is_reported_and_nothing_is_applied() {
    let Some(endpoint) = curfew_testkit::local_aws() else {
        return;
    };
    let client = aws_sdk_dynamodb::Client::new(&curfew_testkit::sdk_at(&endpoint).await);
    let source = format!("is-bad-{}", std::process::id());
    instance_scheduler_table(&client, &source, "mon-fry").await;
    let target = curfew_table(&client, "import-bad").await;
    let ran = import(
        &target,
        &["aws-instance-scheduler", "--table", &source, "--apply"],
    );
    let report = text(&ran.stderr);
    assert_eq!(ran.status.code(), Some(3), "{report}");
    assert!(
        report.contains("period office -> (not imported)\n    weekdays:"),
        "{report}"
    );
    assert!(report.contains("nothing written or applied"), "{report}");
    let store = ScheduleStore::new(client.clone(), target);
    assert!(
        store.list().await.unwrap().is_empty(),
        "not even the schedule that was fine"
    );

    let missing = import(
        "unused",
        &["aws-instance-scheduler", "--table", "no-such-table"],
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing.stderr).contains("no-such-table"),
        "{}",
        text(&missing.stderr)
    );
}

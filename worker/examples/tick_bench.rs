//! The tick benchmark (issue 4): 1,000 EC2 + 50 RDS instances in 100
//! schedules (groups `app after db` in each) on a local AWS, one real
//! `curfew worker` process taking ticks from the queue. For each tick it
//! prints the wall time, the AWS calls by operation next to the SPEC §6
//! floor, and at the end the worker's peak memory (VmHWM).
//!
//! Run with `scripts/bench-tick` (it starts moto). Not a test: it prints
//! figures and asserts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use chrono::{DateTime, TimeZone, Utc};
use curfew_shared::job::{scheduled_event, tick_key};
use curfew_shared::schedule::SchedulesFile;
use curfew_testkit::{any_image, sdk_at, CountingProxy};
use curfew_worker::setup::{create_queues, create_table};
use curfew_worker::store::ScheduleStore;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const SCHEDULES: usize = 100;
const EC2_PER_SCHEDULE: i32 = 10;
const RDS: usize = 50;

fn schedule_file() -> String {
    (0..SCHEDULES)
        .map(|n| {
            format!(
                r#"
[[schedule]]
name = "s{n:03}"
timezone = "Asia/Seoul"
stop_warning_minutes = 0
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
[[schedule.group]]
name = "db"
kind = "rds"
[[schedule.group]]
name = "app"
kind = "ec2"
after = ["db"]
"#
            )
        })
        .collect()
}

async fn fleet(sdk: &aws_config::SdkConfig) {
    use aws_sdk_ec2::types::{InstanceType, ResourceType, Tag, TagSpecification};
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let rds = aws_sdk_rds::Client::new(sdk);
    let image = any_image(sdk).await;
    let mut ids = Vec::new();
    for n in 0..SCHEDULES {
        let tags = TagSpecification::builder()
            .resource_type(ResourceType::Instance)
            .tags(
                Tag::builder()
                    .key("ScheduleName")
                    .value(format!("s{n:03}"))
                    .build(),
            )
            .tags(Tag::builder().key("ScheduleGroupName").value("app").build())
            .build();
        let run = ec2
            .run_instances()
            .image_id(&image)
            .instance_type(InstanceType::T3Micro)
            .min_count(EC2_PER_SCHEDULE)
            .max_count(EC2_PER_SCHEDULE)
            .tag_specifications(tags)
            .send()
            .await
            .unwrap();
        ids.extend(
            run.instances()
                .iter()
                .filter_map(|i| i.instance_id().map(str::to_owned)),
        );
    }
    for chunk in ids.chunks(500) {
        ec2.stop_instances()
            .set_instance_ids(Some(chunk.to_vec()))
            .send()
            .await
            .unwrap();
    }
    // Every other schedule has a database.
    for n in (0..SCHEDULES).step_by(SCHEDULES / RDS) {
        let tag = |k: &str, v: &str| aws_sdk_rds::types::Tag::builder().key(k).value(v).build();
        let id = format!("s{n:03}-db");
        rds.create_db_instance()
            .db_instance_identifier(&id)
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .master_username("curfew")
            .master_user_password("curfew-local-only")
            .tags(tag("ScheduleName", &format!("s{n:03}")))
            .tags(tag("ScheduleGroupName", "db"))
            .send()
            .await
            .unwrap();
        rds.stop_db_instance()
            .db_instance_identifier(&id)
            .send()
            .await
            .unwrap();
    }
    println!(
        "fleet: {} EC2, {RDS} RDS in {SCHEDULES} schedules",
        ids.len()
    );
}

/// Waits until the worker has marked the tick's job done.
async fn wait_done(dynamodb: &aws_sdk_dynamodb::Client, table: &str, key: &str) {
    use aws_sdk_dynamodb::types::AttributeValue;
    loop {
        let item = dynamodb
            .get_item()
            .table_name(table)
            .key("pk", AttributeValue::S(format!("JOB#{key}")))
            .key("sk", AttributeValue::S("JOB".to_owned()))
            .consistent_read(true)
            .send()
            .await
            .unwrap()
            .item;
        if item.and_then(|i| i.get("status").cloned()) == Some(AttributeValue::S("done".to_owned()))
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn kst(hour: u32, minute: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2026, 12, 7, hour, minute, 0)
        .unwrap()
        .to_utc()
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[tokio::main]
async fn main() {
    let endpoint =
        std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: run scripts/bench-tick");
    let worker_bin = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/debug/curfew".to_owned());
    let sdk = sdk_at(&endpoint).await;
    let table = "bench";
    let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
    create_table(&dynamodb, table).await.unwrap();
    let (queue, dlq) = create_queues(&aws_sdk_sqs::Client::new(&sdk), table)
        .await
        .unwrap();
    let file = SchedulesFile::from_toml(&schedule_file()).unwrap();
    let store = ScheduleStore::new(dynamodb.clone(), table.to_owned());
    for def in &file.schedule {
        store.put(def, Utc::now()).await.unwrap();
    }
    fleet(&sdk).await;

    let proxy = CountingProxy::start(endpoint.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    let mut worker = std::process::Command::new(&worker_bin)
        .arg("worker")
        .env("AWS_ENDPOINT_URL", proxy.endpoint())
        .env("CURFEW_TABLE", table)
        .env("CURFEW_QUEUE_URL", &queue)
        .env("CURFEW_DLQ_URL", &dlq)
        .env("CURFEW_TICK_MAX_AGE", "0")
        .env("RUST_LOG", "error")
        .env_remove("CURFEW_JANDI_WEBHOOK_URL")
        .spawn()
        .unwrap();
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    // (label, instant, EC2 batches, RDS calls, schedules whose state is
    // written): what the SPEC §6 floor counts for each tick.
    let ticks = [
        (
            "08:59 first tick after apply (records the last stop)",
            kst(8, 59),
            0,
            0,
            SCHEDULES,
        ),
        (
            "09:00 every schedule starts (db, or app where no db)",
            kst(9, 0),
            1,
            RDS,
            SCHEDULES,
        ),
        ("09:01 app after db", kst(9, 1), 1, 0, RDS),
        ("09:02 idle", kst(9, 2), 0, 0, 0),
        (
            "19:00 every schedule stops (app first)",
            kst(19, 0),
            1,
            0,
            SCHEDULES,
        ),
        ("19:01 db after app", kst(19, 1), 0, RDS, RDS),
        ("19:02 idle", kst(19, 2), 0, 0, 0),
    ];
    println!();
    println!(
        "{:<62} {:>8} {:>6} {:>6}  calls by operation",
        "tick", "wall ms", "calls", "floor"
    );
    for (label, at, ec2_batches, rds_calls, states_written) in ticks {
        proxy.reset();
        let started = Instant::now();
        sqs.send_message()
            .queue_url(&queue)
            .message_body(scheduled_event(at).to_string())
            .message_group_id("tick")
            .message_deduplication_id(tick_key(at))
            .send()
            .await
            .unwrap();
        wait_done(&dynamodb, table, &tick_key(at)).await;
        let wall = started.elapsed();
        // Let the worker delete the message before counting.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut by_op: BTreeMap<String, usize> = BTreeMap::new();
        for call in proxy.calls() {
            if call.service != "sqs" {
                *by_op.entry(call.operation).or_default() += 1;
            }
        }
        let total: usize = by_op.values().sum();
        // SPEC §6 floor: the reads every tick makes (2 Query pages) and the
        // job's claim and done records; when something is due, the describe
        // pages (1 EC2 page of 1,000, 1 RDS page of 100), the batched actions
        // and one state write per schedule that acted.
        let describe = if states_written > 0 { 2 } else { 0 };
        let floor = 2 + 2 + describe + ec2_batches + rds_calls + states_written;
        let ops: Vec<String> = by_op.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!(
            "{label:<62} {:>8} {total:>6} {floor:>6}  {}",
            wall.as_millis(),
            ops.join(", ")
        );
    }
    println!();
    match peak_rss_kib(worker.id()) {
        Some(kib) => println!("worker peak RSS (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("worker peak RSS: unavailable"),
    }
    let _ = worker.kill();
    let _ = worker.wait();
}

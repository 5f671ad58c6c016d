//! The tick benchmark (issues 4 and 7): a fleet of N EC2 instances, 10 to
//! a schedule (group `app`), and one RDS instance (group `db`, `app after
//! db`) in every fifth schedule, on a local AWS; one real `curfew worker`
//! process takes the ticks from the queue and posts its notices to a real
//! HTTP webhook. The proxy that counts the calls also cuts moto's
//! `DescribeInstances` answers into AWS's pages of 1,000 instances (moto
//! pages by reservation: its one page would hold all 10,000). For each tick it prints the wall time (enqueue → job done),
//! the AWS calls by operation (with the local AWS's time answering them)
//! next to the SPEC §6 floor, and the webhook
//! posts; then the worker's peak memory (VmHWM). Given several sizes it
//! resets the local AWS between them and ends with a table of how each
//! figure grows.
//!
//! With `--mixed`, every tenth schedule also holds one of each newer kind
//! (issue 14): an Aurora cluster (group `aurora`), and an Auto Scaling
//! group (`web`) and an ECS service (`api`) both after it; at 10,000 EC2
//! that is 100 of each, beside the 200 RDS instances.
//!
//! With `--fan-out`, each size is the fleet of one (target, region) pair,
//! and there are four pairs: two accounts × two regions (issue 15,
//! `fan_out.rs`), run with one worker process and then with four.
//!
//!   tick_bench <curfew binary> [--mixed | --fan-out] [EC2 instances ...]     (default 1000)
//!
//! Run with `scripts/bench-tick` (it starts moto). Not a test: it prints
//! figures and asserts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod fan_out;

use chrono::{DateTime, TimeZone, Utc};
use curfew_shared::job::{scheduled_event, tick_key};
use curfew_shared::schedule::SchedulesFile;
use curfew_testkit::{
    any_image, aurora_cluster, ecs_service, rds_instance, sdk_at, CountingProxy, WebhookSink,
};
use curfew_worker::adapters::dynamodb::{ClaimStore, ScheduleStore};
use curfew_worker::cli::setup::{create_queues, create_table};
use futures::stream::{self, StreamExt};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const EC2_PER_SCHEDULE: usize = 10;
/// One schedule in this many has a database.
const RDS_EVERY: usize = 5;
/// With `--mixed`, one schedule in this many (those numbered 1 past a
/// multiple: none of them has a database) has a cluster, a group and a service.
const MIXED_EVERY: usize = 10;
/// The worker's AWS attempt timeout here (`CURFEW_AWS_ATTEMPT_TIMEOUT`):
/// moto answers one 10,000-instance `DescribeInstances` in about 90 s (see
/// "Where the time goes"), where AWS's pages take a second or two; with
/// the product's 10 s an attempt, the tick would time out and retry while
/// moto still computes the abandoned answers.
const MOTO_ATTEMPT_TIMEOUT: &str = "600";
/// ECS services in one cluster (one `DescribeServices` call each).
const SERVICES_PER_CLUSTER: usize = 10;

/// The fleet of one run.
#[derive(Debug, Clone, Copy)]
struct Size {
    schedules: usize,
    rds: usize,
    /// Schedules with an Aurora cluster, an Auto Scaling group and an ECS
    /// service: one of each.
    mixed: usize,
}

impl Size {
    fn of_ec2(ec2: usize, mixed: bool) -> Self {
        let schedules = ec2.div_ceil(EC2_PER_SCHEDULE).max(1);
        let mixed = if mixed {
            (0..schedules).filter(|n| Self::has_mix(*n)).count()
        } else {
            0
        };
        Self {
            schedules,
            rds: schedules.div_ceil(RDS_EVERY),
            mixed,
        }
    }

    const fn ec2(self) -> usize {
        self.schedules * EC2_PER_SCHEDULE
    }

    fn has_db(n: usize) -> bool {
        n.is_multiple_of(RDS_EVERY)
    }

    /// Whether schedule `n` would hold the newer kinds in a mixed run.
    const fn has_mix(n: usize) -> bool {
        n % MIXED_EVERY == 1
    }

    /// Whether schedule `n` holds the newer kinds in this run.
    fn mixes(self, n: usize) -> bool {
        self.mixed > 0 && Self::has_mix(n)
    }

    /// The ECS clusters the services are spread over.
    const fn ecs_clusters(self) -> usize {
        self.mixed.div_ceil(SERVICES_PER_CLUSTER)
    }

    /// The describe pages of every kind (SPEC §6): EC2 by 1,000, DB
    /// instances by 100 (a cluster's writer is one of them), clusters by
    /// 100 when there are any, groups by 100 (one call even for none), and
    /// for ECS one `ListClusters` page, a `ListServices` page per cluster
    /// and a `DescribeServices` call per 10 services.
    fn describe_pages(self) -> usize {
        let clusters = if self.mixed > 0 {
            self.mixed.div_ceil(100)
        } else {
            0
        };
        let asg = self.mixed.div_ceil(100).max(1);
        let ecs = 1 + 2 * self.ecs_clusters();
        self.ec2().div_ceil(1000) + (self.rds + self.mixed).div_ceil(100) + clusters + asg + ecs
    }

    fn label(self) -> String {
        let mut label = format!("{} EC2 + {} RDS", self.ec2(), self.rds);
        if self.mixed > 0 {
            let n = self.mixed;
            label.push_str(&format!(" + {n} clusters + {n} ASGs + {n} ECS"));
        }
        label
    }
}

/// One tick and what the SPEC §6 floor counts for it.
struct Tick {
    label: &'static str,
    at: DateTime<Utc>,
    ec2_acting: usize,
    /// Calls for one resource each: an RDS instance's or a cluster's start
    /// or stop, and two per group or service scaled (the tag that saves its
    /// capacity and the update, or the update and the tag's removal).
    single_calls: usize,
    states_written: usize,
}

impl Tick {
    /// The floor: the reads every tick makes (one Query page for the
    /// definitions, one for the `TIMELINE` partition: each is under 1 MB
    /// here) and the job's claim and done records; when something is due,
    /// the describe pages of every kind ([`Size::describe_pages`]), the
    /// batched actions, one state write per schedule whose state changed,
    /// and the [`Tick::ledger_writes`].
    fn floor(&self, size: Size) -> usize {
        let describe = if self.states_written > 0 {
            size.describe_pages()
        } else {
            0
        };
        2 + 2
            + describe
            + self.ec2_acting.div_ceil(1000)
            + self.single_calls
            + self.states_written
            + self.ledger_writes()
    }

    /// The ledger's items of the schedules that acted, 25 a `BatchWriteItem`
    /// (SPEC §6 Savings: in every tick here, the schedules whose state is
    /// written are the ones acting, but for the first tick, which only
    /// records).
    fn ledger_writes(&self) -> usize {
        let acted = self.ec2_acting + self.single_calls > 0;
        if acted {
            self.states_written.div_ceil(25)
        } else {
            0
        }
    }
}

fn ticks(size: Size) -> Vec<Tick> {
    let (all, dbs, mixed) = (size.schedules, size.rds, size.mixed);
    let tick = |label, at, ec2_acting, single_calls, states_written| Tick {
        label,
        at,
        ec2_acting,
        single_calls,
        states_written,
    };
    vec![
        tick(
            "08:59 first tick (records the last stop)",
            kst(8, 59),
            0,
            0,
            all,
        ),
        tick(
            "09:00 all start (db / aurora, or app)",
            kst(9, 0),
            (all - dbs) * EC2_PER_SCHEDULE,
            dbs + mixed,
            all,
        ),
        tick(
            "09:01 app after db, web and api after aurora",
            kst(9, 1),
            dbs * EC2_PER_SCHEDULE,
            4 * mixed,
            dbs + mixed,
        ),
        tick("09:02 idle", kst(9, 2), 0, 0, 0),
        tick(
            "19:00 all stop (app, web, api first)",
            kst(19, 0),
            size.ec2(),
            4 * mixed,
            all,
        ),
        tick(
            "19:01 db and aurora after them",
            kst(19, 1),
            0,
            dbs + mixed,
            dbs + mixed,
        ),
        tick("19:02 idle", kst(19, 2), 0, 0, 0),
    ]
}

fn schedule_file(size: Size) -> String {
    (0..size.schedules)
        .map(|n| {
            let db = if Size::has_db(n) {
                "[[schedule.group]]\nname = \"db\"\nkind = \"rds\"\n"
            } else {
                ""
            };
            let mix = if size.mixes(n) {
                "[[schedule.group]]\nname = \"aurora\"\nkind = \"rds-cluster\"\n\
                 [[schedule.group]]\nname = \"web\"\nkind = \"asg\"\nafter = [\"aurora\"]\n\
                 [[schedule.group]]\nname = \"api\"\nkind = \"ecs\"\nafter = [\"aurora\"]\n"
            } else {
                ""
            };
            format!(
                r#"
[[schedule]]
name = "s{n:04}"
timezone = "Asia/Seoul"
stop_warning_minutes = 0
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
{db}{mix}[[schedule.group]]
name = "app"
kind = "ec2"
after = [{after}]
"#,
                after = if db.is_empty() { "" } else { "\"db\"" }
            )
        })
        .collect()
}

/// Creates the fleet, stopped, the way a team would have tagged it.
async fn fleet(sdk: &aws_config::SdkConfig, size: Size) {
    use aws_sdk_ec2::types::{InstanceType, ResourceType, Tag, TagSpecification};
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let image = any_image(sdk).await;
    // One reservation a schedule, 10 instances in it; the proxy pages
    // moto's answers by 100 reservations, i.e. AWS's 1,000 instances.
    let ids: Vec<String> = stream::iter(0..size.schedules)
        .map(|n| {
            let (ec2, image) = (ec2.clone(), image.clone());
            async move {
                let tag = |k: &str, v: String| Tag::builder().key(k).value(v).build();
                let tags = TagSpecification::builder()
                    .resource_type(ResourceType::Instance)
                    .tags(tag("ScheduleName", format!("s{n:04}")))
                    .tags(tag("ScheduleGroupName", "app".to_owned()))
                    .build();
                let count = i32::try_from(EC2_PER_SCHEDULE).unwrap();
                let run = ec2
                    .run_instances()
                    .image_id(image)
                    .instance_type(InstanceType::T3Micro)
                    .min_count(count)
                    .max_count(count)
                    .tag_specifications(tags)
                    .send()
                    .await
                    .unwrap();
                run.instances()
                    .iter()
                    .filter_map(|i| i.instance_id().map(str::to_owned))
                    .collect::<Vec<_>>()
            }
        })
        .buffer_unordered(8)
        .flat_map(stream::iter)
        .collect()
        .await;
    for chunk in ids.chunks(1000) {
        ec2.stop_instances()
            .set_instance_ids(Some(chunk.to_vec()))
            .send()
            .await
            .unwrap();
    }
    stream::iter((0..size.schedules).filter(|n| Size::has_db(*n)))
        .for_each_concurrent(8, |n| async move {
            let (id, tag) = (format!("s{n:04}-db"), format!("s{n:04}"));
            assert!(rds_instance(sdk, &id, &tag, Some("db"), true).await, "{id}");
        })
        .await;
    newer_kinds(sdk, size).await;
    println!("fleet: {} in {} schedules", size.label(), size.schedules);
}

/// The mixed run's newer kinds, each stopped as curfew leaves it: the
/// clusters stopped, the groups at 0 with `1,1,1` saved in their tag, the
/// services at 0 with 1 saved. The groups' tags are not propagated to
/// their instances here, so the EC2 pages hold the same instances in
/// every tick (propagated, the groups' instances would join the pages,
/// and never be scheduled as EC2).
async fn newer_kinds(sdk: &aws_config::SdkConfig, size: Size) {
    use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag};
    if size.mixed == 0 {
        return;
    }
    let template = "bench-web";
    aws_sdk_ec2::Client::new(sdk)
        .create_launch_template()
        .launch_template_name(template)
        .launch_template_data(
            aws_sdk_ec2::types::RequestLaunchTemplateData::builder()
                .image_id(any_image(sdk).await)
                .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let autoscaling = aws_sdk_autoscaling::Client::new(sdk);
    let zone = format!("{}a", sdk.region().map_or("ap-northeast-2", |r| r.as_ref()));
    let zone = zone.as_str();
    let mixed: Vec<usize> = (0..size.schedules).filter(|n| size.mixes(*n)).collect();
    stream::iter(mixed.iter().enumerate())
        .for_each_concurrent(8, |(k, n)| {
            let autoscaling = autoscaling.clone();
            async move {
                let schedule = format!("s{n:04}");
                let aurora = format!("{schedule}-aurora");
                let tags = [
                    ("ScheduleName", schedule.as_str()),
                    ("ScheduleGroupName", "aurora"),
                ];
                aurora_cluster(sdk, &aurora, &tags).await;
                aws_sdk_rds::Client::new(sdk)
                    .stop_db_cluster()
                    .db_cluster_identifier(&aurora)
                    .send()
                    .await
                    .unwrap();
                let web = format!("{schedule}-web");
                let tag = |key: &str, value: &str| {
                    Tag::builder()
                        .key(key)
                        .value(value)
                        .resource_id(&web)
                        .resource_type("auto-scaling-group")
                        .propagate_at_launch(false)
                        .build()
                };
                autoscaling
                    .create_auto_scaling_group()
                    .auto_scaling_group_name(&web)
                    .launch_template(
                        LaunchTemplateSpecification::builder()
                            .launch_template_name(template)
                            .build(),
                    )
                    .min_size(0)
                    .desired_capacity(0)
                    .max_size(1)
                    .availability_zones(zone)
                    .tags(tag("ScheduleName", &schedule))
                    .tags(tag("ScheduleGroupName", "web"))
                    .tags(tag("curfew:capacity", "1,1,1"))
                    .send()
                    .await
                    .unwrap();
                let cluster = format!("bench-{}", k / SERVICES_PER_CLUSTER);
                let tags = [
                    ("ScheduleName", schedule.as_str()),
                    ("ScheduleGroupName", "api"),
                    ("curfew:desired", "1"),
                ];
                ecs_service(sdk, &cluster, &format!("{schedule}-api"), 0, &tags).await;
            }
        })
        .await;
}

/// Waits until every job of `keys` is marked done; gives up if a worker
/// exits or the tick takes over 20 minutes.
async fn wait_done(claims: &ClaimStore, keys: &[String], workers: &mut [std::process::Child]) {
    let deadline = Instant::now() + Duration::from_secs(20 * 60);
    let mut pending: Vec<&String> = keys.iter().collect();
    while !pending.is_empty() {
        let mut still = Vec::new();
        for key in pending {
            if !claims.is_done(key).await.unwrap() {
                still.push(key);
            }
        }
        pending = still;
        for worker in workers.iter_mut() {
            if let Some(status) = worker.try_wait().unwrap() {
                panic!("a worker exited ({status}) before {pending:?} were done");
            }
        }
        assert!(
            Instant::now() < deadline,
            "{pending:?} not done after 20 minutes"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Where a benchmark's `curfew worker` processes reach everything.
struct WorkerEnv<'a> {
    endpoint: String,
    /// `AWS_REGION` when it must not be inherited.
    region: Option<&'a str>,
    table: &'a str,
    queue: &'a str,
    dlq: &'a str,
    webhook: &'a str,
}

/// One `curfew worker` process, quiet but for errors, with the local AWS's
/// longer timeouts ([`MOTO_ATTEMPT_TIMEOUT`]).
fn spawn_worker(bin: &str, env: &WorkerEnv<'_>) -> std::process::Child {
    let mut command = std::process::Command::new(bin);
    if let Some(region) = env.region {
        command.env("AWS_REGION", region);
    }
    command
        .arg("worker")
        .env("AWS_ENDPOINT_URL", &env.endpoint)
        .env("CURFEW_TABLE", env.table)
        .env("CURFEW_QUEUE_URL", env.queue)
        .env("CURFEW_DLQ_URL", env.dlq)
        .env("CURFEW_TICK_MAX_AGE", "0")
        .env("CURFEW_AWS_ATTEMPT_TIMEOUT", MOTO_ATTEMPT_TIMEOUT)
        .env("CURFEW_LANG", "en")
        .env("CURFEW_JANDI_WEBHOOK_URL", env.webhook)
        .env("RUST_LOG", "error")
        .spawn()
        .unwrap()
}

/// The growth tables' last row: each run's peak RSS, `width` wide.
fn print_rss_row(label: &str, peaks: impl Iterator<Item = Option<u64>>, width: usize) {
    print!("{label:<44}");
    for peak in peaks {
        let rss = peak.map_or("?".to_owned(), |kib| {
            format!("{:.1} MiB", kib as f64 / 1024.0)
        });
        print!(" | {rss:>width$}");
    }
    println!();
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

/// What one tick measured.
struct Measured {
    wall: Duration,
    calls: usize,
    floor: usize,
    posts: usize,
}

/// What one fleet size measured.
struct Run {
    size: Size,
    ticks: Vec<(&'static str, Measured)>,
    peak_rss_kib: Option<u64>,
}

async fn run_size(endpoint: &str, worker_bin: &str, size: Size) -> Run {
    let sdk = sdk_at(endpoint).await;
    let table = "bench";
    let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
    create_table(&dynamodb, table).await.unwrap();
    let (queue, dlq) = create_queues(&aws_sdk_sqs::Client::new(&sdk), table)
        .await
        .unwrap();
    let file = SchedulesFile::from_toml(&schedule_file(size)).unwrap();
    let store = ScheduleStore::new(dynamodb.clone(), table.to_owned());
    let claims = ClaimStore::new(dynamodb.clone(), table.to_owned());
    stream::iter(&file.schedule)
        .for_each_concurrent(8, |def| {
            let store = &store;
            async move { store.put(def, Utc::now()).await.unwrap() }
        })
        .await;
    fleet(&sdk, size).await;

    let proxy = CountingProxy::start(endpoint.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    // AWS pages DescribeInstances by 1,000 instances; moto by reservation,
    // re-filtering the whole fleet for each page (testkit's `paging`).
    proxy.page(
        "DescribeInstances",
        "reservationSet",
        1000 / EC2_PER_SCHEDULE,
    );
    let jandi = WebhookSink::start().await.unwrap();
    let env = WorkerEnv {
        endpoint: proxy.endpoint(),
        region: None,
        table,
        queue: &queue,
        dlq: &dlq,
        webhook: &jandi.url,
    };
    let mut worker = spawn_worker(worker_bin, &env);
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    println!();
    println!(
        "{:<44} {:>8} {:>6} {:>6} {:>6}  calls by operation",
        "tick", "wall ms", "calls", "floor", "posts"
    );
    let mut measured = Vec::new();
    for tick in ticks(size) {
        proxy.reset();
        if tick.label.starts_with("19:00") {
            // moto runs no ECS tasks: the services the morning started look
            // up to the tick that stops them (as in the scheduler's tests).
            proxy.rewrite(
                "DescribeServices",
                "\"runningCount\": 0",
                "\"runningCount\": 1",
                size.ecs_clusters(),
            );
        }
        let posted_before = jandi.messages().len();
        let started = Instant::now();
        sqs.send_message()
            .queue_url(&queue)
            .message_body(scheduled_event(tick.at).to_string())
            .message_group_id("tick")
            .message_deduplication_id(tick_key(tick.at))
            .send()
            .await
            .unwrap();
        wait_done(
            &claims,
            &[tick_key(tick.at)],
            std::slice::from_mut(&mut worker),
        )
        .await;
        let wall = started.elapsed();
        // Let the worker delete the message before counting.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut by_op: BTreeMap<String, usize> = BTreeMap::new();
        for call in proxy.calls() {
            if call.service != "sqs" {
                *by_op.entry(call.operation).or_default() += 1;
            }
        }
        let calls: usize = by_op.values().sum();
        let floor = tick.floor(size);
        let posts = jandi.messages().len() - posted_before;
        // Each operation with the local AWS's summed answering time: where
        // the wall time goes (calls overlap, so the times may add up to more).
        let took = proxy.time_by_operation();
        let ops: Vec<String> = by_op
            .iter()
            .map(|(op, n)| {
                let secs = took.get(op).map_or(0.0, Duration::as_secs_f64);
                format!("{op} {n} ({secs:.1} s)")
            })
            .collect();
        println!(
            "{:<44} {:>8} {calls:>6} {floor:>6} {posts:>6}  {}",
            tick.label,
            wall.as_millis(),
            ops.join(", ")
        );
        measured.push((
            tick.label,
            Measured {
                wall,
                calls,
                floor,
                posts,
            },
        ));
    }
    let peak_rss_kib = peak_rss_kib(worker.id());
    println!();
    match peak_rss_kib {
        Some(kib) => println!("worker peak RSS (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("worker peak RSS: unavailable"),
    }
    let _ = worker.kill();
    let _ = worker.wait();
    Run {
        size,
        ticks: measured,
        peak_rss_kib,
    }
}

/// Empties the local AWS (moto's reset API) so each size starts clean.
async fn reset_local_aws(endpoint: &str) {
    reqwest::Client::new()
        .post(format!("{endpoint}/moto-api/reset"))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("moto reset");
}

/// How every figure grows from the first size to the others.
fn print_growth(runs: &[Run]) {
    println!();
    println!("growth (calls / floor, wall s, posts):");
    print!("{:<44}", "tick");
    for run in runs {
        print!(" | {:>28}", run.size.label());
    }
    println!();
    let Some(first) = runs.first() else { return };
    for (row, (label, _)) in first.ticks.iter().enumerate() {
        print!("{label:<44}");
        for run in runs {
            let m = &run.ticks[row].1;
            let ratio = m.calls as f64 / m.floor as f64;
            print!(
                " | {:>28}",
                format!(
                    "{}/{} ({ratio:.2}×) {:.1} s {}p",
                    m.calls,
                    m.floor,
                    m.wall.as_secs_f64(),
                    m.posts
                )
            );
        }
        println!();
    }
    print_rss_row(
        "worker peak RSS (VmHWM)",
        runs.iter().map(|run| run.peak_rss_kib),
        28,
    );
}

#[tokio::main]
async fn main() {
    let endpoint =
        std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: run scripts/bench-tick");
    let mut args = std::env::args().skip(1).peekable();
    let worker_bin = args
        .next()
        .unwrap_or_else(|| "target/debug/curfew".to_owned());
    let mixed = args.next_if(|a| a == "--mixed").is_some();
    let fan_out = args.next_if(|a| a == "--fan-out").is_some();
    let mut sizes: Vec<Size> = args
        .map(|a| Size::of_ec2(a.parse().expect("sizes are EC2 instance counts"), mixed))
        .collect();
    if sizes.is_empty() {
        sizes.push(Size::of_ec2(1000, mixed));
    }
    if fan_out {
        let mut runs = Vec::new();
        for size in sizes {
            reset_local_aws(&endpoint).await;
            println!();
            println!("== 4 pairs × ({}) ==", size.label());
            fan_out::build_fleet(&endpoint, size).await;
            for workers in [1, 4] {
                let name = format!("bench-{workers}w");
                runs.push(fan_out::run(&endpoint, &worker_bin, size, workers, &name).await);
            }
        }
        fan_out::print_growth(&runs);
        return;
    }
    let mut runs = Vec::new();
    for size in sizes {
        // Each size starts on an empty local AWS (an earlier run, or the
        // ingress benchmark before this one, may have left its own).
        reset_local_aws(&endpoint).await;
        println!();
        println!("== {} in {} schedules ==", size.label(), size.schedules);
        let started = Instant::now();
        runs.push(run_size(&endpoint, &worker_bin, size).await);
        println!(
            "(this size took {:.0} s with setup)",
            started.elapsed().as_secs_f64()
        );
    }
    if runs.len() > 1 {
        print_growth(&runs);
    }
}

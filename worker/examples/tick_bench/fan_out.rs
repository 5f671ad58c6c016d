//! The fan-out run (issue 15, `--fan-out`): the same fleet in each of four
//! (target, region) pairs, two accounts × two regions (the second account
//! reached through moto's STS AssumeRole, as a spoke role would be). The
//! tick sends one pair job per pair with something due; `curfew worker`
//! processes, one and then four, take them from the queue. For each tick
//! it prints the wall time (tick enqueued → every pair job done), each
//! pair's EC2 / RDS / Auto Scaling / ECS calls against that pair's floor, and the table's calls
//! against theirs (the tick's reads and claim, and each pair job's: one
//! table serves every pair, so its calls are not split by pair).

use super::{
    peak_rss_kib, print_rss_row, schedule_file, spawn_worker, ticks, wait_done, Size, WorkerEnv,
};
use chrono::{DateTime, Utc};
use curfew_shared::job::{scheduled_event, tick_key, Job, PairJob};
use curfew_shared::schedule::SchedulesFile;
use curfew_testkit::{sdk_as, sdk_in, Call, CountingProxy, WebhookSink};
use curfew_worker::adapters::dynamodb::{ClaimStore, ScheduleStore};
use curfew_worker::cli::setup::{create_queues, create_table};
use futures::stream::{self, StreamExt};
use std::time::{Duration, Instant};

/// The second account, whose role the worker assumes.
const STAGE_ROLE: &str = "arn:aws:iam::210987654321:role/curfew-spoke";
/// The worker's own region (scripts/lib/moto.sh's `AWS_REGION`) and one more.
const REGIONS: [&str; 2] = ["ap-northeast-2", "us-east-1"];
const TARGETS: &str = r#"
[[target]]
name = "own"
regions = ["ap-northeast-2", "us-east-1"]

[[target]]
name = "stage"
regions = ["ap-northeast-2", "us-east-1"]
role = "arn:aws:iam::210987654321:role/curfew-spoke"
"#;

/// The services a pair's fleet calls (SigV4 names): what the per-pair
/// floor counts.
const FLEET_SERVICES: [&str; 4] = ["ec2", "rds", "autoscaling", "ecs"];

/// One (target, region) pair of the run.
#[derive(Debug, Clone, Copy)]
struct Place {
    target: &'static str,
    region: &'static str,
    role: Option<&'static str>,
}

impl Place {
    fn all() -> Vec<Self> {
        let mut places = Vec::new();
        for (target, role) in [("own", None), ("stage", Some(STAGE_ROLE))] {
            for region in REGIONS {
                places.push(Self {
                    target,
                    region,
                    role,
                });
            }
        }
        places
    }

    fn key(self) -> String {
        format!("{}|{}", self.target, self.region)
    }

    /// Whether the proxy's `call` was made in this pair: its region, and
    /// the worker's own key or an assumed one.
    fn made(self, call: &Call, own_key: &str) -> bool {
        call.region == self.region && (call.access_key == own_key) == self.role.is_none()
    }

    /// The local AWS in this pair's account and region.
    async fn sdk(self, endpoint: &str) -> aws_config::SdkConfig {
        sdk_as(endpoint, self.region, self.role).await
    }

    fn job_key(self, at: DateTime<Utc>) -> String {
        Job::Pair(PairJob {
            target: self.target.to_owned(),
            region: self.region.to_owned(),
            at,
        })
        .idempotency_key()
    }
}

/// What one tick measured.
pub(super) struct FanTick {
    pub label: &'static str,
    pub wall: Duration,
    /// Per pair: (its key, fleet calls, their floor).
    pub pairs: Vec<(String, usize, usize)>,
    pub table: usize,
    pub table_floor: usize,
}

/// What one run (a size, a number of workers) measured.
pub(super) struct FanRun {
    pub label: String,
    pub workers: usize,
    pub ticks: Vec<FanTick>,
    pub peak_rss_kib: Option<u64>,
}

/// Builds the fleet of `size` in every pair, once for the runs that follow.
pub(super) async fn build_fleet(endpoint: &str, size: Size) {
    for place in Place::all() {
        print!("{}: ", place.key());
        super::fleet(&place.sdk(endpoint).await, size).await;
    }
}

/// Runs the day's ticks over the fleet [`build_fleet`] made, with
/// `workers` worker processes, on a table and queue of their own (`name`):
/// each run starts from no scheduler state, as after a first apply.
pub(super) async fn run(
    endpoint: &str,
    worker_bin: &str,
    size: Size,
    workers: usize,
    name: &str,
) -> FanRun {
    let sdk = sdk_in(endpoint, REGIONS[0]).await;
    let table = name;
    let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
    create_table(&dynamodb, table).await.unwrap();
    let (queue, dlq) = create_queues(&aws_sdk_sqs::Client::new(&sdk), table)
        .await
        .unwrap();
    let file = format!("{}{TARGETS}", schedule_file(size));
    let file = SchedulesFile::from_toml(&file).unwrap();
    let store = ScheduleStore::new(dynamodb.clone(), table.to_owned());
    for target in &file.target {
        store.put_target(target, Utc::now()).await.unwrap();
    }
    stream::iter(&file.schedule)
        .for_each_concurrent(8, |def| {
            let store = &store;
            async move { store.put(def, Utc::now()).await.unwrap() }
        })
        .await;
    let places = Place::all();

    let proxy = CountingProxy::start(endpoint.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    proxy.page(
        "DescribeInstances",
        "reservationSet",
        1000 / super::EC2_PER_SCHEDULE,
    );
    let jandi = WebhookSink::start().await.unwrap();
    let env = WorkerEnv {
        endpoint: proxy.endpoint(),
        region: Some(REGIONS[0]),
        table,
        queue: &queue,
        dlq: &dlq,
        webhook: &jandi.url,
    };
    let mut processes: Vec<std::process::Child> = (0..workers)
        .map(|_| spawn_worker(worker_bin, &env))
        .collect();
    let claims = ClaimStore::new(dynamodb, table.to_owned());
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let own_key = std::env::var("AWS_ACCESS_KEY_ID").unwrap_or_default();
    println!();
    println!(
        "{workers} worker(s): {:<38} {:>8} {:>11} {:>11}  fleet calls / floor, per pair",
        "tick", "wall ms", "table", "AssumeRole"
    );
    let mut measured = Vec::new();
    for tick in ticks(size) {
        proxy.reset();
        let due = tick.states_written > 0;
        let mut keys = vec![tick_key(tick.at)];
        if due {
            keys.extend(places.iter().map(|p| p.job_key(tick.at)));
        }
        let started = Instant::now();
        sqs.send_message()
            .queue_url(&queue)
            .message_body(scheduled_event(tick.at).to_string())
            .message_group_id("tick")
            .message_deduplication_id(tick_key(tick.at))
            .send()
            .await
            .unwrap();
        wait_done(&claims, &keys, &mut processes).await;
        let wall = started.elapsed();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let calls = proxy.calls();
        // Each pair's describe pages and actions: the single-pair floor
        // without the job's two reads and two claim writes, its state
        // writes and its ledger writes.
        let fleet_floor = tick.floor(size) - 4 - tick.states_written - tick.ledger_writes();
        let pairs: Vec<(String, usize, usize)> = places
            .iter()
            .map(|place| {
                let made = calls
                    .iter()
                    .filter(|c| FLEET_SERVICES.contains(&c.service.as_str()))
                    .filter(|c| place.made(c, &own_key))
                    .count();
                (place.key(), made, if due { fleet_floor } else { 0 })
            })
            .collect();
        let table_calls = calls.iter().filter(|c| c.service == "dynamodb").count();
        // The tick: two Query pages and its claim; a pair job: the same,
        // one state write per schedule that acted there, and its ledger
        // writes.
        let per_pair = 4 + tick.states_written + tick.ledger_writes();
        let table_floor = 4 + if due { places.len() * per_pair } else { 0 };
        let assume_role = calls.iter().filter(|c| c.operation == "AssumeRole").count();
        let shown: Vec<String> = pairs
            .iter()
            .map(|(key, made, floor)| format!("{key} {made}/{floor}"))
            .collect();
        println!(
            "{workers} worker(s): {:<38} {:>8} {:>11} {assume_role:>11}  {}",
            tick.label,
            wall.as_millis(),
            format!("{table_calls}/{table_floor}"),
            shown.join(", ")
        );
        if table_calls > table_floor {
            // Say where the calls above the floor went.
            let mut by_op: std::collections::BTreeMap<&str, usize> = Default::default();
            for call in calls.iter().filter(|c| c.service == "dynamodb") {
                *by_op.entry(call.operation.as_str()).or_default() += 1;
            }
            println!("{:>14}table calls by operation: {by_op:?}", "");
        }
        measured.push(FanTick {
            label: tick.label,
            wall,
            pairs,
            table: table_calls,
            table_floor,
        });
    }
    let peak_rss_kib = processes.iter().filter_map(|p| peak_rss_kib(p.id())).max();
    for process in &mut processes {
        let _ = process.kill();
        let _ = process.wait();
    }
    FanRun {
        label: format!("4 pairs × ({})", size.label()),
        workers,
        ticks: measured,
        peak_rss_kib,
    }
}

/// Every run side by side: per tick, the wall time and the worst pair's
/// calls against its floor, for each size and number of workers.
pub(super) fn print_growth(runs: &[FanRun]) {
    println!();
    println!("fan-out growth (wall s; worst pair's fleet calls / floor; table calls / floor):");
    print!("{:<44}", "tick");
    for run in runs {
        print!(
            " | {:>40}",
            format!("{}, {} worker(s)", run.label, run.workers)
        );
    }
    println!();
    let Some(first) = runs.first() else { return };
    for (row, tick) in first.ticks.iter().enumerate() {
        print!("{:<44}", tick.label);
        for run in runs {
            let t = &run.ticks[row];
            let worst = t
                .pairs
                .iter()
                .max_by_key(|(_, made, floor)| made.saturating_sub(*floor))
                .map_or("-".to_owned(), |(_, made, floor)| format!("{made}/{floor}"));
            print!(
                " | {:>40}",
                format!(
                    "{:.1} s; {worst}; {}/{}",
                    t.wall.as_secs_f64(),
                    t.table,
                    t.table_floor
                )
            );
        }
        println!();
    }
    print_rss_row(
        "peak RSS of a worker (VmHWM)",
        runs.iter().map(|run| run.peak_rss_kib),
        40,
    );
}

//! One schedule file (schedules and targets), a fleet tagged for it, and a worker whose AWS calls
//! all pass through a counting proxy in front of moto.

use chrono::{DateTime, TimeZone, Utc};
use curfew_shared::job::scheduled_event;
use curfew_shared::schedule::SchedulesFile;
use curfew_testkit::{sdk_at, CountingProxy, WebhookSink};
use curfew_worker::adapters::dynamodb::ScheduleStore;
use curfew_worker::adapters::jandi::{Notifier, RetryPolicy};
use curfew_worker::app::App;
use curfew_worker::app::Services;
use curfew_worker::cli::setup::create_table;
use curfew_worker::config::WorkerConfig;
use curfew_worker::handler::Verdict;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

static STACKS: AtomicU32 = AtomicU32::new(0);

pub(super) struct Stack {
    /// Straight to moto: for the test's own setup and checks.
    pub sdk: aws_config::SdkConfig,
    pub proxy: CountingProxy,
    pub sink: WebhookSink,
    pub worker: App,
    /// Unique per stack (moto is shared): `{tag}` in the schedule file.
    pub tag: String,
}

/// 2026-12-07 is a Monday. Times are Asia/Seoul wall-clock.
pub(super) fn kst(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .unwrap()
        .to_utc()
}

impl Stack {
    /// `schedules` is a TOML file in which `{tag}` stands for this stack's tag.
    pub(super) async fn start(endpoint: &str, schedules: &str) -> Self {
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        let n = STACKS.fetch_add(1, Ordering::SeqCst);
        let tag = format!("sched-{}-{n}", std::process::id());
        let sdk = sdk_at(endpoint).await;
        create_table(&aws_sdk_dynamodb::Client::new(&sdk), &tag)
            .await
            .unwrap();
        let upstream = endpoint.trim_start_matches("http://").parse().unwrap();
        let proxy = CountingProxy::start(upstream).await.unwrap();
        let sink = WebhookSink::start().await.unwrap();
        let worker = Self::worker(&proxy, &tag, &sink).await;
        let file = SchedulesFile::from_toml(&schedules.replace("{tag}", &tag)).unwrap();
        for def in &file.schedule {
            worker
                .services
                .schedules
                .put(def, Utc::now())
                .await
                .unwrap();
        }
        let store = ScheduleStore::new(aws_sdk_dynamodb::Client::new(&sdk), tag.clone());
        for def in &file.target {
            store.put_target(def, Utc::now()).await.unwrap();
        }
        Self {
            sdk,
            proxy,
            sink,
            worker,
            tag,
        }
    }

    /// A worker reaching AWS through the proxy (a second one for concurrency tests).
    pub(super) async fn worker(proxy: &CountingProxy, table: &str, sink: &WebhookSink) -> App {
        Self::worker_with(proxy, table, sink, &[]).await
    }

    /// A worker as [`Self::worker`], with more variables (`extra`) set.
    pub(super) async fn worker_with(
        proxy: &CountingProxy,
        table: &str,
        sink: &WebhookSink,
        extra: &[(&'static str, String)],
    ) -> App {
        let mut vars: HashMap<&str, String> = HashMap::from([
            ("CURFEW_TABLE", table.to_owned()),
            ("CURFEW_JANDI_WEBHOOK_URL", sink.url.clone()),
            ("CURFEW_LANG", "en".to_owned()),
            ("CURFEW_TICK_MAX_AGE", "600".to_owned()),
        ]);
        vars.extend(extra.iter().cloned());
        let config = WorkerConfig::from_lookup(|key| vars.get(key).cloned()).unwrap();
        let sdk = sdk_at(&proxy.endpoint()).await;
        App {
            services: Services::new(&sdk, &config),
            config,
            notifier: std::sync::Arc::new(Notifier::new(RetryPolicy::default()).unwrap()),
        }
    }

    /// The tick of `at`, handled at `at` (so it is never stale).
    pub(super) async fn tick(&self, at: DateTime<Utc>) {
        let verdict = self
            .worker
            .handle(&scheduled_event(at).to_string(), at)
            .await;
        assert_eq!(verdict, Verdict::Done, "tick at {at}");
    }

    /// The notices so far, each as one line of text.
    pub(super) fn notices(&self) -> Vec<String> {
        self.sink.messages().iter().map(text_of).collect()
    }

    /// Waits briefly for the `count`-th notice (posts are synchronous, so
    /// this only guards against a slow loopback).
    pub(super) async fn notices_after(&self, count: usize) -> Vec<String> {
        self.sink.wait_for(count, Duration::from_millis(300)).await;
        self.notices()
    }

    /// EC2 / RDS calls made through the proxy since the last reset.
    pub(super) fn fleet_calls(&self) -> Vec<String> {
        self.proxy
            .calls()
            .into_iter()
            .filter(|c| c.service == "ec2" || c.service == "rds")
            .map(|c| c.operation)
            .collect()
    }
}

pub(super) fn text_of(message: &Value) -> String {
    let mut text = message["body"].as_str().unwrap_or_default().to_owned();
    for block in message["connectInfo"].as_array().into_iter().flatten() {
        text.push_str(" | ");
        text.push_str(block["title"].as_str().unwrap_or_default());
        text.push_str(": ");
        text.push_str(
            &block["description"]
                .as_str()
                .unwrap_or_default()
                .replace('\n', "; "),
        );
    }
    text
}

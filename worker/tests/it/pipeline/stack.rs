//! The whole pipeline in one test process, on the local AWS: the ingress
//! handler with its real SQS adapter, a FIFO queue and table of its own, the
//! worker's poller, and a real HTTP server standing in for JANDI.

use chrono::{SecondsFormat, Utc};
use curfew_aws::SqsQueue;
use curfew_ingress::handler::{Answer, Outcome};
use curfew_shared::schedule::SchedulesFile;
use curfew_testkit::{demo_fleet, jandi_payload, sdk_at, DemoFleet, WebhookSink};
use curfew_worker::adapters::jandi::{Notifier, RetryPolicy};
use curfew_worker::app::App;
use curfew_worker::app::Services;
use curfew_worker::cli::setup::{create_queues, create_table};
use curfew_worker::config::WorkerConfig;
use curfew_worker::front::poll::Poller;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

static STACKS: AtomicU32 = AtomicU32::new(0);

pub(crate) const TOKEN: &str = "pipeline-token";

pub(crate) struct Stack {
    pub sdk: aws_config::SdkConfig,
    pub sink: WebhookSink,
    pub ingress: curfew_ingress::Config,
    pub queue: SqsQueue,
    pub worker: App,
    pub poller: Poller,
    pub fleet: DemoFleet,
    /// The instances' schedule tag (unique per stack: moto is shared).
    pub tag: String,
}

/// `dev` (weekdays 09-19, groups db → app) and `staging`, as the examples.
fn schedules(tag: &str) -> String {
    format!(
        r#"
[[schedule]]
name = "dev"
tag = "{tag}"
timezone = "Asia/Seoul"
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

[[schedule]]
name = "staging"
tag = "{tag}-staging"
[[schedule.period]]
days = "tue-fri"
start = "08:00"
stop = "20:00"
"#
    )
}

impl Stack {
    /// A fresh table, queue pair and fleet (all stopped); replies in `lang`.
    pub(crate) async fn start(endpoint: &str, lang: &str) -> Self {
        // The worker's log lines, shown with a failing test's output.
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        let n = STACKS.fetch_add(1, Ordering::SeqCst);
        let name = format!("pipe-{}-{n}", std::process::id());
        let sdk = sdk_at(endpoint).await;
        create_table(&aws_sdk_dynamodb::Client::new(&sdk), &name)
            .await
            .unwrap();
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let (queue_url, _dlq) = create_queues(&sqs, &name).await.unwrap();
        let sink = WebhookSink::start().await.unwrap();
        let vars: HashMap<&str, String> = HashMap::from([
            ("CURFEW_TABLE", name.clone()),
            ("CURFEW_QUEUE_URL", queue_url.clone()),
            ("CURFEW_JANDI_TOKENS", format!("old-token,{TOKEN}")),
            ("CURFEW_JANDI_WEBHOOK_URL", sink.url.clone()),
            ("CURFEW_LANG", lang.to_owned()),
        ]);
        let lookup = |key: &str| vars.get(key).cloned();
        let config = WorkerConfig::from_lookup(lookup).unwrap();
        let ingress = curfew_ingress::Config::from_lookup(lookup).unwrap();
        let worker = App {
            services: Services::new(&sdk, &config),
            config,
            notifier: std::sync::Arc::new(Notifier::new(RetryPolicy::default()).unwrap()),
        };
        let file = SchedulesFile::from_toml(&schedules(&name)).unwrap();
        for def in &file.schedule {
            worker
                .services
                .schedules
                .put(def, Utc::now())
                .await
                .unwrap();
        }
        let fleet = demo_fleet(&sdk, &name, true).await;
        Self {
            queue: SqsQueue::new(sqs.clone(), queue_url.clone()),
            poller: Poller {
                sqs,
                queue_url,
                dead_letters: None,
                wait: Duration::ZERO,
                retry_cap: Duration::from_secs(1),
            },
            sdk,
            sink,
            ingress,
            worker,
            fleet,
            tag: name,
        }
    }

    /// Sets the queue's visibility timeout: a failed or crashed job comes
    /// back after `seconds` instead of two minutes.
    pub(crate) async fn set_visibility_timeout(&self, seconds: u32) {
        self.poller
            .sqs
            .set_queue_attributes()
            .queue_url(&self.poller.queue_url)
            .attributes(
                aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
                seconds.to_string(),
            )
            .send()
            .await
            .unwrap();
    }

    /// Posts a JANDI payload (flat writer shape) to the ingress handler.
    pub(crate) async fn post(&self, text: &str) -> Answer {
        self.post_body(jandi_payload(TOKEN, text, &now_text()))
            .await
    }

    pub(crate) async fn post_body(&self, body: Value) -> Answer {
        curfew_ingress::handle(
            body.to_string().as_bytes(),
            Utc::now(),
            &self.ingress,
            &self.queue,
        )
        .await
    }

    /// Runs the worker until the queue is empty.
    pub(crate) async fn drain(&self) {
        let mut empty = 0;
        while empty < 2 {
            match self.poller.poll_once(&self.worker).await.unwrap() {
                0 => empty += 1,
                _ => empty = 0,
            }
        }
    }

    /// Posts a command, runs the worker, and returns the one new reply as text.
    pub(crate) async fn say(&self, text: &str) -> String {
        let before = self.sink.messages().len();
        let answer = self.post(text).await;
        assert_eq!(answer.status, 200, "{text}");
        assert_eq!(answer.outcome, Outcome::Queued, "{text}");
        self.drain().await;
        let messages = self.sink.wait_for(before + 1, Duration::from_secs(5)).await;
        assert_eq!(
            messages.len(),
            before + 1,
            "one reply to {text}: {messages:#?}"
        );
        text_of(messages.last().unwrap())
    }
}

/// Now, as JANDI writes `createdAt`; unique per call (commands in the same
/// millisecond would otherwise share an idempotency key).
pub(crate) fn now_text() -> String {
    static LAST: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());
    loop {
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let mut last = LAST.lock().unwrap();
        if *last != now {
            last.clone_from(&now);
            return now;
        }
        drop(last);
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A JANDI message as one string: body, then each block's title and description.
pub(crate) fn text_of(message: &Value) -> String {
    let mut text = message["body"].as_str().unwrap_or_default().to_owned();
    for block in message["connectInfo"].as_array().into_iter().flatten() {
        for field in ["title", "description"] {
            text.push('\n');
            text.push_str(block[field].as_str().unwrap_or_default());
        }
    }
    text
}

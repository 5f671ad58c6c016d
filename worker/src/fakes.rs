//! A worker on the in-memory fakes of every port (`curfew_testkit`): the
//! handler, the tick and the chat commands run for real in a unit test,
//! in milliseconds, with no AWS and no HTTP. The moto tests in `tests/`
//! check that the adapters keep the same contract as these fakes.

use crate::app::{App, Services};
use crate::config::WorkerConfig;
use chrono::{DateTime, Utc};
use curfew_shared::jandi::OutgoingWebhook;
use curfew_shared::job::{scheduled_event, CommandJob, Job};
use curfew_shared::ports::JobQueue;
use curfew_shared::reply::Lang;
use curfew_shared::resource::Instance;
use curfew_testkit::MemoryQueue;
use curfew_testkit::{
    MemoryAudit, MemoryClaims, MemoryFleet, MemoryFleets, MemoryLedger, MemoryNotifier,
    MemoryPrices, MemorySchedules, MemoryTimelines,
};
use std::sync::Arc;

/// The default room's webhook (its token part is what logs must hide).
pub(crate) const WEBHOOK: &str = "https://wh.jandi.com/connect-api/webhook/1/secret";

/// Every fake, kept so a test can look at what the worker did to it.
#[derive(Debug, Default)]
pub(crate) struct World {
    pub schedules: Arc<MemorySchedules>,
    pub timelines: Arc<MemoryTimelines>,
    pub audit: Arc<MemoryAudit>,
    pub claims: Arc<MemoryClaims>,
    /// The home pair's fleet (the only one without targets).
    pub fleet: Arc<MemoryFleet>,
    /// Every pair's: `fleet` unless a test adds another.
    pub fleets: Arc<MemoryFleets>,
    pub ledger: Arc<MemoryLedger>,
    pub prices: Arc<MemoryPrices>,
    /// Set: a tick over several pairs fans out here instead of running them.
    pub queue: Option<Arc<MemoryQueue>>,
    pub notifier: Arc<MemoryNotifier>,
}

impl World {
    /// The schedules of a TOML file and these instances. A file that does
    /// not parse or validate fails the test: the worker would skip such a
    /// schedule, and the test could pass without it.
    pub(crate) fn new(schedules: &str, instances: Vec<Instance>) -> Self {
        if let Err(errors) =
            curfew_shared::schedule::parse_schedules(schedules, chrono_tz::Asia::Seoul)
        {
            panic!("{errors:?}");
        }
        let schedules = MemorySchedules::from_toml(schedules).unwrap_or_else(|e| panic!("{e}"));
        let fleet = Arc::new(MemoryFleet::of(instances));
        Self {
            schedules: Arc::new(schedules),
            fleets: Arc::new(MemoryFleets::new(Arc::clone(&fleet))),
            fleet,
            ..Self::default()
        }
    }

    /// A worker on these fakes: replies in English to [`WEBHOOK`].
    pub(crate) fn app(&self) -> App {
        let mut config = WorkerConfig::from_lookup(|_| None).unwrap_or_else(|e| panic!("{e}"));
        config.lang = Lang::En;
        config.routes.default = Some(WEBHOOK.to_owned().into());
        App {
            services: Services {
                schedules: self.schedules.clone(),
                timeline: self.timelines.clone(),
                audit: self.audit.clone(),
                claims: self.claims.clone(),
                fleets: self.fleets.clone(),
                ledger: self.ledger.clone(),
                prices: self.prices.clone(),
                queue: self.queue.clone().map(|queue| queue as Arc<dyn JobQueue>),
            },
            config,
            notifier: self.notifier.clone(),
        }
    }

    /// Every message posted so far, as JSON text (body and connectInfo).
    pub(crate) fn posts(&self) -> Vec<String> {
        self.notifier
            .posted()
            .iter()
            .map(|(_, message)| serde_json::to_string(message).unwrap_or_default())
            .collect()
    }
}

/// `text` typed by kim in the room `dev-ops` at `now`, as a queued job.
pub(crate) fn command_job(text: &str, now: DateTime<Utc>) -> String {
    let payload = serde_json::json!({
        "token": "t", "text": text, "roomName": "dev-ops", "writerName": "kim",
        "createdAt": now.to_rfc3339(),
    });
    let webhook = OutgoingWebhook::from_json(payload.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let command = curfew_shared::command::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    Job::Command(CommandJob::new(&webhook, command, now)).encode()
}

/// The EventBridge tick of `at`, as a queued job.
pub(crate) fn tick_job(at: DateTime<Utc>) -> String {
    scheduled_event(at).to_string()
}

/// An RFC 3339 instant.
pub(crate) fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

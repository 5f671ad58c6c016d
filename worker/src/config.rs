//! The worker's configuration (SPEC §8), read once at start-up. A bad value
//! fails at once and names its variable, never its value.

use crate::adapters::fleet::TagKeys;
use crate::adapters::jandi::Routes;
use crate::adapters::slack::SlackRoutes;
use crate::limits::VISIBILITY_TIMEOUT_SECONDS;
use chrono::Duration;
use chrono_tz::Tz;
use curfew_shared::reply::Lang;

/// Everything the job handler needs besides its AWS clients.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// `CURFEW_TABLE`, default `curfew`.
    pub table: String,
    /// `CURFEW_QUEUE_URL`: needed to poll (`curfew worker`) and by `tick`.
    pub queue_url: Option<String>,
    /// `CURFEW_DLQ_URL`: where a job that can never succeed is moved at once.
    pub dlq_url: Option<String>,
    /// `CURFEW_JANDI_WEBHOOK_URL` and `CURFEW_JANDI_ROOM_WEBHOOKS`.
    pub routes: Routes,
    /// `CURFEW_SLACK_WEBHOOK_URL` and `CURFEW_SLACK_ROOM_WEBHOOKS`.
    pub slack_routes: SlackRoutes,
    /// `CURFEW_LANG`: `ko` (default) or `en`.
    pub lang: Lang,
    /// `CURFEW_DEFAULT_TZ`, default `Asia/Seoul`.
    pub default_tz: Tz,
    /// `CURFEW_TAG_KEY` / `CURFEW_GROUP_TAG_KEY`.
    pub tags: TagKeys,
    /// `CURFEW_ADMINS`: writers (email or name) allowed to mutate; empty = everyone.
    pub admins: Vec<String>,
    /// `CURFEW_TICK_MAX_AGE` seconds, default 600; 0 (`None`) = no limit.
    pub tick_max_age: Option<Duration>,
    /// `CURFEW_CLAIM_LEASE` seconds, default 90: how long a job's claim keeps
    /// other workers off it. Keep it under the queue's visibility timeout.
    pub lease: Duration,
    /// `CURFEW_SLACK_RESPONSE_PREFIX`, default `https://hooks.slack.com/`:
    /// the only prefix a Slack `response_url` is followed under, so a
    /// forged one is never requested.
    pub slack_response_prefix: String,
}

/// Where Slack's `response_url`s live.
pub const SLACK_RESPONSE_PREFIX: &str = "https://hooks.slack.com/";

use curfew_shared::value::ConfigError;

fn bad(var: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::new(var, reason)
}

impl WorkerConfig {
    /// Reads the configuration through `lookup` (the environment, or a map
    /// in tests). A variable set to blanks counts as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let defaults = TagKeys::default();
        Ok(Self {
            table: get("CURFEW_TABLE").unwrap_or_else(|| "curfew".to_owned()),
            queue_url: get("CURFEW_QUEUE_URL"),
            dlq_url: get("CURFEW_DLQ_URL"),
            routes: Routes::from_lookup(&lookup)?,
            slack_routes: SlackRoutes::from_lookup(&lookup)?,
            lang: Lang::from_setting(get("CURFEW_LANG").as_deref())?,
            default_tz: get("CURFEW_DEFAULT_TZ")
                .map_or(Ok(chrono_tz::Asia::Seoul), |t| timezone(&t))?,
            tags: TagKeys {
                schedule: get("CURFEW_TAG_KEY").unwrap_or(defaults.schedule),
                group: get("CURFEW_GROUP_TAG_KEY").unwrap_or(defaults.group),
            },
            admins: get("CURFEW_ADMINS")
                .map(|list| admins(&list))
                .unwrap_or_default(),
            tick_max_age: get("CURFEW_TICK_MAX_AGE").map_or(
                Ok(Some(Duration::seconds(crate::limits::TICK_MAX_AGE_SECONDS))),
                |t| tick_max_age(&t),
            )?,
            lease: get("CURFEW_CLAIM_LEASE").map_or(Ok(crate::limits::LEASE), |t| lease(&t))?,
            slack_response_prefix: get("CURFEW_SLACK_RESPONSE_PREFIX")
                .unwrap_or_else(|| SLACK_RESPONSE_PREFIX.to_owned()),
        })
    }

    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// `CURFEW_QUEUE_URL`, or an error naming it.
    pub fn require_queue(&self) -> Result<&str, ConfigError> {
        self.queue_url
            .as_deref()
            .ok_or_else(|| bad("CURFEW_QUEUE_URL", "is not set"))
    }
}

/// `CURFEW_DEFAULT_TZ`.
fn timezone(name: &str) -> Result<Tz, ConfigError> {
    name.parse().map_err(|_| {
        bad(
            "CURFEW_DEFAULT_TZ",
            "must be an IANA time zone such as Asia/Seoul",
        )
    })
}

/// `CURFEW_ADMINS`: a comma-separated list, blanks ignored.
fn admins(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `CURFEW_TICK_MAX_AGE`: seconds; 0 is no limit.
fn tick_max_age(text: &str) -> Result<Option<Duration>, ConfigError> {
    match text.parse::<u32>() {
        Ok(0) => Ok(None),
        Ok(seconds) => Ok(Some(Duration::seconds(i64::from(seconds)))),
        Err(_) => Err(bad("CURFEW_TICK_MAX_AGE", "must be a number of seconds")),
    }
}

/// `CURFEW_CLAIM_LEASE`: seconds, under the visibility timeout. The queue
/// redelivers a job after its visibility timeout: a lease as long would let
/// two workers run it at once.
fn lease(text: &str) -> Result<Duration, ConfigError> {
    match text.parse::<u32>() {
        Ok(seconds) if seconds > 0 && seconds < VISIBILITY_TIMEOUT_SECONDS => {
            Ok(Duration::seconds(i64::from(seconds)))
        }
        _ => Err(bad(
            "CURFEW_CLAIM_LEASE",
            format!(
                "must be a number of seconds above 0 and below the queue's visibility timeout ({VISIBILITY_TIMEOUT_SECONDS})"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<WorkerConfig, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        WorkerConfig::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_follow_the_spec() {
        let c = config(&[]).unwrap();
        assert_eq!(c.table, "curfew");
        assert_eq!(c.lang, Lang::Ko);
        assert_eq!(c.default_tz, chrono_tz::Asia::Seoul);
        assert_eq!(c.tags.schedule, "ScheduleName");
        assert_eq!(c.tags.group, "ScheduleGroupName");
        assert!(c.admins.is_empty());
        assert_eq!(c.tick_max_age, Some(Duration::seconds(600)));
        assert_eq!(c.require_queue().unwrap_err().var, "CURFEW_QUEUE_URL");
    }

    #[test]
    fn values_are_read_and_bad_ones_named() {
        let c = config(&[
            ("CURFEW_ADMINS", " ops@example.com, 김개발 ,"),
            ("CURFEW_TICK_MAX_AGE", "0"),
            ("CURFEW_LANG", "EN"),
            ("CURFEW_TAG_KEY", "Curfew"),
        ])
        .unwrap();
        assert_eq!(c.admins, ["ops@example.com", "김개발"]);
        assert_eq!(c.tick_max_age, None);
        assert_eq!(c.lang, Lang::En);
        assert_eq!(c.tags.schedule, "Curfew");
        for (name, value) in [
            ("CURFEW_LANG", "fr"),
            ("CURFEW_DEFAULT_TZ", "Mars/Olympus"),
            ("CURFEW_TICK_MAX_AGE", "soon"),
            ("CURFEW_JANDI_ROOM_WEBHOOKS", "[1]"),
            ("CURFEW_CLAIM_LEASE", "-5"),
            ("CURFEW_CLAIM_LEASE", "3600"),
        ] {
            let error = config(&[(name, value)]).unwrap_err();
            assert_eq!(error.var, name);
            let text = error.to_string();
            assert!(text.starts_with(name) && !text.contains(value), "{text}");
        }
        assert_eq!(
            config(&[("CURFEW_CLAIM_LEASE", "0")]).unwrap_err().var,
            "CURFEW_CLAIM_LEASE"
        );
        assert_eq!(
            config(&[("CURFEW_CLAIM_LEASE", "360")]).unwrap_err().var,
            "CURFEW_CLAIM_LEASE"
        );
        assert_eq!(
            config(&[("CURFEW_CLAIM_LEASE", "120")]).unwrap().lease,
            Duration::seconds(120)
        );
    }
}

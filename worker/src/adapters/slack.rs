//! Which Slack incoming webhook a notice goes to (SPEC §4.2):
//! `CURFEW_SLACK_ROOM_WEBHOOKS` (channel → URL) and the default
//! `CURFEW_SLACK_WEBHOOK_URL`. A channel is written as a name, with or
//! without `#` and in any case (`#Dev` = `dev`), or as an id (`C0123ABC`).
//! The posting itself is [`super::jandi::Notifier`]'s, with Slack's pacing.

use curfew_shared::front::room_key;
use curfew_shared::value::ConfigError;
use curfew_shared::Redacted;
use std::collections::HashMap;

/// The Slack webhooks. The URLs are [`Redacted`]: a webhook URL lets
/// anyone post to its channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlackRoutes {
    /// `CURFEW_SLACK_WEBHOOK_URL`.
    pub default: Option<Redacted<String>>,
    /// `CURFEW_SLACK_ROOM_WEBHOOKS`, keyed by [`room_key`].
    pub channels: HashMap<String, Redacted<String>>,
}

impl SlackRoutes {
    /// Reads the two variables through `lookup`. A malformed channel map is
    /// an error naming the variable (never its value).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let default = lookup("CURFEW_SLACK_WEBHOOK_URL")
            .filter(|u| !u.trim().is_empty())
            .map(Redacted::new);
        let channels = match lookup("CURFEW_SLACK_ROOM_WEBHOOKS").filter(|m| !m.trim().is_empty()) {
            None => HashMap::new(),
            Some(json) => serde_json::from_str::<HashMap<String, Redacted<String>>>(&json)
                .map_err(|_| {
                    ConfigError::new(
                        "CURFEW_SLACK_ROOM_WEBHOOKS",
                        "must be a JSON object of Slack channel (name or id) to URL",
                    )
                })?
                .into_iter()
                .map(|(channel, url)| (room_key(&channel), url))
                .collect(),
        };
        Ok(Self { default, channels })
    }

    /// The channel's own webhook, else the default: where its notices go.
    pub fn for_channel(&self, channel: Option<&str>) -> Option<&str> {
        self.own(channel)
            .or(self.default.as_ref().map(|url| url.expose().as_str()))
    }

    /// The channel's own webhook only: where a reply goes that its
    /// `response_url` no longer takes (never the default, which may post
    /// to another channel).
    pub fn own(&self, channel: Option<&str>) -> Option<&str> {
        channel
            .and_then(|c| self.channels.get(&room_key(c)))
            .map(|url| url.expose().as_str())
    }

    /// Whether any Slack webhook is configured.
    pub fn is_empty(&self) -> bool {
        self.default.is_none() && self.channels.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(vars: &[(&str, &str)]) -> Result<SlackRoutes, ConfigError> {
        SlackRoutes::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn a_channel_is_found_by_name_with_or_without_hash_in_any_case_or_by_id() {
        let r = routes(&[
            ("CURFEW_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/default"),
            (
                "CURFEW_SLACK_ROOM_WEBHOOKS",
                r##"{"#Dev": "https://hooks.slack.com/services/dev", "C0123ABC": "https://hooks.slack.com/services/ops"}"##,
            ),
        ])
        .unwrap();
        for channel in ["dev", "#dev", "DEV", " #Dev "] {
            assert_eq!(
                r.for_channel(Some(channel)),
                Some("https://hooks.slack.com/services/dev"),
                "{channel}"
            );
        }
        assert_eq!(
            r.for_channel(Some("c0123abc")),
            Some("https://hooks.slack.com/services/ops")
        );
        assert_eq!(
            r.for_channel(Some("#other")),
            Some("https://hooks.slack.com/services/default")
        );
        assert_eq!(
            r.for_channel(None),
            Some("https://hooks.slack.com/services/default")
        );
        assert!(
            !format!("{r:?}").contains("hooks.slack.com"),
            "URLs never in a log line"
        );
    }

    #[test]
    fn unset_is_no_slack_and_a_bad_map_names_its_variable() {
        let none = routes(&[("CURFEW_SLACK_ROOM_WEBHOOKS", " ")]).unwrap();
        assert!(none.is_empty());
        assert_eq!(none.for_channel(Some("dev")), None);
        let error = routes(&[("CURFEW_SLACK_ROOM_WEBHOOKS", "[1]")]).unwrap_err();
        assert_eq!(error.var, "CURFEW_SLACK_ROOM_WEBHOOKS");
    }
}

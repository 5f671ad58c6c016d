//! The ingress's configuration (SPEC §8), read once at cold start.

use crate::token::Tokens;
use chrono::Duration;
use curfew_shared::reply::Lang;
use curfew_shared::signing::SigningSecrets;
use curfew_shared::value::ConfigError;

/// Everything the ingress needs to decide an answer.
#[derive(Debug, Clone)]
pub struct Config {
    /// `CURFEW_JANDI_TOKENS`; unset = no JANDI front.
    pub tokens: Option<Tokens>,
    /// `CURFEW_SLACK_SIGNING_SECRETS`; unset = no Slack front. One of the
    /// two fronts must be configured.
    pub slack: SigningSecrets,
    /// `CURFEW_QUEUE_URL` (required): where jobs go.
    pub queue_url: String,
    /// `CURFEW_LANG`: `ko` (default) or `en`.
    pub lang: Lang,
    /// `CURFEW_REPLAY_WINDOW` seconds, default 300; 0 disables the check.
    /// A `createdAt` further than this from the ingress clock is refused.
    pub replay_window: Option<Duration>,
    /// `CURFEW_INGRESS_ADDR`: where the local HTTP ingress listens.
    pub addr: String,
    /// Bodies over this many bytes are refused with 413 (SPEC §4: 64 KiB).
    pub max_body_bytes: usize,
}

pub const DEFAULT_REPLAY_WINDOW_SECONDS: u32 = 300;
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const MAX_BODY_BYTES: usize = 64 * 1024;

impl Config {
    /// Reads the configuration through `lookup` (`std::env::var` in the
    /// binary, a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let slack =
            SigningSecrets::from_list(&lookup("CURFEW_SLACK_SIGNING_SECRETS").unwrap_or_default());
        let tokens =
            match lookup("CURFEW_JANDI_TOKENS").filter(|t| !t.trim().is_empty()) {
                None if !slack.is_empty() => None,
                None => return Err(ConfigError::new(
                    "CURFEW_JANDI_TOKENS",
                    "is not set, nor CURFEW_SLACK_SIGNING_SECRETS: configure at least one front",
                )),
                Some(list) => Some(Tokens::parse(&list).ok_or_else(|| {
                    ConfigError::invalid("CURFEW_JANDI_TOKENS", "no token in the list")
                })?),
            };
        let queue_url = lookup("CURFEW_QUEUE_URL")
            .filter(|url| !url.trim().is_empty())
            .ok_or_else(|| ConfigError::missing("CURFEW_QUEUE_URL"))?;
        let lang = Lang::from_setting(lookup("CURFEW_LANG").as_deref())?;
        let window_seconds = match lookup("CURFEW_REPLAY_WINDOW") {
            None => DEFAULT_REPLAY_WINDOW_SECONDS,
            Some(text) => text.trim().parse().map_err(|_| {
                ConfigError::invalid(
                    "CURFEW_REPLAY_WINDOW",
                    "expected whole seconds (0 disables)",
                )
            })?,
        };
        let replay_window =
            (window_seconds > 0).then(|| Duration::seconds(i64::from(window_seconds)));
        let addr = lookup("CURFEW_INGRESS_ADDR").unwrap_or_else(|| DEFAULT_ADDR.to_owned());
        Ok(Self {
            tokens,
            slack,
            queue_url,
            lang,
            replay_window,
            addr,
            max_body_bytes: MAX_BODY_BYTES,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    const REQUIRED: [(&str, &str); 2] = [
        ("CURFEW_JANDI_TOKENS", "a,b"),
        ("CURFEW_QUEUE_URL", "http://q"),
    ];

    #[test]
    fn defaults() {
        let c = config(&REQUIRED).unwrap();
        assert_eq!(c.lang, Lang::Ko);
        assert_eq!(c.replay_window, Some(Duration::seconds(300)));
        assert_eq!(c.addr, "127.0.0.1:8080");
        assert_eq!(c.max_body_bytes, 65536);
    }

    #[test]
    fn missing_variables_are_named() {
        assert_eq!(
            config(&[]).unwrap_err().to_string(),
            "CURFEW_JANDI_TOKENS is not set, nor CURFEW_SLACK_SIGNING_SECRETS: configure at least one front"
        );
        let only_tokens = config(&[("CURFEW_JANDI_TOKENS", "a")]).unwrap_err();
        assert_eq!(only_tokens, ConfigError::missing("CURFEW_QUEUE_URL"));
    }

    #[test]
    fn invalid_values_are_named_without_their_value() {
        let mut vars = REQUIRED.to_vec();
        vars.push(("CURFEW_LANG", "fr"));
        let error = config(&vars).unwrap_err().to_string();
        assert_eq!(error, "CURFEW_LANG is invalid: expected ko or en");
        let error =
            config(&[("CURFEW_JANDI_TOKENS", " , "), ("CURFEW_QUEUE_URL", "q")]).unwrap_err();
        assert_eq!(error.var, "CURFEW_JANDI_TOKENS");
        assert!(error.reason.starts_with("is invalid"), "{error}");
    }

    #[test]
    fn replay_window_zero_disables() {
        let mut vars = REQUIRED.to_vec();
        vars.push(("CURFEW_REPLAY_WINDOW", "0"));
        assert_eq!(config(&vars).unwrap().replay_window, None);
    }
}

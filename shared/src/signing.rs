//! Slack's request signing (SPEC §4.2): `X-Slack-Signature` is `v0=` and
//! the hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` under the app's
//! signing secret. The ingress verifies with it: every secret of
//! `CURFEW_SLACK_SIGNING_SECRETS` is tried (two during a rotation), each in
//! constant time and all of them every time, so the answer's timing says
//! nothing about which one matched. `curfew chat --front slack` and the
//! tests sign with it, as Slack does: one definition for both sides.

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The signing secrets. Their `Debug` shows how many, never one.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SigningSecrets(Vec<Vec<u8>>);

impl std::fmt::Debug for SigningSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningSecrets({} secret(s))", self.0.len())
    }
}

impl SigningSecrets {
    /// From the comma-separated list (blanks around a secret dropped).
    pub fn from_list(list: &str) -> Self {
        Self(
            list.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.as_bytes().to_vec())
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `signature` (the header as sent) signs `body` sent at
    /// `timestamp` (the timestamp header as sent) under any secret.
    pub fn verify(&self, timestamp: &str, body: &[u8], signature: &str) -> bool {
        let Some(expected) = signature
            .strip_prefix("v0=")
            .and_then(|hex_text| hex::decode(hex_text).ok())
        else {
            return false;
        };
        self.0.iter().fold(false, |matched, secret| {
            // `verify_slice` compares in constant time.
            let holds =
                mac(secret, timestamp, body).is_some_and(|mac| mac.verify_slice(&expected).is_ok());
            holds | matched
        })
    }
}

/// The `X-Slack-Signature` Slack would send for `body` at `timestamp`
/// under `secret`: what a local console or a test signs requests with.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let code = mac(secret.as_bytes(), timestamp, body)
        .map(|mac| hex::encode(mac.finalize().into_bytes()))
        .unwrap_or_default();
    format!("v0={code}")
}

/// The HMAC-SHA256 of `v0:<timestamp>:<body>` under `secret`.
fn mac(secret: &[u8], timestamp: &str, body: &[u8]) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
    Some(mac)
}

/// The instant `X-Slack-Request-Timestamp` (Unix seconds) names, if it is one.
pub fn request_time(timestamp: &str) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(timestamp.trim().parse().ok()?, 0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Slack's own example (api.slack.com, "Verifying requests from Slack").
    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const TIMESTAMP: &str = "1531420618";
    const BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const SIGNATURE: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    #[test]
    fn slacks_documented_example_verifies() {
        let secrets = SigningSecrets::from_list(SECRET);
        assert!(secrets.verify(TIMESTAMP, BODY.as_bytes(), SIGNATURE));
    }

    #[test]
    fn signing_gives_slacks_own_signature() {
        assert_eq!(sign(SECRET, TIMESTAMP, BODY.as_bytes()), SIGNATURE);
    }

    #[test]
    fn a_rotated_second_secret_verifies_too() {
        let secrets = SigningSecrets::from_list(&format!("new-secret-1234, {SECRET}"));
        assert!(secrets.verify(TIMESTAMP, BODY.as_bytes(), SIGNATURE));
    }

    #[test]
    fn anything_changed_fails() {
        let secrets = SigningSecrets::from_list(SECRET);
        let other = SigningSecrets::from_list("8f742231b10e8888abcd99yyyzzz85a6");
        assert!(
            !other.verify(TIMESTAMP, BODY.as_bytes(), SIGNATURE),
            "wrong secret"
        );
        assert!(
            !secrets.verify("1531420619", BODY.as_bytes(), SIGNATURE),
            "timestamp"
        );
        let body = BODY.replace("text=", "text=dev+force_stop");
        assert!(
            !secrets.verify(TIMESTAMP, body.as_bytes(), SIGNATURE),
            "body"
        );
        for signature in [
            "",
            "v0=",
            "v0=zz",
            "v1=a2114d57",
            &SIGNATURE.replace("v0=", "v1="),
        ] {
            assert!(
                !secrets.verify(TIMESTAMP, BODY.as_bytes(), signature),
                "{signature:?}"
            );
        }
        assert!(!SigningSecrets::from_list(" , ").verify(TIMESTAMP, BODY.as_bytes(), SIGNATURE));
    }

    #[test]
    fn secrets_never_show_in_debug_and_the_timestamp_reads_as_unix_seconds() {
        let secrets = SigningSecrets::from_list(&format!("{SECRET},second"));
        assert_eq!(format!("{secrets:?}"), "SigningSecrets(2 secret(s))");
        assert_eq!(
            request_time(TIMESTAMP).unwrap().to_rfc3339(),
            "2018-07-12T18:36:58+00:00"
        );
        assert_eq!(request_time("soon"), None);
    }
}

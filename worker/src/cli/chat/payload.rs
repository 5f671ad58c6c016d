//! What the console posts to the ingress: the body JANDI's outgoing webhook
//! would send for a typed line (SPEC §4), so the ingress cannot tell the two
//! apart.

use chrono::{DateTime, SecondsFormat, Utc};
use curfew_shared::front::Front;
use curfew_shared::Redacted;
use serde_json::{json, Value};

/// Also the keyword used when a line does not start with `/<keyword>`, so
/// `dev status` can be typed without it.
use curfew_shared::jandi::DEFAULT_KEYWORD;

/// Who the console pretends to be, in JANDI or in Slack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub front: Front,
    /// What the ingress checks: JANDI's outgoing-webhook token, or the
    /// Slack app's signing secret the console signs with. [`Redacted`].
    pub secret: Redacted<String>,
    pub team: String,
    /// The JANDI room, or the Slack channel's name.
    pub room: String,
    pub writer: String,
    pub email: Option<String>,
}

/// The outgoing-webhook body for one typed line, sent at `now`.
///
/// `keyword` is the first word without its `/`, as JANDI fills it in; a line
/// without a leading `/` gets `/서버 ` put in front, because JANDI only
/// forwards messages that start with the keyword. `createdAt` has
/// milliseconds and `Z`, JANDI's own format, which the replay check reads.
pub fn payload(line: &str, who: &Identity, now: DateTime<Utc>) -> Value {
    let line = line.trim();
    let (keyword, text) = match line.strip_prefix('/') {
        Some(rest) => {
            let word = rest.split_whitespace().next().unwrap_or_default();
            let keyword = if word.is_empty() {
                DEFAULT_KEYWORD
            } else {
                word
            };
            (keyword.to_owned(), line.to_owned())
        }
        None => (
            DEFAULT_KEYWORD.to_owned(),
            format!("/{DEFAULT_KEYWORD} {line}"),
        ),
    };
    let mut body = json!({
        "token": who.secret.expose(),
        "teamName": who.team,
        "roomName": who.room,
        "writerName": who.writer,
        "text": text,
        "keyword": keyword,
        "createdAt": now.to_rfc3339_opts(SecondsFormat::Millis, true),
    });
    if let (Some(email), Some(object)) = (&who.email, body.as_object_mut()) {
        object.insert("writerEmail".to_owned(), Value::from(email.as_str()));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use curfew_shared::jandi::OutgoingWebhook;

    fn who(email: Option<&str>) -> Identity {
        Identity {
            front: Front::Jandi,
            secret: "T0KEN".to_owned().into(),
            team: "local".to_owned(),
            room: "dev-ops".to_owned(),
            writer: "kim".to_owned(),
            email: email.map(str::to_owned),
        }
    }

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 5).unwrap()
    }

    #[test]
    fn text_and_keyword() {
        // (typed line, text sent, keyword sent)
        let cases = [
            ("/서버 dev status", "/서버 dev status", "서버"),
            ("  /서버 dev s  ", "/서버 dev s", "서버"),
            ("/server dev next", "/server dev next", "server"),
            ("dev status", "/서버 dev status", "서버"),
            ("help", "/서버 help", "서버"),
            ("/", "/", "서버"),
        ];
        for (line, text, keyword) in cases {
            let body = payload(line, &who(None), at());
            assert_eq!(body["text"], text, "{line:?}");
            assert_eq!(body["keyword"], keyword, "{line:?}");
        }
    }

    #[test]
    fn identity_and_time() {
        let body = payload("/서버 list", &who(Some("kim@example.com")), at());
        assert_eq!(body["token"], "T0KEN");
        assert_eq!(body["teamName"], "local");
        assert_eq!(body["roomName"], "dev-ops");
        assert_eq!(body["writerName"], "kim");
        assert_eq!(body["writerEmail"], "kim@example.com");
        assert_eq!(body["createdAt"], "2026-11-24T09:00:05.000Z");
        assert!(payload("/서버 list", &who(None), at())
            .get("writerEmail")
            .is_none());
    }

    /// The ingress reads what the console sends, including the writer and time.
    #[test]
    fn the_ingress_parses_it() {
        let body = payload("dev status", &who(Some("kim@example.com")), at());
        let parsed = OutgoingWebhook::from_json(body.to_string().as_bytes()).unwrap();
        assert_eq!(parsed.token.expose(), "T0KEN");
        assert_eq!(parsed.text, "/서버 dev status");
        assert_eq!(parsed.writer_identity(), "kim@example.com");
        assert_eq!(parsed.created_at(), Some(at()));
    }

    #[test]
    fn debug_hides_the_token() {
        assert!(!format!("{:?}", who(None)).contains("T0KEN"));
    }
}

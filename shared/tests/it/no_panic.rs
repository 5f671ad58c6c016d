//! Everything that reads outside input answers with a value or an error,
//! never a panic (a panic in an SQS batch fails the whole batch).

use curfew_shared::jandi::OutgoingWebhook;
use curfew_shared::job::Job;
use curfew_shared::schedule::parse_schedules;
use proptest::prelude::*;

/// Strings that look like the real thing, so the fuzzing gets past the first byte.
fn toml_like() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("name"),
        Just("tag"),
        Just("timezone"),
        Just("days"),
        Just("monthdays"),
        Just("months"),
        Just("start"),
        Just("stop"),
        Just("kind"),
        Just("after"),
        Just("stop_warning_minutes"),
        Just("enabled"),
    ];
    let value = prop_oneof![
        "\"[a-zA-Z0-9#/,:*LW -]{0,12}\"".boxed(),
        "-?[0-9]{1,12}".boxed(),
        Just("true".to_owned()).boxed(),
        Just("[\"db\", \"app\"]".to_owned()).boxed(),
    ];
    let line = prop_oneof![
        Just("[[schedule]]".to_owned()),
        Just("[[schedule.period]]".to_owned()),
        Just("[[schedule.group]]".to_owned()),
        (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
    ];
    proptest::collection::vec(line, 0..14).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn schedule_loader_never_panics(text in toml_like()) {
        let _ = parse_schedules(&text, chrono_tz::Asia::Seoul);
    }

    #[test]
    fn schedule_loader_never_panics_on_noise(text in "\\PC{0,200}") {
        let _ = parse_schedules(&text, chrono_tz::Asia::Seoul);
    }

    #[test]
    fn payload_decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = OutgoingWebhook::from_json(&bytes);
    }

    #[test]
    fn payload_decoder_never_panics_on_near_payloads(
        token in "\\PC{0,10}", text in "\\PC{0,40}", id in prop_oneof!["-?[0-9]{1,25}", "\"\\PC{0,5}\"", Just("null".to_owned()), Just("[]".to_owned())],
        created in "\\PC{0,30}",
    ) {
        let body = serde_json::json!({"token": token, "text": text, "createdAt": created}).to_string();
        let body = body.replacen('}', &format!(",\"writer\":{{\"id\":{id}}}}}"), 1);
        if let Ok(payload) = OutgoingWebhook::from_json(body.as_bytes()) {
            let _ = payload.created_at();
            let _ = payload.writer_identity();
        }
    }

    #[test]
    fn job_decoder_never_panics(text in "\\PC{0,200}") {
        let _ = Job::decode(&text);
    }

    #[test]
    fn job_decoder_never_panics_on_near_jobs(v in "[0-9a-z\"-]{1,5}", kind in "[a-z_]{0,10}", at in "\\PC{0,25}") {
        let _ = Job::decode(&format!(r#"{{"v":{v},"kind":"{kind}","at":"{at}","schedule":"dev"}}"#));
        let _ = Job::decode(&format!(r#"{{"source":"aws.events","detail-type":"Scheduled Event","time":"{at}"}}"#));
    }
}

//! `curfew chat` against a stand-in ingress on loopback: what the user types
//! reaches the ingress as a JANDI payload, and both the answer and the
//! worker's later reply show up in the console. No AWS involved.

/// A module, so that `cargo test chat` selects these too.
mod chat {
    use curfew_shared::jandi::{Color, Message};
    use curfew_worker::adapters::jandi::{Notifier, RetryPolicy};
    use curfew_worker::cli::chat::{self as console, Console, Identity, Shown};
    use http_body_util::{BodyExt, Full};
    use hyper::body::Bytes;
    use hyper_util::rt::TokioIo;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    use tokio::sync::mpsc;

    /// Payloads the stand-in ingress received.
    type Seen = Arc<Mutex<Vec<serde_json::Value>>>;

    /// The console's webhook on a free port: its URL and the replies it took in.
    async fn console_webhook() -> (String, mpsc::UnboundedReceiver<Shown>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/webhook", listener.local_addr().unwrap());
        let (sender, replies) = mpsc::unbounded_channel();
        tokio::spawn(console::serve(listener, sender));
        (url, replies)
    }

    /// An ingress that answers every POST with `status` and `answer`, and, when
    /// `reply_to` is given, posts that message to that URL shortly after, as the
    /// worker would.
    async fn ingress(
        status: u16,
        answer: &'static str,
        reply_to: Option<(String, Message)>,
    ) -> (String, Seen) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let seen: Seen = Arc::default();
        let seen2 = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (seen, reply_to) = (Arc::clone(&seen2), reply_to.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        move |request: hyper::Request<hyper::body::Incoming>| {
                            let (seen, reply_to) = (Arc::clone(&seen), reply_to.clone());
                            async move {
                                let body = request.into_body().collect().await.unwrap().to_bytes();
                                seen.lock()
                                    .unwrap()
                                    .push(serde_json::from_slice(&body).unwrap());
                                if let Some((url, message)) = reply_to {
                                    tokio::spawn(async move {
                                        tokio::time::sleep(Duration::from_millis(100)).await;
                                        notifier().post(&url, &message).await.unwrap();
                                    });
                                }
                                let mut response =
                                    hyper::Response::new(Full::new(Bytes::from(answer)));
                                *response.status_mut() =
                                    hyper::StatusCode::from_u16(status).unwrap();
                                Ok::<_, std::convert::Infallible>(response)
                            }
                        },
                    );
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        (url, seen)
    }

    fn notifier() -> Notifier {
        Notifier::new(RetryPolicy {
            attempts: 1,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(5),
            timeout: Duration::from_secs(2),
            budget: Duration::from_secs(20),
        })
        .unwrap()
    }

    fn console_at(ingress: &str, wait: Duration, idle: Duration) -> Console {
        let identity = Identity {
            front: curfew_shared::front::Front::Jandi,
            secret: "T0KEN".to_owned().into(),
            team: "local".to_owned(),
            room: "dev-ops".to_owned(),
            writer: "kim".to_owned(),
            email: None,
        };
        Console::new(
            ingress.to_owned(),
            identity,
            "http://127.0.0.1:9/".to_owned(),
            wait,
            idle,
        )
        .unwrap()
    }

    /// Typed lines, as the stdin thread would hand them over.
    fn typed(lines: &[&str]) -> mpsc::Receiver<String> {
        let (sender, receiver) = mpsc::channel(lines.len().max(1));
        for line in lines {
            sender.try_send((*line).to_owned()).unwrap();
        }
        receiver
    }

    #[tokio::test]
    async fn a_reply_from_the_workers_notifier_is_printed() {
        let (url, mut replies) = console_webhook().await;
        let message =
            Message::new(Color::Ok, "충성! dev 기상 완료").block("app", "dev-app-1\ndev-app-2");
        notifier().post(&url, &message).await.unwrap();
        let shown = replies.recv().await.unwrap();
        assert_eq!(shown, Shown::Message(message));
        let mut out = Vec::new();
        console::print::reply(&mut out, &shown).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "◀ reply · ok\n충성! dev 기상 완료\n  [app] dev-app-1\n      dev-app-2\n"
        );
    }

    #[tokio::test]
    async fn the_webhook_answers_like_jandi() {
        let (url, mut replies) = console_webhook().await;
        let http = reqwest::Client::new();
        let post = |content_type: &'static str, body: &'static str| {
            http.post(&url)
                .header("content-type", content_type)
                .body(body)
                .send()
        };
        let ok = post("application/json; charset=utf-8", r#"{"any":"json"}"#)
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.text().await.unwrap(), "{}");
        assert_eq!(
            post("application/json", "{not json")
                .await
                .unwrap()
                .status(),
            400
        );
        assert_eq!(post("text/plain", "{}").await.unwrap().status(), 415);
        assert_eq!(http.get(&url).send().await.unwrap().status(), 405);
        // Any path is the webhook.
        let elsewhere = url.replace("/webhook", "/connect-api/webhook/1/x");
        assert_eq!(
            http.post(&elsewhere)
                .body("[]")
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        // Only the valid bodies came through; one that is not a message is kept as JSON.
        let first = replies.recv().await.unwrap();
        assert_eq!(first, Shown::Json(serde_json::json!({"any": "json"})));
        assert_eq!(
            replies.recv().await.unwrap(),
            Shown::Json(serde_json::json!([]))
        );
        assert!(replies.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_typed_line_gets_its_answer_and_then_the_reply() {
        let (webhook, mut replies) = console_webhook().await;
        let later =
            Message::new(Color::Ok, "dev: 2대 중 2대 실행 중").block("EC2", "dev-app-1 : running");
        let (url, seen) = ingress(
            200,
            r##"{"body":"접수했습니다","connectColor":"#1DDB16"}"##,
            Some((webhook, later)),
        )
        .await;
        let console = console_at(&url, Duration::from_secs(5), Duration::from_millis(500));
        let mut out = Vec::new();
        let lines = typed(&["/서버 dev status", "   ", "quit", "/서버 never sent"]);
        console
            .session(lines, &mut replies, &mut out, false)
            .await
            .unwrap();

        let out = String::from_utf8(out).unwrap();
        // The reply's heading carries the round trip in milliseconds.
        let (answer, reply) = out.split_once("◀ reply (").unwrap();
        assert_eq!(answer, "▶ answer (HTTP 200) · ok\n접수했습니다\n");
        let (millis, rest) = reply.split_once(" ms after the last line) · ok\n").unwrap();
        assert!(millis.parse::<u64>().is_ok(), "{out}");
        assert_eq!(
            rest,
            "dev: 2대 중 2대 실행 중\n  [EC2] dev-app-1 : running\n"
        );
        let seen = seen.lock().unwrap();
        assert_eq!(
            seen.len(),
            1,
            "blank lines are skipped and quit ends the input"
        );
        assert_eq!(seen[0]["text"], "/서버 dev status");
        assert_eq!(seen[0]["keyword"], "서버");
        assert_eq!(seen[0]["token"], "T0KEN");
        assert_eq!(seen[0]["roomName"], "dev-ops");
    }

    #[tokio::test]
    async fn a_refused_token_is_explained() {
        let (_, mut replies) = console_webhook().await;
        let (url, _) = ingress(401, "", None).await;
        let console = console_at(&url, Duration::from_secs(1), Duration::from_millis(50));
        let mut out = Vec::new();
        console
            .session(typed(&["dev status"]), &mut replies, &mut out, false)
            .await
            .unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .starts_with("▶ answer (HTTP 401): the ingress refused the token"),);
    }

    #[tokio::test]
    async fn an_unreachable_ingress_is_reported_and_the_console_goes_on() {
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}", listener.local_addr().unwrap())
        };
        let (_, mut replies) = console_webhook().await;
        let console = console_at(&closed, Duration::from_secs(1), Duration::from_millis(50));
        let mut out = Vec::new();
        console
            .session(
                typed(&["/서버 list", "/서버 help"]),
                &mut replies,
                &mut out,
                false,
            )
            .await
            .unwrap();
        let out = String::from_utf8(out).unwrap();
        let expected = format!("✗ the ingress is not reachable at {closed}");
        assert_eq!(out.matches(&expected).count(), 2, "{out}");
    }

    #[tokio::test]
    async fn after_the_input_it_waits_for_quiet_but_never_past_wait() {
        let (url, _) = ingress(200, r##"{"body":"ok","connectColor":"#1DDB16"}"##, None).await;
        let (sender, mut replies) = mpsc::unbounded_channel();
        // A worker that never stops talking: only --wait ends the console.
        let chatter = tokio::spawn(async move {
            loop {
                let _ = sender.send(Shown::Message(Message::new(Color::Ok, "tick")));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        let console = console_at(&url, Duration::from_millis(400), Duration::from_millis(150));
        let started = Instant::now();
        let mut out = Vec::new();
        console
            .session(typed(&["/서버 list"]), &mut replies, &mut out, false)
            .await
            .unwrap();
        let took = started.elapsed();
        chatter.abort();
        assert!(took >= Duration::from_millis(400), "{took:?}");
        assert!(took < Duration::from_secs(2), "{took:?}");

        // Quiet from the start: it leaves after one idle period.
        let (_keep, mut silent) = mpsc::unbounded_channel::<Shown>();
        let console = console_at(&url, Duration::from_secs(10), Duration::from_millis(150));
        let started = Instant::now();
        console
            .session(typed(&["/서버 list"]), &mut silent, &mut Vec::new(), false)
            .await
            .unwrap();
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(150), "{took:?}");
        assert!(took < Duration::from_secs(5), "{took:?}");
    }

    #[tokio::test]
    async fn nothing_typed_means_nothing_to_wait_for() {
        let (_keep, mut replies) = mpsc::unbounded_channel::<Shown>();
        let console = console_at(
            "http://127.0.0.1:1",
            Duration::from_secs(10),
            Duration::from_secs(10),
        );
        let started = Instant::now();
        console
            .session(typed(&["", "exit"]), &mut replies, &mut Vec::new(), false)
            .await
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    /// `chat --front slack` against the real ingress (its HTTP server and
    /// Slack verification, a queue in memory): a typed line arrives as a
    /// signed slash command naming the console's `response_url`; a warning
    /// posted to the console's webhook by the worker's notifier shows its
    /// buttons numbered, and typing `1` sends the signed click that queues
    /// the button's command.
    #[tokio::test]
    async fn slack_mode_sends_signed_commands_and_presses_a_button_by_number() {
        use curfew_shared::front::Front;
        use curfew_shared::job::Job;
        use curfew_shared::reply::{Card, Offer, Tone};
        use curfew_testkit::MemoryQueue;

        let queue = Arc::new(MemoryQueue::default());
        let config = curfew_ingress::Config::from_lookup(|name| match name {
            "CURFEW_SLACK_SIGNING_SECRETS" => Some("old,s3cret".to_owned()),
            "CURFEW_QUEUE_URL" => Some("http://unused".to_owned()),
            "CURFEW_LANG" => Some("en".to_owned()),
            _ => None,
        })
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let ingress = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(curfew_ingress::http::serve(
            listener,
            Arc::new(config),
            Arc::clone(&queue),
            std::future::pending(),
        ));

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let replies_at = format!("http://{}", listener.local_addr().unwrap());
        let (sender, mut replies) = mpsc::unbounded_channel();
        tokio::spawn(console::serve(listener, sender));
        let identity = Identity {
            front: Front::Slack,
            secret: "s3cret".to_owned().into(),
            team: "local".to_owned(),
            room: "dev".to_owned(),
            writer: "alice".to_owned(),
            email: None,
        };
        let console = Console::new(
            ingress,
            identity,
            replies_at.clone(),
            Duration::from_secs(2),
            Duration::from_millis(300),
        )
        .unwrap();

        let (lines, typed) = mpsc::channel(4);
        let session = tokio::spawn(async move {
            let mut out = Vec::new();
            console
                .session(typed, &mut replies, &mut out, false)
                .await
                .unwrap();
            String::from_utf8(out).unwrap()
        });
        let jobs = || queue.jobs();
        let wait_for = |count: usize| async move {
            for _ in 0..100 {
                if jobs().len() >= count {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        lines.send("/curfew dev status".to_owned()).await.unwrap();
        wait_for(1).await;

        // The worker warns the channel, on the console's webhook.
        let warning = Card::new(Tone::Warning, "dev stops at 19:00").offer(Offer {
            label: "Keep running 1h".to_owned(),
            command: "dev force_start for 1h".to_owned(),
            stop: "19:00".to_owned(),
            until: chrono::Utc::now() + chrono::Duration::minutes(10),
        });
        notifier()
            .notify_on_slack(&format!("{replies_at}/slack/webhook"), &warning)
            .await
            .unwrap();
        lines.send("1".to_owned()).await.unwrap();
        wait_for(2).await;
        drop(lines);
        let out = session.await.unwrap();

        let jobs = queue.jobs();
        assert_eq!(jobs.len(), 2, "{jobs:#?}\n{out}");
        let (Job::Command(typed), Job::Command(clicked)) = (&jobs[0], &jobs[1]) else {
            panic!("{jobs:#?}");
        };
        assert_eq!(typed.front, Front::Slack);
        assert_eq!(typed.text, "/curfew dev status");
        assert_eq!(typed.room.as_deref(), Some("dev"));
        assert_eq!(typed.writer_name.as_deref(), Some("alice"));
        assert_eq!(
            typed.response_url.as_ref().unwrap().expose(),
            &format!("{replies_at}/slack/response")
        );
        assert!(typed.offer.is_none());
        assert_eq!(clicked.text, "dev force_start for 1h");
        assert_eq!(clicked.offer.as_ref().unwrap().label, "Keep running 1h");
        assert_eq!(clicked.writer, typed.writer);

        assert!(out.contains("▶ answer (HTTP 200)"), "{out}");
        assert!(out.contains("[1] Keep running 1h"), "{out}");
        assert!(out.contains("▶ pressing [1] Keep running 1h"), "{out}");
    }
}

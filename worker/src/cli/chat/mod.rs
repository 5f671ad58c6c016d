//! `curfew chat` (SPEC §9): a local stand-in for the JANDI room or, with
//! `--front slack`, the Slack channel. Typed lines go to the ingress as
//! outgoing-webhook payloads (or signed slash commands); the immediate
//! answer is printed, and the worker's asynchronous replies arrive on an
//! incoming webhook / `response_url` the console runs itself. In Slack
//! mode a message's buttons are pressed by typing their number. With it,
//! the whole pipeline can be tried on one machine without a chat team.

mod payload;
pub mod print;
pub mod slack;
mod webhook;

use curfew_shared::jandi::DEFAULT_KEYWORD;
pub use payload::{payload, Identity};
pub use print::Shown;
pub use webhook::serve;

use anyhow::Context as _;
use curfew_shared::front::Front;
use curfew_shared::Redacted;
use std::io::{IsTerminal as _, Write};
use std::time::Duration;
use tokio::sync::mpsc::{Receiver, UnboundedReceiver};
use tokio::time::Instant;

/// Talk to curfew as JANDI (or Slack) would: typed lines go to the
/// ingress; its answers and the worker's replies are printed.
#[derive(Debug, Clone, clap::Args)]
pub struct ChatArgs {
    /// The chat front to speak, jandi or slack: JANDI payloads, or signed Slack slash commands and clicks.
    #[arg(long, value_name = "FRONT", value_parser = front_named, default_value = "jandi")]
    pub front: Front,
    /// The ingress to post to [default: http:// + CURFEW_INGRESS_ADDR, else http://127.0.0.1:8080]
    #[arg(long, value_name = "URL")]
    pub ingress: Option<String>,
    /// Where the console receives replies; point CURFEW_JANDI_WEBHOOK_URL (or
    /// CURFEW_SLACK_WEBHOOK_URL and CURFEW_SLACK_RESPONSE_PREFIX) at it.
    #[arg(
        long,
        value_name = "ADDR",
        env = "CURFEW_CHAT_ADDR",
        default_value = "127.0.0.1:8090"
    )]
    pub listen: String,
    /// The outgoing-webhook token [default: the first of CURFEW_JANDI_TOKENS]
    #[arg(long)]
    pub token: Option<Redacted<String>>,
    /// Slack mode: the signing secret [default: the first of CURFEW_SLACK_SIGNING_SECRETS]
    #[arg(long, value_name = "SECRET")]
    pub signing_secret: Option<Redacted<String>>,
    /// The JANDI room, or Slack channel, the lines seem to come from (replies are routed by it).
    #[arg(long, value_name = "NAME", default_value = "dev-ops")]
    pub room: String,
    /// The writer's name, as audit and `history` show it [default: $USER, else local]
    #[arg(long, value_name = "NAME")]
    pub writer: Option<String>,
    /// The writer's email (checked against CURFEW_ADMINS when that is set).
    #[arg(long)]
    pub email: Option<String>,
    /// The JANDI team name.
    #[arg(long, value_name = "NAME", default_value = "local")]
    pub team: String,
    /// After the input ends, wait at most this long for replies.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub wait: u64,
    /// After the input ends, stop once no reply came for this long.
    #[arg(long, value_name = "SECONDS", default_value_t = 2)]
    pub idle: u64,
}

impl ChatArgs {
    /// `--ingress`, else `CURFEW_INGRESS_ADDR` (the address the local ingress
    /// listens on), else the ingress's own default; `http://` is added when
    /// no scheme is given.
    pub fn ingress_url(&self, lookup: impl Fn(&str) -> Option<String>) -> String {
        let given = self
            .ingress
            .clone()
            .or_else(|| lookup("CURFEW_INGRESS_ADDR"))
            .map(|url| url.trim().to_owned())
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        if given.contains("://") {
            given
        } else {
            format!("http://{given}")
        }
    }

    /// Who the console posts as. The token (or signing secret) defaults to
    /// the first one the ingress accepts, so a local stack needs no extra
    /// setting.
    pub fn identity(&self, lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Identity> {
        let first_of = |variable: &str| {
            lookup(variable).and_then(|list| {
                list.split(',')
                    .map(str::trim)
                    .find(|secret| !secret.is_empty())
                    .map(|secret| Redacted::new(secret.to_owned()))
            })
        };
        let front = self.front;
        let secret = match front {
            Front::Jandi => self
                .token
                .clone()
                .or_else(|| first_of("CURFEW_JANDI_TOKENS"))
                .context("no token: pass --token or set CURFEW_JANDI_TOKENS")?,
            Front::Slack => self
                .signing_secret
                .clone()
                .or_else(|| first_of("CURFEW_SLACK_SIGNING_SECRETS"))
                .context(
                    "no signing secret: pass --signing-secret or set CURFEW_SLACK_SIGNING_SECRETS",
                )?,
        };
        let writer = self
            .writer
            .clone()
            .or_else(|| lookup("USER"))
            .filter(|writer| !writer.trim().is_empty())
            .unwrap_or_else(|| "local".to_owned());
        Ok(Identity {
            front,
            secret,
            team: self.team.clone(),
            room: self.room.clone(),
            writer,
            email: self.email.clone().filter(|email| !email.is_empty()),
        })
    }
}

/// `--front`'s value: the front's own name (`Front::as_str`).
fn front_named(name: &str) -> Result<Front, String> {
    [Front::Jandi, Front::Slack]
        .into_iter()
        .find(|front| front.as_str() == name)
        .ok_or_else(|| format!("{name:?} is not a front: jandi or slack"))
}

/// Runs the console on stdin and stdout until the input ends and the
/// replies have stopped coming, or until Ctrl-C.
pub async fn run(args: ChatArgs) -> anyhow::Result<()> {
    let lookup = |name: &str| std::env::var(name).ok();
    let identity = args.identity(lookup)?;
    // Bound before the first line is posted, so no reply can miss it.
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (--listen / CURFEW_CHAT_ADDR)",
                args.listen
            )
        })?;
    let at = listener
        .local_addr()
        .context("the listener has no address")?;
    let (sender, mut replies) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(serve(listener, sender));
    let console = Console::new(
        args.ingress_url(lookup),
        identity,
        format!("http://{at}"),
        Duration::from_secs(args.wait),
        Duration::from_secs(args.idle),
    )?;

    let interactive = std::io::stdin().is_terminal();
    let mut out = std::io::stdout();
    let who = &console.identity;
    match who.front {
        Front::Jandi => {
            writeln!(
                out,
                "posting to {} as {} in {}",
                console.ingress, who.writer, who.room
            )?;
            writeln!(
                out,
                "replies: http://{at}/webhook (set the worker's CURFEW_JANDI_WEBHOOK_URL to it)"
            )?;
        }
        Front::Slack => {
            writeln!(
                out,
                "posting signed Slack requests to {}/slack/... as {} in #{}",
                console.ingress.trim_end_matches('/'),
                who.writer,
                who.room
            )?;
            writeln!(
                out,
                "replies: {} (set the worker's CURFEW_SLACK_RESPONSE_PREFIX to http://{at}/ and CURFEW_SLACK_WEBHOOK_URL to http://{at}/slack/webhook)",
                console.response_url()
            )?;
        }
    }
    if interactive {
        let example = match who.front {
            Front::Jandi => format!("/{DEFAULT_KEYWORD} help"),
            Front::Slack => format!(
                "{} help; a button's number presses it",
                slack::DEFAULT_COMMAND
            ),
        };
        writeln!(
            out,
            "type e.g. {example}; quit or Ctrl-D ends, Ctrl-C leaves at once"
        )?;
    }
    let input = stdin_lines();
    tokio::select! {
        result = console.session(input, &mut replies, &mut out, interactive) => result,
        _ = tokio::signal::ctrl_c() => {
            writeln!(std::io::stdout())?;
            Ok(())
        }
    }
}

/// The console without its terminal: where to post, as whom, where it
/// hears back, and how long to wait for replies at the end. Tests drive it
/// with in-memory input.
#[derive(Debug)]
pub struct Console {
    pub ingress: String,
    pub identity: Identity,
    /// The base URL of the console's own webhook ([`serve`]).
    pub replies: String,
    pub wait: Duration,
    pub idle: Duration,
    http: reqwest::Client,
}

impl Console {
    pub fn new(
        ingress: String,
        identity: Identity,
        replies: String,
        wait: Duration,
        idle: Duration,
    ) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .context("building the HTTP client")?;
        Ok(Self {
            ingress,
            identity,
            replies,
            wait,
            idle,
            http,
        })
    }

    /// The `response_url` the console's Slack requests name: its own webhook.
    pub fn response_url(&self) -> String {
        format!("{}/slack/response", self.replies.trim_end_matches('/'))
    }

    /// Posts each line of `lines` (ended when its sender is dropped) and prints the answer, printing replies as
    /// they arrive, also while waiting for input. After the input ends (or
    /// `quit` / `exit`), waits for replies until `idle` passes without one,
    /// `wait` at most; not at all when nothing was posted.
    pub async fn session(
        &self,
        mut lines: Receiver<String>,
        replies: &mut UnboundedReceiver<Shown>,
        out: &mut impl Write,
        prompt: bool,
    ) -> anyhow::Result<()> {
        let mut posted = 0_usize;
        let mut last_post = Instant::now();
        // The buttons of the latest message that had some (Slack mode).
        let mut pressable: Option<slack::Pressable> = None;
        let mut received = 0_usize;
        show_prompt(out, prompt)?;
        loop {
            tokio::select! {
                // What has arrived is shown (and its buttons made pressable)
                // before the next line is sent.
                biased;
                Some(shown) = replies.recv() => {
                    if prompt {
                        writeln!(out)?;
                    }
                    received += 1;
                    if let Shown::Slack(message) = &shown {
                        if let Some(buttons) = slack::Pressable::of(message, received, chrono::Utc::now()) {
                            pressable = Some(buttons);
                        }
                    }
                    print::reply_after(out, &shown, last_post.elapsed())?;
                    show_prompt(out, prompt)?;
                }
                line = lines.recv() => {
                    let Some(line) = line else { break };
                    let line = line.trim();
                    if line.eq_ignore_ascii_case("quit") || line.eq_ignore_ascii_case("exit") {
                        break;
                    }
                    if !line.is_empty() {
                        last_post = Instant::now();
                        self.post(line, pressable.as_ref(), out).await?;
                        posted += 1;
                    }
                    show_prompt(out, prompt)?;
                }
            }
        }
        if prompt {
            writeln!(out)?;
        }
        if posted == 0 {
            return Ok(());
        }
        let deadline = Instant::now() + self.wait;
        let mut quiet_until = Instant::now() + self.idle;
        loop {
            tokio::select! {
                shown = replies.recv() => {
                    let Some(shown) = shown else { break };
                    print::reply_after(out, &shown, last_post.elapsed())?;
                    out.flush()?;
                    quiet_until = Instant::now() + self.idle;
                }
                () = tokio::time::sleep_until(quiet_until.min(deadline)) => break,
            }
        }
        Ok(())
    }

    /// Posts one line (in Slack mode, a button's number presses that
    /// button of `pressable`) and prints the ingress's answer. An
    /// unreachable ingress is reported and the console goes on: it may
    /// still be starting.
    async fn post(
        &self,
        line: &str,
        pressable: Option<&slack::Pressable>,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        let now = chrono::Utc::now();
        let request = match self.identity.front {
            Front::Jandi => self
                .http
                .post(&self.ingress)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(payload(line, &self.identity, now).to_string()),
            Front::Slack => {
                let pressed = pressable.and_then(|p| p.pressed(line).map(|button| (p, button)));
                let signed = match pressed {
                    Some((pressable, button)) => {
                        writeln!(out, "▶ pressing [{}] {}", line.trim(), button.text.text)?;
                        slack::click(
                            button,
                            &pressable.message_ts,
                            &self.identity,
                            &self.response_url(),
                            now,
                        )
                    }
                    None => slack::slash_command(line, &self.identity, &self.response_url(), now),
                };
                self.http
                    .post(format!(
                        "{}{}",
                        self.ingress.trim_end_matches('/'),
                        signed.path
                    ))
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .header("x-slack-request-timestamp", signed.timestamp)
                    .header("x-slack-signature", signed.signature)
                    .body(signed.body)
            }
        };
        let sent = request.send().await;
        let answered = match sent {
            Ok(response) => {
                let status = response.status().as_u16();
                response.bytes().await.map(|body| (status, body))
            }
            Err(error) => Err(error),
        };
        match answered {
            Ok((status, body)) => print::answer(out, self.identity.front, status, &body)?,
            Err(error) => print::unreachable(out, &self.ingress, &root_cause(&error))?,
        }
        out.flush()?;
        Ok(())
    }
}

/// Lines of stdin, read on a thread of their own: tokio's stdin is a blocking
/// read that cannot be cancelled, so Ctrl-C at the prompt would hang the
/// runtime's shutdown until Enter. This thread simply dies with the process.
fn stdin_lines() -> Receiver<String> {
    let (sender, lines) = tokio::sync::mpsc::channel(16);
    std::thread::spawn(move || {
        for line in std::io::stdin().lines() {
            let line = match line {
                Ok(line) => line,
                Err(error) => {
                    eprintln!("curfew chat: reading stdin: {error}");
                    break;
                }
            };
            if sender.blocking_send(line).is_err() {
                break;
            }
        }
    });
    lines
}

fn show_prompt(out: &mut impl Write, prompt: bool) -> std::io::Result<()> {
    if prompt {
        write!(out, "> ")?;
    }
    out.flush()
}

/// reqwest's own message only names the URL; the innermost source says why
/// (`Connection refused`).
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use std::collections::HashMap;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        chat: ChatArgs,
    }

    fn args(flags: &[&str]) -> ChatArgs {
        Cli::try_parse_from(std::iter::once("chat").chain(flags.iter().copied()))
            .unwrap()
            .chat
    }

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    #[test]
    fn ingress_url() {
        // (flags, environment, URL)
        type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
        let cases: [Case; 4] = [
            (&[], &[], "http://127.0.0.1:8080"),
            (
                &[],
                &[("CURFEW_INGRESS_ADDR", "0.0.0.0:9000")],
                "http://0.0.0.0:9000",
            ),
            (
                &["--ingress", "https://x.example/hook"],
                &[("CURFEW_INGRESS_ADDR", "0.0.0.0:9000")],
                "https://x.example/hook",
            ),
            (&["--ingress", "localhost:1"], &[], "http://localhost:1"),
        ];
        for (flags, vars, url) in cases {
            assert_eq!(
                args(flags).ingress_url(env(vars)),
                url,
                "{flags:?} {vars:?}"
            );
        }
    }

    #[test]
    fn identity_defaults() {
        let who = args(&[])
            .identity(env(&[
                ("CURFEW_JANDI_TOKENS", " , new,old"),
                ("USER", "kim"),
            ]))
            .unwrap();
        assert_eq!(who.secret.expose(), "new");
        assert_eq!(who.front, Front::Jandi);
        assert_eq!(who.writer, "kim");
        assert_eq!((who.room.as_str(), who.team.as_str()), ("dev-ops", "local"));
        assert_eq!(who.email, None);
        let who = args(&[
            "--token", "t", "--writer", "lee", "--email", "lee@x", "--room", "ops",
        ])
        .identity(env(&[]))
        .unwrap();
        assert_eq!(
            (
                who.secret.expose().as_str(),
                who.writer.as_str(),
                who.room.as_str()
            ),
            ("t", "lee", "ops")
        );
        assert_eq!(who.email.as_deref(), Some("lee@x"));
        assert_eq!(
            args(&["--token", "t"]).identity(env(&[])).unwrap().writer,
            "local"
        );
    }

    #[test]
    fn slack_mode_signs_with_the_first_signing_secret() {
        let who = args(&["--front", "slack"])
            .identity(env(&[
                ("CURFEW_JANDI_TOKENS", "jandi"),
                ("CURFEW_SLACK_SIGNING_SECRETS", " ,new , old"),
            ]))
            .unwrap();
        assert_eq!(who.front, Front::Slack);
        assert_eq!(who.secret.expose(), "new");
        let who = args(&["--front", "slack", "--signing-secret", "given"])
            .identity(env(&[]))
            .unwrap();
        assert_eq!(who.secret.expose(), "given");
        let error = args(&["--front", "slack"])
            .identity(env(&[("CURFEW_JANDI_TOKENS", "jandi")]))
            .unwrap_err();
        assert!(
            error.to_string().contains("CURFEW_SLACK_SIGNING_SECRETS"),
            "{error}"
        );
        let refused = Cli::try_parse_from(["chat", "--front", "teams"]).unwrap_err();
        assert!(refused.to_string().contains("jandi or slack"), "{refused}");
        assert!(!format!("{:?}", args(&["--signing-secret", "S3CRET"])).contains("S3CRET"));
    }

    #[test]
    fn a_missing_token_names_the_variable() {
        let error = args(&[])
            .identity(env(&[("CURFEW_JANDI_TOKENS", " ")]))
            .unwrap_err();
        assert!(error.to_string().contains("CURFEW_JANDI_TOKENS"), "{error}");
    }

    #[test]
    fn debug_hides_the_token() {
        assert!(!format!("{:?}", args(&["--token", "S3CRET"])).contains("S3CRET"));
    }
}

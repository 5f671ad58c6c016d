//! Replies (SPEC §3): plain data in [`view`], rendered into front-agnostic
//! [`Card`]s in Korean (the seed's 서버병 voice, the default) or English;
//! each chat front turns a card into its own wire shape (`crate::jandi`).
//!
//! [`render`] dispatches to one small module per reply kind; each picks its
//! words with [`pick`]. Times are always shown in the schedule's time zone.

mod accepted;
mod card;
mod days_off;
mod digest;
mod error;
mod exception;
mod force;
mod help;
mod history;
mod info;
mod list;
mod next;
mod notice;
mod savings;
mod status;
pub mod view;

#[cfg(test)]
mod tests;

pub use card::{Block, Card, Offer, Tone};
pub use digest::{digest, PER_DIGEST, SEPARATE_UP_TO};
pub use view::*;

use crate::resource::{GroupWait, InstanceRef, InstanceState, Placed};
use crate::schedule::Source;
use crate::Action;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The reply language, from `CURFEW_LANG`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    /// `ko` or `en` (any case); anything else is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ko" => Some(Self::Ko),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// `CURFEW_LANG` as the ingress and the worker read it: unset is the
    /// default (`ko`).
    pub fn from_setting(value: Option<&str>) -> Result<Self, crate::value::ConfigError> {
        value.map_or(Ok(Self::default()), |text| {
            Self::parse(text).ok_or_else(|| {
                crate::value::ConfigError::invalid("CURFEW_LANG", "expected ko or en")
            })
        })
    }
}

/// What rendering needs besides the view: the language, and the team's
/// command keyword (e.g. `서버`, no slash) for usage lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub lang: Lang,
    pub keyword: String,
}

impl Context {
    pub fn new(lang: Lang, keyword: impl Into<String>) -> Self {
        Self {
            lang,
            keyword: keyword.into(),
        }
    }
}

/// Turns a reply into the JANDI message sent to the room.
pub fn render(reply: &Reply, ctx: &Context) -> Card {
    match reply {
        Reply::Accepted { command } => accepted::render(command, ctx),
        Reply::Help => help::render(ctx),
        Reply::List(view) => list::render(view, ctx),
        Reply::Status(view) => status::render(view, ctx),
        Reply::Info(view) => info::render(view, ctx),
        Reply::ExceptionInfo(view) => exception::render_info(view, ctx),
        Reply::ExceptionChanged(view) => exception::render_change(view, ctx),
        Reply::Forced(view) => force::render(view, ctx),
        Reply::Next(view) => next::render(view, ctx),
        Reply::History(view) => history::render(view, ctx),
        Reply::Holidays(view) => days_off::render(view, ctx),
        Reply::Savings(view) => savings::render(view, ctx),
        Reply::Error(view) => error::render(view, ctx),
        Reply::Notice(view) => notice::render(view, ctx),
    }
}

/// `card` as the answer to a click on the offered button `label` (SPEC
/// §4.2): it replaces the message the button was on, so its first line
/// says who pressed what, then what was done ("@alice pressed “Keep
/// running 1h”: dev: force start, ... Hands back to the schedule at
/// 20:00.").
pub fn clicked_by(card: Card, who: &str, label: &str, lang: Lang) -> Card {
    let body = pick(
        lang,
        format!("@{who} 님이 [{label}]을(를) 눌렀습니다: {}", card.body),
        format!("@{who} pressed “{label}”: {}", card.body),
    );
    Card { body, ..card }
}

/// The Korean or the English text.
pub(crate) fn pick<T>(lang: Lang, ko: T, en: T) -> T {
    match lang {
        Lang::Ko => ko,
        Lang::En => en,
    }
}

fn weekday_name(day: Weekday, lang: Lang) -> &'static str {
    let (ko, en) = match day {
        Weekday::Mon => ("월", "Mon"),
        Weekday::Tue => ("화", "Tue"),
        Weekday::Wed => ("수", "Wed"),
        Weekday::Thu => ("목", "Thu"),
        Weekday::Fri => ("금", "Fri"),
        Weekday::Sat => ("토", "Sat"),
        Weekday::Sun => ("일", "Sun"),
    };
    pick(lang, ko, en)
}

/// A resource as a line names it: `name (id, zone)`, the id left out when
/// it is the name (an RDS identifier, an Auto Scaling group: naming it
/// twice says nothing), also behind an `[account/region]` label.
pub(crate) fn resource_text(name: &str, id: &str, zone: Option<&str>) -> String {
    let same = name == id
        || name
            .strip_prefix(id)
            .is_some_and(|rest| rest.starts_with(" ["));
    match (same, zone) {
        (true, None) => name.to_owned(),
        (true, Some(zone)) => format!("{name} ({zone})"),
        (false, None) => format!("{name} ({id})"),
        (false, Some(zone)) => format!("{name} ({id}, {zone})"),
    }
}

/// `2026-11-30 (Mon)` / `2026-11-30 (월)`.
pub(crate) fn date_text(date: NaiveDate, lang: Lang) -> String {
    format!(
        "{} ({})",
        date.format("%Y-%m-%d"),
        weekday_name(date.weekday(), lang)
    )
}

/// `19:00`.
pub(crate) fn time_text(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// `2026-11-30 (Mon) 19:00`, in the schedule's time zone.
pub(crate) fn at_text(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    format!(
        "{} {}",
        date_text(local.date_naive(), lang),
        time_text(local.time())
    )
}

/// A time, or what `None` means for that action.
pub(crate) fn time_or_none_text(time: Option<NaiveTime>, action: Action, lang: Lang) -> String {
    match time {
        Some(time) => time_text(time),
        None => match action {
            Action::Start => pick(lang, "None (그날 기상 없음)", "None = no start that day"),
            Action::Stop => pick(lang, "None (그날 취침 없음)", "None = no stop that day"),
        }
        .to_owned(),
    }
}

/// `start` / `stop` in words.
pub(crate) fn action_text(action: Action, lang: Lang) -> &'static str {
    match action {
        Action::Start => pick(lang, "기상(start)", "start"),
        Action::Stop => pick(lang, "취침(stop)", "stop"),
    }
}

/// What "nothing changes" means for servers an override held `held`.
pub(crate) fn staying_text(held: Action, lang: Lang) -> &'static str {
    match held {
        Action::Start => pick(lang, "기상 유지", "stays up"),
        Action::Stop => pick(lang, "취침 유지", "stays down"),
    }
}

/// Where an event comes from, in words.
pub(crate) fn source_text(source: Source, lang: Lang) -> &'static str {
    match source {
        Source::Schedule => pick(lang, "정규 일과(schedule)", "schedule"),
        Source::Exception => pick(lang, "예외(exception)", "exception"),
        Source::Override => pick(lang, "긴급 명령(override)", "override"),
    }
}

/// One line per group that waits, saying on which groups.
pub(crate) fn waiting_lines(action: Action, waiting: &[GroupWait], lang: Lang) -> Vec<String> {
    waiting
        .iter()
        .map(|w| {
            let on = w.on.join(", ");
            match (action, lang) {
                (Action::Start, Lang::Ko) => format!("{} : {on} 기상 후 기상 대기 중", w.group),
                (Action::Stop, Lang::Ko) => format!("{} : {on} 취침 후 취침 대기 중", w.group),
                (Action::Start, Lang::En) => format!("{} : starts once {on} is up", w.group),
                (Action::Stop, Lang::En) => format!("{} : stops once {on} has stopped", w.group),
            }
        })
        .collect()
}

/// Lines joined for a block, or a placeholder when there are none.
pub(crate) fn lines_or(lines: Vec<String>, empty: &str) -> String {
    if lines.is_empty() {
        empty.to_owned()
    } else {
        lines.join("\n")
    }
}

/// The shape of every listing reply (`list`, `next`, `history`, `exception
/// info`): `empty` alone when there is nothing to list, else `heading` with
/// the lines in one block titled `title`.
pub(crate) fn listing(lines: Vec<String>, empty: String, heading: String, title: String) -> Card {
    if lines.is_empty() {
        Card::new(Tone::Ok, empty)
    } else {
        Card::new(Tone::Ok, heading).block(title, lines.join("\n"))
    }
}

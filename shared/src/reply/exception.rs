//! `exception info` and `exception set` / `del`.

use super::{
    action_text, at_text, date_text, listing, pick, time_or_none_text, Context, ExceptionChange,
    ExceptionChangeView, ExceptionInfoView, ExceptionWarning, Lang,
};
use super::{Card, Tone};
use chrono_tz::Tz;

pub(super) fn render_info(view: &ExceptionInfoView, ctx: &Context) -> Card {
    let lang = ctx.lang;
    let date = date_text(view.date, lang);
    let lines: Vec<String> = view
        .exceptions
        .iter()
        .map(|e| {
            format!(
                "{} : {}",
                action_text(e.action, lang),
                time_or_none_text(e.time, e.action, lang)
            )
        })
        .collect();
    let heading = pick(
        lang,
        format!(
            "충성! {} {date} 예외 {}건 보고드립니다!",
            view.schedule,
            lines.len()
        ),
        format!("{}: {} exception(s) on {date}.", view.schedule, lines.len()),
    );
    listing(
        lines,
        pick(
            lang,
            format!(
                "보고드립니다! {} {date}에는 예외가 없습니다!",
                view.schedule
            ),
            format!("{}: no exceptions on {date}.", view.schedule),
        ),
        heading,
        pick(lang, "예외", "Exceptions").to_owned(),
    )
}

fn warning_text(warning: ExceptionWarning, tz: Tz, lang: Lang) -> String {
    match warning {
        ExceptionWarning::InPast => pick(
            lang,
            "⚠ 이미 지나간 시각입니다! 지금은 아무것도 바뀌지 않습니다!",
            "⚠ This is in the past: it changes nothing now.",
        )
        .to_owned(),
        ExceptionWarning::StartWithoutStop {
            next_stop: Some(at),
        } => {
            let at = at_text(at, tz, lang);
            pick(
                lang,
                format!("⚠ 그날은 기상만 있고 취침이 없습니다! 서버들은 {at}에 취침하게 됩니다!"),
                format!("⚠ That day has a start and no stop: the servers stop at {at}."),
            )
        }
        ExceptionWarning::StartWithoutStop { next_stop: None } => pick(
            lang,
            "⚠ 그날은 기상만 있고 취침이 없습니다! 일주일 안에 서버들을 재울 취침이 없습니다!",
            "⚠ That day has a start and no stop: nothing stops the servers within a week.",
        )
        .to_owned(),
    }
}

pub(super) fn render_change(view: &ExceptionChangeView, ctx: &Context) -> Card {
    let lang = ctx.lang;
    let date = date_text(view.date, lang);
    let action = action_text(view.action, lang);
    let what = |time| time_or_none_text(time, view.action, lang);
    let body = match view.change {
        ExceptionChange::Set { time, replaced } => {
            let mut text = pick(
                lang,
                format!(
                    "충성! {} {date} {action}을(를) {}(으)로 설정하였습니다!",
                    view.schedule,
                    what(time)
                ),
                format!(
                    "{}: {action} on {date} set to {}.",
                    view.schedule,
                    what(time)
                ),
            );
            if let Some(old) = replaced {
                text.push_str(&pick(
                    lang,
                    format!(" (이전 예외: {})", what(old)),
                    format!(" (replaces {})", what(old)),
                ));
            }
            text
        }
        ExceptionChange::Deleted { was } => pick(
            lang,
            format!(
                "충성! {} {date} {action} 예외({})를 삭제하였습니다! 정규 일과로 돌아갑니다!",
                view.schedule,
                what(was)
            ),
            format!(
                "{}: removed the {action} exception on {date} (was {}); the regular schedule applies.",
                view.schedule,
                what(was)
            ),
        ),
        ExceptionChange::NothingToDelete => pick(
            lang,
            format!(
                "보고드립니다! {} {date}에는 지울 {action} 예외가 없지 말입니다!",
                view.schedule
            ),
            format!(
                "{}: there was no {action} exception on {date} to remove.",
                view.schedule
            ),
        ),
    };
    let warnings: Vec<String> = view
        .warnings
        .iter()
        .map(|w| warning_text(*w, view.timezone, lang))
        .collect();
    if warnings.is_empty() {
        Card::new(Tone::Ok, body)
    } else {
        Card::new(Tone::Warning, body).block(pick(lang, "주의", "Warnings"), warnings.join("\n"))
    }
}

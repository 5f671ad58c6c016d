//! Errors: what was wrong, and how to write it right.

use super::{pick, Context, ErrorView, Lang};
use super::{Card, Tone};
use crate::command::{Argument, CommandError};
use crate::value::ValueError;

fn argument_text(what: Argument, lang: Lang) -> &'static str {
    match lang {
        Lang::En => what.as_str(),
        Lang::Ko => match what {
            Argument::Command => "명령",
            Argument::ExceptionCommand => "예외 명령 (info, set, del)",
            Argument::Date => "날짜",
            Argument::Action => "start|stop",
            Argument::Time => "시각",
            Argument::Duration => "기간",
            Argument::ForceEnd => "for|until",
            Argument::Month => "달",
            Argument::Year => "연도",
        },
    }
}

fn reason_text(reason: ValueError, lang: Lang) -> String {
    match lang {
        Lang::En => reason.to_string(),
        Lang::Ko => match reason {
            ValueError::DateFormat => "YYYY-MM-DD, today, tomorrow 중 하나여야 합니다",
            ValueError::NoSuchDate => "달력에 없는 날짜입니다",
            ValueError::TimeFormat => "H:MM 또는 HH:MM 형식이어야 합니다",
            ValueError::TimeRange => "시는 00-23, 분은 00-59여야 합니다",
            ValueError::DurationFormat => "30m, 2h, 1h30m, 1d, 2d12h 같은 형식이어야 합니다",
            ValueError::DurationZero => "기간은 0보다 길어야 합니다",
            ValueError::DurationTooLong => "기간은 최대 7일(168h)입니다",
            ValueError::ActionWord => "start 또는 stop이어야 합니다",
            ValueError::InPast => "이미 지난 시각입니다",
            ValueError::TooFarAhead => "최대 7일 뒤까지만 지정할 수 있습니다",
            ValueError::MonthFormat => "YYYY-MM 형식이어야 합니다",
            ValueError::YearFormat => "YYYY 형식이어야 합니다",
            ValueError::FutureMonth => "아직 시작하지 않은 달입니다",
        }
        .to_owned(),
    }
}

fn syntax_text(err: &CommandError, lang: Lang) -> String {
    match err {
        CommandError::UnknownCommand { word, .. } => pick(
            lang,
            format!("'{word}'은(는) 모르는 명령이지 말입니다!"),
            format!("Unknown command '{word}'."),
        ),
        CommandError::MissingArgument { what, .. } => pick(
            lang,
            format!("{}이(가) 빠졌습니다!", argument_text(*what, lang)),
            format!("Missing {}.", argument_text(*what, lang)),
        ),
        CommandError::UnexpectedArgument { word, .. } => pick(
            lang,
            format!("명령 뒤에 '{word}'은(는) 필요 없습니다!"),
            format!("Unexpected '{word}' after the command."),
        ),
        CommandError::BadValue {
            what,
            input,
            reason,
            ..
        } => pick(
            lang,
            format!(
                "잘못된 {} '{input}'입니다! {}!",
                argument_text(*what, lang),
                reason_text(*reason, lang)
            ),
            format!(
                "Bad {} '{input}': {}.",
                argument_text(*what, lang),
                reason_text(*reason, lang)
            ),
        ),
        CommandError::ControlCharacter { code, .. } => pick(
            lang,
            format!("명령에 제어 문자(U+{code:04X})가 들어 있습니다! 다시 입력해 주십시오!"),
            format!("The command contains a control character (U+{code:04X}); type it again."),
        ),
    }
}

pub(super) fn render(view: &ErrorView, ctx: &Context) -> Card {
    let lang = ctx.lang;
    match view {
        ErrorView::Syntax(err) => {
            let body = pick(
                lang,
                format!("충성! 명령을 이해하지 못하였습니다! {}", syntax_text(err, lang)),
                syntax_text(err, lang),
            );
            Card::new(Tone::Error, body).block(
                pick(lang, "올바른 사용법", "Usage"),
                err.usage().line(&ctx.keyword),
            )
        }
        ErrorView::UnknownSchedule {
            name,
            known,
            suggestion,
        } => {
            let mut body = pick(
                lang,
                format!("충성! '{name}'(이)라는 스케줄은 없지 말입니다!"),
                format!("There is no schedule named '{name}'."),
            );
            if let Some(suggestion) = suggestion {
                body.push_str(&pick(
                    lang,
                    format!(" 혹시 '{suggestion}' 말입니까?"),
                    format!(" Did you mean '{suggestion}'?"),
                ));
            }
            let known = if known.is_empty() {
                pick(lang, "(스케줄 없음)", "(no schedules)").to_owned()
            } else {
                known.join("\n")
            };
            Card::new(Tone::Error, body)
                .block(pick(lang, "있는 스케줄", "Known schedules"), known)
        }
        ErrorView::NotAllowed { writer } => Card::new(
            Tone::Error,
            pick(
                lang,
                format!(
                    "충성! {writer}님은 스케줄을 바꿀 권한이 없지 말입니다! (CURFEW_ADMINS에 없습니다)"
                ),
                format!("{writer} may not change schedules (not in CURFEW_ADMINS)."),
            ),
        ),
        ErrorView::OfferExpired { stop } => Card::new(
            Tone::Error,
            pick(
                lang,
                format!("충성! {stop} 정지는 이미 지났지 말입니다! 아무것도 바꾸지 않았습니다!"),
                format!("The stop at {stop} has already come: nothing was changed."),
            ),
        ),
        ErrorView::WrongRoom {
            schedule,
            room,
            rooms,
        } => {
            let here = room.clone().unwrap_or_else(|| pick(lang, "(알 수 없는 방)", "(unknown room)").to_owned());
            Card::new(
                Tone::Error,
                pick(
                    lang,
                    format!("충성! {schedule}은(는) 이 방({here})에서 바꿀 수 없지 말입니다! (rooms에 없습니다)"),
                    format!("{schedule} cannot be changed from {here} (not in its rooms)."),
                ),
            )
            .block(pick(lang, "바꿀 수 있는 방", "Rooms that may change it"), rooms.join("\n"))
        }
        ErrorView::Failed { what } => Card::new(
            Tone::Error,
            pick(
                lang,
                format!("충성! 임무 수행에 실패하였습니다! {what}"),
                format!("Failed: {what}"),
            ),
        ),
        ErrorView::Replay { created_at } => Card::new(
            Tone::Error,
            pick(
                lang,
                format!(
                    "충성! 너무 오래된 메시지(createdAt {created_at})라 수행하지 않았습니다! 다시 보내 주십시오!"
                ),
                format!(
                    "Ignored: the message's createdAt ({created_at}) is too far from now. Send it again."
                ),
            ),
        ),
    }
}

//! `help`: every command with a one-line explanation, and the value formats.

use super::{pick, Context, Lang};
use super::{Card, Tone};
use crate::command::Usage;

fn explain(usage: Usage, lang: Lang) -> &'static str {
    let (ko, en) = match usage {
        Usage::Help => ("이 도움말을 보여드립니다", "shows this help"),
        Usage::List => (
            "모든 스케줄을 한 줄씩 보고합니다",
            "lists all schedules, one line each",
        ),
        Usage::Status => (
            "서버들의 현재 상태를 보고합니다",
            "instances and their state",
        ),
        Usage::Info => ("그날의 근무 계획을 보고합니다", "that day's effective plan"),
        Usage::Exception | Usage::ExceptionInfo => {
            ("그날의 예외를 보고합니다", "that day's exceptions")
        }
        Usage::ExceptionSet => (
            "그날의 기상/취침 시각을 바꿉니다 (None = 없음)",
            "sets that day's start or stop (None = none that day)",
        ),
        Usage::ExceptionDel => ("그날의 예외를 지웁니다", "removes that day's exception"),
        Usage::ForceStart => (
            "지금 바로 기상시킵니다 (for/until: 그때 정규 일과로 복귀)",
            "starts now; with for/until the schedule takes over at the end",
        ),
        Usage::ForceStop => (
            "지금 바로 취침시킵니다 (for/until: 그때 정규 일과로 복귀)",
            "stops now; with for/until the schedule takes over at the end",
        ),
        Usage::Next => (
            "앞으로 7일간의 일정을 보고합니다",
            "upcoming events, 7 days",
        ),
        Usage::History => (
            "최근 변경 10건 (누가, 언제)을 보고합니다",
            "last 10 changes, who and when",
        ),
        Usage::Holidays => (
            "올해(또는 그해) 쉬는 날(공휴일, 회사 달력)을 보고합니다",
            "the days off it skips this year (or that year): public holidays, calendars",
        ),
        Usage::Savings => (
            "이번 달(또는 그 달) 취침으로 아낀 돈을 보고합니다",
            "what stopping saved this month (or that month), in money",
        ),
        Usage::General => ("스케줄 명령", "schedule commands"),
    };
    pick(lang, ko, en)
}

pub(super) fn render(ctx: &Context) -> Card {
    let lang = ctx.lang;
    let commands: Vec<String> = Usage::ALL
        .iter()
        .map(|u| format!("{} — {}", u.line(&ctx.keyword), explain(*u, lang)))
        .collect();
    let formats = pick(
        lang,
        "DATE: YYYY-MM-DD, today, tomorrow (스케줄 시간대 기준, 기본값 today)\n\
         TIME: H:MM 또는 HH:MM (00:00–23:59), None = 그날 없음\n\
         DURATION: 30m, 2h, 1h30m, 1d, 2d12h (최대 7일)\n\
         until TIME = 다음 그 시각 (오늘 또는 내일), until DATE TIME = 그날 그 시각 (7일 안)\n\
         for/until이 끝나면 그 시각의 정규 일과 상태로 복귀합니다",
        "DATE: YYYY-MM-DD, today, tomorrow (in the schedule's time zone; default today)\n\
         TIME: H:MM or HH:MM (00:00–23:59); None = none that day\n\
         DURATION: 30m, 2h, 1h30m, 1d, 2d12h (at most 7 days)\n\
         until TIME = the next such time (today or tomorrow); until DATE TIME = that day (within 7 days)\n\
         When for/until ends, the schedule takes over: the state becomes what it says at that moment",
    );
    Card::new(
        Tone::Ok,
        pick(
            lang,
            "충성! 서버병이 수행할 수 있는 명령들입니다!",
            "curfew commands:",
        ),
    )
    .block(pick(lang, "명령", "Commands"), commands.join("\n"))
    .block(pick(lang, "형식", "Formats"), formats)
}

//! `list`: one line per schedule.

use super::{lines_or, listing, pick, Context, Lang, ScheduleLine};
use crate::jandi::Message;

fn row(line: &ScheduleLine, lang: Lang) -> String {
    let enabled = match (line.enabled, lang) {
        (true, Lang::Ko) => "근무 중(enabled)",
        (false, Lang::Ko) => "휴가 중(disabled)",
        (true, Lang::En) => "enabled",
        (false, Lang::En) => "disabled",
    };
    let periods =
        lines_or(line.periods.clone(), pick(lang, "기간 없음", "no periods")).replace('\n', ", ");
    let mut row = format!("{} — {enabled}, {}, {periods}", line.name, line.timezone);
    if !line.groups.is_empty() {
        row.push_str(&format!(
            ", {} {}",
            pick(lang, "그룹", "groups"),
            line.groups.join(" → ")
        ));
    }
    row
}

pub(super) fn render(lines: &[ScheduleLine], ctx: &Context) -> Message {
    let lang = ctx.lang;
    listing(
        lines.iter().map(|line| row(line, lang)).collect(),
        pick(
            lang,
            "보고드립니다! 등록된 스케줄이 하나도 없습니다!",
            "There are no schedules.",
        )
        .to_owned(),
        pick(
            lang,
            format!("충성! 스케줄 {}개를 보고드립니다!", lines.len()),
            format!("{} schedule(s):", lines.len()),
        ),
        pick(lang, "스케줄", "Schedules").to_owned(),
    )
}

//! `list`: one line per schedule, then one per target.

use super::Card;
use super::{lines_or, listing, pick, Context, Lang, ListView, ScheduleLine, TargetLine};

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
    if !line.holidays.is_empty() {
        row.push_str(&format!(
            ", {} {}",
            pick(lang, "공휴일 휴무", "days off"),
            line.holidays.join(", ")
        ));
    }
    row
}

fn target_row(line: &TargetLine, lang: Lang) -> String {
    let account = line
        .account
        .clone()
        .unwrap_or_else(|| pick(lang, "본부 계정(own account)", "own account").to_owned());
    let regions = if line.regions.is_empty() {
        "AWS_REGION".to_owned()
    } else {
        line.regions.join(", ")
    };
    format!("{} — {account}, {regions}", line.name)
}

pub(super) fn render(view: &ListView, ctx: &Context) -> Card {
    let lang = ctx.lang;
    let lines = &view.schedules;
    let message = listing(
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
    );
    if view.targets.is_empty() || lines.is_empty() {
        return message;
    }
    let targets: Vec<String> = view.targets.iter().map(|t| target_row(t, lang)).collect();
    message.block(
        pick(lang, "작전 지역(targets)", "Targets"),
        targets.join("\n"),
    )
}

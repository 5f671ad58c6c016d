//! `info`: one day's effective plan, with a 24-hour bar.

use super::{at_text, date_text, pick, source_text, time_text, Context, InfoView, Lang};
use super::{days_off::day_off_name, Card, Tone};
use crate::schedule::{DayPlan, Exception, Override, Schedule, Source, Timeline};
use crate::Action;
use chrono::NaiveDate;

impl InfoView {
    /// `schedule`'s plan of the local `date`, with its exceptions and
    /// overrides, and the day off `date` is, if any.
    pub fn of(
        schedule: &Schedule,
        exceptions: &[Exception],
        overrides: &[Override],
        date: NaiveDate,
    ) -> Self {
        let timeline = Timeline::new(schedule, exceptions, overrides);
        Self {
            schedule: schedule.name.clone(),
            timezone: schedule.timezone,
            enabled: schedule.enabled,
            periods: schedule.periods.iter().map(|p| p.describe()).collect(),
            plan: DayPlan::of(&timeline, date),
            day_off: schedule.day_off(date).map(Into::into),
        }
    }
}

/// Hour labels every six cells, aligned with [`DayPlan::bar`].
pub(super) fn ruler(cells: usize) -> String {
    let mut ruler = vec![' '; cells];
    for hour in (0..cells).step_by(6) {
        for (offset, digit) in hour.to_string().chars().enumerate() {
            if let Some(cell) = ruler.get_mut(hour + offset) {
                *cell = digit;
            }
        }
    }
    ruler.into_iter().collect::<String>().trim_end().to_owned()
}

/// `07:00`, `10:00 ★ exception`, or `None ★ exception` when removed.
fn times_line(plan: &DayPlan, action: Action, lang: Lang) -> String {
    let mut times: Vec<String> = plan
        .times_of(action)
        .map(|p| match p.event.source {
            Source::Schedule => time_text(p.time),
            source => format!("{} ★ {}", time_text(p.time), source_text(source, lang)),
        })
        .collect();
    if plan.removed.contains(&action) {
        times.push(format!("None ★ {}", source_text(Source::Exception, lang)));
    }
    if times.is_empty() {
        pick(lang, "없음", "none").to_owned()
    } else {
        times.join(", ")
    }
}

pub(super) fn render(view: &InfoView, ctx: &Context) -> Card {
    let lang = ctx.lang;
    let plan = &view.plan;
    let has_start = plan.times_of(Action::Start).next().is_some();
    let has_stop = plan.times_of(Action::Stop).next().is_some();
    let date = date_text(plan.date, lang);
    let enabled = match (view.enabled, lang) {
        (true, Lang::Ko) => "예 (근무 중)",
        (false, Lang::Ko) => "아니오 (휴가 중, 아무것도 하지 않습니다)",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no (nothing is started or stopped)",
    };
    let periods = if view.periods.is_empty() {
        pick(lang, "없음", "none").to_owned()
    } else {
        view.periods.join(", ")
    };
    let mut details = vec![format!("{} : {date}", pick(lang, "날짜", "Date"))];
    if let Some(day) = &view.day_off {
        let name = day_off_name(day, lang);
        details.push(pick(
            lang,
            format!(
                "{name}: 쉽니다 ({} 공휴일: 예외가 없으면 기상하지 않습니다)",
                day.source
            ),
            format!(
                "{name}: a day off ({} public holiday: nothing starts unless an exception says so)",
                day.source
            ),
        ));
    }
    details.extend([
        format!("{} : {}", pick(lang, "시간대", "Time zone"), view.timezone),
        format!("{} : {enabled}", pick(lang, "사용", "Enabled")),
        format!("{} : {periods}", pick(lang, "근무 요일", "Active days")),
        format!(
            "{} : {}",
            pick(lang, "기상(start)", "Start"),
            times_line(plan, Action::Start, lang)
        ),
        format!(
            "{} : {}",
            pick(lang, "취침(stop)", "Stop"),
            times_line(plan, Action::Stop, lang)
        ),
    ]);
    let mut warning = false;
    if plan.events.is_empty() && plan.running_at_start && plan.running_at_end {
        details.push(
            pick(
                lang,
                "하루 종일 기상 상태입니다! (정규 일과: 상시 가동)",
                "Running throughout the day.",
            )
            .to_owned(),
        );
    } else if plan.running_at_end {
        let next = plan.next_stop.map(|e| at_text(e.at, view.timezone, lang));
        let line = match (has_stop, next, lang) {
            (false, Some(next), Lang::Ko) => {
                format!("이날은 취침이 없습니다! 다음 취침은 {next}이지 말입니다!")
            }
            (false, Some(next), Lang::En) => format!("No stop on this day; next stop {next}."),
            (false, None, Lang::Ko) => {
                "이날은 취침이 없고, 일주일 안에 취침 계획도 없습니다!".to_owned()
            }
            (false, None, Lang::En) => {
                "No stop on this day, and nothing stops them within a week.".to_owned()
            }
            (true, Some(next), Lang::Ko) => {
                format!("하루가 기상 상태로 끝납니다! 다음 취침은 {next}입니다!")
            }
            (true, Some(next), Lang::En) => format!("The day ends running; next stop {next}."),
            (true, None, Lang::Ko) => {
                "하루가 기상 상태로 끝나고, 일주일 안에 취침 계획이 없습니다!".to_owned()
            }
            (true, None, Lang::En) => {
                "The day ends running, and nothing stops them within a week.".to_owned()
            }
        };
        warning = has_start && !has_stop;
        details.push(line);
    }
    let body = pick(
        lang,
        format!("충성! {} {date} 근무 계획 보고드립니다!", view.schedule),
        format!("{} on {date}:", view.schedule),
    );
    let bar = plan.bar();
    let timeline = format!("{}\n{bar}", ruler(bar.chars().count()));
    let legend = pick(
        lang,
        "█ 기상  ░ 취침  ▒ 전환",
        "█ running  ░ stopped  ▒ changing",
    );
    Card::new(if warning { Tone::Warning } else { Tone::Ok }, body)
        .block(pick(lang, "계획", "Plan"), details.join("\n"))
        .block(
            pick(lang, "24시간 타임라인", "24-hour timeline"),
            format!("{timeline}\n{legend}"),
        )
}

//! `status`: totals in the body, one block per group (or service).

use super::{lines_or, pick, BlockTitle, Context, InstanceState, Lang, StatusView};
use super::{Card, Tone};
use crate::resource::GroupKind;

/// A state in the words of its kind: EC2 runs, a database is available,
/// a group is in service or scaled to 0, a service runs its tasks or has
/// none desired. In Korean the 기상 / 취침 words come first, AWS's after.
pub(super) fn state_text(kind: GroupKind, state: &InstanceState, lang: Lang) -> String {
    let (up, down, rising, falling) = match kind {
        GroupKind::Ec2 => ("running", "stopped", "starting", "stopping"),
        GroupKind::Rds | GroupKind::RdsCluster => ("available", "stopped", "starting", "stopping"),
        GroupKind::Asg => ("in service", "scaled to 0", "scaling up", "scaling down"),
        GroupKind::Ecs => ("running", "desired 0", "starting tasks", "stopping tasks"),
    };
    let (ko, aws) = match state {
        InstanceState::Running => ("기상", up),
        InstanceState::Stopped => ("취침", down),
        InstanceState::Starting => ("기상 중", rising),
        InstanceState::Stopping => ("취침 중", falling),
        InstanceState::Other(other) => return other.clone(),
    };
    pick(lang, format!("{ko}({aws})"), aws.to_owned())
}

fn title_text(title: &BlockTitle, lang: Lang) -> String {
    match title {
        BlockTitle::Group { name, kind } => {
            format!("{} {name} ({})", pick(lang, "그룹", "Group"), kind.as_str())
        }
        BlockTitle::Ec2 => "EC2".to_owned(),
        BlockTitle::Rds => "RDS".to_owned(),
        BlockTitle::RdsCluster => pick(lang, "RDS 클러스터", "RDS clusters").to_owned(),
        BlockTitle::Asg => pick(lang, "오토 스케일링 그룹", "Auto Scaling groups").to_owned(),
        BlockTitle::Ecs => pick(lang, "ECS 서비스", "ECS services").to_owned(),
    }
}

pub(super) fn render(view: &StatusView, ctx: &Context) -> Card {
    let lang = ctx.lang;
    let all = view.blocks.iter().flat_map(|b| &b.instances);
    let total = all.clone().count();
    let running = all
        .clone()
        .filter(|i| i.state == InstanceState::Running)
        .count();
    let stopped = all.filter(|i| i.state == InstanceState::Stopped).count();
    let body = pick(
        lang,
        format!(
            "충성! {} 상황 보고드립니다! 전체 {total}대, 기상(running) {running}대, 취침(stopped) {stopped}대입니다!",
            view.schedule
        ),
        format!(
            "{}: {total} in all, {running} running, {stopped} stopped.",
            view.schedule
        ),
    );
    let empty = pick(lang, "(인원 없음)", "(no instances)");
    let (color, body) = if view.unreachable.is_empty() {
        (Tone::Ok, body)
    } else {
        let missing = pick(
            lang,
            " 일부 작전 지역은 연락 두절로 빠져 있습니다!",
            " Some targets could not be reached and are missing.",
        );
        (Tone::Warning, format!("{body}{missing}"))
    };
    let message = view
        .blocks
        .iter()
        .fold(Card::new(color, body), |message, block| {
            // A group's member of another kind is left alone: say so.
            let group_kind = match &block.title {
                BlockTitle::Group { kind, .. } => Some(*kind),
                _ => None,
            };
            let lines = block
                .instances
                .iter()
                .map(|i| {
                    let line = format!(
                        "{} : {}",
                        super::resource_text(&i.name, &i.id, None),
                        state_text(i.kind, &i.state, lang)
                    );
                    if group_kind.is_none_or(|kind| kind == i.kind) {
                        return line;
                    }
                    let kind = i.kind.as_str();
                    pick(
                        lang,
                        format!("{line} — {kind} 자원: 그룹 종류와 달라 손대지 않습니다"),
                        format!("{line} — {kind}, not this group's kind: left alone"),
                    )
                })
                .collect();
            message.block(title_text(&block.title, lang), lines_or(lines, empty))
        });
    if view.unreachable.is_empty() {
        return message;
    }
    message.block(
        pick(lang, "연락 두절", "Unreachable"),
        view.unreachable.join("\n"),
    )
}

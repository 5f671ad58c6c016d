//! The ingress's immediate acknowledgement of a queued command.

use super::{pick, Context};
use super::{Card, Tone};
use crate::command::Command;

pub(super) fn render(command: &Command, ctx: &Context) -> Card {
    let body = pick(
        ctx.lang,
        format!("충성! `{command}` 명령 접수하였습니다! 곧 보고드리겠습니다!"),
        format!("Received `{command}`; the answer follows shortly."),
    );
    Card::new(Tone::Ok, body)
}

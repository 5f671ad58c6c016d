//! The ingress's immediate acknowledgement of a queued command.

use super::{pick, Context};
use crate::command::Command;
use crate::jandi::{Color, Message};

pub(super) fn render(command: &Command, ctx: &Context) -> Message {
    let body = pick(
        ctx.lang,
        format!("충성! `{command}` 명령 접수하였습니다! 곧 보고드리겠습니다!"),
        format!("Received `{command}`; the answer follows shortly."),
    );
    Message::new(Color::Ok, body)
}

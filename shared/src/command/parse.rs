//! Text → [`Command`], with an error that names the first thing that was wrong.

use super::{Argument, Command, CommandError, ScheduleOp, Usage};
use crate::savings::Month;
use crate::value::{
    parse_date, parse_duration, parse_time, parse_time_or_none, DateArg, ForceEnd, ValueError,
};
use crate::Action;

/// Parses the text of a chat message. A leading `/<keyword>` word is skipped
/// (the team chooses the keyword, so any is accepted); a bare keyword is `help`.
pub fn parse(text: &str) -> Result<Command, CommandError> {
    if let Some(c) = text.chars().find(|c| c.is_control() && !c.is_whitespace()) {
        return Err(CommandError::ControlCharacter {
            code: u32::from(c),
            usage: Usage::General,
        });
    }
    let mut words = text.split_whitespace().peekable();
    if words.peek().is_some_and(|w| w.starts_with('/')) {
        words.next();
    }
    let mut words = Words {
        inner: words,
        usage: Usage::General,
    };
    let Some(first) = words.next() else {
        return Ok(Command::Help);
    };
    // Schedule names never start with '/' (`apply` refuses them): a second
    // `/word` is a mistyped command, and taking it for a name would not
    // survive rendering (the renderer's first `/word` is the keyword).
    if first.starts_with('/') {
        return Err(CommandError::UnknownCommand {
            word: first.to_owned(),
            usage: Usage::General,
        });
    }
    let command = if first.eq_ignore_ascii_case("help") {
        words.usage = Usage::Help;
        Command::Help
    } else if first.eq_ignore_ascii_case("list") {
        words.usage = Usage::List;
        Command::List
    } else if first.eq_ignore_ascii_case("savings") {
        words.usage = Usage::Savings;
        Command::Savings {
            month: words.optional_month()?,
        }
    } else {
        let op = parse_op(&mut words)?;
        Command::Schedule {
            schedule: first.to_owned(),
            op,
        }
    };
    words.finish()?;
    Ok(command)
}

/// The words after the keyword, and the usage line of what is being parsed.
struct Words<'a, I: Iterator<Item = &'a str>> {
    inner: std::iter::Peekable<I>,
    usage: Usage,
}

impl<'a, I: Iterator<Item = &'a str>> Words<'a, I> {
    fn next(&mut self) -> Option<&'a str> {
        self.inner.next()
    }

    fn require(&mut self, what: Argument) -> Result<&'a str, CommandError> {
        self.next().ok_or(CommandError::MissingArgument {
            what,
            usage: self.usage,
        })
    }

    fn bad(&self, what: Argument, input: &str, reason: ValueError) -> CommandError {
        CommandError::BadValue {
            what,
            input: input.to_owned(),
            reason,
            usage: self.usage,
        }
    }

    fn date(&mut self) -> Result<DateArg, CommandError> {
        let word = self.require(Argument::Date)?;
        parse_date(word).map_err(|reason| self.bad(Argument::Date, word, reason))
    }

    fn optional_date(&mut self) -> Result<DateArg, CommandError> {
        match self.inner.peek() {
            Some(_) => self.date(),
            None => Ok(DateArg::Today),
        }
    }

    /// `[MONTH]`: `YYYY-MM`, or nothing for this month.
    fn optional_month(&mut self) -> Result<Option<Month>, CommandError> {
        let Some(word) = self.next() else {
            return Ok(None);
        };
        Month::parse(word)
            .map(Some)
            .ok_or_else(|| self.bad(Argument::Month, word, ValueError::MonthFormat))
    }

    /// `[YEAR]`: four digits, or nothing for this year.
    fn optional_year(&mut self) -> Result<Option<i32>, CommandError> {
        let Some(word) = self.next() else {
            return Ok(None);
        };
        let year = (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
            .then(|| word.parse().ok())
            .flatten();
        year.map(Some)
            .ok_or_else(|| self.bad(Argument::Year, word, ValueError::YearFormat))
    }

    fn action(&mut self) -> Result<Action, CommandError> {
        let word = self.require(Argument::Action)?;
        Action::parse(word).ok_or_else(|| self.bad(Argument::Action, word, ValueError::ActionWord))
    }

    /// Anything left over is an error: a typo must not silently mean something else.
    fn finish(mut self) -> Result<(), CommandError> {
        match self.next() {
            Some(word) => Err(CommandError::UnexpectedArgument {
                word: word.to_owned(),
                usage: self.usage,
            }),
            None => Ok(()),
        }
    }
}

fn is(word: &str, names: &[&str]) -> bool {
    names.iter().any(|name| word.eq_ignore_ascii_case(name))
}

fn parse_op<'a, I: Iterator<Item = &'a str>>(
    words: &mut Words<'a, I>,
) -> Result<ScheduleOp, CommandError> {
    let word = words.require(Argument::Command)?;
    if is(word, &["status", "s"]) {
        words.usage = Usage::Status;
        Ok(ScheduleOp::Status)
    } else if is(word, &["info", "i"]) {
        words.usage = Usage::Info;
        Ok(ScheduleOp::Info {
            date: words.optional_date()?,
        })
    } else if is(word, &["exception", "e"]) {
        words.usage = Usage::Exception;
        parse_exception(words)
    } else if is(word, &["force_start", "force-start"]) {
        words.usage = Usage::ForceStart;
        Ok(ScheduleOp::ForceStart {
            end: parse_force_end(words)?,
        })
    } else if is(word, &["force_stop", "force-stop"]) {
        words.usage = Usage::ForceStop;
        Ok(ScheduleOp::ForceStop {
            end: parse_force_end(words)?,
        })
    } else if is(word, &["next"]) {
        words.usage = Usage::Next;
        Ok(ScheduleOp::Next)
    } else if is(word, &["history"]) {
        words.usage = Usage::History;
        Ok(ScheduleOp::History)
    } else if is(word, &["holidays"]) {
        words.usage = Usage::Holidays;
        Ok(ScheduleOp::Holidays {
            year: words.optional_year()?,
        })
    } else if is(word, &["savings"]) {
        words.usage = Usage::Savings;
        Ok(ScheduleOp::Savings {
            month: words.optional_month()?,
        })
    } else {
        Err(CommandError::UnknownCommand {
            word: word.to_owned(),
            usage: Usage::General,
        })
    }
}

fn parse_exception<'a, I: Iterator<Item = &'a str>>(
    words: &mut Words<'a, I>,
) -> Result<ScheduleOp, CommandError> {
    let word = words.require(Argument::ExceptionCommand)?;
    if is(word, &["info", "i"]) {
        words.usage = Usage::ExceptionInfo;
        Ok(ScheduleOp::ExceptionInfo {
            date: words.optional_date()?,
        })
    } else if is(word, &["set", "s"]) {
        words.usage = Usage::ExceptionSet;
        let date = words.date()?;
        let action = words.action()?;
        let input = words.require(Argument::Time)?;
        let time =
            parse_time_or_none(input).map_err(|reason| words.bad(Argument::Time, input, reason))?;
        Ok(ScheduleOp::ExceptionSet { date, action, time })
    } else if is(word, &["del", "d"]) {
        words.usage = Usage::ExceptionDel;
        let date = words.date()?;
        let action = words.action()?;
        Ok(ScheduleOp::ExceptionDel { date, action })
    } else {
        Err(CommandError::UnknownCommand {
            word: word.to_owned(),
            usage: Usage::Exception,
        })
    }
}

/// `[for DURATION | until [DATE] TIME]` after `force_start` / `force_stop`.
fn parse_force_end<'a, I: Iterator<Item = &'a str>>(
    words: &mut Words<'a, I>,
) -> Result<Option<ForceEnd>, CommandError> {
    let Some(word) = words.next() else {
        return Ok(None);
    };
    let end = if is(word, &["for"]) {
        let input = words.require(Argument::Duration)?;
        ForceEnd::For(
            parse_duration(input).map_err(|reason| words.bad(Argument::Duration, input, reason))?,
        )
    } else if is(word, &["until"]) {
        parse_until(words)?
    } else {
        return Err(CommandError::UnexpectedArgument {
            word: word.to_owned(),
            usage: words.usage,
        });
    };
    Ok(Some(end))
}

/// `until TIME` or `until DATE TIME`: a word with a colon is the time,
/// anything else is the date and the time follows.
fn parse_until<'a, I: Iterator<Item = &'a str>>(
    words: &mut Words<'a, I>,
) -> Result<ForceEnd, CommandError> {
    let first = words.require(Argument::Time)?;
    if first.contains(':') {
        let time = parse_time(first).map_err(|reason| words.bad(Argument::Time, first, reason))?;
        return Ok(ForceEnd::Until(time));
    }
    let date = parse_date(first).map_err(|reason| words.bad(Argument::Date, first, reason))?;
    let input = words.require(Argument::Time)?;
    let time = parse_time(input).map_err(|reason| words.bad(Argument::Time, input, reason))?;
    Ok(ForceEnd::UntilOn { date, time })
}

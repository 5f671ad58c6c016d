//! What a reply says, as plain data: the worker fills these from DynamoDB,
//! EC2 and RDS; [`super::render`] turns them into a JANDI message in the
//! chosen language. No SDK type appears here.

use crate::command::{Command, CommandError};
use crate::front::Front;
use crate::resource::{GroupKind, GroupWait, InstanceRef, InstanceState, Placed};
use crate::schedule::{timeline::Upcoming, DayPlan, Event, Exception, Handback};
use crate::Action;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Every reply curfew sends to a room.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The ingress's immediate answer to a command it queued.
    Accepted {
        command: Command,
    },
    Help,
    List(ListView),
    Status(StatusView),
    Info(InfoView),
    ExceptionInfo(ExceptionInfoView),
    ExceptionChanged(ExceptionChangeView),
    Forced(ForceView),
    Next(NextView),
    History(HistoryView),
    Holidays(HolidaysView),
    Savings(SavingsView),
    Error(ErrorView),
    /// What the scheduler tells a schedule's room on its own.
    Notice(NoticeView),
}

/// `list`: the schedules, and the targets they cover (none: the worker's
/// own account and region).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListView {
    pub schedules: Vec<ScheduleLine>,
    pub targets: Vec<TargetLine>,
}

/// One `[[target]]` of `list`: its name, the account its role is in
/// (`None`: the worker's own) and its regions (empty: the worker's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetLine {
    pub name: String,
    pub account: Option<String>,
    pub regions: Vec<String>,
}

/// One line of `list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleLine {
    pub name: String,
    pub enabled: bool,
    pub timezone: Tz,
    /// Each period as text, e.g. `weekdays 09:00-19:00`.
    pub periods: Vec<String>,
    /// Group names in start order, e.g. `db → app`.
    pub groups: Vec<String>,
    /// The countries whose public holidays it keeps (`KR`).
    pub holidays: Vec<String>,
}

/// `status`: the instances of a schedule, grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusView {
    pub schedule: String,
    /// One block per server group, or per service (EC2, RDS) when the schedule has no groups.
    pub blocks: Vec<InstanceBlock>,
    /// The pairs (`account/region`) that could not be described, each
    /// with why: the blocks hold the others' resources.
    pub unreachable: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceBlock {
    pub title: BlockTitle,
    pub instances: Vec<InstanceLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockTitle {
    Group { name: String, kind: GroupKind },
    Ec2,
    Rds,
    RdsCluster,
    Asg,
    Ecs,
}

const fn ec2() -> GroupKind {
    GroupKind::Ec2
}

/// One instance: its `Name` tag (or id), id and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceLine {
    pub name: String,
    pub id: String,
    /// What it is: each kind says its state in its own words.
    #[serde(default = "ec2")]
    pub kind: GroupKind,
    pub state: InstanceState,
}

/// `info`: one day's effective plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoView {
    pub schedule: String,
    pub timezone: Tz,
    pub enabled: bool,
    /// Each period as text, as in [`ScheduleLine::periods`].
    pub periods: Vec<String>,
    pub plan: DayPlan,
    /// The day off the date is, if it is one.
    pub day_off: Option<DayOff>,
}

/// `exception info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionInfoView {
    pub schedule: String,
    pub date: NaiveDate,
    pub exceptions: Vec<Exception>,
}

/// `exception set` / `exception del`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionChangeView {
    pub schedule: String,
    pub timezone: Tz,
    pub date: NaiveDate,
    pub action: Action,
    pub change: ExceptionChange,
    pub warnings: Vec<ExceptionWarning>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExceptionChange {
    /// Set to a time, or to `None` (no start/stop that day). `replaced`: the
    /// exception it overwrote, if any.
    Set {
        time: Option<NaiveTime>,
        replaced: Option<Option<NaiveTime>>,
    },
    /// Removed; `was` is what it had been.
    Deleted { was: Option<NaiveTime> },
    /// `del` of an exception that did not exist.
    NothingToDelete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExceptionWarning {
    /// The time (or the whole date) is already past: it changes nothing now.
    InPast,
    /// The date now has a start and no stop after it; the servers stop at
    /// `next_stop` (or never, within the look-ahead).
    StartWithoutStop { next_stop: Option<DateTime<Utc>> },
}

/// `force_start` / `force_stop`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForceView {
    pub schedule: String,
    pub timezone: Tz,
    pub action: Action,
    /// Instances a call was made for.
    pub acted: Vec<InstanceRef>,
    /// Instances already in the wanted state.
    pub unchanged: Vec<InstanceRef>,
    /// Instances on their way the other way: acted on once at rest.
    pub caught: Vec<InstanceRef>,
    /// Groups that start later, once their dependencies are up (or stop later, after their dependants).
    pub waiting: Vec<GroupWait>,
    /// Where and how the schedule takes over again.
    pub takeover: Takeover,
}

/// When the schedule takes over after a `force_start` / `force_stop`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takeover {
    /// A `for|until` window hands back at `handback.at`; `next` is the
    /// first event after it (within a week), where the state changes next.
    Window {
        handback: Handback,
        next: Option<Event>,
    },
    /// No window: the schedule's next own event (within a week) takes over.
    NextEvent(Option<Event>),
}

/// A scheduler notification for one schedule (SPEC §6, notifications).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeView {
    pub schedule: String,
    pub timezone: Tz,
    pub notice: Notice,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A start or stop acted: for `event` (a scheduled, excepted or
    /// overridden event applied now), for a later step of a grouped
    /// rollout (`event: None`), or because `enforce` re-applied it.
    Acted {
        action: Action,
        event: Option<Event>,
        enforced: bool,
        acted: Vec<Placed>,
        /// Those of `acted` that hibernated instead of a plain stop.
        hibernated: Vec<Placed>,
        waiting: Vec<GroupWait>,
        /// Caught on their way the other way: acted on once at rest.
        caught: Vec<Caught>,
    },
    /// `stop_warning_minutes` before a stop, while something runs.
    StopWarning { stop: Event, running: Vec<Placed> },
    /// Start or stop calls that failed (safe to show: operation and ids).
    Failed { what: Vec<String> },
    /// A grouped start still waiting after `start_timeout_minutes`.
    TimedOut { action: Action, groups: Vec<String> },
    /// Resources caught mid-way that did not come to rest within
    /// `start_timeout_minutes`: the event gave up on them.
    NotAtRest {
        action: Action,
        minutes: u32,
        resources: Vec<Caught>,
    },
    /// Started instances that did not come up.
    NotUp { instances: Vec<Placed> },
    /// DBs AWS started after seven days stopped, stopped again because the
    /// schedule still wants them stopped.
    Restopped { instances: Vec<Placed> },
    /// Resources tagged into a group of another kind: left alone.
    Misfiled { resources: Vec<Misfiled> },
    /// A (target, region) pair could not be reached (a role that cannot be
    /// assumed, a region refusing): said once, until it answers again.
    Unreachable { place: String, error: String },
    /// That pair answers again.
    Reachable { place: String },
}

/// A resource caught mid-way (SPEC §6), in the state it was seen in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caught {
    pub placed: Placed,
    pub kind: GroupKind,
    pub state: InstanceState,
}

/// A resource in a group of another kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misfiled {
    pub placed: Placed,
    pub kind: GroupKind,
    pub group: String,
    pub group_kind: GroupKind,
}

/// `next`: the coming week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextView {
    pub schedule: String,
    pub timezone: Tz,
    pub events: Vec<Upcoming>,
    /// The days off ahead within the same horizon: nothing starts on them.
    pub days_off: Vec<DayOff>,
}

/// `savings`: a month's savings, a block per schedule and the total.
#[derive(Debug, Clone, PartialEq)]
pub struct SavingsView {
    pub month: crate::savings::Month,
    pub schedules: Vec<SavingsBlock>,
    /// The sum over the schedules, when there is more than one.
    pub total: Option<crate::savings::Figures>,
}

/// One schedule's savings, with its planned running hours to look at.
#[derive(Debug, Clone, PartialEq)]
pub struct SavingsBlock {
    pub schedule: String,
    pub figures: crate::savings::Figures,
    pub heat_map: crate::savings::HeatMap,
}

/// `holidays [YEAR]`: the days off a schedule skips in a year (SPEC §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidaysView {
    pub schedule: String,
    pub year: i32,
    /// The schedule's `holidays` countries, upper case.
    pub countries: Vec<String>,
    pub days: Vec<DayOffLine>,
    /// The schedule's local today: earlier days are marked past.
    pub today: NaiveDate,
    /// The first and last year curfew knows public holidays for.
    pub known: (i32, i32),
}

/// One day off in [`HolidaysView`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOffLine {
    pub day: DayOff,
    /// The schedule's exceptions on that date: they still apply, so a
    /// start makes it a working day.
    pub exceptions: Vec<Exception>,
}

/// A date the schedule starts nothing on, and why (SPEC §6 item 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOff {
    pub date: NaiveDate,
    pub name_en: String,
    /// The Korean name, where the source has one.
    pub name_ko: Option<String>,
    /// Where the day comes from: a country (`KR`).
    pub source: String,
}

impl From<crate::holidays::Holiday> for DayOff {
    fn from(holiday: crate::holidays::Holiday) -> Self {
        Self {
            date: holiday.date,
            name_en: holiday.name_en.to_owned(),
            name_ko: holiday.name_ko.map(str::to_owned),
            source: holiday.country.to_owned(),
        }
    }
}

/// `history`: the latest changes, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryView {
    pub schedule: String,
    pub timezone: Tz,
    pub entries: Vec<AuditEntry>,
}

/// One mutating command, as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub writer: String,
    pub room: Option<String>,
    pub text: String,
    /// The front it was typed in (records before Slack: JANDI).
    #[serde(default)]
    pub front: Front,
}

/// Everything that can go wrong, in words for the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorView {
    /// The command did not parse.
    Syntax(CommandError),
    /// No schedule has that name.
    UnknownSchedule {
        name: String,
        known: Vec<String>,
        suggestion: Option<String>,
    },
    /// `CURFEW_ADMINS` is set and the writer is not on it.
    NotAllowed { writer: String },
    /// A button clicked once the stop it was offered for had come.
    OfferExpired { stop: String },
    /// The schedule's `rooms` do not include the room the command came from.
    WrongRoom {
        schedule: String,
        room: Option<String>,
        rooms: Vec<String>,
    },
    /// The worker could not finish; `what` is safe to show (no secrets).
    Failed { what: String },
    /// The message's `createdAt` is too far from the ingress clock (a replay,
    /// or a badly set clock): refused, nothing done.
    Replay { created_at: String },
}

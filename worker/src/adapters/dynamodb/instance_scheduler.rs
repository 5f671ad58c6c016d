//! An Instance Scheduler on AWS config table's items (SPEC §5 "Import")
//! read into `crate::import::instance_scheduler`'s types: `type`
//! and `name` on every item, day expressions and period names as string
//! sets (a plain string or a list is taken too: hand-edited tables have
//! them), booleans as `BOOL` or `true` / `false`.

use super::items::{flag, key, strings, text, Item};
use crate::import::instance_scheduler::{IsConfig, IsPeriod, IsSchedule, IsTable};

/// Sorts the scanned items by their `type`.
pub fn table(items: &[Item]) -> Result<IsTable, String> {
    let mut table = IsTable::default();
    for item in items {
        let kind = key(item, "config table", "type")?;
        let name = key(item, &format!("{kind} item"), "name")?;
        match kind.as_str() {
            "period" => table.periods.push(IsPeriod {
                name,
                begintime: text(item, "begintime"),
                endtime: text(item, "endtime"),
                weekdays: strings(item, "weekdays"),
                monthdays: strings(item, "monthdays"),
                months: strings(item, "months"),
                description: text(item, "description"),
            }),
            "schedule" => table.schedules.push(IsSchedule {
                name,
                periods: strings(item, "periods"),
                timezone: text(item, "timezone"),
                description: text(item, "description"),
                enforced: flag(item, "enforced")?,
                retain_running: flag(item, "retain_running")?,
                hibernate: flag(item, "hibernate")?,
                override_status: text(item, "override_status"),
                stop_new_instances: flag(item, "stop_new_instances")?,
                use_maintenance_window: flag(item, "use_maintenance_window")?,
                ssm_maintenance_window: strings(item, "ssm_maintenance_window"),
            }),
            "config" => table.configs.push(IsConfig {
                name,
                tagname: text(item, "tagname"),
                default_timezone: text(item, "default_timezone"),
            }),
            _ => table.others.push((kind, name)),
        }
    }
    Ok(table)
}

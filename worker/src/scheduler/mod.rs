//! The scheduler (SPEC §6): [`tick`] reconciles every due schedule at a
//! tick's instant, one (target, region) pair at a time (`pair`), fanning
//! out over the queue when there are several; [`act`] decides one schedule's reconcile, saves its
//! state with a conditional write and carries out the starts and stops.

pub mod act;
mod notices;
mod pair;
pub mod reconcile;
mod record;
pub mod tick;

#[cfg(test)]
mod caught_tests;
#[cfg(test)]
mod pair_tests;
#[cfg(test)]
mod tests;

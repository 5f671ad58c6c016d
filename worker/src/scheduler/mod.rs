//! The scheduler (SPEC §6): [`tick`] reconciles every due schedule at a
//! tick's instant; [`act`] decides one schedule's reconcile, saves its
//! state with a conditional write and carries out the starts and stops.

pub mod act;
mod notices;
pub mod tick;

#[cfg(test)]
mod tests;

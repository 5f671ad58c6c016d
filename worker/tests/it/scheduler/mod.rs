//! The scheduler of SPEC §6 on a local AWS (moto), with simulated time: each
//! tick is the EventBridge Scheduled Event of its instant, handled as the
//! worker handles it from the queue. Notices land on a real HTTP server.

mod buttons;
mod caught;
mod day;
mod errors;
mod groups;
mod kinds;
mod notices;
mod overrides;
mod savings;
mod stack;
mod targets;
mod windows;

//! One step in every (target, region) pair side by side (SPEC §5 Targets):
//! what the scheduler's reconciles and the chat commands that describe or
//! act (`status`, `force_*`, `savings`) share. A pair that fails is listed
//! and the others go on.

use crate::app::ExecError;
use curfew_shared::ports::Class;
use curfew_shared::target::Pair;

/// What running one step in every pair side by side gave: the result of
/// each pair that answered, and the pairs that failed, named by
/// [`Pair::place`].
#[derive(Debug)]
pub struct Outcomes<T> {
    pub done: Vec<T>,
    pub unreachable: Vec<(String, ExecError)>,
}

impl<T> Outcomes<T> {
    /// `Err` when a pair failed in a way a later try may mend, so a
    /// reconcile job is retried (the pairs that did act find their events
    /// applied and do nothing twice).
    pub fn retry(self) -> Result<(), ExecError> {
        match self
            .unreachable
            .into_iter()
            .find(|(_, e)| e.class() == Class::Transient)
        {
            Some((_, error)) => Err(error),
            None => Ok(()),
        }
    }
}

/// Runs `step` in every pair side by side. When every pair fails, that is
/// the failure: with one pair, its failure is the caller's, as before
/// targets.
pub async fn in_every_pair<'p, T, F, Fut>(
    pairs: &'p [Pair],
    step: F,
) -> Result<Outcomes<T>, ExecError>
where
    F: Fn(&'p Pair) -> Fut,
    Fut: std::future::Future<Output = Result<T, ExecError>>,
{
    let results = futures::future::join_all(pairs.iter().map(&step)).await;
    let mut outcomes = Outcomes {
        done: Vec::new(),
        unreachable: Vec::new(),
    };
    for (pair, result) in pairs.iter().zip(results) {
        match result {
            Ok(done) => outcomes.done.push(done),
            Err(error) => outcomes.unreachable.push((pair.place(), error)),
        }
    }
    if outcomes.done.is_empty() {
        if let Some((_, error)) = outcomes.unreachable.pop() {
            return Err(error);
        }
    }
    Ok(outcomes)
}

//! `curfew-ingress`: the JANDI outgoing-webhook endpoint.
//!
//! Not built yet: the HTTP handler (token check, size limit, replay window,
//! parse, one SQS `SendMessage`) arrives with the pipeline (issue 3). The
//! parsing it will use is done and tested in `curfew_shared::command` and
//! `curfew_shared::jandi`.

use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!("curfew-ingress: the HTTP handler is not built yet (it arrives with the pipeline)");
    ExitCode::from(2)
}

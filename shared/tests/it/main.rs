//! The domain's integration tests (the public API only), in one test
//! binary: the wire formats, and properties that outside input never
//! panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod no_panic;
mod wire;

//! The third job: monthly and yearly satisfaction reports.
//!
//! - [`model`]: the read model every format renders;
//! - [`rollup`]: the per-day counters reports read, kept with every rating, and their rebuild.

pub mod model;
pub mod rollup;

//! The third job: monthly and yearly satisfaction reports.
//!
//! - [`model`]: the read model every format renders;
//! - [`monthly`]: building a report's figures for a scope and a period;
//! - [`rollup`]: the per-day counters reports read, kept with every rating, and their rebuild.

pub mod model;
pub mod monthly;
pub mod rollup;

#[cfg(test)]
mod tests;

//! The third job: monthly and yearly satisfaction reports.
//!
//! - [`model`]: the read model every format renders;
//! - [`monthly`]: building a report's figures for a scope and a period;
//! - [`delivery`]: the monthly emails and the yearly reminders, once per recipient;
//! - [`files`]: files handled per desk and month (the 766 rate over files);
//! - [`links`]: signed report links, and opening a report by one;
//! - [`yearly`]: the programme's yearly report and its draft document;
//! - [`public`]: a desk's results for citizens (page and poster);
//! - [`rollup`]: the per-day counters reports read, kept with every rating, and their rebuild.

pub mod delivery;
pub mod files;
pub mod links;
pub mod model;
pub mod monthly;
pub mod public;
pub mod rollup;
pub mod yearly;

#[cfg(test)]
mod tests;

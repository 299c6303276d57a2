//! One integration-test binary (each test binary is large and slow to link): HTTP flows, store
//! queries on both backends, the CLI.

#[macro_use]
mod support;

mod api;
mod browser;
mod citizen;
mod cli;
mod ops;
mod org;
mod store;

//! One integration-test binary (each test binary is large and slow to link): HTTP flows, store
//! queries on both backends, the CLI.

#[macro_use]
mod support;

mod api;
mod browser;
mod calendars;
mod cases;
mod citizen;
mod cli;
mod demo;
mod layers;
mod mail;
mod ops;
mod org;
mod reports;
mod smtp;
mod staff;
mod store;

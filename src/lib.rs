//! hailong: citizen satisfaction ratings and conduct reports for Vietnamese public-service desks.
//!
//! Layout: `domain` holds pure rules, `store` the database, `web` the HTTP handlers, `cli` the
//! commands; `service` holds the use cases that tie them together; `print` makes QR codes and
//! posters.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod print;
pub mod report;
pub mod secret;
pub mod service;
pub mod store;
pub mod toml_errors;
pub mod vault;
pub mod web;

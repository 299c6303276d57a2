//! hailong: citizen satisfaction ratings and conduct reports for Vietnamese public-service desks.
//!
//! Layout: `domain` holds pure rules, `store` the database, `web` the HTTP handlers, `cli` the
//! commands; `service` ties configuration, database and secrets together.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod org;
pub mod secret;
pub mod service;
pub mod store;
pub mod web;

//! Renderers of the report read model, one file per format: they format, never compute.
//!
//! The input is [`crate::service::reports::model::Report`] (and its yearly wrapper); each format
//! prints the figures it holds and nothing else, so every format agrees with every other.

mod columns;
pub mod csv;
pub mod docx;
pub mod xlsx;

#[cfg(test)]
pub(crate) mod testing;

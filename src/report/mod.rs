//! Renderers of the report read model ([`crate::service::reports::model`]), one file per format:
//! they format, never compute.

pub mod svg;

//! Pure rules: no I/O, no clock reads. Anything that depends on time takes `now`; anything random
//! takes the random source.

pub mod calendar;
pub mod codes;
pub mod hours;
pub mod org;
pub mod org_file;

//! Pure rules: no I/O, no clock reads. Anything that depends on time takes `now`; anything random
//! takes the random source.

pub mod vocabulary;

pub mod access;
pub mod audit;
pub mod calendar;
pub mod case;
pub mod case_history;
pub mod codes;
pub mod feedback;
pub mod form_token;
pub mod holidays;
pub mod hours;
pub mod lunar;
pub mod measures;
pub mod org;
pub mod org_file;
pub mod period;
pub mod rollup;
pub mod routing;
pub mod signals;
pub mod sla;
pub mod survey;

/// The local time of every office hailong serves (Việt Nam, UTC+7, no daylight saving): report
/// months, local days and office hours are read in it.
pub const LOCAL_TZ: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

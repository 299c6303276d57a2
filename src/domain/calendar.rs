//! Working-time calendars: office hours, holidays, swapped working days; SLA arithmetic.

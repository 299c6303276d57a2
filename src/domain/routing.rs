//! Where a case goes: routing around the accused, and the escalation ladder.

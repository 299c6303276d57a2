//! The official measures (see docs/measures.md): every formula in one place, so a change of rules is
//! one edit. Per-rating points are computed here when a rating is stored; reports aggregate them.

/// Circular 01/2018 index 7 (officer attitude) for one file: 0 when the rating or its file has a
/// harassment-type report (unless later dismissed as untrue — the reports apply that), else 2 when
/// the result came early and 1 when on time or late (lateness already counts in index 1); no data
/// when the result is not yet received. `idx1` is the index 1 points of the same rating.
pub fn attitude_points(idx1: Option<i32>, harassment_report: bool) -> Option<i32> {
    if harassment_report {
        return Some(0);
    }
    match idx1 {
        Some(2) => Some(2),
        Some(_) => Some(1),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attitude() {
        assert_eq!(attitude_points(Some(2), false), Some(2));
        assert_eq!(attitude_points(Some(1), false), Some(1));
        assert_eq!(attitude_points(Some(0), false), Some(1));
        assert_eq!(attitude_points(None, false), None);
        assert_eq!(attitude_points(Some(2), true), Some(0));
        assert_eq!(attitude_points(None, true), Some(0));
    }
}

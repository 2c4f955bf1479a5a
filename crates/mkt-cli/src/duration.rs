//! Parsing durations given on the command line: `30`, `30s`, `15m`, `1h` (also `250ms`).

use std::time::Duration;

/// Parses a duration: bare seconds (`30`), or a number with a unit suffix `ms`, `s`, `m` or `h`
/// (`30s`, `15m`, `1h`, `250ms`). Fractions are allowed (`1.5m`). Usable as a clap `value_parser`.
///
/// # Errors
/// A message naming the accepted forms when the text is empty, negative, not a number, too
/// large, or has an unknown unit.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 0.001,
        "m" | "min" | "mins" => 60.0,
        "h" | "hr" | "hrs" => 3600.0,
        other => {
            return Err(format!(
                "unknown duration unit `{other}` in `{text}`: use e.g. 30, 30s, 15m or 1h"
            ))
        }
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: use e.g. 30, 30s, 15m or 1h"))?;
    Duration::try_from_secs_f64(value * scale).map_err(|_| format!("duration `{text}` is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_bare_seconds_and_units() {
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "s", "-5", "5d", "abc", "1e400", "1..2"] {
            assert!(parse_duration(bad).is_err(), "{bad} should be rejected");
        }
    }
}

//! Validated request parameters: release dates, inference/training selectors, periods, slugs.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::error::{Error, Result};

/// A canonical `YYYY-MM-DD` calendar date (zero-padded; spec §2.3 and §8.9: `2025-1-5` and
/// `2025-02-30` are refused locally instead of producing a non-canonical URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReleaseDate(NaiveDate);

impl ReleaseDate {
    /// The date.
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl From<NaiveDate> for ReleaseDate {
    fn from(d: NaiveDate) -> Self {
        ReleaseDate(d)
    }
}

impl FromStr for ReleaseDate {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        let invalid = || Error::InvalidDate { value: s.to_owned() };
        if !shape_ok {
            return Err(invalid());
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(ReleaseDate)
            .map_err(|_| invalid())
    }
}

impl fmt::Display for ReleaseDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

/// Which inference period: the open one, the most recently published one, or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InferenceRef {
    /// The period open right now (the server answers 404 when none is).
    Current,
    /// The most recently published period, resolved client-side from the period list.
    Latest,
    /// The period released on this date.
    Date(ReleaseDate),
}

impl FromStr for InferenceRef {
    type Err = Error;

    /// `current`, `latest` or a canonical `YYYY-MM-DD` date.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "current" => Ok(InferenceRef::Current),
            "latest" => Ok(InferenceRef::Latest),
            other => other.parse().map(InferenceRef::Date),
        }
    }
}

impl fmt::Display for InferenceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InferenceRef::Current => f.write_str("current"),
            InferenceRef::Latest => f.write_str("latest"),
            InferenceRef::Date(d) => d.fmt(f),
        }
    }
}

/// Which training dataset: the latest, or a version string such as `2.0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingVersion {
    /// The version the server marks latest.
    Latest,
    /// A version string, passed verbatim (letters, digits, `.`, `_`, `-`).
    Version(String),
}

impl FromStr for TrainingVersion {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        if s == "latest" {
            return Ok(TrainingVersion::Latest);
        }
        check_segment("version", s)?;
        Ok(TrainingVersion::Version(s.to_owned()))
    }
}

impl fmt::Display for TrainingVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainingVersion::Latest => f.write_str("latest"),
            TrainingVersion::Version(v) => f.write_str(v),
        }
    }
}

/// The `period` filter of the submission list: the open period or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The period open right now.
    Current,
    /// The period released on this date.
    Date(ReleaseDate),
}

impl FromStr for Period {
    type Err = Error;

    /// `current` or a canonical `YYYY-MM-DD` date (spec §8.9: validated, unlike the reference).
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "current" => Ok(Period::Current),
            other => other.parse().map(Period::Date),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Current => f.write_str("current"),
            Period::Date(d) => d.fmt(f),
        }
    }
}

/// Checks that a value can be interpolated into a URL path as one segment.
pub(crate) fn check_segment(what: &'static str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value != "."
        && value != ".."
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidSegment {
            what,
            value: value.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_canonical() {
        assert_eq!(
            "2025-06-09".parse::<ReleaseDate>().map(|d| d.to_string()).ok(),
            Some("2025-06-09".to_owned())
        );
        for bad in [
            "2025-1-5",
            "2025-02-30",
            "2025-01-05T00:00:00",
            "20250105",
            "2025/01/05",
            "",
            "２０２５-01-05",
        ] {
            assert!(
                matches!(bad.parse::<ReleaseDate>(), Err(Error::InvalidDate { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn selectors_parse() {
        assert_eq!(
            "current".parse::<InferenceRef>().ok(),
            Some(InferenceRef::Current)
        );
        assert_eq!("latest".parse::<InferenceRef>().ok(), Some(InferenceRef::Latest));
        assert!("2025-06-09".parse::<InferenceRef>().is_ok());
        assert!("yesterday".parse::<InferenceRef>().is_err());
        assert_eq!(
            "2.0".parse::<TrainingVersion>().ok(),
            Some(TrainingVersion::Version("2.0".into()))
        );
        assert!("../x".parse::<TrainingVersion>().is_err());
        assert!("1.0?x=1".parse::<TrainingVersion>().is_err());
        assert!("latest".parse::<Period>().is_err());
        assert_eq!("current".parse::<Period>().ok(), Some(Period::Current));
    }
}

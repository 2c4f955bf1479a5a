//! Serde support for the two timestamp dialects: NumerBay's naive ISO and CrowdCent's `Z`-suffixed UTC.
//!
//! Spec (NumerBay §3.0): datetimes are naive ISO-8601, UTC by convention, with the fraction omitted
//! when the microseconds are zero (`2021-03-22T17:44:50`, `2021-12-25T06:34:58.047278`). An offset is
//! accepted defensively and converted to UTC. CrowdCent sends `2025-06-05T12:34:26Z` with an optional
//! fraction; a missing offset is read as UTC.

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};

use crate::error::{Error, Result};

/// Parses a NumerBay timestamp: naive ISO with or without fraction, or any RFC 3339 offset (made UTC).
///
/// # Errors
///
/// [`Error::InvalidDateTime`] when the text is none of those forms.
pub fn parse_naive(text: &str) -> Result<NaiveDateTime> {
    let t = text.trim();
    let naive = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f"));
    match naive {
        Ok(dt) => Ok(dt),
        Err(first) => DateTime::parse_from_rfc3339(t)
            .map(|dt| dt.naive_utc())
            .map_err(|_| Error::InvalidDateTime {
                input: text.to_owned(),
                source: first,
            }),
    }
}

/// Parses a CrowdCent timestamp: RFC 3339 (`Z` or offset), or naive ISO read as UTC.
///
/// # Errors
///
/// [`Error::InvalidDateTime`] when the text is none of those forms.
pub fn parse_utc(text: &str) -> Result<DateTime<Utc>> {
    let t = text.trim();
    match DateTime::parse_from_rfc3339(t) {
        Ok(dt) => Ok(dt.with_timezone(&Utc)),
        Err(first) => parse_naive(t)
            .map(|dt| dt.and_utc())
            .map_err(|_| Error::InvalidDateTime {
                input: text.to_owned(),
                source: first,
            }),
    }
}

/// Formats like the NumerBay server (Python `isoformat()`): no fraction when it is zero, else microseconds.
pub fn format_naive(value: &NaiveDateTime) -> String {
    let nanos = value.nanosecond();
    if nanos == 0 {
        value.format("%Y-%m-%dT%H:%M:%S").to_string()
    } else if nanos.is_multiple_of(1_000) {
        value.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
    } else {
        value.format("%Y-%m-%dT%H:%M:%S%.9f").to_string()
    }
}

/// Formats like CrowdCent: RFC 3339 in UTC with a `Z` suffix, microseconds when non-zero.
pub fn format_utc(value: &DateTime<Utc>) -> String {
    let naive = value.naive_utc();
    format!("{}Z", format_naive(&naive))
}

macro_rules! datetime_serde {
    ($modname:ident, $ty:ty, $parse:path, $format:path, $what:literal) => {
        #[doc = concat!("Serde `with` module for ", $what, ".")]
        pub mod $modname {
            use serde::{Deserialize, Deserializer, Serializer};

            /// Serializes as the platform's ISO string.
            ///
            /// # Errors
            ///
            /// Whatever the serializer reports.
            pub fn serialize<S: Serializer>(value: &$ty, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&$format(value))
            }

            /// Deserializes from the platform's ISO string (lenient, see the module docs).
            ///
            /// # Errors
            ///
            /// A deserializer error when the value is not a string or does not parse.
            pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
                $parse(&text).map_err(serde::de::Error::custom)
            }

            /// The same rules for an optional value: null or a missing field (with `default`) is `None`.
            pub mod option {
                use serde::{Deserialize, Deserializer, Serializer};

                /// Serializes `None` as null.
                ///
                /// # Errors
                ///
                /// Whatever the serializer reports.
                pub fn serialize<S: Serializer>(
                    value: &Option<$ty>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    match value {
                        Some(v) => super::serialize(v, serializer),
                        None => serializer.serialize_none(),
                    }
                }

                /// Deserializes null as `None`.
                ///
                /// # Errors
                ///
                /// A deserializer error when the value is neither null nor a parsable string.
                pub fn deserialize<'de, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<$ty>, D::Error> {
                    match Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)? {
                        Some(text) => $parse(&text).map(Some).map_err(serde::de::Error::custom),
                        None => Ok(None),
                    }
                }
            }
        }
    };
}

datetime_serde!(
    naive,
    chrono::NaiveDateTime,
    crate::datetime::parse_naive,
    crate::datetime::format_naive,
    "NumerBay's naive timestamps (`NaiveDateTime`)"
);
datetime_serde!(
    utc,
    chrono::DateTime<chrono::Utc>,
    crate::datetime::parse_utc,
    crate::datetime::format_utc,
    "CrowdCent's UTC timestamps (`DateTime<Utc>`)"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_round_trips_through_its_own_format() {
        for text in [
            "2021-03-22T17:44:50",
            "2021-12-25T06:34:58.047278",
            "2021-12-25T06:34:58.000000001",
        ] {
            let parsed = parse_naive(text).unwrap();
            assert_eq!(format_naive(&parsed), text);
        }
    }

    #[test]
    fn utc_keeps_the_z_suffix() {
        let parsed = parse_utc("2025-06-09T14:01:01.161998Z").unwrap();
        assert_eq!(format_utc(&parsed), "2025-06-09T14:01:01.161998Z");
        assert!(matches!(parse_utc("nope"), Err(Error::InvalidDateTime { .. })));
    }
}

//! Serde support for money amounts as [`Decimal`], accepting every wire form NumerBay sends.
//!
//! Spec §3.0: decimals are JSON numbers, emitted as an integer (`9`) when the value has no fractional
//! scale and as a binary float otherwise (`9.0`, `3.3333333333333335`, `1e-05`). This module accepts
//! all of those, plus decimal strings, and serializes the way the server does (int-or-float).
//!
//! Use it with `#[serde(with = "marketplace_types::decimal")]` on a `Decimal` field and
//! `#[serde(default, with = "marketplace_types::decimal::option")]` on an `Option<Decimal>` field.

use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};
use serde_json::Value;

use crate::error::{Error, Result};

/// The map key serde_json uses to carry a number's text when `arbitrary_precision` is on.
const ARBITRARY_PRECISION_KEY: &str = "$serde_json::private::Number";

/// Parses a decimal from its textual form: integer (`9`), fraction (`9.0`) or exponent (`1e-05`).
///
/// # Errors
///
/// [`Error::InvalidDecimal`] when the text is not a number or does not fit a [`Decimal`].
pub fn parse(text: &str) -> Result<Decimal> {
    let t = text.trim();
    let parsed = if t.contains(['e', 'E']) {
        Decimal::from_scientific_lossy(t)
    } else {
        Decimal::from_str(t)
    };
    parsed.map_err(|source| Error::InvalidDecimal {
        input: text.to_owned(),
        source,
    })
}

/// Serializes like the NumerBay server: an integer when the scale is 0, else a float.
///
/// # Errors
///
/// Whatever the serializer reports.
pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    if value.scale() == 0 {
        if let Some(i) = value.to_i64() {
            return serializer.serialize_i64(i);
        }
        if let Some(u) = value.to_u64() {
            return serializer.serialize_u64(u);
        }
    }
    match value.to_f64() {
        Some(f) if f.is_finite() => serializer.serialize_f64(f),
        _ => serializer.serialize_str(&value.to_string()),
    }
}

/// Deserializes a JSON number (integer, fraction or exponent form) or a numeric string.
///
/// # Errors
///
/// A deserializer error when the value is null, not a number, or out of range.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let value = Value::deserialize(deserializer)?;
    from_value(&value)?.ok_or_else(|| D::Error::custom("invalid type: null, expected a decimal number"))
}

/// Converts a JSON value into a decimal; `Ok(None)` for null.
fn from_value<E: serde::de::Error>(value: &Value) -> Result<Option<Decimal>, E> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        // A number that went through serde's internal buffering (untagged/flatten) keeps its text here.
        Value::Object(map) if map.len() == 1 => match map.get(ARBITRARY_PRECISION_KEY) {
            Some(Value::String(s)) => s.clone(),
            _ => return Err(E::custom("invalid type: map, expected a decimal number")),
        },
        other => {
            return Err(E::custom(format_args!(
                "invalid type: {other}, expected a decimal number"
            )))
        }
    };
    parse(&text).map(Some).map_err(E::custom)
}

/// The same wire rules for `Option<Decimal>`: null (or a missing field, with `#[serde(default)]`) is `None`.
pub mod option {
    use super::*;

    /// Serializes `None` as null and `Some` like [`super::serialize`].
    ///
    /// # Errors
    ///
    /// Whatever the serializer reports.
    pub fn serialize<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => super::serialize(d, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes null as `None`, otherwise like [`super::deserialize`].
    ///
    /// # Errors
    ///
    /// A deserializer error when the value is neither null nor a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
        let value = Value::deserialize(deserializer)?;
        from_value(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_covers_integer_fraction_exponent() {
        assert_eq!(parse("9").unwrap(), Decimal::new(9, 0));
        assert_eq!(parse("9.0").unwrap(), Decimal::new(90, 1));
        assert_eq!(parse("1e-05").unwrap(), Decimal::new(1, 5));
        assert_eq!(parse(" 2E3 ").unwrap(), Decimal::new(2000, 0));
        assert!(matches!(parse("x"), Err(Error::InvalidDecimal { .. })));
    }

    #[test]
    fn arbitrary_precision_map_form_is_understood() {
        let buffered = serde_json::json!({ ARBITRARY_PRECISION_KEY: "1e-05" });
        let parsed: Option<Decimal> = from_value::<serde_json::Error>(&buffered).unwrap();
        assert_eq!(parsed, Some(Decimal::new(1, 5)));
        assert!(from_value::<serde_json::Error>(&serde_json::json!({"a": "1"})).is_err());
    }
}

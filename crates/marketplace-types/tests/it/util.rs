//! Shared helpers: decode a fixture, round-trip it, and check no field was dropped on the way.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Loads a fixture from `tests/data/` at compile time (tests never read files at run time).
#[macro_export]
macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/", $path))
    };
}

/// Decodes `json` into `T`, panicking with the serde error (path and reason) on failure.
pub fn decode<T: DeserializeOwned>(json: &str) -> T {
    match serde_json::from_str(json) {
        Ok(value) => value,
        Err(err) => panic!("decode as {} failed: {err}", std::any::type_name::<T>()),
    }
}

/// Decodes, re-encodes and decodes again; both decoded values must be equal.
pub fn roundtrip<T>(json: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let first: T = decode(json);
    let encoded = serde_json::to_string(&first).expect("DTOs always serialize");
    let second: T = decode(&encoded);
    assert_eq!(first, second, "round trip changed the value; encoded: {encoded}");
    first
}

/// [`roundtrip`] plus: every key of the fixture is present in the re-encoded JSON with an equivalent
/// value (numbers compared as decimals, so `9` and `9.0` match), and any extra key is `null`.
pub fn faithful<T>(json: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    check_faithful(json, false)
}

/// [`faithful`] for types that omit `None` fields: a `null` in the fixture may be absent when re-encoded.
pub fn faithful_omitting_nulls<T>(json: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    check_faithful(json, true)
}

fn check_faithful<T>(json: &str, nulls_may_be_omitted: bool) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let value = roundtrip::<T>(json);
    let original: Value = decode(json);
    let encoded = serde_json::to_value(&value).expect("DTOs always serialize");
    if let Err(diff) = equivalent(&original, &encoded, "$", nulls_may_be_omitted) {
        panic!(
            "re-encoded {} differs from the fixture: {diff}",
            std::any::type_name::<T>()
        );
    }
    value
}

fn equivalent(want: &Value, got: &Value, path: &str, lax: bool) -> Result<(), String> {
    match (want, got) {
        (Value::Number(a), Value::Number(b)) => {
            let a = marketplace_types::decimal::parse(&a.to_string()).map_err(|e| e.to_string())?;
            let b = marketplace_types::decimal::parse(&b.to_string()).map_err(|e| e.to_string())?;
            if a == b {
                Ok(())
            } else {
                Err(format!("{path}: {a} != {b}"))
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!("{path}: length {} != {}", a.len(), b.len()));
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                equivalent(x, y, &format!("{path}[{i}]"), lax)?;
            }
            Ok(())
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, x) in a {
                match b.get(key) {
                    Some(y) => equivalent(x, y, &format!("{path}.{key}"), lax)?,
                    None if lax && x.is_null() => {}
                    None => return Err(format!("{path}.{key}: dropped")),
                }
            }
            for (key, y) in b {
                if !a.contains_key(key) && !y.is_null() {
                    return Err(format!("{path}.{key}: added non-null {y}"));
                }
            }
            Ok(())
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("{path}: {a} != {b}")),
    }
}

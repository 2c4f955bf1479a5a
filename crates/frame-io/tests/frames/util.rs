//! Helpers shared by the integration tests.

use std::path::PathBuf;

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Float64Type};
use frame_io::Frame;

/// A file under `tests/data`.
pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// A parsed expected.json.
pub fn expected(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(data(rel)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Sum of the non-null values of a numeric column, as f64.
pub fn sum(frame: &Frame, column: &str) -> f64 {
    let col = frame.column(column).unwrap().unwrap();
    let col = arrow::compute::cast(&col, &DataType::Float64).unwrap();
    col.as_primitive::<Float64Type>().iter().flatten().sum()
}

/// Null count of a column.
pub fn nulls(frame: &Frame, column: &str) -> usize {
    frame.column(column).unwrap().unwrap().null_count()
}

/// The value of a string-like column at `row`.
pub fn text(frame: &Frame, column: &str, row: usize) -> String {
    let col = frame.column(column).unwrap().unwrap();
    let col = arrow::compute::cast(&col, &DataType::Utf8).unwrap();
    col.as_string::<i32>().value(row).to_owned()
}

//! Results to Python objects (JSON-shaped, money as `decimal.Decimal`) and DataFrames to arrow.

use arrow::array::RecordBatchReader;
use arrow::datatypes::{DataType, Field, Schema};
use arrow_pyarrow::FromPyArrow;
use frame_io::RecordBatch;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

/// NumerBay keys holding money amounts (spec §3.0); their numbers become `decimal.Decimal`.
const MONEY_KEYS: &[&str] = &[
    "price",
    "stake_limit",
    "special_price",
    "last_sale_price",
    "last_sale_price_delta",
    "total_sales_nmr",
    "nmr_staked",
    "min_spend",
    "max_discount",
];

/// How numbers are handed to Python.
#[derive(Debug, Clone, Copy)]
pub enum Numbers {
    /// `int` or `float`, as `json.loads` gives them.
    Plain,
    /// Values under `MONEY_KEYS` as `decimal.Decimal` (exact, from the wire text).
    Money,
}

/// `value` serialized (serde field names are the wire keys) and converted to dicts and lists.
///
/// # Errors
/// `ValueError` when the value cannot be serialized (a bug, not bad input).
pub fn to_py<T: Serialize>(py: Python<'_>, value: &T, numbers: Numbers) -> PyResult<Py<PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| PyValueError::new_err(format!("could not convert a result for Python: {e}")))?;
    json_to_py(py, &json, numbers, false)
}

/// Converts one JSON value; `money` is set under a money key.
pub fn json_to_py(py: Python<'_>, value: &Value, numbers: Numbers, money: bool) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) if money => decimal(py, &n.to_string())?,
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any().unbind()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any().unbind()
            } else {
                // Python's float() parses the exact wire text (exponents included).
                py.import("builtins")?
                    .getattr("float")?
                    .call1((n.to_string(),))?
                    .unbind()
            }
        }
        Value::String(s) if money => decimal(py, s)?,
        Value::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item, numbers, money)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                let money = matches!(numbers, Numbers::Money) && MONEY_KEYS.contains(&k.as_str());
                dict.set_item(k, json_to_py(py, v, numbers, money)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

fn decimal(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    Ok(py.import("decimal")?.getattr("Decimal")?.call1((text,))?.unbind())
}

/// The rows of a DataFrame as one arrow batch: anything exporting `__arrow_c_stream__` (pandas
/// ≥ 2.2, polars, pyarrow, duckdb, ...); an older pandas frame goes through `pyarrow.table`.
/// pandas index columns (`__index_level_N__`) are dropped, as `to_csv(index=False)` does, and
/// view/large string types become plain ones (CSV and Parquet writers, validation).
///
/// # Errors
/// `TypeError` for an object that is not a frame; `ValueError` when its stream fails.
pub fn frame_batch(df: &Bound<'_, PyAny>) -> PyResult<RecordBatch> {
    let kind = df.get_type();
    let module = kind.module().map(|m| m.to_string()).unwrap_or_default();
    let type_name = kind.qualname().map(|n| n.to_string()).unwrap_or_default();
    let not_a_frame = |why: &str| {
        PyTypeError::new_err(format!(
            "df must be a DataFrame (pandas, polars, pyarrow: anything exporting __arrow_c_stream__), \
             got {module}.{type_name}{why}"
        ))
    };
    if type_name == "LazyFrame" {
        return Err(not_a_frame(": call .collect() first"));
    }
    // pandas/polars Series, pyarrow Array and ChunkedArray: one column, not a frame.
    if type_name.ends_with("Series") || type_name.ends_with("Array") {
        return Err(not_a_frame(": turn it into a frame first (e.g. .to_frame())"));
    }
    let source = if df.hasattr("__arrow_c_stream__")? {
        df.clone()
    } else if module.starts_with("pandas") && type_name == "DataFrame" {
        let pyarrow = df.py().import("pyarrow").map_err(|_| {
            PyTypeError::new_err(
                "this pandas version exports no Arrow stream: install pyarrow or pandas >= 2.2",
            )
        })?;
        pyarrow.getattr("table")?.call1((df,)).map_err(|e| {
            PyValueError::new_err(format!("could not convert the pandas DataFrame to Arrow: {e}"))
        })?
    } else {
        return Err(not_a_frame(""));
    };
    let reader = arrow::ffi_stream::ArrowArrayStreamReader::from_pyarrow_bound(&source)
        .map_err(|e| PyValueError::new_err(format!("could not read the DataFrame through Arrow: {e}")))?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PyValueError::new_err(format!("could not read the DataFrame's rows: {e}")))?;
    let batch = arrow::compute::concat_batches(&schema, &batches)
        .map_err(|e| PyValueError::new_err(format!("could not combine the DataFrame's rows: {e}")))?;
    normalize(batch).map_err(|e| PyValueError::new_err(format!("could not use the DataFrame: {e}")))
}

fn normalize(batch: RecordBatch) -> Result<RecordBatch, String> {
    let mut fields = Vec::new();
    let mut columns = Vec::new();
    for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
        if field.name().starts_with("__index_level_") {
            continue;
        }
        let name = field.name();
        let target = plain(field.data_type()).ok_or_else(|| {
            format!(
                "column {name:?} has type {}, which cannot be written as CSV or Parquet; \
                 convert it to numbers or strings first",
                field.data_type()
            )
        })?;
        if &target == field.data_type() {
            columns.push(column.clone());
            fields.push(field.as_ref().clone());
        } else {
            let cast = arrow::compute::cast(column, &target).map_err(|e| {
                format!(
                    "column {name:?} ({}) could not become {target}: {e}",
                    field.data_type()
                )
            })?;
            columns.push(cast);
            fields.push(Field::new(name, target, field.is_nullable()));
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(|e| e.to_string())
}

/// The type a column is written as: dictionaries (pandas/polars categoricals) decoded, view and
/// large strings/binaries made plain; `None` for types that have no flat form (unions, maps,
/// nested lists and structs).
fn plain(dt: &DataType) -> Option<DataType> {
    match dt {
        DataType::Dictionary(_, values) => plain(values),
        DataType::Utf8View | DataType::LargeUtf8 => Some(DataType::Utf8),
        DataType::BinaryView | DataType::LargeBinary => Some(DataType::Binary),
        DataType::Union(..)
        | DataType::Map(..)
        | DataType::Struct(_)
        | DataType::List(_)
        | DataType::LargeList(_)
        | DataType::ListView(_)
        | DataType::LargeListView(_)
        | DataType::FixedSizeList(..)
        | DataType::RunEndEncoded(..) => None,
        other => Some(other.clone()),
    }
}

/// A destination a Python caller named: always a file. `-` is a file named `-` in the working
/// directory (standard output is the command line's spelling, not the Python API's); an empty
/// path is refused.
///
/// # Errors
/// `ValueError` for an empty path.
pub fn dest_file(arg: &str, path: std::path::PathBuf) -> PyResult<std::path::PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(PyValueError::new_err(format!(
            "{arg} is empty: name the file to write"
        )));
    }
    if path.as_os_str() == "-" {
        return Ok(std::path::Path::new(".").join("-"));
    }
    Ok(path)
}

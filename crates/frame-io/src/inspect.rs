//! Summaries of a frame file: schema, rows, nulls, numeric ranges and the first rows.

use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, Float64Array};
use arrow::datatypes::{DataType, Float64Type};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use serde::Serialize;

use crate::{Error, Format, FrameReader, ReadOptions, Result};

/// What [`inspect()`] found out about a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inspection {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Number of rows.
    pub rows: u64,
    /// One summary per column, in file order.
    pub columns: Vec<ColumnSummary>,
    /// Index columns named in pandas metadata.
    pub pandas_index: Vec<String>,
    /// The first rows, as text (`None` for null).
    pub head: Vec<Vec<Option<String>>>,
}

/// Statistics of one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnSummary {
    /// Column name.
    pub name: String,
    /// Arrow data type, e.g. `Float64`, `Utf8`, `LargeUtf8`.
    pub data_type: String,
    /// Null cells.
    pub nulls: u64,
    /// NaN cells (floating-point columns only).
    pub nans: u64,
    /// Smallest non-NaN value of a numeric column.
    pub min: Option<f64>,
    /// Largest non-NaN value of a numeric column.
    pub max: Option<f64>,
    /// Sum of the non-null, non-NaN values of a numeric column.
    pub sum: Option<f64>,
}

/// Whether a column type counts as numeric (integers, floats, decimals).
pub(crate) fn is_numeric(ty: &DataType) -> bool {
    ty.is_integer() || ty.is_floating() || matches!(ty, DataType::Decimal128(..) | DataType::Decimal256(..))
}

/// A numeric array as float64 (`None` for non-numeric types).
pub(crate) fn as_f64(array: &dyn Array) -> Option<Float64Array> {
    if !is_numeric(array.data_type()) {
        return None;
    }
    let cast = arrow::compute::cast(array, &DataType::Float64).ok()?;
    Some(cast.as_primitive::<Float64Type>().clone())
}

/// Streams through `path` once and summarises it, keeping `head_rows` first rows.
///
/// # Errors
/// Any read error of the file.
pub fn inspect(path: &Path, options: &ReadOptions, head_rows: usize) -> Result<Inspection> {
    let reader = FrameReader::open_with(path, options)?;
    let schema = reader.schema();
    let format = reader.format();
    let pandas_index = reader.pandas_index().columns.clone();
    let mut columns: Vec<ColumnSummary> = schema
        .fields()
        .iter()
        .map(|f| ColumnSummary {
            name: f.name().clone(),
            data_type: format!("{}", f.data_type()),
            nulls: 0,
            nans: 0,
            min: None,
            max: None,
            sum: is_numeric(f.data_type()).then_some(0.0),
        })
        .collect();
    let mut rows = 0u64;
    let mut head = Vec::new();
    let fmt = FormatOptions::default();
    for batch in reader {
        let batch = batch?;
        for (summary, array) in columns.iter_mut().zip(batch.columns()) {
            summary.nulls += array.null_count() as u64;
            if let Some(values) = as_f64(array.as_ref()) {
                for v in values.iter().flatten() {
                    if v.is_nan() {
                        summary.nans += 1;
                        continue;
                    }
                    summary.min = Some(summary.min.map_or(v, |m| m.min(v)));
                    summary.max = Some(summary.max.map_or(v, |m| m.max(v)));
                    summary.sum = summary.sum.map(|s| s + v);
                }
            }
        }
        if head.len() < head_rows {
            let formatters = batch
                .columns()
                .iter()
                .map(|a| ArrayFormatter::try_new(a.as_ref(), &fmt))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|source| Error::Arrow {
                    path: path.to_owned(),
                    source,
                })?;
            let take = (head_rows - head.len()).min(batch.num_rows());
            for row in 0..take {
                head.push(
                    batch
                        .columns()
                        .iter()
                        .zip(&formatters)
                        .map(|(a, f)| a.is_valid(row).then(|| f.value(row).to_string()))
                        .collect(),
                );
            }
        }
        rows += batch.num_rows() as u64;
    }
    Ok(Inspection {
        path: path.to_owned(),
        format,
        rows,
        columns,
        pandas_index,
        head,
    })
}

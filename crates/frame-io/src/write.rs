//! Writing frames: Parquet writer settings and in-memory upload bodies (CSV or Parquet bytes).

use std::io::Write;
use std::path::PathBuf;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::schema::types::ColumnPath;

use crate::csv_write::CsvWriter;
use crate::parquet_out::ParquetOut;
use crate::{Compression, Error, Result};

/// How Parquet files are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParquetOptions {
    /// Compression codec.
    pub compression: Compression,
    /// Maximum rows per row group. Row groups are also cut at 16 MiB of buffered data, so a
    /// wide file gets row groups of fewer rows.
    pub max_row_group_size: usize,
}

impl Default for ParquetOptions {
    /// Snappy (like pandas and pyarrow), 512 Ki rows per row group.
    fn default() -> Self {
        Self {
            compression: Compression::Snappy,
            max_row_group_size: 512 * 1024,
        }
    }
}

impl ParquetOptions {
    /// Writer properties: the chosen codec, page statistics on, Parquet format 1.0 pages
    /// (readable by every pandas/pyarrow/polars version).
    pub(crate) fn properties(&self, columns: usize, sample: Option<&RecordBatch>) -> WriterProperties {
        let mut builder = WriterProperties::builder();
        // A reader decodes every column of a row group at once, and a dictionary-encoded column
        // costs it a 4 KiB index buffer: a very wide file is written without dictionaries so
        // reading it back stays bounded too.
        if columns > DICTIONARY_MAX_COLUMNS {
            builder = builder.set_dictionary_enabled(false);
        }
        // Dictionary pages only pay off for repetitive columns; for (nearly) unique ids and floats
        // the writer would build a dictionary and then throw it away, which costs ~10% of a
        // conversion. Judge by the first batch.
        if let Some(batch) = sample {
            for name in mostly_unique_columns(batch) {
                builder = builder.set_column_dictionary_enabled(ColumnPath::from(name), false);
            }
        }
        builder
            .set_compression(self.compression.to_parquet())
            .set_statistics_enabled(EnabledStatistics::Page)
            .set_writer_version(WriterVersion::PARQUET_1_0)
            .set_max_row_group_size(self.max_row_group_size.max(1))
            .set_created_by(format!("mkt frame-io {}", env!("CARGO_PKG_VERSION")))
            .build()
    }
}

/// Files with more columns than this are written without dictionary encoding.
pub(crate) const DICTIONARY_MAX_COLUMNS: usize = 1_000;

/// Opens a Parquet writer on `out` (memory bounded whatever the column count).
pub(crate) fn parquet_writer<W: Write + Send>(
    out: W,
    schema: SchemaRef,
    options: &ParquetOptions,
    sample: Option<&RecordBatch>,
    path: &std::path::Path,
) -> Result<ParquetOut<W>> {
    let props = options.properties(schema.fields().len(), sample);
    ParquetOut::new(out, schema, props, path)
}

/// Names of flat float/string columns whose first (up to 64 Ki) values are more than half distinct.
fn mostly_unique_columns(batch: &RecordBatch) -> Vec<String> {
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::{DataType, Float64Type};
    use std::collections::HashSet;
    let n = batch.num_rows().min(64 * 1024);
    if n < 1024 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (field, array) in batch.schema().fields().iter().zip(batch.columns()) {
        let array = array.slice(0, n);
        let distinct = match field.data_type() {
            DataType::Float64 => {
                let a = array.as_primitive::<Float64Type>();
                a.iter().flatten().map(f64::to_bits).collect::<HashSet<_>>().len()
            }
            DataType::Utf8 => array
                .as_string::<i32>()
                .iter()
                .flatten()
                .collect::<HashSet<_>>()
                .len(),
            DataType::LargeUtf8 => array
                .as_string::<i64>()
                .iter()
                .flatten()
                .collect::<HashSet<_>>()
                .len(),
            DataType::Utf8View => array
                .as_string_view()
                .iter()
                .flatten()
                .collect::<HashSet<_>>()
                .len(),
            _ => continue,
        };
        if distinct * 2 > n - array.null_count() {
            out.push(field.name().clone());
        }
    }
    out
}

fn memory() -> PathBuf {
    PathBuf::from("<memory>")
}

/// Encodes batches as pandas-style CSV in memory (an upload body for NumerBay).
///
/// The header comes from the first batch; an empty slice gives an empty body.
///
/// # Errors
/// [`Error::Arrow`] when a column has no text form.
pub fn to_csv_bytes(batches: &[RecordBatch]) -> Result<Vec<u8>> {
    let Some(first) = batches.first() else {
        return Ok(Vec::new());
    };
    let mut writer = CsvWriter::new(Vec::new());
    writer
        .write_header_if_needed(&first.schema())
        .and_then(|()| batches.iter().try_for_each(|b| writer.write(b)))
        .map_err(|e| csv_error(memory(), e))?;
    writer.finish().map_err(|e| csv_error(memory(), e))
}

/// Encodes batches as Parquet in memory (an upload body for CrowdCent).
///
/// # Errors
/// [`Error::ParquetWrite`] when encoding fails (e.g. batches with different schemas).
pub fn to_parquet_bytes(batches: &[RecordBatch], options: &ParquetOptions) -> Result<Vec<u8>> {
    let Some(first) = batches.first() else {
        return Ok(Vec::new());
    };
    let mut writer = parquet_writer(Vec::new(), first.schema(), options, Some(first), &memory())?;
    for batch in batches {
        writer.write(batch)?;
    }
    writer.into_inner()
}

pub(crate) fn csv_error(path: PathBuf, e: crate::csv_write::CsvWriteError) -> Error {
    match e {
        crate::csv_write::CsvWriteError::Io(source) => Error::Io {
            path,
            op: "write",
            source,
        },
        crate::csv_write::CsvWriteError::Format(source) => Error::Arrow { path, source },
    }
}

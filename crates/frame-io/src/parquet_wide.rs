//! Reading very wide Parquet files a group of columns at a time.
//!
//! parquet's reader opens a page reader for every column of a row group at once, and each holds
//! a decompressor (a Snappy one keeps a 2 KiB table): 10,000 columns cost tens of megabytes
//! before any data. For a wide file with small row groups (what frame-io writes) this reader
//! decodes one row group in groups of [`GROUP_COLUMNS`] columns, stitches the columns together
//! and hands out slices of it, so only one group's readers are alive at a time.

use std::fs::File;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef};
use arrow::datatypes::SchemaRef;
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use parquet::file::metadata::ParquetMetaData;

/// Files with more leaf columns than this are read a group at a time (when their row groups
/// are small enough).
pub(crate) const WIDE_COLUMNS: usize = 1_000;
/// Top-level columns decoded together.
const GROUP_COLUMNS: usize = 256;
/// The largest row group (uncompressed bytes) decoded whole; larger ones use the plain reader.
const ROW_GROUP_BUDGET: i64 = 32 << 20;

/// Whether `meta` describes a file this reader should handle.
pub(crate) fn suits(meta: &ParquetMetaData) -> bool {
    meta.file_metadata().schema_descr().num_columns() > WIDE_COLUMNS
        && meta
            .row_groups()
            .iter()
            .all(|rg| rg.total_byte_size() <= ROW_GROUP_BUDGET)
}

/// Batches of a wide Parquet file, row group by row group.
pub(crate) struct WideParquet {
    file: File,
    metadata: ArrowReaderMetadata,
    schema: SchemaRef,
    batch_rows: usize,
    next_row_group: usize,
    current: Option<RecordBatch>,
    offset: usize,
}

impl WideParquet {
    pub(crate) fn new(
        file: File,
        meta: Arc<ParquetMetaData>,
        schema: SchemaRef,
        batch_rows: usize,
    ) -> parquet::errors::Result<Self> {
        let metadata = ArrowReaderMetadata::try_new(meta, Default::default())?;
        Ok(Self {
            file,
            metadata,
            schema,
            batch_rows: batch_rows.max(1),
            next_row_group: 0,
            current: None,
            offset: 0,
        })
    }

    /// The next batch, or `None` after the last row group.
    pub(crate) fn next_batch(&mut self) -> Option<Result<RecordBatch, ArrowError>> {
        loop {
            if let Some(batch) = &self.current {
                if self.offset < batch.num_rows() {
                    let n = self.batch_rows.min(batch.num_rows() - self.offset);
                    let slice = batch.slice(self.offset, n);
                    self.offset += n;
                    return Some(Ok(slice));
                }
                self.current = None;
            }
            if self.next_row_group >= self.metadata.metadata().num_row_groups() {
                return None;
            }
            let rg = self.next_row_group;
            self.next_row_group += 1;
            match self.load(rg) {
                Ok(batch) => {
                    self.current = Some(batch);
                    self.offset = 0;
                }
                Err(e) => {
                    self.next_row_group = usize::MAX;
                    return Some(Err(e));
                }
            }
        }
    }

    /// Decodes row group `rg` whole, one group of columns at a time.
    fn load(&self, rg: usize) -> Result<RecordBatch, ArrowError> {
        let rows = usize::try_from(self.metadata.metadata().row_group(rg).num_rows()).unwrap_or(0);
        if rows == 0 {
            return Ok(RecordBatch::new_empty(self.schema.clone()));
        }
        let roots = self.schema.fields().len();
        let descr = self.metadata.metadata().file_metadata().schema_descr();
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(roots);
        for start in (0..roots).step_by(GROUP_COLUMNS) {
            let mask = ProjectionMask::roots(descr, start..(start + GROUP_COLUMNS).min(roots));
            let file = self.file.try_clone()?;
            let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.metadata.clone())
                .with_projection(mask)
                .with_row_groups(vec![rg])
                .with_batch_size(rows.max(1))
                .build()?;
            let batches = reader.collect::<Result<Vec<_>, _>>()?;
            let Some(first) = batches.first() else { continue };
            for c in 0..first.num_columns() {
                let parts: Vec<&dyn Array> = batches.iter().map(|b| b.column(c).as_ref()).collect();
                columns.push(arrow::compute::concat(&parts)?);
            }
        }
        RecordBatch::try_new(self.schema.clone(), columns)
    }
}

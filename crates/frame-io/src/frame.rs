//! [`Frame`]: a whole table in memory as arrow record batches.

use std::path::PathBuf;

use arrow::array::ArrayRef;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use crate::pandas::PandasIndex;
use crate::{Error, ParquetOptions, Result};

/// A table held in memory: a schema plus record batches (as read, not concatenated).
#[derive(Debug, Clone)]
pub struct Frame {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
    pandas_index: PandasIndex,
}

impl Frame {
    /// A frame from batches that all have `schema`.
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        Self::from_parts(schema, batches, PandasIndex::default())
    }

    pub(crate) fn from_parts(
        schema: SchemaRef,
        batches: Vec<RecordBatch>,
        pandas_index: PandasIndex,
    ) -> Self {
        Self {
            schema,
            batches,
            pandas_index,
        }
    }

    /// The schema.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// The record batches.
    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    /// Index columns from pandas metadata (Parquet files written by pandas).
    pub fn pandas_index(&self) -> &PandasIndex {
        &self.pandas_index
    }

    /// Total number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// All column names, including index columns.
    pub fn column_names(&self) -> Vec<String> {
        self.schema.fields().iter().map(|f| f.name().clone()).collect()
    }

    /// Column names without pandas-generated index columns (`__index_level_0__`).
    pub fn data_column_names(&self) -> Vec<String> {
        self.column_names()
            .into_iter()
            .filter(|n| !self.pandas_index.is_generated(n))
            .collect()
    }

    /// One column concatenated across batches, or `None` when there is no such column.
    ///
    /// # Errors
    /// [`Error::Arrow`] if the batches cannot be concatenated.
    pub fn column(&self, name: &str) -> Result<Option<ArrayRef>> {
        let Ok(idx) = self.schema.index_of(name) else {
            return Ok(None);
        };
        let parts: Vec<&dyn arrow::array::Array> =
            self.batches.iter().map(|b| b.column(idx).as_ref()).collect();
        if parts.is_empty() {
            return Ok(Some(arrow::array::new_empty_array(
                self.schema.field(idx).data_type(),
            )));
        }
        arrow::compute::concat(&parts)
            .map(Some)
            .map_err(|source| Error::Arrow {
                path: PathBuf::from("<memory>"),
                source,
            })
    }

    /// Encodes the frame as pandas-style CSV (what NumerBay uploads carry).
    ///
    /// # Errors
    /// See [`crate::to_csv_bytes`].
    pub fn to_csv_bytes(&self) -> Result<Vec<u8>> {
        crate::to_csv_bytes(&self.data_batches()?)
    }

    /// Encodes the frame as Parquet (what CrowdCent submissions carry).
    ///
    /// # Errors
    /// See [`crate::to_parquet_bytes`].
    pub fn to_parquet_bytes(&self, options: &ParquetOptions) -> Result<Vec<u8>> {
        crate::to_parquet_bytes(&self.data_batches()?, options)
    }

    /// The batches without pandas-generated index columns.
    fn data_batches(&self) -> Result<Vec<RecordBatch>> {
        let keep: Vec<usize> = self
            .schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| !self.pandas_index.is_generated(f.name()))
            .map(|(i, _)| i)
            .collect();
        if keep.len() == self.schema.fields().len() {
            if self.batches.is_empty() {
                return Ok(vec![RecordBatch::new_empty(self.schema.clone())]);
            }
            return Ok(self.batches.clone());
        }
        let project = |b: &RecordBatch| {
            b.project(&keep).map_err(|source| Error::Arrow {
                path: PathBuf::from("<memory>"),
                source,
            })
        };
        if self.batches.is_empty() {
            return Ok(vec![project(&RecordBatch::new_empty(self.schema.clone()))?]);
        }
        self.batches.iter().map(project).collect()
    }
}

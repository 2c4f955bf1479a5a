//! A Parquet writer whose memory does not grow with the column count.
//!
//! parquet's `ArrowWriter` keeps an encoder for every column of the open row group (about 5 KiB
//! each, 75 KiB with a dictionary): 10,000 columns cost half a gigabyte before any data. This
//! writer buffers the row group's arrow batches instead (bounded by [`ROW_GROUP_BYTES`] as well as
//! by rows) and encodes them one column at a time, so a single column encoder is alive at once.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::datatypes::{Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use parquet::arrow::arrow_writer::compute_leaves;
use parquet::arrow::ArrowWriter;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterPropertiesPtr;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{SchemaDescriptor, Type};

use crate::{Error, Result};

/// A row group is closed once its buffered batches hold this many bytes, even before
/// [`ParquetOptions::max_row_group_size`](crate::ParquetOptions::max_row_group_size) rows.
pub(crate) const ROW_GROUP_BYTES: usize = 16 << 20;

/// Writes record batches as Parquet row groups, encoding one column at a time.
pub(crate) struct ParquetOut<W: Write + Send> {
    file: SerializedFileWriter<W>,
    schema: SchemaRef,
    props: WriterPropertiesPtr,
    max_rows: usize,
    pending: Vec<RecordBatch>,
    pending_rows: usize,
    pending_bytes: usize,
    path: PathBuf,
}

impl<W: Write + Send> ParquetOut<W> {
    /// Starts a file on `out` (the arrow schema is stored in the footer, like `ArrowWriter` does).
    pub(crate) fn new(
        out: W,
        schema: SchemaRef,
        props: parquet::file::properties::WriterProperties,
        path: &Path,
    ) -> Result<Self> {
        let max_rows = props.max_row_group_size().max(1);
        let fail = fail(path);
        let (file, _) = ArrowWriter::try_new(out, schema.clone(), Some(props))
            .and_then(ArrowWriter::into_serialized_writer)
            .map_err(fail)?;
        let props = file.properties().clone();
        Ok(Self {
            file,
            schema,
            props,
            max_rows,
            pending: Vec::new(),
            pending_rows: 0,
            pending_bytes: 0,
            path: path.to_owned(),
        })
    }

    /// Buffers `batch`, writing out row groups as they fill up.
    pub(crate) fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let mut batch = batch.clone();
        while batch.num_rows() > 0 {
            let room = self.max_rows - self.pending_rows;
            let take = batch.num_rows().min(room);
            let head = batch.slice(0, take);
            batch = batch.slice(take, batch.num_rows() - take);
            self.pending_rows += take;
            self.pending_bytes += head.get_array_memory_size();
            self.pending.push(head);
            if self.pending_rows >= self.max_rows || self.pending_bytes >= ROW_GROUP_BYTES {
                self.flush()?;
            }
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group, column by column.
    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let fail = fail(&self.path);
        let descr = self.file.schema_descr().root_schema_ptr();
        let mut group = self.file.next_row_group().map_err(fail)?;
        for (i, field) in self.schema.fields().iter().enumerate() {
            // A one-field schema makes writers for just this field's leaf columns; the leaf
            // descriptors are the file's own, so the row group accepts their chunks.
            let root = Type::group_type_builder(descr.name())
                .with_fields(vec![descr.get_fields()[i].clone()])
                .build()
                .map_err(fail)?;
            let one = SchemaDescriptor::new(Arc::new(root));
            let arrow_one = Arc::new(Schema::new(vec![field.clone()]));
            #[allow(deprecated)] // FIXME(#13): its replacement only makes writers for every column
            let mut writers = parquet::arrow::arrow_writer::get_column_writers(&one, &self.props, &arrow_one)
                .map_err(fail)?;
            for batch in &self.pending {
                let leaves = compute_leaves(field, batch.column(i)).map_err(fail)?;
                for (writer, leaf) in writers.iter_mut().zip(&leaves) {
                    writer.write(leaf).map_err(fail)?;
                }
            }
            for writer in writers {
                writer
                    .close()
                    .and_then(|c| c.append_to_row_group(&mut group))
                    .map_err(fail)?;
            }
        }
        group.close().map_err(fail)?;
        self.pending.clear();
        self.pending_rows = 0;
        self.pending_bytes = 0;
        Ok(())
    }

    /// Writes the last row group and the footer; returns the sink.
    pub(crate) fn into_inner(mut self) -> Result<W> {
        self.flush()?;
        let fail = fail(&self.path);
        self.file.into_inner().map_err(fail)
    }
}

fn fail(path: &Path) -> impl Fn(ParquetError) -> Error + Copy + '_ {
    move |source| Error::ParquetWrite {
        path: path.to_owned(),
        source,
    }
}

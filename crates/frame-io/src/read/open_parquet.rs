//! Opening Parquet files for [`FrameReader`]: the footer is checked before parquet parses it.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};

use super::{contain_panic, io_err, FrameReader, Inner};
use crate::limits::rows_per_batch;
use crate::pandas::PandasIndex;
use crate::{Error, Format, ReadOptions, Result};

/// Opens a Parquet file: footer check, metadata, and the plain or the column-group reader.
pub(super) fn open(path: &Path, options: &ReadOptions) -> Result<FrameReader> {
    let mut file = File::open(path).map_err(io_err(path, "open"))?;
    let total_bytes = file.metadata().map_err(io_err(path, "read"))?.len();
    crate::footer::check(&mut file, total_bytes).map_err(|detail| Error::ParquetCorrupt {
        path: path.to_owned(),
        detail,
    })?;
    let spare = file.try_clone().map_err(io_err(path, "open"))?;
    let builder = contain_panic(|| ParquetRecordBatchReaderBuilder::try_new(file))
        .map_err(|detail| Error::ParquetCorrupt {
            path: path.to_owned(),
            detail,
        })?
        .map_err(|source| Error::Parquet {
            path: path.to_owned(),
            source,
        })?;
    let total_rows = u64::try_from(builder.metadata().file_metadata().num_rows()).ok();
    let schema = builder.schema().clone();
    let pandas_index = PandasIndex::from_metadata(schema.metadata());
    // Leaf columns: a nested field is several Parquet columns, each with its own reader.
    let columns = builder.parquet_schema().num_columns().max(schema.fields().len());
    let batch_rows = rows_per_batch(options.batch_size, columns);
    let corrupt = |detail| Error::ParquetCorrupt {
        path: path.to_owned(),
        detail,
    };
    let inner = if crate::parquet_wide::suits(builder.metadata()) {
        let meta = builder.metadata().clone();
        let wide =
            contain_panic(|| crate::parquet_wide::WideParquet::new(spare, meta, schema.clone(), batch_rows))
                .map_err(corrupt)?
                .map_err(|source| Error::Parquet {
                    path: path.to_owned(),
                    source,
                })?;
        Inner::WideParquet(Box::new(wide))
    } else {
        Inner::Parquet(Box::new(build_reader(builder, batch_rows, path)?))
    };
    Ok(FrameReader {
        path: path.to_owned(),
        format: Format::Parquet,
        schema,
        pandas_index,
        total_bytes,
        read_bytes: Arc::new(AtomicU64::new(0)),
        total_rows,
        rows_read: 0,
        batch_rows,
        record_limit: options.csv.max_record_bytes,
        too_long: Arc::new(AtomicU64::new(0)),
        inner,
    })
}

fn build_reader(
    builder: ParquetRecordBatchReaderBuilder<File>,
    batch_rows: usize,
    path: &Path,
) -> Result<ParquetRecordBatchReader> {
    builder
        .with_batch_size(batch_rows)
        .build()
        .map_err(|source| Error::Parquet {
            path: path.to_owned(),
            source,
        })
}

//! Reading CSV and Parquet files into arrow record batches, streaming or all at once.

use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReader;

mod open_parquet;

use crate::limits::{rows_per_batch, Guard, MAX_RECORD_BYTES};
use crate::pandas::PandasIndex;
use crate::{Error, Format, Frame, Result};

/// Rows per record batch unless told otherwise: small enough for bounded memory, large enough to be fast.
/// Wide files get fewer rows per batch, see [`MAX_BATCH_CELLS`](crate::MAX_BATCH_CELLS).
pub const DEFAULT_BATCH_SIZE: usize = 64 * 1024;

/// How CSV files are read.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// How many records schema inference looks at (`None`: the whole file, which reads it twice).
    pub infer_rows: Option<usize>,
    /// Explicit column types that replace inferred ones, e.g. `("id", DataType::Utf8)`.
    pub overrides: Vec<(String, DataType)>,
    /// The longest record (line) accepted, in bytes; a longer one is [`Error::RecordTooLong`].
    /// Memory for reading a file is bounded by a small multiple of this.
    pub max_record_bytes: usize,
}

impl Default for CsvOptions {
    /// Infers from the first 10 000 records, no overrides, records up to [`MAX_RECORD_BYTES`].
    fn default() -> Self {
        Self {
            infer_rows: Some(10_000),
            overrides: Vec::new(),
            max_record_bytes: MAX_RECORD_BYTES,
        }
    }
}

/// How a frame file is opened.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force a format instead of going by the extension / magic bytes.
    pub format: Option<Format>,
    /// CSV parsing options.
    pub csv: CsvOptions,
    /// Rows per record batch at most; wide files get fewer, see [`MAX_BATCH_CELLS`](crate::MAX_BATCH_CELLS).
    pub batch_size: usize,
}

impl Default for ReadOptions {
    /// Auto-detected format, default CSV options, [`DEFAULT_BATCH_SIZE`] rows per batch.
    fn default() -> Self {
        Self {
            format: None,
            csv: CsvOptions::default(),
            batch_size: DEFAULT_BATCH_SIZE,
        }
    }
}

/// A streaming reader: an iterator of record batches over a CSV or Parquet file.
///
/// Memory stays bounded by one batch (CSV) or one row group's compressed column chunks (Parquet),
/// whatever the number of columns: batches of wide files have fewer rows.
pub struct FrameReader {
    path: PathBuf,
    format: Format,
    schema: SchemaRef,
    pandas_index: PandasIndex,
    total_bytes: u64,
    read_bytes: Arc<AtomicU64>,
    total_rows: Option<u64>,
    rows_read: u64,
    /// Rows per batch (the requested batch size, smaller for wide files).
    batch_rows: usize,
    /// The CSV record cap, and the line of the record that exceeded it (0: none did).
    record_limit: usize,
    too_long: Arc<AtomicU64>,
    inner: Inner,
}

enum Inner {
    Csv(Box<arrow::csv::reader::BufReader<BufReader<Guard<File>>>>),
    Parquet(Box<ParquetRecordBatchReader>),
    /// A very wide Parquet file, read a group of columns at a time.
    WideParquet(Box<crate::parquet_wide::WideParquet>),
    /// A corrupt file stopped the reader; nothing more comes out.
    Done,
}

thread_local! {
    static CONTAINING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the current thread is inside a parquet/arrow decoder call whose panics frame-io turns
/// into [`Error::ParquetCorrupt`]; a panic hook can stay quiet for those.
pub fn panic_is_contained() -> bool {
    CONTAINING.with(std::cell::Cell::get)
}

/// Runs `f`, turning a panic inside it into its message.
fn contain_panic<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    CONTAINING.with(|c| c.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "decoder panicked".to_owned())
    })
}

impl std::fmt::Debug for FrameReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrameReader")
            .field("path", &self.path)
            .field("format", &self.format)
            .field("schema", &self.schema)
            .field("rows_read", &self.rows_read)
            .finish_non_exhaustive()
    }
}

impl FrameReader {
    /// Opens `path` with default options (format from the extension, CSV schema inferred).
    ///
    /// # Errors
    /// See [`FrameReader::open_with`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, &ReadOptions::default())
    }

    /// Opens `path` for streaming.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be opened, [`Error::UnknownFormat`], [`Error::Empty`],
    /// [`Error::NotUtf8`] or [`Error::Csv`] for a bad CSV header, [`Error::Parquet`] for a damaged
    /// Parquet footer, [`Error::UnknownColumn`] for an override naming a missing column.
    pub fn open_with(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Self> {
        let path = path.as_ref();
        let format = match options.format {
            Some(f) => f,
            None => Format::detect(path)?,
        };
        match format {
            Format::Csv => open_csv(path, options),
            Format::Parquet => open_parquet::open(path, options),
        }
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The arrow schema of every batch.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// Index columns recorded in the pandas metadata of a Parquet file.
    pub fn pandas_index(&self) -> &PandasIndex {
        &self.pandas_index
    }

    /// The file size in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// Total rows when known up front (Parquet), `None` for CSV.
    pub fn total_rows(&self) -> Option<u64> {
        self.total_rows
    }

    /// Approximately how many bytes of the file have been consumed so far (for progress bars).
    pub fn bytes_done(&self) -> u64 {
        match (&self.inner, self.total_rows) {
            (Inner::Csv(_), _) => self.read_bytes.load(Ordering::Relaxed).min(self.total_bytes),
            (Inner::Parquet(_) | Inner::WideParquet(_), Some(total)) if total > 0 => {
                ((self.rows_read as f64 / total as f64) * self.total_bytes as f64) as u64
            }
            (Inner::Parquet(_) | Inner::WideParquet(_), _) | (Inner::Done, _) => self.total_bytes,
        }
    }

    /// Rows per batch: the requested batch size, fewer for wide files.
    pub(crate) fn batch_rows(&self) -> usize {
        self.batch_rows
    }

    /// The longest CSV record accepted, in bytes.
    pub(crate) fn record_limit(&self) -> usize {
        self.record_limit
    }

    /// Reads every remaining batch into a [`Frame`].
    ///
    /// # Errors
    /// The first decoding error, naming the file (and line for CSV).
    pub fn read_all(self) -> Result<Frame> {
        let schema = self.schema.clone();
        let pandas = self.pandas_index.clone();
        let batches = self.collect::<Result<Vec<_>>>()?;
        Ok(Frame::from_parts(schema, batches, pandas))
    }
}

impl Iterator for FrameReader {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = match &mut self.inner {
            Inner::Csv(r) => r.next().map(|res| {
                res.map_err(|e| match e {
                    _ if self.too_long.load(Ordering::Relaxed) != 0 => Error::RecordTooLong {
                        path: self.path.clone(),
                        line: self.too_long.load(Ordering::Relaxed),
                        limit: self.record_limit as u64,
                    },
                    // arrow numbers records from 0 (the header is record 0); report file lines.
                    ArrowError::ParseError(msg) => Error::Csv {
                        path: self.path.clone(),
                        source: ArrowError::ParseError(crate::csv_par::shift_line(&msg, 1)),
                    },
                    e => Error::from_csv(self.path.clone(), e),
                })
            }),
            Inner::Parquet(_) | Inner::WideParquet(_) => {
                // parquet-rs can panic on corrupt pages instead of returning an error; contain it
                // so a bad file is an error, never a crash (fuzz target `parquet_read`).
                let next = match &mut self.inner {
                    Inner::Parquet(r) => contain_panic(|| r.next()),
                    Inner::WideParquet(r) => contain_panic(|| r.next_batch()),
                    _ => Ok(None),
                };
                match next {
                    Ok(next) => next.map(|res| {
                        res.map_err(|source| Error::ParquetDecode {
                            path: self.path.clone(),
                            source,
                        })
                    }),
                    Err(detail) => {
                        self.inner = Inner::Done;
                        Some(Err(Error::ParquetCorrupt {
                            path: self.path.clone(),
                            detail,
                        }))
                    }
                }
            }
            Inner::Done => None,
        };
        match &item {
            Some(Ok(batch)) => self.rows_read += batch.num_rows() as u64,
            // A CSV reader does not recover from a failed read; stop cleanly.
            Some(Err(Error::RecordTooLong { .. })) => self.inner = Inner::Done,
            _ => {}
        }
        item
    }
}

/// Reads a whole CSV or Parquet file into memory.
///
/// # Errors
/// See [`FrameReader::open_with`] and [`FrameReader::read_all`].
pub fn read_frame(path: impl AsRef<Path>) -> Result<Frame> {
    FrameReader::open(path)?.read_all()
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Consumes a UTF-8 byte-order mark at the start of `reader` if there is one.
fn skip_bom<R: BufRead>(reader: &mut R) -> std::io::Result<()> {
    let buf = reader.fill_buf()?;
    if buf.starts_with(BOM) {
        reader.consume(BOM.len());
    }
    Ok(())
}

fn io_err<'a>(path: &'a Path, op: &'static str) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::Io {
        path: path.to_owned(),
        op,
        source,
    }
}

fn open_csv(path: &Path, options: &ReadOptions) -> Result<FrameReader> {
    let mut file = File::open(path).map_err(io_err(path, "open"))?;
    let total_bytes = file.metadata().map_err(io_err(path, "read"))?.len();
    let limit = options.csv.max_record_bytes.max(1);
    let too_long = |line| Error::RecordTooLong {
        path: path.to_owned(),
        line,
        limit: limit as u64,
    };
    let schema = {
        // Inference buffers whole records too, so it reads through the record cap as well.
        let guard = Guard::new(&mut file, limit);
        let tripped = guard.tripped();
        let mut buf = BufReader::new(guard);
        let checked = |e: std::io::Error| match tripped.load(Ordering::Relaxed) {
            0 => io_err(path, "read")(e),
            line => too_long(line),
        };
        skip_bom(&mut buf).map_err(checked)?;
        if buf.fill_buf().map_err(checked)?.is_empty() {
            return Err(Error::Empty {
                path: path.to_owned(),
            });
        }
        let format = arrow::csv::reader::Format::default().with_header(true);
        let (schema, _) = format
            .infer_schema(&mut buf, options.csv.infer_rows)
            .map_err(|e| match tripped.load(Ordering::Relaxed) {
                0 => Error::from_csv(path.to_owned(), e),
                line => too_long(line),
            })?;
        apply_overrides(path, schema, &options.csv.overrides)?
    };
    if schema.fields().is_empty() {
        return Err(Error::Empty {
            path: path.to_owned(),
        });
    }
    file.seek(SeekFrom::Start(0)).map_err(io_err(path, "read"))?;
    let guard = Guard::new(file, limit);
    let (read_bytes, tripped) = (guard.counter(), guard.tripped());
    let mut buf = BufReader::with_capacity(1 << 20, guard);
    skip_bom(&mut buf).map_err(|e| match tripped.load(Ordering::Relaxed) {
        0 => io_err(path, "read")(e),
        line => too_long(line),
    })?;
    let schema = Arc::new(schema);
    let batch_rows = rows_per_batch(options.batch_size, schema.fields().len());
    let reader = arrow::csv::ReaderBuilder::new(schema.clone())
        .with_header(true)
        .with_batch_size(batch_rows)
        .build_buffered(buf)
        .map_err(|e| Error::from_csv(path.to_owned(), e))?;
    Ok(FrameReader {
        path: path.to_owned(),
        format: Format::Csv,
        schema,
        pandas_index: PandasIndex::default(),
        total_bytes,
        read_bytes,
        total_rows: None,
        rows_read: 0,
        batch_rows,
        record_limit: limit,
        too_long: tripped,
        inner: Inner::Csv(Box::new(reader)),
    })
}

fn apply_overrides(path: &Path, schema: Schema, overrides: &[(String, DataType)]) -> Result<Schema> {
    if overrides.is_empty() {
        return Ok(schema);
    }
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    for (name, ty) in overrides {
        let Some(field) = fields.iter_mut().find(|f| f.name() == name) else {
            return Err(Error::UnknownColumn {
                path: path.to_owned(),
                column: name.clone(),
                available: schema.fields().iter().map(|f| f.name().clone()).collect(),
            });
        };
        *field = Field::new(name, ty.clone(), true);
    }
    Ok(Schema::new_with_metadata(fields, schema.metadata().clone()))
}

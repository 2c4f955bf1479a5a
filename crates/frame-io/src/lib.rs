//! CSV and Parquet frames on arrow: read, write, convert, inspect and validate predictions.
//!
//! * [`FrameReader`] streams a CSV or Parquet file as arrow [`RecordBatch`]es; [`read_frame`]
//!   collects one into a [`Frame`].
//! * [`CsvWriter`] writes CSV exactly like `pandas.DataFrame.to_csv(index=False)`;
//!   [`to_csv_bytes`] and [`to_parquet_bytes`] build upload bodies in memory.
//! * [`convert()`] converts CSV ↔ Parquet in bounded memory, atomically: CSV input is parsed by
//!   one worker thread per core (at least two) while the calling thread encodes and writes.
//! * [`validate`] checks prediction files against named [`RuleSet`]s and reports every violation.
//! * [`inspect()`] summarises a file: schema, rows, nulls, min/max, first rows.
//!
//! # Bounded against hostile files
//!
//! Memory does not grow with a file's shape (10,000 columns × 10 rows: validate, inspect and
//! convert both ways each peak under 50 MiB).
//!
//! * A CSV record (a line, or several when a quoted field spans lines) may hold at most
//!   [`MAX_RECORD_BYTES`] (16 MiB; [`CsvOptions::max_record_bytes`] changes it): a longer one is
//!   [`Error::RecordTooLong`], naming the line, and is never buffered whole.
//! * A batch holds at most [`MAX_BATCH_CELLS`] cells, so a wide file is read a few rows at a time.
//! * Parquet output is encoded one column at a time, with row groups cut at 16 MiB as well as by
//!   rows; files over 1,000 columns are written without dictionaries. Wide Parquet input with
//!   small row groups is decoded 256 columns at a time.
//! * Parquet input is distrusted: its footer is checked before the parquet crate parses it, and
//!   decoder panics on corrupt pages become [`Error::ParquetCorrupt`].
//!
//! ```no_run
//! use frame_io::{convert, validate, ConvertOptions, RuleSet};
//! # fn main() -> frame_io::Result<()> {
//! let report = convert("preds.csv".as_ref(), "preds.parquet".as_ref(), &ConvertOptions::default(), None)?;
//! println!("{} rows", report.rows);
//!
//! let rules = RuleSet::by_name("numerai-classic")?;
//! let check = validate::validate_path("preds.csv".as_ref(), rules, None);
//! if !check.is_valid() {
//!     eprintln!("{check}");
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod convert;
mod csv_par;
mod csv_write;
mod error;
mod footer;
mod format;
mod frame;
mod inspect;
mod limits;
pub mod pandas;
mod parquet_out;
mod parquet_wide;
mod read;
pub mod validate;
mod write;

/// The arrow version frame-io is built on, for callers that build or inspect batches.
pub use arrow;
pub use arrow::record_batch::RecordBatch;
pub use convert::{convert, ConvertOptions, ConvertReport, ProgressFn, QUEUE_DEPTH};
pub use csv_write::{CsvWriteError, CsvWriter};
pub use error::{Error, Result};
pub use format::{Compression, Format};
pub use frame::Frame;
pub use inspect::{inspect, ColumnSummary, Inspection};
pub use limits::{MAX_BATCH_CELLS, MAX_RECORD_BYTES};
pub use read::{panic_is_contained, read_frame, CsvOptions, FrameReader, ReadOptions, DEFAULT_BATCH_SIZE};
pub use validate::{validate_path, RuleSet, ValidationReport};
pub use write::{to_csv_bytes, to_parquet_bytes, ParquetOptions};

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

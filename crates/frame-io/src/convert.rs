//! Streaming CSV ↔ Parquet conversion in bounded memory, written atomically.
//!
//! A reading thread decodes the input batch by batch (CSV is parsed in chunks by one worker per
//! core, at least two, see `csv_par`) while the calling thread encodes and writes the output,
//! connected by a channel that holds at most [`QUEUE_DEPTH`] batches, so memory stays bounded by
//! a few batches plus one Parquet row group whatever the input size. The output goes through the
//! `mkt-fs` writer: a temporary file next to the destination, put in place only on success.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;

use arrow::datatypes::{Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use serde::Serialize;

use crate::write::parquet_writer;
use crate::{Error, Format, FrameReader, ParquetOptions, ReadOptions, Result};

/// Decoded batches allowed in flight between the reading and the writing thread.
pub const QUEUE_DEPTH: usize = 2;

/// How a conversion runs.
#[derive(Debug, Clone, Default)]
pub struct ConvertOptions {
    /// Output format; `None` means "from the output extension".
    pub output_format: Option<Format>,
    /// How the input is read (input format, CSV inference, batch size).
    pub read: ReadOptions,
    /// Parquet output settings.
    pub parquet: ParquetOptions,
    /// Bytes per chunk when CSV input is parsed on several threads (`None`: 256 KiB).
    pub chunk_bytes: Option<usize>,
}

/// What a finished conversion did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConvertReport {
    /// Input file.
    pub input: PathBuf,
    /// Output file.
    pub output: PathBuf,
    /// Input format.
    pub input_format: Format,
    /// Output format.
    pub output_format: Format,
    /// Rows written.
    pub rows: u64,
    /// Input size in bytes.
    pub input_bytes: u64,
    /// Output size in bytes.
    pub output_bytes: u64,
    /// pandas-generated index columns that were left out (`__index_level_0__`).
    pub dropped_columns: Vec<String>,
}

/// A progress callback: `(bytes of input consumed, total input bytes)`.
pub type ProgressFn<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// Converts `input` to `output` batch by batch.
///
/// pandas-generated index columns (`__index_level_N__`) are not written, so a pandas Parquet file
/// becomes the CSV `to_csv(index=False)` would write. Floats survive CSV → Parquet → CSV bit-exactly.
///
/// # Errors
/// Any read error of `input` (naming the file and, for CSV, the line), [`Error::UnknownFormat`]
/// when the output format cannot be told from its name, I/O and encoding errors naming `output`.
/// On error the destination is left untouched.
pub fn convert(
    input: &Path,
    output: &Path,
    options: &ConvertOptions,
    progress: Option<ProgressFn<'_>>,
) -> Result<ConvertReport> {
    let dest = mkt_fs::Destination::user(output).distinct_from(input).resolve()?;
    convert_to(input, &dest, options, progress)
}

/// [`convert`] into a resolved [`mkt_fs::Destination`] (standard output, a device, or a file
/// replaced atomically). Stops with [`Error::Write`] (interrupted) within one batch of a
/// process-wide [`mkt_fs::cancel::interrupt`].
///
/// # Errors
/// As [`convert`].
pub fn convert_to(
    input: &Path,
    dest: &mkt_fs::Destination,
    options: &ConvertOptions,
    progress: Option<ProgressFn<'_>>,
) -> Result<ConvertReport> {
    let output = dest.shown();
    let output_format = match options.output_format {
        Some(f) => f,
        None => Format::from_extension(output).ok_or_else(|| Error::UnknownFormat {
            path: output.to_owned(),
        })?,
    };
    let reader = FrameReader::open_with(input, &options.read)?;
    let input_format = reader.format();
    let input_bytes = reader.total_bytes();
    let in_schema = reader.schema();
    let keep: Vec<usize> = in_schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| !reader.pandas_index().is_generated(f.name()))
        .map(|(i, _)| i)
        .collect();
    let dropped_columns: Vec<String> = in_schema
        .fields()
        .iter()
        .filter(|f| reader.pandas_index().is_generated(f.name()))
        .map(|f| f.name().clone())
        .collect();
    let out_schema = output_schema(&in_schema, &keep, !dropped_columns.is_empty());

    let mut out = dest.create()?;

    let (tx, rx) = mpsc::sync_channel::<Result<Chunk>>(QUEUE_DEPTH);
    let encode_csv = output_format == Format::Csv;
    let input_path = input.to_owned();
    let rows = std::thread::scope(|scope| -> Result<u64> {
        let producer_schema = out_schema.clone();
        let parallel_csv = input_format == Format::Csv && keep.len() == in_schema.fields().len();
        let batch_size = reader.batch_rows();
        let max_record = reader.record_limit();
        let chunk_bytes = options.chunk_bytes.unwrap_or(crate::csv_par::CHUNK_BYTES);
        let producer = scope.spawn(move || {
            if parallel_csv {
                let job = crate::csv_par::CsvJob {
                    path: reader.path(),
                    schema: reader.schema(),
                    batch_size,
                    encode_csv,
                    chunk_bytes,
                    max_record,
                };
                crate::csv_par::produce(&job, &tx);
                Ok(())
            } else {
                produce(reader, &keep, &producer_schema, encode_csv, &tx)
            }
        });
        let written = consume(
            &rx,
            &mut out,
            output,
            output_format,
            &out_schema,
            options,
            input_bytes,
            progress,
        );
        // Unblock the producer if the writer stopped early, then wait for it.
        drop(rx);
        let produced = producer.join().map_err(|_| Error::WorkerPanicked {
            path: input_path.clone(),
        })?;
        produced?;
        written
    })?;

    out.commit()?;
    let output_bytes = dest
        .path()
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or(0, |m| m.len());
    Ok(ConvertReport {
        input: input.to_owned(),
        output: output.to_owned(),
        input_format,
        output_format,
        rows,
        input_bytes,
        output_bytes,
        dropped_columns,
    })
}

/// The output schema: the kept fields, without pandas metadata when index columns were dropped
/// (it would describe columns that are gone).
fn output_schema(schema: &SchemaRef, keep: &[usize], dropped: bool) -> SchemaRef {
    if !dropped {
        return schema.clone();
    }
    let fields: Vec<_> = keep.iter().map(|&i| schema.field(i).clone()).collect();
    let mut metadata = schema.metadata().clone();
    metadata.remove("pandas");
    Arc::new(Schema::new_with_metadata(fields, metadata))
}

/// What the reading thread hands to the writing thread.
pub(crate) struct Chunk {
    /// A decoded batch (Parquet output) or its rows already encoded as CSV (CSV output, so the
    /// costly float formatting runs on the reading thread while the writer does the I/O).
    pub(crate) payload: Payload,
    pub(crate) rows: u64,
    /// Input bytes consumed so far.
    pub(crate) done: u64,
}

pub(crate) enum Payload {
    Batch(RecordBatch),
    Csv(Vec<u8>),
}

/// Reads batches and sends them with the input position; stops quietly when the receiver is gone.
fn produce(
    mut reader: FrameReader,
    keep: &[usize],
    schema: &SchemaRef,
    encode_csv: bool,
    tx: &mpsc::SyncSender<Result<Chunk>>,
) -> Result<()> {
    let all = keep.len() == reader.schema().fields().len();
    let path = reader.path().to_owned();
    while let Some(item) = reader.next() {
        let item = item.and_then(|b| {
            let batch = if all {
                b
            } else {
                let columns = keep.iter().map(|&i| b.column(i).clone()).collect();
                RecordBatch::try_new(schema.clone(), columns).map_err(|source| Error::Arrow {
                    path: path.clone(),
                    source,
                })?
            };
            let rows = batch.num_rows() as u64;
            let payload = if encode_csv {
                let mut buf = Vec::with_capacity(batch.get_array_memory_size() * 2);
                crate::csv_write::encode_rows(&batch, &mut buf).map_err(|source| Error::Arrow {
                    path: path.clone(),
                    source,
                })?;
                Payload::Csv(buf)
            } else {
                Payload::Batch(batch)
            };
            Ok(Chunk {
                payload,
                rows,
                done: reader.bytes_done(),
            })
        });
        let failed = item.is_err();
        if tx.send(item).is_err() || failed {
            break;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn consume(
    rx: &mpsc::Receiver<Result<Chunk>>,
    file: &mut mkt_fs::Output,
    output: &Path,
    format: Format,
    schema: &SchemaRef,
    options: &ConvertOptions,
    total: u64,
    progress: Option<ProgressFn<'_>>,
) -> Result<u64> {
    let out = BufWriter::with_capacity(1 << 20, file);
    let mut rows = 0u64;
    let report = |done: u64| {
        if let Some(p) = progress {
            p(done, total);
        }
    };
    match format {
        Format::Csv => {
            let mut out = out;
            let mut header = Vec::new();
            crate::csv_write::encode_header(schema, &mut header);
            let write_err = |source| Error::Io {
                path: output.to_owned(),
                op: "write",
                source,
            };
            out.write_all(&header).map_err(write_err)?;
            for item in rx {
                mkt_fs::cancel::check()?;
                let chunk = item?;
                match &chunk.payload {
                    Payload::Csv(bytes) => out.write_all(bytes).map_err(write_err)?,
                    Payload::Batch(batch) => {
                        let mut buf = Vec::new();
                        crate::csv_write::encode_rows(batch, &mut buf).map_err(|source| Error::Arrow {
                            path: output.to_owned(),
                            source,
                        })?;
                        out.write_all(&buf).map_err(write_err)?;
                    }
                }
                rows += chunk.rows;
                report(chunk.done);
            }
            out.flush().map_err(write_err)?;
        }
        Format::Parquet => {
            // The writer is created at the first batch, which decides where dictionaries pay off.
            let mut out = Some(out);
            let mut writer = None;
            for item in rx {
                mkt_fs::cancel::check()?;
                let chunk = item?;
                let Payload::Batch(batch) = chunk.payload else {
                    continue;
                };
                let done = chunk.done;
                if writer.is_none() {
                    let sink = out.take().ok_or_else(|| Error::WorkerPanicked {
                        path: output.to_owned(),
                    })?;
                    writer = Some(parquet_writer(
                        sink,
                        schema.clone(),
                        &options.parquet,
                        Some(&batch),
                        output,
                    )?);
                }
                let Some(writer) = writer.as_mut() else { continue };
                writer.write(&batch)?;
                rows += batch.num_rows() as u64;
                report(done);
            }
            let writer = match (writer, out) {
                (Some(w), _) => w,
                (None, Some(sink)) => parquet_writer(sink, schema.clone(), &options.parquet, None, output)?,
                (None, None) => {
                    return Err(Error::WorkerPanicked {
                        path: output.to_owned(),
                    })
                }
            };
            let mut out = writer.into_inner()?;
            out.flush().map_err(|source| Error::Io {
                path: output.to_owned(),
                op: "write",
                source,
            })?;
        }
    }
    Ok(rows)
}

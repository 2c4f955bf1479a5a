//! Parallel CSV decoding for conversions: split the file at record boundaries into chunks, parse
//! the chunks on worker threads, and hand the batches on in file order.
//!
//! A record boundary is a `\n` outside quotes: with RFC 4180 quoting (`""` inside quoted fields)
//! a newline ends a record exactly when an even number of `"` precede it in the chunk, since every
//! chunk starts at a boundary. Line numbers in errors are translated back to file lines.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use arrow::datatypes::SchemaRef;
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;

use crate::convert::{Chunk, Payload};
use crate::{Error, Result};

/// Bytes per chunk handed to a worker.
pub(crate) const CHUNK_BYTES: usize = 256 << 10;

struct Job {
    seq: u64,
    /// File offset just after the chunk (for progress).
    end: u64,
    bytes: Vec<u8>,
}

/// What a parallel CSV read needs.
pub(crate) struct CsvJob<'a> {
    pub path: &'a Path,
    pub schema: SchemaRef,
    pub batch_size: usize,
    pub encode_csv: bool,
    pub chunk_bytes: usize,
    /// The longest record accepted, in bytes.
    pub max_record: usize,
}

/// Decodes the CSV file and sends its chunks, in order, to `tx`.
pub(crate) fn produce(job: &CsvJob<'_>, tx: &SyncSender<Result<Chunk>>) {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2);
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(workers);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (res_tx, res_rx) = mpsc::sync_channel::<(u64, Result<Vec<Chunk>>)>(workers);
    std::thread::scope(|scope| {
        let split_tx = res_tx.clone();
        scope.spawn(move || {
            if let Err((seq, e)) = split(job.path, job.chunk_bytes, job.max_record, &job_tx) {
                let _ = split_tx.send((seq, Err(e)));
            }
        });
        for _ in 0..workers {
            let (rx, res_tx) = (job_rx.clone(), res_tx.clone());
            scope.spawn(move || work(job, &rx, &res_tx));
        }
        // Only the workers may hold the job queue: once they all stop (the consumer went away
        // after an error or an interruption), the splitter's next send must fail instead of
        // blocking forever on a full queue, which would hang this scope and the caller with it.
        drop(job_rx);
        drop(res_tx);
        reorder(res_rx, tx);
    });
}

/// Forwards results in sequence order; returning drops `results`, which stops the workers.
///
/// Errors carry chunk-relative line numbers; one record is one row, so the rows forwarded so far
/// give the file line of the failing chunk's first record (the header is line 1).
fn reorder(results: Receiver<(u64, Result<Vec<Chunk>>)>, tx: &SyncSender<Result<Chunk>>) {
    let mut next = 0u64;
    let mut rows = 0u64;
    let mut pending = BTreeMap::new();
    for (seq, res) in results.iter() {
        pending.insert(seq, res);
        while let Some(res) = pending.remove(&next) {
            next += 1;
            match res {
                Ok(chunks) => {
                    for c in chunks {
                        rows += c.rows;
                        if tx.send(Ok(c)).is_err() {
                            return;
                        }
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(relocate(e, rows + 2)));
                    return;
                }
            }
        }
    }
}

fn work(job: &CsvJob<'_>, jobs: &Mutex<Receiver<Job>>, results: &SyncSender<(u64, Result<Vec<Chunk>>)>) {
    loop {
        let next = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = next else { return };
        let res = decode(job, &chunk);
        if results.send((chunk.seq, res)).is_err() {
            return;
        }
    }
}

fn decode(job: &CsvJob<'_>, chunk: &Job) -> Result<Vec<Chunk>> {
    let fail = |e: ArrowError| Error::from_csv(job.path.to_owned(), e);
    let mut decoder = arrow::csv::ReaderBuilder::new(job.schema.clone())
        .with_header(false)
        .with_batch_size(job.batch_size.max(1))
        .build_decoder();
    let mut batches: Vec<RecordBatch> = Vec::new();
    let mut rest = &chunk.bytes[..];
    loop {
        let n = decoder.decode(rest).map_err(fail)?;
        rest = &rest[n..];
        if rest.is_empty() {
            // End of input: completes a last record without a trailing newline.
            decoder.decode(&[]).map_err(fail)?;
        }
        if rest.is_empty() || decoder.capacity() == 0 {
            if let Some(b) = decoder.flush().map_err(fail)? {
                batches.push(b);
            }
        }
        if rest.is_empty() {
            break;
        }
    }
    batches
        .into_iter()
        .map(|batch| {
            let rows = batch.num_rows() as u64;
            let payload = if job.encode_csv {
                let mut buf = Vec::with_capacity(chunk.bytes.len());
                crate::csv_write::encode_rows(&batch, &mut buf).map_err(|source| Error::Arrow {
                    path: job.path.to_owned(),
                    source,
                })?;
                Payload::Csv(buf)
            } else {
                Payload::Batch(batch)
            };
            Ok(Chunk {
                payload,
                rows,
                done: chunk.end,
            })
        })
        .collect()
}

/// Turns chunk-relative line numbers into file line numbers.
fn relocate(err: Error, first_line: u64) -> Error {
    let shift = first_line - 1;
    match err {
        Error::RaggedRow {
            path,
            line,
            expected,
            found,
        } => Error::RaggedRow {
            path,
            line: line + shift,
            expected,
            found,
        },
        Error::NotUtf8 { path, line } => Error::NotUtf8 {
            path,
            line: line + shift,
        },
        Error::RecordTooLong { path, line, limit } => Error::RecordTooLong {
            path,
            line: line + shift,
            limit,
        },
        Error::Csv {
            path,
            source: ArrowError::ParseError(msg),
        } => Error::Csv {
            path,
            // Value errors count records from 0, structural ones from 1.
            source: ArrowError::ParseError(shift_line(&msg, first_line)),
        },
        other => other,
    }
}

/// Rewrites the number after "at line " in an arrow parse message.
pub(crate) fn shift_line(msg: &str, shift: u64) -> String {
    let Some(pos) = msg.find(" at line ") else {
        return msg.to_owned();
    };
    let start = pos + " at line ".len();
    let digits = msg[start..].bytes().take_while(u8::is_ascii_digit).count();
    match msg[start..start + digits].parse::<u64>() {
        Ok(n) => format!("{}{}{}", &msg[..start], n + shift, &msg[start + digits..]),
        Err(_) => msg.to_owned(),
    }
}

/// Index just past the last record boundary in `buf`.
fn last_boundary(buf: &[u8]) -> Option<usize> {
    if !buf.contains(&b'"') {
        return buf.iter().rposition(|&b| b == b'\n').map(|i| i + 1);
    }
    let mut in_quotes = false;
    let mut last = None;
    for (i, &b) in buf.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => last = Some(i + 1),
            _ => {}
        }
    }
    last
}

/// Reads the file in chunks cut at record boundaries; the header (and BOM) are skipped.
///
/// A chunk holds whole records, so one record longer than `max_record` would make it grow without
/// bound: that is an error naming the record (line 1 of the chunk it starts).
fn split(
    path: &Path,
    chunk_bytes: usize,
    max_record: usize,
    jobs: &SyncSender<Job>,
) -> Result<(), (u64, Error)> {
    // With chunks no larger than the cap, a record over the cap always shows up as a chunk
    // without a boundary that has grown past the cap.
    let chunk_bytes = chunk_bytes.min(max_record).max(1);
    let mut seq = 0u64;
    let io = |seq: u64, op: &'static str| {
        move |source| {
            (
                seq,
                Error::Io {
                    path: path.to_owned(),
                    op,
                    source,
                },
            )
        }
    };
    let mut file = File::open(path).map_err(io(seq, "open"))?;
    let mut carry: Vec<u8> = Vec::new();
    let mut offset = 0u64; // file offset of carry[0]
    let mut header_done = false;
    loop {
        // Read straight into the chunk buffer: one copy from the kernel, none in user space.
        carry.reserve(chunk_bytes.max(1));
        let n = (&mut file)
            .take(chunk_bytes.max(1) as u64)
            .read_to_end(&mut carry)
            .map_err(io(seq, "read"))?;
        let eof = n == 0;
        if !header_done {
            if offset == 0 && carry.len() >= 3 && carry.starts_with(b"\xEF\xBB\xBF") {
                carry.drain(..3);
                offset = 3;
            }
            match last_boundary_first(&carry) {
                Some(end) => {
                    carry.drain(..end);
                    offset += end as u64;
                    header_done = true;
                }
                None if eof => return Ok(()),
                // Relocation counts the header in (line 0 of the first chunk is line 1).
                None if carry.len() > max_record => return Err((seq, too_long(path, 0, max_record))),
                None => continue,
            }
        }
        let cut = if eof {
            (!carry.is_empty()).then_some(carry.len())
        } else if carry.len() >= chunk_bytes {
            last_boundary(&carry)
        } else {
            None
        };
        if cut.is_none() && carry.len() > max_record {
            // No boundary: `carry` is the start of one record, already longer than allowed.
            return Err((seq, too_long(path, 1, max_record)));
        }
        if let Some(end) = cut {
            let mut rest = Vec::with_capacity(chunk_bytes.max(1) + (carry.len() - end));
            rest.extend_from_slice(&carry[end..]);
            carry.truncate(end);
            let bytes = std::mem::replace(&mut carry, rest);
            let len = bytes.len() as u64;
            let job = Job {
                seq,
                end: offset + len,
                bytes,
            };
            if jobs.send(job).is_err() {
                return Ok(());
            }
            seq += 1;
            offset += len;
        }
        if eof {
            return Ok(());
        }
    }
}

fn too_long(path: &Path, line: u64, limit: usize) -> Error {
    Error::RecordTooLong {
        path: path.to_owned(),
        line,
        limit: limit as u64,
    }
}

/// Index just past the first record boundary (the end of the header line).
fn last_boundary_first(buf: &[u8]) -> Option<usize> {
    let mut in_quotes = false;
    for (i, &b) in buf.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => return Some(i + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_respect_quotes() {
        assert_eq!(last_boundary(b"a,b\nc,d\ne"), Some(8));
        assert_eq!(last_boundary(b"a,\"x\ny\"\nb"), Some(8));
        assert_eq!(last_boundary(b"a,\"x\ny"), None);
        assert_eq!(last_boundary_first(b"\"h\nx\",b\n1,2\n"), Some(8));
    }

    #[test]
    fn parse_error_lines_shift() {
        assert_eq!(
            shift_line("bad value at line 3. Row", 10),
            "bad value at line 13. Row"
        );
        assert_eq!(shift_line("no line here", 10), "no line here");
    }
}

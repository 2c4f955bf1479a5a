//! Bounds against hostile CSV files: a cap on one record's length and batch sizes that shrink as
//! the column count grows, so memory depends on the data, not on the shape of the file.
//!
//! The record cap is enforced on the raw bytes, before any CSV decoder buffers them: [`Guard`]
//! follows the CSV quoting rules of the decoder (csv-core: a quote opens a quoted field only at
//! the start of a field, `""` is an escaped quote, `\r`, `\n` and `\r\n` end a record, blank lines
//! are skipped) and fails the read as soon as one record grows past the cap.

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The default cap on the length of one CSV record (one line, or several when a quoted field
/// spans lines): 16 MiB. A longer record is [`Error::RecordTooLong`](crate::Error::RecordTooLong);
/// the reader never buffers more than about this much of it. Change it with
/// [`CsvOptions::max_record_bytes`](crate::CsvOptions::max_record_bytes).
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// At most this many cells (rows × columns) go into one record batch, so a batch of a wide file
/// has fewer rows: [`ReadOptions::batch_size`](crate::ReadOptions::batch_size) is an upper bound,
/// and every batch holds at least one row. The CSV decoder reserves about 16 bytes per cell of a
/// batch up front, so this keeps it near 2 MiB whatever the column count.
pub const MAX_BATCH_CELLS: usize = 128 * 1024;

/// Rows per batch for a file with `columns` columns when at most `batch_size` are wanted.
pub(crate) fn rows_per_batch(batch_size: usize, columns: usize) -> usize {
    batch_size.min(MAX_BATCH_CELLS / columns.max(1)).max(1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records (blank lines are skipped here).
    StartRecord,
    StartField,
    InField,
    InQuoted,
    /// A quote inside a quoted field: an escaped quote if another follows, else the field's end.
    QuoteInQuoted,
}

/// Tracks record boundaries over a byte stream and the length of the current record.
#[derive(Debug, Clone)]
pub(crate) struct RecordScan {
    state: State,
    /// Bytes of the current record seen so far.
    len: u64,
    /// Records started so far, the current one included: its 1-based line (the header is 1).
    records: u64,
    limit: u64,
}

impl RecordScan {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            state: State::StartRecord,
            len: 0,
            records: 0,
            limit: limit as u64,
        }
    }

    /// Scans the next bytes of the stream; `Err(line)` when the current record is longer than
    /// the limit. Jumps from one special byte to the next, eight bytes at a time.
    pub(crate) fn scan(&mut self, buf: &[u8]) -> Result<(), u64> {
        use State::*;
        let n = buf.len();
        // Where the current record's bytes in `buf` start (`None`: between records).
        let mut start = (self.state != StartRecord).then_some(0usize);
        let mut i = 0;
        while i < n {
            let b = buf[i];
            match self.state {
                StartRecord => {
                    if matches!(b, b'\n' | b'\r') {
                        i += 1;
                        continue;
                    }
                    self.records += 1;
                    self.len = 0;
                    start = Some(i);
                    self.state = StartField;
                }
                StartField | QuoteInQuoted => {
                    self.state = match b {
                        b'"' => InQuoted,
                        b',' => StartField,
                        b'\n' | b'\r' => {
                            self.end_record(&mut start, i)?;
                            StartRecord
                        }
                        _ => InField,
                    };
                    i += 1;
                }
                InField => match find_any(&buf[i..], b"\n\r\"") {
                    None => {
                        // Delimiters are skipped over; a field starting at the next buffer
                        // must still see that it follows one.
                        if buf[n - 1] == b',' {
                            self.state = StartField;
                        }
                        i = n;
                    }
                    Some(p) => {
                        let p = i + p;
                        if buf[p] == b'"' {
                            // A quote opens a quoted field only right after a delimiter (one
                            // ending the previous buffer left the state at `StartField`).
                            if p > i && buf[p - 1] == b',' {
                                self.state = InQuoted;
                            }
                        } else {
                            self.end_record(&mut start, p)?;
                            self.state = StartRecord;
                        }
                        i = p + 1;
                    }
                },
                InQuoted => match find_any(&buf[i..], b"\"") {
                    None => i = n,
                    Some(p) => {
                        self.state = QuoteInQuoted;
                        i += p + 1;
                    }
                },
            }
        }
        if let Some(s) = start {
            self.len += (n - s) as u64;
        }
        if self.len > self.limit {
            return Err(self.records);
        }
        Ok(())
    }

    /// The current record ends at `end` (exclusive) of the buffer being scanned.
    fn end_record(&mut self, start: &mut Option<usize>, end: usize) -> Result<(), u64> {
        if let Some(s) = start.take() {
            self.len += (end - s) as u64;
        }
        if self.len > self.limit {
            return Err(self.records);
        }
        self.len = 0;
        Ok(())
    }
}

/// Index of the first byte of `buf` that is one of `targets`, testing eight bytes at a time.
fn find_any(buf: &[u8], targets: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = buf.chunks_exact(8);
    let mut offset = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let mut hit = 0;
        for &t in targets {
            // Bytes equal to `t` become zero; the lowest flagged byte is always a true zero.
            let y = x ^ (LO * u64::from(t));
            hit |= y.wrapping_sub(LO) & !y & HI;
        }
        if hit != 0 {
            return Some(offset + (hit.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| targets.contains(b))
        .map(|p| offset + p)
}

/// A reader that counts the bytes read through it (for progress) and fails once a CSV record
/// is longer than the cap, recording the record's line in a flag shared with the frame reader.
pub(crate) struct Guard<R> {
    inner: R,
    count: Arc<AtomicU64>,
    scan: RecordScan,
    /// The line of the record that was too long; 0 while none was.
    tripped: Arc<AtomicU64>,
}

impl<R> Guard<R> {
    pub(crate) fn new(inner: R, limit: usize) -> Self {
        Self {
            inner,
            count: Arc::new(AtomicU64::new(0)),
            scan: RecordScan::new(limit),
            tripped: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Bytes read so far.
    pub(crate) fn counter(&self) -> Arc<AtomicU64> {
        self.count.clone()
    }

    /// The line of the record that was too long, once one was (0 before).
    pub(crate) fn tripped(&self) -> Arc<AtomicU64> {
        self.tripped.clone()
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let too_long = |line: u64| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("CSV record at line {line} is longer than the record cap"),
            )
        };
        let line = self.tripped.load(Ordering::Relaxed);
        if line != 0 {
            return Err(too_long(line));
        }
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        if let Err(line) = self.scan.scan(&buf[..n]) {
            self.tripped.store(line, Ordering::Relaxed);
            return Err(too_long(line));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_too_long(input: &[u8], limit: usize, piece: usize) -> Option<u64> {
        let mut scan = RecordScan::new(limit);
        input.chunks(piece).find_map(|c| scan.scan(c).err())
    }

    /// The byte-at-a-time state machine the fast scan must agree with.
    fn reference_scan(scan: &mut RecordScan, buf: &[u8]) -> Result<(), u64> {
        use State::*;
        // Bytes of the current record in `buf` start here (`None`: between records).
        let mut start = (scan.state != StartRecord).then_some(0usize);
        for (i, &b) in buf.iter().enumerate() {
            let end_of_record = matches!(b, b'\n' | b'\r');
            scan.state = match scan.state {
                StartRecord if end_of_record => continue,
                StartRecord => {
                    scan.records += 1;
                    scan.len = 0;
                    start = Some(i);
                    match b {
                        b'"' => InQuoted,
                        b',' => StartField,
                        _ => InField,
                    }
                }
                InQuoted => match b {
                    b'"' => QuoteInQuoted,
                    _ => InQuoted,
                },
                StartField | InField | QuoteInQuoted => match b {
                    b'"' if scan.state == StartField => InQuoted,
                    b'"' if scan.state == QuoteInQuoted => InQuoted,
                    b',' => StartField,
                    _ if end_of_record => {
                        if let Some(s) = start.take() {
                            scan.len += (i - s) as u64;
                        }
                        if scan.len > scan.limit {
                            return Err(scan.records);
                        }
                        scan.len = 0;
                        StartRecord
                    }
                    _ => InField,
                },
            };
        }
        if let Some(s) = start {
            scan.len += (buf.len() - s) as u64;
        }
        if scan.len > scan.limit {
            return Err(scan.records);
        }
        Ok(())
    }

    #[test]
    fn fast_scan_agrees_with_the_byte_state_machine() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet = b"ab,,\"\n\rxyz0123";
        for _ in 0..5_000 {
            let len = (next() % 200) as usize;
            let input: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let limit = (next() % 40) as usize + 1;
            let piece = (next() % 30) as usize + 1;
            let (mut fast, mut slow) = (RecordScan::new(limit), RecordScan::new(limit));
            let a = input.chunks(piece).find_map(|c| fast.scan(c).err());
            let b = input
                .chunks(piece)
                .find_map(|c| reference_scan(&mut slow, c).err());
            assert_eq!(
                a,
                b,
                "{:?} limit {limit} piece {piece}",
                String::from_utf8_lossy(&input)
            );
            if a.is_none() {
                assert_eq!(
                    (fast.state, fast.len, fast.records),
                    (slow.state, slow.len, slow.records)
                );
            }
        }
        assert_eq!(find_any(b"0123456789abcdef\n", b"\n\r"), Some(16));
        assert_eq!(find_any(b"01234567\"9", b"\""), Some(8));
        assert_eq!(find_any(b"0123", b"\""), None);
    }

    #[test]
    fn records_up_to_the_limit_pass() {
        let csv = b"ab,cd\n\"x\ny\",z\r\n\n\n1234567\n";
        for piece in 1..csv.len() {
            assert_eq!(first_too_long(csv, 7, piece), None, "piece {piece}");
        }
    }

    #[test]
    fn the_first_longer_record_is_named_by_line() {
        // Line 3 holds a quoted field with a newline inside: 9 bytes.
        let csv = b"a,b\n1,2\n\"x\n\"\"y\",z\n4,5\n";
        for piece in 1..csv.len() {
            assert_eq!(first_too_long(csv, 6, piece), Some(3), "piece {piece}");
        }
        // Blank lines do not count as records, CRLF is one terminator.
        assert_eq!(first_too_long(b"a\r\n\r\n\nb\r\nccc\n", 2, 4), Some(3));
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_literal() {
        // csv-core reads `a"b` as a literal; the newline ends the record.
        assert_eq!(first_too_long(b"a\"b\nc\"d\n", 3, 2), None);
        // A quoted field's closing quote followed by text is literal too.
        assert_eq!(first_too_long(b"\"a\"b\"\nc\n", 5, 3), None);
    }

    #[test]
    fn an_unterminated_quote_hits_the_limit() {
        let mut csv = b"h\n\"open".to_vec();
        csv.extend(std::iter::repeat_n(b'\n', 100));
        assert_eq!(first_too_long(&csv, 50, 7), Some(2));
    }

    #[test]
    fn batches_shrink_with_columns() {
        assert_eq!(rows_per_batch(64 * 1024, 2), 64 * 1024);
        assert_eq!(rows_per_batch(64 * 1024, 10_000), 13);
        assert_eq!(rows_per_batch(64 * 1024, 1_000_000), 1);
        assert_eq!(rows_per_batch(100, 0), 100);
    }
}

//! A read → keystream → consume pipeline that keeps every core busy on big files.
//!
//! The calling thread reads pieces and hands them to `threads` workers that XOR the keystream
//! (each piece seeks to its own offset), then takes the results back in order and hands them to
//! the consumer (MAC, write). Reading, authenticating and writing on one thread thus overlap with
//! the keystream on the others. At most `2 × threads + 2` pieces are in flight, so memory stays
//! bounded whatever the file size.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc;
use std::sync::Mutex;

use crate::engine::BoxKey;
use crate::file::read_full;
use crate::{Error, Result};

/// How a pipeline runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pipe {
    /// Bytes per piece.
    pub piece: usize,
    /// Keystream worker threads; 0 or 1 runs everything on the calling thread.
    pub threads: usize,
}

type Job = (u64, u64, Vec<u8>);

/// Streams `input` through the message keystream starting at message offset 0.
///
/// `before` sees each raw piece in order before the keystream is applied (opening: authenticate
/// the ciphertext), `after` sees each processed piece in order (sealing: authenticate and write;
/// opening: write). Returns the number of bytes processed.
pub(crate) fn run(
    key: &BoxKey,
    input: &mut dyn Read,
    src: &Path,
    pipe: Pipe,
    mut before: impl FnMut(&[u8]),
    mut after: impl FnMut(&[u8]) -> Result<()>,
) -> Result<u64> {
    let piece = pipe.piece.max(64);
    if pipe.threads <= 1 {
        let mut buf = vec![0u8; piece];
        let mut offset = 0u64;
        loop {
            let n = read_full(input, &mut buf).map_err(|e| Error::io(src, "read", e))?;
            if n == 0 {
                return Ok(offset);
            }
            before(&buf[..n]);
            key.apply_keystream(offset, &mut buf[..n], 1);
            after(&buf[..n])?;
            offset += n as u64;
        }
    }
    let max_in_flight = 2 * pipe.threads + 2;
    let (work_tx, work_rx) = mpsc::sync_channel::<Job>(max_in_flight);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(u64, Vec<u8>)>();
    std::thread::scope(|scope| {
        for _ in 0..pipe.threads {
            let (work_rx, done_tx) = (&work_rx, done_tx.clone());
            scope.spawn(move || loop {
                // A poisoned lock or a closed channel both mean: stop.
                let job = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((seq, offset, mut buf)) = job else { return };
                key.apply_keystream(offset, &mut buf, 1);
                if done_tx.send((seq, buf)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        // `work_tx` moves into the driver so that the workers stop as soon as it returns,
        // successfully or not.
        drive(
            work_tx,
            &done_rx,
            input,
            src,
            piece,
            max_in_flight,
            &mut before,
            &mut after,
        )
    })
}

#[allow(clippy::too_many_arguments)]
fn drive(
    work_tx: mpsc::SyncSender<Job>,
    done_rx: &mpsc::Receiver<(u64, Vec<u8>)>,
    input: &mut dyn Read,
    src: &Path,
    piece: usize,
    max_in_flight: usize,
    before: &mut impl FnMut(&[u8]),
    after: &mut impl FnMut(&[u8]) -> Result<()>,
) -> Result<u64> {
    let mut pool: Vec<Vec<u8>> = Vec::new();
    let mut pending: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
    let (mut next_seq, mut next_out, mut offset) = (0u64, 0u64, 0u64);
    let mut eof = false;
    let stopped = || Error::io(src, "process", std::io::Error::other("keystream worker stopped"));
    loop {
        while !eof && next_seq - next_out < max_in_flight as u64 {
            let mut buf = pool.pop().unwrap_or_default();
            buf.resize(piece, 0);
            let n = read_full(input, &mut buf).map_err(|e| Error::io(src, "read", e))?;
            if n == 0 {
                eof = true;
                break;
            }
            buf.truncate(n);
            before(&buf);
            work_tx.send((next_seq, offset, buf)).map_err(|_| stopped())?;
            next_seq += 1;
            offset += n as u64;
        }
        if next_out == next_seq {
            return Ok(offset);
        }
        let buf = loop {
            if let Some(buf) = pending.remove(&next_out) {
                break buf;
            }
            let (seq, buf) = done_rx.recv().map_err(|_| stopped())?;
            pending.insert(seq, buf);
        };
        after(&buf)?;
        next_out += 1;
        pool.push(buf);
    }
}

/// Reads `input` in pieces on a helper thread and hands them, in order, to `consume` on the
/// calling thread, so that reading overlaps with `consume` (opening: the verification pass).
/// With `threads <= 1` everything runs on the calling thread. Returns the bytes read.
pub(crate) fn read_ahead(
    input: &mut (dyn Read + Send),
    src: &Path,
    pipe: Pipe,
    mut consume: impl FnMut(&[u8]) -> Result<()>,
) -> Result<u64> {
    let piece = pipe.piece.max(64);
    if pipe.threads <= 1 {
        let mut buf = vec![0u8; piece];
        let mut total = 0u64;
        loop {
            let n = read_full(input, &mut buf).map_err(|e| Error::io(src, "read", e))?;
            if n == 0 {
                return Ok(total);
            }
            consume(&buf[..n])?;
            total += n as u64;
        }
    }
    const DEPTH: usize = 3;
    let (full_tx, full_rx) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(DEPTH);
    let (empty_tx, empty_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        scope.spawn(move || loop {
            let mut buf = empty_rx.try_recv().unwrap_or_default();
            buf.resize(piece, 0);
            let read = read_full(input, &mut buf).map(|n| {
                buf.truncate(n);
                buf
            });
            let stop = !matches!(&read, Ok(b) if !b.is_empty());
            // The consumer hung up (it failed): stop reading.
            if full_tx.send(read).is_err() || stop {
                return;
            }
        });
        // `full_rx` and `empty_tx` move in here: when this returns, the reader sees a closed channel.
        let (full_rx, empty_tx) = (full_rx, empty_tx);
        let mut total = 0u64;
        loop {
            let buf = full_rx
                .recv()
                .map_err(|_| Error::io(src, "read", std::io::Error::other("reader thread stopped")))?
                .map_err(|e| Error::io(src, "read", e))?;
            if buf.is_empty() {
                return Ok(total);
            }
            consume(&buf)?;
            total += buf.len() as u64;
            let _ = empty_tx.send(buf);
        }
    })
}

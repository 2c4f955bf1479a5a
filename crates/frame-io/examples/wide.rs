//! Peak memory of frame-io on hostile CSV files: 10,000 columns × 10 rows, or one record 64 MiB
//! over the record cap.
//!
//! ```text
//! cargo run --release -p frame-io --example wide            # validate, inspect, CSV → Parquet → CSV
//! cargo run --release -p frame-io --example wide -- long    # each must fail naming the long line
//! ```
//!
//! The work runs in this process, which prints its own peak RSS (`VmHWM`, Linux) at the end.

#[path = "../tests/frames/hostile_work.rs"]
mod hostile_work;

use hostile_work::{peak_rss_kib, run_long, run_wide, write_long, write_wide, WIDE_COLUMNS, WIDE_ROWS};

fn main() -> Result<(), String> {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "wide".to_owned());
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let started = peak_rss_kib().unwrap_or(0);
    let what = match mode.as_str() {
        "wide" => {
            let csv = dir.path().join("wide.csv");
            write_wide(&csv, WIDE_COLUMNS, WIDE_ROWS).map_err(|e| e.to_string())?;
            run_wide(&csv, dir.path())?;
            format!("{WIDE_COLUMNS} columns × {WIDE_ROWS} rows: validate, inspect, CSV→Parquet→CSV ok")
        }
        "long" => {
            let csv = dir.path().join("long.csv");
            let (line, bytes) = (10_010, frame_io::MAX_RECORD_BYTES as u64 + (64 << 20));
            write_long(&csv, 10_100, line, bytes).map_err(|e| e.to_string())?;
            run_long(&csv, dir.path(), line)?;
            format!(
                "a {} MiB record at line {line}: validate, inspect, convert fail naming it",
                bytes >> 20
            )
        }
        other => return Err(format!("unknown mode {other:?}; use wide or long")),
    };
    match peak_rss_kib() {
        Some(kib) => println!(
            "{what}; peak RSS {:.1} MiB (at start {:.1} MiB)",
            kib as f64 / 1024.0,
            started as f64 / 1024.0
        ),
        None => println!("{what}; peak RSS unknown (no /proc/self/status)"),
    }
    Ok(())
}

//! Hostile CSV files and the work done on them, shared by the tests and `examples/wide.rs`.
// Each includer uses a different part of this module.
#![allow(dead_code)]

use std::io::{BufWriter, Write};
use std::path::Path;

use frame_io::{convert, inspect, validate_path, ConvertOptions, Error, ReadOptions, RuleSet};

/// Columns of the wide test file: `id`, `prediction` and 9,998 more float columns.
pub const WIDE_COLUMNS: usize = 10_000;
/// Rows of the wide test file.
pub const WIDE_ROWS: usize = 10;

/// The float in data column `col` (1-based: `prediction` is 1) of `row`; exact in binary, so it
/// survives CSV → Parquet → CSV byte for byte.
pub fn wide_value(row: usize, col: usize) -> f64 {
    let k = (row * 7919 + col * 104_729) % 1024;
    if col == 1 {
        k as f64 / 1024.0
    } else {
        k as f64 / 8.0 - 64.0
    }
}

/// The name of column `col` (0-based).
pub fn wide_name(col: usize) -> String {
    match col {
        0 => "id".to_owned(),
        1 => "prediction".to_owned(),
        c => format!("c{c}"),
    }
}

/// Writes a CSV with `columns` columns and `rows` rows, formatted like pandas writes it.
pub fn write_wide(path: &Path, columns: usize, rows: usize) -> std::io::Result<()> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    let header: Vec<String> = (0..columns).map(wide_name).collect();
    writeln!(w, "{}", header.join(","))?;
    for row in 0..rows {
        write!(w, "id{row:05}")?;
        for col in 1..columns {
            // `{:?}` prints these values exactly as Python's repr does (`0.5`, `-64.0`).
            write!(w, ",{:?}", wide_value(row, col))?;
        }
        writeln!(w)?;
    }
    w.flush()
}

/// Writes `id,prediction` rows where file line `long_line` (the header is line 1) has an id of
/// `id_bytes` bytes, streamed so the file is never in memory; `rows` data rows in all.
pub fn write_long(path: &Path, rows: u64, long_line: u64, id_bytes: u64) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(w, "id,prediction")?;
    let block = vec![b'x'; 1 << 20];
    for line in 2..rows + 2 {
        if line == long_line {
            let mut left = id_bytes;
            while left > 0 {
                let n = left.min(block.len() as u64) as usize;
                w.write_all(&block[..n])?;
                left -= n as u64;
            }
            writeln!(w, ",0.5")?;
        } else {
            writeln!(w, "id{line},0.25")?;
        }
    }
    w.flush()
}

/// This process's peak resident set size in KiB (`VmHWM`; Linux only).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The steps [`run_wide`] takes, in order; each can run alone in a fresh process.
pub const WIDE_STEPS: [&str; 4] = ["validate", "inspect", "csv-to-parquet", "parquet-to-csv"];

/// Validates, inspects and converts the wide file at `csv` (CSV → Parquet → CSV, in `dir`),
/// checking the shape of every result.
pub fn run_wide(csv: &Path, dir: &Path) -> Result<(), String> {
    WIDE_STEPS.iter().try_for_each(|step| wide_step(step, csv, dir))
}

/// One step of [`run_wide`]; `parquet-to-csv` reads what `csv-to-parquet` wrote.
pub fn wide_step(step: &str, csv: &Path, dir: &Path) -> Result<(), String> {
    let pq = dir.join("wide.parquet");
    let back = dir.join("wide-back.csv");
    let (from, to) = match step {
        "validate" => {
            let rules = RuleSet::by_name("numerai-classic").map_err(|e| e.to_string())?;
            let report = validate_path(csv, rules, None);
            if !report.is_valid() || report.rows != WIDE_ROWS as u64 || report.columns.len() != WIDE_COLUMNS {
                return Err(format!("validate: {report}"));
            }
            return Ok(());
        }
        "inspect" => {
            let summary = inspect(csv, &ReadOptions::default(), 3).map_err(|e| format!("inspect: {e}"))?;
            if summary.rows != WIDE_ROWS as u64
                || summary.columns.len() != WIDE_COLUMNS
                || summary.head.len() != 3
            {
                return Err(format!(
                    "inspect: {} rows, {} columns",
                    summary.rows,
                    summary.columns.len()
                ));
            }
            return Ok(());
        }
        "csv-to-parquet" => (csv, pq.as_path()),
        "parquet-to-csv" => (pq.as_path(), back.as_path()),
        other => return Err(format!("unknown step {other:?}")),
    };
    let r = convert(from, to, &ConvertOptions::default(), None).map_err(|e| format!("convert: {e}"))?;
    if r.rows != WIDE_ROWS as u64 {
        return Err(format!(
            "convert {} → {}: {} rows",
            from.display(),
            to.display(),
            r.rows
        ));
    }
    Ok(())
}

/// Validates, inspects and converts `csv`, whose record at `line` is too long: each must fail
/// naming that line, and the conversion must leave no output.
pub fn run_long(csv: &Path, dir: &Path, line: u64) -> Result<(), String> {
    let named = |e: &Error| match e {
        Error::RecordTooLong { line: l, .. } if *l == line => Ok(()),
        other => Err(format!("expected RecordTooLong at line {line}, got {other}")),
    };
    let rules = RuleSet::by_name("numerai-classic").map_err(|e| e.to_string())?;
    let report = validate_path(csv, rules, None);
    let readable = report.violations.iter().find(|v| v.rule.as_str() == "readable");
    match readable {
        Some(v) if v.message.contains(&format!("line {line} is longer than")) => {}
        _ => return Err(format!("validate: {report}")),
    }
    match inspect(csv, &ReadOptions::default(), 3) {
        Err(e) => named(&e).map_err(|m| format!("inspect: {m}"))?,
        Ok(_) => return Err("inspect succeeded".into()),
    }
    let out = dir.join("long.parquet");
    match convert(csv, &out, &ConvertOptions::default(), None) {
        Err(e) => named(&e).map_err(|m| format!("convert: {m}"))?,
        Ok(_) => return Err("convert succeeded".into()),
    }
    if out.exists() {
        return Err(format!("convert left {}", out.display()));
    }
    Ok(())
}

//! Hostile shapes: 10,000 columns and over-long records are handled in bounded memory.
//!
//! Peak memory is measured in a child process (this test binary re-run on one test, which reads
//! its own `VmHWM` at the end), so the numbers are not mixed with other tests running in parallel.

use std::path::Path;
use std::process::Command;

use arrow::array::{Array, AsArray};
use arrow::datatypes::Float64Type;
use frame_io::{
    convert, inspect, read_frame, validate, ConvertOptions, CsvOptions, Error, FrameReader, ReadOptions,
    RuleSet, MAX_RECORD_BYTES,
};

use crate::hostile_work::{
    peak_rss_kib, run_long, run_wide, wide_name, wide_step, wide_value, write_long, write_wide, WIDE_COLUMNS,
    WIDE_ROWS, WIDE_STEPS,
};

/// Tells the re-run test binary which work to do (`wide <step> <csv> <dir>` or `long <csv> <dir> <line>`).
const CHILD_ENV: &str = "FRAME_IO_HOSTILE_CHILD";
/// The bound asked of every operation on the hostile files.
const RSS_LIMIT_KIB: u64 = 64 * 1024;

#[test]
fn ten_thousand_columns_validate_inspect_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("wide.csv");
    write_wide(&csv, WIDE_COLUMNS, WIDE_ROWS).unwrap();
    run_wide(&csv, dir.path()).unwrap();

    let summary = inspect(&csv, &ReadOptions::default(), 2).unwrap();
    assert_eq!(summary.columns[9_999].name, "c9999");
    assert_eq!(summary.columns[9_999].data_type, "Float64");
    assert_eq!(summary.head[1][0].as_deref(), Some("id00001"));
    let min = (0..WIDE_ROWS)
        .map(|r| wide_value(r, 5_000))
        .fold(f64::INFINITY, f64::min);
    assert_eq!(summary.columns[5_000].min, Some(min));

    // The Parquet file holds every value; the CSV written back is the input, byte for byte.
    let frame = read_frame(dir.path().join("wide.parquet")).unwrap();
    assert_eq!(
        (frame.num_rows(), frame.schema().fields().len()),
        (WIDE_ROWS, WIDE_COLUMNS)
    );
    for col in [1, 2, 4_321, WIDE_COLUMNS - 1] {
        let values = frame.column(&wide_name(col)).unwrap().unwrap();
        let values = values.as_primitive::<Float64Type>();
        assert_eq!(values.null_count(), 0);
        for row in 0..WIDE_ROWS {
            assert_eq!(values.value(row), wide_value(row, col), "row {row} column {col}");
        }
    }
    let original = std::fs::read(&csv).unwrap();
    let back = std::fs::read(dir.path().join("wide-back.csv")).unwrap();
    assert!(original == back, "CSV → Parquet → CSV changed the wide file");
}

#[test]
fn wide_batches_have_fewer_rows_not_more_memory() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("wide.csv");
    write_wide(&csv, 2_000, 300).unwrap();
    let sizes: Vec<usize> = FrameReader::open(&csv)
        .unwrap()
        .map(|b| b.unwrap().num_rows())
        .collect();
    // 128 Ki cells per batch: 65 rows of 2,000 columns.
    assert_eq!(sizes.iter().sum::<usize>(), 300);
    assert!(sizes.iter().all(|&n| n <= 65), "{sizes:?}");
}

#[test]
fn wide_parquet_with_several_row_groups_reads_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("wide.csv");
    // 1,200 columns: read a group of columns at a time; 109 rows per batch (128 Ki cells).
    write_wide(&csv, 1_200, 250).unwrap();
    let pq = dir.path().join("wide.parquet");
    let options = ConvertOptions {
        parquet: frame_io::ParquetOptions {
            max_row_group_size: 100,
            ..Default::default()
        },
        ..Default::default()
    };
    convert(&csv, &pq, &options, None).unwrap();
    let sizes: Vec<usize> = FrameReader::open(&pq)
        .unwrap()
        .map(|b| b.unwrap().num_rows())
        .collect();
    assert_eq!(sizes, [100, 100, 50]);
    let small = ReadOptions {
        batch_size: 40,
        ..Default::default()
    };
    let sizes: Vec<usize> = FrameReader::open_with(&pq, &small)
        .unwrap()
        .map(|b| b.unwrap().num_rows())
        .collect();
    assert_eq!(sizes, [40, 40, 20, 40, 40, 20, 40, 10]);
    let back = dir.path().join("back.csv");
    convert(&pq, &back, &ConvertOptions::default(), None).unwrap();
    assert!(std::fs::read(&csv).unwrap() == std::fs::read(&back).unwrap());
}

#[test]
fn wide_csv_peak_rss_stays_under_64_mib() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("wide.csv");
    write_wide(&csv, WIDE_COLUMNS, WIDE_ROWS).unwrap();
    // Each step in a fresh process; `parquet-to-csv` reads the file `csv-to-parquet` wrote.
    for step in WIDE_STEPS {
        if let Some(kib) = child_peak_rss(&["wide", step, path(&csv), path(dir.path())]) {
            assert!(kib < RSS_LIMIT_KIB, "{step} of 10,000 columns took {kib} KiB");
        }
    }
}

#[test]
fn a_record_over_the_default_cap_fails_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("long.csv");
    // Past the 10,000 records schema inference reads, so the streaming reader and the parallel
    // converter meet it; 64 MiB over the cap, so buffering it whole would break the bound.
    let line = 10_010;
    write_long(&csv, 10_100, line, MAX_RECORD_BYTES as u64 + (64 << 20)).unwrap();
    if let Some(kib) = child_peak_rss(&["long", path(&csv), path(dir.path()), &line.to_string()]) {
        assert!(kib < RSS_LIMIT_KIB, "a long record took {kib} KiB");
    }
}

#[test]
fn a_record_over_a_configured_cap_names_its_line_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let limit = 1_000;
    let read = ReadOptions {
        csv: CsvOptions {
            infer_rows: Some(10),
            max_record_bytes: limit,
            ..Default::default()
        },
        ..Default::default()
    };
    let rules = RuleSet::by_name("numerai-classic").unwrap();
    // Line 2 is met by schema inference, line 40 by the streaming reader / parallel converter.
    for line in [2, 40] {
        let csv = dir.path().join(format!("long{line}.csv"));
        write_long(&csv, 60, line, limit as u64 - 3).unwrap();
        let expect = |e: Error| match e {
            Error::RecordTooLong {
                line: l, limit: lim, ..
            } => assert_eq!((l, lim), (line, limit as u64)),
            other => panic!("line {line}: expected RecordTooLong, got {other}"),
        };
        let read_all = FrameReader::open_with(&csv, &read).and_then(FrameReader::read_all);
        expect(read_all.unwrap_err());
        expect(inspect(&csv, &read, 5).unwrap_err());
        let report = validate::validate_path_with(&csv, &read, rules, None);
        assert!(!report.is_valid());
        let message = &report.violations[0].message;
        assert!(
            message.contains(&format!("line {line} is longer than 1000 bytes")),
            "{message}"
        );

        let out = dir.path().join("out.parquet");
        std::fs::write(&out, b"keep me").unwrap();
        for chunk_bytes in [None, Some(64)] {
            let options = ConvertOptions {
                read: read.clone(),
                chunk_bytes,
                ..Default::default()
            };
            expect(convert(&csv, &out, &options, None).unwrap_err());
            assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
        }
    }
    // A record exactly at the cap is fine.
    let csv = dir.path().join("at_cap.csv");
    write_long(&csv, 60, 40, limit as u64 - 4).unwrap();
    let options = ConvertOptions {
        read,
        ..Default::default()
    };
    let report = convert(&csv, &dir.path().join("ok.parquet"), &options, None).unwrap();
    assert_eq!(report.rows, 60);
    assert!(!dir.path().read_dir().unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".part")));
}

/// The child side of the peak-RSS tests: does nothing unless started by [`child_peak_rss`].
#[test]
fn hostile_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let args: Vec<&str> = spec.split('\n').collect();
    let result = match args[..] {
        ["wide", step, csv, dir] => wide_step(step, Path::new(csv), Path::new(dir)),
        ["long", csv, dir, line] => run_long(Path::new(csv), Path::new(dir), line.parse().unwrap()),
        _ => Err(format!("unknown work {spec:?}")),
    };
    result.unwrap();
    println!("peak_rss_kib={}", peak_rss_kib().unwrap_or(0));
}

/// Runs [`hostile_child`] in a fresh process; its peak RSS in KiB (`None` where `/proc` is missing).
fn child_peak_rss(args: &[&str]) -> Option<u64> {
    peak_rss_kib()?;
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "hostile::hostile_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, args.join("\n"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kib = stdout
        .lines()
        .find_map(|l| l.split_once("peak_rss_kib=").map(|(_, n)| n.trim()))
        .unwrap_or_else(|| panic!("no peak RSS in {stdout}"));
    let kib = kib.parse().unwrap();
    eprintln!("{}: peak RSS {kib} KiB", args[..2].join(" "));
    Some(kib)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn long_values_are_cut_in_violation_examples() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("dup.csv");
    let id = "y".repeat(70_000);
    std::fs::write(&csv, format!("id,prediction\n{id},0.5\n{id},0.5\n")).unwrap();
    let report = validate::validate_path(&csv, RuleSet::by_name("numerai-classic").unwrap(), None);
    let dup = report
        .violations
        .iter()
        .find(|v| v.rule.as_str() == "unique-ids")
        .unwrap();
    let value = &dup.examples[0].value;
    assert_eq!(*value, format!("{}… (70000 characters)", "y".repeat(100)));
}

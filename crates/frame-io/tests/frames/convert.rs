//! Streaming conversion: round trips are bit-exact, outputs are atomic, pandas CSV is reproduced.

use std::path::Path;

use frame_io::{convert, read_frame, Compression, ConvertOptions, Format, ParquetOptions};

use crate::util::data;

fn options(compression: Compression) -> ConvertOptions {
    ConvertOptions {
        parquet: ParquetOptions {
            compression,
            ..Default::default()
        },
        ..Default::default()
    }
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect()
}

#[test]
fn csv_parquet_csv_round_trip_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "numerai_classic.csv",
        "numerai_classic_with_nulls.csv",
        "numerai_signals.csv",
    ] {
        for compression in [Compression::Zstd, Compression::Snappy, Compression::None] {
            let pq = dir.path().join("x.parquet");
            let back = dir.path().join("back.csv");
            let r1 = convert(&data(name), &pq, &options(compression), None).unwrap();
            assert_eq!(
                (r1.input_format, r1.output_format),
                (Format::Csv, Format::Parquet)
            );
            let r2 = convert(&pq, &back, &options(compression), None).unwrap();
            assert_eq!(r1.rows, r2.rows);
            let original = std::fs::read(data(name)).unwrap();
            let round = std::fs::read(&back).unwrap();
            assert!(original == round, "{name} {compression:?}: round trip differs");
        }
    }
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn pandas_parquet_becomes_the_csv_pandas_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(data("numerai_classic.csv")).unwrap();
    for name in [
        "numerai_classic.parquet",
        "numerai_classic_level0.parquet",
        "numerai_classic_rowgroups.parquet",
        "numerai_classic_brotli.parquet",
        "numerai_classic_gzip.parquet",
        "numerai_classic_lz4.parquet",
        "numerai_classic_polars.parquet",
    ] {
        let out = dir.path().join("out.csv");
        let report = convert(&data(name), &out, &ConvertOptions::default(), None).unwrap();
        assert!(
            std::fs::read(&out).unwrap() == original,
            "{name} differs from pandas' CSV"
        );
        if name.contains("level0") {
            assert_eq!(report.dropped_columns, ["__index_level_0__"]);
        }
    }
}

#[test]
fn float32_parquet_prints_float32_shortest_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f32.csv");
    convert(
        &data("numerai_classic_large_string_f32.parquet"),
        &out,
        &ConvertOptions::default(),
        None,
    )
    .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let first = text.lines().nth(1).unwrap();
    let value: f32 = first.split(',').nth(1).unwrap().parse().unwrap();
    assert_eq!(value, 0.290_182_93_f32);
    assert!(first.split(',').nth(1).unwrap().len() <= 11, "{first}");
}

#[test]
fn failed_conversion_leaves_destination_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.parquet");
    std::fs::write(&out, b"previous").unwrap();
    for bad in [
        "bad/ragged_rows.csv",
        "bad/not_utf8.csv",
        "bad/truncated.parquet",
        "bad/empty.csv",
    ] {
        let err = convert(&data(bad), &out, &ConvertOptions::default(), None).unwrap_err();
        let file = bad.trim_start_matches("bad/");
        assert!(err.to_string().contains(file), "{bad}: {err}");
        assert_eq!(std::fs::read(&out).unwrap(), b"previous");
    }
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn output_format_comes_from_extension_or_option() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.bin");
    let err = convert(&data("quoted.csv"), &out, &ConvertOptions::default(), None).unwrap_err();
    assert!(matches!(err, frame_io::Error::UnknownFormat { .. }), "{err}");
    let opts = ConvertOptions {
        output_format: Some(Format::Parquet),
        ..Default::default()
    };
    convert(&data("quoted.csv"), &out, &opts, None).unwrap();
    assert_eq!(&std::fs::read(&out).unwrap()[..4], b"PAR1");
    // Without a known extension, reading sniffs the magic bytes.
    assert_eq!(read_frame(&out).unwrap().num_rows(), 5);
}

#[test]
fn progress_reaches_the_input_size() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.parquet");
    let last = std::sync::Mutex::new((0u64, 0u64));
    let cb = |done: u64, total: u64| *last.lock().unwrap() = (done, total);
    let opts = ConvertOptions {
        read: frame_io::ReadOptions {
            batch_size: 1000,
            ..Default::default()
        },
        ..Default::default()
    };
    convert(&data("numerai_classic.csv"), &out, &opts, Some(&cb)).unwrap();
    let (done, total) = *last.lock().unwrap();
    assert_eq!(
        total,
        std::fs::metadata(data("numerai_classic.csv")).unwrap().len()
    );
    assert_eq!(done, total);
}

#[test]
fn in_memory_bodies_read_back() {
    let frame = read_frame(data("numerai_classic.parquet")).unwrap();
    let csv = frame.to_csv_bytes().unwrap();
    assert!(csv == std::fs::read(data("numerai_classic.csv")).unwrap());
    let pq = frame.to_parquet_bytes(&ParquetOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body.parquet");
    std::fs::write(&path, &pq).unwrap();
    let back = read_frame(&path).unwrap();
    assert_eq!(back.num_rows(), 5000);
    assert_eq!(back.column_names(), ["id", "prediction"]);
    assert!(frame_io::to_csv_bytes(&[]).unwrap().is_empty());
}

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

fn chunked(bytes: usize) -> ConvertOptions {
    ConvertOptions {
        chunk_bytes: Some(bytes),
        read: frame_io::ReadOptions {
            batch_size: 100,
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
fn parallel_chunks_keep_order_and_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "numerai_classic.csv",
        "numerai_classic_with_nulls.csv",
        "bom_crlf.csv",
        "quoted.csv",
    ] {
        for chunk in [37, 1000, 64 * 1024] {
            let pq = dir.path().join("c.parquet");
            let back = dir.path().join("c.csv");
            let r = convert(&data(name), &pq, &chunked(chunk), None).unwrap();
            convert(&pq, &back, &chunked(chunk), None).unwrap();
            let want = read_frame(data(name)).unwrap();
            assert_eq!(r.rows as usize, want.num_rows(), "{name} chunk {chunk}");
            // The CSV written back is the canonical pandas form of the input.
            assert!(
                std::fs::read(&back).unwrap() == want.to_csv_bytes().unwrap(),
                "{name} chunk {chunk}"
            );
            let direct = dir.path().join("d.csv");
            convert(&data(name), &direct, &chunked(chunk), None).unwrap();
            assert!(
                std::fs::read(&direct).unwrap() == want.to_csv_bytes().unwrap(),
                "{name} chunk {chunk}"
            );
        }
    }
}

#[test]
fn quoted_newlines_survive_chunk_cuts() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("q.csv");
    let mut text = String::from("id,note\n");
    for i in 0..200 {
        text.push_str(&format!("n{i},\"line one\nline \"\"two\"\", {i}\"\n"));
    }
    std::fs::write(&src, &text).unwrap();
    for chunk in [1, 50, 333, 4096] {
        let out = dir.path().join("q2.csv");
        let r = convert(&src, &out, &chunked(chunk), None).unwrap();
        assert_eq!(r.rows, 200);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), text, "chunk {chunk}");
    }
}

#[test]
fn errors_in_later_chunks_name_the_file_line() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("late.csv");
    let mut text = String::from("id,prediction\n");
    for i in 0..500 {
        text.push_str(&format!("n{i},0.5\n"));
    }
    text.push_str("n500,0.5,extra\n");
    std::fs::write(&src, &text).unwrap();
    let out = dir.path().join("late.parquet");
    for chunk in [64, 1000, 1 << 20] {
        let err = convert(&src, &out, &chunked(chunk), None).unwrap_err();
        assert!(
            matches!(err, frame_io::Error::RaggedRow { line: 502, .. }),
            "chunk {chunk}: {err:?}"
        );
    }
    std::fs::write(&src, text.replace("n500,0.5,extra", "n500,abc")).unwrap();
    for chunk in [64, 1 << 20] {
        let mut opts = chunked(chunk);
        opts.read.csv.overrides = vec![("prediction".into(), arrow::datatypes::DataType::Float64)];
        let err = convert(&src, &out, &opts, None).unwrap_err();
        let chain = format!("{}: {}", err, std::error::Error::source(&err).unwrap());
        assert!(
            chain.contains("late.csv") && chain.contains("line 502"),
            "chunk {chunk}: {chain}"
        );
    }
    assert!(!out.exists());
    // The sequential reader (validate, inspect) reports the same file line.
    let options = frame_io::ReadOptions {
        csv: frame_io::CsvOptions {
            overrides: vec![("prediction".into(), arrow::datatypes::DataType::Float64)],
            ..Default::default()
        },
        batch_size: 64,
        ..Default::default()
    };
    let err = frame_io::FrameReader::open_with(&src, &options)
        .unwrap()
        .read_all()
        .unwrap_err();
    let chain = format!("{}: {}", err, std::error::Error::source(&err).unwrap());
    assert!(chain.contains("line 502"), "{chain}");
    // And a ragged row beyond schema inference, too.
    std::fs::write(&src, text).unwrap();
    let options = frame_io::ReadOptions {
        csv: frame_io::CsvOptions {
            infer_rows: Some(10),
            ..Default::default()
        },
        batch_size: 64,
        ..Default::default()
    };
    let err = frame_io::FrameReader::open_with(&src, &options)
        .unwrap()
        .read_all()
        .unwrap_err();
    assert!(
        matches!(err, frame_io::Error::RaggedRow { line: 502, .. }),
        "{err:?}"
    );
}

#[test]
fn timestamps_with_a_named_time_zone_are_written_as_csv() {
    use std::sync::Arc;

    use arrow::array::{RecordBatch, TimestampMicrosecondArray};
    use arrow::datatypes::{DataType, Field, Schema, TimeUnit};

    // pandas and polars name the zone ("UTC", "Europe/London"), not an offset.
    for zone in ["UTC", "Europe/London"] {
        let ts = TimestampMicrosecondArray::from(vec![1_704_067_200_000_000]).with_timezone(zone);
        let schema = Schema::new(vec![Field::new(
            "ts",
            DataType::Timestamp(TimeUnit::Microsecond, Some(zone.into())),
            false,
        )]);
        let batch = RecordBatch::try_new(Arc::new(schema), vec![Arc::new(ts)]).unwrap();
        let csv = String::from_utf8(frame_io::to_csv_bytes(&[batch]).unwrap()).unwrap();
        assert_eq!(csv, "ts\n2024-01-01 00:00:00+00:00\n", "{zone}");
    }
}

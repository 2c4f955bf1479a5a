//! Every vector file reads with the rows, columns, sums and null counts of its expected.json.

use arrow::datatypes::DataType;
use frame_io::{read_frame, FrameReader};

use crate::util::{data, expected, nulls, sum, text};

fn arrow_type_matches(want: &str, got: &DataType) -> bool {
    match want {
        // pyarrow reports every string flavour of the writer; arrow-rs may read a view or large string.
        "large_string" | "string" => matches!(got, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View),
        "double" => got == &DataType::Float64,
        "float" => got == &DataType::Float32,
        "int64" => got == &DataType::Int64,
        other => panic!("unexpected arrow type in expected.json: {other}"),
    }
}

#[test]
fn every_good_frame_vector_matches_expected_json() {
    let exp = expected("expected.json");
    let mut checked = 0;
    for (name, spec) in exp.as_object().unwrap() {
        if name.ends_with('/') {
            continue;
        }
        let frame = read_frame(data(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            frame.num_rows() as u64,
            spec["rows"].as_u64().unwrap(),
            "{name} rows"
        );
        let cols: Vec<String> = spec["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(frame.column_names(), cols, "{name} columns");
        for (col, want) in spec["sums"].as_object().unwrap() {
            let got = sum(&frame, col);
            let want = want.as_f64().unwrap();
            assert!(
                (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{name} sum {col}: {got} vs {want}"
            );
        }
        for (col, want) in spec["nulls"].as_object().unwrap() {
            assert_eq!(
                nulls(&frame, col) as u64,
                want.as_u64().unwrap(),
                "{name} nulls {col}"
            );
        }
        for (col, want) in spec["first_value"].as_object().unwrap() {
            assert_eq!(text(&frame, col, 0), want.as_str().unwrap(), "{name} first {col}");
        }
        for (col, want) in spec["last_value"].as_object().unwrap() {
            assert_eq!(
                text(&frame, col, frame.num_rows() - 1),
                want.as_str().unwrap(),
                "{name} last {col}"
            );
        }
        if let Some(types) = spec.get("arrow_types").and_then(|t| t.as_object()) {
            let schema = frame.schema();
            for (col, want) in types {
                let got = schema.field_with_name(col).unwrap().data_type();
                assert!(
                    arrow_type_matches(want.as_str().unwrap(), got),
                    "{name} type {col}: {got}"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 18);
}

#[test]
fn pandas_index_columns_are_recognised() {
    let level0 = read_frame(data("numerai_classic_level0.parquet")).unwrap();
    assert!(level0.pandas_index().is_generated("__index_level_0__"));
    assert_eq!(level0.data_column_names(), ["id", "prediction"]);
    // A named index is real data: `id` stays.
    let named = read_frame(data("numerai_classic_index.parquet")).unwrap();
    assert_eq!(named.pandas_index().columns, ["id"]);
    assert_eq!(named.data_column_names(), ["prediction", "id"]);
    // to_csv drops only the generated index, like pandas `to_csv(index=False)`.
    let csv = String::from_utf8(level0.to_csv_bytes().unwrap()).unwrap();
    assert!(
        csv.starts_with("id,prediction\nn0b4a3547eb81ce3,0.2901829189310432\n"),
        "{}",
        &csv[..80]
    );
}

#[test]
fn crowdcent_vectors_match_expected_json() {
    let exp = expected("crowdcent/expected.json");
    for (name, spec) in exp.as_object().unwrap() {
        if name == "invalid_submissions" {
            continue;
        }
        let frame = read_frame(data(&format!("crowdcent/{name}"))).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            frame.num_rows() as u64,
            spec["rows"].as_u64().unwrap(),
            "{name} rows"
        );
        match &spec["columns"] {
            serde_json::Value::Number(n) => {
                assert_eq!(frame.column_names().len() as u64, n.as_u64().unwrap(), "{name}")
            }
            serde_json::Value::Array(cols) => {
                let cols: Vec<&str> = cols.iter().map(|c| c.as_str().unwrap()).collect();
                assert_eq!(frame.column_names(), cols, "{name}");
            }
            _ => assert!(spec.get("valid").is_some(), "{name}: no columns and no validity"),
        }
        if let Some(n) = spec.get("null_target_30d") {
            assert_eq!(nulls(&frame, "target_30d") as u64, n.as_u64().unwrap());
        }
        if spec.get("release_date_type").is_some() {
            assert_eq!(
                frame
                    .schema()
                    .field_with_name("release_date")
                    .unwrap()
                    .data_type(),
                &DataType::Date32
            );
        }
    }
}

#[test]
fn streaming_reader_yields_bounded_batches() {
    let options = frame_io::ReadOptions {
        batch_size: 777,
        ..Default::default()
    };
    for name in ["numerai_classic.csv", "numerai_classic_rowgroups.parquet"] {
        let reader = FrameReader::open_with(data(name), &options).unwrap();
        let sizes: Vec<usize> = reader.map(|b| b.unwrap().num_rows()).collect();
        assert!(sizes.iter().all(|&n| n <= 777), "{name}: {sizes:?}");
        assert_eq!(sizes.iter().sum::<usize>(), 5000, "{name}");
    }
}

#[test]
fn bom_and_crlf_do_not_leak_into_names_or_values() {
    let frame = read_frame(data("bom_crlf.csv")).unwrap();
    assert_eq!(frame.column_names(), ["id", "prediction"]);
    assert_eq!(frame.schema().field(1).data_type(), &DataType::Float64);
    assert_eq!(text(&frame, "id", 4), "nbb507c2d0e6ba67");
}

#[test]
fn schema_override_replaces_inferred_type() {
    let options = frame_io::ReadOptions {
        csv: frame_io::CsvOptions {
            overrides: vec![("prediction".into(), DataType::Utf8)],
            ..Default::default()
        },
        ..Default::default()
    };
    let frame = FrameReader::open_with(data("quoted.csv"), &options)
        .unwrap()
        .read_all()
        .unwrap();
    assert_eq!(frame.schema().field(1).data_type(), &DataType::Utf8);
    assert_eq!(text(&frame, "prediction", 0), "0.2901829189310432");
    let bad = frame_io::ReadOptions {
        csv: frame_io::CsvOptions {
            overrides: vec![("nope".into(), DataType::Utf8)],
            ..Default::default()
        },
        ..Default::default()
    };
    let err = FrameReader::open_with(data("quoted.csv"), &bad).unwrap_err();
    assert!(matches!(err, frame_io::Error::UnknownColumn { .. }), "{err}");
}

#[test]
fn bad_files_fail_to_read_with_the_file_and_line() {
    let err = read_frame(data("bad/ragged_rows.csv")).unwrap_err();
    assert!(
        matches!(
            err,
            frame_io::Error::RaggedRow {
                line: 2,
                expected: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("ragged_rows.csv line 2"), "{err}");
    let err = read_frame(data("bad/not_utf8.csv")).unwrap_err();
    assert!(matches!(err, frame_io::Error::NotUtf8 { line: 2, .. }), "{err:?}");
    let err = read_frame(data("bad/empty.csv")).unwrap_err();
    assert!(matches!(err, frame_io::Error::Empty { .. }), "{err:?}");
    for name in [
        "bad/footer_only_magic.parquet",
        "bad/not_parquet.parquet",
        "bad/truncated.parquet",
    ] {
        let err = read_frame(data(name)).unwrap_err();
        let file = name.trim_start_matches("bad/");
        assert!(err.to_string().contains(file), "{name}: {err}");
        assert!(
            matches!(
                err,
                frame_io::Error::Parquet { .. }
                    | frame_io::Error::ParquetDecode { .. }
                    | frame_io::Error::ParquetCorrupt { .. }
            ),
            "{name}: {err:?}"
        );
    }
}

//! `targets` and the uniqueness metrics against crowdcent-challenge 0.2.16 itself: the inputs and
//! outputs in `tests/data/reference/` come from `make_reference.py` there.
#![cfg(feature = "scoring")]

use std::collections::HashMap;
use std::path::PathBuf;

use crowdcent_client::scoring::{evaluate_hyperliquid_submission, evaluate_hyperliquid_uniqueness};
use crowdcent_client::targets::{create_ranking_targets, TargetOptions};
use frame_io::arrow::array::{ArrayRef, AsArray, RecordBatch};
use frame_io::arrow::compute::{cast, concat_batches};
use frame_io::arrow::datatypes::{DataType, Float64Type};
use frame_io::arrow::util::display::array_value_to_string;

const TOLERANCE: f64 = 1e-12;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/reference")
        .join(name)
}

fn read(name: &str) -> RecordBatch {
    let frame = frame_io::read_frame(data(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    concat_batches(&frame.schema(), frame.batches()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn floats(column: &ArrayRef) -> Vec<Option<f64>> {
    let column = cast(column, &DataType::Float64).unwrap_or_else(|e| panic!("{e}"));
    column.as_primitive::<Float64Type>().iter().collect()
}

fn text(column: &ArrayRef, row: usize) -> String {
    array_value_to_string(column, row).unwrap_or_default()
}

/// Compares two frames column by column: names, row count, text of non-float columns, floats to
/// [`TOLERANCE`] (nulls in the same places). Returns the largest float difference.
fn compare(got: &RecordBatch, want: &RecordBatch, what: &str) -> f64 {
    let names =
        |b: &RecordBatch| -> Vec<String> { b.schema().fields().iter().map(|f| f.name().clone()).collect() };
    assert_eq!(names(got), names(want), "{what}: columns");
    assert_eq!(got.num_rows(), want.num_rows(), "{what}: rows");
    let mut max_diff = 0.0f64;
    for (i, field) in want.schema().fields().iter().enumerate() {
        let (g, w) = (got.column(i), want.column(i));
        if matches!(field.data_type(), DataType::Float64 | DataType::Int64) {
            for (row, (a, b)) in floats(g).into_iter().zip(floats(w)).enumerate() {
                match (a, b) {
                    (Some(a), Some(b)) => {
                        let diff = if a == b { 0.0 } else { (a - b).abs() };
                        assert!(
                            diff <= TOLERANCE,
                            "{what}: {} row {row}: {a} vs {b}",
                            field.name()
                        );
                        max_diff = max_diff.max(diff);
                    }
                    (None, None) => {}
                    other => panic!("{what}: {} row {row}: {other:?}", field.name()),
                }
            }
        } else {
            for row in 0..want.num_rows() {
                assert_eq!(text(g, row), text(w, row), "{what}: {} row {row}", field.name());
            }
        }
    }
    max_diff
}

fn targets_case(file: &str, options: &TargetOptions) {
    let prices = frame_io::read_frame(data("prices.csv")).unwrap_or_else(|e| panic!("{e}"));
    let got = create_ranking_targets(&prices, options).unwrap_or_else(|e| panic!("{e}"));
    let diff = compare(&got, &read(file), file);
    eprintln!("{file}: {} rows, max abs diff {diff:e}", got.num_rows());
}

#[test]
fn targets_default_horizons_match_the_reference() {
    targets_case("targets_10_30.csv", &TargetOptions::default());
}

#[test]
fn targets_with_raw_returns_and_incomplete_rows_match_the_reference() {
    let options = TargetOptions {
        drop_incomplete: false,
        raw_returns: true,
        ..TargetOptions::default()
    };
    targets_case("targets_10_30_raw_incomplete.csv", &options);
}

#[test]
fn targets_with_short_horizons_match_the_reference() {
    let options = TargetOptions {
        horizons: vec![1, 5],
        raw_returns: true,
        ..TargetOptions::default()
    };
    targets_case("targets_1_5_raw.csv", &options);
}

/// `id → [10d, 30d]` of the rows dated `date` (all rows when the file has no date column).
fn by_id(name: &str, columns: [&str; 2], date: &str) -> HashMap<String, [Option<f64>; 2]> {
    let batch = read(name);
    let ids = batch
        .column_by_name("id")
        .unwrap_or_else(|| panic!("{name}: no id"));
    let dates = ["date", "release_date"]
        .iter()
        .find_map(|c| batch.column_by_name(c));
    let (a, b) = (
        floats(
            batch
                .column_by_name(columns[0])
                .unwrap_or_else(|| panic!("{name}")),
        ),
        floats(
            batch
                .column_by_name(columns[1])
                .unwrap_or_else(|| panic!("{name}")),
        ),
    );
    (0..batch.num_rows())
        .filter(|&r| dates.is_none_or(|d| text(d, r).starts_with(date)))
        .map(|r| (text(ids, r), [a[r], b[r]]))
        .collect()
}

#[test]
fn uniqueness_matches_the_reference() {
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("scores.json")).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
    let date = expected["date"].as_str().unwrap_or_default();
    let targets = by_id("scoring_targets.csv", ["target_10d", "target_30d"], date);
    let preds = by_id("predictions.csv", ["pred_10d", "pred_30d"], date);
    let meta = by_id("meta_model.parquet", ["pred_10d", "pred_30d"], date);
    // The server's join: predictions with targets by id, meta-model values missing → 0.5.
    let mut columns: [[Vec<f64>; 3]; 2] = Default::default();
    for (id, p) in &preds {
        let Some(t) = targets.get(id) else { continue };
        for h in 0..2 {
            if let (Some(t), Some(p)) = (t[h], p[h]) {
                let m = meta.get(id).and_then(|m| m[h]).unwrap_or(0.5);
                columns[h][0].push(t);
                columns[h][1].push(p);
                columns[h][2].push(m);
            }
        }
    }
    let [[t10, p10, m10], [t30, p30, m30]] = &columns;
    assert_eq!(
        t10.len() as u64,
        expected["rows_10d"].as_u64().unwrap_or_default()
    );
    assert_eq!(
        t30.len() as u64,
        expected["rows_30d"].as_u64().unwrap_or_default()
    );
    let base = evaluate_hyperliquid_submission(t10, p10, t30, p30).unwrap_or_else(|e| panic!("{e}"));
    let unique =
        evaluate_hyperliquid_uniqueness(t10, p10, m10, t30, p30, m30).unwrap_or_else(|e| panic!("{e}"));
    let mut got = serde_json::to_value(base).unwrap_or_default();
    if let (Some(g), serde_json::Value::Object(u)) = (
        got.as_object_mut(),
        serde_json::to_value(unique).unwrap_or_default(),
    ) {
        g.extend(u);
    }
    let want = expected["scores"]
        .as_object()
        .unwrap_or_else(|| panic!("no scores"));
    assert_eq!(want.len(), 10);
    let mut max_diff = 0.0f64;
    for (key, w) in want {
        let (g, w) = (got[key].as_f64(), w.as_f64());
        let (Some(g), Some(w)) = (g, w) else {
            panic!("{key}: {g:?} vs {w:?}")
        };
        let diff = (g - w).abs();
        assert!(diff <= TOLERANCE, "{key}: {g} vs {w} (diff {diff:e})");
        max_diff = max_diff.max(diff);
    }
    eprintln!("scores.json: 10 metrics, max abs diff {max_diff:e}");
}

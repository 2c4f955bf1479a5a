//! `mkt frame`: convert, validate and inspect, with their JSON output and exit codes.

use std::path::PathBuf;

use crate::util::{code, json, mkt, stderr};

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn convert_csv_to_parquet_and_back_keeps_rows() {
    let dir = tempfile::tempdir().unwrap();
    let parquet = dir.path().join("p.parquet");
    let back = dir.path().join("back.csv");
    let out = mkt(&[
        "--output",
        "json",
        "frame",
        "convert",
        &data("numerai_classic.csv"),
        parquet.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["rows"], 5000);
    assert_eq!(report["output_format"], "parquet");
    let out = mkt(&[
        "frame",
        "convert",
        parquet.to_str().unwrap(),
        back.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let original = std::fs::read_to_string(data("numerai_classic.csv")).unwrap();
    let round_trip = std::fs::read_to_string(&back).unwrap();
    assert_eq!(
        original.replace("\r\n", "\n"),
        round_trip,
        "CSV → Parquet → CSV changed the text"
    );
}

#[test]
fn validate_reports_valid_file_with_exit_zero() {
    let out = mkt(&[
        "--output",
        "json",
        "frame",
        "validate",
        &data("numerai_classic.csv"),
        "--rules",
        "numerai-classic",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["valid"], true);
    assert_eq!(report["rows"], 5000);
}

#[test]
fn validate_invalid_file_exits_five_and_names_rule_and_file() {
    let out = mkt(&[
        "--output",
        "json",
        "frame",
        "validate",
        &data("bad_out_of_range.csv"),
        "--rules",
        "numerai-classic",
    ]);
    assert_eq!(code(&out), 5);
    let report = json(&out);
    assert_eq!(report["valid"], false);
    assert_eq!(report["violations"][0]["rule"], "range");
    assert!(stderr(&out).contains("bad_out_of_range.csv"));
}

#[test]
fn crowdcent_rules_reject_too_few_ids_and_nan() {
    for file in ["submission_too_few_ids.parquet", "submission_nan.parquet"] {
        let out = mkt(&[
            "frame",
            "validate",
            &data(file),
            "--rules",
            "crowdcent-hyperliquid",
        ]);
        assert_eq!(code(&out), 5, "{file}: {}", stderr(&out));
    }
}

#[test]
fn inspect_prints_schema_and_counts() {
    let out = mkt(&[
        "--output",
        "json",
        "frame",
        "inspect",
        &data("numerai_classic.csv"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["rows"], 5000);
    assert_eq!(report["columns"][1]["name"], "prediction");
    assert_eq!(report["columns"][1]["nulls"], 0);
}

#[test]
fn missing_input_fails_cleanly() {
    let out = mkt(&["frame", "inspect", "/nonexistent/file.csv"]);
    assert_ne!(code(&out), 0);
    assert!(stderr(&out).starts_with("error:"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
}

//! Rule sets against the good and bad vectors: every violation named, nothing panics.

use frame_io::validate::{
    self, load_ids, validate_path, Rule, ValidationReport, CROWDCENT_HYPERLIQUID, NUMERAI_CLASSIC,
    NUMERAI_SIGNALS,
};

use crate::util::{data, expected};

fn rules_of(report: &ValidationReport) -> Vec<Rule> {
    report.violations.iter().map(|v| v.rule).collect()
}

/// The report must be invalid, name the file and `rule_set/rule` for every expected rule.
fn assert_rejected(report: &ValidationReport, file: &str, want: &[Rule]) {
    assert!(!report.is_valid(), "{file} passed:\n{report}");
    assert!(!report.valid);
    assert_eq!(rules_of(report), want, "{report}");
    let text = report.to_string();
    assert!(text.contains(file), "{text}");
    for rule in want {
        assert!(text.contains(&format!("{}/{rule}", report.rule_set)), "{text}");
    }
}

#[test]
fn every_bad_file_is_rejected_with_file_and_rule() {
    let exp = expected("expected.json");
    let files = exp["bad/"]["files"].as_array().unwrap();
    let table: &[(&str, &[Rule])] = &[
        ("duplicate_ids.csv", &[Rule::UniqueIds]),
        ("empty.csv", &[Rule::Readable]),
        ("footer_only_magic.parquet", &[Rule::Readable]),
        ("header_only.csv", &[Rule::NonEmpty]),
        ("missing_prediction_column.csv", &[Rule::RequiredColumn]),
        ("not_a_number.csv", &[Rule::Numeric]),
        ("not_parquet.parquet", &[Rule::Readable]),
        ("not_utf8.csv", &[Rule::Readable]),
        ("out_of_range.csv", &[Rule::Range]),
        ("ragged_rows.csv", &[Rule::Readable]),
        ("truncated.parquet", &[Rule::Readable]),
    ];
    assert_eq!(files.len(), table.len());
    for file in files {
        let file = file.as_str().unwrap();
        let (_, want) = table
            .iter()
            .find(|(n, _)| *n == file)
            .unwrap_or_else(|| panic!("no expectation for {file}"));
        let report = validate_path(&data(&format!("bad/{file}")), &NUMERAI_CLASSIC, None);
        assert_rejected(&report, file, want);
    }
}

#[test]
fn violations_carry_counts_and_first_rows() {
    let report = validate_path(&data("bad/out_of_range.csv"), &NUMERAI_CLASSIC, None);
    let v = &report.violations[0];
    assert_eq!((v.count, v.column.as_deref()), (2, Some("prediction")));
    let rows: Vec<(u64, &str)> = v.examples.iter().map(|e| (e.row, e.value.as_str())).collect();
    assert_eq!(rows, [(1, "1.5"), (2, "-0.1")]);

    let report = validate_path(&data("bad/duplicate_ids.csv"), &NUMERAI_CLASSIC, None);
    assert_eq!(report.violations[0].examples[0].row, 1);
    assert_eq!(report.violations[0].examples[0].value, "n1");
    assert_eq!(report.unique_ids, 2);

    let report = validate_path(&data("numerai_classic_with_nulls.csv"), &NUMERAI_CLASSIC, None);
    assert_eq!(rules_of(&report), [Rule::NoNulls]);
    let rows: Vec<u64> = report.violations[0].examples.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3, 42, 4999]);

    let report = validate_path(&data("bad/ragged_rows.csv"), &NUMERAI_CLASSIC, None);
    assert!(report.violations[0].message.contains("line 2"), "{report}");
}

#[test]
fn all_violations_are_reported_not_just_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    std::fs::write(&path, "id,prediction\nn1,0.5\nn1,1.5\n,\nn3,-1\n").unwrap();
    let report = validate_path(&path, &NUMERAI_CLASSIC, None);
    assert_eq!(
        rules_of(&report),
        [Rule::IdNotNull, Rule::UniqueIds, Rule::NoNulls, Rule::Range]
    );
    assert_eq!(report.violations[3].count, 2);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["violations"][1]["rule"], "unique-ids");
}

#[test]
fn good_numerai_files_pass() {
    for name in [
        "numerai_classic.csv",
        "numerai_classic.parquet",
        "numerai_classic_index.parquet",
        "numerai_classic_level0.parquet",
        "numerai_classic_large_string_f32.parquet",
        "numerai_classic_polars.parquet",
        "bom_crlf.csv",
        "quoted.csv",
    ] {
        let report = validate_path(&data(name), &NUMERAI_CLASSIC, None);
        assert!(report.is_valid(), "{report}");
        assert_eq!(report.id_column.as_deref(), Some("id"));
    }
    let report = validate_path(&data("numerai_signals.csv"), &NUMERAI_SIGNALS, None);
    assert!(report.is_valid(), "{report}");
    assert_eq!(report.id_column.as_deref(), Some("numerai_ticker"));
    assert_eq!(report.rows, 3000);
}

#[test]
fn signals_tickers_may_repeat_across_dates_but_not_within_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.csv");
    std::fs::write(
        &path,
        "bloomberg_ticker,signal,friday_date\nAAPL US,0.1,20260101\nAAPL US,0.2,20260108\n",
    )
    .unwrap();
    assert!(validate_path(&path, &NUMERAI_SIGNALS, None).is_valid());
    std::fs::write(
        &path,
        "ticker,signal,friday_date\nAAPL,0.1,20260101\nAAPL,0.2,20260101\n",
    )
    .unwrap();
    let report = validate_path(&path, &NUMERAI_SIGNALS, None);
    assert_eq!(rules_of(&report), [Rule::UniqueIds]);
    std::fs::write(&path, "symbol,signal\nAAPL,0.1\n").unwrap();
    let report = validate_path(&path, &NUMERAI_SIGNALS, None);
    assert_eq!(rules_of(&report), [Rule::RequiredColumn]);
    assert!(report.to_string().contains("bloomberg_ticker"), "{report}");
}

#[test]
fn crowdcent_invalid_submissions_are_rejected() {
    let exp = expected("crowdcent/expected.json");
    let inference = load_ids(&data("crowdcent/inference.parquet"), &CROWDCENT_HYPERLIQUID).unwrap();
    // pandas stores NaN in a float column as a Parquet null, so "nan" may show up as either rule.
    let table: &[(&str, &[Rule])] = &[
        ("submission_missing_pred_30d.parquet", &[Rule::RequiredColumn]),
        ("submission_nan.parquet", &[Rule::NoNan, Rule::NoNulls]),
        ("submission_out_of_range.parquet", &[Rule::Range]),
        ("submission_duplicate_ids.parquet", &[Rule::UniqueIds]),
        ("submission_too_few_ids.parquet", &[Rule::MinIds]),
        ("submission_string_preds.parquet", &[Rule::Numeric]),
    ];
    let invalid = exp["invalid_submissions"].as_object().unwrap();
    assert_eq!(invalid.len(), table.len());
    for file in invalid.keys() {
        let (_, accepted) = table
            .iter()
            .find(|(n, _)| n == file)
            .unwrap_or_else(|| panic!("no expectation for {file}"));
        for ids in [None, Some(&inference)] {
            let report = validate_path(&data(&format!("crowdcent/{file}")), &CROWDCENT_HYPERLIQUID, ids);
            assert!(!report.is_valid(), "{file} passed:\n{report}");
            let rule = rules_of(&report).into_iter().find(|r| accepted.contains(r));
            let rule = rule.unwrap_or_else(|| panic!("{file}: {report}"));
            let text = report.to_string();
            assert!(
                text.contains(file) && text.contains(&format!("crowdcent-hyperliquid/{rule}")),
                "{text}"
            );
        }
    }
}

#[test]
fn crowdcent_valid_submissions_pass_and_match_inference_ids() {
    let inference = load_ids(&data("crowdcent/inference.parquet"), &CROWDCENT_HYPERLIQUID).unwrap();
    assert_eq!(inference.len(), 180);
    for file in ["submission_polars.parquet", "submission_pandas.parquet"] {
        let path = data(&format!("crowdcent/{file}"));
        let report = validate_path(&path, &CROWDCENT_HYPERLIQUID, None);
        assert!(report.is_valid(), "{report}");
        assert!(report.match_info.is_none());
        let report = validate_path(&path, &CROWDCENT_HYPERLIQUID, Some(&inference));
        assert!(report.is_valid(), "{report}");
        let m = report.match_info.unwrap();
        assert_eq!((m.matched_ids, m.unmatched_ids, m.missing_ids), (180, 0, 0));
        assert_eq!(m.message, "180 IDs matched inference data");
    }
}

#[test]
fn ids_outside_the_inference_file_do_not_count_towards_the_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub.csv");
    let mut text = String::from("id,pred_10d,pred_30d\n");
    for i in 0..100 {
        text.push_str(&format!("X{i},0.5,0.5\n"));
    }
    std::fs::write(&path, text).unwrap();
    assert!(validate_path(&path, &CROWDCENT_HYPERLIQUID, None).is_valid());
    let inference = load_ids(&data("crowdcent/inference.parquet"), &CROWDCENT_HYPERLIQUID).unwrap();
    let report = validate_path(&path, &CROWDCENT_HYPERLIQUID, Some(&inference));
    assert_eq!(rules_of(&report), [Rule::MinIds]);
    let m = report.match_info.as_ref().unwrap();
    assert_eq!((m.matched_ids, m.unmatched_ids, m.missing_ids), (0, 100, 180));
    assert_eq!(m.unmatched_examples.len(), validate::MAX_EXAMPLES);
}

#[test]
fn in_memory_batches_validate_too() {
    let frame = frame_io::read_frame(data("numerai_classic.parquet")).unwrap();
    let report = validate::validate_batches(
        "upload".as_ref(),
        &frame.schema(),
        frame.batches(),
        &NUMERAI_CLASSIC,
        None,
    );
    assert!(report.is_valid(), "{report}");
    assert_eq!(report.rows, 5000);
}

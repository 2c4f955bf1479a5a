//! `mkt crowdcent score` and `mkt crowdcent targets` against the reference data computed by
//! crowdcent-challenge 0.2.16 (`crates/crowdcent-client/tests/data/reference/make_reference.py`).

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::{code, json, mkt_cmd, stderr, stdout};

fn reference(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/crowdcent-client/tests/data/reference")
        .join(name)
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap_or_default()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    mkt_cmd(dir).args(args).output().expect("run mkt")
}

fn score(dir: &Path, predictions: &Path, targets: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--output",
        "json",
        "crowdcent",
        "score",
        "--predictions",
        arg(predictions),
        "--targets",
        arg(targets),
    ];
    args.extend_from_slice(extra);
    run(dir, &args)
}

#[test]
fn duplicate_ids_are_a_validation_error_naming_one() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    let dup = dir.path().join("dup.csv");
    std::fs::write(
        &good,
        "id,pred_10d,pred_30d,target_10d,target_30d\nA,0.1,0.2,0.1,0.2\nB,0.3,0.4,0.3,0.4\n",
    )
    .unwrap();
    std::fs::write(
        &dup,
        "id,pred_10d,pred_30d,target_10d,target_30d\nA,0.1,0.2,0.1,0.2\nB,0.3,0.4,0.3,0.4\nB,0.5,0.6,0.5,0.6\n",
    )
    .unwrap();
    for (preds, targets) in [(&dup, &good), (&good, &dup)] {
        let out = score(dir.path(), preds, targets, &[]);
        assert_eq!(code(&out), 5, "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("dup.csv") && err.contains("\"B\""), "{err}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn several_dates_need_date_and_the_error_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let (preds, targets) = (reference("predictions.csv"), reference("scoring_targets.csv"));
    let out = score(dir.path(), &preds, &targets, &[]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("2025-03-01, 2025-03-02, 2025-03-03") && err.contains("--date"),
        "{err}"
    );

    // The meta-model file (release_date, a timestamp column) is held to the same rule.
    let meta = reference("meta_model.parquet");
    let single = dir.path().join("one_date.csv");
    let text = std::fs::read_to_string(&targets).unwrap();
    let mut lines = text.lines();
    let mut one = format!("{}\n", lines.next().unwrap_or_default());
    for line in lines.filter(|l| l.contains(",2025-03-02,")) {
        one.push_str(line);
        one.push('\n');
    }
    std::fs::write(&single, one).unwrap();
    let out = score(dir.path(), &preds, &single, &["--meta-model", arg(&meta)]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("meta_model.parquet holds 3 dates"),
        "{}",
        stderr(&out)
    );

    // A date no file holds is refused with the file's dates; a single-date file needs no --date.
    let out = score(dir.path(), &preds, &targets, &["--date", "2025-03-09"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no rows dated 2025-03-09"),
        "{}",
        stderr(&out)
    );
    let out = score(dir.path(), &preds, &single, &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn meta_model_adds_the_uniqueness_metrics_of_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reference("scores.json")).unwrap()).unwrap();
    let date = expected["date"].as_str().unwrap();
    let out = score(
        dir.path(),
        &reference("predictions.csv"),
        &reference("scoring_targets.csv"),
        &[
            "--meta-model",
            arg(&reference("meta_model.parquet")),
            "--date",
            date,
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got = json(&out);
    let got = got.as_object().unwrap();
    let want = expected["scores"].as_object().unwrap();
    // Same keys in the same (server) order.
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
    for (key, w) in want {
        let (g, w) = (got[key].as_f64().unwrap(), w.as_f64().unwrap());
        assert!((g - w).abs() <= 1e-12, "{key}: {g} vs {w}");
    }
    // Five ids of the scored date are missing from the meta-model, one more has no 30d value.
    assert!(stderr(&out).contains("5 (10d) and 6 (30d)"), "{}", stderr(&out));

    // Without --meta-model only the four base metrics are printed.
    let out = score(
        dir.path(),
        &reference("predictions.csv"),
        &reference("scoring_targets.csv"),
        &["--date", date],
    );
    assert_eq!(json(&out).as_object().map(|o| o.len()), Some(4));
}

#[test]
fn targets_writes_what_the_reference_package_writes() {
    let dir = tempfile::tempdir().unwrap();
    let prices = reference("prices.csv");
    for (file, extra) in [
        ("targets_10_30.csv", &[][..]),
        (
            "targets_10_30_raw_incomplete.csv",
            &["--keep-incomplete", "--raw-returns"],
        ),
        ("targets_1_5_raw.csv", &["--horizons", "1,5", "--raw-returns"]),
    ] {
        let dest = dir.path().join(file);
        let mut args = vec![
            "--output",
            "json",
            "crowdcent",
            "targets",
            arg(&prices),
            "-o",
            arg(&dest),
        ];
        args.extend_from_slice(extra);
        let out = run(dir.path(), &args);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let report = json(&out);
        assert_eq!(report["format"], "csv", "{report}");
        // pandas-compatible CSV: byte for byte what scoring.py's frame gives with to_csv.
        let (got, want) = (
            std::fs::read(&dest).unwrap(),
            std::fs::read(reference(file)).unwrap(),
        );
        assert!(got == want, "{file} differs from the reference");
    }

    // `-` is standard output, as CSV.
    let out = run(dir.path(), &["crowdcent", "targets", arg(&prices), "-o", "-"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(out.stdout, std::fs::read(reference("targets_10_30.csv")).unwrap());

    // Parquet output holds the same frame.
    let pq = dir.path().join("targets.parquet");
    let out = run(
        dir.path(),
        &["crowdcent", "targets", arg(&prices), "-o", arg(&pq)],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let frame = frame_io::read_frame(&pq).unwrap();
    assert_eq!(
        frame.to_csv_bytes().unwrap(),
        std::fs::read(reference("targets_10_30.csv")).unwrap()
    );

    // The output may not be the input; a wrong column name is exit 5 with the columns listed.
    let out = run(
        dir.path(),
        &["crowdcent", "targets", arg(&prices), "-o", arg(&prices)],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = run(
        dir.path(),
        &[
            "crowdcent",
            "targets",
            arg(&prices),
            "-o",
            "x.csv",
            "--price-col",
            "adj_close",
        ],
    );
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("date, ticker, close"), "{}", stderr(&out));
    assert!(!dir.path().join("x.csv").exists());
}

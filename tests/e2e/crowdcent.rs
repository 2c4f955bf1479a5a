//! `mkt crowdcent`: every command's happy path with `--output json`, and its exit codes.

use std::path::PathBuf;

use crate::util::{code, json, stderr, Env};

fn ok_json(out: std::process::Output) -> serde_json::Value {
    assert_eq!(code(&out), 0, "stderr:\n{}", stderr(&out));
    json(&out)
}

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn listing_commands_print_json_arrays() {
    let env = Env::start();
    for args in [
        &["challenges"][..],
        &["training", "list"],
        &["inference", "list"],
        &["submissions", "list"],
        &["performance"],
    ] {
        let mut full = vec!["--output", "json", "crowdcent"];
        full.extend_from_slice(args);
        let value = ok_json(env.crowdcent(&full));
        assert!(value.is_array(), "{args:?} printed {value}");
    }
    let auth = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "auth-check"]));
    assert!(auth["username"].is_string());
}

#[test]
fn downloads_land_under_resolved_names() {
    let env = Env::start();
    let training = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "training", "download"]));
    let path = training["path"].as_str().unwrap();
    assert!(!path.contains("latest"), "{path}");
    assert!(env.dir.path().join(path).exists() || PathBuf::from(path).exists());

    let inference = ok_json(env.crowdcent(&[
        "--output",
        "json",
        "crowdcent",
        "inference",
        "download",
        "current",
    ]));
    let path = inference["path"].as_str().unwrap();
    assert!(!path.contains("current"), "{path}");

    let out = env.crowdcent(&["crowdcent", "meta-model", "download", "--out", "meta.parquet"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(env.path("meta.parquet").exists());
}

#[test]
fn invalid_submission_exits_five_and_sends_nothing() {
    let env = Env::start();
    let out = env.crowdcent(&["crowdcent", "submit", &data("submission_nan.parquet")]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let listed = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "submissions", "list"]));
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "an invalid file reached the server"
    );
}

#[test]
fn missing_key_exits_three_before_any_request() {
    let env = Env::start();
    let out = env.anon(&["--base-url", &env.info.crowdcent_url, "crowdcent", "challenges"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("CROWDCENT_API_KEY"), "{}", stderr(&out));
}

#[test]
fn rejected_key_exits_three() {
    let env = Env::start();
    let out = env
        .crowdcent_cmd()
        .env("CROWDCENT_API_KEY", "wrong-key")
        .args(["crowdcent", "challenges"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[test]
fn unknown_challenge_exits_four() {
    let env = Env::start();
    let out = env.crowdcent(&["crowdcent", "-c", "no-such-challenge", "training", "list"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
}

/// Writes `id,pred_10d,pred_30d` (and a matching targets file) covering the current inference ids.
fn submission_files(env: &Env) -> (PathBuf, PathBuf) {
    let out = env.crowdcent(&[
        "crowdcent",
        "inference",
        "download",
        "current",
        "--out",
        "inference.parquet",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = env.anon(&["frame", "convert", "inference.parquet", "inference.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read_to_string(env.path("inference.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let id_col = header.iter().position(|h| *h == "id").expect("id column");
    let ids: Vec<String> = lines
        .map(|l| l.split(',').nth(id_col).unwrap().to_owned())
        .collect();
    let n = ids.len() as f64;
    let mut preds = String::from("id,pred_10d,pred_30d\n");
    let mut targets = String::from("id,target_10d,target_30d\n");
    for (i, id) in ids.iter().enumerate() {
        let a = i as f64 / n;
        let b = ((i * 7) % ids.len()) as f64 / n;
        preds.push_str(&format!("{id},{a},{b}\n"));
        targets.push_str(&format!("{id},{},{}\n", a * 0.5 + b * 0.5, b));
    }
    std::fs::write(env.path("preds.csv"), preds).unwrap();
    std::fs::write(env.path("targets.csv"), targets).unwrap();
    let out = env.anon(&["frame", "convert", "preds.csv", "preds.parquet"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    (env.path("preds.parquet"), env.path("targets.csv"))
}

#[test]
fn submit_validates_then_creates_and_lists_the_submission() {
    let env = Env::start();
    let (preds, targets) = submission_files(&env);
    let outcome = ok_json(env.crowdcent(&[
        "--output",
        "json",
        "crowdcent",
        "submit",
        preds.to_str().unwrap(),
        "--slot",
        "2",
    ]));
    assert_eq!(outcome["kind"], "created", "{outcome}");
    let listed = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "submissions", "list"]));
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    let id = listed[0]["id"].to_string();
    let one = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "submissions", "get", &id]));
    assert_eq!(one["id"].to_string(), id);

    let scores = ok_json(env.anon(&[
        "--output",
        "json",
        "crowdcent",
        "score",
        "--predictions",
        preds.to_str().unwrap(),
        "--targets",
        targets.to_str().unwrap(),
    ]));
    for key in ["spearman_10d", "spearman_30d", "ndcg@40_10d", "ndcg@40_30d"] {
        let v = scores[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key} missing in {scores}"));
        // NDCG is a ratio of two float sums, so like scikit-learn's it may exceed 1 by a few ulp
        // (the sandbox's inference ids, hence these files, change with the date).
        assert!((-1.0..=1.0 + 1e-12).contains(&v), "{key} = {v}");
    }
    // pred_30d equals target_30d exactly, so its rank correlation is perfect.
    assert!(
        (scores["spearman_30d"].as_f64().unwrap() - 1.0).abs() < 1e-12,
        "{scores}"
    );
}

#[test]
fn single_item_commands_print_one_json_object() {
    let env = Env::start();
    let challenge = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "challenge"]));
    assert_eq!(challenge["slug"], env.info.challenge.as_str(), "{challenge}");
    let training = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "training", "get"]));
    assert!(training["version"].is_string(), "{training}");
    let inference = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "inference", "get", "current"]));
    assert!(inference["release_date"].is_string(), "{inference}");
}

/// The first line of a CSV file, split on commas.
fn csv_header(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(!text.starts_with("PAR1"), "{} holds Parquet", path.display());
    let header = text.lines().next().unwrap_or_default();
    header.split(',').map(str::to_owned).collect()
}

fn is_parquet(path: &std::path::Path) -> bool {
    std::fs::read(path).is_ok_and(|b| b.starts_with(b"PAR1") && b.ends_with(b"PAR1"))
}

#[test]
fn csv_destinations_get_csv_and_format_forces_either() {
    let env = Env::start();
    let report = ok_json(env.crowdcent(&[
        "--output",
        "json",
        "crowdcent",
        "training",
        "download",
        "--out",
        "train.csv",
    ]));
    assert_eq!(report["format"], "csv", "{report}");
    let header = csv_header(&env.path("train.csv"));
    assert_eq!(header[0], "id", "{header:?}");
    assert!(header.iter().any(|h| h == "target_10d"), "{header:?}");

    let out = env.crowdcent(&["crowdcent", "inference", "download", "latest", "-o", "INF.CSV"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(csv_header(&env.path("INF.CSV"))[0], "id");

    let out = env.crowdcent(&["crowdcent", "meta-model", "download", "--out", "meta.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        csv_header(&env.path("meta.csv")),
        ["id", "pred_10d", "pred_30d", "release_date"]
    );

    // --format parquet wins over the extension; --format csv names the default file .csv.
    let out = env.crowdcent(&[
        "crowdcent",
        "training",
        "download",
        "--out",
        "forced.csv",
        "--format",
        "parquet",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(is_parquet(&env.path("forced.csv")));
    let report = ok_json(env.crowdcent(&[
        "--output",
        "json",
        "crowdcent",
        "meta-model",
        "download",
        "--format",
        "csv",
    ]));
    let path = report["path"].as_str().unwrap_or_default();
    assert!(path.ends_with("_meta_model.csv"), "{report}");
    assert_eq!(csv_header(&env.dir.path().join(path))[0], "id");

    // Standard output without --format gets Parquet.
    let out = env.crowdcent(&["crowdcent", "meta-model", "download", "-o", "-"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"PAR1"), "stdout is not Parquet");
}

/// Closes today's window on the sandbox clock: `current` answers 404 until the next release.
fn close_the_window(env: &Env) -> String {
    let current = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "inference", "get", "current"]));
    let today = current["release_date"].as_str().unwrap_or_default()[..10].to_owned();
    env.control("/clock/advance", serde_json::json!({"seconds": 4 * 3600 + 60}));
    today
}

#[test]
fn current_inference_waits_for_publication_by_default() {
    use std::io::BufRead;
    let env = Env::start();
    let today = close_the_window(&env);
    let mut child = env
        .crowdcent_cmd()
        .args([
            "--output",
            "json",
            "crowdcent",
            "inference",
            "download",
            "--interval",
            "100ms",
        ])
        .args(["--timeout", "60s", "--format", "csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn mkt");
    let mut stderr_lines = std::io::BufReader::new(child.stderr.take().expect("stderr")).lines();
    let first = stderr_lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(
        first.contains("waiting for the hyperliquid-ranking inference file"),
        "{first}"
    );
    assert!(first.contains("--no-wait"), "{first}");
    // Publish the next day's period while it polls.
    let next = crate::run_daily::next_day(&today);
    env.control(
        "/clock/set",
        serde_json::json!({"now": format!("{next}T14:02:00Z")}),
    );
    let out = child.wait_with_output().expect("mkt finishes");
    assert_eq!(
        code(&out),
        0,
        "{}",
        stderr_lines.map_while(Result::ok).collect::<Vec<_>>().join("\n")
    );
    let report = json(&out);
    let path = report["path"].as_str().unwrap_or_default();
    assert!(
        path.ends_with(&format!("hyperliquid-ranking_inference_{next}.csv")),
        "{report}"
    );
    assert_eq!(csv_header(&env.dir.path().join(path))[0], "id");
}

#[test]
fn waiting_times_out_and_no_wait_fails_fast() {
    let env = Env::start();
    close_the_window(&env);
    let out = env.crowdcent(&[
        "crowdcent",
        "inference",
        "download",
        "--timeout",
        "300ms",
        "--interval",
        "100ms",
    ]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(err.contains("was not published within"), "{err}");
    assert!(err.contains("raise --timeout"), "{err}");

    for flag in ["--no-wait", "--no-poll"] {
        let out = env.crowdcent(&["crowdcent", "inference", "download", "current", flag]);
        let err = stderr(&out);
        assert_eq!(code(&out), 4, "{flag}: {err}");
        assert!(err.contains("drop --no-wait"), "{flag}: {err}");
    }
    let left: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("inference"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn official_command_names_and_flags_work() {
    let env = Env::start();
    let list = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "list-challenges"]));
    assert!(list.is_array(), "{list}");
    let who = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "whoami"]));
    assert!(who["username"].is_string(), "{who}");

    let out = env.crowdcent(&["crowdcent", "download-training-data", "latest", "-o", "t.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(csv_header(&env.path("t.csv"))[0], "id");
    let out = env.crowdcent(&["crowdcent", "download-training-data", "--dest", "t.parquet"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(is_parquet(&env.path("t.parquet")));

    // As in the official CLI, RELEASE_DATE defaults to latest; --poll-interval takes seconds.
    let report = ok_json(env.crowdcent(&[
        "--output",
        "json",
        "crowdcent",
        "download-inference-data",
        "-o",
        "i.parquet",
    ]));
    assert!(
        report["path"].as_str().is_some_and(|p| p.ends_with("i.parquet")),
        "{report}"
    );
    let out = env.crowdcent(&[
        "crowdcent",
        "download-inference-data",
        "current",
        "--poll-interval",
        "1",
        "--timeout",
        "60",
        "-o",
        "c.parquet",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(is_parquet(&env.path("c.parquet")));
    let out = env.crowdcent(&["crowdcent", "download-meta-model", "-o", "m.parquet"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(is_parquet(&env.path("m.parquet")));

    let subs = ok_json(env.crowdcent(&[
        "--output",
        "json",
        "crowdcent",
        "list-submissions",
        "--period",
        "current",
    ]));
    assert!(subs.is_array(), "{subs}");
    let out = env.crowdcent(&["crowdcent", "get-submission", "999999"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let periods = ok_json(env.crowdcent(&["--output", "json", "crowdcent", "list-inference-data"]));
    assert!(periods.is_array(), "{periods}");

    // Hidden: not in the help.
    let help = crate::util::stdout(&env.crowdcent(&["crowdcent", "--help"]));
    assert!(!help.contains("download-training-data"), "{help}");
}

#[test]
fn output_with_a_path_points_at_out() {
    let env = Env::start();
    for args in [
        &["crowdcent", "training", "download", "--output", "out.csv"][..],
        &[
            "crowdcent",
            "download-inference-data",
            "current",
            "--output",
            "inf.parquet",
        ],
        &["--output", "preds", "crowdcent", "meta-model", "download"],
    ] {
        let out = env.crowdcent(args);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{args:?}: {err}");
        assert!(err.contains("did you mean --out"), "{args:?}: {err}");
    }
    assert!(!env.path("out.csv").exists());
}

#[test]
fn a_malformed_env_line_is_named() {
    let env = Env::start();
    std::fs::write(env.path(".env"), "# secrets\nOTHER=1\nCROWDCENT_API_KEY abc\n").unwrap();
    let out = env.anon(&["--base-url", &env.info.crowdcent_url, "crowdcent", "challenges"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 3, "{err}");
    assert!(err.contains("line 3 of .env"), "{err}");
    // A well-formed file works (stdin is not a terminal, so nothing is prompted).
    let key = &env.info.crowdcent_api_key;
    std::fs::write(env.path(".env"), format!("OTHER=1\nCROWDCENT_API_KEY={key}\n")).unwrap();
    let out = env.anon(&["--base-url", &env.info.crowdcent_url, "crowdcent", "challenges"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

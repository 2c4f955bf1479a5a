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
        assert!((-1.0..=1.0).contains(&v), "{key} = {v}");
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

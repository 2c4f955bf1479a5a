//! Signed storage links refused by the storage host: a link that expires mid-flow is replaced by a
//! fresh one and the command succeeds; a storage host that always refuses ends in exit 1 with a
//! "run it again" hint, never a credentials hint.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::util::{assert_no_partial_files, code, json, mkt_cmd, stderr, stdout, Env};

/// What `mkt -v` logs when it replaces a refused link.
const REFETCH_LOG: &str = "storage link refused; requesting a fresh one";

fn buyer_cmd(env: &Env) -> Command {
    let mut cmd = mkt_cmd(env.dir.path());
    cmd.env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.buyer.username)
        .env("NUMERBAY_PASSWORD", &env.info.buyer.password)
        .env("NUMERBAY_KEY_PATH", &env.info.buyer_key_file);
    cmd
}

fn seller_cmd(env: &Env) -> Command {
    let mut cmd = mkt_cmd(env.dir.path());
    cmd.env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.seller.username)
        .env("NUMERBAY_PASSWORD", &env.info.seller.password);
    cmd
}

/// Runs `cmd` while expiring every signed URL at the moment its first storage request (`method`)
/// reaches the sandbox: the request is held by a one-shot latency fault, the test sees the fault
/// consumed, expires the URLs, and the held request then meets the real signature check.
fn run_expiring_mid_flow(env: &Env, method: &str, mut cmd: Command) -> Output {
    env.fault(json!({"prefix": "/storage/", "method": method, "latency_ms": 1000, "count": 1}));
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mkt");
    let faults = format!("{}/faults", env.info.control_url);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let snapshot: serde_json::Value = env.runtime.block_on(async {
            reqwest::get(&faults)
                .await
                .expect("control API reachable")
                .json()
                .await
                .expect("faults JSON")
        });
        if snapshot["rules"].as_array().is_some_and(Vec::is_empty) {
            break;
        }
        assert!(Instant::now() < deadline, "mkt never reached the storage host");
        std::thread::sleep(Duration::from_millis(10));
    }
    env.control("/faults/expire-urls", json!({}));
    child.wait_with_output().expect("mkt finishes")
}

fn ok_json(out: &Output) -> serde_json::Value {
    assert_eq!(code(out), 0, "stderr:\n{}", stderr(out));
    json(out)
}

fn submit_plain(env: &Env, csv: &std::path::Path) {
    let out = seller_cmd(env)
        .args(["--output", "json", "numerbay", "submit"])
        .arg(csv)
        .args(["--product", &env.info.plain_product])
        .output()
        .expect("run mkt");
    let report = ok_json(&out);
    assert!(
        report["results"]
            .as_array()
            .is_some_and(|r| r.iter().all(|r| r["ok"] == true)),
        "{report}"
    );
}

#[test]
fn a_download_link_that_expires_mid_flow_is_replaced_and_the_download_succeeds() {
    let env = Env::start();
    let csv = env.predictions_csv("predictions.csv", 500);
    submit_plain(&env, &csv);
    let dest = env.path("bought.csv");
    let mut cmd = buyer_cmd(&env);
    cmd.args(["-v", "--output", "json", "numerbay", "download", "--product"])
        .arg(&env.info.plain_product)
        .arg("--out")
        .arg(&dest);
    let out = run_expiring_mid_flow(&env, "GET", cmd);
    let downloaded = ok_json(&out);
    assert!(
        stderr(&out).contains(REFETCH_LOG),
        "no refetch happened:\n{}",
        stderr(&out)
    );
    assert_eq!(downloaded["decrypted"], false);
    assert_eq!(std::fs::read(&dest).unwrap(), std::fs::read(&csv).unwrap());
    assert_no_partial_files(env.dir.path(), &[]);
}

#[test]
fn an_upload_link_that_expires_mid_flow_is_replaced_and_the_upload_succeeds() {
    let env = Env::start();
    let csv = env.predictions_csv("predictions.csv", 500);
    let mut cmd = seller_cmd(&env);
    cmd.args(["-v", "--output", "json", "numerbay", "submit"])
        .arg(&csv)
        .args(["--product", &env.info.plain_product]);
    let out = run_expiring_mid_flow(&env, "PUT", cmd);
    let report = ok_json(&out);
    assert!(
        stderr(&out).contains(REFETCH_LOG),
        "no refetch happened:\n{}",
        stderr(&out)
    );
    assert!(
        report["results"]
            .as_array()
            .is_some_and(|r| r.iter().all(|r| r["ok"] == true)),
        "{report}"
    );
    // The buyer gets exactly the bytes sent through the fresh link.
    let dest = env.path("bought.csv");
    let out = env.buyer(&[
        "numerbay",
        "download",
        "--product",
        &env.info.plain_product,
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read(&dest).unwrap(), std::fs::read(&csv).unwrap());
}

#[test]
fn a_crowdcent_link_that_expires_mid_flow_is_replaced_and_the_download_succeeds() {
    let env = Env::start();
    let mut cmd = env.crowdcent_cmd();
    cmd.args([
        "-v",
        "crowdcent",
        "meta-model",
        "download",
        "--out",
        "meta.parquet",
    ]);
    let out = run_expiring_mid_flow(&env, "GET", cmd);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(REFETCH_LOG),
        "no refetch happened:\n{}",
        stderr(&out)
    );
    let bytes = std::fs::read(env.path("meta.parquet")).unwrap();
    assert!(bytes.starts_with(b"PAR1"), "not a parquet file");
}

/// Exit 1, the refusal and the link hint on stderr, and no credentials hint.
fn assert_refused(out: &Output, credentials: &[&str]) {
    let err = stderr(out);
    assert_eq!(code(out), 1, "{err}");
    assert!(err.contains("the storage link was refused (HTTP 403"), "{err}");
    assert!(
        err.contains("hint: the download or upload link expired or was refused"),
        "{err}"
    );
    for var in credentials {
        assert!(
            !err.contains(var),
            "a credentials hint for a refused link:\n{err}"
        );
    }
    assert!(!err.contains("sig="), "the signature leaked:\n{err}");
}

#[test]
fn a_storage_host_that_always_refuses_fails_with_a_link_hint_not_a_credentials_hint() {
    let env = Env::start();
    let csv = env.predictions_csv("predictions.csv", 100);
    submit_plain(&env, &csv);
    env.fault(json!({"prefix": "/storage/", "method": "GET", "status": 403}));
    let dest = env.path("bought.csv");
    let out = env.buyer(&[
        "numerbay",
        "download",
        "--product",
        &env.info.plain_product,
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert_refused(&out, &["NUMERBAY_USERNAME", "NUMERBAY_PASSWORD"]);
    assert!(!dest.exists());
    assert_no_partial_files(env.dir.path(), &[]);

    let out = env.crowdcent(&["crowdcent", "meta-model", "download", "--out", "meta.parquet"]);
    assert_refused(&out, &["CROWDCENT_API_KEY"]);
    assert!(!env.path("meta.parquet").exists());
}

#[test]
fn an_upload_the_storage_host_always_refuses_fails_with_exit_one() {
    let env = Env::start();
    let csv = env.predictions_csv("predictions.csv", 100);
    env.fault(json!({"prefix": "/storage/", "method": "PUT", "status": 403}));
    let out = env.seller(&[
        "numerbay",
        "submit",
        csv.to_str().unwrap(),
        "--product",
        &env.info.plain_product,
    ]);
    let (table, err) = (stdout(&out), stderr(&out));
    assert_eq!(code(&out), 1, "{err}");
    // The per-copy table names the refusal; the error itself is "1 of 1 uploads failed".
    assert!(
        table.contains("the storage link was refused (HTTP 403"),
        "{table}"
    );
    for text in [&table, &err] {
        assert!(
            !text.contains("NUMERBAY_USERNAME") && !text.contains("NUMERBAY_PASSWORD"),
            "{text}"
        );
    }
}

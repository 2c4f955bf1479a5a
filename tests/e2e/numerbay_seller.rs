//! `mkt numerbay submit` and `lock` (issue 14): validation before any upload, idempotent
//! re-runs, --replace, unknown orders, Ctrl-C with a table, locking twice.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::util::{code, json, stderr, stdout, Env};

/// Every artifact of the seller's products and sales, as the sandbox lists them to the seller:
/// the product artifacts of `product` plus the order artifacts of every active sale.
fn artifact_count(env: &Env, product: &str) -> usize {
    let out = env.seller(&["--output", "json", "numerbay", "artifacts", "--product", product]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut n = json(&out).as_array().expect("array").len();
    let sales = env.seller(&["--output", "json", "numerbay", "sales", "--active"]);
    for sale in json(&sales).as_array().expect("array") {
        if sale["product"]["sku"] != product {
            continue;
        }
        let id = sale["id"].to_string();
        let out = env.seller(&["--output", "json", "numerbay", "artifacts", "--order-id", &id]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        n += json(&out).as_array().expect("array").len();
    }
    n
}

fn submit(env: &Env, file: &str, product: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "--output",
        "json",
        "numerbay",
        "submit",
        file,
        "--product",
        product,
    ];
    args.extend_from_slice(extra);
    env.seller(&args)
}

#[test]
fn empty_or_invalid_files_exit_five_and_send_nothing() {
    let env = Env::start();
    let empty = env.path("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let bad = env.path("bad.csv");
    std::fs::write(&bad, "id,prediction\nn1,0.5\nn2,NaN\nn3,1.7\nn1,0.2\n").unwrap();
    for product in [&env.info.plain_product, &env.info.encrypted_product] {
        for file in [&empty, &bad] {
            let out = submit(&env, file.to_str().unwrap(), product, &[]);
            assert_eq!(code(&out), 5, "{file:?} to {product}: {}", stderr(&out));
            assert!(stderr(&out).contains("nothing was uploaded"), "{}", stderr(&out));
        }
        assert_eq!(artifact_count(&env, product), 0, "{product} got an artifact");
    }
    let out = submit(&env, bad.to_str().unwrap(), &env.info.plain_product, &[]);
    assert!(stderr(&out).contains("numerai-classic"), "{}", stderr(&out));
    // --rules overrides the category's rules; --no-validate sends the file as it is.
    let out = submit(
        &env,
        bad.to_str().unwrap(),
        &env.info.plain_product,
        &["--rules", "numerai-signals"],
    );
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("numerai-signals"), "{}", stderr(&out));
    let out = submit(
        &env,
        bad.to_str().unwrap(),
        &env.info.plain_product,
        &["--no-validate"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(artifact_count(&env, &env.info.plain_product), 1);
}

#[test]
fn reruns_skip_delivered_copies_and_replace_sends_again() {
    let env = Env::start();
    let csv = env.predictions_csv("preds.csv", 100);
    let csv = csv.to_str().unwrap();
    let product = &env.info.encrypted_product;
    let first = submit(&env, csv, product, &[]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let first = json(&first);
    let sent = first["results"].as_array().unwrap().len();
    assert!(sent >= 2, "{first}");
    let count = artifact_count(&env, product);

    let again = submit(&env, csv, product, &[]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    let report = json(&again);
    assert!(report["results"].as_array().unwrap().is_empty(), "{report}");
    assert_eq!(report["already_delivered"].as_array().unwrap().len(), sent);
    assert_eq!(report["nothing_to_upload"], "already_delivered");
    assert_eq!(artifact_count(&env, product), count, "a re-run uploaded again");

    let table = env.seller(&["numerbay", "submit", csv, "--product", product]);
    assert_eq!(code(&table), 0, "{}", stderr(&table));
    assert!(
        stderr(&table).contains(&format!(
            "{sent} already delivered; --replace sends this file again"
        )),
        "{}",
        stderr(&table)
    );
    assert!(stdout(&table).contains("already delivered"), "{}", stdout(&table));

    let replaced = submit(&env, csv, product, &["--replace"]);
    assert_eq!(code(&replaced), 0, "{}", stderr(&replaced));
    assert_eq!(json(&replaced)["results"].as_array().unwrap().len(), sent);
    assert_eq!(artifact_count(&env, product), count + sent);
}

#[test]
fn an_order_that_is_no_active_sale_exits_four() {
    let env = Env::start();
    let csv = env.predictions_csv("preds.csv", 50);
    let out = submit(
        &env,
        csv.to_str().unwrap(),
        &env.info.encrypted_product,
        &["--order-id", "999"],
    );
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("order 999 is not an active sale"),
        "{}",
        stderr(&out)
    );
    assert_eq!(artifact_count(&env, &env.info.encrypted_product), 0);
}

#[test]
fn locking_a_locked_round_succeeds_and_says_so() {
    let env = Env::start();
    let lock = || env.seller(&["numerbay", "lock", "--product", &env.info.plain_product]);
    let first = lock();
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(stdout(&first).starts_with("locked "), "{}", stdout(&first));
    let second = lock();
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert!(
        stdout(&second).contains("already locked for round"),
        "{}",
        stdout(&second)
    );
}

#[test]
fn interrupted_submit_prints_each_target_and_exits_130() {
    let env = Env::start();
    let csv = env.predictions_csv("preds.csv", 100);
    // The first PUT is held for a while; the test sees the one-shot fault consumed (the copy is
    // in flight), then sends SIGINT: that copy finishes, the others are never started.
    env.fault(json!({"prefix": "/storage/", "method": "PUT", "latency_ms": 1500, "count": 1}));
    let mut cmd = crate::util::mkt_cmd(env.dir.path());
    cmd.env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.seller.username)
        .env("NUMERBAY_PASSWORD", &env.info.seller.password)
        .args(["numerbay", "submit", csv.to_str().unwrap(), "--product"])
        .arg(&env.info.encrypted_product)
        .args(["--concurrency", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd.spawn().expect("spawn mkt");
    let faults = format!("{}/faults", env.info.control_url);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let snapshot: serde_json::Value = env.runtime.block_on(async {
            reqwest::get(&faults)
                .await
                .expect("control API")
                .json()
                .await
                .expect("JSON")
        });
        if snapshot["rules"].as_array().is_some_and(Vec::is_empty) {
            break;
        }
        assert!(Instant::now() < deadline, "mkt never reached the storage host");
        std::thread::sleep(Duration::from_millis(10));
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("mkt finishes");
    assert_eq!(code(&out), 130, "{}", stderr(&out));
    let table = stdout(&out);
    assert_eq!(table.matches(" delivered").count(), 1, "{table}");
    assert!(table.contains("not sent"), "{table}");
    assert!(
        stderr(&out).contains("interrupted: 1 copy delivered"),
        "{}",
        stderr(&out)
    );
    // What the table says is what the server holds.
    assert_eq!(artifact_count(&env, &env.info.encrypted_product), 1);
}

//! `mkt numerbay`: every command's happy path with `--output json`, and its exit codes.

use crate::util::{code, json, stderr, Env};

fn ok_json(out: std::process::Output) -> serde_json::Value {
    assert_eq!(code(&out), 0, "stderr:\n{}", stderr(&out));
    json(&out)
}

#[test]
fn read_commands_print_typed_json() {
    let env = Env::start();
    let account = ok_json(env.seller(&["--output", "json", "numerbay", "account"]));
    assert_eq!(account["username"], "seller");

    let globals = ok_json(env.seller(&["--output", "json", "numerbay", "globals"]));
    assert!(globals["selling_round"].as_u64().unwrap() > 0);

    let sales = ok_json(env.seller(&["--output", "json", "numerbay", "sales", "--active"]));
    let sales = sales.as_array().expect("a JSON array of orders");
    assert!(!sales.is_empty());
    assert!(sales.iter().all(|o| o["state"] == "confirmed"), "{sales:?}");

    let listings = ok_json(env.seller(&["--output", "json", "numerbay", "listings"]));
    let names: Vec<&str> = listings
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["sku"].as_str())
        .collect();
    assert!(names.contains(&env.info.encrypted_product.as_str()), "{names:?}");
    assert!(names.contains(&env.info.plain_product.as_str()), "{names:?}");

    let found = ok_json(env.seller(&["--output", "json", "numerbay", "search", "mkt"]));
    assert!(found.as_array().unwrap().len() >= 2);

    let orders = ok_json(env.buyer(&["--output", "json", "numerbay", "orders"]));
    assert!(
        orders.as_array().unwrap().len() >= 2,
        "the buyer holds one order per product"
    );
}

#[test]
fn submit_then_download_round_trips_the_bytes() {
    let env = Env::start();
    let csv = env.predictions_csv("predictions.csv", 300);
    let report = ok_json(env.seller(&[
        "--output",
        "json",
        "numerbay",
        "submit",
        csv.to_str().unwrap(),
        "--product",
        &env.info.encrypted_product,
    ]));
    let results = report["results"].as_array().unwrap();
    assert!(results.iter().all(|r| r["ok"] == true), "{report}");
    assert!(results.iter().any(|r| r["target"]["kind"] == "sealed"));

    let artifacts = ok_json(env.seller(&[
        "--output",
        "json",
        "numerbay",
        "artifacts",
        "--product",
        &env.info.encrypted_product,
    ]));
    assert!(!artifacts.as_array().unwrap().is_empty());

    let out = env.path("bought.csv");
    let downloaded = ok_json(env.buyer(&[
        "--output",
        "json",
        "numerbay",
        "download",
        "--product",
        &env.info.encrypted_product,
        "--out",
        out.to_str().unwrap(),
    ]));
    assert_eq!(downloaded["decrypted"], true);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&csv).unwrap());
}

#[test]
fn lock_answers_with_the_product() {
    let env = Env::start();
    let out = env.seller(&[
        "--output",
        "json",
        "numerbay",
        "lock",
        "--product",
        &env.info.plain_product,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn missing_credentials_exit_three_before_any_request() {
    let env = Env::start();
    // No NUMERBAY_USERNAME/PASSWORD and no TTY: a usable hint, exit 3, nothing sent.
    let out = env.anon(&["--base-url", &env.info.numerbay_url, "numerbay", "account"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("NUMERBAY_USERNAME"), "{}", stderr(&out));
}

#[test]
fn rejected_credentials_exit_three_with_the_server_message() {
    let env = Env::start();
    let out = env.numerbay_as("seller", "not-the-password", &["numerbay", "account"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Incorrect username or password"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_product_exits_four() {
    let env = Env::start();
    let out = env.seller(&[
        "numerbay",
        "artifacts",
        "--product",
        "numerai-predictions-does-not-exist",
    ]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).starts_with("error:"));
}

#[test]
fn invalid_artifact_id_is_a_usage_error() {
    let env = Env::start();
    let out = env.buyer(&["numerbay", "download", "--artifact-id", "12ab"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

#[test]
fn wrong_key_file_fails_and_leaves_no_output() {
    let env = Env::start();
    let csv = env.predictions_csv("p.csv", 50);
    let out = env.seller(&[
        "numerbay",
        "submit",
        csv.to_str().unwrap(),
        "--product",
        &env.info.encrypted_product,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let other_key = env.path("other.json");
    let out = env.anon(&["keys", "generate", "--out", other_key.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let dest = env.path("never.csv");
    let out = env.buyer(&[
        "numerbay",
        "download",
        "--product",
        &env.info.encrypted_product,
        "--key-file",
        other_key.to_str().unwrap(),
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert_ne!(code(&out), 0);
    assert!(!dest.exists(), "a failed decryption left {}", dest.display());
    assert!(stderr(&out).to_lowercase().contains("key"), "{}", stderr(&out));
}

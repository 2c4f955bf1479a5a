//! Buyer side of issue 14: `artifacts --order-id`, downloads by order after the round moved on,
//! and the one key resolution shared by download, `keys show` and `crypto open`.

use std::process::{Command, Output};

use serde_json::json;

use crate::util::{code, json, mkt_cmd, stderr, stdout, Env};

/// `mkt` as the buyer, with no key source except the ones given in `envs`.
fn buyer_without_key(env: &Env, envs: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd: Command = mkt_cmd(env.dir.path());
    cmd.env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.buyer.username)
        .env("NUMERBAY_PASSWORD", &env.info.buyer.password);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.args(args).output().expect("run mkt")
}

/// The buyer's order of the encrypted product, after the seller uploaded for the round.
fn sealed_order(env: &Env) -> String {
    let csv = env.predictions_csv("preds.csv", 50);
    let out = env.seller(&[
        "numerbay",
        "submit",
        csv.to_str().unwrap(),
        "--product",
        &env.info.encrypted_product,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let orders = json(&env.buyer(&["--output", "json", "numerbay", "orders"]));
    let order = orders
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["product"]["sku"] == env.info.encrypted_product.as_str())
        .expect("the buyer's sealed order");
    order["id"].to_string()
}

fn private_key(env: &Env) -> String {
    let text = std::fs::read_to_string(&env.info.buyer_key_file).expect("key file");
    let v: serde_json::Value = serde_json::from_str(&text).expect("key JSON");
    v["private_key"].as_str().expect("private_key").to_owned()
}

#[test]
fn artifacts_of_an_order_are_listed_and_past_orders_get_a_clear_answer() {
    let env = Env::start();
    let order = sealed_order(&env);
    let listed = env.buyer(&["--output", "json", "numerbay", "artifacts", "--order-id", &order]);
    assert_eq!(code(&listed), 0, "{}", stderr(&listed));
    let listed = json(&listed);
    assert!(!listed.as_array().unwrap().is_empty(), "{listed}");
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["order_id"] == order.parse::<u64>().unwrap()));

    let out = env.path("now.csv");
    let now = env.buyer(&[
        "numerbay",
        "download",
        "--order-id",
        &order,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&now), 0, "{}", stderr(&now));

    // The round moves on: the order is still the buyer's confirmed order, so the client asks the
    // server for its files instead of refusing it as "not current"; this server no longer serves
    // past rounds' files of per-round products, and the message says so (exit 4).
    env.control("/round/advance", json!({}));
    let later = env.path("later.csv");
    let past = env.buyer(&[
        "numerbay",
        "download",
        "--order-id",
        &order,
        "--out",
        later.to_str().unwrap(),
    ]);
    assert_eq!(code(&past), 4, "{}", stderr(&past));
    assert!(
        stderr(&past).contains(&format!("order {order} covers round(s)")),
        "{}",
        stderr(&past)
    );
    assert!(!later.exists());
}

#[test]
fn download_and_keys_show_share_one_key_resolution() {
    let env = Env::start();
    let order = sealed_order(&env);
    let expected = {
        let out = env.anon(&[
            "keys",
            "show",
            "--key-file",
            env.info.buyer_key_file.to_str().unwrap(),
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        stdout(&out).trim().to_owned()
    };
    let secret = private_key(&env);

    // Nothing set: exit 3, and the error lists every source tried.
    let none = buyer_without_key(&env, &[], &["keys", "show"]);
    assert_eq!(code(&none), 3, "{}", stderr(&none));
    for tried in [
        "--key-file",
        "NUMERBAY_KEY_PATH",
        "NUMERBAY_KEY_BASE64",
        "numerbay.key_file",
        "./numerbay.json",
    ] {
        assert!(stderr(&none).contains(tried), "{tried}: {}", stderr(&none));
    }
    let dl = env.path("a.csv");
    let none = buyer_without_key(
        &env,
        &[],
        &[
            "numerbay",
            "download",
            "--order-id",
            &order,
            "--out",
            dl.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&none), 3, "{}", stderr(&none));
    assert!(
        stderr(&none).contains("NUMERBAY_KEY_BASE64 (not set)"),
        "{}",
        stderr(&none)
    );

    // NUMERBAY_KEY_BASE64: the private key itself, never echoed.
    let envs = [("NUMERBAY_KEY_BASE64", secret.as_str())];
    let shown = buyer_without_key(&env, &envs, &["keys", "show"]);
    assert_eq!(stdout(&shown).trim(), expected, "{}", stderr(&shown));
    let got = buyer_without_key(
        &env,
        &envs,
        &[
            "numerbay",
            "download",
            "--order-id",
            &order,
            "--out",
            dl.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&got), 0, "{}", stderr(&got));
    assert!(!stderr(&got).contains(&secret) && !stdout(&got).contains(&secret));

    // ./numerbay.json in the working directory.
    std::fs::copy(&env.info.buyer_key_file, env.path("numerbay.json")).unwrap();
    let dl2 = env.path("b.csv");
    let got = buyer_without_key(
        &env,
        &[],
        &[
            "numerbay",
            "download",
            "--order-id",
            &order,
            "--out",
            dl2.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&got), 0, "{}", stderr(&got));
    assert_eq!(std::fs::read(&dl).unwrap(), std::fs::read(&dl2).unwrap());

    // Order: NUMERBAY_KEY_PATH beats NUMERBAY_KEY_BASE64, which beats ./numerbay.json.
    let other = env.path("other.json");
    assert_eq!(
        code(&env.anon(&["keys", "generate", "--out", other.to_str().unwrap()])),
        0
    );
    let other_public = stdout(&env.anon(&["keys", "show", "--key-file", other.to_str().unwrap()]))
        .trim()
        .to_owned();
    std::fs::copy(&other, env.path("numerbay.json")).unwrap();
    let shown = buyer_without_key(&env, &envs, &["keys", "show"]);
    assert_eq!(stdout(&shown).trim(), expected);
    let by_path = [
        ("NUMERBAY_KEY_BASE64", secret.as_str()),
        ("NUMERBAY_KEY_PATH", other.to_str().unwrap()),
    ];
    let shown = buyer_without_key(&env, &by_path, &["keys", "show"]);
    assert_eq!(stdout(&shown).trim(), other_public);
    let shown = buyer_without_key(&env, &[], &["keys", "show"]);
    assert_eq!(
        stdout(&shown).trim(),
        other_public,
        "./numerbay.json is the last resort"
    );
}

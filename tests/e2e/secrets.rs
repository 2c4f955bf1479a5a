//! Secrets never reach the terminal: run the CLI with `-vvv` through login, upload, download and a
//! CrowdCent submission and look for every secret in both streams.

use crate::util::{code, stderr, stdout, Env};

fn assert_clean(label: &str, out: &std::process::Output, secrets: &[&str]) {
    let text = format!("{}\n{}", stdout(out), stderr(out));
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "{label}: a secret leaked into the output:\n{text}"
        );
    }
    // Bearer tokens are JWTs: their header always starts with `eyJ`.
    assert!(
        !text.contains("eyJ"),
        "{label}: a token leaked into the output:\n{text}"
    );
}

#[test]
fn verbose_runs_never_print_passwords_tokens_keys_or_private_keys() {
    let env = Env::start();
    let key_file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&env.info.buyer_key_file).unwrap()).unwrap();
    let private_key = key_file["private_key"].as_str().unwrap().to_owned();
    let secrets = [
        env.info.seller.password.as_str(),
        env.info.buyer.password.as_str(),
        env.info.crowdcent_api_key.as_str(),
        private_key.as_str(),
    ];
    let csv = env.predictions_csv("p.csv", 200);
    let out = env.seller(&[
        "-vvv",
        "numerbay",
        "submit",
        csv.to_str().unwrap(),
        "--product",
        &env.info.encrypted_product,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stderr(&out).is_empty(), "-vvv should log something");
    assert_clean("submit", &out, &secrets);

    let dest = env.path("bought.csv");
    let out = env.buyer(&[
        "-vvv",
        "numerbay",
        "download",
        "--product",
        &env.info.encrypted_product,
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_clean("download", &out, &secrets);

    let out = env.numerbay_as("seller", "wrong-password", &["-vvv", "numerbay", "account"]);
    assert_eq!(code(&out), 3);
    assert_clean("failed login", &out, &["wrong-password"]);

    let out = env.crowdcent(&["-vvv", "crowdcent", "training", "download", "--out", "t.parquet"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_clean("crowdcent download", &out, &secrets);
    // Signed storage URLs carry their credentials in the query; logs keep only the path.
    assert!(!stderr(&out).contains("sig="), "{}", stderr(&out));

    let out = env.anon(&[
        "-vvv",
        "keys",
        "show",
        "--key-file",
        env.info.buyer_key_file.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_clean("keys show", &out, &[private_key.as_str()]);
}

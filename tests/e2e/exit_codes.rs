//! One exit-code table for every command (docs/cli.md, "Exit codes"): a missing input file is 1,
//! rejected credentials 3, a missing resource 4. The file-taking commands are found by walking the
//! clap tree, so a new path argument fails here until it is classified.

use std::collections::BTreeSet;

use clap::{CommandFactory, ValueHint};

use crate::util::{code, stderr, Env};

/// Path arguments that mkt writes (or creates when absent), never reads as input.
const NOT_INPUTS: &[&str] = &[
    "numerbay download --out",
    "numerbay autopilot --state-file",
    "numerbay autopilot deploy --state-file",
    "crowdcent training download --out",
    "crowdcent inference download --out",
    "crowdcent meta-model download --out",
    "crowdcent download-inference-data --out",
    "crowdcent download-meta-model --out",
    "crowdcent download-training-data --out",
    "crowdcent targets --out",
    "crowdcent run-daily --out-dir",
    "crowdcent run-daily deploy --out-dir",
    "crowdcent run-daily deploy --workdir",
    "crowdcent run-daily deploy --mkt",
    "frame convert OUT",
    "keys generate --out",
    "crypto seal OUT",
    "crypto open OUT",
    "sandbox serve --data-dir",
];

/// Every path argument of every command, as `"group sub --long"` or `"group sub POSITIONAL"`.
fn path_args() -> BTreeSet<String> {
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut BTreeSet<String>) {
        for arg in cmd.get_arguments() {
            if arg.is_global_set()
                || !matches!(arg.get_value_hint(), ValueHint::AnyPath | ValueHint::FilePath)
            {
                continue;
            }
            let name = match arg.get_long() {
                Some(long) => format!("--{long}"),
                None => arg
                    .get_value_names()
                    .and_then(|v| v.first())
                    .map_or_else(|| arg.get_id().as_str().to_uppercase(), ToString::to_string),
            };
            out.insert(format!("{prefix} {name}").trim().to_owned());
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{prefix} {}", sub.get_name()), out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&mkt_cli::Cli::command(), "", &mut out);
    out
}

/// The command line that reads `missing` through the given path argument (the other arguments
/// valid), or `None` for an argument this test does not know yet.
fn reading(env: &Env, arg: &str, missing: &str) -> Option<Vec<String>> {
    let csv = env.predictions_csv("ok.csv", 20);
    let csv = csv.to_str().unwrap();
    let scores = env.path("scores.csv");
    std::fs::write(
        &scores,
        "id,pred_10d,pred_30d,target_10d,target_30d\na,0.1,0.2,0.3,0.4\n",
    )
    .unwrap();
    let scores = scores.to_str().unwrap();
    let key = env.info.buyer_key_file.to_str().unwrap();
    let product = env.info.encrypted_product.as_str();
    let out = env.path("out.bin");
    let out = out.to_str().unwrap();
    let line: Vec<&str> = match arg {
        "numerbay submit PATH" => vec!["numerbay", "submit", missing, "--product", product],
        "numerbay download --key-file" => {
            vec![
                "numerbay",
                "download",
                "--product",
                product,
                "--key-file",
                missing,
                "--out",
                out,
            ]
        }
        "numerbay autopilot --predictions" => vec![
            "numerbay",
            "autopilot",
            "--product",
            product,
            "--predictions",
            missing,
            "--until",
            "once",
        ],
        "crowdcent submit FILE" => vec!["crowdcent", "submit", missing, "--slot", "1"],
        "crowdcent score --predictions" => {
            vec![
                "crowdcent",
                "score",
                "--predictions",
                missing,
                "--targets",
                scores,
            ]
        }
        "crowdcent score --targets" => {
            vec![
                "crowdcent",
                "score",
                "--predictions",
                scores,
                "--targets",
                missing,
            ]
        }
        "crowdcent score --meta-model" => {
            vec![
                "crowdcent",
                "score",
                "--predictions",
                scores,
                "--targets",
                scores,
                "--meta-model",
                missing,
            ]
        }
        "crowdcent targets PRICES" => vec!["crowdcent", "targets", missing, "-o", "targets-out.csv"],
        "frame convert IN" => vec!["frame", "convert", missing, out],
        "frame validate FILE" => vec!["frame", "validate", missing, "--rules", "numerai-classic"],
        "frame validate --inference" => {
            vec![
                "frame",
                "validate",
                csv,
                "--rules",
                "numerai-classic",
                "--inference",
                missing,
            ]
        }
        "frame inspect FILE" => vec!["frame", "inspect", missing],
        "keys show --key-file" => vec!["keys", "show", "--key-file", missing],
        "crypto seal --key-file" => vec!["crypto", "seal", "--key-file", missing, csv, out],
        "crypto seal IN" => vec!["crypto", "seal", "--key-file", key, missing, out],
        "crypto open --key-file" => vec!["crypto", "open", "--key-file", missing, csv, out],
        "crypto open IN" => vec!["crypto", "open", "--key-file", key, missing, out],
        _ => return None,
    };
    Some(line.into_iter().map(str::to_owned).collect())
}

/// Runs `args` with both platforms' sandbox credentials, so only the file can be at fault.
fn run(env: &Env, args: &[String]) -> std::process::Output {
    env.crowdcent_cmd()
        .env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.seller.username)
        .env("NUMERBAY_PASSWORD", &env.info.seller.password)
        .args(args)
        .output()
        .expect("run mkt")
}

#[test]
fn a_missing_input_file_exits_one_in_every_command() {
    let env = Env::start();
    let missing = env.path("does-not-exist.csv");
    let missing = missing.to_str().unwrap();
    let mut unknown = Vec::new();
    let mut checked = 0;
    for arg in path_args() {
        if NOT_INPUTS.contains(&arg.as_str()) {
            continue;
        }
        let Some(line) = reading(&env, &arg, missing) else {
            unknown.push(arg);
            continue;
        };
        let out = run(&env, &line);
        assert_eq!(code(&out), 1, "`mkt {}`:\n{}", line.join(" "), stderr(&out));
        assert!(
            stderr(&out).contains("does-not-exist.csv"),
            "`mkt {}` should name the file:\n{}",
            line.join(" "),
            stderr(&out)
        );
        checked += 1;
    }
    assert!(
        unknown.is_empty(),
        "classify these path arguments (an input in `reading`, or NOT_INPUTS): {unknown:?}"
    );
    assert!(checked >= 15, "only {checked} inputs checked");
}

#[test]
fn an_unreadable_key_file_exits_one_not_three() {
    let env = Env::start();
    let dir = env.path("a-directory");
    std::fs::create_dir(&dir).unwrap();
    let out = env.anon(&["keys", "show", "--key-file", dir.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}

/// A command's name, a valid invocation, and one naming a missing resource.
type Networked = (&'static str, Vec<String>, Option<Vec<String>>);

/// Every NumerBay and CrowdCent command that talks to the server, with arguments naming a
/// resource that does not exist (`None`: the command names none).
fn networked(env: &Env) -> Vec<Networked> {
    let csv = env.predictions_csv("net.csv", 20);
    let csv = csv.to_str().unwrap().to_owned();
    let out = env.path("net-out").to_str().unwrap().to_owned();
    let nope = "numerai-predictions-does-not-exist".to_owned();
    let v = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let product = env.info.encrypted_product.clone();
    vec![
        ("numerbay account", v(&["numerbay", "account"]), None),
        ("numerbay orders", v(&["numerbay", "orders"]), None),
        ("numerbay sales", v(&["numerbay", "sales"]), None),
        ("numerbay listings", v(&["numerbay", "listings"]), None),
        ("numerbay search", v(&["numerbay", "search"]), None),
        (
            "numerbay artifacts",
            v(&["numerbay", "artifacts", "--product", &product]),
            Some(v(&["numerbay", "artifacts", "--product", &nope])),
        ),
        (
            "numerbay submit",
            v(&["numerbay", "submit", &csv, "--product", &product]),
            Some(v(&["numerbay", "submit", &csv, "--product", &nope])),
        ),
        (
            "numerbay download",
            v(&["numerbay", "download", "--product", &product, "--out", &out]),
            Some(v(&["numerbay", "download", "--product", &nope, "--out", &out])),
        ),
        (
            "numerbay lock",
            v(&["numerbay", "lock", "--product", &product]),
            Some(v(&["numerbay", "lock", "--product", &nope])),
        ),
        ("crowdcent challenges", v(&["crowdcent", "challenges"]), None),
        (
            "crowdcent challenge",
            v(&["crowdcent", "challenge"]),
            Some(v(&["crowdcent", "--challenge", "no-such-challenge", "challenge"])),
        ),
        (
            "crowdcent training list",
            v(&["crowdcent", "training", "list"]),
            None,
        ),
        (
            "crowdcent training get",
            v(&["crowdcent", "training", "get"]),
            Some(v(&["crowdcent", "training", "get", "99.0"])),
        ),
        (
            "crowdcent training download",
            v(&["crowdcent", "training", "download", "-o", &out]),
            Some(v(&["crowdcent", "training", "download", "99.0", "-o", &out])),
        ),
        (
            "crowdcent inference list",
            v(&["crowdcent", "inference", "list"]),
            None,
        ),
        (
            "crowdcent inference get",
            v(&["crowdcent", "inference", "get", "current"]),
            Some(v(&["crowdcent", "inference", "get", "2001-01-01"])),
        ),
        (
            "crowdcent inference download",
            v(&["crowdcent", "inference", "download", "-o", &out]),
            Some(v(&[
                "crowdcent",
                "inference",
                "download",
                "2001-01-01",
                "-o",
                &out,
            ])),
        ),
        (
            "crowdcent meta-model download",
            v(&["crowdcent", "meta-model", "download", "-o", &out]),
            None,
        ),
        (
            "crowdcent submissions list",
            v(&["crowdcent", "submissions", "list"]),
            None,
        ),
        (
            "crowdcent submissions get",
            v(&["crowdcent", "submissions", "get", "1"]),
            Some(v(&["crowdcent", "submissions", "get", "987654"])),
        ),
        ("crowdcent auth-check", v(&["crowdcent", "auth-check"]), None),
        ("crowdcent performance", v(&["crowdcent", "performance"]), None),
    ]
}

/// Leaves of `numerbay` and `crowdcent` that do not call the server, or that run other commands
/// (their exit codes are covered in their own suites).
const NOT_NETWORKED: &[&str] = &[
    // Public: no credentials are sent.
    "numerbay globals",
    "numerbay autopilot",
    "numerbay autopilot deploy",
    "crowdcent submit",
    "crowdcent score",
    "crowdcent targets",
    "crowdcent run-daily",
    "crowdcent run-daily deploy",
];

fn leaves(cmd: &clap::Command, prefix: &str, out: &mut BTreeSet<String>) {
    // Hidden commands are aliases of the official CLI's names for commands checked here.
    if cmd.is_hide_set() {
        return;
    }
    let name = format!("{prefix} {}", cmd.get_name()).trim().to_owned();
    let subs: Vec<_> = cmd.get_subcommands().filter(|s| s.get_name() != "help").collect();
    if subs.is_empty() || cmd.is_args_conflicts_with_subcommands_set() || !cmd.is_subcommand_required_set() {
        out.insert(name.clone());
    }
    for sub in subs {
        leaves(sub, &name, out);
    }
}

#[test]
fn networked_commands_exit_three_on_bad_credentials_and_four_on_missing_resources() {
    let env = Env::start();
    let table = networked(&env);
    let root = mkt_cli::Cli::command();
    let mut all = BTreeSet::new();
    for group in ["numerbay", "crowdcent"] {
        let cmd = root.find_subcommand(group).unwrap();
        for sub in cmd.get_subcommands() {
            leaves(sub, group, &mut all);
        }
    }
    let known: BTreeSet<String> = table
        .iter()
        .map(|(n, _, _)| (*n).to_owned())
        .chain(NOT_NETWORKED.iter().map(|n| (*n).to_owned()))
        .collect();
    let forgotten: Vec<_> = all.difference(&known).collect();
    assert!(
        forgotten.is_empty(),
        "add these commands to `networked`: {forgotten:?}"
    );

    for (name, args, missing) in &table {
        let out = if name.starts_with("numerbay") {
            env.numerbay_as(&env.info.seller.username, "not-the-password", &str_args(args))
        } else {
            env.crowdcent_cmd()
                .env("CROWDCENT_API_KEY", "not-the-key")
                .args(args)
                .output()
                .unwrap()
        };
        assert_eq!(
            code(&out),
            3,
            "bad credentials, `mkt {}`:\n{}",
            args.join(" "),
            stderr(&out)
        );
        if let Some(missing) = missing {
            let out = run(&env, missing);
            assert_eq!(
                code(&out),
                4,
                "missing resource, `mkt {}`:\n{}",
                missing.join(" "),
                stderr(&out)
            );
        }
    }
}

fn str_args(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

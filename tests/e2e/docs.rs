//! Generated docs are current, and every command documents itself with examples.

use clap::CommandFactory;

use crate::util::{code, mkt, stdout};

#[test]
fn committed_cli_reference_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/cli.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let fresh = mkt_cli::docs::render_markdown();
    assert!(
        committed == fresh,
        "docs/cli.md is stale: run `cargo xtask docs` and commit the result"
    );
}

#[test]
fn top_level_help_lists_every_command_group() {
    let out = mkt(&["--help"]);
    assert_eq!(code(&out), 0);
    let help = stdout(&out);
    for group in [
        "numerbay",
        "crowdcent",
        "frame",
        "keys",
        "crypto",
        "sandbox",
        "config",
        "completions",
    ] {
        assert!(help.contains(group), "`mkt --help` does not list {group}");
    }
}

#[test]
fn every_leaf_command_has_a_summary_a_description_and_examples() {
    fn walk(cmd: &clap::Command, path: String, missing: &mut Vec<String>) {
        let subs: Vec<&clap::Command> = cmd.get_subcommands().filter(|s| s.get_name() != "help").collect();
        if subs.is_empty() {
            let examples = cmd
                .get_after_help()
                .or(cmd.get_after_long_help())
                .is_some_and(|h| h.to_string().contains("Examples:"));
            if cmd.get_about().is_none() || !examples {
                missing.push(path.clone());
            }
        }
        for sub in subs {
            walk(sub, format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&mkt_cli::Cli::command(), "mkt".into(), &mut missing);
    assert!(
        missing.is_empty(),
        "commands without a summary or an Examples: section: {missing:?}"
    );
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = mkt(&["completions", shell]);
        assert_eq!(code(&out), 0);
        assert!(
            stdout(&out).contains("numerbay"),
            "{shell} completion lacks subcommands"
        );
    }
}

#[test]
fn usage_errors_exit_two_and_help_exits_zero() {
    assert_eq!(code(&mkt(&["no-such-command"])), 2);
    assert_eq!(code(&mkt(&["frame", "convert"])), 2);
    assert_eq!(code(&mkt(&["numerbay", "--help"])), 0);
}

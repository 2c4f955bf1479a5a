//! `cargo xtask release <version>`: bump the workspace version, check the changelog, test and package.

use std::path::Path;
use std::process::Command;

/// Crates published, in dependency order (lower layers first).
const PUBLISH_ORDER: &[&str] = &[
    "marketplace-types",
    "artifact-crypto",
    "frame-io",
    "marketplace-core",
    "numerbay-client",
    "crowdcent-client",
    "marketplace-sandbox",
    "mkt-cli",
];

/// Runs the release steps for `version`.
pub fn run(root: &Path, version: &str, no_package: bool) -> anyhow::Result<()> {
    anyhow::ensure!(is_semver(version), "`{version}` is not a version like 1.2.3");
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).map_err(|e| {
        anyhow::anyhow!("cannot read CHANGELOG.md ({e}); add one with a `## {version}` entry")
    })?;
    anyhow::ensure!(
        changelog
            .lines()
            .any(|l| l.starts_with("## ") && l.contains(version)),
        "CHANGELOG.md has no `## {version}` entry; write the release notes first"
    );
    let manifest_path = root.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)?;
    let bumped = bump_versions(&manifest, version)?;
    std::fs::write(&manifest_path, bumped)?;
    eprintln!("bumped workspace version to {version}");
    super::run(
        Command::new("cargo")
            .args(["test", "--workspace"])
            .current_dir(root),
    )?;
    if !no_package {
        for krate in PUBLISH_ORDER {
            // Later crates depend on earlier ones that are not on crates.io yet, so verification
            // of the packaged tarball is only possible for the leaves; list the contents for all.
            super::run(
                Command::new("cargo")
                    .args(["package", "--list", "-p", krate])
                    .current_dir(root),
            )?;
        }
        // The Python package ships as a wheel (maturin), not through crates.io.
        super::wheel::run(root)?;
    }
    Ok(())
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Rewrites `[workspace.package] version` and every internal `version = "..."` in the
/// `[workspace.dependencies]` path entries to `version`.
fn bump_versions(manifest: &str, version: &str) -> anyhow::Result<String> {
    let mut out = String::with_capacity(manifest.len());
    let mut section = String::new();
    let mut bumped_package = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_owned();
        }
        if section == "[workspace.package]" && trimmed.starts_with("version") {
            out.push_str(&format!("version = \"{version}\"\n"));
            bumped_package = true;
            continue;
        }
        if section == "[workspace.dependencies]" && trimmed.contains("path = \"crates/") {
            if let Some(start) = line.find("version = \"") {
                let rest = &line[start + 11..];
                if let Some(end) = rest.find('"') {
                    out.push_str(&line[..start + 11]);
                    out.push_str(version);
                    out.push_str(&rest[end..]);
                    out.push('\n');
                    continue;
                }
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    anyhow::ensure!(bumped_package, "no version in [workspace.package] of Cargo.toml");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_package_and_internal_dependency_versions_only() {
        let manifest = "[workspace.package]\nversion = \"0.1.0\"\n\n[workspace.dependencies]\n\
            a = { path = \"crates/a\", version = \"0.1.0\" }\nserde = { version = \"1\" }\n";
        let out = bump_versions(manifest, "0.2.0").unwrap();
        assert!(out.contains("version = \"0.2.0\"\n\n"));
        assert!(out.contains("a = { path = \"crates/a\", version = \"0.2.0\" }"));
        assert!(out.contains("serde = { version = \"1\" }"));
    }

    #[test]
    fn semver_check() {
        assert!(is_semver("1.2.3"));
        assert!(is_semver("1.2.3-rc.1"));
        assert!(!is_semver("1.2"));
        assert!(!is_semver("v1.2.3"));
    }
}

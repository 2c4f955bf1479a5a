//! `cargo xtask release <version>`: bump the workspace version, check the changelog, test and package.

use std::path::Path;
use std::process::Command;

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
        package(root)?;
        // The Python package ships as a wheel (maturin), not through crates.io.
        super::wheel::run(root)?;
    }
    Ok(())
}

/// Packages every publishable crate and builds each from its tarball.
///
/// One `cargo package` call for all of them: cargo orders them by dependency and resolves the
/// internal dependencies against the tarballs it just made, so a file missing from a package, a
/// path-only dependency or a broken manifest fails here instead of at `cargo publish`.
pub fn package(root: &Path) -> anyhow::Result<()> {
    let crates = publishable(root)?;
    anyhow::ensure!(!crates.is_empty(), "no publishable crate found in the workspace");
    eprintln!("packaging {} crates: {}", crates.len(), crates.join(", "));
    forget_earlier_tarballs(root, &crates)?;
    let mut cmd = Command::new("cargo");
    cmd.arg("package").arg("--allow-dirty").current_dir(root);
    for krate in &crates {
        cmd.args(["-p", krate]);
    }
    super::run(&mut cmd)
}

/// Removes what earlier runs unpacked from their tarballs, and the build state made from it.
///
/// The verification step unpacks each tarball under `$CARGO_HOME/registry/src/<local registry>/`
/// and builds it as a registry crate. Cargo never unpacks a `name-version` again once it is there
/// and never rebuilds a registry crate whose fingerprint exists (registry sources are immutable to
/// it), so a second run on the same checkout would verify the crates' *earlier* sources (and fail on
/// anything added since). So the local (non-crates.io) registries' copies of these crates go, and
/// their fingerprints in the target directory (cargo rebuilds those units, nothing else).
fn forget_earlier_tarballs(root: &Path, crates: &[String]) -> anyhow::Result<()> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let mut areas = Vec::new();
    if let Some(home) = cargo_home {
        for area in ["src", "cache"] {
            let Ok(registries) = std::fs::read_dir(home.join("registry").join(area)) else {
                continue;
            };
            areas.extend(
                registries
                    .flatten()
                    .filter(|r| !r.file_name().to_string_lossy().starts_with("index.crates.io"))
                    .map(|r| r.path()),
            );
        }
    }
    if let Ok(profiles) = std::fs::read_dir(super::wheel::target_dir(root)) {
        areas.extend(profiles.flatten().map(|p| p.path().join(".fingerprint")));
    }
    for area in areas {
        let Ok(entries) = std::fs::read_dir(&area) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if crates.iter().any(|c| is_unpacked_of(&name, c)) {
                let path = entry.path();
                if path.is_dir() {
                    std::fs::remove_dir_all(&path)?;
                } else {
                    std::fs::remove_file(&path)?;
                }
            }
        }
    }
    Ok(())
}

/// Whether `entry` (`name-1.2.3`, `name-1.2.3.crate`, or a fingerprint `name-<hash>`) belongs
/// to the crate `krate`.
fn is_unpacked_of(entry: &str, krate: &str) -> bool {
    entry
        .strip_prefix(krate)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'))
}

/// Workspace members whose manifest does not say `publish = false`, from `cargo metadata`.
fn publishable(root: &Path) -> anyhow::Result<Vec<String>> {
    let out = Command::new("cargo")
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root)
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    publishable_from_metadata(&serde_json::from_slice(&out.stdout)?)
}

fn publishable_from_metadata(metadata: &serde_json::Value) -> anyhow::Result<Vec<String>> {
    let packages = metadata["packages"]
        .as_array()
        .ok_or_else(|| anyhow::anyhow!("cargo metadata printed no `packages` list"))?;
    Ok(packages
        .iter()
        // `publish = false` is `"publish": []`; no `publish` key is `null` (any registry).
        .filter(|p| {
            p["publish"]
                .as_array()
                .is_none_or(|registries| !registries.is_empty())
        })
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect())
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
    fn only_the_crates_own_unpacked_copies_are_forgotten() {
        assert!(is_unpacked_of("mkt-fs-0.1.0", "mkt-fs"));
        assert!(is_unpacked_of("mkt-fs-0.1.0.crate", "mkt-fs"));
        assert!(is_unpacked_of("mkt-fs-9d5279b748849416", "mkt-fs"));
        assert!(!is_unpacked_of("mkt-fs-extra-0.1.0", "mkt-fs"));
        assert!(!is_unpacked_of("mkt-cli-0.1.0", "mkt-fs"));
    }

    #[test]
    fn publish_false_crates_are_not_packaged() {
        let metadata = serde_json::json!({"packages": [
            {"name": "numerbay-client", "publish": null},
            {"name": "xtask", "publish": []},
            {"name": "internal", "publish": ["my-registry"]},
        ]});
        assert_eq!(
            publishable_from_metadata(&metadata).unwrap(),
            ["numerbay-client", "internal"]
        );
    }

    #[test]
    fn semver_check() {
        assert!(is_semver("1.2.3"));
        assert!(is_semver("1.2.3-rc.1"));
        assert!(!is_semver("1.2"));
        assert!(!is_semver("v1.2.3"));
    }
}

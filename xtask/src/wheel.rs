//! `cargo xtask wheel`: the Python package (crates/mkt-python) as an abi3 wheel in `target/wheels`,
//! built by maturin (from PATH, or pinned into `target/wheel-venv`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The maturin the wheel is built with when none is on PATH (same pin as .ci/python).
const MATURIN: &str = "maturin==1.16.0";

/// The target directory cargo uses (`CARGO_TARGET_DIR` or `<root>/target`).
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// Builds the release wheel into `<target>/wheels` and returns its path.
pub fn run(root: &Path) -> anyhow::Result<PathBuf> {
    let target = target_dir(root);
    let out = target.join("wheels");
    let maturin = maturin(&target)?;
    super::run(
        Command::new(&maturin)
            .args(["build", "--release", "--manifest-path"])
            .arg(root.join("crates/mkt-python/Cargo.toml"))
            .arg("--out")
            .arg(&out)
            .current_dir(root),
    )?;
    let version = env!("CARGO_PKG_VERSION");
    let wheel = std::fs::read_dir(&out)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("mkt-{version}-")) && n.ends_with(".whl"))
        })
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .ok_or_else(|| anyhow::anyhow!("maturin wrote no mkt-{version} wheel into {}", out.display()))?;
    let size = wheel.metadata()?.len();
    eprintln!(
        "wheel: {} ({:.1} MiB)",
        wheel.display(),
        size as f64 / (1024.0 * 1024.0)
    );
    Ok(wheel)
}

/// `maturin` from PATH, or from a virtualenv under the target directory (created on first use).
fn maturin(target: &Path) -> anyhow::Result<PathBuf> {
    let on_path = Command::new("maturin")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if on_path {
        return Ok(PathBuf::from("maturin"));
    }
    let venv = target.join("wheel-venv");
    let bin = venv.join("bin");
    if !bin.join("maturin").exists() {
        super::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))
            .map_err(|e| anyhow::anyhow!("{e}; a wheel needs python3 with venv, or maturin on PATH"))?;
        super::run(Command::new(bin.join("pip")).args(["install", "-q", MATURIN]))
            .map_err(|e| anyhow::anyhow!("{e}; install maturin (pip install {MATURIN}) and retry"))?;
    }
    Ok(bin.join("maturin"))
}

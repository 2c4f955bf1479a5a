//! `cargo xtask docs`: regenerate (or check) the reference docs generated from the clap definitions.

use std::path::Path;

use clap::CommandFactory;

/// Writes docs/cli.md, docs/man/*.1 and docs/completions/*; with `check`, fails when any is stale.
pub fn run(root: &Path, check: bool) -> anyhow::Result<()> {
    let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    files.push((
        root.join("docs/cli.md"),
        mkt_cli::docs::render_markdown().into_bytes(),
    ));
    for (name, body) in mkt_cli::docs::render_man_pages()? {
        files.push((root.join("docs/man").join(name), body));
    }
    for (shell, name) in [
        (clap_complete::Shell::Bash, "mkt.bash"),
        (clap_complete::Shell::Zsh, "_mkt"),
        (clap_complete::Shell::Fish, "mkt.fish"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut mkt_cli::Cli::command(), "mkt", &mut buf);
        files.push((root.join("docs/completions").join(name), buf));
    }
    let mut stale = Vec::new();
    for (path, body) in &files {
        let current = std::fs::read(path).ok();
        if current.as_deref() == Some(body.as_slice()) {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, body)?;
            eprintln!("wrote {}", path.display());
        }
    }
    anyhow::ensure!(
        stale.is_empty(),
        "generated docs are stale, run `cargo xtask docs`: {}",
        stale.join(", ")
    );
    Ok(())
}

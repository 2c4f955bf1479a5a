//! How commands turn `--out` and default names into a [`Destination`] (the rules live in
//! `mkt_fs`; see "Files mkt writes" in docs/cli.md).

use std::path::{Path, PathBuf};

use mkt_fs::{Destination, SafeName};

/// `--out` as typed (a directory takes `default_name`), else `default_name` in the current
/// directory. The default is a name mkt chose, so it replaces an existing file only with `force`.
///
/// # Errors
/// The writer's refusals ([`mkt_fs::Error`]), which [`crate::exit`] maps to codes and hints.
pub(crate) fn out_or_default(
    out: Option<&Path>,
    default_name: &str,
    force: bool,
) -> anyhow::Result<Destination> {
    let name = SafeName::new(default_name)?;
    let builder = match out {
        Some(out) => Destination::user(out).file_name_in_dir(name),
        None => Destination::chosen(PathBuf::from(name.as_str())),
    };
    Ok(builder.force(force).resolve()?)
}

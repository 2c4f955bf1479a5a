//! `mkt config`: a small TOML file of defaults (never credentials) in the XDG config directory.
//!
//! The file lives at `$MKT_CONFIG`, else `$XDG_CONFIG_HOME/mkt/config.toml`, else
//! `~/.config/mkt/config.toml`. Keys are dotted (`crowdcent.challenge`, `numerbay.key_file`, ...).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Subcommand;

use crate::exit::{self, Failure};
use crate::Context;

/// Keys the config file understands, with what they set.
pub const KEYS: &[(&str, &str)] = &[
    (
        "crowdcent.challenge",
        "default CrowdCent challenge slug (-c/--challenge, CROWDCENT_CHALLENGE win)",
    ),
    (
        "crowdcent.base_url",
        "CrowdCent API base URL (--base-url, CROWDCENT_API_URL win)",
    ),
    (
        "numerbay.key_file",
        "NumerBay key file path (--key-file, NUMERBAY_KEY_PATH win)",
    ),
    (
        "numerbay.base_url",
        "NumerBay API base URL (--base-url, NUMERBAY_API_URL win)",
    ),
    (
        "numerbay.concurrency",
        "default number of concurrent per-order uploads",
    ),
];

/// Arguments of `mkt config`.
#[derive(Debug, clap::Args)]
#[command(
    about = "Read and write defaults in the mkt config file",
    long_about = "Read and write defaults in the mkt config file (TOML). Credentials never go here: \
they stay in environment variables, a .env file or a prompt.",
    after_help = "Examples:\n  mkt config path\n  mkt config set crowdcent.challenge hyperliquid-ranking\n  mkt config get crowdcent.challenge\n  mkt config get            # all keys"
)]
pub struct Args {
    #[command(subcommand)]
    command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print the config file path.
    #[command(after_help = "Examples:\n  mkt config path\n  MKT_CONFIG=./mkt.toml mkt config path")]
    Path,
    /// Print one value, or every set value when no key is given.
    #[command(
        after_help = "Examples:\n  mkt config get crowdcent.challenge\n  mkt --output json config get"
    )]
    Get {
        /// A dotted key such as `crowdcent.challenge`.
        key: Option<String>,
    },
    /// Set a value (the file is created with its directory when missing).
    #[command(
        after_help = "Examples:\n  mkt config set crowdcent.challenge hyperliquid-ranking\n  mkt config set numerbay.key_file ~/.config/mkt/numerbay.json"
    )]
    Set {
        /// A dotted key such as `crowdcent.challenge`.
        key: String,
        /// The value to store.
        value: String,
    },
    /// Remove a value.
    #[command(after_help = "Examples:\n  mkt config unset crowdcent.challenge")]
    Unset {
        /// A dotted key such as `crowdcent.challenge`.
        key: String,
    },
}

/// Defaults loaded from the config file: a flat map of dotted keys to string values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    values: BTreeMap<String, String>,
}

impl Config {
    /// The config file path (see the module docs), or `None` when no home directory is known.
    pub fn path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("MKT_CONFIG") {
            return Some(PathBuf::from(p));
        }
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("mkt").join("config.toml"))
    }

    /// Loads the config file; a missing file is an empty config.
    ///
    /// # Errors
    /// The file exists but cannot be read or is not valid TOML.
    pub fn load() -> anyhow::Result<Self> {
        match Self::path() {
            Some(path) => Self::load_from(&path),
            None => Ok(Self::default()),
        }
    }

    /// Loads a config file from `path`; a missing file is an empty config.
    ///
    /// # Errors
    /// The file exists but cannot be read or is not valid TOML.
    pub fn load_from(path: &Path) -> anyhow::Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(e).with_context(|| format!("could not read config file {}", path.display()))
            }
        };
        let table: toml::Table = text.parse().with_context(|| {
            format!(
                "config file {} is not valid TOML; fix or delete it",
                path.display()
            )
        })?;
        let mut values = BTreeMap::new();
        flatten("", &toml::Value::Table(table), &mut values);
        Ok(Self { values })
    }

    /// The value of a dotted key, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    fn to_toml(&self) -> String {
        let mut root = toml::Table::new();
        for (key, value) in &self.values {
            let mut table = &mut root;
            let mut parts: Vec<&str> = key.split('.').collect();
            let last = parts.pop().unwrap_or_default();
            for part in parts {
                let entry = table
                    .entry(part.to_owned())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                if !entry.is_table() {
                    *entry = toml::Value::Table(toml::Table::new());
                }
                table = match entry {
                    toml::Value::Table(t) => t,
                    _ => unreachable!("entry was just made a table"),
                };
            }
            table.insert(last.to_owned(), toml::Value::String(value.clone()));
        }
        toml::to_string_pretty(&root).unwrap_or_default()
    }

    fn save_to(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
        }
        // The config file is mkt's own (it may hold a key path): replaced atomically, kept private.
        mkt_fs::Destination::chosen(path)
            .force(true)
            .private(true)
            .resolve()
            .and_then(|dest| dest.write_all(self.to_toml().as_bytes()))
            .with_context(|| format!("could not write {}", path.display()))
    }
}

fn flatten(prefix: &str, value: &toml::Value, out: &mut BTreeMap<String, String>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
        }
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}

fn check_key(key: &str) -> anyhow::Result<()> {
    if KEYS.iter().any(|(k, _)| *k == key) {
        return Ok(());
    }
    let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
    Err(
        Failure::new(exit::USAGE, anyhow::anyhow!("unknown config key `{key}`"))
            .hint(format!("known keys: {}", known.join(", ")))
            .into(),
    )
}

fn require_path() -> anyhow::Result<PathBuf> {
    Config::path().ok_or_else(|| {
        Failure::new(
            exit::FAILED,
            anyhow::anyhow!("no config directory: neither HOME nor XDG_CONFIG_HOME is set"),
        )
        .hint("set MKT_CONFIG to the config file path")
        .into()
    })
}

/// Runs `mkt config`.
///
/// # Errors
/// Unknown keys (exit 2), unreadable or unwritable config files.
pub async fn run(args: Args, ctx: &Context) -> anyhow::Result<()> {
    let json = ctx.output == crate::context::OutputFormat::Json;
    match args.command {
        ConfigCommand::Path => {
            let path = require_path()?;
            if json {
                crate::output::print_json(&serde_json::json!({ "path": path }))
            } else {
                println!("{}", crate::output::terminal_safe(&path.display().to_string()));
                Ok(())
            }
        }
        ConfigCommand::Get { key } => {
            let config = Config::load()?;
            match key {
                Some(key) => {
                    check_key(&key)?;
                    let value = config.get(&key);
                    if json {
                        return crate::output::print_json(&serde_json::json!({ "key": key, "value": value }));
                    }
                    match value {
                        Some(v) => {
                            println!("{}", crate::output::terminal_safe(v));
                            Ok(())
                        }
                        None => Err(
                            Failure::new(exit::NOT_FOUND, anyhow::anyhow!("`{key}` is not set"))
                                .hint(format!("mkt config set {key} VALUE"))
                                .into(),
                        ),
                    }
                }
                None if json => crate::output::print_json(&config.values),
                None => {
                    let mut table = crate::output::Table::new(["key", "value"]);
                    for (k, v) in &config.values {
                        table.row([k.as_str(), v.as_str()]);
                    }
                    table.print()
                }
            }
        }
        ConfigCommand::Set { key, value } => {
            check_key(&key)?;
            let path = require_path()?;
            let mut config = Config::load_from(&path)?;
            config.values.insert(key.clone(), value);
            config.save_to(&path)?;
            ctx.info(format!("set {key} in {}", path.display()));
            Ok(())
        }
        ConfigCommand::Unset { key } => {
            check_key(&key)?;
            let path = require_path()?;
            let mut config = Config::load_from(&path)?;
            config.values.remove(&key);
            config.save_to(&path)?;
            ctx.info(format!("unset {key} in {}", path.display()));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dotted_keys_through_toml() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("config.toml");
        let mut config = Config::default();
        config
            .values
            .insert("crowdcent.challenge".into(), "hyperliquid-ranking".into());
        config
            .values
            .insert("numerbay.key_file".into(), "/k/numerbay.json".into());
        config.save_to(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("[crowdcent]"), "{text}");
        assert_eq!(Config::load_from(&path).unwrap(), config);
    }

    #[test]
    fn missing_file_is_empty_and_bad_toml_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Config::load_from(&dir.path().join("nope.toml")).unwrap(),
            Config::default()
        );
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[[[").unwrap();
        let err = Config::load_from(&bad).unwrap_err();
        assert!(format!("{err:#}").contains("not valid TOML"));
    }

    #[test]
    fn unknown_keys_are_usage_errors() {
        let err = check_key("crowdcent.nope").unwrap_err();
        assert_eq!(exit::code_for(&err), exit::USAGE);
        assert!(check_key("crowdcent.challenge").is_ok());
    }
}

//! `mkt keys`: generate and show NumerBay key files (`numerbay.json`).

use std::path::{Path, PathBuf};

use artifact_crypto::{KeyPair, LoadedKeyFile, DEFAULT_KEY_FILE};
use clap::{Args as ClapArgs, Subcommand};
use serde::Serialize;

use crate::context::OutputFormat;
use crate::exit::{self, Failure};
use crate::output::print_json;
use crate::Context;

/// Arguments of `mkt keys`.
#[derive(Debug, ClapArgs)]
#[command(
    about = "NumerBay key pairs: generate and show key files",
    long_about = "NumerBay encrypts each buyer's copy of a product as a sealed box for the buyer's X25519 \
public key. The private key lives in a key file, `numerbay.json`, in the format the NumerBay web app \
exports: {\"public_key\": \"<base64>\", \"private_key\": \"<base64>\"}. Commands that need it take \
--key-file, else NUMERBAY_KEY_PATH, else NUMERBAY_KEY_BASE64 (the private key itself, for CI secret \
stores), else the config key numerbay.key_file, else ./numerbay.json.",
    after_help = "Examples:\n  mkt keys generate\n  mkt keys generate --out ~/.config/mkt/numerbay.json\n  mkt keys show --key-file numerbay.json\n  NUMERBAY_KEY_PATH=numerbay.json mkt --output json keys show"
)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: KeysCommand,
}

/// Subcommands of `mkt keys`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Generate a new key pair and write it to a key file (mode 0600).
    #[command(
        long_about = "Generates a fresh X25519 key pair from the operating system's random generator and \
writes it as a key file in the web app's format, with mode 0600, atomically. An existing file is never \
replaced unless --force is given. Prints the public key.\n\nFiles already sealed for a previous key pair \
can only be opened with that pair: keep old key files. NumerBay seals to the public key registered on \
your account in the web app, so a generated pair is for the sandbox, for sealing \
your own files, or for registering as your account key.",
        after_help = "Examples:\n  mkt keys generate\n  mkt keys generate --out keys/numerbay.json\n  mkt keys generate --out numerbay.json --force   # replace an existing key file\n  mkt --output json keys generate"
    )]
    Generate(GenerateArgs),
    /// Print the public key of a key file.
    #[command(
        long_about = "Reads a key file, checks that its public key belongs to its private key, and prints \
the public key (standard base64), e.g. to compare it with an order's buyer_public_key. Warns on stderr \
when the file is readable by group or others. The private key is never printed.",
        after_help = "Examples:\n  mkt keys show\n  mkt keys show --key-file ~/Downloads/numerbay.json\n  NUMERBAY_KEY_PATH=numerbay.json mkt keys show\n  mkt --output json keys show"
    )]
    Show(ShowArgs),
}

/// Arguments of `mkt keys generate`.
#[derive(Debug, ClapArgs)]
pub struct GenerateArgs {
    /// Where to write the key file.
    #[arg(long, short, value_name = "FILE", default_value = DEFAULT_KEY_FILE)]
    pub out: PathBuf,
    /// Replace an existing key file (the old private key is lost).
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `mkt keys show`.
#[derive(Debug, ClapArgs)]
pub struct ShowArgs {
    /// The key file (default: NUMERBAY_KEY_PATH, NUMERBAY_KEY_BASE64, the config's
    /// numerbay.key_file, ./numerbay.json).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

/// What `--output json` prints for both subcommands.
#[derive(Debug, Serialize)]
struct KeyInfo<'a> {
    public_key: String,
    path: &'a Path,
}

/// Runs `mkt keys`.
///
/// # Errors
/// The key file cannot be written (generate) or read and checked (show, exit code 3).
pub async fn run(args: Args, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        KeysCommand::Generate(args) => generate(args, ctx),
        KeysCommand::Show(args) => show(args, ctx),
    }
}

fn generate(args: GenerateArgs, ctx: &Context) -> anyhow::Result<()> {
    let pair = KeyPair::generate();
    artifact_crypto::write_key_file(&args.out, &pair, args.force).map_err(|e| match e {
        artifact_crypto::Error::AlreadyExists { .. } => Failure::new(exit::FAILED, e)
            .hint("pass --force to replace it (files sealed for the old key then need the old file)"),
        other => Failure::new(exit::FAILED, other),
    })?;
    ctx.info(format!(
        "wrote {} (mode 0600); keep it safe: it is the only way to open files sealed for this key",
        args.out.display()
    ));
    render(ctx, pair.public(), &args.out)
}

fn show(args: ShowArgs, ctx: &Context) -> anyhow::Result<()> {
    let loaded = load_key_pair(args.key_file, ctx)?;
    render(ctx, loaded.key_pair.public(), &loaded.path)
}

fn render(ctx: &Context, public: &artifact_crypto::PublicKey, path: &Path) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(&KeyInfo {
            public_key: public.to_base64(),
            path,
        });
    }
    // The bare key on stdout, so `$(mkt keys show)` works.
    println!("{public}");
    Ok(())
}

/// Environment variable naming the key file.
pub(crate) const ENV_KEY_PATH: &str = "NUMERBAY_KEY_PATH";
/// Environment variable holding the base64 private key itself (for CI secret stores).
pub(crate) const ENV_KEY_BASE64: &str = "NUMERBAY_KEY_BASE64";

/// The one key resolution every command uses (download, keys show, crypto open): `--key-file`,
/// then `NUMERBAY_KEY_PATH`, then `NUMERBAY_KEY_BASE64` (the private key; never logged), then
/// the config's `numerbay.key_file`, then `./numerbay.json`. The first source that is set is
/// used, and a bad one is an error (no silent fallback). `Ok(None)` when no source is set.
///
/// # Errors
/// The chosen source cannot be read or is not a valid key: exit code 3 with a hint.
pub(crate) fn resolve_key_pair(
    flag: Option<PathBuf>,
    ctx: &Context,
) -> anyhow::Result<Option<LoadedKeyFile>> {
    let env = marketplace_core::env::non_empty_os;
    let path = if let Some(path) = flag {
        path
    } else if let Some(path) = env(ENV_KEY_PATH) {
        PathBuf::from(path)
    } else if let Some(secret) = env(ENV_KEY_BASE64) {
        let secret = secret.to_string_lossy().trim().to_owned();
        let key = artifact_crypto::SecretKey::from_base64(&secret).map_err(|e| {
            Failure::new(
                exit::AUTH,
                anyhow::anyhow!("{ENV_KEY_BASE64} is not a private key: {e}"),
            )
            .hint("set it to the base64 private key (the \"private_key\" of numerbay.json)")
        })?;
        return Ok(Some(LoadedKeyFile {
            path: PathBuf::from(format!("${ENV_KEY_BASE64}")),
            key_pair: KeyPair::from_secret(key),
            warnings: Vec::new(),
        }));
    } else if let Some(path) = crate::config::Config::load()?.get("numerbay.key_file") {
        PathBuf::from(path)
    } else if Path::new(DEFAULT_KEY_FILE).exists() {
        PathBuf::from(DEFAULT_KEY_FILE)
    } else {
        return Ok(None);
    };
    let loaded = artifact_crypto::load_key_file(&path).map_err(|e| {
        Failure::new(exit::AUTH, e)
            .hint("export the key file again from the NumerBay web app, or run `mkt keys generate`")
    })?;
    for warning in &loaded.warnings {
        ctx.info(format!("warning: {warning}"));
    }
    Ok(Some(loaded))
}

/// What [`resolve_key_pair`] tried, for the error when it found nothing.
pub(crate) fn no_key_error(what: &str) -> anyhow::Error {
    Failure::new(
        exit::AUTH,
        anyhow::anyhow!(
            "no NumerBay key found{what}; tried --key-file (not given), {ENV_KEY_PATH} (not set), \
{ENV_KEY_BASE64} (not set), the config's numerbay.key_file (not set), ./{DEFAULT_KEY_FILE} (not found)"
        ),
    )
    .hint(
        "pass --key-file FILE, set NUMERBAY_KEY_PATH or NUMERBAY_KEY_BASE64, or put numerbay.json in the \
current directory (export it from the NumerBay web app, or run `mkt keys generate`)",
    )
    .into()
}

/// [`resolve_key_pair`], requiring a key.
///
/// # Errors
/// No source is set (the error lists what was tried), or the chosen one is invalid: exit code 3.
pub(crate) fn load_key_pair(flag: Option<PathBuf>, ctx: &Context) -> anyhow::Result<LoadedKeyFile> {
    resolve_key_pair(flag, ctx)?.ok_or_else(|| no_key_error(""))
}

#[cfg(test)]
pub(crate) mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;
    use crate::{Cli, Command};

    pub(crate) fn quiet_ctx(output: OutputFormat) -> Context {
        Context {
            output,
            base_url: None,
            quiet: true,
            verbose: 0,
            progress: false,
        }
    }

    #[test]
    fn help_has_examples_for_every_keys_command() {
        let mut cmd = Cli::command();
        let keys = cmd.find_subcommand_mut("keys").expect("keys group");
        let mut help = keys.render_long_help().to_string();
        for sub in ["generate", "show"] {
            let sub = keys.find_subcommand_mut(sub).expect("subcommand");
            help.push_str(&sub.render_long_help().to_string());
        }
        assert_eq!(help.matches("Examples:").count(), 3, "{help}");
        assert!(help.contains("NUMERBAY_KEY_PATH"));
    }

    #[test]
    fn show_takes_the_key_file_flag() {
        let cli = Cli::try_parse_from(["mkt", "keys", "show", "--key-file", "k.json"]).expect("parses");
        let Command::Keys(Args {
            command: KeysCommand::Show(show),
        }) = cli.command
        else {
            panic!("not keys show");
        };
        assert_eq!(show.key_file.as_deref(), Some(Path::new("k.json")));
    }

    #[tokio::test]
    async fn generate_writes_a_private_key_file_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("numerbay.json");
        let ctx = quiet_ctx(OutputFormat::Json);
        let args = |force| Args {
            command: KeysCommand::Generate(GenerateArgs {
                out: out.clone(),
                force,
            }),
        };
        run(args(false), &ctx).await.expect("generate");
        let first = artifact_crypto::load_key_file(&out).expect("valid key file");
        assert!(first.warnings.is_empty(), "mode 0600: {:?}", first.warnings);

        let err = run(args(false), &ctx).await.expect_err("refuses overwrite");
        assert_eq!(exit::code_for(&err), exit::FAILED);
        let again = artifact_crypto::load_key_file(&out).expect("still valid");
        assert_eq!(again.key_pair.public(), first.key_pair.public(), "file untouched");

        run(args(true), &ctx).await.expect("force");
        let forced = artifact_crypto::load_key_file(&out).expect("valid");
        assert_ne!(forced.key_pair.public(), first.key_pair.public());

        let shown = load_key_pair(Some(out.clone()), &ctx).expect("show loads it");
        assert_eq!(shown.key_pair.public(), forced.key_pair.public());
    }

    #[test]
    fn missing_or_bad_key_files_exit_with_the_auth_code() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ctx = quiet_ctx(OutputFormat::Table);
        let err = load_key_pair(Some(dir.path().join("missing.json")), &ctx).expect_err("missing");
        assert_eq!(
            exit::code_for(&err),
            exit::FAILED,
            "a missing file is 1 in every command"
        );
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"private_key\": \"???\"}").expect("write");
        let err = load_key_pair(Some(bad), &ctx).expect_err("bad base64");
        assert_eq!(exit::code_for(&err), exit::AUTH);
        assert!(format!("{err:#}").contains("private_key"), "{err:#}");
    }
}

//! `mkt crypto`: seal and open files as libsodium-compatible sealed boxes, in constant memory.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use artifact_crypto::{FileOptions, Phase, PublicKey};
use clap::{ArgGroup, Args as ClapArgs, Subcommand};
use indicatif::ProgressBar;
use mkt_fs::Destination;
use serde::Serialize;

use crate::context::OutputFormat;
use crate::exit::{self, Failure};
use crate::output::{print_json, Table};
use crate::Context;

/// Arguments of `mkt crypto`.
#[derive(Debug, ClapArgs)]
#[command(
    about = "Seal and open files with libsodium-compatible sealed boxes",
    long_about = "Seals a file for a public key, or opens a sealed file with a key file, in exactly \
the format NumerBay uses for encrypted products (libsodium crypto_box_seal: X25519, XSalsa20-Poly1305, \
epk ‖ tag ‖ ciphertext, 48 bytes of overhead), so the output interoperates with the web app, PyNaCl and \
the official client. Files of any size are processed in constant memory on all cores.",
    after_help = "Examples:\n  mkt crypto seal --public-key CCWYG+zssYsX3JGcuqe8iiRXQgkJPN3zaagfokCBtEY= preds.csv preds.csv.sealed\n  mkt crypto open --key-file numerbay.json preds.csv.sealed preds.csv\n  NUMERBAY_KEY_PATH=numerbay.json mkt crypto open order-1001.bin preds.csv"
)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: CryptoCommand,
}

/// Subcommands of `mkt crypto`.
#[derive(Debug, Subcommand)]
pub enum CryptoCommand {
    /// Seal IN for a public key into OUT.
    #[command(
        long_about = "Seals the whole of IN as one sealed box for the recipient's public key (given as \
base64 with --public-key, or taken from a key file with --key-file) and writes it to OUT: one pass, \
constant memory, a temporary file next to OUT renamed into place when complete (OUT may be - for \
standard output; see \"Files mkt writes\" in docs/cli.md). Sealing twice gives different bytes (a fresh \
ephemeral key each time).",
        after_help = "Examples:\n  mkt crypto seal --public-key CCWYG+zssYsX3JGcuqe8iiRXQgkJPN3zaagfokCBtEY= preds.csv preds.sealed\n  mkt crypto seal --key-file numerbay.json preds.parquet preds.parquet.sealed\n  mkt --output json crypto seal --key-file numerbay.json in.csv out.sealed --force"
    )]
    Seal(SealArgs),
    /// Open the sealed file IN with a key file into OUT.
    #[command(
        long_about = "Opens a sealed box with the private key of a key file (--key-file, else \
NUMERBAY_KEY_PATH, else NUMERBAY_KEY_BASE64, else the config's numerbay.key_file, else ./numerbay.json). The tag is verified over \
the whole file before any plaintext is written; the plaintext goes to a temporary file next to OUT that \
is renamed only on success, so OUT never exists after a failed open (OUT may be - for standard output: \
plaintext is streamed only after the whole file verified). Fails (exit 1) when the file was sealed for \
another key, or was tampered with or truncated.",
        after_help = "Examples:\n  mkt crypto open --key-file numerbay.json preds.sealed preds.csv\n  NUMERBAY_KEY_PATH=numerbay.json mkt crypto open preds.sealed preds.csv\n  mkt --output json crypto open preds.sealed preds.csv --force"
    )]
    Open(OpenArgs),
}

/// Arguments of `mkt crypto seal`.
#[derive(Debug, ClapArgs)]
#[command(group(ArgGroup::new("recipient").required(true).args(["public_key", "key_file"])))]
pub struct SealArgs {
    /// The recipient's public key (standard base64; unpadded and URL-safe are accepted).
    #[arg(long, value_name = "B64")]
    pub public_key: Option<String>,
    /// Seal for the public key of this key file.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// The plaintext file.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Where to write the sealed file (- for standard output); an existing file is replaced.
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    /// Accepted for compatibility: OUT, a path you typed, is always replaced atomically.
    #[arg(long, hide = true)]
    pub force: bool,
}

/// Arguments of `mkt crypto open`.
#[derive(Debug, ClapArgs)]
pub struct OpenArgs {
    /// The key file (default: NUMERBAY_KEY_PATH, NUMERBAY_KEY_BASE64, the config's
    /// numerbay.key_file, ./numerbay.json).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// The sealed file.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Where to write the plaintext (- for standard output); an existing file is replaced.
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    /// Accepted for compatibility: OUT, a path you typed, is always replaced atomically.
    #[arg(long, hide = true)]
    pub force: bool,
}

/// What `--output json` prints.
#[derive(Debug, Serialize)]
struct Written {
    path: PathBuf,
    bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_key: Option<String>,
}

/// Runs `mkt crypto`.
///
/// # Errors
/// Bad key or key file (exit 3), authentication failure or I/O errors (exit 1).
pub async fn run(args: Args, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        CryptoCommand::Seal(args) => seal(args, ctx).await,
        CryptoCommand::Open(args) => open(args, ctx).await,
    }
}

async fn seal(args: SealArgs, ctx: &Context) -> anyhow::Result<()> {
    let recipient = match (&args.public_key, &args.key_file) {
        (Some(b64), _) => PublicKey::from_base64(b64).map_err(|e| {
            Failure::new(exit::USAGE, e)
                .hint("pass the 44-character base64 public key, e.g. from `mkt keys show`")
        })?,
        (None, Some(path)) => *crate::keys::load_key_pair(Some(path.clone()), ctx)?
            .key_pair
            .public(),
        (None, None) => {
            return Err(Failure::new(exit::USAGE, anyhow::anyhow!("no recipient given"))
                .hint("pass --public-key B64 or --key-file FILE")
                .into())
        }
    };
    let len = input_len(&args.input)?;
    let dest = Destination::user(&args.out)
        .distinct_from(&args.input)
        .resolve()?;
    let bar = crate::progress::bytes_bar(ctx, Some(len), "seal");
    let input = args.input.clone();
    let progress_bar = bar.clone();
    let result = tokio::task::spawn_blocking(move || {
        let report = |_: Phase, done: u64| progress_bar.set_position(done);
        let options = FileOptions {
            progress: Some(&report),
            ..FileOptions::default()
        };
        artifact_crypto::seal_file_with(&recipient, &input, &dest, &options)
    })
    .await
    .context("the sealing task failed")?;
    bar.finish_and_clear();
    let bytes = result.map_err(|e| Failure::new(exit::FAILED, e))?;
    render(
        ctx,
        Written {
            path: args.out,
            bytes,
            public_key: Some(recipient.to_base64()),
        },
    )
}

async fn open(args: OpenArgs, ctx: &Context) -> anyhow::Result<()> {
    let loaded = crate::keys::load_key_pair(args.key_file, ctx)?;
    let len = input_len(&args.input)?.saturating_sub(artifact_crypto::SEAL_OVERHEAD as u64);
    let dest = Destination::user(&args.out)
        .distinct_from(&args.input)
        .resolve()?;
    let bar = crate::progress::bytes_bar(ctx, Some(len), "verify");
    let input = args.input.clone();
    let progress_bar = bar.clone();
    let key_pair = loaded.key_pair;
    let result = tokio::task::spawn_blocking(move || {
        let report = |phase: Phase, done: u64| show_phase(&progress_bar, phase, done);
        let options = FileOptions {
            progress: Some(&report),
            ..FileOptions::default()
        };
        artifact_crypto::open_file_with(&key_pair, &input, &dest, &options)
    })
    .await
    .context("the decryption task failed")?;
    bar.finish_and_clear();
    let bytes = result.map_err(|e| {
        let hint = if matches!(e, artifact_crypto::Error::TooShort { .. }) {
            "the file is not a complete sealed box: download it again"
        } else if e.is_authentication() {
            "the file was sealed for another key pair (was the key rotated after the order?), or it is \
             damaged: download it again and check `mkt keys show` against the order's buyer public key"
        } else {
            "check the paths and permissions"
        };
        Failure::new(exit::FAILED, e).hint(hint)
    })?;
    render(
        ctx,
        Written {
            path: args.out,
            bytes,
            public_key: None,
        },
    )
}

fn show_phase(bar: &ProgressBar, phase: Phase, done: u64) {
    if phase == Phase::Decrypt && bar.message() != "decrypt" {
        // A second pass over the file: start the bar (and its rate) over.
        bar.reset();
        bar.set_message("decrypt");
    }
    bar.set_position(done);
}

fn input_len(path: &Path) -> anyhow::Result<u64> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Failure::new(
            exit::FAILED,
            anyhow::Error::new(e).context(format!("could not read {}", path.display())),
        )
    })?;
    Ok(meta.len())
}

fn render(ctx: &Context, written: Written) -> anyhow::Result<()> {
    if written.path.as_os_str() == "-" {
        // The data went to standard output; a summary there would corrupt it.
        ctx.info(format!(
            "{} written to standard output",
            crate::output::count(written.bytes, "byte", "bytes")
        ));
        return Ok(());
    }
    if ctx.output == OutputFormat::Json {
        return print_json(&written);
    }
    let mut table = Table::new(["path", "bytes"]);
    table.row([written.path.display().to_string(), written.bytes.to_string()]);
    table.print()
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;
    use crate::keys::tests::quiet_ctx;
    use crate::Cli;

    #[test]
    fn help_has_examples_for_every_crypto_command() {
        let mut cmd = Cli::command();
        let group = cmd.find_subcommand_mut("crypto").expect("crypto group");
        let mut help = group.render_long_help().to_string();
        for sub in ["seal", "open"] {
            let sub = group.find_subcommand_mut(sub).expect("subcommand");
            help.push_str(&sub.render_long_help().to_string());
        }
        assert_eq!(help.matches("Examples:").count(), 3, "{help}");
    }

    #[test]
    fn seal_needs_exactly_one_recipient() {
        assert!(Cli::try_parse_from(["mkt", "crypto", "seal", "in", "out"]).is_err());
        assert!(Cli::try_parse_from([
            "mkt",
            "crypto",
            "seal",
            "--public-key",
            "x",
            "--key-file",
            "k",
            "in",
            "out"
        ])
        .is_err());
        assert!(Cli::try_parse_from([
            "mkt",
            "--output",
            "json",
            "crypto",
            "seal",
            "--key-file",
            "k",
            "in",
            "out"
        ])
        .is_ok());
    }

    fn seal_args(key_file: &Path, input: &Path, out: &Path) -> Args {
        Args {
            command: CryptoCommand::Seal(SealArgs {
                public_key: None,
                key_file: Some(key_file.to_path_buf()),
                input: input.to_path_buf(),
                out: out.to_path_buf(),
                force: false,
            }),
        }
    }

    fn open_args(key_file: &Path, input: &Path, out: &Path, force: bool) -> Args {
        Args {
            command: CryptoCommand::Open(OpenArgs {
                key_file: Some(key_file.to_path_buf()),
                input: input.to_path_buf(),
                out: out.to_path_buf(),
                force,
            }),
        }
    }

    #[tokio::test]
    async fn seal_then_open_round_trips_and_failures_leave_no_output() {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = |name: &str| dir.path().join(name);
        let ctx = quiet_ctx(OutputFormat::Json);
        for (name, pair) in [
            ("me.json", artifact_crypto::KeyPair::generate()),
            ("other.json", artifact_crypto::KeyPair::generate()),
        ] {
            artifact_crypto::write_key_file(p(name), &pair, false).expect("key file");
        }
        let plain = b"id,prediction\nabc,0.5\n".repeat(1000);
        std::fs::write(p("preds.csv"), &plain).expect("write");

        run(
            seal_args(&p("me.json"), &p("preds.csv"), &p("preds.sealed")),
            &ctx,
        )
        .await
        .expect("seal");
        assert_eq!(
            std::fs::metadata(p("preds.sealed")).expect("sealed").len(),
            plain.len() as u64 + 48
        );
        // A path the user typed is theirs: sealing again replaces it (a fresh ephemeral key).
        let first = std::fs::read(p("preds.sealed")).expect("sealed");
        run(
            seal_args(&p("me.json"), &p("preds.csv"), &p("preds.sealed")),
            &ctx,
        )
        .await
        .expect("replace");
        assert_ne!(std::fs::read(p("preds.sealed")).expect("sealed"), first);
        // ...but never the input itself.
        let err = run(seal_args(&p("me.json"), &p("preds.csv"), &p("preds.csv")), &ctx)
            .await
            .expect_err("same as input");
        assert_eq!(exit::code_for(&err), exit::USAGE);
        assert_eq!(std::fs::read(p("preds.csv")).expect("input"), plain);

        run(
            open_args(&p("me.json"), &p("preds.sealed"), &p("out.csv"), false),
            &ctx,
        )
        .await
        .expect("open");
        assert_eq!(std::fs::read(p("out.csv")).expect("out"), plain);

        // Wrong key: exit 1 and no output file.
        let err = run(
            open_args(&p("other.json"), &p("preds.sealed"), &p("wrong.csv"), false),
            &ctx,
        )
        .await
        .expect_err("wrong key");
        assert_eq!(exit::code_for(&err), exit::FAILED);
        assert!(format!("{err:#}").contains("authentication failed"), "{err:#}");
        assert!(!p("wrong.csv").exists());

        // Tampered: same.
        let mut sealed = std::fs::read(p("preds.sealed")).expect("read");
        sealed[100] ^= 1;
        std::fs::write(p("tampered.sealed"), &sealed).expect("write");
        let err = run(
            open_args(&p("me.json"), &p("tampered.sealed"), &p("t.csv"), true),
            &ctx,
        )
        .await
        .expect_err("tampered");
        assert_eq!(exit::code_for(&err), exit::FAILED);
        assert!(!p("t.csv").exists());

        // A bad --public-key is a usage error.
        let args = Args {
            command: CryptoCommand::Seal(SealArgs {
                public_key: Some("not-a-key".into()),
                key_file: None,
                input: p("preds.csv"),
                out: p("x.sealed"),
                force: false,
            }),
        };
        assert_eq!(
            exit::code_for(&run(args, &ctx).await.expect_err("bad key")),
            exit::USAGE
        );
        assert!(!p("x.sealed").exists());
    }
}

//! `--print-systemd` / `--print-cron`: a ready unit + timer pair or crontab line (no network, no key).

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Args;
use marketplace_core::command::quote as sh_quote;

/// Name of the printed units.
pub(super) const UNIT: &str = "mkt-crowdcent-daily";
/// Where the unit reads the API key from.
pub(super) const ENV_FILE: &str = "%h/.config/mkt/crowdcent.env";

/// What to deploy: the command line to run and where.
#[derive(Debug)]
pub(super) struct Deployment {
    /// Absolute path of this `mkt` binary.
    pub mkt: PathBuf,
    /// The working directory (absolute).
    pub workdir: PathBuf,
    /// The absolute output directory.
    pub out_dir: PathBuf,
    /// `mkt`'s arguments, unquoted.
    pub argv: Vec<String>,
}

impl Deployment {
    /// The run-daily command line equivalent to this invocation, minus the `--print-*` flag;
    /// `model` is the `--model-cmd` (required: a unit must never run an invented command).
    pub(super) fn new(
        args: &Args,
        model: &str,
        slug: Option<&str>,
        base_url: Option<&str>,
    ) -> anyhow::Result<Self> {
        let mkt = std::env::current_exe()
            .map_err(|e| anyhow::anyhow!(e).context("cannot find the path of the mkt binary"))?;
        let workdir = std::env::current_dir()
            .map_err(|e| anyhow::anyhow!(e).context("cannot read the working directory"))?;
        let out_dir = absolute(&workdir, &args.out_dir);
        let mut argv = Vec::new();
        if let Some(url) = base_url {
            argv.extend(["--base-url".to_owned(), url.to_owned()]);
        }
        argv.push("crowdcent".to_owned());
        if let Some(slug) = slug {
            argv.extend(["-c".to_owned(), slug.to_owned()]);
        }
        argv.push("run-daily".to_owned());
        argv.extend(["--model-cmd".to_owned(), model.to_owned()]);
        argv.extend(["--slot".to_owned(), args.slot.to_string()]);
        for (flag, d) in [
            ("--deadline-margin", args.deadline_margin),
            ("--timeout", args.timeout),
            ("--interval", args.interval),
        ] {
            argv.extend([flag.to_owned(), duration(d)]);
        }
        argv.extend(["--out-dir".to_owned(), out_dir.to_string_lossy().into_owned()]);
        if !args.notes.is_empty() {
            argv.extend(["--notes".to_owned(), args.notes.clone()]);
        }
        for (on, flag) in [
            (args.experimental, "--experimental"),
            (args.no_queue_next, "--no-queue-next"),
            (args.dry_run, "--dry-run"),
        ] {
            if on {
                argv.push(flag.to_owned());
            }
        }
        Ok(Deployment {
            mkt,
            workdir,
            out_dir,
            argv,
        })
    }

    /// The `.service` unit.
    pub(super) fn service(&self) -> String {
        let exec: Vec<String> = std::iter::once(self.mkt.to_string_lossy().into_owned())
            .chain(self.argv.iter().cloned())
            .map(|a| systemd_quote(&a))
            .collect();
        format!(
            "# ~/.config/systemd/user/{UNIT}.service\n\
# Put CROWDCENT_API_KEY=<key> in ~/.config/mkt/crowdcent.env (chmod 600), save both units, then:\n\
#   systemctl --user daemon-reload && systemctl --user enable --now {UNIT}.timer\n\
#   loginctl enable-linger \"$USER\"   # keep running while you are logged out\n\
# Logs: journalctl --user -u {UNIT}.service    Run now: systemctl --user start {UNIT}.service\n\
[Unit]\n\
Description=CrowdCent daily submission (mkt crowdcent run-daily)\n\
Wants=network-online.target\n\
After=network-online.target\n\
# Alert on failure (see docs/guide/unattended.md):\n\
#OnFailure=mkt-alert@%n.service\n\
\n\
[Service]\n\
Type=oneshot\n\
WorkingDirectory={}\n\
EnvironmentFile={ENV_FILE}\n\
ExecStart={}\n\
# run-daily enforces the submission deadline itself; this only bounds a hung run.\n\
TimeoutStartSec=6h\n",
            systemd_quote(&self.workdir.to_string_lossy()),
            exec.join(" "),
        )
    }

    /// The `.timer` unit: 14:05 UTC daily, catching up after downtime.
    pub(super) fn timer(&self) -> String {
        format!(
            "# ~/.config/systemd/user/{UNIT}.timer\n\
[Unit]\n\
Description=Run mkt crowdcent run-daily after the 14:00 UTC inference release\n\
\n\
[Timer]\n\
OnCalendar=*-*-* 14:05:00 UTC\n\
Persistent=true\n\
\n\
[Install]\n\
WantedBy=timers.target\n"
        )
    }

    /// The crontab entry (with its comment and `CRON_TZ` lines).
    pub(super) fn crontab(&self) -> String {
        let argv: Vec<String> = std::iter::once(self.mkt.to_string_lossy().into_owned())
            .chain(self.argv.iter().cloned())
            .map(|a| sh_quote(&a))
            .collect();
        let log = self.out_dir.join("run-daily.log");
        let line = format!(
            "5 14 * * * cd {} && {} >> {} 2>&1",
            sh_quote(&self.workdir.to_string_lossy()),
            argv.join(" "),
            sh_quote(&log.to_string_lossy()),
        );
        format!(
            "# mkt crowdcent run-daily at 14:05 UTC every day; install with `crontab -e`.\n\
# The key comes from CROWDCENT_API_KEY in {}/.env (chmod 600); the log is {}.\n\
# If your cron ignores CRON_TZ, write 14:05 UTC in the machine's time zone instead.\n\
CRON_TZ=UTC\n\
{}\n",
            self.workdir.display(),
            log.display(),
            // Spec of crontab(5): an unescaped % ends the command.
            line.replace('%', r"\%"),
        )
    }
}

fn absolute(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_owned()
    } else if p == Path::new(".") {
        base.to_owned()
    } else {
        base.join(p)
    }
}

/// A duration as the shortest `parse_duration` form (`10m`, `30s`, `250ms`).
pub(super) fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(3_600_000) && ms > 0 {
        format!("{}h", ms / 3_600_000)
    } else if ms.is_multiple_of(60_000) && ms > 0 {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// Quotes one `ExecStart=` word: `%` and `$` are doubled (systemd specifiers and variables), and
/// a word with spaces, quotes or backslashes is double-quoted with C-style escapes.
fn systemd_quote(s: &str) -> String {
    let escaped = s.replace('%', "%%").replace('$', "$$");
    let plain = !escaped.is_empty()
        && escaped
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:@=+-,%$".contains(c));
    if plain {
        return escaped;
    }
    let mut out = String::from("\"");
    for c in escaped.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_render_in_their_shortest_form() {
        assert_eq!(duration(Duration::from_secs(600)), "10m");
        assert_eq!(duration(Duration::from_secs(3600)), "1h");
        assert_eq!(duration(Duration::from_secs(90)), "90s");
        assert_eq!(duration(Duration::ZERO), "0s");
        assert_eq!(duration(Duration::from_millis(250)), "250ms");
    }

    #[test]
    fn systemd_words_are_escaped() {
        assert_eq!(systemd_quote("/usr/bin/mkt"), "/usr/bin/mkt");
        assert_eq!(
            systemd_quote("python p.py {inference} \"$X\" 5%"),
            "\"python p.py {inference} \\\"$$X\\\" 5%%\""
        );
        assert_eq!(systemd_quote(""), "\"\"");
    }

    #[test]
    fn relative_out_dirs_become_absolute() {
        let base = Path::new("/srv/cc");
        assert_eq!(absolute(base, Path::new(".")), Path::new("/srv/cc"));
        assert_eq!(absolute(base, Path::new("out")), Path::new("/srv/cc/out"));
        assert_eq!(absolute(base, Path::new("/tmp/x")), Path::new("/tmp/x"));
    }
}

//! `--print-systemd` / `--print-cron`: ready-to-install units and crontab lines (no network, no credentials).

use std::path::Path;
use std::time::Duration;

use super::{Args, Until};
use crate::exit::{self, Failure};
use crate::Context;

/// How the scheduled command is run.
#[derive(Debug, Clone)]
pub struct Job {
    /// A short unit name, e.g. `mkt-autopilot-numerai-predictions-mymodel`.
    pub name: String,
    /// One line describing the job.
    pub description: String,
    /// The program (absolute path of `mkt`).
    pub program: String,
    /// Arguments of a long-running process (`--until` not `once`).
    pub args: Vec<String>,
    /// Arguments of one run (what a timer or cron starts each time).
    pub once_args: Vec<String>,
    /// The working directory (its `.env` holds the credentials).
    pub workdir: String,
    /// How often one run is started by a timer or cron.
    pub every: Duration,
    /// Whether the command itself runs until stopped (service) rather than once per start (timer).
    pub long_running: bool,
    /// Whether the command listens for webhooks (its secret, `MKT_WEBHOOK_SECRET`, is never
    /// written into the unit).
    pub webhook_secret: bool,
}

/// A systemd user service (long-running, `Restart=on-failure`), or a oneshot service plus a timer.
pub fn systemd(job: &Job) -> String {
    let name = &job.name;
    let mut out = String::new();
    let secs = job.every.as_secs().max(60);
    out.push_str(&format!(
        "# {desc}\n\
         # Install (user units; credentials in {wd}/.env or ~/.config/mkt/numerbay.env, chmod 600):\n\
         #   save the unit(s) below under ~/.config/systemd/user/\n",
        desc = job.description,
        wd = job.workdir
    ));
    if job.webhook_secret && job.long_running {
        out.push_str(
            "# Webhook secret: add MKT_WEBHOOK_SECRET=... to ~/.config/mkt/numerbay.env (chmod 600); it is\n\
             #   never written into the unit, and the URL registered on NumerBay ends in /?token=SECRET\n\
             #   (required unless the listener is on loopback)\n",
        );
    }
    if job.long_running {
        out.push_str(&format!(
            "#   systemctl --user daemon-reload && systemctl --user enable --now {name}.service\n\
             #   loginctl enable-linger \"$USER\"   # keep it running when you are logged out\n\
             # Logs: journalctl --user -u {name} -f\n\
             # Alerts: add `OnFailure=mkt-alert@%n.service` under [Unit] with a unit that mails or posts.\n\n\
             # ~/.config/systemd/user/{name}.service\n"
        ));
    } else {
        out.push_str(&format!(
            "#   systemctl --user daemon-reload && systemctl --user enable --now {name}.timer\n\
             # Logs: journalctl --user -u {name} -f\n\
             # Alerts: add `OnFailure=mkt-alert@%n.service` under [Unit] with a unit that mails or posts.\n\n\
             # ~/.config/systemd/user/{name}.service\n"
        ));
    }
    out.push_str(&format!(
        "[Unit]\nDescription={desc}\nWants=network-online.target\nAfter=network-online.target\n\n[Service]\n",
        desc = job.description
    ));
    let exec = std::iter::once(job.program.as_str())
        .chain(
            if job.long_running {
                &job.args
            } else {
                &job.once_args
            }
            .iter()
            .map(String::as_str),
        )
        .map(systemd_quote)
        .collect::<Vec<_>>()
        .join(" ");
    out.push_str(&format!(
        "WorkingDirectory={}\nEnvironmentFile=-%h/.config/mkt/numerbay.env\n",
        systemd_escape(&job.workdir)
    ));
    if job.long_running {
        out.push_str(&format!(
            "Type=simple\nExecStart={exec}\nRestart=on-failure\nRestartSec=60\n\
             # Usage, credential, not-found and validation errors need you, not a restart.\n\
             RestartPreventExitStatus=2 3 4 5\n\
             # SIGTERM stops after the upload in flight (exit 130).\n\
             SuccessExitStatus=130\nTimeoutStopSec=300\n\n\
             [Install]\nWantedBy=default.target\n"
        ));
    } else {
        out.push_str(&format!(
            "Type=oneshot\nExecStart={exec}\n\n\
             # ~/.config/systemd/user/{name}.timer\n\
             [Unit]\nDescription={desc} (timer)\n\n\
             [Timer]\nOnBootSec=2min\nOnUnitActiveSec={secs}s\nAccuracySec=10s\nPersistent=true\n\n\
             [Install]\nWantedBy=timers.target\n",
            desc = job.description
        ));
    }
    out
}

/// One crontab line starting a single run every `job.every` (at least every minute), never two at
/// once (`flock -n`), appending to a log file.
pub fn cron(job: &Job) -> String {
    let minutes = job.every.as_secs().div_ceil(60).max(1);
    let schedule = if minutes < 60 {
        format!("*/{minutes} * * * *")
    } else {
        let hours = (minutes / 60).clamp(1, 23);
        format!("0 */{hours} * * *")
    };
    let command = std::iter::once(job.program.as_str())
        .chain(job.once_args.iter().map(String::as_str))
        .map(shell_quote)
        .collect::<Vec<_>>()
        .join(" ");
    let lock = format!("/tmp/{}.lock", job.name);
    let log = format!("$HOME/.local/state/mkt/{}.log", job.name);
    // Cron turns an unescaped `%` into a newline.
    let line = format!(
        "{schedule} cd {wd} && mkdir -p \"$HOME/.local/state/mkt\" && flock -n {lock} {command} >> \"{log}\" 2>&1",
        wd = shell_quote(&job.workdir),
        lock = shell_quote(&lock),
    )
    .replace('%', "\\%");
    format!(
        "# {desc}: add with `crontab -e`. Credentials: {wd}/.env (chmod 600).\n\
         # Cron mails a job's output to MAILTO; here it goes to the log, so watch it or drop the redirection.\n\
         {line}\n",
        desc = job.description,
        wd = job.workdir,
    )
}

/// A unit-name-safe slug of `text`.
pub fn unit_name(text: &str) -> String {
    let slug: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    slug.trim_matches('-').to_owned()
}

/// The absolute path of a file or directory, for units that run elsewhere.
pub fn absolute(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_owned())
        .to_string_lossy()
        .into_owned()
}

fn shell_quote(s: &str) -> String {
    marketplace_core::command::quote(s)
}

/// systemd treats `%` as a specifier and `$` as a variable in ExecStart; both are escaped.
fn systemd_escape(s: &str) -> String {
    s.replace('%', "%%")
}

fn systemd_quote(s: &str) -> String {
    let escaped = systemd_escape(s).replace('$', "$$");
    if !escaped.is_empty() && !escaped.chars().any(|c| c.is_whitespace() || "\"'\\;".contains(c)) {
        escaped
    } else {
        format!("\"{}\"", escaped.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The scheduled job for `args`: this binary with the same flags (print flags dropped).
pub(super) fn job(args: &Args, ctx: &Context) -> anyhow::Result<Job> {
    let program = std::env::current_exe()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "mkt".to_owned());
    let workdir = std::env::current_dir().map(|d| absolute(&d)).map_err(|e| {
        Failure::new(
            exit::FAILED,
            anyhow::Error::new(e).context("cannot read the current directory"),
        )
    })?;
    let mut base = Vec::new();
    if let Some(url) = &ctx.base_url {
        base.extend(["--base-url".to_owned(), url.clone()]);
    }
    base.extend(["numerbay", "autopilot", "--product"].map(str::to_owned));
    base.push(args.product.clone());
    if let Some(p) = &args.predictions {
        base.extend(["--predictions".to_owned(), absolute(p)]);
    }
    if let Some(c) = &args.predictions_cmd {
        base.extend(["--predictions-cmd".to_owned(), c.clone()]);
    }
    if args.rules != "numerai-classic" {
        base.extend(["--rules".to_owned(), args.rules.clone()]);
    }
    if args.lock_after_upload {
        base.push("--lock-after-upload".to_owned());
    }
    if let Some(s) = &args.state_file {
        base.extend(["--state-file".to_owned(), absolute(s)]);
    }
    let interval = format!("{}s", args.interval.as_secs().max(1));
    let mut long = base.clone();
    long.extend(["--interval".to_owned(), interval]);
    if let Some(a) = args.webhook_listen {
        long.extend(["--webhook-listen".to_owned(), a.to_string()]);
        if args.min_tick_interval != Duration::from_secs(10) {
            let min = format!("{}ms", args.min_tick_interval.as_millis());
            long.extend(["--min-tick-interval".to_owned(), min]);
        }
    }
    if args.until == Some(Until::RoundClose) {
        long.extend(["--until".to_owned(), "round-close".to_owned()]);
    }
    let mut once = base;
    once.extend(["--until".to_owned(), "once".to_owned()]);
    Ok(Job {
        name: format!("mkt-autopilot-{}", unit_name(&args.product)),
        description: format!("mkt NumerBay autopilot for {}", args.product),
        program,
        args: long,
        once_args: once,
        workdir,
        every: args.interval,
        long_running: args.until != Some(Until::Once),
        // The secret may come from the environment or ./.env, so the hint goes with every listener.
        webhook_secret: args.webhook_listen.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(long_running: bool) -> Job {
        Job {
            name: "mkt-autopilot-p".into(),
            description: "mkt NumerBay autopilot for p".into(),
            program: "/usr/bin/mkt".into(),
            args: vec![
                "numerbay".into(),
                "autopilot".into(),
                "--predictions-cmd".into(),
                "python p.py {out} 100%".into(),
            ],
            once_args: vec![
                "numerbay".into(),
                "autopilot".into(),
                "--until".into(),
                "once".into(),
            ],
            workdir: "/home/me/models".into(),
            every: Duration::from_secs(300),
            long_running,
            webhook_secret: long_running,
        }
    }

    #[test]
    fn long_running_service_restarts_on_failure_and_quotes_exec_start() {
        let unit = systemd(&job(true));
        assert!(unit.contains("Restart=on-failure"), "{unit}");
        assert!(unit.contains(
            "ExecStart=/usr/bin/mkt numerbay autopilot --predictions-cmd \"python p.py {out} 100%%\""
        ));
        assert!(unit.contains("WorkingDirectory=/home/me/models"));
        assert!(!unit.contains("[Timer]"));
        assert!(
            unit.contains("MKT_WEBHOOK_SECRET=... to ~/.config/mkt/numerbay.env"),
            "{unit}"
        );
    }

    #[test]
    fn once_mode_gets_a_timer() {
        let unit = systemd(&job(false));
        assert!(unit.contains("Type=oneshot"));
        assert!(unit.contains("OnUnitActiveSec=300s"));
        assert!(unit.contains("ExecStart=/usr/bin/mkt numerbay autopilot --until once"));
    }

    #[test]
    fn cron_line_runs_once_per_interval_without_overlap() {
        let text = cron(&job(false));
        let line = text.lines().find(|l| !l.starts_with('#')).expect("a line");
        assert!(line.starts_with("*/5 * * * * cd /home/me/models && "), "{line}");
        assert!(
            line.contains("flock -n /tmp/mkt-autopilot-p.lock /usr/bin/mkt numerbay autopilot --until once")
        );
        let hourly = cron(&Job {
            every: Duration::from_secs(7200),
            ..job(false)
        });
        assert!(hourly.contains("0 */2 * * *"));
        assert_eq!(
            unit_name("numerai-predictions-My Model"),
            "numerai-predictions-My-Model"
        );
    }
}

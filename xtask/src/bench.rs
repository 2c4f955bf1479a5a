//! `cargo xtask bench`: mkt side by side with the official Python clients and dataframe libraries.
//!
//! Every row is measured in the same run on the same machine: the release `mkt` binary and the
//! Python tools (from a virtualenv in `target/bench-venv`) run as whole processes under GNU time, against
//! one `mkt sandbox serve` process; the table reports medians of `--runs` runs and the ratios to mkt.

mod measure;
mod python;
mod scenarios;

use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use measure::Outcome;
use python::Venv;

/// Options of `cargo xtask bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// `frames`: only the standalone frame conversion benchmark (both directions, no sandbox).
    #[arg(value_name = "WHAT")]
    pub what: Option<String>,
    /// Runs per measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Only these scenarios (comma separated): cli, crypto, download, upload, crowdcent, frames.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Smaller inputs (64 MiB crypto/download, 500k-row CSV) for a quick look; not for docs.
    #[arg(long)]
    pub quick: bool,
    /// Do not write docs/benchmarks.md.
    #[arg(long)]
    pub no_write: bool,
}

/// One table row: a tool measured in a scenario.
#[derive(Debug)]
pub struct Row {
    scenario: String,
    tool: String,
    outcome: Outcome,
}

/// Shared state of a benchmark run.
#[derive(Debug)]
pub struct Bench {
    /// Scratch directory (`target/bench`).
    pub work: PathBuf,
    /// The release `mkt` binary.
    pub mkt: PathBuf,
    /// Python side.
    pub venv: Venv,
    /// Sandbox description (the JSON line of `mkt sandbox serve --output json`).
    pub sandbox: serde_json::Value,
    /// Runs per measurement.
    pub runs: usize,
    /// Smaller inputs.
    pub quick: bool,
    /// Whether mkt's own wheel is installed in the venv (its Python API rows), or why not.
    pub mkt_python: Result<(), String>,
    rows: Vec<Row>,
}

impl Bench {
    /// Records one measured row.
    pub fn push(&mut self, scenario: &str, tool: &str, outcome: Outcome) {
        match &outcome {
            Outcome::Measured { wall, rss_mib, .. } => {
                eprintln!("  {scenario:<34} {tool:<28} {wall:>8.3} s {rss_mib:>8.1} MiB")
            }
            Outcome::Unavailable(why) => eprintln!("  {scenario:<34} {tool:<28} unavailable: {why}"),
        }
        self.rows.push(Row {
            scenario: scenario.into(),
            tool: tool.into(),
            outcome,
        });
    }

    /// Records a Python row, or "unavailable" when the venv is missing.
    pub fn push_python(&mut self, scenario: &str, tool: &str, run: impl FnOnce(&Venv) -> Option<Outcome>) {
        let outcome = run(&self.venv).unwrap_or_else(|| {
            Outcome::Unavailable(
                self.venv
                    .missing_reason()
                    .unwrap_or("python unavailable")
                    .to_owned(),
            )
        });
        self.push(scenario, tool, outcome);
    }

    /// Records a row of mkt's Python API (`mkt` imported in the venv), or why it is unavailable.
    pub fn push_mkt_python(&mut self, scenario: &str, run: impl FnOnce(&Venv) -> Outcome) {
        let outcome = match &self.mkt_python {
            Ok(()) => run(&self.venv),
            Err(why) => Outcome::Unavailable(why.clone()),
        };
        self.push(scenario, "mkt (Python API)", outcome);
    }

    /// A `mkt` command with the sandbox credentials removed from the environment.
    pub fn mkt(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.mkt);
        cmd.args(["--no-progress", "-q"]).args(args);
        cmd
    }

    /// A string field of the sandbox description.
    pub fn info(&self, path: &[&str]) -> String {
        let mut v = &self.sandbox;
        for p in path {
            v = &v[*p];
        }
        match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// Runs the benchmark and prints (and by default writes) the table.
pub fn run(root: &Path, args: BenchArgs) -> anyhow::Result<()> {
    match args.what.as_deref() {
        Some("frames") => return crate::bench_frames::run(root, args.runs.min(3)),
        Some(other) => anyhow::bail!("unknown benchmark {other:?}; try `frames` or use --only"),
        None => {}
    }
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work)?;
    super::run(
        Command::new("cargo")
            .args(["build", "--release", "-p", "mkt-cli"])
            .current_dir(root),
    )?;
    let mkt = root.join("target/release/mkt");
    let venv = Venv::ensure(&root.join("target/bench-venv"));
    // mkt's Python API rows: the release wheel, installed into the same venv.
    let mkt_python = match crate::wheel::run(root) {
        Ok(wheel) => venv.install_wheel(&wheel),
        Err(e) => Err(format!("no wheel: {e}")),
    };
    let data_dir = work.join("sandbox");
    let _ = std::fs::remove_dir_all(&data_dir);
    let (mut server, sandbox) = start_sandbox(&mkt, &data_dir)?;
    let mut bench = Bench {
        work,
        mkt,
        venv,
        sandbox,
        runs: args.runs.max(1),
        quick: args.quick,
        mkt_python,
        rows: Vec::new(),
    };
    let wanted = |name: &str| args.only.is_empty() || args.only.iter().any(|o| o == name);
    // Order matters: the download scenario runs before the 50-order fan-out adds buyers.
    let result = (|| -> anyhow::Result<()> {
        if wanted("cli") {
            scenarios::cli_start(&mut bench);
        }
        if wanted("crypto") {
            scenarios::crypto(&mut bench)?;
        }
        if wanted("download") {
            scenarios::buyer_download(&mut bench)?;
        }
        if wanted("upload") {
            scenarios::seller_upload(&mut bench)?;
            scenarios::seller_upload_latency(&mut bench)?;
        }
        if wanted("crowdcent") {
            scenarios::crowdcent(&mut bench)?;
        }
        if wanted("frames") {
            scenarios::frames(&mut bench)?;
        }
        Ok(())
    })();
    let _ = server.kill();
    let _ = server.wait();
    result?;
    let table = render(&bench);
    println!("{table}");
    if !args.no_write && !args.quick && args.only.is_empty() {
        let path = root.join("docs/benchmarks.md");
        std::fs::write(&path, table)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn start_sandbox(mkt: &Path, data_dir: &Path) -> anyhow::Result<(Child, serde_json::Value)> {
    let mut child = Command::new(mkt)
        .args(["--output", "json", "sandbox", "serve", "--data-dir"])
        .arg(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no sandbox stdout"))?;
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let info: serde_json::Value = serde_json::from_str(line.trim())
        .map_err(|e| anyhow::anyhow!("sandbox did not print its JSON description ({e}): {line}"))?;
    Ok((child, info))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<u64>().ok())
        })
        .map(|kib| format!("{:.0} GiB RAM", kib as f64 / 1024.0 / 1024.0))
        .unwrap_or_default();
    format!(
        "{cpu}, {cores} cores, {mem}, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn render(bench: &Bench) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Benchmarks\n");
    let _ = writeln!(s, "Generated by `cargo xtask bench` (medians of {} runs; wall time and peak RSS of whole processes, measured with GNU time).\n", bench.runs);
    let _ = writeln!(s, "Machine: {}.\n", machine());
    let _ = writeln!(
        s,
        "Ratios are the other tool divided by mkt: above 1 means mkt is faster or leaner.\n"
    );
    let _ = writeln!(
        s,
        "| scenario | tool | wall (s) | peak RSS (MiB) | wall ratio | RSS ratio |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|");
    // Each row is compared with the mkt row of the same scenario.
    let base = |scenario: &str| {
        bench.rows.iter().find_map(
            |r| match (&r.outcome, r.tool == "mkt" && r.scenario == scenario) {
                (Outcome::Measured { wall, rss_mib }, true) => Some((*wall, *rss_mib)),
                _ => None,
            },
        )
    };
    for row in &bench.rows {
        match &row.outcome {
            Outcome::Measured { wall, rss_mib } => {
                let (ratio_w, ratio_m) = match base(&row.scenario) {
                    Some((bw, bm)) if row.tool != "mkt" && bw > 0.0 && bm > 0.0 => {
                        (format!("{:.2}×", wall / bw), format!("{:.2}×", rss_mib / bm))
                    }
                    _ => ("–".into(), "–".into()),
                };
                let _ = writeln!(
                    s,
                    "| {} | {} | {:.3} | {:.1} | {} | {} |",
                    row.scenario, row.tool, wall, rss_mib, ratio_w, ratio_m
                );
            }
            Outcome::Unavailable(why) => {
                let _ = writeln!(
                    s,
                    "| {} | {} | – | – | unavailable: {} | |",
                    row.scenario,
                    row.tool,
                    why.replace('|', "/")
                );
            }
        }
    }
    s
}

//! Whole-process measurements: wall time and peak RSS via GNU time, medians over runs.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// One measured process run.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Wall-clock seconds.
    pub wall: f64,
    /// Peak resident set size in MiB (0 when unknown).
    pub rss_mib: f64,
}

/// Median wall time and peak RSS over several runs, or why there is none.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Medians of successful runs.
    Measured { wall: f64, rss_mib: f64 },
    /// The tool could not be run; the reason goes into the table.
    Unavailable(String),
}

/// Runs `make()` (a fresh command per run) `runs` times after `prepare()`, returning medians.
pub fn measure(
    runs: usize,
    mut prepare: impl FnMut() -> anyhow::Result<()>,
    make: impl Fn() -> Command,
) -> Outcome {
    let mut samples = Vec::new();
    for _ in 0..runs {
        if let Err(e) = prepare() {
            return Outcome::Unavailable(format!("setup failed: {e:#}"));
        }
        match run_once(make()) {
            Ok(s) => samples.push(s),
            Err(e) => return Outcome::Unavailable(format!("{e:#}")),
        }
    }
    let mut walls: Vec<f64> = samples.iter().map(|s| s.wall).collect();
    let mut rss: Vec<f64> = samples.iter().map(|s| s.rss_mib).collect();
    Outcome::Measured {
        wall: median(&mut walls),
        rss_mib: median(&mut rss),
    }
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Runs one command under `/usr/bin/time` (when present) and returns its wall time and peak RSS.
pub fn run_once(cmd: Command) -> anyhow::Result<Sample> {
    let time_bin = Path::new("/usr/bin/time");
    let out_file = std::env::temp_dir().join(format!("mkt-bench-time-{}", std::process::id()));
    let mut wrapped = if time_bin.exists() {
        let mut w = Command::new(time_bin);
        w.arg("-f")
            .arg("%e %M")
            .arg("-o")
            .arg(&out_file)
            .arg(cmd.get_program())
            .args(cmd.get_args());
        if let Some(dir) = cmd.get_current_dir() {
            w.current_dir(dir);
        }
        for (k, v) in cmd.get_envs() {
            match v {
                Some(v) => w.env(k, v),
                None => w.env_remove(k),
            };
        }
        w
    } else {
        cmd
    };
    wrapped.stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let output = wrapped.output()?;
    let wall = start.elapsed().as_secs_f64();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: String = stderr.lines().rev().take(3).collect::<Vec<_>>().join(" | ");
        anyhow::bail!("exited with {}: {tail}", output.status);
    }
    let mut sample = Sample { wall, rss_mib: 0.0 };
    if let Ok(text) = std::fs::read_to_string(&out_file) {
        let mut parts = text.split_whitespace();
        // GNU time's own wall clock has 10 ms resolution; ours is finer, so only its RSS is used.
        if let (Some(_), Some(m)) = (parts.next(), parts.next()) {
            sample.rss_mib = m.parse::<f64>().unwrap_or(0.0) / 1024.0;
        }
        let _ = std::fs::remove_file(&out_file);
    }
    Ok(sample)
}

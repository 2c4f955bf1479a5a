//! `cargo xtask bench frames`: `mkt frame convert` on a 5 M-row prediction CSV, both directions,
//! next to pandas, pyarrow and polars when a virtualenv with them can be made.
//!
//! Two hostile-file rows follow: a 10,000-column CSV (validate, convert both ways) and a CSV with
//! one 200 MB line (each command must fail naming it), with their peak RSS.
//!
//! Wall time and peak RSS are per whole process: via GNU time when `/usr/bin/time` exists, else by
//! polling `/proc/<pid>/status` (`VmHWM`). Each number is the median of `runs` runs.

use std::fmt::Write as _;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Rows of the generated CSV (~180 MB).
const ROWS: usize = 5_000_000;

/// One Python conversion: tool name, CSV → Parquet code, Parquet → CSV code (argv = in, out).
const PYTHON: &[(&str, &str, &str)] = &[
    (
        "pandas",
        "import sys, pandas as pd\npd.read_csv(sys.argv[1]).to_parquet(sys.argv[2], index=False)",
        "import sys, pandas as pd\npd.read_parquet(sys.argv[1]).to_csv(sys.argv[2], index=False)",
    ),
    (
        "pyarrow",
        "import sys, pyarrow.csv as c, pyarrow.parquet as pq\npq.write_table(c.read_csv(sys.argv[1]), sys.argv[2])",
        "import sys, pyarrow.csv as c, pyarrow.parquet as pq\nc.write_csv(pq.read_table(sys.argv[1]), sys.argv[2])",
    ),
    (
        "polars (streaming)",
        "import sys, polars as pl\npl.scan_csv(sys.argv[1]).sink_parquet(sys.argv[2])",
        "import sys, polars as pl\npl.scan_parquet(sys.argv[1]).sink_csv(sys.argv[2])",
    ),
];

#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: f64,
    /// User + system CPU seconds (0 when GNU time is missing).
    cpu: f64,
    rss_mib: f64,
}

/// Builds the release binary, generates the input, measures and prints the table.
pub fn run(root: &Path, runs: usize) -> anyhow::Result<()> {
    crate::run(
        Command::new("cargo")
            .args(["build", "--release", "-p", "mkt-cli"])
            .current_dir(root),
    )?;
    let mkt = root.join("target/release/mkt");
    let work = root.join("target/bench-frames");
    std::fs::create_dir_all(&work)?;
    let csv = work.join("frames.csv");
    if std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0) < 100_000_000 {
        eprintln!("generating {} ({ROWS} rows)", csv.display());
        generate(&csv, ROWS)?;
    }
    let pq = work.join("mkt.parquet");
    let back = work.join("mkt.csv");
    let runs = runs.max(1);
    let mut rows: Vec<(String, String, Result<Sample, String>)> = Vec::new();

    let mkt_cmd = |from: &Path, to: &Path| {
        let mut c = Command::new(&mkt);
        c.args(["--no-progress", "-q", "frame", "convert"])
            .arg(from)
            .arg(to);
        c
    };
    rows.push((
        "CSV→Parquet".into(),
        "mkt".into(),
        measure(runs, || mkt_cmd(&csv, &pq)),
    ));
    rows.push((
        "Parquet→CSV".into(),
        "mkt".into(),
        measure(runs, || mkt_cmd(&pq, &back)),
    ));
    let identical = same_bytes(&csv, &back).unwrap_or(false);
    eprintln!("round trip CSV→Parquet→CSV byte-identical: {identical}");

    match python(root) {
        Ok(python) => {
            let py_pq = work.join("py.parquet");
            let py_csv = work.join("py.csv");
            for (tool, to_pq, to_csv) in PYTHON {
                let cmd = |code: &str, a: &Path, b: &Path| {
                    let mut c = Command::new(&python);
                    c.args(["-c", code]).arg(a).arg(b);
                    c
                };
                rows.push((
                    "CSV→Parquet".into(),
                    (*tool).into(),
                    measure(runs, || cmd(to_pq, &csv, &py_pq)),
                ));
                // Every tool reads the same (mkt-written) Parquet file back.
                rows.push((
                    "Parquet→CSV".into(),
                    (*tool).into(),
                    measure(runs, || cmd(to_csv, &pq, &py_csv)),
                ));
            }
            let _ = std::fs::remove_file(&py_pq);
            let _ = std::fs::remove_file(&py_csv);
        }
        Err(why) => {
            for (tool, _, _) in PYTHON {
                for dir in ["CSV→Parquet", "Parquet→CSV"] {
                    rows.push((dir.into(), (*tool).into(), Err(why.clone())));
                }
            }
        }
    }
    let _ = std::fs::remove_file(&back);
    println!("{}", render(&rows, runs, identical));
    println!("{}", hostile(&mkt, &work)?);
    Ok(())
}

/// Peak RSS of `mkt frame` on hostile files: 10,000 columns × 10 rows, and one 200 MB line
/// (which must fail with exit 1, or 5 for validate).
fn hostile(mkt: &Path, work: &Path) -> anyhow::Result<String> {
    let wide = work.join("wide.csv");
    generate_wide(&wide, 10_000, 10)?;
    let long = work.join("long.csv");
    generate_long(&long, 1_000, 500, 200_000_000)?;
    let (wide_pq, wide_back, long_pq) = (
        work.join("wide.parquet"),
        work.join("wide-back.csv"),
        work.join("long.parquet"),
    );
    let mkt_args = |args: &[&Path]| {
        let mut c = Command::new(mkt);
        c.args(["--no-progress", "-q", "frame"]);
        for a in args {
            c.arg(a);
        }
        c
    };
    let p = Path::new;
    let cases: Vec<(&str, Command, &[i32])> = vec![
        (
            "wide CSV 10,000 columns: validate",
            mkt_args(&[p("validate"), &wide, p("--rules"), p("numerai-classic")]),
            &[0],
        ),
        (
            "wide CSV 10,000 columns: inspect",
            mkt_args(&[p("inspect"), &wide]),
            &[0],
        ),
        (
            "wide CSV 10,000 columns: convert CSV→Parquet",
            mkt_args(&[p("convert"), &wide, &wide_pq]),
            &[0],
        ),
        (
            "wide CSV 10,000 columns: convert Parquet→CSV",
            mkt_args(&[p("convert"), &wide_pq, &wide_back]),
            &[0],
        ),
        (
            "long record (200 MB line): validate → error",
            mkt_args(&[p("validate"), &long, p("--rules"), p("numerai-classic")]),
            &[5],
        ),
        (
            "long record (200 MB line): inspect → error",
            mkt_args(&[p("inspect"), &long]),
            &[1],
        ),
        (
            "long record (200 MB line): convert → error",
            mkt_args(&[p("convert"), &long, &long_pq]),
            &[1],
        ),
    ];
    let mut s = String::from(
        "\nhostile files (one run each)\n\n| case | wall (s) | peak RSS (MiB) |\n|---|---:|---:|\n",
    );
    for (name, cmd, codes) in cases {
        match run_expecting(cmd, codes) {
            Ok(x) => {
                let _ = writeln!(s, "| {name} | {:.2} | {:.0} |", x.wall, x.rss_mib);
            }
            Err(e) => {
                let _ = writeln!(
                    s,
                    "| {name} | – | failed: {} |",
                    format!("{e:#}").replace('|', "/")
                );
            }
        }
    }
    let _ = writeln!(s, "\nlong-record output left behind: {}", long_pq.exists());
    for f in [&wide, &wide_pq, &wide_back, &long] {
        let _ = std::fs::remove_file(f);
    }
    Ok(s)
}

fn render(rows: &[(String, String, Result<Sample, String>)], runs: usize, identical: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "frames benchmark: {ROWS} rows id,prediction (median of {runs} runs)\n"
    );
    let _ = writeln!(
        s,
        "| direction | tool | wall (s) | CPU (s) | peak RSS (MiB) | mkt wall / tool wall | tool RSS / mkt RSS |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|");
    for (dir, tool, res) in rows {
        let base = rows
            .iter()
            .find(|(d, t, _)| d == dir && t == "mkt")
            .and_then(|(_, _, r)| r.as_ref().ok().copied());
        match res {
            Ok(x) => {
                let (rw, rm) = match base {
                    Some(b) if tool != "mkt" => (
                        format!("{:.2}", b.wall / x.wall),
                        format!("{:.1}", x.rss_mib / b.rss_mib),
                    ),
                    _ => ("–".into(), "–".into()),
                };
                let _ = writeln!(
                    s,
                    "| {dir} | {tool} | {:.2} | {:.2} | {:.0} | {rw} | {rm} |",
                    x.wall, x.cpu, x.rss_mib
                );
            }
            Err(why) => {
                let _ = writeln!(
                    s,
                    "| {dir} | {tool} | – | – | – | unavailable: {} | |",
                    why.replace('|', "/")
                );
            }
        }
    }
    let _ = writeln!(s, "\nround trip CSV→Parquet→CSV byte-identical: {identical}");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let _ = writeln!(
        s,
        "{cores} cores, load average at the end: {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    s
}

/// The venv's python with pandas, pyarrow and polars importable, creating the venv if needed.
fn python(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/bench-venv");
    let python = venv.join("bin/python");
    let check = |p: &Path| {
        Command::new(p)
            .args(["-c", "import pandas, pyarrow, polars"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if python.exists() && check(&python) {
        return Ok(python);
    }
    if !python.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err("python3 -m venv failed".into());
        }
    }
    let ok = Command::new(venv.join("bin/pip"))
        .args(["install", "-q", "pandas", "pyarrow", "polars"])
        .status()
        .is_ok_and(|s| s.success());
    if ok && check(&python) {
        Ok(python)
    } else {
        Err("pip install pandas pyarrow polars failed (no PyPI access?)".into())
    }
}

fn measure(runs: usize, make: impl Fn() -> Command) -> Result<Sample, String> {
    let mut samples = Vec::new();
    for _ in 0..runs {
        samples.push(run_once(make()).map_err(|e| format!("{e:#}"))?);
    }
    let mid = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    Ok(Sample {
        wall: mid(samples.iter().map(|s| s.wall).collect()),
        cpu: mid(samples.iter().map(|s| s.cpu).collect()),
        rss_mib: mid(samples.iter().map(|s| s.rss_mib).collect()),
    })
}

fn run_once(cmd: Command) -> anyhow::Result<Sample> {
    run_expecting(cmd, &[0])
}

/// Runs `cmd` once; an exit code outside `codes` is an error.
fn run_expecting(cmd: Command, codes: &[i32]) -> anyhow::Result<Sample> {
    let time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("mkt-bench-frames-{}", std::process::id()));
    let mut cmd = if time.exists() {
        let mut t = Command::new(time);
        t.args(["-f", "%e %M %U %S", "-o"])
            .arg(&report)
            .arg(cmd.get_program())
            .args(cmd.get_args());
        t
    } else {
        cmd
    };
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pid = child.id();
    let mut hwm_kib = 0u64;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        hwm_kib = hwm_kib.max(vm_hwm_kib(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(20));
    };
    let wall = start.elapsed().as_secs_f64();
    if !status.code().is_some_and(|c| codes.contains(&c)) {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        anyhow::bail!("exited with {status}: {}", err.lines().last().unwrap_or(""));
    }
    let mut sample = Sample {
        wall,
        cpu: 0.0,
        rss_mib: hwm_kib as f64 / 1024.0,
    };
    if let Ok(text) = std::fs::read_to_string(&report) {
        let mut parts = text.split_whitespace();
        if let (Some(e), Some(m)) = (parts.next(), parts.next()) {
            sample.wall = e.parse().unwrap_or(wall);
            sample.rss_mib = m.parse::<f64>().map(|k| k / 1024.0).unwrap_or(sample.rss_mib);
            let user: f64 = parts.next().and_then(|u| u.parse().ok()).unwrap_or(0.0);
            let sys: f64 = parts.next().and_then(|u| u.parse().ok()).unwrap_or(0.0);
            sample.cpu = user + sys;
        }
        let _ = std::fs::remove_file(&report);
    }
    Ok(sample)
}

/// Peak RSS of a running process from `/proc` (Linux only; `None` elsewhere or once it exited).
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Writes an `id,prediction` CSV: 16-char hex ids, xorshift floats printed like pandas does.
fn generate(path: &Path, rows: usize) -> anyhow::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(w, "id,prediction")?;
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for i in 0..rows {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let pred = (x >> 11) as f64 / (1u64 << 53) as f64;
        // Rust's `{:?}` is Python's repr except for the exponent (`1e-5` vs `1e-05`), so the
        // file is exactly what pandas would write and the round trip can be compared byte-wise.
        let text = format!("{pred:?}");
        match text.split_once('e') {
            Some((m, e)) => {
                let e: i32 = e.parse()?;
                writeln!(w, "n{i:015x},{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())?
            }
            None => writeln!(w, "n{i:015x},{text}")?,
        }
    }
    w.flush()?;
    Ok(())
}

/// Writes an `id,prediction,c2,…` CSV with `columns` columns of floats and `rows` rows.
fn generate_wide(path: &Path, columns: usize, rows: usize) -> anyhow::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    write!(w, "id,prediction")?;
    for c in 2..columns {
        write!(w, ",c{c}")?;
    }
    writeln!(w)?;
    for r in 0..rows {
        write!(w, "id{r}")?;
        for c in 1..columns {
            write!(w, ",{:?}", ((r * 7919 + c * 104_729) % 1024) as f64 / 1024.0)?;
        }
        writeln!(w)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `rows` `id,prediction` rows where file line `line` has an id of `bytes` bytes.
fn generate_long(path: &Path, rows: u64, line: u64, bytes: u64) -> anyhow::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(w, "id,prediction")?;
    let block = vec![b'x'; 1 << 20];
    for l in 2..rows + 2 {
        if l == line {
            let mut left = bytes;
            while left > 0 {
                let n = left.min(block.len() as u64) as usize;
                w.write_all(&block[..n])?;
                left -= n as u64;
            }
            writeln!(w, ",0.5")?;
        } else {
            writeln!(w, "id{l},0.5")?;
        }
    }
    w.flush()?;
    Ok(())
}

fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    let (mut fa, mut fb) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    if fa.metadata()?.len() != fb.metadata()?.len() {
        return Ok(false);
    }
    let (mut ba, mut bb) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

//! The benchmark scenarios; each measures mkt first, then the tools it is compared with.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::measure::measure;
use super::python;
use super::Bench;

const MIB: u64 = 1024 * 1024;

/// `mkt --help` vs `numerbay --help` vs `crowdcent --help`.
pub fn cli_start(b: &mut Bench) {
    let runs = b.runs.max(7);
    let mkt = b.mkt.clone();
    b.push(
        "CLI start (--help)",
        "mkt",
        measure(
            runs,
            || Ok(()),
            || {
                let mut c = Command::new(&mkt);
                c.arg("--help");
                c
            },
        ),
    );
    for tool in ["numerbay", "crowdcent"] {
        b.push_python("CLI start (--help)", tool, |v| {
            v.script(tool, &[])?;
            Some(measure(
                runs,
                || Ok(()),
                || v.script(tool, &["--help"]).expect("venv checked"),
            ))
        });
    }
}

/// Seal and open a 512 MiB artifact: mkt vs the official client's encrypt/decrypt (PyNaCl).
pub fn crypto(b: &mut Bench) -> anyhow::Result<()> {
    let size = if b.quick { 64 * MIB } else { 512 * MIB };
    let label = format!("{} MiB", size / MIB);
    let plain = b.work.join("crypto.plain");
    random_file(&plain, size)?;
    let key_file = PathBuf::from(b.info(&["buyer_key_file"]));
    let public_key = public_key_of(&key_file)?;
    let sealed = b.work.join("crypto.sealed");
    let opened = b.work.join("crypto.opened");
    let (p, s, o, k) = (path(&plain), path(&sealed), path(&opened), path(&key_file));
    let runs = b.runs;
    let seal = format!("seal {label}");
    let out = measure(
        runs,
        || rm(&sealed),
        || b.mkt(&["crypto", "seal", "--public-key", &public_key, &p, &s]),
    );
    b.push(&seal, "mkt", out);
    let py_sealed = b.work.join("crypto.py.sealed");
    let ps = path(&py_sealed);
    b.push_python(&seal, "numerbay (PyNaCl)", |v| {
        Some(measure(
            runs,
            || rm(&py_sealed),
            || v.snippet(python::SEAL, &[&p, &public_key, &ps]).expect("venv"),
        ))
    });
    let open = format!("open {label}");
    let out = measure(
        runs,
        || rm(&opened),
        || b.mkt(&["crypto", "open", "--key-file", &k, &s, &o]),
    );
    b.push(&open, "mkt", out);
    // decrypt_file works in place, so each run starts from a fresh copy of the sealed file.
    let scratch = b.work.join("crypto.py.scratch");
    let sc = path(&scratch);
    b.push_python(&open, "numerbay (PyNaCl)", |v| {
        Some(measure(
            runs,
            || copy(&sealed, &scratch),
            || v.snippet(python::OPEN, &[&sc, &k]).expect("venv"),
        ))
    });
    for f in [&plain, &sealed, &opened, &py_sealed, &scratch] {
        let _ = std::fs::remove_file(f);
    }
    Ok(())
}

/// Buyer download + decrypt of a 256 MiB order artifact against the sandbox.
pub fn buyer_download(b: &mut Bench) -> anyhow::Result<()> {
    let size = if b.quick { 32 * MIB } else { 256 * MIB };
    let scenario = format!("buyer download+decrypt {} MiB", size / MIB);
    let csv = b.work.join("big_predictions.csv");
    predictions_csv(&csv, (size / 34) as usize)?;
    let url = b.info(&["numerbay_url"]);
    let product = b.info(&["encrypted_product"]);
    let (seller, seller_pw) = (b.info(&["seller", "username"]), b.info(&["seller", "password"]));
    let (buyer, buyer_pw) = (b.info(&["buyer", "username"]), b.info(&["buyer", "password"]));
    let key = b.info(&["buyer_key_file"]);
    let mut upload = b.mkt(&[
        "--base-url",
        &url,
        "numerbay",
        "submit",
        &path(&csv),
        "--product",
        &product,
    ]);
    upload
        .env("NUMERBAY_USERNAME", &seller)
        .env("NUMERBAY_PASSWORD", &seller_pw);
    super::super::run(&mut upload)?;
    let dest = b.work.join("downloaded.csv");
    let d = path(&dest);
    let runs = b.runs;
    let out = measure(
        runs,
        || rm(&dest),
        || {
            let mut c = b.mkt(&[
                "--base-url",
                &url,
                "numerbay",
                "download",
                "--product",
                &product,
                "--key-file",
                &key,
                "--out",
                &d,
            ]);
            c.env("NUMERBAY_USERNAME", &buyer)
                .env("NUMERBAY_PASSWORD", &buyer_pw);
            c
        },
    );
    b.push(&scenario, "mkt", out);
    b.push_python(&scenario, "numerbay", |v| {
        Some(measure(
            runs,
            || rm(&dest),
            || {
                v.snippet(
                    python::NUMERBAY_DOWNLOAD,
                    &[&url, &buyer, &buyer_pw, &d, &product, &key],
                )
                .expect("venv")
            },
        ))
    });
    b.push_mkt_python(&scenario, |v| {
        measure(
            runs,
            || rm(&dest),
            || {
                v.snippet(
                    python::MKT_DOWNLOAD,
                    &[&url, &buyer, &buyer_pw, &d, &product, &key],
                )
                .expect("venv")
            },
        )
    });
    let _ = std::fs::remove_file(&csv);
    let _ = std::fs::remove_file(&dest);
    Ok(())
}

/// Seller upload to the encrypted product with 50 active orders.
pub fn seller_upload(b: &mut Bench) -> anyhow::Result<()> {
    let control = b.info(&["control_url"]);
    let product = b.info(&["encrypted_product"]);
    for i in 0..50 {
        let user = format!("bench-buyer-{i}");
        let body = format!(r#"{{"username":"{user}","password":"bench-password-{i}","with_key":true}}"#);
        curl_post(&format!("{control}/users"), &body)?;
        let body = format!(r#"{{"buyer":"{user}","product":"{product}","state":"confirmed"}}"#);
        curl_post(&format!("{control}/orders"), &body)?;
    }
    let csv = b.work.join("predictions.csv");
    predictions_csv(&csv, 20_000)?;
    let url = b.info(&["numerbay_url"]);
    let (seller, pw) = (b.info(&["seller", "username"]), b.info(&["seller", "password"]));
    let c = path(&csv);
    let scenario = "seller upload, 50 active orders";
    let runs = b.runs;
    let out = measure(
        runs,
        || Ok(()),
        || {
            let mut cmd = b.mkt(&[
                "--base-url",
                &url,
                "numerbay",
                "submit",
                &c,
                "--product",
                &product,
                // Every run delivers every copy again, as the official client does.
                "--replace",
            ]);
            cmd.env("NUMERBAY_USERNAME", &seller)
                .env("NUMERBAY_PASSWORD", &pw);
            cmd
        },
    );
    b.push(scenario, "mkt", out);
    b.push_python(scenario, "numerbay", |v| {
        Some(measure(
            runs,
            || Ok(()),
            || {
                v.snippet(python::NUMERBAY_UPLOAD, &[&url, &seller, &pw, &c, &product])
                    .expect("venv")
            },
        ))
    });
    Ok(())
}

/// Seller upload to the same 50 orders with 50 ms of latency on every sandbox route (a real
/// network): mkt at concurrency 4, 8 (the default) and 16 against the official client. Runs after
/// [`seller_upload`], which creates the orders.
pub fn seller_upload_latency(b: &mut Bench) -> anyhow::Result<()> {
    let control = b.info(&["control_url"]);
    curl_post(&format!("{control}/faults"), r#"{"prefix":"/","latency_ms":50}"#)?;
    let product = b.info(&["encrypted_product"]);
    let csv = b.work.join("predictions-latency.csv");
    predictions_csv(&csv, 20_000)?;
    let url = b.info(&["numerbay_url"]);
    let (seller, pw) = (b.info(&["seller", "username"]), b.info(&["seller", "password"]));
    let c = path(&csv);
    let scenario = "seller upload, 50 orders, 50 ms latency";
    let runs = b.runs;
    for concurrency in ["4", "8", "16"] {
        let out = measure(
            runs,
            || Ok(()),
            || {
                let mut cmd = b.mkt(&[
                    "--base-url",
                    &url,
                    "numerbay",
                    "submit",
                    &c,
                    "--product",
                    &product,
                    "--concurrency",
                    concurrency,
                    // Every run delivers every copy again, as the official client does.
                    "--replace",
                ]);
                cmd.env("NUMERBAY_USERNAME", &seller)
                    .env("NUMERBAY_PASSWORD", &pw);
                cmd
            },
        );
        // The default (8) is the row the ratios are computed against.
        let tool = if concurrency == "8" {
            "mkt".to_owned()
        } else {
            format!("mkt --concurrency {concurrency}")
        };
        b.push(scenario, &tool, out);
    }
    b.push_python(scenario, "numerbay", |v| {
        Some(measure(
            runs,
            || Ok(()),
            || {
                v.snippet(python::NUMERBAY_UPLOAD, &[&url, &seller, &pw, &c, &product])
                    .expect("venv")
            },
        ))
    });
    b.push_mkt_python(scenario, |v| {
        measure(
            runs,
            || Ok(()),
            || {
                v.snippet(python::MKT_UPLOAD, &[&url, &seller, &pw, &c, &product])
                    .expect("venv")
            },
        )
    });
    curl_delete(&format!("{control}/faults"))
}

/// CrowdCent: download ≥ 100 MB of training data, and submit.
pub fn crowdcent(b: &mut Bench) -> anyhow::Result<()> {
    let url = b.info(&["crowdcent_url"]);
    let key = b.info(&["crowdcent_api_key"]);
    let slug = b.info(&["challenge"]);
    let data_dir = PathBuf::from(b.info(&["data_dir"]));
    // Swap the latest training object for a large one so the download is worth timing.
    let training_dir = data_dir.join("objects/crowdcent").join(&slug).join("training");
    let latest = std::fs::read_dir(&training_dir)
        .map_err(|e| anyhow::anyhow!("no training objects under {} ({e})", training_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .max()
        .ok_or_else(|| anyhow::anyhow!("no training object in {}", training_dir.display()))?;
    let size = if b.quick { 16 * MIB } else { 128 * MIB };
    random_file(&latest, size)?;
    let dest = b.work.join("training.parquet");
    let d = path(&dest);
    let runs = b.runs;
    let scenario = format!("CrowdCent training download {} MiB", size / MIB);
    let out = measure(
        runs,
        || rm(&dest),
        || {
            let mut c = b.mkt(&[
                "--base-url",
                &url,
                "crowdcent",
                "-c",
                &slug,
                "training",
                "download",
                "--out",
                &d,
            ]);
            c.env("CROWDCENT_API_KEY", &key);
            c
        },
    );
    b.push(&scenario, "mkt", out);
    b.push_python(&scenario, "crowdcent-challenge", |v| {
        Some(measure(
            runs,
            || rm(&dest),
            || {
                v.snippet(python::CROWDCENT_TRAINING, &[&url, &key, &slug, &d])
                    .expect("venv")
            },
        ))
    });
    let _ = std::fs::remove_file(&dest);

    // A valid submission built from the current inference ids (via mkt's own converter).
    let inference = b.work.join("inference.parquet");
    let mut dl = b.mkt(&[
        "--base-url",
        &url,
        "crowdcent",
        "-c",
        &slug,
        "inference",
        "download",
        "current",
        "--out",
        &path(&inference),
    ]);
    dl.env("CROWDCENT_API_KEY", &key);
    let _ = std::fs::remove_file(&inference);
    super::super::run(&mut dl)?;
    let inference_csv = b.work.join("inference.csv");
    super::super::run(&mut b.mkt(&["frame", "convert", &path(&inference), &path(&inference_csv)]))?;
    let submission_csv = b.work.join("submission.csv");
    submission_from_inference(&inference_csv, &submission_csv)?;
    let submission = b.work.join("submission.parquet");
    let _ = std::fs::remove_file(&submission);
    super::super::run(&mut b.mkt(&["frame", "convert", &path(&submission_csv), &path(&submission)]))?;
    let s = path(&submission);
    let out = measure(
        runs,
        || Ok(()),
        || {
            let mut c = b.mkt(&[
                "--base-url",
                &url,
                "crowdcent",
                "-c",
                &slug,
                "submit",
                &s,
                "--slot",
                "1",
            ]);
            c.env("CROWDCENT_API_KEY", &key);
            c
        },
    );
    b.push("CrowdCent submit (validated)", "mkt", out);
    b.push_python("CrowdCent submit (validated)", "crowdcent-challenge", |v| {
        Some(measure(
            runs,
            || Ok(()),
            || {
                v.snippet(python::CROWDCENT_SUBMIT, &[&url, &key, &slug, &s])
                    .expect("venv")
            },
        ))
    });
    // From a DataFrame (polars, read from the same file inside the measured process).
    let scenario = "CrowdCent submit from a DataFrame";
    let work = b.work.clone();
    b.push_python(scenario, "crowdcent-challenge", |v| {
        Some(measure(
            runs,
            || Ok(()),
            || {
                let mut c = v
                    .snippet(python::CROWDCENT_SUBMIT_DF, &[&url, &key, &slug, &s])
                    .expect("venv");
                // The official client writes the frame to ./submission.csv first.
                c.current_dir(&work);
                c
            },
        ))
    });
    b.push_mkt_python(scenario, |v| {
        measure(
            runs,
            || Ok(()),
            || {
                v.snippet(python::MKT_SUBMIT_DF, &[&url, &key, &slug, &s])
                    .expect("venv")
            },
        )
    });
    Ok(())
}

/// CSV → Parquet, 5 M rows: mkt vs pandas, pyarrow, polars.
pub fn frames(b: &mut Bench) -> anyhow::Result<()> {
    let rows = if b.quick { 500_000 } else { 5_000_000 };
    let csv = b.work.join("frames.csv");
    predictions_csv(&csv, rows)?;
    let out_path = b.work.join("frames.parquet");
    let (c, o) = (path(&csv), path(&out_path));
    let scenario = format!("CSV→Parquet {} M rows", rows as f64 / 1e6);
    let runs = b.runs;
    let out = measure(runs, || rm(&out_path), || b.mkt(&["frame", "convert", &c, &o]));
    b.push(&scenario, "mkt", out);
    for (tool, code) in [
        ("pandas", python::PANDAS_CONVERT),
        ("pyarrow", python::PYARROW_CONVERT),
        ("polars (streaming)", python::POLARS_CONVERT),
    ] {
        b.push_python(&scenario, tool, |v| {
            Some(measure(
                runs,
                || rm(&out_path),
                || v.snippet(code, &[&c, &o]).expect("venv"),
            ))
        });
    }
    let _ = std::fs::remove_file(&csv);
    let _ = std::fs::remove_file(&out_path);
    Ok(())
}

fn path(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn rm(p: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

fn copy(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::copy(from, to)?;
    Ok(())
}

/// Writes `size` pseudo-random bytes (xorshift; fast and incompressible enough).
fn random_file(p: &Path, size: u64) -> anyhow::Result<()> {
    let mut w = BufWriter::with_capacity(MIB as usize, std::fs::File::create(p)?);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut buf = vec![0u8; MIB as usize];
    let mut left = size;
    while left > 0 {
        for chunk in buf.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
        }
        let n = left.min(MIB) as usize;
        w.write_all(&buf[..n])?;
        left -= n as u64;
    }
    w.flush()?;
    Ok(())
}

/// An `id,prediction` CSV of `rows` rows (~34 bytes a row).
fn predictions_csv(p: &Path, rows: usize) -> anyhow::Result<()> {
    let mut w = BufWriter::with_capacity(MIB as usize, std::fs::File::create(p)?);
    writeln!(w, "id,prediction")?;
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for i in 0..rows {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let pred = (x >> 11) as f64 / (1u64 << 53) as f64;
        writeln!(w, "n{i:015x},{pred}")?;
    }
    w.flush()?;
    Ok(())
}

fn submission_from_inference(inference_csv: &Path, out: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(inference_csv)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let id_col = header
        .iter()
        .position(|h| *h == "id")
        .ok_or_else(|| anyhow::anyhow!("inference file has no id column"))?;
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    writeln!(w, "id,pred_10d,pred_30d")?;
    for (i, line) in lines.enumerate() {
        let id = line.split(',').nth(id_col).unwrap_or("");
        let a = ((i * 7919) % 1000) as f64 / 1000.0;
        let c = ((i * 104_729) % 1000) as f64 / 1000.0;
        writeln!(w, "{id},{a},{c}")?;
    }
    w.flush()?;
    Ok(())
}

fn public_key_of(key_file: &Path) -> anyhow::Result<String> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(key_file)?)?;
    v["public_key"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("{} has no public_key", key_file.display()))
}

fn curl_delete(url: &str) -> anyhow::Result<()> {
    let out = Command::new("curl")
        .args(["-sS", "-f", "-X", "DELETE", url])
        .output()?;
    anyhow::ensure!(out.status.success(), "DELETE {url} failed");
    Ok(())
}

fn curl_post(url: &str, body: &str) -> anyhow::Result<()> {
    let out = Command::new("curl")
        .args([
            "-sS",
            "-f",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "-d",
            body,
            url,
        ])
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "POST {url} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

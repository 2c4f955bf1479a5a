//! The Python side of the comparison: a virtualenv with the official clients and the dataframe
//! libraries, and the snippets that drive them unmodified (only pointed at the sandbox).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Packages installed into the benchmark virtualenv.
pub const PACKAGES: &[&str] = &[
    "numerbay",
    "crowdcent-challenge",
    "pandas",
    "pyarrow",
    "polars",
    "pynacl",
];

/// Seal a file with the official client's `encrypt_file_object`: argv = in, public key, out.
pub const SEAL: &str = "import sys, numerbay.utils as u\n\
with open(sys.argv[1], 'rb') as f:\n    out = u.encrypt_file_object(f, sys.argv[2])\n\
open(sys.argv[3], 'wb').write(out.getbuffer())\n";

/// Open a sealed file in place with the official `decrypt_file`: argv = path, key file.
pub const OPEN: &str = "import sys, numerbay.utils as u\nu.decrypt_file(sys.argv[1], key_path=sys.argv[2])\n";

/// Seller upload with the official client: argv = api url, user, password, file, product.
pub const NUMERBAY_UPLOAD: &str = "import sys, logging\nimport numerbay.numerbay as nb\n\
nb.API_ENDPOINT_URL = sys.argv[1]\n\
api = nb.NumerBay(username=sys.argv[2], password=sys.argv[3], verbosity='WARNING', show_progress_bars=False)\n\
res = api.upload_artifact(sys.argv[4], product_full_name=sys.argv[5])\n\
items = res if isinstance(res, list) else [res]\n\
bad = [r for r in items if not isinstance(r, dict) or 'detail' in r or not r]\n\
sys.exit(1 if bad else 0)\n";

/// Buyer download + decrypt with the official client: argv = api url, user, password, dest, product, key file.
pub const NUMERBAY_DOWNLOAD: &str = "import sys\nimport numerbay.numerbay as nb\n\
nb.API_ENDPOINT_URL = sys.argv[1]\n\
api = nb.NumerBay(username=sys.argv[2], password=sys.argv[3], verbosity='WARNING', show_progress_bars=False)\n\
api.download_artifact(dest_path=sys.argv[4], product_full_name=sys.argv[5], key_path=sys.argv[6])\n";

/// CrowdCent training download: argv = base url, key, slug, dest.
pub const CROWDCENT_TRAINING: &str = "import sys\nfrom crowdcent_challenge import ChallengeClient\n\
c = ChallengeClient(sys.argv[3], api_key=sys.argv[2], base_url=sys.argv[1])\n\
c.download_training_dataset('latest', sys.argv[4])\n";

/// CrowdCent submission: argv = base url, key, slug, parquet file.
pub const CROWDCENT_SUBMIT: &str = "import sys\nfrom crowdcent_challenge import ChallengeClient\n\
c = ChallengeClient(sys.argv[3], api_key=sys.argv[2], base_url=sys.argv[1])\n\
c.submit_predictions(file_path=sys.argv[4], slot=1)\n";

/// Seller upload with mkt's Python API (`mkt.NumerBay`): argv as [`NUMERBAY_UPLOAD`].
pub const MKT_UPLOAD: &str = "import sys\nimport mkt\n\
api = mkt.NumerBay(username=sys.argv[2], password=sys.argv[3], verbosity='WARNING', show_progress_bars=False, base_url=sys.argv[1])\n\
res = api.upload_artifact(sys.argv[4], product_full_name=sys.argv[5])\n\
sys.exit(0 if res else 1)\n";

/// Buyer download + decrypt with mkt's Python API: argv as [`NUMERBAY_DOWNLOAD`].
pub const MKT_DOWNLOAD: &str = "import sys\nimport mkt\n\
api = mkt.NumerBay(username=sys.argv[2], password=sys.argv[3], verbosity='WARNING', show_progress_bars=False, base_url=sys.argv[1])\n\
api.download_artifact(dest_path=sys.argv[4], product_full_name=sys.argv[5], key_path=sys.argv[6])\n";

/// CrowdCent submission from a polars DataFrame, official client: argv = base url, key, slug, parquet.
pub const CROWDCENT_SUBMIT_DF: &str =
    "import sys, polars as pl\nfrom crowdcent_challenge import ChallengeClient\n\
c = ChallengeClient(sys.argv[3], api_key=sys.argv[2], base_url=sys.argv[1])\n\
c.submit_predictions(df=pl.read_parquet(sys.argv[4]), slot=1)\n";

/// The same with mkt's Python API (validated locally, encoded in memory).
pub const MKT_SUBMIT_DF: &str = "import sys, polars as pl\nfrom mkt import ChallengeClient\n\
c = ChallengeClient(sys.argv[3], api_key=sys.argv[2], base_url=sys.argv[1])\n\
c.submit_predictions(df=pl.read_parquet(sys.argv[4]), slot=1)\n";

/// CSV → Parquet with pandas: argv = csv, parquet.
pub const PANDAS_CONVERT: &str =
    "import sys, pandas as pd\npd.read_csv(sys.argv[1]).to_parquet(sys.argv[2], index=False)\n";
/// CSV → Parquet with pyarrow: argv = csv, parquet.
pub const PYARROW_CONVERT: &str = "import sys, pyarrow.csv as c, pyarrow.parquet as pq\n\
pq.write_table(c.read_csv(sys.argv[1]), sys.argv[2])\n";
/// CSV → Parquet with polars streaming: argv = csv, parquet.
pub const POLARS_CONVERT: &str =
    "import sys, polars as pl\npl.scan_csv(sys.argv[1]).sink_parquet(sys.argv[2])\n";

/// A ready virtualenv, or why there is none.
#[derive(Debug, Clone)]
pub enum Venv {
    /// Path of the virtualenv's `bin/` directory.
    Ready(PathBuf),
    /// Why Python rows cannot be measured.
    Missing(String),
}

impl Venv {
    /// Creates (or reuses) `dir` and installs [`PACKAGES`] from PyPI.
    pub fn ensure(dir: &Path) -> Venv {
        let bin = dir.join("bin");
        let python = bin.join("python");
        if !python.exists() {
            eprintln!("creating {} (python3 -m venv)", dir.display());
            match Command::new("python3").arg("-m").arg("venv").arg(dir).status() {
                Ok(s) if s.success() => {}
                Ok(s) => return Venv::Missing(format!("python3 -m venv failed ({s})")),
                Err(e) => return Venv::Missing(format!("python3 not available ({e})")),
            }
        }
        let have = Command::new(&python)
            .args([
                "-c",
                "import numerbay, crowdcent_challenge, pandas, pyarrow, polars, nacl",
            ])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !have {
            eprintln!("installing {} into {}", PACKAGES.join(" "), dir.display());
            let ok = Command::new(bin.join("pip"))
                .args(["install", "-q"])
                .args(PACKAGES)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !ok {
                return Venv::Missing("pip install of the official clients failed (no PyPI access?)".into());
            }
        }
        Venv::Ready(bin)
    }

    /// A `python -c SNIPPET args...` command, or `None` when the venv is missing.
    pub fn snippet(&self, code: &str, args: &[&str]) -> Option<Command> {
        match self {
            Venv::Ready(bin) => {
                let mut cmd = Command::new(bin.join("python"));
                cmd.arg("-c").arg(code).args(args);
                Some(cmd)
            }
            Venv::Missing(_) => None,
        }
    }

    /// Installs mkt's wheel into the venv (replacing an older build).
    ///
    /// # Errors
    /// Why the mkt Python rows cannot be measured.
    pub fn install_wheel(&self, wheel: &Path) -> Result<(), String> {
        let Venv::Ready(bin) = self else {
            return Err(self.missing_reason().unwrap_or("python unavailable").to_owned());
        };
        let ok = Command::new(bin.join("pip"))
            .args(["install", "-q", "--force-reinstall", "--no-deps"])
            .arg(wheel)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            Ok(())
        } else {
            Err(format!("pip install {} failed", wheel.display()))
        }
    }

    /// A console script of the venv (`numerbay`, `crowdcent`).
    pub fn script(&self, name: &str, args: &[&str]) -> Option<Command> {
        match self {
            Venv::Ready(bin) => {
                let mut cmd = Command::new(bin.join(name));
                cmd.args(args);
                Some(cmd)
            }
            Venv::Missing(_) => None,
        }
    }

    /// Why Python rows are missing, if they are.
    pub fn missing_reason(&self) -> Option<&str> {
        match self {
            Venv::Missing(r) => Some(r),
            Venv::Ready(_) => None,
        }
    }
}

//! Helpers shared by the end-to-end tests: a sandbox per test and the `mkt` binary as a process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use marketplace_sandbox::{Sandbox, SandboxInfo};

/// Path of the `mkt` binary built for this test run.
pub const MKT: &str = env!("CARGO_BIN_EXE_mkt-e2e-cli");

/// Environment variables that could leak a developer's real accounts into a test.
const SCRUBBED: &[&str] = &[
    "NUMERBAY_USERNAME",
    "NUMERBAY_PASSWORD",
    "NUMERBAY_API_URL",
    "NUMERBAY_KEY_PATH",
    "NUMERBAY_KEY_BASE64",
    "CROWDCENT_API_KEY",
    "CROWDCENT_API_URL",
    "CROWDCENT_CHALLENGE",
    "MKT_WEBHOOK_SECRET",
    "RUST_LOG",
];

/// A `mkt` command with credentials scrubbed, a private config file, and a scratch working
/// directory (so no `.env` of the developer is read). `MKT_E2E_BIN` overrides the binary (for
/// worktrees sharing one target directory, whose uplifted `mkt-e2e-cli` the last build wins).
pub fn mkt_cmd(cwd: &Path) -> Command {
    let mut cmd = match std::env::var_os("MKT_E2E_BIN") {
        Some(bin) => Command::new(bin),
        None => Command::new(MKT),
    };
    for var in SCRUBBED {
        cmd.env_remove(var);
    }
    cmd.env("MKT_CONFIG", cwd.join("mkt-config.toml"));
    cmd.current_dir(cwd);
    cmd
}

/// Runs `mkt` with `args` in a throwaway directory.
pub fn mkt(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    mkt_cmd(dir.path()).args(args).output().expect("run mkt")
}

/// The exit code of a finished process.
pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// Stdout as a string.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr as a string.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Parses stdout as JSON, failing the test with both streams when it is not.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            stdout(out),
            stderr(out)
        )
    })
}

/// A running sandbox with its own runtime, a scratch directory, and helpers to drive `mkt` at it.
pub struct Env {
    /// Keeps the sandbox's tasks running for the life of the test.
    pub runtime: tokio::runtime::Runtime,
    sandbox: Option<Sandbox>,
    /// The sandbox's URLs and seeded credentials.
    pub info: SandboxInfo,
    /// Scratch directory used as the working directory of `mkt`.
    pub dir: tempfile::TempDir,
    http: reqwest::Client,
}

impl Env {
    /// Starts a fresh sandbox on an ephemeral port.
    pub fn start() -> Env {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let sandbox = runtime.block_on(Sandbox::start()).expect("sandbox starts");
        let info = sandbox.info().clone();
        Env {
            runtime,
            sandbox: Some(sandbox),
            info,
            dir: tempfile::tempdir().expect("temp dir"),
            http: reqwest::Client::new(),
        }
    }

    /// A path inside the scratch directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `mkt` logged in as the seeded seller (env vars, no flags), pointed at the sandbox.
    pub fn seller(&self, args: &[&str]) -> Output {
        self.numerbay_as(&self.info.seller.username, &self.info.seller.password, args)
    }

    /// `mkt` logged in as the seeded buyer, with its key file in `NUMERBAY_KEY_PATH`.
    pub fn buyer(&self, args: &[&str]) -> Output {
        let mut cmd = self.numerbay_cmd(&self.info.buyer.username, &self.info.buyer.password);
        cmd.env("NUMERBAY_KEY_PATH", &self.info.buyer_key_file);
        cmd.args(args).output().expect("run mkt")
    }

    /// `mkt` with NumerBay credentials `user`/`password`.
    pub fn numerbay_as(&self, user: &str, password: &str, args: &[&str]) -> Output {
        self.numerbay_cmd(user, password)
            .args(args)
            .output()
            .expect("run mkt")
    }

    fn numerbay_cmd(&self, user: &str, password: &str) -> Command {
        let mut cmd = mkt_cmd(self.dir.path());
        cmd.env("NUMERBAY_API_URL", &self.info.numerbay_url)
            .env("NUMERBAY_USERNAME", user)
            .env("NUMERBAY_PASSWORD", password);
        cmd
    }

    /// `mkt` with the CrowdCent key and URL of the sandbox.
    pub fn crowdcent(&self, args: &[&str]) -> Output {
        self.crowdcent_cmd().args(args).output().expect("run mkt")
    }

    /// A `mkt` command with the CrowdCent key, URL and challenge of the sandbox in its environment.
    pub fn crowdcent_cmd(&self) -> Command {
        let mut cmd = mkt_cmd(self.dir.path());
        cmd.env("CROWDCENT_API_URL", &self.info.crowdcent_url)
            .env("CROWDCENT_API_KEY", &self.info.crowdcent_api_key)
            .env("CROWDCENT_CHALLENGE", &self.info.challenge);
        cmd
    }

    /// `mkt` with no credentials, in the scratch directory.
    pub fn anon(&self, args: &[&str]) -> Output {
        mkt_cmd(self.dir.path()).args(args).output().expect("run mkt")
    }

    /// POSTs JSON to the control API (`path` relative to `/_sandbox`), returning the JSON answer.
    pub fn control(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let url = format!("{}{}", self.info.control_url, path);
        self.runtime.block_on(async {
            let res = self
                .http
                .post(&url)
                .json(&body)
                .send()
                .await
                .expect("control API reachable");
            let status = res.status();
            let text = res.text().await.expect("control body");
            assert!(status.is_success(), "control {path} failed: {status} {text}");
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
        })
    }

    /// Adds a fault rule (see the sandbox docs for the fields).
    pub fn fault(&self, rule: serde_json::Value) {
        self.control("/faults", rule);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        let url = format!("{}/faults", self.info.control_url);
        self.runtime.block_on(async {
            self.http
                .delete(&url)
                .send()
                .await
                .expect("control API reachable");
        });
    }

    /// Writes an `id,prediction` CSV with `rows` rows and returns its path.
    pub fn predictions_csv(&self, name: &str, rows: usize) -> PathBuf {
        let path = self.path(name);
        let mut text = String::from("id,prediction\n");
        for i in 0..rows {
            text.push_str(&format!("n{i:06x},{}\n", ((i * 7919) % 1000) as f64 / 1000.0));
        }
        std::fs::write(&path, text).expect("write csv");
        path
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            self.runtime.block_on(sandbox.shutdown());
        }
    }
}

/// Asserts that a directory holds no file whose name starts with `prefix` except `allowed`.
pub fn assert_no_partial_files(dir: &Path, allowed: &[&str]) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        let temp_like = name.ends_with(".part") || name.starts_with(".tmp") || name.contains(".mkt-");
        assert!(
            !temp_like || allowed.contains(&name.as_str()),
            "leftover temp file {name} in {}",
            dir.display()
        );
    }
}

/// The writer's temp files (`.{name}.mkt-*.tmp`) in `dir`, with their sizes.
pub fn temp_files(dir: &Path) -> Vec<(PathBuf, u64)> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().to_string_lossy().into_owned();
            (name.contains(".mkt-") && name.ends_with(".tmp"))
                .then(|| (e.path(), e.metadata().map_or(0, |m| m.len())))
        })
        .collect()
}

/// Polls `ready` every 10 ms until it holds, failing the test after `limit`.
pub fn wait_until(limit: std::time::Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + limit;
    while !ready() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A child process that is killed if the test fails before it ends.
pub struct Running(pub std::process::Child);

impl Running {
    /// Starts `cmd` with its output streams discarded (stdout) and captured (stderr).
    pub fn spawn(cmd: &mut Command) -> Running {
        Running(
            cmd.stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn mkt"),
        )
    }

    /// True while the process runs.
    pub fn alive(&mut self) -> bool {
        self.0.try_wait().expect("try_wait").is_none()
    }

    /// Sends `signal` (`INT`, `TERM`, `KILL`) with the `kill` command and waits (bounded) for the
    /// exit; returns the exit code (`None` when killed by the signal) and how long it took.
    pub fn signal(&mut self, signal: &str) -> (Option<i32>, std::time::Duration, String) {
        let sent = std::time::Instant::now();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.0.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill -{signal} failed");
        let deadline = sent + std::time::Duration::from_secs(30);
        let status = loop {
            if let Some(s) = self.0.try_wait().expect("wait") {
                break s;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "mkt did not stop after SIG{signal}"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        let mut err = String::new();
        if let Some(mut e) = self.0.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        (status.code(), sent.elapsed(), err)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

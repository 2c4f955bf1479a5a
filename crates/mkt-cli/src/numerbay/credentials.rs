//! NumerBay credentials: environment variables (./.env is loaded at startup), else a prompt on a terminal.

use std::io::{BufRead, IsTerminal, Write};

use numerbay_client::{Credentials, ENV_PASSWORD, ENV_USERNAME};

use crate::exit::{self, Failure};

use marketplace_core::env::non_empty as var;

/// Credentials from the environment (or ./.env), without prompting.
pub(super) fn from_env() -> Option<Credentials> {
    Some(Credentials::new(var(ENV_USERNAME)?, var(ENV_PASSWORD)?))
}

/// Credentials from the environment, else asked on the terminal; exit 3 when neither works.
/// Never prompts when stdin is not a terminal.
pub(super) fn require() -> anyhow::Result<Credentials> {
    let username = var(ENV_USERNAME);
    let password = var(ENV_PASSWORD);
    if let (Some(u), Some(p)) = (&username, &password) {
        return Ok(Credentials::new(u.clone(), p.clone()));
    }
    if !std::io::stdin().is_terminal() {
        let missing = if username.is_none() {
            ENV_USERNAME
        } else {
            ENV_PASSWORD
        };
        return Err(Failure::new(
            exit::AUTH,
            anyhow::anyhow!("no NumerBay credentials: {missing} is not set"),
        )
        .hint("set NUMERBAY_USERNAME and NUMERBAY_PASSWORD (in the environment or ./.env)")
        .into());
    }
    let username = match username {
        Some(u) => u,
        None => prompt_line("NumerBay username: ")?,
    };
    let password = match password {
        Some(p) => p,
        None => rpassword::prompt_password("NumerBay password: ").map_err(|e| {
            Failure::new(
                exit::AUTH,
                anyhow::Error::new(e).context("could not read the password"),
            )
            .hint("set NUMERBAY_USERNAME and NUMERBAY_PASSWORD (in the environment or ./.env)")
        })?,
    };
    if username.trim().is_empty() || password.is_empty() {
        return Err(
            Failure::new(exit::AUTH, anyhow::anyhow!("empty NumerBay username or password"))
                .hint("set NUMERBAY_USERNAME and NUMERBAY_PASSWORD (in the environment or ./.env)")
                .into(),
        );
    }
    Ok(Credentials::new(username.trim().to_owned(), password))
}

fn prompt_line(prompt: &str) -> anyhow::Result<String> {
    let mut err = std::io::stderr().lock();
    write!(err, "{prompt}")?;
    err.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

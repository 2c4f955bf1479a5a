//! `mkt crowdcent`: the CrowdCent Challenge: data downloads, validated submissions, local scoring.

mod data;
mod download;
mod official;
mod render;
mod score;
mod submissions;
mod targets;

use std::io::IsTerminal;

use clap::Subcommand;
use crowdcent_client::{ChallengeClient, CrowdCent};
use secrecy::SecretString;

use crate::exit::{self, Failure};
use crate::Context;

/// Arguments of `mkt crowdcent`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Talk to the CrowdCent Challenge API: list challenges, download training, inference and \
meta-model files (atomically, resumably, never sending the API key to the storage host), wait for the daily \
inference file, validate and submit predictions, follow your performance, and score predictions locally \
with the challenge's own metrics. The API key comes from CROWDCENT_API_KEY or a .env file in the working \
directory, else it is asked for when stdin is a terminal; CROWDCENT_API_URL or --base-url point mkt at \
another server (e.g. `mkt sandbox serve`). The challenge is -c/--challenge, else CROWDCENT_CHALLENGE, else \
the config key crowdcent.challenge, else the only active challenge. The official CLI's command names \
(list-challenges, download-training-data, download-inference-data, download-meta-model, list-submissions, \
get-submission, whoami, ...) work as hidden aliases; its -o/--output PATH is -o/--out PATH here, since \
--output picks table or json.",
    after_help = "Examples:\n  mkt crowdcent challenges\n  mkt crowdcent -c hyperliquid-ranking training download\n  mkt crowdcent inference download --timeout 15m\n  mkt crowdcent submit preds.parquet --slot 2 --notes \"xgb v3\"\n  mkt crowdcent performance --output json\n  mkt crowdcent score --predictions preds.parquet --targets targets.parquet\n  mkt crowdcent targets prices.csv -o targets.csv"
)]
pub struct Args {
    /// Challenge slug (before or after the subcommand).
    #[arg(
        short = 'c',
        long,
        global = true,
        env = "CROWDCENT_CHALLENGE",
        value_name = "SLUG"
    )]
    pub challenge: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: CrowdcentCommand,
}

/// The `mkt crowdcent` subcommands.
#[derive(Debug, Subcommand)]
pub enum CrowdcentCommand {
    /// List the active challenges.
    #[command(
        long_about = "List every active challenge (GET /challenges/): slug, name, start and end dates. Needs \
an API key.",
        alias = "list-challenges",
        after_help = "Examples:\n  mkt crowdcent challenges\n  mkt crowdcent challenges --output json"
    )]
    Challenges,
    /// Show one challenge.
    #[command(
        long_about = "Show the selected challenge (GET /challenges/{slug}/). Exits 4 when the slug does not \
exist.",
        alias = "get-challenge",
        after_help = "Examples:\n  mkt crowdcent challenge\n  mkt crowdcent challenge -c hyperliquid-ranking --output json"
    )]
    Challenge,
    /// Training datasets: list, show, download.
    #[command(
        long_about = "List the training dataset versions, show one, or download one. VERSION is a version \
string such as 2.0, or latest (the default), which is resolved to its version first.",
        after_help = "Examples:\n  mkt crowdcent training list\n  mkt crowdcent training get 2.0\n  mkt crowdcent training download              # <slug>_training_v<version>.parquet\n  mkt crowdcent training download 1.0 --out train.parquet\n  mkt crowdcent training download --out train.csv   # the server's CSV copy"
    )]
    Training(data::TrainingArgs),
    /// Inference periods: list, show, download (optionally waiting for publication).
    #[command(
        long_about = "List the inference periods, show one, or download one. WHICH is current (the open \
period, the default), latest (the most recently published) or a YYYY-MM-DD release date. The download of \
the current file waits for publication: it is retried every --interval until the file is out or --timeout \
passes (--no-wait fails at once with exit 4); a wrong challenge slug fails at once.",
        after_help = "Examples:\n  mkt crowdcent inference list\n  mkt crowdcent inference get 2025-06-09\n  mkt crowdcent inference download                       # current, <slug>_inference_<date>.parquet\n  mkt crowdcent inference download latest --out inf.csv\n  mkt crowdcent inference download --timeout 15m --interval 30s\n  mkt crowdcent inference download --no-wait"
    )]
    Inference(data::InferenceArgs),
    /// The consolidated meta-model file.
    #[command(
        name = "meta-model",
        long_about = "Download the consolidated meta-model file (id, pred_10d, pred_30d, release_date for \
every release so far). Without Challenger tier the server serves a 90-day delayed file.",
        after_help = "Examples:\n  mkt crowdcent meta-model download\n  mkt crowdcent meta-model download --out meta.csv"
    )]
    MetaModel(data::MetaModelArgs),
    /// Your submissions: list and show.
    #[command(
        long_about = "List your submissions for the challenge (all slots, all periods, optionally one \
period), or show one by id with its scores and percentiles.",
        after_help = "Examples:\n  mkt crowdcent submissions list\n  mkt crowdcent submissions list --period current\n  mkt crowdcent submissions list --period 2025-07-25 --output json\n  mkt crowdcent submissions get 814"
    )]
    Submissions(submissions::SubmissionsArgs),
    /// Validate and submit a prediction file.
    #[command(
        long_about = "Validate FILE locally (Parquet or CSV with id, pred_10d, pred_30d; floats in [0, 1]; no \
nulls or NaN; unique ids; at least 80 ids, matched against the current inference file when a period is \
open), then submit it to a slot. Nothing is sent when validation fails (exit 5). A CSV file is converted to \
Parquet in memory. Reports whether the submission was created, replaced or queued for the next period, and \
whether the copy queued for the next period was refused.",
        after_help = "Examples:\n  mkt crowdcent submit preds.parquet\n  mkt crowdcent submit preds.parquet --slot 2 --notes \"lgbm, 3 seeds\"\n  mkt crowdcent submit preds.csv --experimental --no-queue-next\n  mkt crowdcent submit preds.parquet --no-validate"
    )]
    Submit(submissions::SubmitArgs),
    /// Check that the API key works.
    #[command(
        name = "auth-check",
        alias = "whoami",
        long_about = "Ask the server who the API key belongs to and what it may do (GET /auth/check/). \
Exits 3 when the key is missing or rejected.",
        after_help = "Examples:\n  mkt crowdcent auth-check\n  CROWDCENT_API_KEY=... mkt crowdcent auth-check --output json"
    )]
    AuthCheck,
    /// Your scores and percentiles, newest first.
    #[command(
        long_about = "Your performance table, built from your submissions: one row per scored submission \
(release date, slot, status, and every score_* and percentile_* metric; percentiles are 0-100), newest \
release first.",
        after_help = "Examples:\n  mkt crowdcent performance\n  mkt crowdcent performance --slot 1\n  mkt crowdcent performance --all --output json"
    )]
    Performance(submissions::PerformanceArgs),
    /// Score predictions against targets locally.
    #[command(
        long_about = "Score a prediction file (id, pred_10d, pred_30d) against a targets file (id or \
ticker, target_10d, target_30d) with the challenge's metrics: Spearman correlation and symmetric NDCG@k per \
horizon. Rows are joined on id; rows whose target or prediction is missing are left out of that horizon. \
An id given twice in a file is an error (exit 5). A file with a date or release_date column is scored on \
one date: its only one, or the one --date picks (several dates without --date, or a --date the file lacks, \
is exit 2 and lists the file's dates). With --meta-model (the file `mkt crowdcent meta-model download` \
writes) the uniqueness metrics are added: corr_to_meta, unique_spearman and unique_ndcg@k per horizon, as \
the challenge computes them (predictions neutralized against the meta-model by least squares; ids the \
meta-model lacks count as 0.5, as on the server). Needs no network and no API key. With --output json \
prints one flat object with the server's keys (spearman_10d, spearman_30d, ndcg@40_10d, ndcg@40_30d, then \
corr_to_meta_10d, corr_to_meta_30d, unique_spearman_10d, unique_spearman_30d, unique_ndcg@40_10d, \
unique_ndcg@40_30d).",
        after_help = "Examples:\n  mkt crowdcent score --predictions preds.parquet --targets targets.parquet\n  mkt crowdcent score --predictions preds.csv --targets targets.csv --k 20 --output json\n  mkt crowdcent score --predictions preds.parquet --targets targets.csv --date 2025-06-09\n  mkt crowdcent score --predictions preds.parquet --targets targets.csv --meta-model meta.parquet --date 2025-06-09"
    )]
    Score(score::ScoreArgs),
    /// Build the challenge's ranking targets from a price file.
    #[command(
        long_about = "Compute the challenge's cross-sectional ranking targets from prices, as \
create_ranking_targets of the official crowdcent-challenge package does: rows are sorted by ticker and \
date; for each horizon h, the row of day D gets the forward return close[D+1+h] / close[D+1] - 1 (counting \
the ticker's rows, not calendar days; empty where a price or row is missing), and target_{h}d is that \
return's average rank among the rows of the same date divided by the number of rows on that date. Rows \
without a return for every horizon are dropped unless --keep-incomplete; --raw-returns also writes \
fwd_return_{h}d. Every input column is kept. Needs no network and no API key.",
        after_help = "Examples:\n  mkt crowdcent targets prices.csv -o targets.csv\n  mkt crowdcent targets prices.parquet -o targets.parquet --horizons 1,5,10\n  mkt crowdcent targets ohlc.csv -o - --price-col adj_close --ticker-col symbol --raw-returns\n  mkt crowdcent targets prices.csv -o targets.csv --keep-incomplete"
    )]
    Targets(targets::TargetsArgs),
    /// Wait for the inference file, run your model, validate and submit before the deadline.
    #[command(name = "run-daily", long_about = crate::run_daily::LONG_ABOUT)]
    RunDaily(crate::run_daily::Args),
    /// The official CLI's command names (hidden).
    #[command(flatten)]
    Official(official::OfficialCommand),
}

/// Runs `mkt crowdcent`.
///
/// # Errors
/// Missing key (exit 3), not found (exit 4), local validation (exit 5), other failures (exit 1).
pub async fn run(args: Args, ctx: &Context) -> anyhow::Result<()> {
    let slug = args.challenge;
    match args.command {
        CrowdcentCommand::Score(a) => score::run(a, ctx),
        CrowdcentCommand::Targets(a) => targets::run(a, ctx),
        CrowdcentCommand::RunDaily(a) => crate::run_daily::run(a, slug, ctx, |s| challenge(ctx, s)).await,
        CrowdcentCommand::Challenges => {
            let client = client(ctx)?;
            let list = client.list_challenges().await.map_err(fail)?;
            render::print_challenges(&list, ctx)
        }
        CrowdcentCommand::AuthCheck => {
            let client = client(ctx)?;
            let who = client.auth_check().await.map_err(fail)?;
            render::print_auth(&who, ctx)
        }
        CrowdcentCommand::Challenge => {
            let ch = challenge(ctx, slug).await?;
            let c = ch.get().await.map_err(fail)?;
            // One item: a JSON object, not a one-element array.
            if ctx.output == crate::context::OutputFormat::Json {
                return crate::output::print_json(&c);
            }
            render::print_challenges(std::slice::from_ref(&c), ctx)
        }
        CrowdcentCommand::Training(a) => data::training(a, &challenge(ctx, slug).await?, ctx).await,
        CrowdcentCommand::Inference(a) => data::inference(a, &challenge(ctx, slug).await?, ctx).await,
        CrowdcentCommand::MetaModel(a) => data::meta_model(a, &challenge(ctx, slug).await?, ctx).await,
        CrowdcentCommand::Submissions(a) => {
            submissions::submissions(a, &challenge(ctx, slug).await?, ctx).await
        }
        CrowdcentCommand::Submit(a) => submissions::submit(a, &challenge(ctx, slug).await?, ctx).await,
        CrowdcentCommand::Performance(a) => {
            submissions::performance(a, &challenge(ctx, slug).await?, ctx).await
        }
        CrowdcentCommand::Official(a) => official::run(a, &challenge(ctx, slug).await?, ctx).await,
    }
}

/// The client: key from CROWDCENT_API_KEY or ./.env, else asked for on a terminal (exit 3 before
/// any request when missing; a malformed ./.env line is named); base URL from --base-url, else
/// CROWDCENT_API_URL (or ./.env), else the config, else production.
fn client(ctx: &Context) -> anyhow::Result<CrowdCent> {
    let key = api_key()?;
    let base = match ctx.base_url.clone().or_else(crowdcent_client::base_url_from_env) {
        Some(b) => b,
        None => crate::config::Config::load()?
            .get("crowdcent.base_url")
            .map(str::to_owned)
            .unwrap_or_else(|| crowdcent_client::DEFAULT_BASE_URL.to_owned()),
    };
    CrowdCent::builder()
        .base_url(base)
        .api_key(key)
        .build()
        .map_err(|e| {
            Failure::new(exit::USAGE, e)
                .hint(format!(
                    "use an http(s) URL such as {}",
                    crowdcent_client::DEFAULT_BASE_URL
                ))
                .into()
        })
}

const KEY_HINT: &str = "export CROWDCENT_API_KEY=<key> or add CROWDCENT_API_KEY=<key> to ./.env \
(keys are created on crowdcent.com under Profile > Settings > API Keys)";

/// The API key from the environment or ./.env, else a hidden prompt when stdin is a terminal.
fn api_key() -> anyhow::Result<SecretString> {
    match crowdcent_client::api_key_from_env() {
        Ok(key) => Ok(key),
        // The key may have been on the line that could not be parsed: name that line.
        Err(_) if crate::dotenv::parse_error().is_some() => {
            let bad = crate::dotenv::parse_error().map(crate::dotenv::ParseError::to_error);
            Err(
                Failure::new(exit::AUTH, bad.unwrap_or_else(|| anyhow::anyhow!("./.env")))
                    .hint("fix that line of ./.env (or export CROWDCENT_API_KEY, which wins over the file)")
                    .into(),
            )
        }
        Err(e) if !std::io::stdin().is_terminal() => Err(Failure::new(exit::AUTH, e).hint(KEY_HINT).into()),
        Err(_) => {
            let key = rpassword::prompt_password("CrowdCent API key: ").map_err(|e| {
                Failure::new(
                    exit::AUTH,
                    anyhow::Error::new(e).context("could not read the API key"),
                )
                .hint(KEY_HINT)
            })?;
            let key = key.trim().to_owned();
            if key.is_empty() {
                return Err(Failure::new(exit::AUTH, crowdcent_client::Error::MissingApiKey)
                    .hint(KEY_HINT)
                    .into());
            }
            Ok(SecretString::from(key))
        }
    }
}

/// The challenge: -c / CROWDCENT_CHALLENGE, else the config default, else the only active one.
async fn challenge(ctx: &Context, slug: Option<String>) -> anyhow::Result<ChallengeClient> {
    let client = client(ctx)?;
    let slug = match slug.filter(|s| !s.is_empty()) {
        Some(s) => s,
        None => match crate::config::Config::load()?.get("crowdcent.challenge") {
            Some(s) => s.to_owned(),
            None => only_active_challenge(&client, ctx).await?,
        },
    };
    client.challenge(&slug).map_err(|e| {
        Failure::new(exit::USAGE, e)
            .hint("run `mkt crowdcent challenges` to see the slugs")
            .into()
    })
}

async fn only_active_challenge(client: &CrowdCent, ctx: &Context) -> anyhow::Result<String> {
    let active: Vec<_> = client
        .list_challenges()
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|c| c.is_active)
        .collect();
    match active.as_slice() {
        [one] => {
            ctx.info(format!("Auto-selected challenge: {}", one.slug));
            Ok(one.slug.clone())
        }
        [] => Err(Failure::new(
            exit::NOT_FOUND,
            anyhow::anyhow!("no active challenge is available"),
        )
        .into()),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|c| format!("  - {}: {}", c.slug, c.name))
                .collect();
            Err(Failure::new(
                exit::USAGE,
                anyhow::anyhow!("several challenges are active:\n{}", list.join("\n")),
            )
            .hint("pick one with -c SLUG, CROWDCENT_CHALLENGE or `mkt config set crowdcent.challenge SLUG`")
            .into())
        }
    }
}

/// Attaches the exit code (and a hint) that fits a client error.
pub(crate) fn fail(e: crowdcent_client::Error) -> anyhow::Error {
    let code = exit::code_of(&e);
    let hint = if let crowdcent_client::Error::WaitTimeout { .. } = e {
        Some("the file is published around 14:00 UTC; raise --timeout (0 waits forever) or try again later")
    } else if e.is_auth() {
        Some("check CROWDCENT_API_KEY (or .env); `mkt crowdcent auth-check` tests the key")
    } else if e.is_retryable() {
        Some("the server or network may be busy; try again later")
    } else {
        None
    };
    let f = Failure::new(code, e);
    match hint {
        Some(h) => f.hint(h).into(),
        None => f.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn challenge_option_works_before_and_after_the_subcommand() {
        for argv in [
            ["mkt", "crowdcent", "-c", "x", "challenge"],
            ["mkt", "crowdcent", "challenge", "-c", "x"],
        ] {
            let cli = crate::Cli::try_parse_from(argv).map_err(|e| e.to_string());
            match cli.map(|c| c.command) {
                Ok(crate::Command::Crowdcent(a)) => assert_eq!(a.challenge.as_deref(), Some("x")),
                other => panic!("unexpected parse: {other:?}"),
            }
        }
    }

    #[test]
    fn error_codes() {
        use crowdcent_client::Error;
        let code = |e: Error| exit::code_for(&fail(e));
        assert_eq!(code(Error::MissingApiKey), exit::AUTH);
        assert_eq!(
            code(Error::NoInferencePeriods { slug: "x".into() }),
            exit::NOT_FOUND
        );
        assert_eq!(
            code(Error::NotesTooLong {
                chars: 2001,
                max: 2000
            }),
            exit::VALIDATION
        );
    }
}

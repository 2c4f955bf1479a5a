"""mkt.ChallengeClient against the sandbox: the crowdcent-challenge README example, verbatim apart
from the import line, then listings, frames, submissions, performance and the exceptions."""

import os

import pytest

from conftest import control, crowdcent_predictions


def test_readme_example(crowdcent_env, workdir):
    from mkt import ChallengeClient  # was: from crowdcent_challenge import ChallengeClient

    client = ChallengeClient(challenge_slug="hyperliquid-ranking")
    crowdcent_predictions(client, workdir).write_parquet("predictions.parquet")
    crowdcent_predictions(client, workdir).write_csv("predictions.csv")

    # --- README, "Start competing" ---
    # Initialize client for a challenge
    client = ChallengeClient(challenge_slug="hyperliquid-ranking")

    # Download training data
    client.download_training_dataset("latest", "training_data.parquet")

    # Download inference data
    client.download_inference_data("current", "inference_data.parquet")

    # Submit predictions, from a parquet or a CSV file
    client.submit_predictions(file_path="predictions.parquet")

    # Every file comes and goes as CSV too: just name the path .csv
    client.download_inference_data("current", "inference_data.csv")
    client.submit_predictions(file_path="predictions.csv")

    # Or test a new model with an experimental submission + private note
    # (requires another slot to have a non-experimental submission)
    client.submit_predictions(
        file_path="predictions.parquet",
        slot=2,
        is_experimental=True,
        notes="2-layer transformer w/ sector embeddings",
    )
    # --- end of README ---

    assert open("inference_data.parquet", "rb").read(4) == b"PAR1"
    assert open("inference_data.csv").readline().startswith("id,")
    assert os.path.getsize("training_data.parquet") > 0
    subs = client.list_submissions()
    assert {s["slot"] for s in subs} == {1, 2}
    experimental = [s for s in subs if s["slot"] == 2][0]
    assert experimental["is_experimental"] is True
    assert experimental["notes"] == "2-layer transformer w/ sector embeddings"


def test_listings(crowdcent_env):
    from mkt import ChallengeClient

    challenges = ChallengeClient.list_all_challenges()
    assert [c["slug"] for c in challenges] == ["hyperliquid-ranking"]
    client = ChallengeClient("hyperliquid-ranking")
    assert client.get_challenge()["slug"] == "hyperliquid-ranking"
    versions = client.list_training_datasets()
    assert versions and {"version", "is_latest"} <= set(versions[0])
    latest = client.get_training_dataset("latest")
    assert latest["is_latest"] is True
    periods = client.list_inference_data()
    assert periods and "release_date" in periods[0]
    current = client.get_inference_data("current")
    assert client.get_inference_data(current["release_date"][:10])["id"] == current["id"]
    assert client.check_auth()["username"]


def test_downloads_land_atomically(crowdcent_env, workdir):
    from mkt import ChallengeClient

    client = ChallengeClient("hyperliquid-ranking")
    client.download_meta_model("meta_model.parquet")
    client.download_training_dataset("1.0", "training_v1.csv")
    client.download_inference_data("latest", "latest.parquet")
    assert open("meta_model.parquet", "rb").read(4) == b"PAR1"
    assert open("training_v1.csv").readline().startswith("id,")
    assert sorted(os.listdir(workdir)) == ["latest.parquet", "meta_model.parquet", "training_v1.csv"]


def test_submit_frames_and_read_back(crowdcent_env, workdir):
    import polars as pl

    from mkt import ChallengeClient

    client = ChallengeClient("hyperliquid-ranking")
    predictions_df = crowdcent_predictions(client, workdir)

    # docstring examples: "Submit from a DataFrame", "opt-out of auto-queueing"
    first = client.submit_predictions(df=predictions_df)
    assert first["status"] == "pending" and first["slot"] == 1
    second = client.submit_predictions(df=predictions_df.to_pandas(), queue_next=False, slot=2)
    assert second["slot"] == 2
    assert os.listdir(workdir) == []  # no temporary file in the working directory

    subs = client.list_submissions(period="current")
    assert {s["id"] for s in subs} >= {first["id"], second["id"]}
    one = client.get_submission(first["id"])
    assert one["id"] == first["id"] and one["slot"] == 1

    assert client.get_performance() == []  # nothing scored yet
    rows = client.get_performance(scored_only=False, slot=2)
    assert [r["id"] for r in rows] == [second["id"]]
    assert {"id", "slot", "release_date", "submitted_at", "status", "is_experimental", "notes"} <= set(rows[0])
    assert isinstance(pl.DataFrame(rows), pl.DataFrame)


def test_unknown_slug_raises_not_found(crowdcent_env):
    import mkt

    client = mkt.ChallengeClient("no-such-challenge")
    with pytest.raises(mkt.NotFoundError) as err:
        client.get_challenge()
    assert isinstance(err.value, mkt.CrowdCentAPIError)
    assert err.value.status_code == 404


def test_wrong_key_raises_authentication_error(sandbox):
    import mkt

    client = mkt.ChallengeClient("hyperliquid-ranking", api_key="wrong-key", base_url=sandbox.crowdcent_url)
    with pytest.raises(mkt.AuthenticationError) as err:
        client.list_submissions()
    assert err.value.status_code == 401


def test_invalid_submission_is_rejected_locally(crowdcent_env, workdir):
    import pandas as pd

    import mkt

    client = mkt.ChallengeClient("hyperliquid-ranking")
    bad = pd.DataFrame({"id": ["BTC", "BTC"], "pred_10d": [0.5, 1.5], "pred_30d": [0.1, None]})
    with pytest.raises(mkt.ClientError):
        client.submit_predictions(df=bad)
    assert client.list_submissions() == []
    with pytest.raises(FileNotFoundError):
        client.submit_predictions(file_path="missing.parquet")


def test_switch_challenge(crowdcent_env):
    import mkt

    client = mkt.ChallengeClient("no-such-challenge")
    client.switch_challenge("hyperliquid-ranking")
    assert client.challenge_slug == "hyperliquid-ranking"
    assert client.get_challenge()["slug"] == "hyperliquid-ranking"


def close_current_period(sb, client):
    """Moves the sandbox clock past the open window (and past any period opening meanwhile)."""
    import mkt

    for _ in range(4):
        control(sb, "/clock/advance", {"seconds": 4 * 3600 + 120})
        try:
            client.get_inference_data("current")
        except mkt.NotFoundError:
            return
    raise AssertionError("the sandbox kept a period open")


def test_download_inference_data_times_out(crowdcent_env, workdir):
    import time

    import mkt

    client = mkt.ChallengeClient("hyperliquid-ranking")
    close_current_period(crowdcent_env, client)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        client.download_inference_data("current", "inference.parquet", poll_interval=0.02, timeout=0.1)
    assert time.monotonic() - started < 5
    with pytest.raises(mkt.NotFoundError):
        client.download_inference_data("current", "inference.parquet", poll=False)
    assert os.listdir(workdir) == []

"""Fixtures: a fresh mkt.Sandbox per test, its control API, and predictions that validate."""

import json
import os
import urllib.request

import pytest

import mkt


def control(sb, path, body=None, method=None):
    """Calls the sandbox control API (`/_sandbox/...`) and returns the decoded JSON."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        sb.control_url + path,
        data=data,
        method=method or ("POST" if data is not None else "GET"),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req) as resp:
        text = resp.read()
    return json.loads(text) if text else None


@pytest.fixture
def sandbox():
    with mkt.Sandbox() as sb:
        yield sb


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Runs the test in an empty directory (so stray files in the working directory show)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def numerbay_env(sandbox, monkeypatch):
    """The seller's credentials and the sandbox URL in the variables the official client reads."""
    monkeypatch.setenv("NUMERBAY_USERNAME", sandbox.seller_username)
    monkeypatch.setenv("NUMERBAY_PASSWORD", sandbox.seller_password)
    monkeypatch.setenv("NUMERBAY_API_URL", sandbox.numerbay_url)
    return sandbox


@pytest.fixture
def crowdcent_env(sandbox, monkeypatch):
    """The API key and sandbox URL in CROWDCENT_API_KEY / CROWDCENT_API_URL, as in the README."""
    monkeypatch.setenv("CROWDCENT_API_KEY", sandbox.crowdcent_api_key)
    monkeypatch.setenv("CROWDCENT_API_URL", sandbox.crowdcent_url)
    return sandbox


def numerai_predictions_csv(path):
    """A small classic-tournament predictions file (id, prediction)."""
    with open(path, "w") as f:
        f.write("id,prediction\n")
        for i in range(50):
            f.write(f"n{i:04d},{(i % 10) / 10 + 0.05:.2f}\n")
    return path


def crowdcent_predictions(client, tmp_path):
    """A polars frame of valid predictions for the current inference period's ids."""
    import polars as pl

    features = tmp_path / "inference_for_preds.parquet"
    client.download_inference_data("current", str(features))
    ids = pl.read_parquet(features)["id"].to_list()
    os.remove(features)
    n = len(ids)
    return pl.DataFrame(
        {
            "id": ids,
            "pred_10d": [(i + 0.5) / n for i in range(n)],
            "pred_30d": [1 - (i + 0.5) / n for i in range(n)],
        }
    )

#!/usr/bin/env python3
"""Reference values for mkt's port of crowdcent-challenge 0.2.16 `scoring.py`.

Builds small deterministic inputs and stores them with what the official package computes from them:

* `prices.csv`: 12 tickers over 60 days, rows shuffled, with the awkward cases of real price files:
  empty (NaN) prices, a ticker listed late, one delisted early, a missing day (the targets shift by
  rows, not calendar days), a ticker copying another (tied returns) and a flat one (zero returns).
* `targets_10_30.csv`: `create_ranking_targets(prices)` (horizons 10 and 30, incomplete rows dropped).
* `targets_10_30_raw_incomplete.csv`: the same with `return_raw_returns=True, drop_incomplete=False`.
* `targets_1_5_raw.csv`: horizons [1, 5] with `return_raw_returns=True`.
* `predictions.csv`, `scoring_targets.csv` (three dates), `meta_model.parquet` (three release
  dates, some ids missing, one null prediction) and `scores.json`: `evaluate_hyperliquid_submission`
  and `evaluate_hyperliquid_uniqueness` on the scoring date, joined the way the server does (targets
  and predictions by id; meta-model predictions missing for an id count as 0.5).

The targets are computed from a pandas frame and checked against a polars frame of the same file
(they agree exactly when missing prices are empty cells).

Run once (the outputs are committed; the venv is not):

    python3 -m venv /tmp/ccvenv
    /tmp/ccvenv/bin/pip install crowdcent-challenge==0.2.16 pandas polars numpy pyarrow
    /tmp/ccvenv/bin/python make_reference.py
"""

import importlib.metadata
import json
import pathlib

import numpy as np
import pandas as pd
import polars as pl
from crowdcent_challenge import scoring

OUT = pathlib.Path(__file__).resolve().parent
VERSION = "0.2.16"
SCORING_DATE = "2025-03-02"


def make_prices() -> pd.DataFrame:
    rng = np.random.default_rng(14)
    dates = pd.date_range("2025-01-01", periods=60, freq="D").strftime("%Y-%m-%d")
    tickers = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH", "III", "JJJ", "KKK", "LLL"]
    rows = []
    series = {}
    for j, ticker in enumerate(tickers):
        price = 50.0 + 10.0 * j
        values = []
        for _ in dates:
            price *= 1.0 + rng.normal(0.0, 0.03)
            values.append(round(price, 4))
        series[ticker] = values
    series["HHH"] = list(series["GGG"])  # identical returns: ties in every cross-section
    series["III"] = [100.0] * len(dates)  # flat: zero returns
    for ticker in tickers:
        for i, date in enumerate(dates):
            if ticker == "KKK" and i < 15:  # listed late
                continue
            if ticker == "LLL" and i > 40:  # delisted
                continue
            if ticker == "JJJ" and i == 25:  # a missing day
                continue
            price = series[ticker][i]
            if (ticker, i) in {("CCC", 5), ("CCC", 33), ("DDD", 50)}:
                price = np.nan  # written as an empty cell
            rows.append((date, ticker, price))
    frame = pd.DataFrame(rows, columns=["date", "ticker", "close"])
    return frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)


def targets(path: pathlib.Path, **kwargs) -> pd.DataFrame:
    via_pandas = scoring.create_ranking_targets(pd.read_csv(path), **kwargs).reset_index(drop=True)
    via_polars = scoring.create_ranking_targets(pl.read_csv(path), **kwargs).to_pandas()
    assert list(via_pandas.columns) == list(via_polars.columns), (via_pandas.columns, via_polars.columns)
    assert (via_pandas[["date", "ticker"]].values == via_polars[["date", "ticker"]].values).all()
    for col in via_pandas.columns[2:]:
        a = via_pandas[col].to_numpy(dtype=float)
        b = via_polars[col].to_numpy(dtype=float)
        assert np.array_equal(a, b, equal_nan=True), col
    return via_pandas


def make_scoring_inputs():
    rng = np.random.default_rng(1414)
    ids = [f"T{i:03d}" for i in range(70)]
    dates = ["2025-03-01", SCORING_DATE, "2025-03-03"]
    target_rows, meta_rows = [], []
    truth = {}
    for date in dates:
        r10 = rng.normal(size=66)
        r30 = rng.normal(size=66)
        t10 = pd.Series(r10).rank().to_numpy() / 66
        t30 = pd.Series(r30).rank().to_numpy() / 66
        for i in range(66):  # T066..T069 have no targets
            v30 = np.nan if (date == SCORING_DATE and i in (20, 21)) else t30[i]
            target_rows.append((ids[i], date, t10[i], v30))
        truth[date] = (t10, t30)
    t10, t30 = truth[SCORING_DATE]
    p10 = np.clip(0.4 * t10 + 0.6 * rng.uniform(size=66), 0, 1)
    p30 = np.clip(0.3 * t30 + 0.7 * rng.uniform(size=66), 0, 1)
    p10 = np.concatenate([p10, rng.uniform(size=4)])
    p30 = np.concatenate([p30, rng.uniform(size=4)])
    preds = pd.DataFrame({"id": ids, "pred_10d": p10, "pred_30d": p30}).iloc[2:]  # T000, T001 unpredicted
    preds = preds.iloc[rng.permutation(len(preds))].reset_index(drop=True)
    for date in dates:
        m10 = 0.7 * p10 + 0.3 * rng.uniform(size=70)
        m30 = 0.5 * p30 + 0.5 * rng.uniform(size=70) ** 2
        for i in range(70):
            if date == SCORING_DATE and 10 <= i < 15:  # not in the meta-model: 0.5
                continue
            v30 = np.nan if (date == SCORING_DATE and i == 30) else m30[i]
            meta_rows.append((ids[i], m10[i], v30, date))
    scoring_targets = pd.DataFrame(target_rows, columns=["id", "date", "target_10d", "target_30d"])
    meta = pd.DataFrame(meta_rows, columns=["id", "pred_10d", "pred_30d", "release_date"])
    meta["release_date"] = pd.to_datetime(meta["release_date"])
    return preds, scoring_targets, meta


def score(preds, scoring_targets, meta) -> dict:
    t = scoring_targets[scoring_targets["date"] == SCORING_DATE].drop(columns="date")
    m = meta[meta["release_date"] == pd.Timestamp(SCORING_DATE)].drop(columns="release_date")
    m = m.rename(columns={"pred_10d": "meta_10d", "pred_30d": "meta_30d"})
    df = preds.merge(t, on="id", how="inner").merge(m, on="id", how="left")
    df[["meta_10d", "meta_30d"]] = df[["meta_10d", "meta_30d"]].fillna(0.5)
    cols = {}
    for h in ("10d", "30d"):
        sel = df[f"target_{h}"].notna() & df[f"pred_{h}"].notna()
        cols[h] = (
            df.loc[sel, f"target_{h}"].to_numpy(),
            df.loc[sel, f"pred_{h}"].to_numpy(),
            df.loc[sel, f"meta_{h}"].to_numpy(),
        )
    (t10, p10, m10), (t30, p30, m30) = cols["10d"], cols["30d"]
    base = scoring.evaluate_hyperliquid_submission(t10, p10, t30, p30)
    unique = scoring.evaluate_hyperliquid_uniqueness(t10, p10, m10, t30, p30, m30)
    return {
        "package": f"crowdcent-challenge=={VERSION}",
        "date": SCORING_DATE,
        "rows_10d": int(len(t10)),
        "rows_30d": int(len(t30)),
        "scores": {k: float(v) for k, v in {**base, **unique}.items()},
    }


def main():
    assert importlib.metadata.version("crowdcent-challenge") == VERSION
    prices_path = OUT / "prices.csv"
    make_prices().to_csv(prices_path, index=False)
    targets(prices_path).to_csv(OUT / "targets_10_30.csv", index=False)
    targets(prices_path, return_raw_returns=True, drop_incomplete=False).to_csv(
        OUT / "targets_10_30_raw_incomplete.csv", index=False
    )
    targets(prices_path, horizons=[1, 5], return_raw_returns=True).to_csv(
        OUT / "targets_1_5_raw.csv", index=False
    )
    preds, scoring_targets, meta = make_scoring_inputs()
    preds.to_csv(OUT / "predictions.csv", index=False)
    scoring_targets.to_csv(OUT / "scoring_targets.csv", index=False)
    meta.to_parquet(OUT / "meta_model.parquet", index=False)
    with open(OUT / "scores.json", "w") as f:
        json.dump(score(preds, scoring_targets, meta), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()

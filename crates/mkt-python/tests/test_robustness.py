"""What a careless or unlucky caller does: fork, Ctrl-C with other threads busy, odd frames and paths."""

import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timezone

import pytest

import mkt
from conftest import crowdcent_predictions, numerai_predictions_csv


FORK_CHILD = textwrap.dedent(
    """
    import os, sys
    import mkt

    with mkt.Sandbox() as sb:
        c = mkt.ChallengeClient(sb.challenge, api_key=sb.crowdcent_api_key, base_url=sb.crowdcent_url)
        c.get_challenge()  # the runtime is running now
        pid = os.fork()
        if pid == 0:
            try:
                c.get_challenge()
                print("old client worked", flush=True)
            except RuntimeError as e:
                print("old client refused:", "fork" in str(e), flush=True)
            fresh = mkt.ChallengeClient(sb.challenge, api_key=sb.crowdcent_api_key, base_url=sb.crowdcent_url)
            print("new client:", fresh.get_challenge()["slug"], flush=True)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        print("child exit", os.waitstatus_to_exitcode(status), flush=True)
        print("parent still works:", c.get_challenge()["slug"], flush=True)
    """
)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_gets_its_own_runtime_and_refuses_the_parents_clients():
    out = subprocess.run([sys.executable, "-c", FORK_CHILD], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out
    assert "old client refused: True" in out.stdout, out
    assert "new client: hyperliquid-ranking" in out.stdout, out
    assert "child exit 0" in out.stdout, out
    assert "parent still works: hyperliquid-ranking" in out.stdout, out


THREADS_CHILD = textwrap.dedent(
    """
    import json, os, signal, sys, threading, urllib.request
    import mkt

    with mkt.Sandbox() as sb:
        os.chdir(sys.argv[1])
        rule = {"prefix": "/storage/", "latency_ms": 1500}
        req = urllib.request.Request(sb.control_url + "/faults", data=json.dumps(rule).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(req).read()
        c = mkt.ChallengeClient(sb.challenge, api_key=sb.crowdcent_api_key, base_url=sb.crowdcent_url)
        result = {}
        def background():
            try:
                c.download_training_dataset("latest", "bg.parquet")
                result["bg"] = "ok"
            except BaseException as e:
                result["bg"] = repr(e)
        t = threading.Thread(target=background)
        t.start()
        threading.Timer(0.5, lambda: signal.raise_signal(signal.SIGINT)).start()
        try:
            c.download_training_dataset("latest", "fg.parquet")
            print("foreground finished", flush=True)
        except KeyboardInterrupt:
            print("foreground interrupted", flush=True)
        t.join()
        print("background:", result["bg"], flush=True)
        print("files:", sorted(os.listdir(".")), flush=True)
    """
)


def test_ctrl_c_interrupts_only_the_call_it_was_meant_for(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", THREADS_CHILD, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out
    assert "foreground interrupted" in out.stdout, out
    assert "background: ok" in out.stdout, out
    assert "files: ['bg.parquet']" in out.stdout, out


def test_categorical_and_dictionary_columns_are_submitted(crowdcent_env, workdir):
    import pandas as pd
    import polars as pl

    c = mkt.ChallengeClient(crowdcent_env.challenge)
    preds = crowdcent_predictions(c, workdir)
    c.submit_predictions(df=preds.with_columns(pl.col("id").cast(pl.Categorical)), slot=1)
    frame = preds.to_pandas()
    frame["id"] = frame["id"].astype("category")
    c.submit_predictions(df=frame, slot=2)
    assert {s["slot"] for s in c.list_submissions()} >= {1, 2}
    assert os.listdir(workdir) == []


def test_objects_that_are_not_frames_raise_type_error(crowdcent_env):
    import polars as pl

    c = mkt.ChallengeClient(crowdcent_env.challenge)
    for bad in [{"id": ["a"]}, ["a"], "preds.csv", 3]:
        with pytest.raises(TypeError, match="df must be a DataFrame"):
            c.submit_predictions(df=bad)
    with pytest.raises(TypeError, match="collect"):
        c.submit_predictions(df=pl.LazyFrame({"id": ["a"]}))
    with pytest.raises(TypeError, match="to_frame"):
        c.submit_predictions(df=pl.Series("id", ["a"]))


def test_a_union_column_is_refused_without_a_panic(numerbay_env, workdir):
    import pyarrow as pa

    api = mkt.NumerBay(numerbay_env.seller_username, numerbay_env.seller_password)
    union = pa.UnionArray.from_sparse(pa.array([0, 1], type=pa.int8()), [pa.array([1, 2]), pa.array(["a", "b"])])
    table = pa.table({"id": ["n1", "n2"], "prediction": [0.1, 0.2], "u": union})
    with pytest.raises(ValueError, match='column "u"'):
        api.upload_artifact(df=table, product_full_name=numerbay_env.plain_product)


def test_timestamps_with_a_named_zone_upload(numerbay_env, workdir):
    import polars as pl

    api = mkt.NumerBay(numerbay_env.seller_username, numerbay_env.seller_password)
    df = pl.DataFrame({"id": ["n1"], "prediction": [0.5], "ts": [datetime(2024, 1, 1, tzinfo=timezone.utc)]})
    row = api.upload_artifact(df=df, product_full_name=numerbay_env.plain_product)
    assert row["object_size"] > 0


def test_a_dash_is_a_file_named_dash_not_standard_output(numerbay_env, workdir, capfd):
    seller = mkt.NumerBay(numerbay_env.seller_username, numerbay_env.seller_password)
    numerai_predictions_csv("predictions.csv")
    seller.upload_artifact("predictions.csv", product_full_name=numerbay_env.plain_product)
    buyer = mkt.NumerBay(numerbay_env.buyer_username, numerbay_env.buyer_password, show_progress_bars=False)
    buyer.download_artifact(dest_path="-", product_full_name=numerbay_env.plain_product)
    assert open("-").read() == open("predictions.csv").read()
    assert "prediction" not in capfd.readouterr().out
    with pytest.raises(ValueError, match="dest_path is empty"):
        buyer.download_artifact(dest_path="", product_full_name=numerbay_env.plain_product)


def test_console_script_exits_130_on_ctrl_c_without_a_traceback(tmp_path):
    mkt_cmd = os.path.join(os.path.dirname(sys.executable), "mkt")
    child = subprocess.Popen(
        [mkt_cmd, "sandbox", "serve", "--data-dir", str(tmp_path / "sb")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline()  # serving
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
def test_console_script_takes_non_utf8_arguments(tmp_path):
    mkt_cmd = os.path.join(os.fsencode(os.path.dirname(sys.executable)), b"mkt")
    name = os.path.join(os.fsencode(str(tmp_path)), b"caf\xe9.csv")  # latin-1, not UTF-8
    numerai_predictions_csv(name)
    out = subprocess.run([mkt_cmd, "frame", "validate", "--rules", "numerai-classic", name], capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_an_order_that_is_no_active_sale_raises_not_found(numerbay_env, workdir):
    seller = mkt.NumerBay(numerbay_env.seller_username, numerbay_env.seller_password)
    numerai_predictions_csv("predictions.csv")
    with pytest.raises(mkt.NumerBayNotFoundError, match="order 12345 is not an active sale"):
        seller.upload_artifact("predictions.csv", product_full_name=numerbay_env.encrypted_product, order_id=12345)


def test_a_refused_upload_says_why_with_the_causes_class(numerbay_env, workdir):
    # The buyer does not own the product: the server refuses the upload URL (403).
    buyer = mkt.NumerBay(numerbay_env.buyer_username, numerbay_env.buyer_password)
    numerai_predictions_csv("predictions.csv")
    with pytest.raises(mkt.NumerBayError) as caught:
        buyer.upload_artifact("predictions.csv", product_full_name=numerbay_env.plain_product)
    text = str(caught.value)
    assert "1 of 1 uploads failed; product" in text, text
    assert caught.value.status_code == 403, (caught.value.status_code, text)
    assert isinstance(caught.value, mkt.NumerBayAuthError), (type(caught.value), text)


def test_missing_files_raise_file_not_found(numerbay_env, workdir):
    seller = mkt.NumerBay(numerbay_env.seller_username, numerbay_env.seller_password)
    with pytest.raises(FileNotFoundError):
        seller.upload_artifact("missing.csv", product_full_name=numerbay_env.plain_product)
    numerai_predictions_csv("predictions.csv")
    seller.upload_artifact("predictions.csv", product_full_name=numerbay_env.plain_product)
    buyer = mkt.NumerBay(numerbay_env.buyer_username, numerbay_env.buyer_password, show_progress_bars=False)
    with pytest.raises(FileNotFoundError):
        buyer.download_artifact(dest_path="no/such/dir/out.csv", product_full_name=numerbay_env.plain_product)
    with pytest.raises(FileNotFoundError):
        buyer.download_artifact(
            dest_path="out.csv", product_full_name=numerbay_env.encrypted_product, key_path="missing.json"
        )
    assert sorted(os.listdir(workdir)) == ["predictions.csv"]

"""mkt.Sandbox, the `mkt` console script, and Ctrl-C during a long call."""

import os
import signal
import subprocess
import sys
import textwrap

import mkt


def test_sandbox_exposes_its_info():
    with mkt.Sandbox() as sb:
        info = sb.info()
        assert sb.numerbay_url.startswith("http://127.0.0.1:") and sb.numerbay_url.endswith("/backend-api/v1")
        assert sb.crowdcent_url.endswith("/api")
        assert info["seller"]["username"] == sb.seller_username
        assert os.path.exists(sb.buyer_key_file)
        assert sb.crowdcent_api_key and sb.challenge == "hyperliquid-ranking"
        data_dir = sb.data_dir
    assert not os.path.exists(data_dir)


def test_console_script_runs_the_cli():
    mkt_cmd = os.path.join(os.path.dirname(sys.executable), "mkt")
    out = subprocess.run([mkt_cmd, "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("mkt ")
    bad = subprocess.run([mkt_cmd, "no-such-command"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "no-such-command" in bad.stderr


CHILD = textwrap.dedent(
    """
    import json, os, sys, urllib.request
    import mkt

    with mkt.Sandbox() as sb:
        os.chdir(sys.argv[1])
        with open("src.csv", "w") as f:
            f.write("id,prediction\\n" + "".join(f"n{i},0.5\\n" for i in range(1000)))
        mkt.NumerBay(sb.seller_username, sb.seller_password, base_url=sb.numerbay_url).upload_artifact(
            "src.csv", product_full_name=sb.plain_product)
        os.remove("src.csv")
        rule = {"prefix": "/storage/", "latency_ms": 20000}
        req = urllib.request.Request(sb.control_url + "/faults", data=json.dumps(rule).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(req).read()
        buyer = mkt.NumerBay(sb.buyer_username, sb.buyer_password, base_url=sb.numerbay_url,
                             show_progress_bars=False)
        print("downloading", flush=True)
        try:
            buyer.download_artifact(dest_path="out.csv", product_full_name=sb.plain_product)
            print("finished", flush=True)
        except KeyboardInterrupt:
            print("interrupted", sorted(os.listdir(".")), flush=True)
            # the next call works: the interruption does not stick
            print("again", len(buyer.get_my_orders()), flush=True)
    """
)


def test_ctrl_c_interrupts_a_download_and_leaves_no_file(tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "downloading"
        # the download is now waiting on the storage host (20 s of injected latency)
        import time

        time.sleep(0.2)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=10)
    finally:
        child.kill()
    assert "interrupted []" in out, (out, err)
    assert "again " in out, (out, err)
    assert os.listdir(tmp_path) == []

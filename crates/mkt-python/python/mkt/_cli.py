"""The `mkt` console script: runs the Rust command line with this process's arguments."""

import signal
import sys

from mkt._mkt import run_cli


def main() -> None:
    """Runs `mkt` and exits with its exit code.

    The command line handles Ctrl-C itself (it stops cleanly, removes partial files and exits with
    130), so Python's own `KeyboardInterrupt` is switched off for the run.
    """
    signal.signal(signal.SIGINT, lambda *_: None)
    raise SystemExit(run_cli(["mkt", *sys.argv[1:]]))

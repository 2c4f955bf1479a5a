"""The `mkt` console script: runs the Rust command line with this process's arguments."""

import sys

from mkt._mkt import run_cli


def main() -> None:
    """Runs `mkt` and exits with its exit code."""
    raise SystemExit(run_cli(["mkt", *sys.argv[1:]]))

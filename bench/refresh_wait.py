"""Refresh of users deleted out of band right after `pulumi up`: seconds and API requests (issue 11).

Run from the project root: .venv/bin/python -m bench.refresh_wait [--users 9]   (after `make pulumi`)
See tools/harness/refresh_wait.py for the scenario.
"""

from __future__ import annotations

import argparse
import collections
import tempfile
from pathlib import Path

from pulumi_chime_sdk_identity.emulator import EmulatorClient, EmulatorServer
from tools.harness.emulator_process import chime_client
from tools.harness.engine import REPO, Stack, engine_env, pulumi_bin_dir
from tools.harness.refresh_wait import vanished_users


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=9)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="refresh-wait-"))
    env = engine_env(tmp, pulumi_bin_dir())
    with EmulatorServer() as server:
        stack = Stack(REPO / "tests" / "e2e" / "programs" / "spec", tmp / "stack", env, server.url, program="spec")
        chime = chime_client(server.url)
        try:
            result = vanished_users(stack, EmulatorClient(server.url), chime, args.users)
        finally:
            stack.remove()
    print(
        f"refresh of {args.users} users deleted out of band after up: {result.seconds} s, {result.requests} requests "
        f"{dict(collections.Counter(result.operations))}"
    )


if __name__ == "__main__":
    main()

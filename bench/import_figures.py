"""How long does `chime-identity-import` take on a large app, and how many requests does it make?

Run from the project root::

    .venv/bin/python -m bench.import_figures [--users 1000] [--admins 10] [--latency-ms 0] [--runs 3]

The emulator runs in its own process (``chime-identity-emulator``, optionally with ``--latency-ms`` added to
every request, as AWS would add network time). One AppInstance gets ``--users`` users, ``--admins`` of them
admins, and one bot. Then, each as a user would type it (a fresh ``chime-identity-import`` process, Python
start-up included), the median of ``--runs`` runs:

1. the import of the admins (the default selection),
2. the import of every user (``--users all``),
3. the listing of the account's AppInstances.

It prints the wall time, the requests the command counted and the requests the emulator logged per operation.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tools.harness.emulator_process import EmulatorProcess, chime_client

REGION = "us-east-1"
LEX_ALIAS = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST"


def _env(url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="AKIDBENCH",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_REGION=REGION,
        AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY=url,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    return env


def _build(url: str, users: int, admins: int) -> str:
    chime = chime_client(url, region=REGION, access_key="AKIDBENCH")
    arn = str(chime.create_app_instance(Name="big", Tags=[{"Key": "project", "Value": "bench"}])["AppInstanceArn"])
    for n in range(users):
        user = chime.create_app_instance_user(AppInstanceArn=arn, AppInstanceUserId=f"user{n:04}", Name=f"User {n}")
        if n % max(users // max(admins, 1), 1) == 0 and n // max(users // max(admins, 1), 1) < admins:
            chime.create_app_instance_admin(AppInstanceArn=arn, AppInstanceAdminArn=user["AppInstanceUserArn"])
    chime.create_app_instance_bot(
        AppInstanceArn=arn, Name="Helper", Configuration={"Lex": {"LexBotAliasArn": LEX_ALIAS, "LocaleId": "en_US"}}
    )
    return arn


def _measure(emulator: EmulatorProcess, argv: list[str], runs: int) -> tuple[float, str, Counter[str]]:
    """Median wall seconds of ``runs`` runs, the command's closing note, and the emulator's requests of one run."""
    command = [str(Path(sys.executable).parent / "chime-identity-import"), *argv]
    times = []
    note = ""
    operations: Counter[str] = Counter()
    for _ in range(runs):
        start = len(emulator.requests())
        began = time.perf_counter()
        result = subprocess.run(command, env=_env(emulator.url), capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - began)
        note = result.stderr.strip().splitlines()[-1]
        operations = Counter(emulator.operations(start))
    return statistics.median(times), note, operations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--admins", type=int, default=10)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with EmulatorProcess("--latency-ms", str(options.latency_ms)) as emulator, tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        arn = _build(emulator.url, options.users, options.admins)
        print(
            f"built an AppInstance with {options.users} users ({options.admins} admins) and a bot in "
            f"{time.perf_counter() - began:.1f} s; {options.latency_ms:g} ms added to every request"
        )
        spec = str(Path(tmp) / "spec.yaml")
        for label, argv in (
            (f"import of the {options.admins} admins", [arn, "-o", spec]),
            (f"import of all {options.users} users", [arn, "--users", "all", "-o", spec]),
            ("listing of the AppInstances", []),
        ):
            seconds, note, operations = _measure(emulator, argv, options.runs)
            print(f"\n{label}: {seconds:.2f} s wall (median of {options.runs}, process start included)")
            print(f"  {note}")
            print("  emulator log: " + ", ".join(f"{op} {count}" for op, count in sorted(operations.items())))


if __name__ == "__main__":
    main()

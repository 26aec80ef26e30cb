"""The emulator from a test's or benchmark's side: boto3 clients on it, and the console script in a process.

``chime-identity-emulator`` in a process of its own keeps the emulator's work off the benchmark's GIL and
lets its CPU time be measured on its own. Its introspection routes are reached through the public
``EmulatorClient``.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from pulumi_chime_sdk_identity.emulator import EmulatorClient

REGION = "us-east-1"


def chime_client(url: str, *, region: str = REGION, access_key: str = "AKIDEXAMPLE", **config: Any) -> Any:
    """A boto3 chime-sdk-identity client on the emulator at ``url``, in a session of its own (so one per thread),
    with throw-away credentials; ``access_key`` picks the account (12 digits) or the default one; ``config``:
    botocore ``Config`` options."""
    return boto3.session.Session().client(
        "chime-sdk-identity",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key="secret",
        config=Config(**config),
    )


class EmulatorProcess(EmulatorClient):
    """``chime-identity-emulator --port 0 ARGS`` started now; a client of its routes; ``stop()`` or ``with``."""

    def __init__(self, *args: str) -> None:
        script = Path(sys.executable).parent / "chime-identity-emulator"
        self.process = subprocess.Popen(
            [str(script), "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline().strip()
        if not first.startswith("Listening on "):
            self.process.kill()
            raise SystemExit(f"the emulator did not start: {first!r}")
        super().__init__(first.removeprefix("Listening on "))
        self.pid = self.process.pid

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not exited within 10 s."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""The ``chime-identity-emulator`` console script in a process of its own, for benchmarks.

A separate process keeps the emulator's work off the benchmark's GIL and lets its CPU time be
measured on its own. Its introspection routes are reached through the public ``EmulatorClient``.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from pulumi_chime_sdk_identity.emulator import EmulatorClient


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

"""The language hosts' shared Go code (tools/langhost): its own tests, and gofmt over every host."""

from __future__ import annotations

import os
import shutil
import subprocess

from tools.harness.engine import REPO

TOOLS = REPO / "tools"


def go() -> str:
    found = shutil.which("go") or "/usr/local/go/bin/go"
    assert os.path.exists(found), "the Go toolchain (README: set-up) is not installed"
    return found


def test_langhost_go_tests_pass() -> None:
    result = subprocess.run(
        [go(), "test", "./..."],
        cwd=TOOLS / "langhost",
        env={**os.environ, "GOFLAGS": "-mod=readonly", "GOWORK": "off"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_host_is_gofmt_clean() -> None:
    gofmt = shutil.which("gofmt") or os.path.join(os.path.dirname(go()), "gofmt")
    result = subprocess.run([gofmt, "-l", str(TOOLS)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", f"not gofmt-formatted: {result.stdout}"

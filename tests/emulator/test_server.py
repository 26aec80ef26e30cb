"""The HTTP server: authentication, introspection, and the console script as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.support import Emulator


def test_unsigned_request_is_refused(emulator: Emulator) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(emulator.url + "/app-instances")
    assert caught.value.code == 401
    assert caught.value.headers["X-Amzn-ErrorType"] == "UnauthorizedClientException"
    assert json.load(caught.value)["Code"] == "Unauthorized"


def test_wrong_signing_service_is_refused(emulator: Emulator) -> None:
    auth = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x"
    request = urllib.request.Request(emulator.url + "/app-instances", headers={"Authorization": auth})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert caught.value.code == 401


def test_request_log_and_reset(emulator: Emulator, chime: Any) -> None:
    chime.create_app_instance(Name="a")
    chime.list_app_instances()
    log = emulator.requests()
    assert [(r["operation"], r["status"]) for r in log] == [("CreateAppInstance", 201), ("ListAppInstances", 200)]
    assert all(r["duration_ms"] >= 0 and r["time"] > 0 for r in log)
    assert emulator.operations(since=1) == ["ListAppInstances"]
    emulator.reset()
    assert emulator.requests() == []
    assert chime.list_app_instances()["AppInstances"] == []


def _cli() -> list[str]:
    script = shutil.which("chime-identity-emulator", path=os.path.dirname(sys.executable))
    assert script, "the console script is installed with the package"
    return [script]


def test_console_script_serves_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [*_cli(), "--port", "0", "--throttle-rate", "0", "--seed", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert first.startswith("Listening on http://127.0.0.1:")
        url = first.removeprefix("Listening on ")
        with urllib.request.urlopen(url + "/_emulator/health") as response:
            assert json.load(response) == {"ok": True}
        with urllib.request.urlopen(url + "/_emulator/config") as response:
            assert json.load(response)["seed"] == 1
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()


def test_console_script_rejects_bad_rate() -> None:
    result = subprocess.run([*_cli(), "--throttle-rate", "2"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "is not a rate between 0 and 1" in result.stderr

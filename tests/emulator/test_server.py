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

from pulumi_chime_sdk_identity.emulator import EmulatorClient, EmulatorServer
from pulumi_chime_sdk_identity.emulator._cli import build_parser
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
    chime.create_app_instance(Name="a", ClientRequestToken="token-1")
    chime.list_app_instances()
    log = emulator.requests()
    assert [(r["operation"], r["status"]) for r in log] == [("CreateAppInstance", 201), ("ListAppInstances", 200)]
    assert [r["client_request_token"] for r in log] == ["token-1", None], "a retried create is told by its token"
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


def test_client_speaks_every_documented_route(emulator: Emulator, chime: Any) -> None:
    client = EmulatorClient(emulator.url)
    assert client.health()
    assert client.configure(throttle_rate=1.0, seed=2)["throttle_rate"] == 1.0
    assert client.config()["seed"] == 2
    with pytest.raises(Exception, match="ThrottledClientException"):
        chime.list_app_instances()
    assert client.faults_injected()["throttle"] >= 1
    with pytest.raises(ValueError, match="throttle_rate must be between 0 and 1"):
        client.configure(throttle_rate=2)
    with pytest.raises(ValueError, match="unknown fault options: nope"):
        client.configure(nope=1)
    client.configure(throttle_rate=0)
    chime.create_app_instance(Name="a")
    assert client.operations()[-1] == "CreateAppInstance"
    client.reset()
    assert client.requests() == []
    assert client.faults_injected()["throttle"] == 0
    assert chime.list_app_instances()["AppInstances"] == []


def test_client_health_is_false_where_nothing_listens() -> None:
    with EmulatorServer() as server:
        url = server.url
    assert not EmulatorClient(url, timeout=2).health()


def test_request_log_subscribers_see_each_request_before_its_answer(emulator: Emulator, chime: Any) -> None:
    seen: list[tuple[str, int]] = []

    def subscriber(entry: dict[str, Any]) -> None:
        # The operation took effect, and the client has not had the answer yet.
        assert emulator.server.snapshot()["app_instances"]
        seen.append((entry["operation"], len(emulator.server.requests.since())))

    stop = emulator.server.requests.subscribe(subscriber)
    chime.create_app_instance(Name="a")
    stop()
    chime.list_app_instances()
    assert seen == [("CreateAppInstance", 1)]


def test_snapshot_and_restore_of_the_state(emulator: Emulator, chime: Any) -> None:
    arn = chime.create_app_instance(Name="kept", Tags=[{"Key": "k", "Value": "v"}])["AppInstanceArn"]
    saved = emulator.server.snapshot()
    assert list(saved["app_instances"]) == [arn]
    assert saved["tags"][arn]["Tags"] == {"k": "v"}
    saved["app_instances"][arn]["Name"] = "a copy, not the live record"
    chime.delete_app_instance(AppInstanceArn=arn)
    chime.create_app_instance(Name="later")
    emulator.server.restore(emulator.server.snapshot() | {"app_instances": {}})
    assert chime.list_app_instances()["AppInstances"] == []
    saved["app_instances"][arn]["Name"] = "kept"
    emulator.server.restore(saved)
    assert [a["Name"] for a in chime.list_app_instances()["AppInstances"]] == ["kept"]


def test_console_script_says_which_port_is_taken() -> None:
    with EmulatorServer() as taken:
        result = subprocess.run([*_cli(), "--port", str(taken.port)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{taken.port}" in result.stderr
    assert "pick another port with --port" in result.stderr
    assert "Traceback" not in result.stderr


def test_default_port_is_not_localstacks() -> None:
    assert build_parser().parse_args([]).port == 4580

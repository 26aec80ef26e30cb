"""Clients other than boto3, unmodified and given only an endpoint URL: the AWS CLI and the JavaScript SDKs v2 and v3.

The JavaScript SDKs are pinned in tests/emulator/js/package-lock.json and installed with ``npm ci`` the first
time these tests run (or when the lock file changes). Node.js and npm are required: without them the tests fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import REGION, Emulator

JS_DIR = Path(__file__).parent / "js"
ROUNDTRIP = JS_DIR / "roundtrip.mjs"
THROTTLED = JS_DIR / "throttled.mjs"
JS_OPERATIONS = [
    ("CreateAppInstance", 201),
    ("DescribeAppInstance", 200),
    ("CreateAppInstanceUser", 201),
    ("ListAppInstanceUsers", 200),
    ("DescribeAppInstanceUser", 404),
    ("DeleteAppInstance", 204),
]


def _clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without any AWS_* setting (profiles, endpoints, keys), plus extra."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    return {**env, **extra}


def _tool(name: str, hint: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is not on PATH: {hint}", pytrace=False)
    return path


@pytest.fixture(scope="module")
def node() -> str:
    """The node binary, with the pinned JavaScript SDKs installed in tests/emulator/js/node_modules."""
    node = _tool("node", "Node.js >= 20 is required to test the emulator with the AWS SDKs for JavaScript")
    marker = JS_DIR / "node_modules" / ".package-lock.json"  # npm writes it last, after a complete install
    lock = JS_DIR / "package-lock.json"
    if not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
        npm = _tool("npm", "npm is required to install the AWS SDKs for JavaScript (tests/emulator/js)")
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"`npm ci` in {JS_DIR} failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return node


def _run_js(node: str, script: Path, emulator: Emulator, flavour: str, *args: str) -> dict[str, Any]:
    """Run one script of tests/emulator/js against the emulator; the JSON line it printed last."""
    result = subprocess.run(
        [node, str(script), emulator.url, flavour, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=_clean_env(AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE="1"),
    )
    output = f"{script.name} {flavour} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, output
    lines = result.stdout.strip().splitlines()
    assert lines, output
    seen: dict[str, Any] = json.loads(lines[-1])
    return seen


@pytest.mark.parametrize("flavour", ["v2", "v3"])
def test_javascript_sdk_roundtrip(node: str, emulator: Emulator, chime: Any, flavour: str) -> None:
    seen = _run_js(node, ROUNDTRIP, emulator, flavour)

    assert seen["sdk"] == flavour
    assert seen["mismatches"] == []
    app_arn = seen["create"]["arn"]
    assert app_arn.startswith("arn:aws:chime:us-east-1:123456789012:app-instance/")
    assert seen["create"]["status"] == 201
    assert seen["create"]["requestId"]  # the x-amzn-RequestId header reached the SDK
    assert seen["describe"] == {
        "status": 200,
        "name": "js-app",
        "metadata": f"created by aws-sdk {flavour}",
        "createdTimestampIsDate": True,
    }
    user_arn = f"{app_arn}/user/alice"
    assert seen["createUser"] == {"status": 201, "arn": user_arn}
    assert seen["listUsers"] == {"status": 200, "users": [[user_arn, "Alice"]]}
    missing = seen["missingUser"]
    assert (missing["failed"], missing["name"], missing["code"], missing["status"]) == (
        True,
        "NotFoundException",
        "NotFound",
        404,
    )
    assert missing["message"] == f"AppInstanceUser {app_arn}/user/nobody not found"
    assert seen["delete"] == {"status": 204}

    log = emulator.requests()
    assert [(entry["operation"], entry["status"]) for entry in log] == JS_OPERATIONS
    assert emulator.operations() == [operation for operation, _ in JS_OPERATIONS]
    assert chime.list_app_instances()["AppInstances"] == []


@pytest.mark.parametrize("flavour", ["v2", "v3"])
def test_javascript_sdk_sees_quota_throttling(node: str, emulator: Emulator, flavour: str) -> None:
    # Burst 2 and a refill of one call per 2 s: the third call in a row finds the bucket empty.
    emulator.configure(quota=True, quota_default_rate=0.5, quota_burst=2)
    seen = _run_js(node, THROTTLED, emulator, flavour, "3")

    assert seen["calls"][:2] == [{"status": 200}, {"status": 200}]
    throttled = seen["calls"][2]
    # v3: error.name is the shape, status is error.$metadata.httpStatusCode; v2: the x-amzn-ErrorType header.
    assert (throttled["failed"], throttled["name"], throttled["status"]) == (True, "ThrottledClientException", 429)
    assert (throttled["code"], throttled["message"]) == ("Throttled", "Rate exceeded")
    if flavour == "v3":
        assert throttled["fault"] == "client"
    assert emulator.quota()["throttled"] == {"ListAppInstances": 1}


def _aws_cli() -> str:
    aws = shutil.which("aws", path=os.path.dirname(sys.executable))
    if aws is None:
        pytest.fail(f"the AWS CLI (awscli, v1) is not installed in {sys.prefix}: install the dev extra", pytrace=False)
    return aws


def _aws(emulator: Emulator, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            _aws_cli(),
            "chime-sdk-identity",
            *args,
            "--endpoint-url",
            emulator.url,
            "--region",
            REGION,
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=_clean_env(
            AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
            AWS_SECRET_ACCESS_KEY="secret",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        ),
    )


def test_aws_cli(emulator: Emulator) -> None:
    created = _aws(emulator, "create-app-instance", "--name", "x")
    assert created.returncode == 0, created.stderr
    app_arn = json.loads(created.stdout)["AppInstanceArn"]
    assert app_arn.startswith("arn:aws:chime:us-east-1:123456789012:app-instance/")

    listed = _aws(emulator, "list-app-instances")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == {"AppInstances": [{"AppInstanceArn": app_arn, "Name": "x"}]}

    missing = _aws(emulator, "describe-app-instance-user", "--app-instance-user-arn", f"{app_arn}/user/nobody")
    assert missing.returncode != 0
    assert "An error occurred (NotFoundException) when calling the DescribeAppInstanceUser operation" in missing.stderr

    log = emulator.requests()
    assert [(entry["operation"], entry["status"]) for entry in log] == [
        ("CreateAppInstance", 201),
        ("ListAppInstances", 200),
        ("DescribeAppInstanceUser", 404),
    ]

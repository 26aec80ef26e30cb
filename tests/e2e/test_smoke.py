"""The engine loop end to end: up creates in the emulator, a second preview is quiet, destroy removes."""

from __future__ import annotations

from typing import Any

from tests.support import Emulator
from tools.harness.engine import Stack


def test_up_preview_destroy_round_trip(stack: Stack, emulator: Emulator, chime: Any) -> None:
    stack.declare({"type": "AppInstance", "name": "smoke", "args": {"name": "smoke"}, "export": ["arn"]})
    start = len(emulator.requests())
    stack.up()
    arn = stack.outputs()["smoke.arn"]
    assert [a["AppInstanceArn"] for a in chime.list_app_instances()["AppInstances"]] == [arn]
    assert emulator.operations(start) == ["CreateAppInstance", "ListAppInstances"]

    start = len(emulator.requests())
    assert stack.changes() == {}
    stack.preview("--expect-no-changes")
    assert emulator.operations(start) == [], "preview makes no API calls"

    stack.destroy()
    assert chime.list_app_instances()["AppInstances"] == []
    guard = ["ListAppInstanceUsers", "ListAppInstanceBots"]  # nothing left in it that the stack does not own
    assert emulator.operations(start) == [*guard, "DeleteAppInstance", "ListAppInstances"]


def test_api_errors_reach_the_cli_as_one_line(stack: Stack, emulator: Emulator, chime: Any) -> None:
    stack.declare({"type": "AppInstance", "name": "smoke", "args": {"name": "smoke"}})
    stack.set_config("chimesdkidentity:maxAttempts", "1")
    emulator.configure(error_rate=1.0)
    up = stack.run("up", "--yes", "--skip-preview", check=False)
    emulator.configure(error_rate=0)
    output = up.stdout + up.stderr
    assert up.returncode != 0
    assert "error: CreateAppInstance failed for smoke: ServiceUnavailableException:" in output, output
    assert "Traceback" not in output, output
    assert "File " not in output, "no Python frames"

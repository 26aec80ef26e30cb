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


def test_api_errors_reach_the_cli_as_one_line(stack: Stack, emulator: Emulator) -> None:
    gone = "arn:aws:chime:us-east-1:123456789012:app-instance/00000000-0000-0000-0000-000000000000"
    user = {"app_instance_arn": gone, "app_instance_user_id": "alice", "name": "Alice"}
    stack.declare({"type": "AppInstanceUser", "name": "alice", "args": user})
    up = stack.run("up", "--yes", "--skip-preview", check=False)
    output = up.stdout + up.stderr
    assert up.returncode != 0
    assert "error: CreateAppInstanceUser failed for alice: NotFoundException:" in output, output
    assert "Traceback" not in output, output
    assert "File " not in output, "no Python frames"

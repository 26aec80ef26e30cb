"""Shared by bench/refresh_wait.py and tests/e2e/test_refresh_wait.py: refresh of resources that vanished right
after `pulumi up`.

An AppInstance and N users are created with `pulumi up`; the users are deleted with boto3 at once, and
`pulumi refresh` with `chimesdkidentity:consistencyWaitSeconds` at its default (15) must drop them. A user
created moments ago may only be hidden by eventual consistency, so refresh looks again; how long is bounded by
the delay that refresh observes (issue 11: before, 15 s per user).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from pulumi_chime_sdk_identity.emulator import EmulatorClient
from tools.harness.engine import Stack

DEFAULT_WAIT_SECONDS = "15"


@dataclass
class Refresh:
    seconds: float
    requests: int
    operations: list[str]


def vanished_users(stack: Stack, emulator: EmulatorClient, chime: Any, users: int) -> Refresh:
    """Up an AppInstance with ``users`` users, delete the users out of band, refresh; what the refresh cost."""
    stack.set_config("chimesdkidentity:consistencyWaitSeconds", DEFAULT_WAIT_SECONDS)
    app = {"type": "AppInstance", "name": "app", "args": {"name": "app"}}
    user_args = {"app_instance_arn": "${app.arn}", "name": "User"}
    stack.declare(
        app,
        *(
            {"type": "AppInstanceUser", "name": f"u{i}", "args": {**user_args, "app_instance_user_id": f"u{i}"}}
            for i in range(users)
        ),
    )
    stack.up()
    for user in stack.resources("AppInstanceUser"):
        chime.delete_app_instance_user(AppInstanceUserArn=user["id"])
    start = len(emulator.requests())
    started = time.monotonic()
    stack.refresh()
    seconds = time.monotonic() - started
    operations = emulator.operations(start)
    assert stack.resources("AppInstanceUser") == [], "refresh drops every vanished user"
    return Refresh(round(seconds, 1), len(operations), operations)

"""Failures at `pulumi up` leave nothing behind, through the real engine.

- For every resource kind: a create whose answers are lost until botocore's retries run out (maxAttempts 2) is
  settled, kept and recorded: `up` succeeds, the emulator holds exactly the IDs in state, the next preview is quiet.
- Two resources of one program declaring the same user are refused at check, naming neither adopt_id recovery.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e import (
    test_app_instance,
    test_app_instance_admin,
    test_app_instance_bot,
    test_app_instance_retention_settings,
    test_app_instance_user,
    test_app_instance_user_endpoint,
)
from tests.e2e.acceptance import Case
from tests.support import Emulator, faulted, retries_run_out
from tools.harness import soak
from tools.harness.engine import Stack

CASES = {
    "CreateAppInstance": test_app_instance.CASE,
    "CreateAppInstanceUser": test_app_instance_user.CASE,
    "CreateAppInstanceBot": test_app_instance_bot.CASE,
    "CreateAppInstanceAdmin": test_app_instance_admin.CASE,
    "RegisterAppInstanceUserEndpoint": test_app_instance_user_endpoint.CASE,
    "PutAppInstanceRetentionSettings": test_app_instance_retention_settings.CASE,
}


@pytest.mark.parametrize("operation", list(CASES))
def test_a_create_whose_retries_ran_out_is_kept_in_state(
    operation: str, stack: Stack, emulator: Emulator, chime: Any
) -> None:
    case: Case = CASES[operation]
    stack.set_config("chimesdkidentity:maxAttempts", "2")
    if case.parents:
        stack.declare(*case.parents)
        stack.up()
    stack.declare(*case.parents, case.entry())
    start = len(emulator.requests())
    with faulted(emulator, operation, retries_run_out(operation)):
        up = soak.run(stack, "up", "--yes", "--skip-preview")
    assert up.ok, up.tail
    sent = [r["fault"] for r in emulator.requests(start) if r["operation"] == operation]
    retry = "LostResponse" if operation != "CreateAppInstanceAdmin" else "ServiceUnavailableException"
    assert sent[:2] == ["LostResponse", retry], "the first attempt took effect, and both attempts failed"
    assert len(sent) == 3, "settled by one more request"
    assert case.count(chime) == 1
    assert soak.mismatch(stack, emulator.server) == {}, "nothing in AWS that is not in state, nothing missing"
    stack.preview("--expect-no-changes")
    stack.refresh("--expect-no-changes")


def test_two_resources_declaring_one_user_are_refused_at_preview(stack: Stack, emulator: Emulator) -> None:
    app = test_app_instance_user.APP
    user = {"app_instance_arn": "${app.arn}", "app_instance_user_id": "alice", "name": "Alice"}
    stack.declare(app)
    stack.up()
    stack.declare(
        app,
        {"type": "AppInstanceUser", "name": "alice", "args": user},
        {"type": "AppInstanceUser", "name": "alice-again", "args": {**user, "name": "Alice again"}},
    )
    start = len(emulator.requests())
    preview = stack.preview(check=False)
    output = preview.stdout + preview.stderr
    assert preview.returncode != 0, output
    assert "another AppInstanceUser resource of this stack declares the same AppInstanceUser" in output
    assert "remove one of the two declarations" in output
    for advice in ("ADOPT_EXISTING", "Troubleshooting", "adopt_id="):
        assert advice not in output
    assert emulator.operations(start) == ["DescribeAppInstanceUser"], "one read, for the first of the two"

    # In a new AppInstance the user ARN is unknown at preview; `up` refuses the second at its check, before it
    # is created, and the first is made.
    stack.destroy()
    up = soak.run(stack, "up", "--yes", "--skip-preview")
    assert not up.ok
    assert "another AppInstanceUser resource of this stack declares the same AppInstanceUser" in up.output
    for advice in ("ADOPT_EXISTING", "Troubleshooting", "adopt_id="):
        assert advice not in up.output
    assert emulator.operations(start).count("CreateAppInstanceUser") <= 1
    assert soak.mismatch(stack, emulator.server) == {}

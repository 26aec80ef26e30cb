"""The providers at the API's rate quota, through the real CLI (issue 19): nothing fails, nothing is orphaned.

The emulator enforces 4 requests per second per operation with a burst of 2 (quota mode; 429
ThrottledClientException over it), and the stack allows botocore a single attempt
(``chimesdkidentity:maxAttempts 1``): each 429 is waited out by the providers' shared pace, never counted
as a failure. A MessagingApp of 20 users, 3 of them admins, one endpoint and retention goes up, refreshes
quietly and is destroyed; the emulator's own counters prove it throttled the creates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.support import Emulator
from tools.harness import soak
from tools.harness.engine import Stack

USERS = 20
ADMINS = 3
ENDPOINTS = 1
QUOTA: dict[str, Any] = {"quota": True, "quota_default_rate": 4, "quota_burst": 2}
EXPECTED = {"app_instances": 1, "users": USERS, "bots": 0, "admins": ADMINS, "endpoints": ENDPOINTS, "retention": 1}


def outputs(stack: Stack) -> dict[str, Any]:
    """Every resource's outputs in state, by URN, secrets decrypted (their ciphertext changes on every write)."""
    exported = json.loads(stack.run("stack", "export", "--show-secrets").stdout)
    return {resource["urn"]: resource.get("outputs") for resource in exported["deployment"]["resources"]}


def test_up_refresh_destroy_under_quota_with_one_attempt(
    stack_factory: Callable[..., Stack], emulator: Emulator
) -> None:
    stack = stack_factory("soak", source=soak.WORKLOAD)
    for key, value in (("users", USERS), ("admins", ADMINS), ("endpoints", ENDPOINTS)):
        stack.set_config(f"soak:{key}", str(value))
    stack.set_config("chimesdkidentity:maxAttempts", "1")
    emulator.configure(**QUOTA)

    up = soak.run(stack, "up", "--yes", "--skip-preview")
    assert up.ok, (up.failed, up.errors, up.tail)
    throttled = emulator.quota()["throttled"]
    assert throttled.get("CreateAppInstanceUser", 0) > 0, throttled
    assert soak.counts(emulator.server) == EXPECTED
    assert soak.mismatch(stack, emulator.server) == {}, "the emulator holds exactly what the state says"
    assert soak.wrong_tags(emulator.server) == []

    before = outputs(stack)
    refresh = soak.run(stack, "refresh", "--yes", "--skip-preview", "--expect-no-changes")
    assert refresh.ok, (refresh.failed, refresh.errors, refresh.tail)
    assert outputs(stack) == before, "refresh rewrote no output"

    down = soak.run(stack, "destroy", "--yes", "--skip-preview")
    assert down.ok, (down.failed, down.errors, down.tail)
    assert not any(soak.counts(emulator.server).values()), soak.inventory(emulator.server)

    quota = emulator.quota()
    assert quota["quota"]
    assert quota["burst"] == 2
    assert set(quota["rates"].values()) == {4}
    throttles = [entry for entry in emulator.requests() if entry["status"] == 429]
    assert throttles
    kinds = {(entry["error"], entry["fault"]) for entry in throttles}
    assert kinds == {("ThrottledClientException", None)}, "every 429 is quota mode's, none an injected fault"
    assert len(throttles) == sum(quota["throttled"].values())

"""A stack made when MessagingApp held a MessagingUser component per user moves to the flat shape in place.

The program is the scale benchmark's (bench/programs/scale): ``scale:shape=per-user`` declares the
resources as MessagingApp did up to 0.1 (same types and names), the default shape as it does now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.e2e.test_examples import planned
from tests.support import Emulator
from tools.harness.engine import REPO, Stack


def test_per_user_components_give_way_without_replacing_anything(
    stack_factory: Callable[..., Stack], emulator: Emulator, chime: Any
) -> None:
    stack = stack_factory("scale", source=REPO / "bench" / "programs" / "scale")
    for key, value in {"users": "3", "admins": "1", "endpoints": "2", "shape": "per-user"}.items():
        stack.set_config(f"scale:{key}", value)
    stack.up()
    before = {r["urn"].rsplit("::", 1)[1]: r["id"] for r in stack.resources() if r.get("custom")}
    # app, retention, 3 users, 1 admin, 2 endpoints, and the default provider
    assert len(before) == 2 + 3 + 1 + 2 + 1

    stack.set_config("scale:shape", "app")
    # Only the MessagingUser components go; the aliases move every dynamic resource in place.
    assert planned(stack) == {
        ("delete", "chimesdkidentity:components:MessagingUser", f"scale-user-0000{i}") for i in range(3)
    }
    start = len(emulator.requests())
    stack.up()
    assert emulator.operations(start) == []
    after = {r["urn"].rsplit("::", 1)[1]: r["id"] for r in stack.resources() if r.get("custom")}
    assert after == before
    parents = {r["urn"].rsplit("::", 1)[1]: r.get("parent", "::").rsplit("::", 1)[1] for r in stack.resources()}
    assert parents["scale-user-00001-endpoint-phone"] == parents["scale-user-00002-user"] == "scale"
    stack.preview("--expect-no-changes")
    stack.destroy()
    assert chime.list_app_instances()["AppInstances"] == []

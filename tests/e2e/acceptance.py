"""The acceptance walk every resource goes through with the real engine (terraform-provider-aws style).

Each test file describes its resource as a Case; the walks here drive `pulumi` and check the
emulator, and assert the exact API calls each phase makes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pulumi_chime_sdk_identity import dynamic_providers
from tests.support import Emulator
from tools.harness.engine import Stack

Spec = dict[str, Any]


@dataclass
class Case:
    """One resource type, as the walks need to know it."""

    type: str
    parents: list[Spec]
    args: dict[str, Any]
    count: Callable[[Any], int]
    """How many of this resource the emulator holds (given a boto3 client)."""
    update: dict[str, Any] | None
    """An in-place change of args, or None where everything replaces."""
    replace: dict[str, Any]
    """A change of args that replaces the resource."""
    drift: Callable[[Any, str], None] | None
    """An out-of-band change made with boto3, given the resource ID."""
    vanish: Callable[[Any, str], None]
    """An out-of-band deletion, given the resource ID."""
    calls: dict[str, list[str]]
    """Exact API calls per phase: create, refresh (this resource only), update, replace, delete.

    The order of "replace" shows delete_before_replace: Delete before Create where identity comes from inputs.
    """
    tags: bool = False
    extra_resources: list[Spec] = field(default_factory=list)

    def entry(self, **changes: Any) -> Spec:
        return {"type": self.type, "name": "subject", "args": {**self.args, **changes}}


def resource_id(stack: Stack, case: Case) -> str:
    (found,) = stack.resources(case.type)
    return str(found["id"])


def step_ops(stack: Stack, case: Case) -> list[str]:
    """The ops the preview plans for the resource under test."""
    steps = stack.preview_json().get("steps", [])
    return [s["op"] for s in steps if s.get("urn", "").endswith(f"chimesdkidentity:{case.type}::subject")]


def walk_lifecycle(case: Case, stack: Stack, emulator: Emulator, chime: Any) -> None:
    """up, quiet preview and refresh, update in place, tags 1 -> 2 -> 1, replace, delete, destroy."""
    stack.declare(*case.parents)
    stack.up()

    start = len(emulator.requests())
    stack.declare(*case.parents, case.entry())
    stack.up()
    assert emulator.operations(start) == case.calls["create"]
    assert case.count(chime) == 1

    start = len(emulator.requests())
    stack.preview("--expect-no-changes")
    assert emulator.operations(start) == [], "preview makes no API calls"
    refresh = stack.refresh("--expect-no-changes")
    assert "unchanged" in refresh.stdout
    assert Counter(case.calls["refresh"]) <= Counter(emulator.operations(start)), "refresh reads the resource"

    if case.update is not None:
        stack.declare(*case.parents, case.entry(**case.update))
        assert step_ops(stack, case) == ["update"]
        start = len(emulator.requests())
        stack.up()
        assert emulator.operations(start) == case.calls["update"]
        stack.preview("--expect-no-changes")

    if case.tags:
        base = {**case.args, **(case.update or {})}
        for tags, calls in (
            ({"a": "1"}, ["UntagResource", "TagResource"]),
            ({"a": "1", "b": "2"}, ["TagResource"]),
            ({"a": "1"}, ["UntagResource"]),
        ):
            stack.declare(*case.parents, {"type": case.type, "name": "subject", "args": {**base, "tags": tags}})
            start = len(emulator.requests())
            stack.up()
            assert emulator.operations(start) == calls, tags
        stack.preview("--expect-no-changes")

    before = resource_id(stack, case)
    stack.declare(*case.parents, *case.extra_resources, case.entry(**case.replace))
    assert step_ops(stack, case) == ["replace"]
    diff = stack.preview("--diff").stdout
    assert "+-" in diff, diff
    start = len(emulator.requests())
    stack.up()
    assert emulator.operations(start) == case.calls["replace"]
    assert resource_id(stack, case) != before
    assert case.count(chime) == 1, "the replaced resource is gone, its successor is there"

    start = len(emulator.requests())
    stack.declare(*case.parents, *case.extra_resources)
    stack.up()
    assert emulator.operations(start) == case.calls["delete"]
    assert case.count(chime) == 0

    stack.destroy()
    assert chime.list_app_instances()["AppInstances"] == []


def walk_out_of_band(case: Case, stack: Stack, chime: Any) -> None:
    """A change made outside Pulumi is found by refresh and reverted by up; so is a deletion."""
    stack.declare(*case.parents, case.entry())
    stack.up()
    subject = resource_id(stack, case)

    if case.drift is not None:
        case.drift(chime, subject)
        stack.refresh()
        assert step_ops(stack, case) == ["update"], "the next preview shows the drift as a diff"
        stack.up()
        stack.refresh("--expect-no-changes")
        stack.preview("--expect-no-changes")

    case.vanish(chime, subject)
    assert case.count(chime) == 0
    stack.refresh()
    assert stack.resources(case.type) == [], "refresh drops the vanished resource"
    assert step_ops(stack, case) == ["create"]
    stack.up()
    assert case.count(chime) == 1
    stack.preview("--expect-no-changes")


def walk_get_and_adopt(case: Case, stack: Stack, chime: Any) -> None:
    """`Resource.get` reads an existing resource; adopt_id takes one under management without creating."""
    stack.declare(*case.parents, case.entry())
    stack.up()
    subject = resource_id(stack, case)
    state = stack.resources(case.type)[0]

    # A looked-up resource has every attribute its class declares, with live values.
    attributes = [name for name in getattr(dynamic_providers, case.type).__annotations__ if not name.startswith("_")]
    looked_up = {"type": case.type, "name": "looked-up", "get": subject, "export": ["id", *attributes]}
    stack.declare(*case.parents, case.entry(), looked_up)
    stack.up()
    outputs = json.loads(stack.run("stack", "output", "--json", "--show-secrets").stdout)
    assert outputs["looked-up.id"] == subject
    deployment = json.loads(stack.run("stack", "export", "--show-secrets").stdout)["deployment"]
    (managed,) = (r["outputs"] for r in deployment["resources"] if r["urn"] == state["urn"])
    for attribute in attributes:
        found = outputs.get(f"looked-up.{attribute}")
        if attribute.endswith("_timestamp"):  # the API's clock, where state has the provider's at create
            assert isinstance(found, str), attribute
            assert found, attribute
        else:
            assert found == revealed(managed.get(attribute)), attribute
    assert case.count(chime) == 1, "get creates nothing"

    # Hand the resource over: drop it from state (as after a lost state file), then adopt it.
    stack.run("state", "delete", state["urn"], "--yes")
    adopted = case.entry(adopt_id=subject)
    stack.declare(*case.parents, adopted)
    stack.up()
    assert resource_id(stack, case) == subject
    assert case.count(chime) == 1, "adoption creates nothing"
    stack.preview("--expect-no-changes")
    stack.destroy()
    assert case.count(chime) == 0


SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d"


def revealed(value: Any) -> Any:
    """A state value from `pulumi stack export --show-secrets`, its secrets unwrapped to plain values."""
    if isinstance(value, dict) and SECRET_SIGNATURE in value:
        return json.loads(value["plaintext"])
    return value


def acceptance_tests(case: Case) -> tuple[Callable[..., None], Callable[..., None], Callable[..., None]]:
    """The three acceptance tests of one resource, for its test module to collect."""

    def test_lifecycle(stack: Stack, emulator: Emulator, chime: Any) -> None:
        walk_lifecycle(case, stack, emulator, chime)

    def test_out_of_band_change_and_deletion(stack: Stack, chime: Any) -> None:
        walk_out_of_band(case, stack, chime)

    def test_get_and_adopt(stack: Stack, chime: Any) -> None:
        walk_get_and_adopt(case, stack, chime)

    return test_lifecycle, test_out_of_band_change_and_deletion, test_get_and_adopt

"""What a state entry of ours records of the program: its own frames only, the first the line that declared it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tools.harness.engine import REPO, Stack

EXAMPLES = REPO / "examples"
OURS = "pulumi-python:dynamic/chimesdkidentity:"


def declared_at(program: Path, text: str) -> int:
    """The number of the program line that starts with text."""
    return next(n for n, line in enumerate(program.read_text().splitlines(), 1) if line.startswith(text))


def frames(entry: dict[str, object]) -> list[str]:
    return [str(frame.get("sourcePosition", "")) for frame in entry.get("stackTrace") or []]  # type: ignore[attr-defined]


def test_entries_keep_the_program_frames_only(stack_factory: Callable[..., Stack]) -> None:
    stack = stack_factory("quickstart", source=EXAMPLES / "quickstart")
    stack.up()
    program = stack.dir / "__main__.py"
    starts = {
        "chat": "app = AppInstance(",
        "chat-retention": "AppInstanceRetentionSettings(",
        "alice": "alice = AppInstanceUser(",
        "bob": "bob = AppInstanceUser(",
        "alice-admin": "AppInstanceAdmin(",
    }
    entries = {entry["urn"].rsplit("::", 1)[1]: entry for entry in stack.resources() if entry["type"].startswith(OURS)}
    assert sorted(entries) == sorted(starts)
    for name, entry in entries.items():
        where = f"project:///__main__.py#{declared_at(program, starts[name])}"
        assert entry["sourcePosition"] == where, name
        assert frames(entry) == [where], name


def test_a_component_child_points_at_the_component_line(stack_factory: Callable[..., Stack]) -> None:
    # The spec program builds the MessagingApp in its declare(): that is the program line of every child.
    stack = stack_factory("spec")
    users = {"alice": {"name": "Alice", "admin": True}, "bob": {"name": "Bob"}}
    stack.declare(
        {"type": "MessagingApp", "name": "chat", "spec": {"name": "chat", "users": users, "retention_days": 7}}
    )
    stack.up()
    line = declared_at(stack.dir / "__main__.py", "        return components.MessagingApp.from_spec(")
    ours = [entry for entry in stack.resources() if entry["type"].startswith(OURS)]
    assert len(ours) == 5  # the AppInstance, its retention, two users, one admin
    for entry in ours:
        assert entry["sourcePosition"] == f"project:///__main__.py#{line}", entry["urn"]
        assert all(frame.startswith("project:///__main__.py#") for frame in frames(entry)), entry["urn"]


def test_full_stack_traces_on_request(stack_factory: Callable[..., Stack]) -> None:
    stack = stack_factory("quickstart", source=EXAMPLES / "quickstart")
    stack.env = {**stack.env, "CHIMESDKIDENTITY_FULL_STACK_TRACES": "true"}
    stack.up()
    bob = next(entry for entry in stack.resources() if entry["urn"].endswith("::bob"))
    recorded = frames(bob)
    assert any(frame.endswith("dynamic_providers/_resource.py#" + frame.rsplit("#", 1)[1]) for frame in recorded)
    assert any("/pulumi/runtime/" in frame for frame in recorded)

"""What a reviewer sees in a pull request: `pulumi preview --diff`, resource options, and bad input."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support import PINPOINT_APP, Emulator
from tools.harness.engine import Stack

GOLDEN = Path(__file__).parent / "golden"
APP = {"type": "AppInstance", "name": "app", "args": {"name": "app", "tags": {"team": "chat"}}}


def user(name: str, tags: dict[str, str], user_id: str = "alice", **opts: Any) -> dict[str, Any]:
    args = {"app_instance_arn": "${app.arn}", "app_instance_user_id": user_id, "name": name, "tags": tags}
    return {"type": "AppInstanceUser", "name": "alice", "args": args, "opts": opts}


def normalized(text: str, stack: Stack) -> str:
    text = text.replace(stack.name, "STACK")
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", text)
    text = re.sub(r"\b[0-9a-f]{32}\b", "HEX", text)
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"


def test_preview_diff_reads_like_a_review(stack: Stack) -> None:
    stack.declare(APP, user("Alice", {"team": "chat", "floor": "3"}))
    stack.up()
    stack.declare(APP, user("Alice B", {"team": "messaging"}))
    assert normalized(stack.preview("--diff").stdout, stack) == (GOLDEN / "preview_update.txt").read_text()

    stack.declare(APP, user("Alice", {"team": "chat", "floor": "3"}, user_id="alice2"))
    assert normalized(stack.preview("--diff").stdout, stack) == (GOLDEN / "preview_replace.txt").read_text()


def chained(app_name: str, alice_name: str, app_tags: dict[str, str]) -> list[dict[str, Any]]:
    """Every kind chained through outputs, and a MessagingApp beside them."""
    return [
        {"type": "AppInstance", "name": "app", "args": {"name": app_name, "tags": {"team": "chat"}}},
        {
            "type": "AppInstanceRetentionSettings",
            "name": "retention",
            "args": {"app_instance_arn": "${app.arn}", "channel_retention_days": 30},
        },
        user(alice_name, {"team": "chat"}),
        {
            "type": "AppInstanceAdmin",
            "name": "admin",
            "args": {"app_instance_arn": "${app.arn}", "admin_arn": "${alice.arn}"},
        },
        {
            "type": "AppInstanceUserEndpoint",
            "name": "phone",
            "args": {
                "app_instance_user_arn": "${alice.arn}",
                "type": "GCM",
                "resource_arn": PINPOINT_APP,
                "endpoint_attributes": {"device_token": "token"},
            },
        },
        {
            "type": "MessagingApp",
            "name": "chat",
            "spec": {
                "name": "team-chat",
                "tags": app_tags,
                "retention_days": 7,
                "users": {
                    "bob": {
                        "name": "Bob",
                        "admin": True,
                        "endpoints": {"phone": {"type": "GCM", "resource_arn": PINPOINT_APP, "device_token": "t"}},
                    }
                },
            },
        },
    ]


def test_golden_previews_show_only_the_updated_resources(stack: Stack) -> None:
    stack.declare(*chained("app", "Alice", {"project": "chat"}))
    stack.up()
    for golden, edit in (
        ("preview_app_rename.txt", chained("app-renamed", "Alice", {"project": "chat"})),
        ("preview_user_rename_with_endpoint.txt", chained("app", "Alicia", {"project": "chat"})),
        ("preview_messaging_app_tags.txt", chained("app", "Alice", {"project": "chat", "env": "dev"})),
    ):
        stack.declare(*edit)
        assert normalized(stack.preview("--diff").stdout, stack) == (GOLDEN / golden).read_text(), golden


def test_ignore_changes_and_replace_on_changes_work(stack: Stack, emulator: Emulator) -> None:
    stack.declare(APP, user("Alice", {"team": "chat"}))
    stack.up()
    stack.declare(APP, user("Renamed", {"team": "chat"}, ignore_changes=["name"]))
    assert stack.changes() == {}
    stack.declare(APP, user("Alice", {"team": "other"}, replace_on_changes=["tags"]))
    assert stack.changes() == {"replace": 1}
    start = len(emulator.requests())
    stack.up()
    assert emulator.operations(start) == ["DeleteAppInstanceUser", "CreateAppInstanceUser"]


def test_bad_input_fails_at_preview_naming_the_property(stack: Stack, emulator: Emulator) -> None:
    stack.declare({"type": "AppInstance", "name": "app", "args": {"name": "", "tags": {"aws:owner": "x"}}})
    start = len(emulator.requests())
    result = stack.preview(check=False)
    assert result.returncode != 0
    # A name is sensitive in the service model: the failure names no property, so the engine prints no value
    assert "resource 'app' has a problem: name: must not be empty" in result.stdout
    assert "property name value" not in result.stdout
    assert "tags: tag key 'aws:owner' uses the reserved prefix 'aws:'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert emulator.operations(start) == []


def test_bad_secret_input_is_not_printed(stack_factory: Callable[[str], Stack], emulator: Emulator) -> None:
    stack = stack_factory("spec")
    endpoint = {
        "type": "AppInstanceUserEndpoint",
        "name": "phone",
        "args": {
            "app_instance_user_arn": "arn:aws:chime:us-east-1:123456789012:app-instance/a/user/b",
            "type": "GCM",
            "resource_arn": PINPOINT_APP,
            "endpoint_attributes": {"device_token": "SECRET-TOKEN-" + "y" * 1600},
        },
    }
    stack.declare(endpoint)
    result = stack.preview(check=False)
    assert result.returncode != 0
    assert "endpoint_attributes.device_token: must be at most 1600 characters" in result.stdout
    assert "SECRET-TOKEN" not in result.stdout + result.stderr

"""chime-identity-plan on real previews: the summary names exactly what `pulumi up` then does.

One stack holds a MessagingApp and a raw AppInstance with a raw user. Each edit of the preview promise's classes
is previewed with `pulumi preview --json`, summarised by the console script, then applied with `pulumi up
--event-log`; the resources and operations the summary lists must be those `up` performed, and the warning block
must name exactly the changes that lose data. A plan with no change is one line; broken JSON is one error line.

With CHIME_PLAN_FIXTURES=<dir> the test also writes each preview it summarises there (without stack traces and
config): that is how tests/components/plans/*.json were made.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import PINPOINT_APP, Emulator
from tools.harness.engine import Stack, resource_ops

PLAN = str(Path(sys.executable).parent / "chime-identity-plan")
ENTRY = re.compile(r"^- (create|update|replace|delete) \w+ `([^`]+)`", re.MULTILINE)
WARNING = re.compile(r"^> - \w+ `([^`]+)`", re.MULTILINE)
Program = dict[str, Any]


@dataclass
class Edit:
    name: str
    change: Callable[[Program], None]
    ops: dict[str, str]
    """What `up` must do, by resource name; the summary must list exactly this."""
    loses: tuple[str, ...] = ()
    """The resources the warning block must name."""


def users(program: Program) -> dict[str, Any]:
    return program["app"]["spec"]["users"]  # type: ignore[no-any-return]


def rekey(program: Program, old: str, new: str) -> None:
    users(program)[new] = users(program).pop(old)


def raw_user_id(program: Program, user_id: str) -> None:
    program["solo-dana"]["args"]["app_instance_user_id"] = user_id


EDITS = [
    Edit(
        "add users",
        lambda p: users(p).update(carol={"name": "Carol"}, dave={"name": "Dave"}),
        {"chat-carol-user": "create", "chat-dave-user": "create"},
    ),
    Edit(
        "rename users",
        lambda p: (users(p)["alice"].update(name="Alice L"), users(p)["bob"].update(name="Robert")),
        {"chat-alice-user": "update", "chat-bob-user": "update"},
    ),
    Edit("remove a user", lambda p: users(p).pop("dave"), {"chat-dave-user": "delete"}, ("chat-dave-user",)),
    Edit(
        "add an endpoint",
        lambda p: users(p)["bob"].update(
            endpoints={"tablet": {"type": "APNS", "resource_arn": PINPOINT_APP, "device_token": "tablet-token"}}
        ),
        {"chat-bob-endpoint-tablet": "create"},
    ),
    Edit("revoke an admin", lambda p: users(p)["alice"].update(admin=False), {"chat-alice-admin": "delete"}),
    Edit(
        "shorten retention",
        lambda p: p["app"]["spec"].update(retention_days=7),
        {"chat-retention": "update"},
        ("chat-retention",),
    ),
    Edit("rename the AppInstance", lambda p: p["app"]["spec"].update(name="team-chat-2"), {"chat-app": "update"}),
    Edit(
        "replace users by a new id",
        lambda p: (rekey(p, "carol", "caroline"), raw_user_id(p, "dana-2")),
        {"chat-carol-user": "delete", "chat-caroline-user": "create", "solo-dana": "replace"},
        ("chat-carol-user", "solo-dana"),
    ),
    Edit(
        "turn force_destroy on",
        lambda p: p["app"]["spec"].update(force_destroy=True),
        {"chat-app": "update"},
        ("chat-app",),
    ),
]


def program() -> Program:
    phone = {"type": "GCM", "resource_arn": PINPOINT_APP, "device_token": "phone-token"}
    spec = {
        "name": "team-chat",
        "retention_days": 30,
        "users": {"alice": {"name": "Alice", "admin": True, "endpoints": {"phone": phone}}, "bob": {"name": "Bob"}},
    }
    return {
        "app": {"type": "MessagingApp", "name": "chat", "spec": spec},
        "solo": {"type": "AppInstance", "name": "solo", "args": {"name": "solo"}},
        "solo-dana": {
            "type": "AppInstanceUser",
            "name": "solo-dana",
            "args": {"app_instance_arn": "${solo.arn}", "app_instance_user_id": "dana", "name": "Dana"},
        },
    }


def summarise(preview_json: str, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAN, *flags], input=preview_json, capture_output=True, text=True, timeout=60)


def keep_fixture(name: str, preview_json: str) -> None:
    folder = os.environ.get("CHIME_PLAN_FIXTURES")
    if not folder:
        return
    document = json.loads(preview_json)
    document.pop("config", None)
    for step in document.get("steps", []):
        for key in ("oldState", "newState"):
            for noise in ("stackTrace", "sourcePosition"):
                (step.get(key) or {}).pop(noise, None)
    path = Path(folder) / f"{name.replace(' ', '_')}.json"
    path.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")


def test_summary_names_what_up_does_for_every_edit(stack: Stack, emulator: Emulator, tmp_path: Path) -> None:
    stack.env = {**stack.env, "PULUMI_DEBUG_COMMANDS": "true"}  # for --event-log
    current = program()
    stack.declare(*current.values())
    first = stack.run("preview", "--json").stdout
    keep_fixture("new stack", first)
    assert summarise(first).returncode == 0
    assert_broken_input_refused(first)
    stack.up()

    for edit in EDITS:
        before = copy.deepcopy(current)
        edit.change(current)
        assert current != before, edit.name
        stack.declare(*current.values())
        plan = tmp_path / f"{edit.name.replace(' ', '-')}.plan"
        # As the pull-request workflow runs them: the preview refreshes and saves its plan, up follows that plan.
        preview = stack.run("preview", "--refresh", "--json", "--save-plan", str(plan)).stdout
        keep_fixture(edit.name, preview)
        summary = summarise(preview, "--fail-on-data-loss")
        assert summary.returncode == (2 if edit.loses else 0), f"{edit.name}: {summary.stderr}"
        assert summary.stderr == ""
        markdown = summary.stdout
        if edit.name == "add an endpoint":
            # Neither the user nor the AppInstance changes: a preview without --refresh (or --show-sames) has no
            # step that names the AppInstance, so its section is headed by the ARN the endpoint's user is in.
            plain = summarise(stack.run("preview", "--json").stdout).stdout
            assert f"#### AppInstance `{app_arn(stack)}`" in plain, plain
            assert ENTRY.findall(plain) == ENTRY.findall(markdown), plain
            assert "#### AppInstance `chat-app`" in markdown, markdown
        log = tmp_path / f"{edit.name.replace(' ', '-')}.log"
        stack.run("up", "--yes", "--skip-preview", "--refresh", "--plan", str(plan), "--event-log", str(log))
        done = {name: op for name, op in resource_ops(log, completed=True).items() if op != "same"}
        assert done == edit.ops, f"{edit.name}: up did {done}"
        listed = {name: op for op, name in ENTRY.findall(markdown)}
        assert listed == done, f"{edit.name}: the summary lists {listed}, up did {done}\n{markdown}"
        assert len(ENTRY.findall(markdown)) == len(done), markdown  # each resource once
        assert sorted(WARNING.findall(markdown)) == sorted(edit.loses), f"{edit.name}:\n{markdown}"
        if edit.loses:
            assert markdown.index("> [!CAUTION]") < markdown.index("#### AppInstance"), markdown
        for secret in ("phone-token", "tablet-token", "Alice", "Robert", "team-chat", "dana-2"):
            assert secret not in markdown, f"{edit.name}: {secret!r} printed\n{markdown}"

    quiet = stack.run("preview", "--json").stdout
    keep_fixture("no change", quiet)
    summary = summarise(quiet)
    assert summary.returncode == 0
    assert summary.stdout == "### Chime SDK Identity plan: no change to Chime SDK Identity resources.\n"

    # A preview that fails (a new user whose id exists already) is no plan: the summary says so and lists nothing.
    emulator.client().create_app_instance_user(AppInstanceArn=app_arn(stack), AppInstanceUserId="zed", Name="Zed")
    users(current)["zed"] = {"name": "Zed"}
    stack.declare(*current.values())
    failed = stack.run("preview", "--json", check=False)
    assert failed.returncode != 0
    keep_fixture("failed", failed.stdout)
    summary = summarise(failed.stdout, "--fail-on-data-loss")
    assert summary.returncode == 1
    assert summary.stdout.startswith("### Chime SDK Identity plan: **the preview failed**\n"), summary.stdout
    assert "`chat-zed-user`" in summary.stdout
    assert ENTRY.findall(summary.stdout) == []
    assert summary.stderr.startswith("chime-identity-plan: the preview failed"), summary.stderr
    assert len(summary.stderr.splitlines()) == 1


def app_arn(stack: Stack) -> str:
    return next(str(r["id"]) for r in stack.resources("AppInstance") if r["urn"].endswith("::chat-app"))


def assert_broken_input_refused(preview: str) -> None:
    """Truncated anywhere, or malformed: one line on stderr, exit 1, and no summary at all."""
    middle = len(preview) // 2
    cases = [
        ("empty", ""),
        ("truncated", preview[:middle]),
        ("truncated", preview[: len(preview.rstrip()) - 2]),
        ("not valid JSON", preview.replace('"steps":', '"steps"', 1)),
    ]
    for what, text in cases:
        result = summarise(text, "--fail-on-data-loss")
        assert result.returncode == 1, what
        assert result.stdout == "", what
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stderr.startswith(f"chime-identity-plan: the input is {what}"), result.stderr

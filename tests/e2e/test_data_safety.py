"""Never destroy what the stack does not own (issue 11), through the real CLI.

An AppInstance holds the application's own users and bots, made at run time outside Pulumi, with their
channels and messages. Without ``force_destroy``, destroy, removal from the program and a forced replacement
leave them and their AppInstance in place, saying why in one line; a region change (a replacement) is
refused at preview with no API call. With ``force_destroy`` (set, ``up``, then delete) they go. An empty
AppInstance needs nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support import LEX_ALIAS, Emulator
from tools.harness.engine import Stack

READS = ("Describe", "List", "Get")
REFUSED = "that this stack does not manage; deleting it would delete them with their channels and messages"


def app(**args: Any) -> dict[str, Any]:
    return {"type": "AppInstance", "name": "app", "args": {"name": "chat", **args}, "export": ["arn"]}


OWN_USER = {
    "type": "AppInstanceUser",
    "name": "alice",
    "args": {"app_instance_arn": "${app.arn}", "app_instance_user_id": "alice", "name": "Alice"},
}


def runtime_users(chime: Any, arn: str, count: int) -> None:
    """What the application makes in its AppInstance at run time."""
    for index in range(count):
        chime.create_app_instance_user(AppInstanceArn=arn, AppInstanceUserId=f"end-user-{index}", Name="u")


def runtime_bot(chime: Any, arn: str) -> None:
    lex = {"LexBotAliasArn": LEX_ALIAS, "LocaleId": "en_US", "RespondsTo": "STANDARD_MESSAGES"}
    chime.create_app_instance_bot(AppInstanceArn=arn, Name="support", Configuration={"Lex": lex})


def user_ids(chime: Any, arn: str) -> list[str]:
    users = chime.list_app_instance_users(AppInstanceArn=arn, MaxResults=50)["AppInstanceUsers"]
    return sorted(user["AppInstanceUserArn"].rsplit("/", 1)[-1] for user in users)


def writes(emulator: Emulator, start: int) -> list[str]:
    return [op for op in emulator.operations(start) if not op.startswith(READS)]


def refused_in_one_line(output: str, users: int, bots: int) -> None:
    noun = "user" if users == 1 else "users"
    assert f"still holds {users} {noun} and {bots} bot" in output, output
    assert REFUSED in output
    assert "set force_destroy=True on the AppInstance and run `pulumi up` first" in output
    assert "Traceback" not in output, output


def deployed(stack: Stack, chime: Any, *entries: dict[str, Any], runtime: int = 20) -> str:
    stack.declare(*entries)
    stack.up()
    arn = str(stack.outputs()["app.arn"])
    runtime_users(chime, arn, runtime)
    return arn


def test_destroy_leaves_runtime_users_until_force_destroy_is_applied(
    stack: Stack, emulator: Emulator, chime: Any
) -> None:
    arn = deployed(stack, chime, app(), OWN_USER)
    runtime_bot(chime, arn)

    start = len(emulator.requests())
    destroy = stack.run("destroy", "--yes", "--skip-preview", check=False)
    assert destroy.returncode != 0
    refused_in_one_line(destroy.stdout + destroy.stderr, users=20, bots=1)
    assert writes(emulator, start) == ["DeleteAppInstanceUser"], "only the stack's own user is deleted"
    assert user_ids(chime, arn) == sorted(f"end-user-{index}" for index in range(20))
    assert [r["id"] for r in stack.resources("AppInstance")] == [arn], "still in state, to retry or release"

    stack.declare(app(force_destroy=True), OWN_USER)
    start = len(emulator.requests())
    stack.up()  # also puts the stack's own user back
    assert writes(emulator, start) == ["CreateAppInstanceUser"], "force_destroy is recorded without an API call"
    start = len(emulator.requests())
    stack.destroy()
    assert writes(emulator, start) == ["DeleteAppInstanceUser", "DeleteAppInstance"]
    assert chime.list_app_instances()["AppInstances"] == []


def test_removing_the_app_instance_from_the_program_leaves_runtime_users(
    stack: Stack, emulator: Emulator, chime: Any
) -> None:
    arn = deployed(stack, chime, app(), OWN_USER, runtime=3)
    stack.declare()
    start = len(emulator.requests())
    up = stack.run("up", "--yes", "--skip-preview", check=False)
    assert up.returncode != 0
    refused_in_one_line(up.stdout + up.stderr, users=3, bots=0)
    assert writes(emulator, start) == ["DeleteAppInstanceUser"]
    assert len(user_ids(chime, arn)) == 3

    stack.declare(app(force_destroy=True))
    stack.up()
    stack.declare()
    stack.up()
    assert chime.list_app_instances()["AppInstances"] == []


def test_a_region_change_is_refused_at_preview_unless_force_destroy(
    stack: Stack, emulator: Emulator, chime: Any
) -> None:
    arn = deployed(stack, chime, app(), OWN_USER, runtime=2)
    stack.declare(app(region="eu-central-1"), OWN_USER)
    start = len(emulator.requests())
    for command in (("preview",), ("up", "--yes", "--skip-preview")):
        result = stack.run(*command, check=False)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert "region: changing it to 'eu-central-1' replaces AppInstance" in output
        assert "set force_destroy=True on the AppInstance" in output
        assert "Traceback" not in output, output
    assert emulator.operations(start) == [], "refused before any API call"

    stack.declare(app(region="eu-central-1", force_destroy=True), OWN_USER)
    assert stack.changes() == {"replace": 2}
    stack.up()
    assert chime.list_app_instances()["AppInstances"] == [], "the old AppInstance went, with its runtime users"
    assert stack.outputs()["app.arn"].startswith("arn:aws:chime:eu-central-1:")
    assert arn not in {r.get("id") for r in stack.resources()}


def test_a_forced_replacement_is_refused_at_delete_time_like_a_destroy(
    stack: Stack, emulator: Emulator, chime: Any, tmp_path: Path
) -> None:
    entry = app()
    entry["opts"] = {"replace_on_changes": ["name"]}
    arn = deployed(stack, chime, entry, runtime=2)
    entry["args"]["name"] = "chat-2"
    stack.declare(entry)
    assert stack.changes() == {"replace": 1}
    up = stack.run("up", "--yes", "--skip-preview", check=False)
    assert up.returncode != 0
    refused_in_one_line(up.stdout + up.stderr, users=2, bots=0)
    assert len(user_ids(chime, arn)) == 2, "the old AppInstance keeps its users"

    # The README's way to keep the old one: drop its entry, marked for deletion, from the state.
    state = stack.export()
    resources = state["deployment"]["resources"]
    assert [r["id"] for r in resources if r.get("delete")] == [arn]
    state["deployment"]["resources"] = [r for r in resources if not r.get("delete")]
    exported = tmp_path / "state.json"
    exported.write_text(json.dumps(state))
    stack.run("stack", "import", "--file", str(exported))
    stack.preview("--expect-no-changes")
    assert len(chime.list_app_instances()["AppInstances"]) == 2, "the old one is left in AWS with its data"


def test_an_empty_app_instance_needs_no_setting(stack: Stack, emulator: Emulator, chime: Any) -> None:
    deployed(stack, chime, app(), OWN_USER, runtime=0)
    start = len(emulator.requests())
    stack.destroy()
    assert writes(emulator, start) == ["DeleteAppInstanceUser", "DeleteAppInstance"]
    assert chime.list_app_instances()["AppInstances"] == []


def test_messaging_app_passes_force_destroy_from_its_spec(stack: Stack, emulator: Emulator, chime: Any) -> None:
    spec = {"name": "team-chat", "users": {"alice": {"name": "Alice", "admin": True}}}
    chat = {"type": "MessagingApp", "name": "chat", "spec": spec}
    stack.declare(chat)
    stack.up()
    arn = str(chime.list_app_instances()["AppInstances"][0]["AppInstanceArn"])
    runtime_users(chime, arn, 5)

    destroy = stack.run("destroy", "--yes", "--skip-preview", check=False)
    assert destroy.returncode != 0
    refused_in_one_line(destroy.stdout + destroy.stderr, users=5, bots=0)

    stack.declare({**chat, "spec": {**spec, "force_destroy": True}})
    stack.up()
    stack.destroy()
    assert chime.list_app_instances()["AppInstances"] == []

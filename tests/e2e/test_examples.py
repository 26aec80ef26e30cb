"""The examples as users run them, through the real engine against the emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support import Emulator
from tools.harness.engine import REPO, Stack

EXAMPLES = REPO / "examples"


def test_quickstart(stack_factory: Callable[..., Stack], emulator: Emulator, chime: Any) -> None:
    stack = stack_factory("quickstart", source=EXAMPLES / "quickstart")
    stack.up()
    outputs = stack.outputs()
    app = outputs["app_instance_arn"]
    assert chime.describe_app_instance(AppInstanceArn=app)["AppInstance"]["Name"] == "quickstart-chat"
    users = chime.list_app_instance_users(AppInstanceArn=app)["AppInstanceUsers"]
    assert sorted(u["AppInstanceUserArn"] for u in users) == sorted(outputs["user_arns"].values())
    admins = chime.list_app_instance_admins(AppInstanceArn=app)["AppInstanceAdmins"]
    assert [a["Admin"]["Arn"] for a in admins] == [outputs["user_arns"]["alice"]]
    retention = chime.get_app_instance_retention_settings(AppInstanceArn=app)["AppInstanceRetentionSettings"]
    assert retention == {"ChannelRetentionSettings": {"RetentionDays": 30}}
    assert {"Key": "project", "Value": "quickstart"} in chime.list_tags_for_resource(ResourceARN=app)["Tags"]

    start = len(emulator.requests())
    stack.preview("--expect-no-changes")
    assert emulator.operations(start) == []
    stack.refresh("--expect-no-changes")
    stack.destroy()
    assert chime.list_app_instances()["AppInstances"] == []


def planned(stack: Stack) -> set[tuple[str, str, str]]:
    """(op, type, name) of every step a preview plans besides `same`."""
    steps = stack.preview_json().get("steps", [])
    return {
        (step["op"], step["urn"].split("::")[-2].split("$")[-1], step["urn"].split("::")[-1])
        for step in steps
        if step["op"] != "same"
    }


def test_from_spec_edit_shows_exactly_the_edit(stack_factory: Callable[..., Stack], chime: Any) -> None:
    stack = stack_factory("from_spec", source=EXAMPLES / "from_spec")
    stack.up()
    app = stack.outputs()["app_instance_arn"]
    users = chime.list_app_instance_users(AppInstanceArn=app)["AppInstanceUsers"]
    assert sorted(u["AppInstanceUserArn"].rsplit("/", 1)[1] for u in users) == ["alice", "bob", "carol"]
    assert len(chime.list_app_instance_bots(AppInstanceArn=app)["AppInstanceBots"]) == 1
    stack.preview("--expect-no-changes")

    spec = (stack.dir / "team.yaml").read_text()
    edited = spec.replace("  bob:\n    name: Bob\n", "  bob:\n    name: Robert\n")
    edited = edited.replace("  carol:\n", "  dave:\n    name: Dave\n  carol:\n")
    edited = edited[: edited.index("\nbots:")] + "\n"
    assert edited.count("Robert") == 1
    assert "dave:" in edited
    (stack.dir / "team.yaml").write_text(edited)

    dynamic = "pulumi-python:dynamic/chimesdkidentity"
    assert planned(stack) == {
        ("create", f"{dynamic}:AppInstanceUser", "team-dave-user"),
        ("update", f"{dynamic}:AppInstanceUser", "team-bob-user"),
        ("delete", f"{dynamic}:AppInstanceBot", "team-bot-helper"),
    }
    diff = stack.preview("--diff").stdout
    assert '~ name: "Bob" => "Robert"' in diff

    stack.up()
    stack.preview("--expect-no-changes")
    assert chime.list_app_instance_bots(AppInstanceArn=app)["AppInstanceBots"] == []
    stack.destroy()
    assert chime.list_app_instances()["AppInstances"] == []

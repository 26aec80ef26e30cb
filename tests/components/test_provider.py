"""The component provider: construct declares what the Python components declare, and refuses what they refuse."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi.errors import InputPropertiesError

from pulumi_chime_sdk_identity.components import MessagingApp, MessagingAppArgs, UserArgs, provider
from pulumi_chime_sdk_identity.components._args import EndpointArgs
from tests.components.pulumi_mocks import Program, run
from tests.support import PINPOINT_APP
from tools.harness.engine import REPO

WIRE = {
    "name": "chat",
    "retentionDays": 30.0,
    "tags": {"project": "chat"},
    "users": {
        "alice": {
            "name": "Alice",
            "admin": True,
            "endpoints": {"phone": {"type": "GCM", "resourceArn": PINPOINT_APP, "deviceToken": "token"}},
        },
        "bob": {"name": "Bob"},
    },
}
PYTHON = MessagingAppArgs(
    name="chat",
    retention_days=30,
    tags={"project": "chat"},
    users={
        "alice": UserArgs(
            name="Alice",
            admin=True,
            endpoints={"phone": EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token="token")},
        ),
        "bob": UserArgs(name="Bob"),
    },
)


@pytest.fixture(autouse=True)
def dynamic_provider_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dynamic provider would run this interpreter's virtualenv, as a program naming it does."""
    monkeypatch.setenv("PULUMI_RUNTIME_VIRTUALENV", sys.prefix)
    provider._dynamic_provider_problem.cache_clear()


def construct(inputs: dict[str, Any], token: str = "chime-sdk-identity:index:MessagingApp") -> Program:
    def program() -> dict[str, Any]:
        result = provider.ComponentProvider().construct("app", token, inputs)
        return {"urn": result.urn, **result.state}

    return run(program)


def children(program: Program) -> list[tuple[str, str, dict[str, Any]]]:
    return sorted((r.type, r.name, r.inputs) for r in program.resources if r.custom)


def test_construct_declares_what_the_python_component_declares() -> None:
    served = construct(WIRE)
    python = run(lambda: {"arn": MessagingApp("app", PYTHON).app_instance_arn})
    assert children(served) == children(python)
    assert len(children(served)) == 6
    (component,) = [r for r in served.resources if not r.custom]
    assert component.type == "chime-sdk-identity:index:MessagingApp"  # the package's token, as the SDKs name it
    assert served.outputs["appInstanceArn"].startswith("arn:aws:chime:")
    assert set(served.outputs["userArns"]) == {"alice", "bob"}
    assert set(served.outputs) >= {"adminIds", "botArns", "endpointIds"}


def test_messaging_user_is_served_too() -> None:
    app = "arn:aws:chime:us-east-1:123456789012:app-instance/0a1b2c3d-0000-4000-8000-000000000000"
    served = construct(
        {"appInstanceArn": app, "userId": "carol", "name": "Carol", "admin": True},
        "chime-sdk-identity:index:MessagingUser",
    )
    assert sorted(r.kind for r in served.resources if r.custom) == ["AppInstanceAdmin", "AppInstanceUser"]
    assert served.outputs["arn"] == f"{app}/user/carol"


def test_bad_inputs_are_refused_in_one_message_naming_each_field_and_no_value() -> None:
    bad = {**WIRE, "retentionDays": 0, "users": {"bad id": {"name": "secret-name-1"}}}
    with pytest.raises(InputPropertiesError) as raised:
        construct(bad)
    message = raised.value.message
    assert message.startswith("MessagingApp 'app': invalid inputs:\n")
    assert "  retentionDays: must be between 1 and 5475" in message
    assert "  users.bad id: invalid user id" in message
    assert "secret-name-1" not in message
    # No property list: the engine would print the value of each property listed there.
    assert raised.value.errors == []


def test_a_spec_file_is_a_whole_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a relative spec file is the program directory's
    (tmp_path / "team.yaml").write_text("name: team\nusers:\n  alice: {name: Alice, admin: true}\n")
    served = construct({"specFile": "team.yaml"})
    assert {r.name for r in served.resources if r.custom} == {"app-app", "app-alice-user", "app-alice-admin"}
    with pytest.raises(InputPropertiesError, match="specFile: cannot be combined with name"):
        construct({"specFile": "team.yaml", "name": "other"})
    (tmp_path / "bad.yaml").write_text("name: team\nretention_days: 0\n")
    with pytest.raises(InputPropertiesError, match=r"bad\.yaml: retention_days: must be between 1 and 5475"):
        construct({"specFile": "bad.yaml"})


def test_a_program_whose_dynamic_provider_would_not_find_this_package_is_told_what_to_add(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The base interpreter of this virtualenv does not have the package.
    monkeypatch.delenv("PULUMI_RUNTIME_VIRTUALENV")
    monkeypatch.setenv("PULUMI_PYTHON_CMD", sys._base_executable)  # type: ignore[attr-defined]
    provider._dynamic_provider_problem.cache_clear()
    with pytest.raises(InputPropertiesError) as raised:
        construct(WIRE)
    assert "Pulumi's Python dynamic provider" in raised.value.message
    assert f"options: {{virtualenv: {sys.prefix}}}" in raised.value.message


def test_the_plugin_is_this_repository_and_its_package(tmp_path: Path) -> None:
    plugin = (REPO / "PulumiPlugin.yaml").read_text()
    assert "name: python" in plugin
    assert json.loads((REPO / "pulumi-plugin.json").read_text()) == {"resource": False}
    # `python -m pulumi_chime_sdk_identity` is the provider: without an engine address it says so and exits.
    result = subprocess.run([sys.executable, "-m", "pulumi_chime_sdk_identity"], capture_output=True, text=True)
    assert result.returncode != 0
    assert "engine" in result.stderr

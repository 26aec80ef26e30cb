"""examples/adopt_existing, run as its README says: resources made with the AWS CLI, then adopted by `pulumi up`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import REGION, Emulator
from tools.harness.engine import REPO, Stack

EXAMPLE = REPO / "examples" / "adopt_existing"
DESIRED_TAGS = {"managed-by": "pulumi", "project": "adopt-existing"}


def aws_cli(emulator: Emulator, *args: str) -> dict[str, Any]:
    """`aws chime-sdk-identity ARGS` against the emulator, with throw-away credentials and no config files."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="AKIDCLI",
        AWS_SECRET_ACCESS_KEY="cli-secret",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    command = [str(Path(sys.executable).parent / "aws"), "chime-sdk-identity", *args]
    command += ["--region", REGION, "--endpoint-url", emulator.url, "--output", "json"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return dict(json.loads(result.stdout))


def tags_of(chime: Any, arn: str) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in chime.list_tags_for_resource(ResourceARN=arn).get("Tags", [])}


def counts(chime: Any) -> tuple[int, int]:
    """(AppInstances, users across them) in the emulator."""
    instances = chime.list_app_instances()["AppInstances"]
    users = sum(
        len(chime.list_app_instance_users(AppInstanceArn=item["AppInstanceArn"])["AppInstanceUsers"])
        for item in instances
    )
    return len(instances), users


@pytest.fixture
def example_stack(engine: dict[str, str], emulator: Emulator, tmp_path: Path) -> Iterator[Stack]:
    """A throw-away stack of a copy of examples/adopt_existing (the harness supplies the emulator endpoint)."""
    stack = Stack(EXAMPLE, tmp_path, engine, emulator.url)
    yield stack
    stack.remove()


def test_example_folder_is_a_pulumi_project() -> None:
    project = (EXAMPLE / "Pulumi.yaml").read_text()
    assert "name: chime-sdk-identity-adopt-existing" in project
    assert "virtualenv: .venv" in project
    readme = (EXAMPLE / "README.md").read_text()
    for step in ("make emulator", "--endpoint-url http://127.0.0.1:4580", "pulumi config set appInstanceArn"):
        assert step in readme, step


def test_adopts_cli_made_resources_then_destroys_them(example_stack: Stack, emulator: Emulator, chime: Any) -> None:
    # 1. Resources made outside Pulumi, with other names and tags than the program declares.
    app_arn = aws_cli(
        emulator, "create-app-instance", "--name", "made-by-hand", "--metadata", "old", "--tags", "Key=team,Value=old"
    )["AppInstanceArn"]
    user_arn = aws_cli(
        emulator,
        "create-app-instance-user",
        "--app-instance-arn",
        app_arn,
        "--app-instance-user-id",
        "alice",
        "--name",
        "alice by hand",
        "--tags",
        "Key=team,Value=old",
    )["AppInstanceUserArn"]
    assert user_arn == f"{app_arn}/user/alice"
    assert counts(chime) == (1, 1)

    # 2. Their ARNs in stack config, then `pulumi up`.
    example_stack.set_config("appInstanceArn", app_arn)
    example_stack.set_config("appInstanceUserArn", user_arn)
    since = len(emulator.requests())
    example_stack.up()

    # Nothing new: no create call reached the service, and still exactly one of each.
    operations = emulator.operations(since)
    assert [op for op in operations if op.startswith("Create")] == [], operations
    assert {"DescribeAppInstance", "DescribeAppInstanceUser", "UpdateAppInstance", "UpdateAppInstanceUser"} <= set(
        operations
    )
    assert counts(chime) == (1, 1)
    assert example_stack.outputs() == {"app_instance_arn": app_arn, "user_arn": user_arn}
    ids = {r["type"].rpartition(":")[2]: r["id"] for r in example_stack.resources() if "chimesdkidentity" in r["type"]}
    assert ids == {"AppInstance": app_arn, "AppInstanceUser": user_arn}

    # The live resources now match the program: names, metadata, tags (the old tag removed).
    app = chime.describe_app_instance(AppInstanceArn=app_arn)["AppInstance"]
    assert (app["Name"], app["Metadata"]) == ("adopted-chat", '{"tier": "demo"}')
    assert tags_of(chime, app_arn) == DESIRED_TAGS
    user = chime.describe_app_instance_user(AppInstanceUserArn=user_arn)["AppInstanceUser"]
    assert user["Name"] == "Alice"
    assert tags_of(chime, user_arn) == DESIRED_TAGS

    # 3. A second preview has nothing to do.
    assert example_stack.changes() == {}
    example_stack.preview("--expect-no-changes")

    # 4. Adopted resources are ordinary stack resources: destroy deletes them.
    example_stack.destroy()
    assert counts(chime) == (0, 0)
    with pytest.raises(chime.exceptions.NotFoundException):
        chime.describe_app_instance(AppInstanceArn=app_arn)
    with pytest.raises(chime.exceptions.NotFoundException):
        chime.describe_app_instance_user(AppInstanceUserArn=user_arn)

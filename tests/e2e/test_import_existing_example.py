"""examples/import_existing, run as its README says, and the import round trip.

An app built with the AWS CLI (build_app.sh), `chime-identity-import` writing the spec and setting the device
token on the stack, then `pulumi up` that writes nothing (from the emulator's request log), and a quiet
`pulumi preview` and `pulumi refresh`. The round trip: import, up, edit the spec, up, import again.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.test_preview_promise import state_by_urn
from tests.support import REGION, Emulator
from tools.harness.engine import REPO, Stack

EXAMPLE = REPO / "examples" / "import_existing"
READS = ("Describe", "List", "Get")


def shell_env(engine: dict[str, str], emulator: Emulator) -> dict[str, str]:
    """The README's shell: the engine's environment plus the AWS variables it exports for the emulator."""
    return {
        **engine,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY": emulator.url,
        "CHIME_ENDPOINT": emulator.url,
    }


def sh(env: dict[str, str], cwd: Path, *command: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(list(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result


def import_spec(env: dict[str, str], stack: Stack, arn: str, *flags: str) -> subprocess.CompletedProcess[str]:
    """`chime-identity-import ARN --endpoints --stack <stack> -o chat.yaml FLAGS`, in the stack's folder."""
    command = str(Path(sys.executable).parent / "chime-identity-import")
    return sh(env, stack.dir, command, arn, "--endpoints", "--stack", stack.name, "-o", "chat.yaml", *flags)


def writes(operations: list[str]) -> list[str]:
    return [op for op in operations if not op.startswith(READS)]


@pytest.fixture
def example_stack(stack_factory: Callable[..., Stack]) -> Stack:
    """A throw-away stack of a copy of the example, removed after the test."""
    return stack_factory("import_existing", source=EXAMPLE)


def test_example_folder_is_a_pulumi_project() -> None:
    assert "virtualenv: .venv" in (EXAMPLE / "Pulumi.yaml").read_text()
    readme = (EXAMPLE / "README.md").read_text()
    for step in ("sh examples/import_existing/build_app.sh", "chime-identity-import", "--expect-no-changes"):
        assert step in readme, step


def test_imports_a_cli_made_app_and_adopts_it_without_a_write(
    example_stack: Stack, engine: dict[str, str], emulator: Emulator, chime: Any
) -> None:
    env = shell_env(engine, emulator)
    # 1. The app, made with the AWS CLI.
    arn = sh(env, REPO, "sh", str(EXAMPLE / "build_app.sh")).stdout.strip()
    assert arn.startswith(f"arn:aws:chime:{REGION}:")
    figures: dict[str, int] = {}

    # 2. The listing, then the spec and the device token on the stack.
    start = len(emulator.requests())
    listing = sh(env, REPO, str(Path(sys.executable).parent / "chime-identity-import"))
    assert listing.stdout.splitlines()[1].split()[1:] == ["team-chat", "3", "1", "1", "1", "30d"]
    figures["list"] = len(emulator.requests()) - start
    start = len(emulator.requests())
    result = import_spec(env, example_stack, arn)
    figures["import"] = len(emulator.requests()) - start
    assert writes(emulator.operations(start)) == []
    assert f"set 1 device token(s) as secrets on stack {example_stack.name}" in result.stderr
    spec_text = (example_stack.dir / "chat.yaml").read_text()
    assert "alice-fcm-token" not in spec_text
    spec = yaml.safe_load(spec_text)
    assert sorted(spec["users"]) == ["alice"], "only the admin by default"
    assert spec["users"]["alice"]["endpoints"]["phone"]["device_token_config"] == "alice-phone-deviceToken"
    config = example_stack.run("config", "--json").stdout
    assert '"secret": true' in config
    assert "alice-fcm-token" not in config

    # 3. `pulumi up` adopts everything and writes nothing.
    start = len(emulator.requests())
    example_stack.up()
    operations = emulator.operations(start)
    figures["up"] = len(operations)
    assert writes(operations) == [], operations
    kinds = sorted(r["type"].rpartition(":")[2] for r in example_stack.resources() if "dynamic" in r["type"])
    assert kinds == [
        "AppInstance",
        "AppInstanceAdmin",
        "AppInstanceBot",
        "AppInstanceRetentionSettings",
        "AppInstanceUser",
        "AppInstanceUserEndpoint",
    ]
    assert example_stack.outputs()["app_instance_arn"] == arn
    assert len(chime.list_app_instances()["AppInstances"]) == 1

    # 4. A quiet preview (no request at all) and a quiet refresh (reads only, inputs and outputs unchanged).
    start = len(emulator.requests())
    example_stack.preview("--expect-no-changes")
    figures["preview"] = len(emulator.requests()) - start
    assert figures["preview"] == 0
    before = state_by_urn(example_stack)
    start = len(emulator.requests())
    example_stack.refresh("--expect-no-changes")
    operations = emulator.operations(start)
    figures["refresh"] = len(operations)
    assert writes(operations) == []
    assert state_by_urn(example_stack) == before
    print(f"\nrequests per step of examples/import_existing: {figures}")
    assert figures == {"list": 8, "import": 11, "up": 16, "preview": 0, "refresh": 9}, "the figures in its README"


def test_refusals_at_preview_name_the_field_to_set(
    example_stack: Stack, engine: dict[str, str], emulator: Emulator, chime: Any
) -> None:
    env = shell_env(engine, emulator)
    arn = sh(env, REPO, "sh", str(EXAMPLE / "build_app.sh")).stdout.strip()
    import_spec(env, example_stack, arn)
    example_stack.up()
    # An adoption input of the wrong form is refused at preview, as <file>: <path>: <reason>.
    path = example_stack.dir / "chat.yaml"
    imported = path.read_text()
    (bot,) = yaml.safe_load(imported)["bots"].values()
    path.write_text(imported.replace(f"adopt_id: {bot['adopt_id']}", f"adopt_id: {arn}/bot/{bot['adopt_id']}"))
    refused = example_stack.preview(check=False)
    assert refused.returncode != 0
    assert f"{path}: bots.helper.adopt_id: must be the ID alone (the part after '/bot/'" in refused.stdout
    path.write_text(imported)

    # grace, made by hand after the import, then added to the spec as a new user would add her.
    chime.create_app_instance_user(AppInstanceArn=arn, AppInstanceUserId="grace", Name="Grace")
    spec = yaml.safe_load(path.read_text())
    spec["users"]["grace"] = {"name": "Grace", "inherit_tags": False}
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    start = len(emulator.requests())
    refused = example_stack.preview(check=False)
    assert refused.returncode != 0
    assert "(in a MessagingApp: users.grace.adopt: true, with the app's adopt_id set" in refused.stdout
    assert writes(emulator.operations(start)) == []
    assert chime.describe_app_instance_user(AppInstanceUserArn=f"{arn}/user/grace")["AppInstanceUser"]["Name"] == (
        "Grace"
    )

    spec["users"]["grace"]["adopt"] = True
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    start = len(emulator.requests())
    example_stack.up()
    assert writes(emulator.operations(start)) == [], "marked, she is adopted as she is"
    example_stack.preview("--expect-no-changes")


def test_round_trip_import_up_edit_up_import_again(
    example_stack: Stack, engine: dict[str, str], emulator: Emulator, chime: Any
) -> None:
    env = shell_env(engine, emulator)
    arn = sh(env, REPO, "sh", str(EXAMPLE / "build_app.sh")).stdout.strip()
    import_spec(env, example_stack, arn, "--users", "all")
    example_stack.up()

    # Edit: a new user, and another value for one of alice's tags.
    path = example_stack.dir / "chat.yaml"
    spec = yaml.safe_load(path.read_text())
    assert spec["users"]["alice"]["tags"] == {"role": "ops"}
    spec["users"]["alice"]["tags"] = {"role": "lead"}
    spec["users"]["dave"] = {"name": "Dave"}
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    start = len(emulator.requests())
    example_stack.up()
    assert sorted(writes(emulator.operations(start))) == ["CreateAppInstanceUser", "TagResource"]
    example_stack.preview("--expect-no-changes")

    # The second import equals the edited spec: dave, whom the stack created, is written as declared (the
    # import reads the stack's state), and the stack sees no change at all.
    import_spec(env, example_stack, arn, "--users", "all")
    again = yaml.safe_load(path.read_text())
    assert again == spec
    assert list(again["users"]) == sorted(spec["users"])
    start = len(emulator.requests())
    example_stack.preview("--expect-no-changes")
    assert emulator.operations(start) == []

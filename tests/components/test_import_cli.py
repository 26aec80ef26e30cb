"""chime-identity-import against the emulator over HTTP: the listing, the spec it writes, its requests and errors."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_chime_sdk_identity.components import MessagingApp
from pulumi_chime_sdk_identity.components._import_cli import main
from pulumi_chime_sdk_identity.components._importer import unmark_made_by_stack
from pulumi_chime_sdk_identity.components._spec import load
from pulumi_chime_sdk_identity.dynamic_providers import _config
from tests.components.pulumi_mocks import run_app
from tests.support import LEX_ALIAS, PINPOINT_APP, Emulator


@pytest.fixture(autouse=True)
def environment(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Credentials and endpoint as a user's shell has them (the providers' AWS environment)."""
    for key in ("AWS_PROFILE", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", emulator.url)
    yield
    _config.configure({})


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def tags(**values: str) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in values.items()]


@pytest.fixture
def app(chime: Any) -> str:
    """An app made by hand: an admin with a phone, a user without the app's tags, an admin bot, retention."""
    arn = str(chime.create_app_instance(Name="chat", Metadata="m", Tags=tags(team="core"))["AppInstanceArn"])
    alice = chime.create_app_instance_user(
        AppInstanceArn=arn, AppInstanceUserId="alice", Name="Alice", Tags=tags(team="core", role="ops")
    )["AppInstanceUserArn"]
    chime.create_app_instance_user(
        AppInstanceArn=arn,
        AppInstanceUserId="bob",
        Name="Bob",
        Metadata="b",
        ExpirationSettings={"ExpirationDays": 30, "ExpirationCriterion": "CREATED_TIMESTAMP"},
    )
    chime.create_app_instance_user(AppInstanceArn=arn, AppInstanceUserId="team-carol", Name="Carol")
    chime.create_app_instance_admin(AppInstanceArn=arn, AppInstanceAdminArn=alice)
    bot = chime.create_app_instance_bot(
        AppInstanceArn=arn,
        Name="Helper Bot",
        Tags=tags(team="core"),
        Configuration={"Lex": {"LexBotAliasArn": LEX_ALIAS, "LocaleId": "en_US", "WelcomeIntent": "Hi"}},
    )["AppInstanceBotArn"]
    chime.create_app_instance_admin(AppInstanceArn=arn, AppInstanceAdminArn=bot)
    chime.put_app_instance_retention_settings(
        AppInstanceArn=arn, AppInstanceRetentionSettings={"ChannelRetentionSettings": {"RetentionDays": 30}}
    )
    chime.register_app_instance_user_endpoint(
        AppInstanceUserArn=alice,
        Name="phone",
        Type="GCM",
        ResourceArn=PINPOINT_APP,
        EndpointAttributes={"DeviceToken": "alice-device-token"},
        AllowMessages="NONE",
    )
    return arn


def bot_id(chime: Any, arn: str) -> str:
    (bot,) = chime.list_app_instance_bots(AppInstanceArn=arn)["AppInstanceBots"]
    return str(bot["AppInstanceBotArn"]).partition("/bot/")[2]


def test_lists_app_instances_with_their_counts(app: str, chime: Any) -> None:
    chime.create_app_instance(Name="empty")
    status, out, err = run()
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["ARN", "NAME", "USERS", "BOTS", "ADMINS", "ENDPOINTS", "RETENTION"]
    rows = {line.split()[1]: line.split() for line in lines[1:]}
    assert rows["chat"] == [app, "chat", "3", "1", "2", "1", "30d"]
    assert rows["empty"][2:] == ["0", "0", "0", "0", "off"]
    assert err.startswith("chime-identity-import: 2 AppInstances; ")


def test_writes_a_spec_with_the_admins_and_live_values(app: str, chime: Any, emulator: Emulator) -> None:
    start = len(emulator.requests())
    status, out, err = run(app)
    operations = emulator.operations(start)
    assert status == 0, err
    assert out.startswith(f"# MessagingApp spec written by chime-identity-import from {app}.\n")
    assert yaml.safe_load(out) == {
        "adopt_id": app,
        "name": "chat",
        "metadata": "m",
        "tags": {"team": "core"},
        "retention_days": 30,
        "users": {"alice": {"adopt": True, "name": "Alice", "tags": {"role": "ops"}, "admin": True}},
        "bots": {
            "helper-bot": {
                "adopt_id": bot_id(chime, app),
                "name": "Helper Bot",
                "admin": True,
                "lex": {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US", "welcome_intent": "Hi"},
            }
        },
    }
    # Only the admin is described: no user listing, and never a write.
    assert "ListAppInstanceUsers" not in operations
    assert all(op.startswith(("Describe", "List", "Get")) for op in operations), operations
    assert err.endswith(
        f"the AppInstance, retention, 1 users, 1 bots, 2 admins, 0 endpoints; {len(operations)} requests in "
        + err.rsplit("requests in ", 1)[1]
    )


def test_the_spec_loads_and_adopts_every_resource(app: str, tmp_path: Path) -> None:
    spec = tmp_path / "team.yaml"
    assert run(app, "--users", "all", "-o", str(spec))[0] == 0
    program = run_app(lambda: MessagingApp.from_spec("team", spec))
    custom = [r for r in program.resources if r.custom]
    assert len(custom) == 8  # app, retention, 3 users, alice's admin role, the bot and its admin role
    assert all(r.inputs.get("adopt_id") for r in custom)
    users = {r.name: r.inputs for r in program.of_kind("AppInstanceUser")}
    assert users["team-alice-user"]["tags"] == {"role": "ops", "team": "core"}
    assert users["team-bob-user"].get("tags") is None, "bob has none of the app's tags"
    assert users["team-bob-user"]["expiration_settings"] == {"expiration_days": 30}
    assert users["team-bob-user"]["metadata"] == "b"


def test_users_by_pattern_or_by_id(app: str) -> None:
    status, out, err = run(app, "--user-pattern", "team-*")
    assert status == 0, err
    assert sorted(yaml.safe_load(out)["users"]) == ["alice", "team-carol"]
    assert "2 of 3 users" in err
    status, out, _ = run(app, "--user", "bob")
    assert sorted(yaml.safe_load(out)["users"]) == ["alice", "bob"], "admins always"
    assert run(app, "--user", "zoe") == (
        1,
        "",
        f"chime-identity-import: error: {app}: no user zoe in this AppInstance\n",
    )


def test_endpoints_on_request_with_tokens_in_config_lines_only(app: str, tmp_path: Path) -> None:
    spec = tmp_path / "team.json"
    status, out, err = run(app, "--endpoints", "-o", str(spec))
    assert (status, out) == (0, "")
    written = spec.read_text()
    assert "alice-device-token" not in written
    (endpoint,) = json.loads(written)["users"]["alice"]["endpoints"].values()
    assert endpoint["device_token_config"] == "alice-phone-deviceToken"
    assert endpoint["allow_messages"] == "NONE"
    assert "pulumi config set --secret alice-phone-deviceToken alice-device-token\n" in err
    assert "1 endpoints" in err


def test_stack_gets_the_tokens_as_secrets_on_stdin(app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[tuple[list[str], str]] = []

    def fake_run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        if command[:3] == ["pulumi", "config", "--json"]:
            return subprocess.CompletedProcess(command, 0, '{"chimesdkidentity:region": {"value": "us-east-1"}}', "")
        if command[:3] == ["pulumi", "stack", "export"]:
            return subprocess.CompletedProcess(command, 0, '{"deployment": {"resources": []}}', "")
        ran.append((command, kwargs["input"]))
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_run)
    status, _, err = run(app, "--endpoints", "--stack", "dev", "-o", str(tmp_path / "team.yaml"))
    assert status == 0, err
    assert ran == [
        (["pulumi", "config", "set", "--secret", "--stack", "dev", "alice-phone-deviceToken"], "alice-device-token")
    ]
    assert "alice-device-token" not in err


def test_entries_the_stack_made_itself_lose_their_adoption_marks() -> None:
    arn = "arn:aws:chime:us-east-1:123456789012:app-instance/app"
    spec = {
        "adopt_id": arn,
        "users": {
            "alice": {"adopt": True, "endpoints": {"phone": {"adopt_id": "e1"}}},  # adopted, with her phone
            "dave": {"adopt": True, "endpoints": {"tablet": {"adopt_id": "e2"}}},  # the stack made both
            "erin": {"adopt": True, "endpoints": {"watch": {"adopt_id": "e3"}}},  # made by the stack; watch adopted
        },
        "bots": {"helper": {"adopt_id": "b1"}, "mine": {"adopt_id": "b2"}},
    }
    made = {f"{arn}/user/dave", f"{arn}/user/dave|e2", f"{arn}/user/erin", f"{arn}/bot/b2", arn}
    unmark_made_by_stack(spec, arn, made)
    assert spec == {
        "adopt_id": arn,  # the app's mark stays: entries it holds may still be adopted
        "users": {
            "alice": {"adopt": True, "endpoints": {"phone": {"adopt_id": "e1"}}},
            "dave": {"endpoints": {"tablet": {}}},
            "erin": {"adopt": True, "endpoints": {"watch": {"adopt_id": "e3"}}},
        },
        "bots": {"helper": {"adopt_id": "b1"}, "mine": {}},
    }


def test_paginates_the_users_of_a_large_app(chime: Any, emulator: Emulator) -> None:
    arn = str(chime.create_app_instance(Name="big")["AppInstanceArn"])
    for n in range(120):
        chime.create_app_instance_user(AppInstanceArn=arn, AppInstanceUserId=f"u{n:03}", Name=f"U{n}")
    start = len(emulator.requests())
    status, out, err = run(arn, "--user-pattern", "u11*")
    assert status == 0, err
    assert sorted(yaml.safe_load(out)["users"]) == [f"u{n}" for n in range(110, 120)]
    assert emulator.operations(start).count("ListAppInstanceUsers") == 3  # 50 + 50 + 20
    assert "10 of 120 users" in err


def test_stack_config_reaches_the_api_as_the_providers_would(
    app: str, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY")
    monkeypatch.delenv("AWS_REGION")
    stack_config = {
        "chimesdkidentity:endpoint": {"value": emulator.url, "secret": False},
        "aws:region": {"value": "us-east-1", "secret": False},
        "other:key": {"value": "x", "secret": False},
    }

    def fake_run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        assert command == ["pulumi", "config", "--json", "--stack", "dev"]
        return subprocess.CompletedProcess(command, 0, json.dumps(stack_config), "")

    monkeypatch.setattr(subprocess, "run", fake_run)
    status, out, err = run("--stack", "dev")
    assert status == 0, err
    assert app in out
    assert _config.current().endpoint == emulator.url
    assert _config.current().region_source == "aws:region"


def test_a_stack_pulumi_cannot_read_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 255, "", "error: no stack named 'nope' found\n")

    monkeypatch.setattr(subprocess, "run", fake_run)
    assert run("--stack", "nope") == (
        1,
        "",
        "chime-identity-import: error: pulumi config --json --stack nope: error: no stack named 'nope' found\n",
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("arn:aws:chime:us-east-1:123456789012:app-instance/nope",),
            "arn:aws:chime:us-east-1:123456789012:"
            "app-instance/nope: no such AppInstance in this account and region (NotFoundException)",
        ),
        (
            ("arn:aws:chime:us-east-1:123456789012:app-instance/x/user/alice",),
            "not an AppInstance ARN to import: "
            "must be an AppInstance ARN (arn:aws:chime:REGION:ACCOUNT:app-instance/ID), got an AppInstanceUser ARN",
        ),
        (("--region", "us-west-2"), "Chime SDK Identity is only in us-east-1, eu-central-1, not 'us-west-2'"),
        (
            ("arn:aws:chime:ap-south-1:123456789012:app-instance/x",),
            "Chime SDK Identity is only in us-east-1, eu-central-1, not 'ap-south-1'",
        ),
        ((), "no AppInstances in us-east-1 for these credentials"),
    ],
)
def test_failures_are_one_line(argv: tuple[str, ...], message: str) -> None:
    assert run(*argv) == (1, "", f"chime-identity-import: error: {message}\n")


def test_an_inaccessible_app_instance_is_one_line(app: str, emulator: Emulator) -> None:
    other_account = app.replace("123456789012", "210987654321")
    status, _, err = run(other_account)
    assert status == 1
    assert err.count("\n") == 1
    assert err.startswith(f"chime-identity-import: error: {other_account}: ")


def test_an_empty_app_instance_is_refused_unless_allowed(chime: Any) -> None:
    arn = str(chime.create_app_instance(Name="empty")["AppInstanceArn"])
    assert run(arn) == (
        1,
        "",
        f"chime-identity-import: error: {arn}: the AppInstance is empty (no users or bots); pass --allow-empty to "
        "adopt it alone\n",
    )
    status, out, _ = run(arn, "--allow-empty")
    assert status == 0
    assert yaml.safe_load(out) == {"adopt_id": arn, "name": "empty"}
    load(yaml.safe_load(out))

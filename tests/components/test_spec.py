"""MessagingApp.from_spec: YAML, JSON and dict specs, secret config, and one SpecError listing every problem."""

from __future__ import annotations

import json
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from pulumi_chime_sdk_identity.components import MessagingApp, SpecError
from pulumi_chime_sdk_identity.components._spec import load
from tests.components.pulumi_mocks import Program, run, run_app
from tests.support import LEX_ALIAS, PINPOINT_APP

EXAMPLE = Path(__file__).parents[2] / "examples" / "from_spec"

TEAM_YAML = f"""\
name: team-chat
tags: {{project: chat}}
region: us-east-1
retention_days: 90
users:
  alice:
    name: Alice
    admin: true
    tags: {{owner: alice}}
    endpoints:
      phone:
        type: GCM
        resource_arn: {PINPOINT_APP}
        device_token: literal-token
        name: Pixel
        allow_messages: NONE
  bob:
    name: Bob
    expiration_days: 30
bots:
  helper:
    name: Helper
    admin: true
    lex:
      bot_alias_arn: {LEX_ALIAS}
      locale_id: en_US
      welcome_intent: Welcome
      invoked_by: {{standard_messages: MENTIONS, targeted_messages: ALL}}
"""


def _spec() -> dict[str, Any]:
    return dict(yaml.safe_load(TEAM_YAML))


def _from_spec(source: Any, name: str = "team") -> Program:
    return run_app(lambda: MessagingApp.from_spec(name, source))


def _problems(source: Any) -> list[str]:
    with pytest.raises(SpecError) as error:
        _from_spec(source)
    assert str(error.value) == "\n".join(error.value.problems)
    assert isinstance(error.value, ValueError)
    return list(error.value.problems)


class StackConfig:
    """Sets stack configuration as `pulumi config set --secret` would (the mocks' project is ``project``)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.secret: list[str] = []

    def __setitem__(self, key: str, value: str) -> None:
        self.values[key] = value
        self.secret.append(key)
        pulumi.runtime.set_all_config(self.values, self.secret)

    def set_plain(self, key: str, value: str) -> None:
        """As `pulumi config set` without --secret would."""
        self.values[key] = value
        pulumi.runtime.set_all_config(self.values, self.secret)


@pytest.fixture
def stack_config() -> Iterator[StackConfig]:
    """Empty stack configuration for the test, emptied again afterwards."""
    pulumi.runtime.set_all_config({}, [])
    yield StackConfig()
    pulumi.runtime.set_all_config({}, [])


def _write(tmp_path: Path, text: str, filename: str = "team.yaml") -> Path:
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    return path


def test_a_yaml_file_builds_the_whole_app(tmp_path: Path) -> None:
    program = _from_spec(_write(tmp_path, TEAM_YAML))

    assert program.names() == {
        "team",
        "team-app",
        "team-retention",
        "team-alice-user",
        "team-alice-admin",
        "team-alice-endpoint-phone",
        "team-bob-user",
        "team-bot-helper",
        "team-bot-helper-admin",
    }
    assert program.named("team-app").inputs == {"name": "team-chat", "tags": {"project": "chat"}, "region": "us-east-1"}
    assert program.named("team-retention").inputs["channel_retention_days"] == 90.0
    assert program.named("team-alice-user").inputs["tags"] == {"project": "chat", "owner": "alice"}
    assert program.named("team-bob-user").inputs["expiration_settings"] == {"expiration_days": 30.0}
    endpoint = program.named("team-alice-endpoint-phone")
    assert endpoint.inputs["endpoint_attributes"] == {"device_token": "literal-token"}
    assert (endpoint.inputs["type"], endpoint.inputs["name"], endpoint.inputs["allow_messages"]) == (
        "GCM",
        "Pixel",
        "NONE",
    )
    assert endpoint.secret_inputs == {"endpoint_attributes"}
    assert program.named("team-bot-helper").inputs["configuration"] == {
        "lex": {
            "lex_bot_alias_arn": LEX_ALIAS,
            "locale_id": "en_US",
            "welcome_intent": "Welcome",
            "invoked_by": {"standard_messages": "MENTIONS", "targeted_messages": "ALL"},
        }
    }
    app_arn = program.outputs["app_instance_arn"]
    assert program.outputs["user_arns"] == {"alice": f"{app_arn}/user/alice", "bob": f"{app_arn}/user/bob"}
    assert set(program.outputs["bot_arns"]) == {"helper"}
    assert set(program.outputs["admin_ids"]) == {"alice", "bots/helper"}
    assert set(program.outputs["endpoint_ids"]) == {"alice/phone"}


def test_a_dict_and_a_json_file_build_the_same_app_as_the_yaml_file(tmp_path: Path) -> None:
    from_yaml = _from_spec(_write(tmp_path, TEAM_YAML))
    from_dict = _from_spec(_spec())
    from_json = _from_spec(_write(tmp_path, json.dumps(_spec()), "team.json"))

    expected = {r.name: r.inputs for r in from_yaml.resources}
    assert {r.name: r.inputs for r in from_dict.resources} == expected
    assert {r.name: r.inputs for r in from_json.resources} == expected
    assert from_dict.outputs == from_json.outputs == from_yaml.outputs


def test_a_bots_lex_block_takes_the_providers_key_or_the_spelling_of_0_1() -> None:
    spec = _spec()
    lex = spec["bots"]["helper"]["lex"]
    lex["lex_bot_alias_arn"] = lex.pop("bot_alias_arn")

    first, second = _from_spec(_spec()), _from_spec(spec)
    assert {r.name: r.inputs for r in first.resources} == {r.name: r.inputs for r in second.resources}


def test_an_empty_locale_is_refused_as_the_provider_refuses_it() -> None:
    spec = _spec()
    spec["bots"]["helper"]["lex"]["locale_id"] = ""

    assert _problems(spec) == ["<spec>: bots.helper.lex.locale_id: must be a non-empty string"]


def test_an_endpoint_without_any_device_token() -> None:
    spec = _spec()
    del spec["users"]["alice"]["endpoints"]["phone"]["device_token"]

    assert _problems(spec) == ["<spec>: users.alice.endpoints.phone.device_token: missing required key"]


def test_reordered_entries_in_the_file_give_the_same_resources() -> None:
    spec = _spec()
    spec["users"] = dict(reversed(list(spec["users"].items())))
    reordered = dict(reversed(list(spec.items())))

    first, second = _from_spec(_spec()), _from_spec(reordered)
    assert {r.name: r.inputs for r in first.resources} == {r.name: r.inputs for r in second.resources}


def test_device_token_config_reads_a_secret_from_stack_config(stack_config: StackConfig) -> None:
    stack_config["project:alicePhoneToken"] = "token-from-config"
    stack_config["other:aliceVoip"] = "voip-from-config"
    spec = _spec()
    phone = spec["users"]["alice"]["endpoints"]["phone"]
    del phone["device_token"]
    phone["device_token_config"] = "alicePhoneToken"
    phone["voip_device_token_config"] = "other:aliceVoip"

    def program() -> dict[str, Any]:
        app = MessagingApp.from_spec("team", spec)
        return {"endpoint_ids": app.endpoint_ids}

    program_run = run(program)
    endpoint = program_run.named("team-alice-endpoint-phone")
    assert endpoint.inputs["endpoint_attributes"] == {
        "device_token": "token-from-config",
        "voip_device_token": "voip-from-config",
    }
    assert endpoint.secret_inputs == {"endpoint_attributes"}


def test_config_secrets_come_back_as_secret_outputs(stack_config: StackConfig) -> None:
    stack_config["project:alicePhoneToken"] = "token-from-config"
    spec = _spec()
    phone = spec["users"]["alice"]["endpoints"]["phone"]
    del phone["device_token"]
    phone["device_token_config"] = "alicePhoneToken"

    def program() -> dict[str, Any]:
        args = load(spec)
        endpoints = args.users["alice"].endpoints
        assert endpoints is not None
        return {"token": endpoints["phone"].device_token}

    program_run = run(program)
    assert program_run.outputs["token"] == "token-from-config"
    assert program_run.secret_outputs == {"token"}


def test_missing_config_is_a_spec_error(stack_config: StackConfig) -> None:
    spec = _spec()
    phone = spec["users"]["alice"]["endpoints"]["phone"]
    del phone["device_token"]
    phone["device_token_config"] = "alicePhoneToken"

    assert _problems(spec) == [
        "<spec>: users.alice.endpoints.phone.device_token_config: configuration 'project:alicePhoneToken' "
        "is not set (pulumi config set --secret ...)"
    ]


def test_config_that_is_not_secret_is_a_spec_error(stack_config: StackConfig) -> None:
    stack_config.set_plain("project:alicePhoneToken", "token-in-plain-text")
    stack_config.set_plain("other:aliceVoip", "voip-in-plain-text")
    spec = _spec()
    phone = spec["users"]["alice"]["endpoints"]["phone"]
    del phone["device_token"]
    phone["device_token_config"] = "alicePhoneToken"
    phone["voip_device_token_config"] = "other:aliceVoip"

    problems = _problems(spec)
    assert problems == [
        "<spec>: users.alice.endpoints.phone.device_token_config: configuration 'project:alicePhoneToken' is not a "
        "secret, so the token is stored in plain text in the stack's state; set it with `pulumi config set --secret "
        "alicePhoneToken <token>`",
        "<spec>: users.alice.endpoints.phone.voip_device_token_config: configuration 'other:aliceVoip' is not a "
        "secret, so the token is stored in plain text in the stack's state; set it with `pulumi config set --secret "
        "other:aliceVoip <token>`",
    ]
    assert not any("plain-text" in line for line in problems), "the value itself is never printed"


def test_bad_enum(tmp_path: Path) -> None:
    path = _write(tmp_path, TEAM_YAML.replace("type: GCM", "type: SMS"))

    assert _problems(path) == [f"{path}: users.alice.endpoints.phone.type: must be one of APNS, APNS_SANDBOX, GCM"]


def test_the_file_is_named_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, TEAM_YAML.replace("type: GCM", "type: SMS"))
    monkeypatch.chdir(tmp_path)

    assert _problems("team.yaml") == [
        "team.yaml: users.alice.endpoints.phone.type: must be one of APNS, APNS_SANDBOX, GCM"
    ]


def test_unknown_keys(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        TEAM_YAML.replace("device_token: literal-token", "devise_token: literal-token").replace(
            "retention_days: 90", "retention_days: 90\ncolour: blue"
        ),
    )

    assert _problems(path) == [
        f"{path}: users.alice.endpoints.phone.devise_token: unknown key; did you mean device_token?",
        f"{path}: colour: unknown key; expected one of name, metadata, tags, region, retention_days, force_destroy, "
        "users, bots, adopt_id",
    ]


def test_missing_required_keys() -> None:
    spec = _spec()
    del spec["name"]
    del spec["users"]["bob"]["name"]
    del spec["bots"]["helper"]["lex"]["locale_id"]

    assert _problems(spec) == [
        "<spec>: name: missing required key",
        "<spec>: users.bob.name: missing required key",
        "<spec>: bots.helper.lex.locale_id: missing required key",
    ]


def test_bad_user_id_and_bad_keys() -> None:
    spec = _spec()
    spec["users"]["bad id!"] = spec["users"].pop("bob")
    spec["bots"]["help desk"] = spec["bots"].pop("helper")
    spec["users"]["alice"]["endpoints"]["my phone"] = spec["users"]["alice"]["endpoints"].pop("phone")

    assert _problems(spec) == [
        "<spec>: users.alice.endpoints.my phone: invalid endpoint key: "
        "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        r"<spec>: users.bad id!: invalid user id: must match the pattern "
        r"[A-Za-z0-9]([A-Za-z0-9\:\-\_\.\@]{0,62}[A-Za-z0-9])?",
        "<spec>: bots.help desk: invalid bot key: "
        "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    ]


def test_wrong_types(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        TEAM_YAML.replace("retention_days: 90", 'retention_days: "90"')
        .replace("admin: true\n    tags", "admin: sometimes\n    tags")
        .replace("name: Bob", "name: 42")
        .replace("tags: {project: chat}", "tags: {project: 7}")
        .replace("  bob:", "  1234:"),
    )

    assert _problems(path) == [
        f"{path}: tags.project: must be a string",
        f"{path}: retention_days: must be an integer",
        f"{path}: users.alice.admin: must be true or false",
        f"{path}: users.1234: invalid user id: must be a string",
        f"{path}: users.1234.name: must be a string",
    ]


def test_a_section_that_is_not_a_mapping() -> None:
    spec = _spec()
    spec["users"]["alice"]["endpoints"] = ["phone"]
    spec["bots"]["helper"]["lex"] = "lex"

    assert _problems(spec) == [
        "<spec>: users.alice.endpoints: must be a mapping",
        "<spec>: bots.helper.lex: must be a mapping",
    ]


def test_values_the_api_would_refuse() -> None:
    spec = _spec()
    spec["retention_days"] = 0
    spec["region"] = "us-west-2"
    spec["tags"] = {"aws:team": "x"}
    spec["users"]["bob"]["expiration_days"] = 6000
    spec["bots"]["helper"]["lex"]["bot_alias_arn"] = "arn:aws:lex:us-east-1:123456789012:bot-alias/short/ALIAS"

    assert _problems(spec) == [
        "<spec>: tags: tag key 'aws:team' uses the reserved prefix 'aws:'",
        "<spec>: region: Chime SDK Identity is only in us-east-1, eu-central-1, not 'us-west-2'",
        "<spec>: retention_days: must be between 1 and 5475",
        "<spec>: users.bob.expiration_days: must be between 1 and 5475",
        "<spec>: bots.helper.lex.bot_alias_arn: must match the pattern "
        r"arn:aws:lex:[a-z]{2}-[a-z]+-\d{1}:\d{12}:bot-alias/[A-Z0-9]{10}/[A-Z0-9]{10}",
    ]


def test_token_sources_are_exclusive() -> None:
    spec = _spec()
    phone = spec["users"]["alice"]["endpoints"]["phone"]
    phone["device_token_config"] = "alicePhoneToken"
    phone["voip_device_token"] = "v"
    phone["voip_device_token_config"] = "aliceVoip"

    # Every problem of the endpoint at once (issue 11): both pairs, and the config keys that are not set.
    assert _problems(spec) == [
        "<spec>: users.alice.endpoints.phone: set exactly one of device_token and device_token_config",
        "<spec>: users.alice.endpoints.phone: set at most one of voip_device_token and voip_device_token_config",
        "<spec>: users.alice.endpoints.phone.device_token_config: configuration 'project:alicePhoneToken' is not set "
        "(pulumi config set --secret ...)",
        "<spec>: users.alice.endpoints.phone.voip_device_token_config: configuration 'project:aliceVoip' is not set "
        "(pulumi config set --secret ...)",
    ]
    del phone["device_token"]
    del phone["device_token_config"]
    assert _problems(spec)[0] == (
        "<spec>: users.alice.endpoints.phone: set exactly one of device_token and device_token_config"
    )
    phone["device_token"] = "t"
    assert _problems(spec) == [
        "<spec>: users.alice.endpoints.phone: set at most one of voip_device_token and voip_device_token_config",
        "<spec>: users.alice.endpoints.phone.voip_device_token_config: configuration 'project:aliceVoip' is not set "
        "(pulumi config set --secret ...)",
    ]


def test_repeated_keys_in_a_file_are_errors(tmp_path: Path) -> None:
    yaml_path = _write(tmp_path, TEAM_YAML.replace("  bob:\n    name: Bob", "  alice:\n    name: Bob"))
    lex = json.dumps({"bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"})
    json_text = f'{{"name": "chat", "bots": {{"b": {{"lex": {lex}, "admin": true, "admin": false}}}}}}'
    json_path = _write(tmp_path, json_text, "team.json")

    assert _problems(yaml_path) == [f"{yaml_path}: users.alice: duplicate key"]
    assert _problems(json_path) == [f"{json_path}: bots.b.admin: duplicate key"]


def test_unreadable_and_unparsable_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert _problems(missing) == [f"{missing}: cannot read the file: No such file or directory"]

    text_file = _write(tmp_path, "name: chat\n", "team.txt")
    assert _problems(text_file) == [f"{text_file}: unsupported file type '.txt'; use .yaml, .yml or .json"]

    broken = _write(tmp_path, "name: chat\nusers: [unclosed\n", "broken.yml")
    (problem,) = _problems(broken)
    assert problem.startswith(f"{broken}: line 3, column 1: invalid YAML: ")

    broken_json = _write(tmp_path, '{"name": "chat",}', "broken.json")
    assert _problems(broken_json) == [
        f"{broken_json}: line 1, column 17: invalid JSON: Expecting property name enclosed in double quotes"
    ]

    empty = _write(tmp_path, "", "empty.yaml")
    assert _problems(empty) == [f"{empty}: the spec must be a mapping"]


def test_the_from_spec_example_is_valid_and_builds() -> None:
    spec = yaml.safe_load((EXAMPLE / "team.yaml").read_text(encoding="utf-8"))
    assert spec["retention_days"] == 90
    assert set(spec["users"]) == {"alice", "bob", "carol"}

    program = run(lambda: runpy.run_path(str(EXAMPLE / "__main__.py")) and None)

    assert program.names("MessagingUser") == set()  # MessagingApp declares users flat
    assert program.names("AppInstanceUser") == {"team-alice-user", "team-bob-user", "team-carol-user"}
    assert program.names("AppInstanceAdmin") == {"team-alice-admin"}
    assert program.names("AppInstanceUserEndpoint") == {"team-alice-endpoint-phone"}
    assert program.names("AppInstanceBot") == {"team-bot-helper"}
    assert program.named("team-retention").inputs["channel_retention_days"] == 90.0
    assert program.named("team-alice-endpoint-phone").inputs["resource_arn"] == PINPOINT_APP
    assert program.named("team-bot-helper").inputs["configuration"]["lex"]["lex_bot_alias_arn"] == LEX_ALIAS

"""Bad input is refused at `pulumi preview`, naming what is wrong, with no API call (issue 11).

A table of invalid inputs, each run through the real CLI as one `pulumi preview` of the data-driven `spec`
program on one shared stack: each must fail, the output must name the property (or the spec file and the
path inside it) with the reason, sensitive values must not be printed, and the emulator must have received
no request. Run with ``-s`` to see the count of cases and the slowest preview.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pulumi_chime_sdk_identity.emulator import EmulatorServer
from tests.e2e.conftest import PROGRAMS
from tests.support import LEX_ALIAS, PINPOINT_APP, Emulator
from tools.harness.engine import Stack

APP = "arn:aws:chime:us-east-1:123456789012:app-instance/11111111-2222-3333-4444-555555555555"
USER = f"{APP}/user/alice"
BOT = f"{APP}/bot/22222222-3333-4444-5555-666666666666"
STRANGER = f"{APP.replace('11111111', '99999999')}/user/eve"
WEST = APP.replace("us-east-1", "us-west-2")
LEX = {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}
PHONE = {"type": "GCM", "resource_arn": PINPOINT_APP, "device_token": "t"}
NOT_IN_REGION = "its region 'us-west-2' has no Chime SDK Identity endpoint (only us-east-1, eu-central-1)"
DEFAULT_CONFIG = {"chimesdkidentity:region": "us-east-1"}


@dataclass
class Case:
    """One invalid input: the program's resources, what the output must say, and what it must not."""

    id: str
    resources: list[dict[str, Any]]
    says: list[str]
    hides: list[str] = field(default_factory=list)
    config: dict[str, str | None] = field(default_factory=dict)
    """Stack config for this case only (None removes the key)."""
    files: dict[str, str] = field(default_factory=dict)
    """Files written into the program folder (spec files)."""


def resource(type_name: str, base: dict[str, Any], changes: dict[str, Any]) -> list[dict[str, Any]]:
    args = {key: value for key, value in {**base, **changes}.items() if value is not None}
    return [{"type": type_name, "name": "r", "args": args}]


def app(**changes: Any) -> list[dict[str, Any]]:
    return resource("AppInstance", {"name": "app"}, changes)


def user(**changes: Any) -> list[dict[str, Any]]:
    base = {"app_instance_arn": APP, "app_instance_user_id": "alice", "name": "Alice"}
    return resource("AppInstanceUser", base, changes)


def bot(lex: dict[str, Any] | None = None, **changes: Any) -> list[dict[str, Any]]:
    base = {"app_instance_arn": APP, "configuration": {"lex": {**LEX, **(lex or {})}}}
    return resource("AppInstanceBot", base, changes)


def admin(**changes: Any) -> list[dict[str, Any]]:
    return resource("AppInstanceAdmin", {"app_instance_arn": APP, "admin_arn": USER}, changes)


def endpoint(attributes: dict[str, Any] | None = None, **changes: Any) -> list[dict[str, Any]]:
    base = {
        "app_instance_user_arn": USER,
        "type": "GCM",
        "resource_arn": PINPOINT_APP,
        "endpoint_attributes": attributes or {"device_token": "token"},
    }
    return resource("AppInstanceUserEndpoint", base, changes)


def retention(**changes: Any) -> list[dict[str, Any]]:
    return resource("AppInstanceRetentionSettings", {"app_instance_arn": APP, "channel_retention_days": 30}, changes)


def chat(spec: dict[str, Any] | str) -> list[dict[str, Any]]:
    """A MessagingApp from a spec dict (problems named `<spec>: ...`) or a spec file in the program folder."""
    return [
        {"type": "MessagingApp", "name": "chat", "spec": {"name": "chat", **spec} if isinstance(spec, dict) else spec}
    ]


def alice(**changes: Any) -> dict[str, Any]:
    return {"users": {"alice": {"name": "Alice", **changes}}}


def phone(**changes: Any) -> dict[str, Any]:
    """Alice with one endpoint: PHONE with changes (None removes a key)."""
    fields = {key: value for key, value in {**PHONE, **changes}.items() if value is not None}
    return alice(endpoints={"phone": fields})


def helper(**lex: Any) -> dict[str, Any]:
    return {"bots": {"helper": {"lex": {**LEX, **lex}}}}


def whole(path: str) -> str:
    return f"{path}: must be a whole number, not "


def kind(path: str, wanted: str, got: str) -> list[str]:
    return [f"{path}: must be {wanted}", f"got {got}"]


TEAM_YAML = f"""\
name: chat
retention_days: true
users:
  alice:
    name: Alice
    admin: yes-please
    endpoints:
      phone:
        type: GCM
        resource_arn: {PINPOINT_APP}
        device_token: literal
        device_token_config: aliceToken
        voip_device_tokn: v
  bot-helper:
    name: Helper the user
    admin: true
bots:
  helper:
    admin: true
    lex:
      lex_bot_alias_arn: {LEX_ALIAS}
      locale_id: en_US
      welcome_intnet: Hello
"""

CASES = [
    # Booleans and strings are not numbers (pydantic's lax int would take True as 1, "30" as 30).
    Case("retention-true", retention(channel_retention_days=True), [whole("channel_retention_days") + "true or false"]),
    Case(
        "retention-false", retention(channel_retention_days=False), [whole("channel_retention_days") + "true or false"]
    ),
    Case("retention-string", retention(channel_retention_days="30"), [whole("channel_retention_days") + "a string"]),
    Case(
        "retention-fraction",
        retention(channel_retention_days=1.5),
        ["channel_retention_days: Input should be a valid integer"],
    ),
    Case("retention-zero", retention(channel_retention_days=0), ["channel_retention_days: must be between 1 and 5475"]),
    Case(
        "expiration-true",
        user(expiration_settings={"expiration_days": True}),
        [whole("expiration_settings.expiration_days")],
    ),
    Case(
        "expiration-string",
        user(expiration_settings={"expiration_days": "30"}),
        [whole("expiration_settings.expiration_days")],
    ),
    Case(
        "expiration-too-long",
        user(expiration_settings={"expiration_days": 5476}),
        ["expiration_settings.expiration_days: must be between 1 and 5475"],
    ),
    Case(
        "expiration-criterion",
        user(expiration_settings={"expiration_days": 30, "expiration_criterion": "LAST_ACTIVE"}),
        ["expiration_settings.expiration_criterion: must be one of CREATED_TIMESTAMP"],
    ),
    # Unknown keys at every depth, with "did you mean".
    Case(
        "expiration-critrion",
        user(expiration_settings={"expiration_days": 30, "expiration_critrion": "CREATED_TIMESTAMP"}),
        ["expiration_settings.expiration_critrion: unknown key; did you mean expiration_criterion?"],
    ),
    Case(
        "voip-device-tokn",
        endpoint({"device_token": "t", "voip_device_tokn": "v"}),
        ["endpoint_attributes.voip_device_tokn: unknown key; did you mean voip_device_token?"],
    ),
    Case(
        "device-tokn",
        endpoint({"device_tokn": "t"}),
        ["endpoint_attributes.device_tokn: unknown key; did you mean device_token?"],
    ),
    Case(
        "welcome-intnet",
        bot({"welcome_intnet": "Hello"}),
        ["configuration.lex.welcome_intnet: unknown key; did you mean welcome_intent?"],
    ),
    Case(
        "standard-mesages",
        bot({"invoked_by": {"standard_mesages": "ALL", "targeted_messages": "ALL"}}),
        ["configuration.lex.invoked_by.standard_mesages: unknown key; did you mean standard_messages?"],
    ),
    Case("lexx", bot(configuration={"lexx": LEX}), ["configuration.lexx: unknown key; did you mean lex?"]),
    Case(
        "locale-i",
        bot(configuration={"lex": {"lex_bot_alias_arn": LEX_ALIAS, "locale_i": "en_US"}}),
        ["configuration.lex.locale_i: unknown key; did you mean locale_id?"],
    ),
    # ARNs of the wrong kind.
    Case(
        "user-in-a-user",
        user(app_instance_arn=USER),
        kind("app_instance_arn", "an AppInstance ARN", "an AppInstanceUser ARN"),
    ),
    Case(
        "user-in-a-bot",
        user(app_instance_arn=BOT),
        kind("app_instance_arn", "an AppInstance ARN", "an AppInstanceBot ARN"),
    ),
    Case(
        "bot-in-a-user",
        bot(app_instance_arn=USER),
        kind("app_instance_arn", "an AppInstance ARN", "an AppInstanceUser ARN"),
    ),
    Case(
        "retention-of-a-bot",
        retention(app_instance_arn=BOT),
        kind("app_instance_arn", "an AppInstance ARN", "an AppInstanceBot ARN"),
    ),
    Case(
        "admin-in-a-user",
        admin(app_instance_arn=USER),
        kind("app_instance_arn", "an AppInstance ARN", "an AppInstanceUser ARN"),
    ),
    Case(
        "admin-an-app-instance", admin(admin_arn=APP), kind("admin_arn", "an AppInstanceUser ARN", "an AppInstance ARN")
    ),
    Case(
        "admin-a-lex-bot",
        admin(admin_arn=LEX_ALIAS),
        kind("admin_arn", "an AppInstanceUser ARN", "an ARN of service 'lex'"),
    ),
    Case(
        "admin-a-stranger",
        admin(admin_arn=STRANGER),
        ["admin_arn: must be the ARN of a user or bot of app_instance_arn, not of another AppInstance"],
    ),
    Case(
        "endpoint-of-an-app-instance",
        endpoint(app_instance_user_arn=APP),
        kind("app_instance_user_arn", "an AppInstanceUser ARN", "an AppInstance ARN"),
    ),
    Case(
        "endpoint-of-a-bot",
        endpoint(app_instance_user_arn=BOT),
        kind("app_instance_user_arn", "an AppInstanceUser ARN", "an AppInstanceBot ARN"),
    ),
    Case(
        "endpoint-resource-a-chime-arn",
        endpoint(resource_arn=APP),
        kind("resource_arn", "an Amazon Pinpoint app ARN", "an AppInstance ARN"),
    ),
    # Regions without the service: in a parent ARN, in stack config, as the input.
    Case("user-region", user(app_instance_arn=WEST), [f"app_instance_arn: {NOT_IN_REGION}"]),
    Case("bot-region", bot(app_instance_arn=WEST), [f"app_instance_arn: {NOT_IN_REGION}"]),
    Case("retention-region", retention(app_instance_arn=WEST), [f"app_instance_arn: {NOT_IN_REGION}"]),
    Case(
        "admin-region",
        admin(app_instance_arn=WEST, admin_arn=f"{WEST}/user/alice"),
        [f"app_instance_arn: {NOT_IN_REGION}", f"admin_arn: {NOT_IN_REGION}"],
    ),
    Case(
        "endpoint-region",
        endpoint(app_instance_user_arn=f"{WEST}/user/alice"),
        [f"app_instance_user_arn: {NOT_IN_REGION}"],
    ),
    Case(
        "region-input",
        app(region="us-west-2"),
        ["region: Chime SDK Identity is only in us-east-1, eu-central-1, not 'us-west-2'"],
    ),
    Case(
        "config-chimesdkidentity-region",
        app(),
        [
            "region: not set, so the AppInstance would be made in 'us-west-2' from chimesdkidentity:region",
            "pulumi config set chimesdkidentity:region us-east-1",
        ],
        config={"chimesdkidentity:region": "us-west-2"},
    ),
    Case(
        "config-aws-region",
        app(),
        ["region: not set, so the AppInstance would be made in 'ap-south-1' from aws:region"],
        config={"chimesdkidentity:region": None, "aws:region": "ap-south-1"},
    ),
    Case(
        "config-region-messaging-app",
        chat(alice()),
        ["region: not set, so the AppInstance would be made in 'eu-west-1' from chimesdkidentity:region"],
        config={"chimesdkidentity:region": "eu-west-1"},
    ),
    # Malformed adopt_id, for each kind of ID.
    Case("adopt-app-instance", app(adopt_id="not-an-arn"), ["adopt_id: must be an AppInstance ARN"]),
    Case(
        "adopt-app-instance-a-user",
        app(adopt_id=USER),
        kind("adopt_id", "an AppInstance ARN", "an AppInstanceUser ARN"),
    ),
    Case("adopt-user", user(adopt_id="not-an-arn"), ["adopt_id: must be an AppInstanceUser ARN"]),
    Case(
        "adopt-user-an-app-instance",
        user(adopt_id=APP),
        kind("adopt_id", "an AppInstanceUser ARN", "an AppInstance ARN"),
    ),
    Case("adopt-bot", bot(adopt_id="not-an-arn"), ["adopt_id: must be an AppInstanceBot ARN"]),
    Case("adopt-bot-a-user", bot(adopt_id=USER), kind("adopt_id", "an AppInstanceBot ARN", "an AppInstanceUser ARN")),
    Case(
        "adopt-admin",
        admin(adopt_id="not-an-arn"),
        ["adopt_id: must be '<AppInstance ARN>|<user or bot ARN>', the ID of an AppInstanceAdmin: has no '|'"],
    ),
    Case(
        "adopt-admin-stranger",
        admin(adopt_id=f"{APP}|{STRANGER}"),
        ["adopt_id: must be '<AppInstance ARN>|<user or bot ARN>'", "names a user or bot of another AppInstance"],
    ),
    Case(
        "adopt-endpoint",
        endpoint(adopt_id="not-an-arn"),
        ["adopt_id: must be '<user ARN>|<endpoint ID>', the ID of an AppInstanceUserEndpoint: has no '|'"],
    ),
    Case(
        "adopt-endpoint-no-id",
        endpoint(adopt_id=f"{USER}|"),
        ["adopt_id: must be '<user ARN>|<endpoint ID>'", "has no endpoint ID after '|'"],
    ),
    Case("adopt-retention", retention(adopt_id="not-an-arn"), ["adopt_id: must be an AppInstance ARN"]),
    # Values the service model marks sensitive: named in the reason, never printed.
    Case(
        "sensitive-metadata",
        app(metadata="SECRET-META-" + "m" * 2000),
        ["metadata: must be at most 1024 bytes of UTF-8"],
        hides=["SECRET-META", "property metadata value"],
    ),
    Case(
        "sensitive-app-name",
        app(name="SECRET-NAME-" + "n" * 300),
        ["name: must be at most 256 characters"],
        hides=["SECRET-NAME", "property name value"],
    ),
    Case(
        "sensitive-tags",
        app(tags={"SECRET-TAG-" + "k" * 200: "v"}),
        ["tags: tag key must be at most 128 characters"],
        hides=["SECRET-TAG", "property tags value"],
    ),
    Case(
        "sensitive-user-id",
        user(app_instance_user_id="SECRET user id"),
        ["app_instance_user_id: must match the pattern"],
        hides=["SECRET user", "property app_instance_user_id value"],
    ),
    Case(
        "sensitive-user-metadata",
        user(metadata="SECRET-META-" + "m" * 2000),
        ["metadata: must be at most 1024 bytes of UTF-8"],
        hides=["SECRET-META"],
    ),
    Case(
        "sensitive-bot-name",
        bot(name="SECRET-NAME-" + "n" * 300),
        ["name: must be at most 256 characters"],
        hides=["SECRET-NAME"],
    ),
    Case(
        "sensitive-endpoint-name",
        endpoint(name="SECRET-NAME-" + "n" * 1600),
        ["name: must be at most 1600 characters"],
        hides=["SECRET-NAME"],
    ),
    Case(
        "sensitive-device-token",
        endpoint({"device_token": "SECRET-TOKEN-" + "t" * 1600}),
        ["endpoint_attributes.device_token: must be at most 1600 characters"],
        hides=["SECRET-TOKEN"],
    ),
    # The API's own limits, as before.
    Case("empty-app-name", app(name=""), ["name: must not be empty"]),
    Case("reserved-tag", app(tags={"aws:owner": "x"}), ["tags: tag key 'aws:owner' uses the reserved prefix 'aws:'"]),
    Case("endpoint-type", endpoint(type="SMS"), ["type: must be one of APNS, APNS_SANDBOX, GCM"]),
    Case("allow-messages", endpoint(allow_messages="SOME"), ["allow_messages: must be one of ALL, NONE"]),
    Case(
        "lex-alias",
        bot({"lex_bot_alias_arn": "arn:aws:lex:us-east-1:123456789012:bot/ABC"}),
        ["configuration.lex.lex_bot_alias_arn: must match the pattern"],
    ),
    Case("locale-empty", bot({"locale_id": ""}), ["configuration.lex.locale_id: must be a non-empty string"]),
    # MessagingApp specs: the spec and the path inside it, every problem at once.
    Case("spec-retention-true", chat({"retention_days": True}), ["<spec>: retention_days: must be an integer"]),
    Case("spec-retention-string", chat({"retention_days": "30"}), ["<spec>: retention_days: must be an integer"]),
    Case(
        "spec-expiration-true",
        chat(alice(expiration_days=True)),
        ["<spec>: users.alice.expiration_days: must be an integer"],
    ),
    Case(
        "spec-expiration-string",
        chat(alice(expiration_days="30")),
        ["<spec>: users.alice.expiration_days: must be an integer"],
    ),
    Case("spec-admin-string", chat(alice(admin="yes")), ["<spec>: users.alice.admin: must be true or false"]),
    Case(
        "spec-voip-device-tokn",
        chat(phone(voip_device_tokn="v")),
        ["<spec>: users.alice.endpoints.phone.voip_device_tokn: unknown key; did you mean voip_device_token?"],
    ),
    Case(
        "spec-welcome-intnet",
        chat(helper(welcome_intnet="Hello")),
        ["<spec>: bots.helper.lex.welcome_intnet: unknown key; did you mean welcome_intent?"],
    ),
    Case(
        "spec-standard-mesages",
        chat(helper(invoked_by={"standard_mesages": "ALL", "targeted_messages": "ALL"})),
        ["<spec>: bots.helper.lex.invoked_by.standard_mesages: unknown key; did you mean standard_messages?"],
    ),
    Case(
        "spec-user-nmae",
        chat({"users": {"alice": {"nmae": "Alice"}}}),
        ["<spec>: users.alice.nmae: unknown key; did you mean name?"],
    ),
    Case(
        "spec-retention-dayz",
        chat({"retention_dayz": 30}),
        ["<spec>: retention_dayz: unknown key; did you mean retention_days?"],
    ),
    Case(
        "spec-resource-arn",
        chat(phone(resource_arn=APP)),
        ["<spec>: users.alice.endpoints.phone.resource_arn: must be an Amazon Pinpoint app ARN"],
    ),
    Case(
        "spec-endpoint-type",
        chat(phone(type="SMS")),
        ["<spec>: users.alice.endpoints.phone.type: must be one of APNS, APNS_SANDBOX, GCM"],
    ),
    Case(
        "spec-region",
        chat({"region": "us-west-2"}),
        ["<spec>: region: Chime SDK Identity is only in us-east-1, eu-central-1, not 'us-west-2'"],
    ),
    Case(
        "spec-admin-names-clash",
        chat({"users": {"bot-helper": {"name": "U", "admin": True}}, "bots": {"helper": {"lex": LEX, "admin": True}}}),
        [
            "<spec>: bots.helper.admin: makes the AppInstanceAdmin 'chat-bot-helper-admin', "
            "which users.bot-helper.admin makes too"
        ],
        hides=["Duplicate resource URN"],
    ),
    Case(
        "spec-endpoint-names-clash",
        chat(
            {
                "users": {
                    "a": {"name": "A", "endpoints": {"x-endpoint-y": PHONE}},
                    "a-endpoint-x": {"name": "B", "endpoints": {"y": PHONE}},
                }
            }
        ),
        [
            "<spec>: users.a-endpoint-x.endpoints.y: makes the AppInstanceUserEndpoint "
            "'chat-a-endpoint-x-endpoint-y', which users.a.endpoints.x-endpoint-y makes too"
        ],
        hides=["Duplicate resource URN"],
    ),
    Case(
        "spec-both-device-tokens-and-more",
        chat({"retention_days": 0, **phone(device_token_config="aliceToken", type="SMS")}),
        [
            "<spec>: users.alice.endpoints.phone: set exactly one of device_token and device_token_config",
            "<spec>: users.alice.endpoints.phone.device_token_config: configuration",
            "<spec>: retention_days: must be between 1 and 5475",
            "<spec>: users.alice.endpoints.phone.type: must be one of APNS, APNS_SANDBOX, GCM",
        ],
    ),
    Case(
        "spec-device-token-config-not-secret",
        chat(phone(device_token=None, device_token_config="aliceToken")),
        [
            "<spec>: users.alice.endpoints.phone.device_token_config: configuration",
            "is not a secret, so the token is stored in plain text in the stack's state; set it with "
            "`pulumi config set --secret aliceToken <token>`",
        ],
        hides=["token-in-plain-text"],
        config={"aliceToken": "token-in-plain-text"},
    ),
    Case(
        "spec-file-every-problem-at-once",
        chat("team.yaml"),
        [
            "team.yaml: retention_days: must be an integer",
            "team.yaml: users.alice.admin: must be true or false",
            "team.yaml: users.alice.endpoints.phone: set exactly one of device_token and device_token_config",
            "team.yaml: users.alice.endpoints.phone.voip_device_tokn: unknown key; did you mean voip_device_token?",
            "team.yaml: bots.helper.lex.welcome_intnet: unknown key; did you mean welcome_intent?",
            "team.yaml: bots.helper.admin: makes the AppInstanceAdmin 'chat-bot-helper-admin', "
            "which users.bot-helper.admin makes too",
        ],
        files={"team.yaml": TEAM_YAML},
    ),
]


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)


@pytest.fixture(scope="module")
def timings() -> Iterator[Timings]:
    found = Timings()
    yield found
    if found.seconds:
        slowest = max(found.seconds, key=found.seconds.__getitem__)
        print(
            f"\ninvalid-input previews: {len(found.seconds)} cases, slowest {found.seconds[slowest]:.1f} s "
            f"({slowest}), total {sum(found.seconds.values()):.0f} s"
        )


@pytest.fixture(scope="module")
def shared(
    engine: dict[str, str], emulator_server: EmulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Stack, Emulator]]:
    """One stack of the `spec` program for every case: a preview per case, no stack per case."""
    stack = Stack(PROGRAMS / "spec", tmp_path_factory.mktemp("invalid"), engine, emulator_server.url, program="spec")
    yield stack, Emulator(emulator_server)
    stack.remove()


def test_the_table_has_at_least_60_cases() -> None:
    assert len(CASES) >= 60
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_invalid_input_fails_preview_naming_it_with_no_api_call(
    case: Case, shared: tuple[Stack, Emulator], timings: Timings
) -> None:
    stack, emulator = shared
    for name, text in case.files.items():
        (Path(stack.dir) / name).write_text(text)
    for key, value in case.config.items():
        if value is None:
            stack.run("config", "rm", key)
        else:
            stack.set_config(key, value)
    stack.declare(*case.resources)
    start = len(emulator.requests())
    began = time.monotonic()
    try:
        result = stack.preview(check=False)
    finally:
        timings.seconds[case.id] = time.monotonic() - began
        for key in case.config:
            stack.run("config", "rm", key, check=False)
        for key, value in DEFAULT_CONFIG.items():
            if key in case.config:
                stack.set_config(key, value)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    missing = [text for text in case.says if text not in output]
    assert not missing, f"{missing} not in:\n{output}"
    shown = [text for text in case.hides if text in output]
    assert not shown, f"{shown} printed:\n{output}"
    assert emulator.operations(start) == []

"""The package schema other languages see, and arguments from the wire: both derived from the one schema."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import pulumi
import pytest

from pulumi_chime_sdk_identity.components import (
    BotArgs,
    EndpointArgs,
    MessagingAppArgs,
    MessagingUserArgs,
    UserArgs,
    _wire,
    provider,
)
from pulumi_chime_sdk_identity.dynamic_providers import InvokedByArgs, LexConfigurationArgs
from tests.support import LEX_ALIAS, PINPOINT_APP

SCHEMA = provider.schema()
TYPES = SCHEMA["types"]
APP = SCHEMA["resources"]["chime-sdk-identity:index:MessagingApp"]
USER = SCHEMA["resources"]["chime-sdk-identity:index:MessagingUser"]


def fields(source: type) -> set[str]:
    if dataclasses.is_dataclass(source):
        return {item.name for item in dataclasses.fields(source)}
    return set(typing.get_type_hints(source))


@pytest.mark.parametrize(
    ("source", "properties"),
    [
        (MessagingAppArgs, {name for name in APP["inputProperties"] if name != "specFile"}),
        (MessagingUserArgs, set(USER["inputProperties"])),
        (UserArgs, set(TYPES["chime-sdk-identity:index:User"]["properties"])),
        (EndpointArgs, set(TYPES["chime-sdk-identity:index:Endpoint"]["properties"])),
        (BotArgs, set(TYPES["chime-sdk-identity:index:Bot"]["properties"])),
        (LexConfigurationArgs, set(TYPES["chime-sdk-identity:index:LexConfiguration"]["properties"])),
        (InvokedByArgs, set(TYPES["chime-sdk-identity:index:InvokedBy"]["properties"])),
    ],
)
def test_every_field_of_every_argument_type_is_in_the_schema_in_camel_case(source: type, properties: set[str]) -> None:
    assert properties == {_wire.wire_name(name) for name in fields(source)}


def test_the_schema_types_come_from_the_evaluated_annotations() -> None:
    # Pulumi's own component analyzer reads annotations as strings under `from __future__ import annotations`, and
    # knows neither Annotated nor these nested mappings: the schema here is built from the evaluated hints.
    inputs = APP["inputProperties"]
    assert inputs["retentionDays"] == {"type": "integer", "description": inputs["retentionDays"]["description"]}
    assert inputs["tags"]["additionalProperties"] == {"type": "string"}
    assert inputs["users"]["plain"] is True  # its keys decide which resources exist
    assert inputs["users"]["additionalProperties"] == {"$ref": "#/types/chime-sdk-identity:index:User"}
    user = TYPES["chime-sdk-identity:index:User"]
    assert user["required"] == ["name"]
    assert user["properties"]["admin"]["plain"] is True
    assert user["properties"]["expirationDays"]["type"] == "integer"
    assert "plain" not in user["properties"]["name"]
    endpoint = TYPES["chime-sdk-identity:index:Endpoint"]["properties"]
    assert endpoint["deviceToken"]["secret"] is True
    assert endpoint["voipDeviceToken"]["secret"] is True
    assert not any(prop.get("secret") for name, prop in endpoint.items() if not name.endswith("eviceToken"))
    lex = TYPES["chime-sdk-identity:index:LexConfiguration"]
    assert sorted(lex["required"]) == ["lexBotAliasArn", "localeId"]
    assert lex["properties"]["invokedBy"]["$ref"] == "#/types/chime-sdk-identity:index:InvokedBy"


def test_descriptions_are_the_docstrings_in_the_sdks_spelling() -> None:
    description = APP["inputProperties"]["adoptId"]["description"]
    assert "`retentionDays`" in description
    assert "retention_days" not in description
    assert TYPES["chime-sdk-identity:index:Bot"]["description"].startswith("An Amazon Lex bot")
    assert "BotArgs(" not in TYPES["chime-sdk-identity:index:Bot"]["description"]  # no Python example


def test_outputs_and_versions() -> None:
    assert set(APP["properties"]) == {"appInstanceArn", "userArns", "botArns", "adminIds", "endpointIds"}
    assert "adminId" not in USER["required"]  # None when the user is not an admin
    assert SCHEMA["version"] == provider.version()
    assert APP["requiredInputs"] == []  # a specFile alone is enough
    assert sorted(USER["requiredInputs"]) == ["appInstanceArn", "name", "userId"]


WIRE_APP: dict[str, Any] = {
    "name": "chat",
    "retentionDays": 30.0,
    "tags": {"project": "chat"},
    "users": {
        "alice": {
            "name": "Alice",
            "admin": True,
            "expirationDays": 365.0,
            "endpoints": {"phone": {"type": "GCM", "resourceArn": PINPOINT_APP, "deviceToken": "token"}},
        },
    },
    "bots": {"helper": {"lex": {"lexBotAliasArn": LEX_ALIAS, "localeId": "en_US"}, "admin": True}},
}


def test_wire_inputs_become_the_argument_dataclasses_with_whole_numbers_as_ints() -> None:
    args, problems = _wire.decode(MessagingAppArgs, WIRE_APP, _wire.app_entry_problems("app"))
    assert problems == []
    assert isinstance(args, MessagingAppArgs)
    assert args.retention_days == 30
    assert type(args.retention_days) is int
    alice = args.users["alice"]
    assert isinstance(alice, UserArgs)
    assert alice.expiration_days == 365
    assert type(alice.expiration_days) is int
    assert isinstance(alice.endpoints["phone"], EndpointArgs)
    assert alice.endpoints["phone"].resource_arn == PINPOINT_APP
    assert isinstance(args.bots["helper"], BotArgs)
    assert args.bots["helper"].lex == {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}


def test_problems_are_named_as_the_wire_spells_them() -> None:
    bad = {
        **WIRE_APP,
        "retentionDays": 30.5,
        "users": {
            "bad id": {"name": "X"},
            "a.b": {"name": "A", "adopt": True, "expirationDays": 0},
            "bob": {"naem": "Bob"},
        },
    }
    _, problems = _wire.decode(MessagingAppArgs, bad, _wire.app_entry_problems("app"))
    assert ("retentionDays", "must be an integer") in problems
    assert ("users.a.b.expirationDays", "must be between 1 and 5475") in problems
    assert ("users.bob.naem", "unknown key; did you mean name?") in problems
    assert ("users.bob", "missing required key") not in problems  # the misspelt key is reported once
    assert any(path == "users.bad id" and reason.startswith("invalid user id") for path, reason in problems)
    # the component's own checks between entries, with a key that holds a dot, and field names in the reason
    assert (
        "users.a.b.adopt",
        "needs the app's adoptId: an AppInstance made by this stack has no users to adopt yet",
    ) in problems


def test_values_not_known_yet_pass_and_a_flag_must_be_plain() -> None:
    later = pulumi.Output.from_input("Alice")
    args, problems = _wire.decode(MessagingAppArgs, {"name": "chat", "users": {"alice": {"name": later}}})
    assert problems == []
    assert args.users["alice"].name is later
    flag = pulumi.Output.from_input(True)
    _, problems = _wire.decode(MessagingAppArgs, {"name": "chat", "users": {"alice": {"name": "A", "admin": flag}}})
    assert problems == [("users.alice.admin", "must be a plain bool (not an Output): it decides which resources exist")]

"""Adoption in MessagingApp and MessagingUser: the IDs each child adopts, and what adoption refuses, by field."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_chime_sdk_identity.components import (
    BotArgs,
    EndpointArgs,
    MessagingApp,
    MessagingAppArgs,
    MessagingUser,
    MessagingUserArgs,
    SpecError,
    UserArgs,
)
from pulumi_chime_sdk_identity.components._spec import load
from tests.components.pulumi_mocks import Program, run, run_app
from tests.support import LEX_ALIAS, PINPOINT_APP

APP = "arn:aws:chime:us-east-1:123456789012:app-instance/11111111-2222-3333-4444-555555555555"
BOT_ID = "0f0e0d0c-0b0a-0908-0706-050403020100"
ENDPOINT_ID = "651bcc8c22ba428995a80bb6bc6142d3"
LEX = {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}

SPEC: dict[str, Any] = {
    "adopt_id": APP,
    "name": "chat",
    "tags": {"team": "core"},
    "retention_days": 30,
    "users": {
        "alice": {
            "adopt": True,
            "name": "Alice",
            "admin": True,
            "endpoints": {
                "phone": {
                    "adopt_id": ENDPOINT_ID,
                    "type": "GCM",
                    "resource_arn": PINPOINT_APP,
                    "device_token": "t",
                },
            },
        },
        "bob": {"adopt": True, "name": "Bob", "inherit_tags": False},
        "carol": {"name": "Carol"},
    },
    "bots": {"helper": {"adopt_id": BOT_ID, "admin": True, "lex": LEX, "tags": {"kind": "bot"}}},
}


def _adopted(program: Program) -> dict[str, Any]:
    return {r.name: r.inputs.get("adopt_id") for r in program.resources if r.custom}


def test_a_spec_names_what_each_child_adopts() -> None:
    program = run_app(lambda: MessagingApp.from_spec("team", SPEC))
    alice = f"{APP}/user/alice"
    bot = f"{APP}/bot/{BOT_ID}"
    assert _adopted(program) == {
        "team-app": APP,
        "team-retention": APP,
        "team-alice-user": alice,
        "team-alice-admin": f"{APP}|{alice}",
        "team-alice-endpoint-phone": f"{alice}|{ENDPOINT_ID}",
        "team-bob-user": f"{APP}/user/bob",
        "team-carol-user": None,  # not marked: created, and refused at preview if it exists
        "team-bot-helper": bot,
        "team-bot-helper-admin": f"{APP}|{bot}",
    }
    tags = {r.name: r.inputs.get("tags") for r in program.resources if r.kind in ("AppInstanceUser", "AppInstanceBot")}
    assert tags == {
        "team-alice-user": {"team": "core"},
        "team-bob-user": None,  # inherit_tags: false and no own tags: none at all
        "team-carol-user": {"team": "core"},
        "team-bot-helper": {"kind": "bot", "team": "core"},
    }


def test_typed_args_adopt_the_same_as_the_spec() -> None:
    phone = EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token="t", adopt_id=ENDPOINT_ID)
    args = MessagingAppArgs(
        name="chat",
        tags={"team": "core"},
        retention_days=30,
        adopt_id=APP,
        users={
            "alice": UserArgs(name="Alice", admin=True, adopt=True, endpoints={"phone": phone}),
            "bob": UserArgs(name="Bob", adopt=True, inherit_tags=False),
            "carol": UserArgs(name="Carol"),
        },
        bots={"helper": BotArgs(lex=LEX, admin=True, adopt_id=BOT_ID, tags={"kind": "bot"})},
    )
    typed = run_app(lambda: MessagingApp("team", args))
    assert _adopted(typed) == _adopted(run_app(lambda: MessagingApp.from_spec("team", SPEC)))


def test_messaging_user_adopts_from_its_app_instance_arn() -> None:
    phone = EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token="t", adopt_id=ENDPOINT_ID)

    def program() -> dict[str, Any]:
        args = MessagingUserArgs(
            app_instance_arn=APP, user_id="alice", name="Alice", admin=True, adopt=True, endpoints={"phone": phone}
        )
        return {"arn": MessagingUser("alice", args).arn}

    alice = f"{APP}/user/alice"
    assert _adopted(run(program)) == {
        "alice-user": alice,
        "alice-admin": f"{APP}|{alice}",
        "alice-endpoint-phone": f"{alice}|{ENDPOINT_ID}",
    }


def test_adoption_under_something_new_is_refused_naming_the_field_to_set() -> None:
    spec = {
        **SPEC,
        "users": {
            **SPEC["users"],
            "carol": {
                "name": "Carol",
                "endpoints": {
                    "p": {"adopt_id": ENDPOINT_ID, "type": "GCM", "resource_arn": PINPOINT_APP, "device_token": "t"}
                },
            },
        },
    }
    del spec["adopt_id"]
    with pytest.raises(SpecError) as caught:
        load(spec)
    new_app = "needs the app's adopt_id: an AppInstance made by this stack has no {} to adopt yet"
    assert caught.value.problems == (
        f"<spec>: users.alice.adopt: {new_app.format('users')}",
        f"<spec>: users.bob.adopt: {new_app.format('users')}",
        "<spec>: users.carol.endpoints.p.adopt_id: needs users.carol.adopt: true: a user made by this stack has no "
        "endpoints to adopt yet",
        f"<spec>: bots.helper.adopt_id: {new_app.format('bots')}",
    )
    with pytest.raises(ValueError, match=r"users\.bob\.adopt: needs the app's adopt_id"):
        MessagingApp("team", MessagingAppArgs(name="chat", users={"bob": UserArgs(name="Bob", adopt=True)}))


def test_invalid_adoption_inputs_are_refused_by_path() -> None:
    spec = {
        **SPEC,
        "adopt_id": f"{APP}/user/alice",
        "users": {"alice": {"name": "Alice", "adopt": "yes"}},
        "bots": {
            "a": {"adopt_id": f"{APP}/bot/{BOT_ID}", "lex": LEX},
            "b": {"adopt_id": "x y", "lex": LEX},
            "c": {"adopt_id": BOT_ID, "lex": LEX},
            "d": {"adopt_id": BOT_ID, "lex": LEX},
        },
    }
    with pytest.raises(SpecError) as caught:
        load(spec, "team")
    assert caught.value.problems == (
        "<spec>: users.alice.adopt: must be true or false",
        "<spec>: bots.a.adopt_id: must be the ID alone (the part after '/bot/' in a bot's ARN, after '|' in an "
        "endpoint's ID)",
        "<spec>: bots.b.adopt_id: must be 1-64 characters without '/', '|', ':' or spaces",
        "<spec>: adopt_id: must be an AppInstance ARN (arn:aws:chime:REGION:ACCOUNT:app-instance/ID), got an "
        "AppInstanceUser ARN",
        "<spec>: bots.d.adopt_id: names the bot bots.c adopts too",
    )


def test_a_region_without_the_service_in_the_adopted_arn_is_refused() -> None:
    other = APP.replace("us-east-1", "us-west-2")
    with pytest.raises(SpecError, match=r"<spec>: adopt_id: its region 'us-west-2' has no Chime SDK Identity"):
        load({"name": "chat", "adopt_id": other})

"""Bad component input is refused before anything is declared, every problem at once, in the component's terms.

Numbers that are bools or strings, unknown keys at every depth, ARNs of the wrong kind, and two entries whose
resources would share a name (which the engine would otherwise stop at with ``Duplicate resource URN``).
"""

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
    _names,
)
from tests.components.pulumi_mocks import Program, run, run_app
from tests.support import LEX_ALIAS, PINPOINT_APP

APP = "arn:aws:chime:us-east-1:123456789012:app-instance/11111111-2222-3333-4444-555555555555"
LEX = {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}


def _problems(spec: dict[str, Any], name: str = "chat") -> list[str]:
    with pytest.raises(SpecError) as error:
        run_app(lambda: MessagingApp.from_spec(name, spec))
    return list(error.value.problems)


def _arg_problems(args: MessagingAppArgs, name: str = "chat") -> list[str]:
    with pytest.raises(ValueError, match=rf"^MessagingApp '{name}': invalid inputs:\n") as error:
        run_app(lambda: MessagingApp(name, args))
    return [line.strip() for line in str(error.value).splitlines()[1:]]


@pytest.mark.parametrize("value", [True, "30", 30.5])
def test_a_number_of_days_is_no_bool_or_string(value: Any) -> None:
    spec = {"name": "chat", "retention_days": value, "users": {"alice": {"name": "A", "expiration_days": value}}}
    assert _problems(spec) == [
        "<spec>: retention_days: must be an integer",
        "<spec>: users.alice.expiration_days: must be an integer",
    ]
    with pytest.raises(ValueError, match="retention_days: must be an integer"):
        run_app(lambda: MessagingApp("chat", MessagingAppArgs(name="chat", retention_days=value)))


def test_unknown_keys_at_every_depth_are_named_with_a_suggestion() -> None:
    phone = {"type": "GCM", "resource_arn": PINPOINT_APP, "device_token": "t", "voip_device_tokn": "v"}
    spec = {
        "name": "chat",
        "retention_dayz": 30,
        "users": {"alice": {"nmae": "Alice", "name": "Alice", "endpoints": {"phone": phone}}},
        "bots": {
            "helper": {
                "lex": {
                    **LEX,
                    "welcome_intnet": "Hi",
                    "invoked_by": {"standard_mesages": "ALL", "targeted_messages": "ALL"},
                }
            }
        },
    }
    assert sorted(_problems(spec)) == [
        "<spec>: bots.helper.lex.invoked_by.standard_mesages: unknown key; did you mean standard_messages?",
        "<spec>: bots.helper.lex.welcome_intnet: unknown key; did you mean welcome_intent?",
        "<spec>: retention_dayz: unknown key; did you mean retention_days?",
        "<spec>: users.alice.endpoints.phone.voip_device_tokn: unknown key; did you mean voip_device_token?",
        "<spec>: users.alice.nmae: unknown key; did you mean name?",
    ]


def test_arns_of_the_wrong_kind_are_refused() -> None:
    phone = {"type": "GCM", "resource_arn": APP, "device_token": "t"}
    assert _problems({"name": "chat", "users": {"alice": {"name": "A", "endpoints": {"phone": phone}}}}) == [
        "<spec>: users.alice.endpoints.phone.resource_arn: must be an Amazon Pinpoint app ARN "
        "(arn:aws:mobiletargeting:REGION:ACCOUNT:apps/APP_ID), got an AppInstance ARN"
    ]
    with pytest.raises(ValueError, match="invalid inputs") as error:
        run(
            lambda: {
                "arn": MessagingUser(
                    "alice", MessagingUserArgs(app_instance_arn=f"{APP}/user/bob", user_id="alice", name="A")
                ).arn
            }
        )
    assert str(error.value).splitlines()[1:] == [
        "  app_instance_arn: must be an AppInstance ARN (arn:aws:chime:REGION:ACCOUNT:app-instance/ID), "
        "got an AppInstanceUser ARN"
    ]
    west = APP.replace("us-east-1", "us-west-2")
    with pytest.raises(ValueError, match="app_instance_arn: its region 'us-west-2' has no Chime SDK Identity endpoint"):
        run(
            lambda: {
                "arn": MessagingUser("alice", MessagingUserArgs(app_instance_arn=west, user_id="alice", name="A")).arn
            }
        )


def test_a_user_and_a_bot_whose_admins_share_a_name_are_refused_with_every_other_problem() -> None:
    spec = {
        "name": "",
        "users": {"bot-helper": {"name": "Helper the user", "admin": True, "expiration_days": True}},
        "bots": {"helper": {"lex": LEX, "admin": True}},
    }
    assert _problems(spec) == [
        "<spec>: name: must not be empty",
        "<spec>: users.bot-helper.expiration_days: must be an integer",
        "<spec>: bots.helper.admin: makes the AppInstanceAdmin 'chat-bot-helper-admin', which users.bot-helper.admin "
        "makes too: two resources cannot share a name; rename one of the two keys",
    ]
    args = MessagingAppArgs(
        name="chat",
        users={"bot-helper": UserArgs(name="Helper the user", admin=True)},
        bots={"helper": BotArgs(lex=LEX, admin=True)},
    )
    assert _arg_problems(args) == [
        "bots.helper.admin: makes the AppInstanceAdmin 'chat-bot-helper-admin', which users.bot-helper.admin makes "
        "too: two resources cannot share a name; rename one of the two keys"
    ]


def test_without_both_admin_flags_the_same_keys_are_fine() -> None:
    args = MessagingAppArgs(
        name="chat", users={"bot-helper": UserArgs(name="U", admin=True)}, bots={"helper": BotArgs(lex=LEX)}
    )
    program: Program = run_app(lambda: MessagingApp("chat", args))
    assert {"chat-bot-helper", "chat-bot-helper-admin", "chat-bot-helper-user"} <= {r.name for r in program.resources}


def test_endpoints_of_two_users_that_share_a_name_are_refused() -> None:
    phone = EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token="t")
    args = MessagingAppArgs(
        name="chat",
        users={
            "a": UserArgs(name="A", endpoints={"x-endpoint-y": phone}),
            "a-endpoint-x": UserArgs(name="B", endpoints={"y": phone}),
        },
    )
    assert _arg_problems(args) == [
        "users.a-endpoint-x.endpoints.y: makes the AppInstanceUserEndpoint 'chat-a-endpoint-x-endpoint-y', which "
        "users.a.endpoints.x-endpoint-y makes too: two resources cannot share a name; rename one of the two keys"
    ]


def test_the_names_checked_are_the_names_declared() -> None:
    phone = EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token="t")
    args = MessagingAppArgs(
        name="chat",
        users={"alice": UserArgs(name="A", admin=True, endpoints={"phone": phone}), "bob": UserArgs(name="B")},
        bots={"helper": BotArgs(lex=LEX, admin=True), "quiet": BotArgs(lex=LEX)},
    )
    program = run_app(lambda: MessagingApp("chat", args))
    declared = {(r.type.rsplit(":", 1)[-1], r.name) for r in program.resources}
    assert {(kind, name) for kind, name, _ in _names.children("chat", args.users, args.bots)} <= declared
    assert len(_names.children("chat", args.users, args.bots)) == len(
        [
            r
            for r in program.resources
            if r.type.rsplit(":", 1)[-1]
            in ("AppInstanceUser", "AppInstanceAdmin", "AppInstanceUserEndpoint", "AppInstanceBot")
        ]
    )

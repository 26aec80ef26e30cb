"""The components' one schema: derived from the argument types' annotations, shared by programs and spec files."""

from __future__ import annotations

import ast
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pulumi
import pytest

from pulumi_chime_sdk_identity.components import (
    BotArgs,
    EndpointArgs,
    MessagingAppArgs,
    MessagingUserArgs,
    UserArgs,
)
from pulumi_chime_sdk_identity.components._schema import check_args, model, validate_spec
from pulumi_chime_sdk_identity.dynamic_providers import LexConfigurationArgs
from tests.support import LEX_ALIAS, PINPOINT_APP

COMPONENTS = Path(__file__).parents[2] / "components"
PULUMI_NAMES = {"Output": pulumi.Output, "T": Any}  # pulumi.Input's own forward reference


@pytest.mark.parametrize(
    "source", [EndpointArgs, UserArgs, MessagingUserArgs, BotArgs, MessagingAppArgs, LexConfigurationArgs]
)
def test_every_argument_type_resolves_its_hints_and_has_a_model(source: type) -> None:
    hints = typing.get_type_hints(source, localns=PULUMI_NAMES, include_extras=True)
    assert set(model(source).model_fields) == set(hints)


def test_messaging_user_args_are_user_args_where_the_user_lives() -> None:
    args = MessagingUserArgs("arn", "alice", "Alice", admin=True)  # positions as before: arn, user id, name

    assert isinstance(args, UserArgs)
    assert (args.app_instance_arn, args.user_id, args.name, args.admin) == ("arn", "alice", "Alice", True)
    assert list(model(MessagingUserArgs).model_fields)[:3] == ["app_instance_arn", "user_id", "name"]


def test_one_rule_one_reason_for_a_program_and_a_spec_file() -> None:
    user = UserArgs(
        name="", expiration_days=0, endpoints={"p": EndpointArgs(type="SMS", resource_arn="x", device_token="t")}
    )
    with pytest.raises(ValueError, match="invalid inputs") as error:
        check_args(MessagingAppArgs, "MessagingApp", "team", MessagingAppArgs(name="chat", users={"alice": user}))
    from_program = [line.strip() for line in str(error.value).splitlines()[1:]]

    spec = {
        "name": "chat",
        "users": {
            "alice": {
                "name": "",
                "expiration_days": 0,
                "endpoints": {"p": {"type": "SMS", "resource_arn": "x", "device_token": "t"}},
            }
        },
    }
    args, problems = validate_spec(MessagingAppArgs, spec)

    assert args is None
    assert [f"{path}: {reason}" for path, reason in problems] == from_program
    assert from_program == [
        "users.alice.name: must not be empty",
        "users.alice.expiration_days: must be between 1 and 5475",
        "users.alice.endpoints.p.type: must be one of APNS, APNS_SANDBOX, GCM",
        "users.alice.endpoints.p.resource_arn: must be at least 5 characters",
    ]


def test_a_spec_validates_into_the_argument_types_themselves() -> None:
    spec = {
        "name": "chat",
        "tags": {"b": "2", "a": "1"},
        "users": {"alice": {"name": "Alice", "admin": True}},
        "bots": {"helper": {"lex": {"bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}}},
    }
    args, problems = validate_spec(MessagingAppArgs, spec)

    assert problems == []
    assert args == MessagingAppArgs(
        name="chat",
        tags={"a": "1", "b": "2"},
        users={"alice": UserArgs(name="Alice", admin=True)},
        bots={"helper": BotArgs(lex={"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"})},
    )


def test_values_not_known_yet_pass_and_are_kept_as_they_are() -> None:
    token = pulumi.Output.from_input("secret")
    lex: Any = {"lex_bot_alias_arn": pulumi.Output.from_input(LEX_ALIAS), "locale_id": "en_US"}
    args = MessagingAppArgs(
        name="chat",
        users={
            "alice": UserArgs(
                name="Alice",
                tags={"owner": pulumi.Output.from_input("x")},
                endpoints={"p": EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token=token)},
            )
        },
        bots={"b": BotArgs(lex=lex)},
    )

    checked = check_args(MessagingAppArgs, "MessagingApp", "team", args)

    endpoints = checked.users["alice"].endpoints
    assert endpoints is not None
    assert endpoints["p"].device_token is token
    assert checked.bots["b"].lex["lex_bot_alias_arn"] is lex["lex_bot_alias_arn"]  # type: ignore[index]


def test_a_known_part_next_to_an_unknown_one_is_still_checked() -> None:
    invoked_by: Any = {"standard_messages": pulumi.Output.from_input("AUTO"), "targeted_messages": "SOME"}
    bot = BotArgs(lex_bot_alias_arn=LEX_ALIAS, locale_id="en_US", invoked_by=invoked_by)
    with pytest.raises(ValueError, match="invalid inputs") as error:
        check_args(MessagingAppArgs, "MessagingApp", "team", MessagingAppArgs(name="chat", bots={"b": bot}))

    assert str(error.value).splitlines()[1:] == ["  bots.b.invoked_by.targeted_messages: must be one of ALL, NONE"]


def test_a_program_passes_argument_types_not_mappings() -> None:
    user: Any = {"name": "Alice"}
    args = MessagingAppArgs(name="chat", users={"alice": user})
    with pytest.raises(ValueError, match="invalid inputs") as error:
        check_args(MessagingAppArgs, "MessagingApp", "team", args)

    assert str(error.value).splitlines()[1:] == ["  users.alice: must be a UserArgs"]


def _imports(path: Path) -> set[str]:
    """The sibling modules of components/ that path imports (``from .x import`` / ``from . import x``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
    return found


def test_components_import_each_other_without_a_cycle() -> None:
    graph = {path.stem: _imports(path) - {path.stem} for path in COMPONENTS.glob("*.py")}

    def reaches(start: str, target: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(n == target or (n not in seen and reaches(n, target, seen | {n})) for n in graph.get(start, ()))

    assert [module for module in graph if reaches(module, module)] == []


def test_importing_the_components_does_not_import_pulumi_aws() -> None:
    code = (
        "import sys\n"
        "from pulumi_chime_sdk_identity.components import MessagingApp, MessagingUser, SpecError\n"
        "assert 'pulumi_aws' not in sys.modules, 'MessagingApp pulled in pulumi_aws'\n"
        "from pulumi_chime_sdk_identity.components import DeployerPolicy\n"
        "assert 'pulumi_aws' in sys.modules and DeployerPolicy.__module__.endswith('.iam')\n"
        "from pulumi_chime_sdk_identity.components import PREVIEWER_ACTIONS, PreviewerPolicy\n"
        "assert PreviewerPolicy.__module__.endswith('.iam') and 'chime:DescribeAppInstance' in PREVIEWER_ACTIONS\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)

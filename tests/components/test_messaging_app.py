"""MessagingApp: children (types, names, parents), outputs, admins, tags, region, stable names and input checks."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pulumi
import pytest

from pulumi_chime_sdk_identity.components import BotArgs, EndpointArgs, MessagingApp, MessagingAppArgs, UserArgs
from pulumi_chime_sdk_identity.dynamic_providers import LexConfigurationArgs
from tests.components.pulumi_mocks import DYNAMIC, Program, run, run_app
from tests.support import LEX_ALIAS, PINPOINT_APP

PHONE = EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token="alice-phone")
TABLET = EndpointArgs(type="APNS", resource_arn=PINPOINT_APP, device_token="alice-tablet")
BOB_PHONE = EndpointArgs(type="APNS_SANDBOX", resource_arn=PINPOINT_APP, device_token="bob-phone")

FULL = MessagingAppArgs(
    name="Team chat",
    metadata='{"tier": "demo"}',
    tags={"project": "chat", "owner": "platform"},
    region="eu-central-1",
    retention_days=90,
    users={
        "alice": UserArgs(
            name="Alice", admin=True, tags={"owner": "alice"}, endpoints={"phone": PHONE, "tablet": TABLET}
        ),
        "bob": UserArgs(name="Bob", expiration_days=30, endpoints={"phone": BOB_PHONE}),
        "carol": UserArgs(name="Carol"),
    },
    bots={
        "helper": BotArgs(
            lex_bot_alias_arn=LEX_ALIAS,
            locale_id="en_US",
            name="Helper",
            tags={"kind": "bot"},
            welcome_intent="Welcome",
            invoked_by={"standard_messages": "AUTO", "targeted_messages": "ALL"},
            admin=True,
        ),
        "faq": BotArgs(lex_bot_alias_arn=LEX_ALIAS, locale_id="fr_FR"),
    },
)


def _app(
    args: MessagingAppArgs = FULL, resource_name: str = "team", opts: pulumi.ResourceOptions | None = None
) -> Program:
    return run_app(lambda: MessagingApp(resource_name, args, opts))


def _identity(program: Program) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Every resource by name: type, parent name, inputs (what decides replacements)."""
    return {r.name: (r.type, r.parent, r.inputs) for r in program.resources}


def test_children_have_derived_names_types_and_parents() -> None:
    program = _app()

    assert program.named("team").type == "chimesdkidentity:components:MessagingApp"
    assert {(r.name, r.kind) for r in program.resources if r.parent == "team"} == {
        ("team-app", "AppInstance"),
        ("team-retention", "AppInstanceRetentionSettings"),
        ("team-alice-user", "AppInstanceUser"),
        ("team-alice-admin", "AppInstanceAdmin"),
        ("team-alice-endpoint-phone", "AppInstanceUserEndpoint"),
        ("team-alice-endpoint-tablet", "AppInstanceUserEndpoint"),
        ("team-bob-user", "AppInstanceUser"),
        ("team-bob-endpoint-phone", "AppInstanceUserEndpoint"),
        ("team-carol-user", "AppInstanceUser"),
        ("team-bot-helper", "AppInstanceBot"),
        ("team-bot-helper-admin", "AppInstanceAdmin"),
        ("team-bot-faq", "AppInstanceBot"),
    }
    assert all(r.type.startswith(DYNAMIC) for r in program.resources if r.custom)
    assert len(program.resources) == 13
    assert program.registered_outputs["team"] == ["admin_ids,app_instance_arn,bot_arns,endpoint_ids,user_arns"]


def test_user_resources_alias_the_messaging_user_parent_that_held_them_before() -> None:
    # Up to 0.1 each user's resources sat under a MessagingUser component "team-<user_id>": the alias
    # lets a stack made then move them under the app without replacing anything. An app that is a child
    # of the stack names the old parent by the URN the engine gave it, a plain string (the engine leaves
    # the root stack's type out of its children's URNs, pkg urn.New; the mocks' URNs keep it).
    program = _app()
    user_resources = [r for r in program.resources if r.name.startswith(("team-alice", "team-bob", "team-carol"))]

    assert len(user_resources) == 7
    for resource in user_resources:
        assert resource.parent_urn.endswith("chimesdkidentity:components:MessagingApp::team")
        user_id = resource.name.split("-")[1]
        old_parent = (
            "urn:pulumi:stack::project::chimesdkidentity:components:MessagingApp"
            f"$chimesdkidentity:components:MessagingUser::team-{user_id}"
        )
        assert resource.alias_parents == [old_parent], resource.name
        assert resource.alias_names == [""]
    assert all(r.alias_parents == [] for r in program.resources if r not in user_resources)


def test_in_a_component_the_alias_follows_the_apps_urn() -> None:
    # An app with a parent of the program's: the old parent's URN is derived from the app's own, once known.
    def program() -> MessagingApp:
        outer = pulumi.ComponentResource("acme:index:Platform", "platform")
        return MessagingApp("team", FULL, pulumi.ResourceOptions(parent=outer))

    resources = run_app(program).resources
    alice = next(r for r in resources if r.name == "team-alice-user")
    app_urn = alice.parent_urn
    assert app_urn.endswith("acme:index:Platform$chimesdkidentity:components:MessagingApp::team")
    assert alice.alias_parents == [
        f"{app_urn.rsplit('::', 1)[0]}$chimesdkidentity:components:MessagingUser::team-alice"
    ]


def test_outputs() -> None:
    program = _app()
    app_arn = program.named("team-app").id

    assert program.outputs["app_instance_arn"] == app_arn
    assert program.outputs["user_arns"] == {user: f"{app_arn}/user/{user}" for user in ("alice", "bob", "carol")}
    assert program.outputs["bot_arns"] == {
        "helper": program.named("team-bot-helper").id,
        "faq": program.named("team-bot-faq").id,
    }
    # Keyed like user_arns and bot_arns (bots under "bots/<key>": a user id never contains "/").
    assert program.outputs["admin_ids"] == {
        "alice": f"{app_arn}|{app_arn}/user/alice",
        "bots/helper": f"{app_arn}|{program.outputs['bot_arns']['helper']}",
    }
    assert program.outputs["admin_ids"] == {
        "alice": program.named("team-alice-admin").id,
        "bots/helper": program.named("team-bot-helper-admin").id,
    }
    endpoint = {
        name: program.named(f"team-{name.replace('/', '-endpoint-')}").id
        for name in ("alice/phone", "alice/tablet", "bob/phone")
    }
    assert program.outputs["endpoint_ids"] == {key: value.split("|")[1] for key, value in endpoint.items()}  # type: ignore[union-attr]


def test_children_point_at_their_app_and_user() -> None:
    program = _app()
    app_arn = program.named("team-app").id

    assert program.named("team-retention").inputs == {"app_instance_arn": app_arn, "channel_retention_days": 90.0}
    assert program.named("team-bob-user").inputs["app_instance_arn"] == app_arn
    assert program.named("team-bob-user").inputs["app_instance_user_id"] == "bob"
    assert program.named("team-bob-user").inputs["expiration_settings"] == {"expiration_days": 30.0}
    assert program.named("team-bob-endpoint-phone").inputs["app_instance_user_arn"] == f"{app_arn}/user/bob"
    assert program.named("team-bob-endpoint-phone").secret_inputs == {"endpoint_attributes"}
    assert program.named("team-bot-helper-admin").inputs == {
        "app_instance_arn": app_arn,
        "admin_arn": program.named("team-bot-helper").id,
    }


def test_bot_configuration_is_the_lex_settings() -> None:
    program = _app()

    helper = program.named("team-bot-helper").inputs
    assert helper["configuration"] == {
        "lex": {
            "lex_bot_alias_arn": LEX_ALIAS,
            "locale_id": "en_US",
            "welcome_intent": "Welcome",
            "invoked_by": {"standard_messages": "AUTO", "targeted_messages": "ALL"},
        }
    }
    assert helper["name"] == "Helper"
    faq = program.named("team-bot-faq").inputs
    assert faq["configuration"] == {"lex": {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "fr_FR"}}
    assert "name" not in faq


def test_lex_settings_given_as_lex_or_inline_make_the_same_bot() -> None:
    lex: LexConfigurationArgs = {
        "lex_bot_alias_arn": LEX_ALIAS,
        "locale_id": "en_US",
        "welcome_intent": "Welcome",
        "invoked_by": {"standard_messages": "AUTO", "targeted_messages": "ALL"},
    }
    nested = replace(
        FULL, bots={**FULL.bots, "helper": BotArgs(lex=lex, name="Helper", tags={"kind": "bot"}, admin=True)}
    )

    assert _identity(_app(nested)) == _identity(_app())
    assert FULL.bots["helper"].lex == lex


def test_bot_args_take_lex_one_way() -> None:
    with pytest.raises(TypeError, match="not both"):
        BotArgs(lex={"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}, locale_id="fr_FR")
    with pytest.raises(TypeError, match="needs lex"):
        BotArgs(name="helper")
    with pytest.raises(TypeError):
        BotArgs(LEX_ALIAS, "en_US")  # type: ignore[arg-type,call-arg] # keyword arguments only: no silent reshuffle


def test_lex_problems_are_named_as_written() -> None:
    inline = BotArgs(lex_bot_alias_arn=LEX_ALIAS, locale_id="")
    misspelt: Any = {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "", "welcom_intent": "Hi"}
    nested = BotArgs(lex=misspelt)
    with pytest.raises(ValueError, match="invalid inputs") as error:
        _app(MessagingAppArgs(name="chat", bots={"inline": inline, "nested": nested}))

    assert str(error.value).splitlines()[1:] == [
        "  bots.inline.locale_id: must be a non-empty string",
        "  bots.nested.lex.locale_id: must be a non-empty string",
        "  bots.nested.lex.welcom_intent: unknown key; did you mean welcome_intent?",
    ]


def test_admin_ids_are_keyed_so_removing_one_admin_keeps_the_others() -> None:
    # A bot key may equal a user id: admin bots are keyed "bots/<key>", and "/" never occurs in a user id.
    args = MessagingAppArgs(
        name="chat",
        users={"helper": UserArgs(name="Helper", admin=True), "bob": UserArgs(name="Bob", admin=True)},
        bots={"helper": BotArgs(lex_bot_alias_arn=LEX_ALIAS, locale_id="en_US", admin=True)},
    )
    both = _app(args).outputs["admin_ids"]
    without_helper = _app(replace(args, users={"bob": args.users["bob"]})).outputs["admin_ids"]

    assert set(both) == {"helper", "bob", "bots/helper"}
    assert both["helper"].endswith("/user/helper")
    assert "/bot/" in both["bots/helper"]
    assert without_helper == {key: both[key] for key in ("bob", "bots/helper")}


def test_only_flagged_users_and_bots_become_admins() -> None:
    program = _app()
    assert program.names("AppInstanceAdmin") == {"team-alice-admin", "team-bot-helper-admin"}

    nobody = _app(
        replace(
            FULL,
            users={"alice": replace(FULL.users["alice"], admin=False)},
            bots={"helper": replace(FULL.bots["helper"], admin=False)},
        )
    )
    assert nobody.names("AppInstanceAdmin") == set()
    assert nobody.outputs["admin_ids"] == {}


def test_app_tags_are_defaults_under_each_users_and_bots_own() -> None:
    program = _app()

    assert program.named("team-app").inputs["tags"] == {"project": "chat", "owner": "platform"}
    assert program.named("team-alice-user").inputs["tags"] == {"project": "chat", "owner": "alice"}
    assert program.named("team-bob-user").inputs["tags"] == {"project": "chat", "owner": "platform"}
    assert program.named("team-bot-helper").inputs["tags"] == {"project": "chat", "owner": "platform", "kind": "bot"}
    assert program.named("team-bot-faq").inputs["tags"] == {"project": "chat", "owner": "platform"}


def test_tags_that_are_outputs_are_merged_too() -> None:
    args = MessagingAppArgs(
        name="chat",
        tags=pulumi.Output.from_input({"project": "chat", "owner": "platform"}),
        users={"alice": UserArgs(name="Alice", tags={"owner": pulumi.Output.from_input("alice")})},
    )
    program = _app(args)

    assert program.named("team-alice-user").inputs["tags"] == {"project": "chat", "owner": "alice"}


def test_without_tags_nothing_is_tagged() -> None:
    program = _app(MessagingAppArgs(name="chat", users={"alice": UserArgs(name="Alice")}))

    assert "tags" not in program.named("team-app").inputs
    assert "tags" not in program.named("team-alice-user").inputs


def test_region_goes_to_the_app_instance_only() -> None:
    program = _app()

    assert program.named("team-app").inputs["region"] == "eu-central-1"
    assert program.outputs["app_instance_arn"].startswith("arn:aws:chime:eu-central-1:")
    assert [r.name for r in program.resources if "region" in r.inputs] == ["team-app"]
    assert "region" not in _app(MessagingAppArgs(name="chat")).named("team-app").inputs


def test_force_destroy_goes_to_the_app_instance_only_when_set() -> None:
    program = _app(MessagingAppArgs(name="chat", force_destroy=True))

    assert program.named("team-app").inputs["force_destroy"] is True
    assert "force_destroy" not in _app(MessagingAppArgs(name="chat")).named("team-app").inputs


def test_a_minimal_app_is_just_the_app_instance() -> None:
    program = _app(MessagingAppArgs(name="chat"))

    assert program.names() == {"team", "team-app"}
    assert program.outputs["user_arns"] == program.outputs["bot_arns"] == program.outputs["endpoint_ids"] == {}
    assert program.outputs["admin_ids"] == {}


def test_reordering_users_bots_and_endpoints_changes_no_resource() -> None:
    reordered = replace(
        FULL,
        users={
            "carol": FULL.users["carol"],
            "bob": FULL.users["bob"],
            "alice": replace(FULL.users["alice"], endpoints={"tablet": TABLET, "phone": PHONE}),
        },
        bots={"faq": FULL.bots["faq"], "helper": FULL.bots["helper"]},
    )
    first, second = _identity(_app()), _identity(_app(reordered))

    assert first == second


def test_renaming_one_key_touches_only_that_entrys_resources() -> None:
    users = dict(FULL.users)
    users["robert"] = users.pop("bob")
    bots = dict(FULL.bots)
    bots["questions"] = bots.pop("faq")
    before, after = _identity(_app()), _identity(_app(replace(FULL, users=users, bots=bots)))

    gone = set(before) - set(after)
    new = set(after) - set(before)
    assert gone == {"team-bob-user", "team-bob-endpoint-phone", "team-bot-faq"}
    assert new == {"team-robert-user", "team-robert-endpoint-phone", "team-bot-questions"}
    assert {name: before[name] for name in set(before) & set(after)} == {
        name: after[name] for name in set(before) & set(after)
    }


def test_a_renamed_component_carries_its_alias_and_every_child_keeps_its_prefix() -> None:
    program = _app(resource_name="chat", opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="team")]))

    assert program.named("chat").alias_names == ["team"]
    # The engine derives each child's alias by swapping the parent's name prefix ("team-app", ...), so
    # every descendant's name must start with the component's.
    descendants = [r for r in program.resources if r.name != "chat"]
    assert len(descendants) == 12
    assert all(r.name.startswith("chat-") for r in descendants)
    assert {r.name.replace("chat-", "team-", 1) for r in descendants} == _app().names() - {"team"}


def test_unknown_values_are_not_checked_at_construction() -> None:
    args = MessagingAppArgs(
        name=pulumi.Output.from_input(""),
        retention_days=pulumi.Output.from_input(0),
        region=pulumi.Output.from_input("mars-1"),
        users={"alice": UserArgs(name=pulumi.Output.from_input(" "))},
    )
    program = _app(args)

    assert program.named("team-retention").inputs["channel_retention_days"] == 0.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (MessagingAppArgs(name=""), "name: must not be empty"),
        (MessagingAppArgs(name="chat", force_destroy="yes"), "force_destroy: must be true or false"),  # type: ignore[arg-type]
        (MessagingAppArgs(name="chat", retention_days=0), "retention_days: must be between 1 and 5475"),
        (
            MessagingAppArgs(name="chat", region="us-west-2"),
            "region: Chime SDK Identity is only in us-east-1, eu-central-1, not 'us-west-2'",
        ),
        (
            MessagingAppArgs(name="chat", tags={"aws:owner": "x"}),
            "tags: tag key 'aws:owner' uses the reserved prefix 'aws:'",
        ),
        (
            MessagingAppArgs(name="chat", users={"al ice": UserArgs(name="Alice")}),
            r"users.al ice: must match the pattern [A-Za-z0-9]([A-Za-z0-9\:\-\_\.\@]{0,62}[A-Za-z0-9])?",
        ),
        (MessagingAppArgs(name="chat", users={"alice": UserArgs(name="")}), "users.alice.name: must not be empty"),
        (
            MessagingAppArgs(
                name="chat",
                users={"alice": UserArgs(name="A", endpoints={"p": replace(PHONE, allow_messages="SOME")})},
            ),
            "users.alice.endpoints.p.allow_messages: must be one of ALL, NONE",
        ),
        (
            MessagingAppArgs(name="chat", bots={"": BotArgs(lex_bot_alias_arn=LEX_ALIAS, locale_id="en_US")}),
            "bots.: must be a non-empty string",
        ),
        (
            MessagingAppArgs(name="chat", bots={"help desk": BotArgs(lex_bot_alias_arn=LEX_ALIAS, locale_id="en_US")}),
            "bots.help desk: must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        ),
        (
            MessagingAppArgs(name="chat", bots={"b": BotArgs(lex_bot_alias_arn="arn:aws:lex:x", locale_id="en_US")}),
            "bots.b.lex_bot_alias_arn: must be at least 15 characters",
        ),
        (
            MessagingAppArgs(
                name="chat",
                bots={
                    "b": BotArgs(
                        lex_bot_alias_arn=LEX_ALIAS,
                        locale_id="en_US",
                        invoked_by={"standard_messages": "SOMETIMES", "targeted_messages": "ALL"},
                    )
                },
            ),
            "bots.b.invoked_by.standard_messages: must be one of AUTO, ALL, MENTIONS, NONE",
        ),
        (
            MessagingAppArgs(name="chat", bots={"b": BotArgs(lex_bot_alias_arn=LEX_ALIAS, locale_id="")}),
            "bots.b.locale_id: must be a non-empty string",
        ),
    ],
)
def test_bad_inputs_raise_one_value_error_naming_the_input(args: MessagingAppArgs, message: str) -> None:
    with pytest.raises(ValueError, match=r"^MessagingApp 'team': invalid inputs:\n") as error:
        _app(args)
    assert str(error.value).splitlines()[1:] == [f"  {message}"]


def test_nothing_is_created_when_inputs_are_bad() -> None:
    bad = replace(FULL, retention_days=10_000)
    registered: list[str] = []

    def program() -> None:
        try:
            MessagingApp("team", bad)
        except ValueError:
            registered.append("refused")

    program_run = run(program)
    assert registered == ["refused"]
    assert program_run.resources == []

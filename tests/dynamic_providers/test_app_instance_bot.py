"""AppInstanceBotProvider against the emulator: the Lex configuration round trip, updates, drift and adoption."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_chime_sdk_identity.dynamic_providers import AdoptionError, AppInstanceBotProvider
from pulumi_chime_sdk_identity.dynamic_providers._schema import UNKNOWN, service_model
from tests.dynamic_providers.support import as_engine_sends, by_path, calls, checked, log_position
from tests.dynamic_providers.wire import sent, stored
from tests.support import LEX_ALIAS, Emulator

provider = AppInstanceBotProvider()
ALIAS_PATTERN = service_model().shape_for("LexBotAliasArn").metadata["pattern"]
OTHER_ALIAS = "arn:aws:lex:us-east-1:123456789012:bot-alias/ZYXWVUTSRQ/PONMLKJIHG"
LEX = {
    "lex_bot_alias_arn": LEX_ALIAS,
    "locale_id": "en_US",
    "welcome_intent": "Greeting",
    "invoked_by": {"standard_messages": "MENTIONS", "targeted_messages": "ALL"},
}
API_LEX = {
    "LexBotAliasArn": LEX_ALIAS,
    "LocaleId": "en_US",
    "WelcomeIntent": "Greeting",
    "InvokedBy": {"StandardMessages": "MENTIONS", "TargetedMessages": "ALL"},
}


def make(instance_arn: str, **news: Any) -> tuple[str, dict[str, Any]]:
    base = {"app_instance_arn": instance_arn, "configuration": {"lex": LEX}, "name": "helper"}
    props = {key: value for key, value in {**base, **news}.items() if value is not None}  # as the engine sends them
    created = provider.create(checked(provider, props))
    return created.id, dict(created.outs or {})


def test_check_normalizes_and_defaults(instance_arn: str) -> None:
    minimal = {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}
    inputs = checked(
        provider, {"app_instance_arn": instance_arn, "configuration": {"lex": minimal}, "tags": {"b": "2"}}
    )
    assert inputs == {
        "app_instance_arn": instance_arn,
        "configuration": {"lex": minimal},
        "name": "",
        "metadata": "",
        "tags": {"b": "2"},
    }
    full = checked(provider, {"app_instance_arn": instance_arn, "configuration": {"lex": LEX}})
    assert full["configuration"] == {"lex": LEX}


def test_check_names_nested_properties_in_one_line(instance_arn: str) -> None:
    result = provider.check(
        {},
        {
            "app_instance_arn": instance_arn,
            "configuration": {
                "lex": {
                    "lex_bot_alias_arn": "arn:aws:lex:us-east-1:123456789012:bot/ABC",
                    "locale_id": "en_US",
                    "welcome_intent": "two words",
                    "invoked_by": {"standard_messages": "SOMETIMES", "targeted_messages": "ALL"},
                }
            },
            "name": "x" * 257,
        },
    )
    reasons = by_path(result)
    assert reasons == {
        "configuration.lex.lex_bot_alias_arn": (
            f"configuration.lex.lex_bot_alias_arn: must match the pattern {ALIAS_PATTERN}"
        ),
        "configuration.lex.welcome_intent": "configuration.lex.welcome_intent: must match the pattern ^([A-Za-z]_?)+$",
        "configuration.lex.invoked_by.standard_messages": (
            "configuration.lex.invoked_by.standard_messages: must be one of AUTO, ALL, MENTIONS, NONE"
        ),
        "name": "name: must be at most 256 characters",
    }
    assert all("\n" not in reason for reason in reasons.values())


def test_check_requires_configuration_and_its_keys(instance_arn: str) -> None:
    assert [f.reason for f in provider.check({}, {}).failures] == [
        "app_instance_arn: Field required",
        "configuration: Field required",
    ]
    result = provider.check({}, {"app_instance_arn": instance_arn, "configuration": {"lex": {}}})
    assert [f.reason for f in result.failures] == [
        "configuration.lex.lex_bot_alias_arn: Field required",
        "configuration.lex.locale_id: Field required",
    ]


def test_check_refuses_an_empty_locale_like_the_components(instance_arn: str) -> None:
    # The model sets no limit on LocaleId; one rule (rules.non_empty_rule) serves provider and components.
    lex = {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": ""}
    result = provider.check({}, {"app_instance_arn": instance_arn, "configuration": {"lex": lex}})
    assert [f.reason for f in result.failures] == ["configuration.lex.locale_id: must be a non-empty string"]


def test_check_lets_unknown_values_through(instance_arn: str) -> None:
    result = provider.check(
        {}, {"app_instance_arn": instance_arn, "configuration": {"lex": UNKNOWN}, "name": Unknown()}
    )
    assert result.failures == []
    assert result.inputs["configuration"] == {"lex": UNKNOWN}


def test_create_is_one_call_with_configuration_and_tags(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    start = log_position(emulator)
    with sent() as requests:
        arn, outs = make(instance_arn, metadata="m", tags={"team": "chat"})
    assert calls(emulator, start) == ["CreateAppInstanceBot"]
    [(_, params)] = requests
    assert {key: params[key] for key in ("AppInstanceArn", "Name", "Metadata", "Configuration", "Tags")} == {
        "AppInstanceArn": instance_arn,
        "Name": "helper",
        "Metadata": "m",
        "Configuration": {"Lex": API_LEX},
        "Tags": [{"Key": "team", "Value": "chat"}],
    }
    assert arn.startswith(f"{instance_arn}/bot/")
    assert outs == {
        "app_instance_arn": instance_arn,
        "configuration": {"lex": LEX},
        "name": "helper",
        "metadata": "m",
        "tags": {"team": "chat"},
        "arn": arn,
        "created_timestamp": outs["created_timestamp"],
        "last_updated_timestamp": outs["created_timestamp"],
    }
    live = chime.describe_app_instance_bot(AppInstanceBotArn=arn)["AppInstanceBot"]
    assert live["Configuration"] == {"Lex": API_LEX}


def test_create_without_name_sends_none(emulator: Emulator, instance_arn: str) -> None:
    with sent() as requests:
        arn, outs = make(instance_arn, name=None)
    [(operation, params)] = requests
    assert operation == "CreateAppInstanceBot"
    assert "Name" not in params
    assert outs["name"] == ""
    result = provider.read(arn, outs)
    assert stored(result.outs) == outs


def test_read_matches_create_and_costs_two_calls(emulator: Emulator, instance_arn: str) -> None:
    arn, outs = make(instance_arn, tags={"a": "1"})
    start = log_position(emulator)
    result = provider.read(arn, as_engine_sends(outs))
    assert calls(emulator, start) == ["DescribeAppInstanceBot", "ListTagsForResource"]
    assert result.id == arn
    assert stored(result.outs) == outs
    assert result.inputs == {
        "app_instance_arn": instance_arn,
        "configuration": {"lex": LEX},
        "name": "helper",
        "metadata": "",
        "tags": {"a": "1"},
    }


def test_diff_is_quiet_without_changes_and_exact_with_them(emulator: Emulator, instance_arn: str) -> None:
    arn, outs = make(instance_arn)
    start = log_position(emulator)
    same = checked(provider, {"app_instance_arn": instance_arn, "configuration": {"lex": LEX}, "name": "helper"})
    assert provider.diff(arn, as_engine_sends(outs), same).changes is False
    reconfigured = provider.diff(arn, outs, {**same, "configuration": {"lex": {**LEX, "locale_id": "de_DE"}}})
    assert (reconfigured.changes, reconfigured.replaces, reconfigured.delete_before_replace) == (None, [], None)
    moved = provider.diff(arn, outs, {**same, "app_instance_arn": instance_arn + "x"})
    assert (moved.changes, moved.replaces, moved.delete_before_replace) == (None, ["app_instance_arn"], None)
    adopted = provider.diff(arn, outs, {**same, "adopt_id": "anything"})
    assert (adopted.changes, adopted.replaces) == (None, []), "recorded by an update without API calls"
    assert provider.diff(arn, outs, {**same, "configuration": {"lex": UNKNOWN}}).changes is None
    assert calls(emulator, start) == [], "diff makes no API calls"


def test_update_of_configuration_is_one_call_with_name_and_metadata(
    emulator: Emulator, chime: Any, instance_arn: str
) -> None:
    arn, outs = make(instance_arn, metadata="m")
    lex = {"lex_bot_alias_arn": OTHER_ALIAS, "locale_id": "de_DE", "invoked_by": LEX["invoked_by"]}
    news = checked(
        provider, {"app_instance_arn": instance_arn, "configuration": {"lex": lex}, "name": "helper", "metadata": "m"}
    )
    start = log_position(emulator)
    with sent() as requests:
        updated = provider.update(arn, outs, news).outs
    assert calls(emulator, start) == ["UpdateAppInstanceBot"]
    api_lex = {
        "LexBotAliasArn": OTHER_ALIAS,
        "LocaleId": "de_DE",
        "InvokedBy": {"StandardMessages": "MENTIONS", "TargetedMessages": "ALL"},
    }
    assert requests == [
        (
            "UpdateAppInstanceBot",
            {"AppInstanceBotArn": arn, "Name": "helper", "Metadata": "m", "Configuration": {"Lex": api_lex}},
        )
    ]
    assert updated is not None
    assert updated["configuration"] == {"lex": lex}
    assert updated["last_updated_timestamp"] >= outs["last_updated_timestamp"]
    assert chime.describe_app_instance_bot(AppInstanceBotArn=arn)["AppInstanceBot"]["Configuration"] == {"Lex": api_lex}
    result = provider.read(arn, updated)
    assert result.inputs is not None
    assert result.inputs["configuration"] == {"lex": lex}, "the new configuration reads back the same"


def test_update_of_name_leaves_configuration_out(emulator: Emulator, instance_arn: str) -> None:
    arn, outs = make(instance_arn, metadata="m", tags={"drop": "1"})
    news = checked(provider, {"app_instance_arn": instance_arn, "configuration": {"lex": LEX}, "metadata": "m"})
    start = log_position(emulator)
    with sent() as requests:
        updated = provider.update(arn, outs, news).outs
    assert calls(emulator, start) == ["UpdateAppInstanceBot", "UntagResource"]
    assert requests[0] == ("UpdateAppInstanceBot", {"AppInstanceBotArn": arn, "Name": "", "Metadata": "m"})
    assert updated is not None
    assert (updated["name"], updated["tags"]) == ("", {})

    start = log_position(emulator)
    provider.update(arn, updated, news)
    assert calls(emulator, start) == [], "nothing changed, nothing called"


def test_refresh_finds_drift_and_resets_inputs(chime: Any, instance_arn: str) -> None:
    arn, outs = make(instance_arn)
    lex = {"LexBotAliasArn": OTHER_ALIAS, "LocaleId": "fr_FR", "WelcomeIntent": "Bonjour"}
    chime.update_app_instance_bot(AppInstanceBotArn=arn, Name="hand", Metadata="made", Configuration={"Lex": lex})
    result = provider.read(arn, outs)
    assert result.inputs == {
        "app_instance_arn": instance_arn,
        "configuration": {"lex": {"lex_bot_alias_arn": OTHER_ALIAS, "locale_id": "fr_FR", "welcome_intent": "Bonjour"}},
        "name": "hand",
        "metadata": "made",
        "tags": {},
    }
    assert result.outs is not None
    assert result.outs["last_updated_timestamp"] != outs["last_updated_timestamp"]
    program = checked(provider, {"app_instance_arn": instance_arn, "configuration": {"lex": LEX}, "name": "helper"})
    assert provider.diff(arn, result.outs, program).changes is None


def test_vanished_bot_is_dropped_and_delete_is_idempotent(
    emulator: Emulator, chime: Any, instance_arn: str, settled: None
) -> None:
    arn, outs = make(instance_arn)
    chime.delete_app_instance_bot(AppInstanceBotArn=arn)
    gone = provider.read(arn, outs)
    assert (gone.id, gone.outs) == (None, {})
    start = log_position(emulator)
    provider.delete(arn, outs)
    assert calls(emulator, start) == ["DeleteAppInstanceBot"]


def test_forbidden_means_gone_only_when_the_list_agrees(
    emulator: Emulator, chime: Any, instance_arn: str, settled: None
) -> None:
    arn, outs = make(instance_arn)
    emulator.configure(missing_error="ForbiddenException")
    assert provider.read(arn, outs).id == arn
    chime.delete_app_instance_bot(AppInstanceBotArn=arn)
    start = log_position(emulator)
    assert provider.read(arn, outs).outs == {}
    provider.delete(arn, outs)
    assert calls(emulator, start) == [
        "DescribeAppInstanceBot",
        "ListAppInstanceBots",
        "DeleteAppInstanceBot",
        "ListAppInstanceBots",
    ]


def test_adopt_takes_over_and_converges(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    arn = chime.create_app_instance_bot(
        AppInstanceArn=instance_arn,
        Name="hand",
        Configuration={"Lex": {"LexBotAliasArn": OTHER_ALIAS, "LocaleId": "x"}},
    )["AppInstanceBotArn"]
    start = log_position(emulator)
    with sent() as requests:
        created = provider.create(
            checked(provider, {"app_instance_arn": instance_arn, "configuration": {"lex": LEX}, "adopt_id": arn})
        )
    assert created.id == arn
    assert calls(emulator, start) == [
        # check found what adopt_id names (preview refuses an adopt_id of nothing), then create
        "DescribeAppInstanceBot",
        "ListTagsForResource",
        "DescribeAppInstanceBot",
        "ListTagsForResource",
        "UpdateAppInstanceBot",
    ]
    assert requests[-1] == (
        "UpdateAppInstanceBot",
        {"AppInstanceBotArn": arn, "Name": "", "Metadata": "", "Configuration": {"Lex": API_LEX}},
    )
    assert (created.outs or {})["arn"] == arn
    assert len(chime.list_app_instance_bots(AppInstanceArn=instance_arn)["AppInstanceBots"]) == 1


def test_adopt_of_a_bot_in_another_app_instance_fails(chime: Any, instance_arn: str) -> None:
    other = chime.create_app_instance(Name="other")["AppInstanceArn"]
    arn = chime.create_app_instance_bot(AppInstanceArn=other, Configuration={"Lex": API_LEX})["AppInstanceBotArn"]
    with pytest.raises(AdoptionError) as caught:
        make(instance_arn, adopt_id=arn)
    assert str(caught.value) == (
        f"adopt_id {arn} has app_instance_arn={other!r}, but the inputs say {instance_arn!r}; "
        "app_instance_arn cannot be changed in place"
    )


def test_adopt_of_nothing_fails_clearly(instance_arn: str) -> None:
    missing = f"{instance_arn}/bot/nope"
    # preview refuses it, naming adopt_id; where preview could not tell, the create does
    with pytest.raises(
        AssertionError,
        match=re.escape(f"adopt_id: {missing} names no existing AppInstanceBot. Correct it, or remove it"),
    ):
        make(instance_arn, adopt_id=missing)
    with pytest.raises(AdoptionError) as caught:
        provider.create({"app_instance_arn": instance_arn, "configuration": {"lex": LEX}, "adopt_id": missing})
    assert str(caught.value) == f"adopt_id {missing} names no existing AppInstanceBot"

"""Bad input is refused at check, naming what is wrong, with no API call: the rules every provider shares.

Each case runs the provider's check as the engine would (with ``__provider``), against the emulator, and
asserts the reason, the property named for the engine (none when the value is sensitive: the engine prints
the value of the property a failure names), and that the emulator received no request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_chime_sdk_identity.dynamic_providers import (
    AppInstanceAdminProvider,
    AppInstanceBotProvider,
    AppInstanceProvider,
    AppInstanceRetentionSettingsProvider,
    AppInstanceUserEndpointProvider,
    AppInstanceUserProvider,
    _config,
)
from pulumi_chime_sdk_identity.dynamic_providers._provider import ChimeProvider
from pulumi_chime_sdk_identity.dynamic_providers._schema import UNKNOWN
from tests.dynamic_providers.support import checked, log_position, named
from tests.support import LEX_ALIAS, PINPOINT_APP, Emulator

APP = "arn:aws:chime:us-east-1:123456789012:app-instance/11111111-2222-3333-4444-555555555555"
USER = f"{APP}/user/alice"
BOT = f"{APP}/bot/22222222-3333-4444-5555-666666666666"
WEST_APP = APP.replace("us-east-1", "us-west-2")
LEX = {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}

VALID: dict[type[ChimeProvider], dict[str, Any]] = {
    AppInstanceProvider: {"name": "app"},
    AppInstanceUserProvider: {"app_instance_arn": APP, "app_instance_user_id": "alice", "name": "Alice"},
    AppInstanceBotProvider: {"app_instance_arn": APP, "configuration": {"lex": LEX}},
    AppInstanceAdminProvider: {"app_instance_arn": APP, "admin_arn": USER},
    AppInstanceUserEndpointProvider: {
        "app_instance_user_arn": USER,
        "type": "GCM",
        "resource_arn": PINPOINT_APP,
        "endpoint_attributes": {"device_token": "token"},
    },
    AppInstanceRetentionSettingsProvider: {"app_instance_arn": APP, "channel_retention_days": 30.0},
}


@pytest.fixture(autouse=True)
def no_calls(emulator: Emulator) -> Iterator[None]:
    """Every case here is refused without one API call."""
    start = log_position(emulator)
    yield
    assert emulator.operations(start) == []


def check(kind: type[ChimeProvider], olds: dict[str, Any] | None = None, **changes: Any) -> Any:
    news = {**VALID[kind], **changes}
    return kind().check(olds or {}, {**{k: v for k, v in news.items() if v is not None}, "__provider": "x"})


def reasons(result: Any) -> list[str]:
    return [failure.reason for failure in result.failures]


@pytest.mark.parametrize(
    ("kind", "key", "value", "reason"),
    [
        (
            AppInstanceRetentionSettingsProvider,
            "channel_retention_days",
            True,
            "must be a whole number, not true or false",
        ),
        (
            AppInstanceRetentionSettingsProvider,
            "channel_retention_days",
            False,
            "must be a whole number, not true or false",
        ),
        (AppInstanceRetentionSettingsProvider, "channel_retention_days", "30", "must be a whole number, not a string"),
    ],
)
def test_a_bool_or_a_string_is_no_number_of_days(kind: type[ChimeProvider], key: str, value: Any, reason: str) -> None:
    result = check(kind, **{key: value})
    assert [(f.property, f.reason) for f in result.failures] == [(key, f"{key}: {reason}")]


@pytest.mark.parametrize("value", [True, "30"])
def test_expiration_days_takes_no_bool_or_string(value: Any) -> None:
    result = check(AppInstanceUserProvider, expiration_settings={"expiration_days": value})
    [failure] = result.failures
    assert failure.property == "expiration_settings.expiration_days"
    assert failure.reason.startswith("expiration_settings.expiration_days: must be a whole number, not ")


def test_the_engines_float_days_are_still_whole_numbers() -> None:
    user = VALID[AppInstanceUserProvider]  # an update (old inputs given): check reads nothing
    inputs = checked(AppInstanceUserProvider(), {**user, "expiration_settings": {"expiration_days": 30.0}}, user)
    assert inputs["expiration_settings"]["expiration_days"] == 30
    assert type(inputs["expiration_settings"]["expiration_days"]) is int


@pytest.mark.parametrize(
    ("kind", "changes", "path", "suggestion"),
    [
        (
            AppInstanceUserProvider,
            {"expiration_settings": {"expiration_days": 30, "expiration_critrion": "CREATED_TIMESTAMP"}},
            "expiration_settings.expiration_critrion",
            "did you mean expiration_criterion?",
        ),
        (
            AppInstanceUserEndpointProvider,
            {"endpoint_attributes": {"device_token": "t", "voip_device_tokn": "v"}},
            "endpoint_attributes.voip_device_tokn",
            "did you mean voip_device_token?",
        ),
        (
            AppInstanceBotProvider,
            {"configuration": {"lex": {**LEX, "welcome_intnet": "Hello"}}},
            "configuration.lex.welcome_intnet",
            "did you mean welcome_intent?",
        ),
        (
            AppInstanceBotProvider,
            {"configuration": {"lex": {**LEX, "invoked_by": {"standard_mesages": "ALL", "targeted_messages": "ALL"}}}},
            "configuration.lex.invoked_by.standard_mesages",
            "did you mean standard_messages?",
        ),
        (AppInstanceProvider, {"nmae": "x"}, "nmae", "did you mean name?"),
        (
            AppInstanceProvider,
            {"colour": "x"},
            "colour",
            "expected one of name, metadata, tags, region, adopt_id, force_destroy",
        ),
    ],
)
def test_unknown_keys_are_refused_at_every_depth_with_a_suggestion(
    kind: type[ChimeProvider], changes: dict[str, Any], path: str, suggestion: str
) -> None:
    result = check(kind, **changes)
    assert f"{path}: unknown key; {suggestion}" in reasons(result)


def test_a_misspelt_required_key_is_reported_once_as_unknown() -> None:
    result = check(AppInstanceBotProvider, configuration={"lex": {"lex_bot_alias_ar": LEX_ALIAS, "locale_id": "en_US"}})
    assert reasons(result) == ["configuration.lex.lex_bot_alias_ar: unknown key; did you mean lex_bot_alias_arn?"]


def test_unknown_keys_are_refused_next_to_unknown_values() -> None:
    # A Lex alias from another stack's output is unknown during preview: the block around it is still checked.
    result = check(
        AppInstanceBotProvider, configuration={"lex": {**LEX, "lex_bot_alias_arn": UNKNOWN, "welcome_intnet": "x"}}
    )
    assert reasons(result) == ["configuration.lex.welcome_intnet: unknown key; did you mean welcome_intent?"]
    assert check(AppInstanceBotProvider, configuration={"lex": {**LEX, "lex_bot_alias_arn": Unknown()}}).failures == []
    assert check(AppInstanceBotProvider, configuration=Unknown()).failures == []


def test_the_engines_provider_key_is_no_unknown_key() -> None:
    for kind in VALID:
        if kind in (AppInstanceUserProvider, AppInstanceAdminProvider):
            continue  # a new user or admin reads the one ID it would take: not this test's concern
        assert check(kind).failures == [], kind


@pytest.mark.parametrize(
    ("kind", "key", "value", "reason"),
    [
        (
            AppInstanceUserProvider,
            "app_instance_arn",
            USER,
            "must be an AppInstance ARN (arn:aws:chime:REGION:ACCOUNT:app-instance/ID), got an AppInstanceUser ARN",
        ),
        (AppInstanceBotProvider, "app_instance_arn", BOT, "got an AppInstanceBot ARN"),
        (AppInstanceRetentionSettingsProvider, "app_instance_arn", BOT, "got an AppInstanceBot ARN"),
        (AppInstanceAdminProvider, "app_instance_arn", USER, "got an AppInstanceUser ARN"),
        (
            AppInstanceAdminProvider,
            "admin_arn",
            APP,
            "must be an AppInstanceUser ARN (arn:aws:chime:REGION:ACCOUNT:app-instance/ID/user/USER_ID) or an "
            "AppInstanceBot ARN",
        ),
        (AppInstanceAdminProvider, "admin_arn", LEX_ALIAS, "got an ARN of service 'lex'"),
        (AppInstanceUserEndpointProvider, "app_instance_user_arn", APP, "got an AppInstance ARN"),
        (AppInstanceUserEndpointProvider, "app_instance_user_arn", BOT, "got an AppInstanceBot ARN"),
        (
            AppInstanceUserEndpointProvider,
            "resource_arn",
            APP,
            "must be an Amazon Pinpoint app ARN (arn:aws:mobiletargeting:REGION:ACCOUNT:apps/APP_ID), "
            "got an AppInstance ARN",
        ),
    ],
)
def test_an_arn_of_the_wrong_kind_is_refused(kind: type[ChimeProvider], key: str, value: str, reason: str) -> None:
    result = check(kind, **{key: value})
    [failure] = result.failures
    assert failure.reason.startswith(f"{key}: must be ")
    assert reason in failure.reason
    assert value not in failure.reason  # ARNs can hold user ids: only their kind is said


def test_an_admin_of_another_app_instance_is_refused() -> None:
    other_user = USER.replace("11111111", "99999999")
    result = check(AppInstanceAdminProvider, admin_arn=other_user)
    assert reasons(result) == [
        "admin_arn: must be the ARN of a user or bot of app_instance_arn, not of another AppInstance"
    ]
    assert result.failures[0].property == ""  # admin_arn may hold a user id


@pytest.mark.parametrize(
    ("kind", "key", "value"),
    [
        (AppInstanceUserProvider, "app_instance_arn", WEST_APP),
        (AppInstanceBotProvider, "app_instance_arn", WEST_APP),
        (AppInstanceRetentionSettingsProvider, "app_instance_arn", WEST_APP),
        (AppInstanceAdminProvider, "app_instance_arn", WEST_APP),
        (AppInstanceUserEndpointProvider, "app_instance_user_arn", f"{WEST_APP}/user/alice"),
    ],
)
def test_a_parent_arn_in_a_region_without_the_service_is_refused(
    kind: type[ChimeProvider], key: str, value: str
) -> None:
    changes = {key: value}
    if kind is AppInstanceAdminProvider:
        changes["admin_arn"] = f"{WEST_APP}/user/alice"
    result = check(kind, **changes)
    assert (
        f"{key}: its region 'us-west-2' has no Chime SDK Identity endpoint (only us-east-1, eu-central-1)"
        in reasons(result)
    )


@pytest.mark.parametrize(
    ("config", "source"),
    [
        ({"chimesdkidentity:region": "us-west-2"}, "chimesdkidentity:region"),
        ({"aws:region": "us-west-2"}, "aws:region"),
        ({"aws:region": "us-east-1", "chimesdkidentity:region": "ap-southeast-1"}, "chimesdkidentity:region"),
    ],
)
def test_a_configured_region_without_the_service_is_refused_for_a_new_app_instance(
    emulator: Emulator, config: dict[str, str], source: str
) -> None:
    _config.configure({"chimesdkidentity:endpoint": emulator.url, **config})
    region = config.get("chimesdkidentity:region") or config["aws:region"]
    result = check(AppInstanceProvider)
    assert [(f.property, f.reason) for f in result.failures] == [
        (
            "region",
            f"region: not set, so the AppInstance would be made in {region!r} from {source}: Chime SDK Identity is "
            f"only in us-east-1, eu-central-1, not {region!r}. Set region, or `pulumi config set "
            "chimesdkidentity:region us-east-1`",
        )
    ]
    # The region input wins over configuration; an AppInstance that exists stays where its ARN says.
    assert check(AppInstanceProvider, region="eu-central-1").failures == []
    assert check(AppInstanceProvider, olds={"name": "app"}).failures == []


def test_a_region_from_the_environment_is_named(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "sa-east-1")
    _config.configure({"chimesdkidentity:endpoint": emulator.url})
    assert "from AWS_REGION: Chime SDK Identity is only in" in reasons(check(AppInstanceProvider))[0]


@pytest.mark.parametrize(
    ("kind", "value", "reason"),
    [
        (AppInstanceProvider, "not-an-arn", "must be an AppInstance ARN"),
        (AppInstanceProvider, USER, "got an AppInstanceUser ARN"),
        (AppInstanceUserProvider, "not-an-arn", "must be an AppInstanceUser ARN"),
        (AppInstanceUserProvider, APP, "got an AppInstance ARN"),
        (AppInstanceBotProvider, "not-an-arn", "must be an AppInstanceBot ARN"),
        (AppInstanceBotProvider, USER, "got an AppInstanceUser ARN"),
        (AppInstanceRetentionSettingsProvider, "not-an-arn", "must be an AppInstance ARN"),
        (AppInstanceRetentionSettingsProvider, f"{WEST_APP}", "its region 'us-west-2' has no Chime SDK Identity"),
        (
            AppInstanceAdminProvider,
            "not-an-arn",
            "must be '<AppInstance ARN>|<user or bot ARN>', the ID of an AppInstanceAdmin: has no '|'",
        ),
        (AppInstanceAdminProvider, USER, "has no '|'"),
        (AppInstanceAdminProvider, f"{APP}|{APP}", "must be an AppInstanceUser ARN"),
        (
            AppInstanceAdminProvider,
            f"{APP}|{USER.replace('11111111', '99999999')}",
            "names a user or bot of another AppInstance",
        ),
        (
            AppInstanceUserEndpointProvider,
            "not-an-arn",
            "must be '<user ARN>|<endpoint ID>', the ID of an AppInstanceUserEndpoint: has no '|'",
        ),
        (AppInstanceUserEndpointProvider, f"{USER}|", "has no endpoint ID after '|'"),
        (AppInstanceUserEndpointProvider, f"{APP}|abc", "must be an AppInstanceUser ARN"),
        (AppInstanceUserEndpointProvider, f"{USER}|{'e' * 65}", "its endpoint ID must be at most 64 characters"),
    ],
)
def test_a_malformed_adopt_id_is_refused(kind: type[ChimeProvider], value: str, reason: str) -> None:
    result = check(kind, adopt_id=value)
    [failure] = result.failures
    assert failure.reason.startswith("adopt_id: ")
    assert reason in failure.reason
    sensitive = kind in (AppInstanceUserProvider, AppInstanceAdminProvider, AppInstanceUserEndpointProvider)
    assert failure.property == ("" if sensitive else "adopt_id")


@pytest.mark.parametrize(
    ("kind", "changes", "path"),
    [
        (AppInstanceProvider, {"name": "SECRET-" + "n" * 300}, "name"),
        (AppInstanceProvider, {"metadata": "SECRET-" + "m" * 2000}, "metadata"),
        (AppInstanceProvider, {"tags": {"SECRET-" + "k" * 200: "v"}}, "tags"),
        (AppInstanceUserProvider, {"app_instance_user_id": "SECRET user id"}, "app_instance_user_id"),
        (AppInstanceUserProvider, {"name": "SECRET" + " " * 200}, "name"),
        (AppInstanceBotProvider, {"metadata": "SECRET-" + "m" * 2000}, "metadata"),
        (AppInstanceUserEndpointProvider, {"name": "SECRET-" + "n" * 1600}, "name"),
        (AppInstanceUserEndpointProvider, {"app_instance_user_arn": "arn:SECRET"}, "app_instance_user_arn"),
        (
            AppInstanceUserEndpointProvider,
            {"endpoint_attributes": {"device_token": "SECRET-" + "t" * 1600}},
            "endpoint_attributes.device_token",
        ),
    ],
)
def test_a_sensitive_value_is_named_in_the_reason_only(
    kind: type[ChimeProvider], changes: dict[str, Any], path: str
) -> None:
    result = check(kind, **changes)
    assert named(result) == {path: ""}  # no property for the engine to print the value of
    assert "SECRET" not in " ".join(reasons(result))


def test_a_plain_value_names_its_property_for_the_engine() -> None:
    result = check(AppInstanceRetentionSettingsProvider, channel_retention_days=0, app_instance_arn=BOT)
    assert named(result) == {"app_instance_arn": "app_instance_arn", "channel_retention_days": "channel_retention_days"}

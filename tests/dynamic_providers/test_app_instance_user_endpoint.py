"""AppInstanceUserEndpointProvider against the emulator: composite IDs, in-place vs replace, secret device tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_chime_sdk_identity.dynamic_providers import AdoptionError, ApiError, AppInstanceUserEndpointProvider
from pulumi_chime_sdk_identity.dynamic_providers._schema import UNKNOWN
from tests.dynamic_providers.support import as_engine_sends, calls, checked, log_position
from tests.dynamic_providers.wire import sent
from tests.support import PINPOINT_APP, Emulator

provider = AppInstanceUserEndpointProvider()
TOKEN = "device-token-0123456789abcdef"
VOIP = "voip-token-fedcba9876543210"
OTHER_APP = PINPOINT_APP.replace("0123456789abcdef", "fedcba9876543210")


@pytest.fixture
def user_arn(chime: Any, instance_arn: str) -> str:
    return str(
        chime.create_app_instance_user(AppInstanceArn=instance_arn, AppInstanceUserId="alice", Name="Alice")[
            "AppInstanceUserArn"
        ]
    )


def program(user_arn: str, **news: Any) -> dict[str, Any]:
    base = {
        "app_instance_user_arn": user_arn,
        "type": "APNS",
        "resource_arn": PINPOINT_APP,
        "endpoint_attributes": {"device_token": TOKEN},
        "name": "phone",
    }
    return {**base, **news}


def make(user_arn: str, **news: Any) -> tuple[str, dict[str, Any]]:
    created = provider.create(checked(provider, program(user_arn, **news)))
    return created.id, dict(created.outs or {})


def test_check_normalizes_and_defaults(user_arn: str) -> None:
    without_name = {key: value for key, value in program(user_arn).items() if key != "name"}
    assert checked(provider, without_name) == {
        "app_instance_user_arn": user_arn,
        "type": "APNS",
        "resource_arn": PINPOINT_APP,
        "endpoint_attributes": {"device_token": TOKEN},
        "name": "",
        "allow_messages": "ALL",
    }


def test_check_reasons_name_the_property_and_never_the_token(user_arn: str) -> None:
    long_token = "T" * 1601
    result = provider.check(
        {},
        program(
            user_arn,
            type="FCM",
            endpoint_attributes={"device_token": long_token, "voip_device_token": ""},
            allow_messages="SOME",
        ),
    )
    reasons = sorted((failure.property, failure.reason) for failure in result.failures)
    # Failures of the secret input name no property: the engine would print that property's value.
    assert reasons == [
        ("", "endpoint_attributes.device_token: must be at most 1600 characters"),
        ("", "endpoint_attributes.voip_device_token: must not be empty"),
        ("allow_messages", "allow_messages: must be one of ALL, NONE"),
        ("type", "type: must be one of APNS, APNS_SANDBOX, GCM"),
    ]
    assert all("\n" not in reason for _, reason in reasons)
    assert not any(long_token[:16] in reason for _, reason in reasons)


def test_check_of_a_malformed_token_never_echoes_it(user_arn: str) -> None:
    for bad in ({"device_token": "line\nbreak-" + TOKEN}, {"device_token": 12345}, TOKEN, {"voip_device_token": VOIP}):
        result = provider.check({}, program(user_arn, endpoint_attributes=bad))
        assert len(result.failures) == 1, bad
        reason = result.failures[0].reason
        assert reason.startswith("endpoint_attributes"), reason
        assert not [secret for secret in (TOKEN, VOIP, "12345", "line") if secret in reason], reason


def test_check_requires_fields_and_lets_unknowns_through(user_arn: str) -> None:
    assert [f.reason for f in provider.check({}, {}).failures] == [
        "app_instance_user_arn: Field required",
        "type: Field required",
        "resource_arn: Field required",
        "endpoint_attributes: Field required",
    ]
    result = provider.check({}, program(user_arn, endpoint_attributes=UNKNOWN, type=Unknown()))
    assert result.failures == []
    assert result.inputs["endpoint_attributes"] == UNKNOWN


def test_create_is_one_call_and_the_id_is_user_bar_endpoint(emulator: Emulator, chime: Any, user_arn: str) -> None:
    start = log_position(emulator)
    with sent() as requests:
        endpoint_id, outs = make(user_arn, endpoint_attributes={"device_token": TOKEN, "voip_device_token": VOIP})
    assert calls(emulator, start) == ["RegisterAppInstanceUserEndpoint"]
    [(_, params)] = requests
    assert {key: value for key, value in params.items() if key != "ClientRequestToken"} == {
        "AppInstanceUserArn": user_arn,
        "Name": "phone",
        "Type": "APNS",
        "ResourceArn": PINPOINT_APP,
        "EndpointAttributes": {"DeviceToken": TOKEN, "VoipDeviceToken": VOIP},
        "AllowMessages": "ALL",
    }
    assert endpoint_id == f"{user_arn}|{outs['endpoint_id']}"
    assert TOKEN not in endpoint_id
    assert outs == {
        "app_instance_user_arn": user_arn,
        "type": "APNS",
        "resource_arn": PINPOINT_APP,
        "endpoint_attributes": {"device_token": TOKEN, "voip_device_token": VOIP},
        "name": "phone",
        "allow_messages": "ALL",
        "endpoint_id": outs["endpoint_id"],
        "endpoint_state": {"status": "ACTIVE"},
        "created_timestamp": outs["created_timestamp"],
        "last_updated_timestamp": outs["created_timestamp"],
    }
    [summary] = chime.list_app_instance_user_endpoints(AppInstanceUserArn=user_arn)["AppInstanceUserEndpoints"]
    assert summary["EndpointId"] == outs["endpoint_id"]


def test_read_matches_create_and_costs_one_call(emulator: Emulator, user_arn: str) -> None:
    endpoint_id, outs = make(user_arn)
    start = log_position(emulator)
    result = provider.read(endpoint_id, as_engine_sends(outs))
    assert calls(emulator, start) == ["DescribeAppInstanceUserEndpoint"]
    assert result.id == endpoint_id
    assert result.outs == outs
    assert result.inputs == {
        "app_instance_user_arn": user_arn,
        "type": "APNS",
        "resource_arn": PINPOINT_APP,
        "endpoint_attributes": {"device_token": TOKEN},
        "name": "phone",
        "allow_messages": "ALL",
    }


def test_diff_updates_name_and_allow_messages_and_replaces_the_rest(emulator: Emulator, user_arn: str) -> None:
    endpoint_id, outs = make(user_arn)
    start = log_position(emulator)
    same = checked(provider, program(user_arn))
    assert provider.diff(endpoint_id, as_engine_sends(outs), same).changes is False
    for key, value in (("name", "tablet"), ("allow_messages", "NONE")):
        in_place = provider.diff(endpoint_id, outs, {**same, key: value})
        assert (in_place.changes, in_place.replaces, in_place.delete_before_replace) == (None, [], True), key
    for key, value in (
        ("type", "GCM"),
        ("resource_arn", OTHER_APP),
        ("endpoint_attributes", {"device_token": "new-token"}),
        ("endpoint_attributes", {"device_token": TOKEN, "voip_device_token": VOIP}),
        ("app_instance_user_arn", user_arn + "x"),
    ):
        replaced = provider.diff(endpoint_id, outs, {**same, key: value})
        assert (replaced.changes, replaced.replaces, replaced.delete_before_replace) == (None, [key], True), key
    adopted = provider.diff(endpoint_id, outs, {**same, "adopt_id": "anything"})
    assert (adopted.changes, adopted.replaces) == (None, []), "recorded by an update without API calls"
    assert provider.diff(endpoint_id, outs, {**same, "endpoint_attributes": UNKNOWN}).replaces == [
        "endpoint_attributes"
    ]
    assert calls(emulator, start) == [], "diff makes no API calls"


def test_update_is_one_update_call_with_name_and_allow_messages(emulator: Emulator, chime: Any, user_arn: str) -> None:
    endpoint_id, outs = make(user_arn)
    start = log_position(emulator)
    with sent() as requests:
        updated = provider.update(
            endpoint_id,
            as_engine_sends(outs),
            checked(provider, program(user_arn, name="tablet", allow_messages="NONE")),
        ).outs
    assert calls(emulator, start) == ["UpdateAppInstanceUserEndpoint"]
    assert requests == [
        (
            "UpdateAppInstanceUserEndpoint",
            {
                "AppInstanceUserArn": user_arn,
                "EndpointId": outs["endpoint_id"],
                "Name": "tablet",
                "AllowMessages": "NONE",
            },
        )
    ]
    live = chime.describe_app_instance_user_endpoint(AppInstanceUserArn=user_arn, EndpointId=outs["endpoint_id"])
    assert (live["AppInstanceUserEndpoint"]["Name"], live["AppInstanceUserEndpoint"]["AllowMessages"]) == (
        "tablet",
        "NONE",
    )
    assert updated is not None
    assert (updated["name"], updated["allow_messages"], updated["endpoint_id"]) == (
        "tablet",
        "NONE",
        outs["endpoint_id"],
    )
    assert updated["endpoint_state"] == {"status": "ACTIVE"}
    assert updated["last_updated_timestamp"] >= outs["last_updated_timestamp"]

    start = log_position(emulator)
    provider.update(endpoint_id, updated, checked(provider, program(user_arn, name="tablet", allow_messages="NONE")))
    assert calls(emulator, start) == [], "nothing changed, nothing called"


def test_refresh_finds_drift_and_resets_inputs(chime: Any, user_arn: str) -> None:
    endpoint_id, outs = make(user_arn)
    chime.update_app_instance_user_endpoint(
        AppInstanceUserArn=user_arn, EndpointId=outs["endpoint_id"], Name="by hand", AllowMessages="NONE"
    )
    result = provider.read(endpoint_id, outs)
    assert result.inputs == {
        "app_instance_user_arn": user_arn,
        "type": "APNS",
        "resource_arn": PINPOINT_APP,
        "endpoint_attributes": {"device_token": TOKEN},
        "name": "by hand",
        "allow_messages": "NONE",
    }
    assert result.outs is not None
    assert result.outs["last_updated_timestamp"] != outs["last_updated_timestamp"]
    diff = provider.diff(endpoint_id, result.outs, checked(provider, program(user_arn)))
    assert (diff.changes, diff.replaces) == (None, [])


def test_vanished_endpoint_is_dropped_and_delete_is_idempotent(
    emulator: Emulator, chime: Any, user_arn: str, settled: None
) -> None:
    endpoint_id, outs = make(user_arn)
    chime.deregister_app_instance_user_endpoint(AppInstanceUserArn=user_arn, EndpointId=outs["endpoint_id"])
    gone = provider.read(endpoint_id, outs)
    assert (gone.id, gone.outs) == (None, {})
    start = log_position(emulator)
    provider.delete(endpoint_id, outs)
    assert calls(emulator, start) == ["DeregisterAppInstanceUserEndpoint"]


@pytest.mark.parametrize("missing_error", ["NotFoundException", "ForbiddenException"])
def test_delete_after_the_user_was_deleted_succeeds(
    emulator: Emulator, chime: Any, user_arn: str, settled: None, missing_error: str
) -> None:
    endpoint_id, outs = make(user_arn)
    emulator.configure(missing_error=missing_error)
    chime.delete_app_instance_user(AppInstanceUserArn=user_arn)
    assert provider.read(endpoint_id, outs).outs == {}
    start = log_position(emulator)
    provider.delete(endpoint_id, outs)
    expected = ["DeregisterAppInstanceUserEndpoint"]
    if missing_error == "ForbiddenException":
        # Forbidden is confirmed: the user's endpoints are Forbidden too, and the user is not listed.
        expected += ["ListAppInstanceUserEndpoints", "ListAppInstanceUsers"]
    assert calls(emulator, start) == expected


def test_forbidden_means_gone_only_when_the_list_agrees(
    emulator: Emulator, chime: Any, user_arn: str, settled: None
) -> None:
    endpoint_id, outs = make(user_arn)
    emulator.configure(missing_error="ForbiddenException")
    assert provider.read(endpoint_id, outs).id == endpoint_id
    chime.deregister_app_instance_user_endpoint(AppInstanceUserArn=user_arn, EndpointId=outs["endpoint_id"])
    start = log_position(emulator)
    assert provider.read(endpoint_id, outs).outs == {}
    assert calls(emulator, start) == ["DescribeAppInstanceUserEndpoint", "ListAppInstanceUserEndpoints"]


def test_same_device_again_asks_for_adoption_with_the_exact_id(emulator: Emulator, chime: Any, user_arn: str) -> None:
    chime.register_app_instance_user_endpoint(
        AppInstanceUserArn=user_arn,
        Type="APNS",
        ResourceArn=OTHER_APP,
        EndpointAttributes={"DeviceToken": TOKEN},
    )  # same device, other app: not the conflicting one
    existing = chime.register_app_instance_user_endpoint(
        AppInstanceUserArn=user_arn,
        Name="by hand",
        Type="APNS",
        ResourceArn=PINPOINT_APP,
        EndpointAttributes={"DeviceToken": TOKEN},
    )
    existing_id = f"{user_arn}|{existing['EndpointId']}"
    start = log_position(emulator)
    with pytest.raises(AdoptionError) as caught:
        make(user_arn)
    message = str(caught.value)
    assert message == (
        f"AppInstanceUserEndpoint {existing_id} already exists. If you renamed this resource in your program, "
        'add opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="<its old name>")]) so Pulumi keeps it under '
        f'the new name. To manage one made outside this stack, set adopt_id="{existing_id}". If an interrupted '
        "`pulumi up` created it, see README, Troubleshooting."
    )
    assert TOKEN not in message
    made = calls(emulator, start)
    listed = chime.list_app_instance_user_endpoints(AppInstanceUserArn=user_arn)["AppInstanceUserEndpoints"]
    described = [summary["EndpointId"] for summary in listed].index(existing["EndpointId"]) + 1
    assert made == [
        "RegisterAppInstanceUserEndpoint",
        "ListAppInstanceUserEndpoints",
        *["DescribeAppInstanceUserEndpoint"] * described,  # up to the match, in list order
    ]


def test_api_errors_never_carry_the_token(chime: Any, user_arn: str) -> None:
    chime.delete_app_instance_user(AppInstanceUserArn=user_arn)
    with pytest.raises(ApiError) as caught:
        make(user_arn, endpoint_attributes={"device_token": TOKEN, "voip_device_token": VOIP})
    assert (caught.value.operation, caught.value.code) == ("RegisterAppInstanceUserEndpoint", "NotFoundException")
    assert TOKEN not in str(caught.value)
    assert VOIP not in str(caught.value)


def test_adopt_takes_over_and_converges(emulator: Emulator, chime: Any, user_arn: str) -> None:
    existing = chime.register_app_instance_user_endpoint(
        AppInstanceUserArn=user_arn,
        Name="by hand",
        Type="APNS",
        ResourceArn=PINPOINT_APP,
        EndpointAttributes={"DeviceToken": TOKEN},
        AllowMessages="NONE",
    )
    existing_id = f"{user_arn}|{existing['EndpointId']}"
    start = log_position(emulator)
    created = provider.create(checked(provider, program(user_arn, adopt_id=existing_id)))
    assert calls(emulator, start) == [
        # check found what adopt_id names (preview refuses an adopt_id of nothing), then create
        "DescribeAppInstanceUserEndpoint",
        "DescribeAppInstanceUserEndpoint",
        "UpdateAppInstanceUserEndpoint",
    ]
    assert created.id == existing_id
    outs = created.outs or {}
    assert (outs["endpoint_id"], outs["name"], outs["allow_messages"]) == (existing["EndpointId"], "phone", "ALL")
    assert len(chime.list_app_instance_user_endpoints(AppInstanceUserArn=user_arn)["AppInstanceUserEndpoints"]) == 1


def test_adopt_of_another_device_fails_without_showing_tokens(emulator: Emulator, chime: Any, user_arn: str) -> None:
    other_token = "other-device-token-0000"
    existing = chime.register_app_instance_user_endpoint(
        AppInstanceUserArn=user_arn,
        Type="APNS",
        ResourceArn=PINPOINT_APP,
        EndpointAttributes={"DeviceToken": other_token},
    )
    existing_id = f"{user_arn}|{existing['EndpointId']}"
    with pytest.raises(AdoptionError) as caught:
        make(user_arn, adopt_id=existing_id)
    message = str(caught.value)
    assert message == (
        f"adopt_id {existing_id} has other endpoint_attributes than the inputs; "
        "endpoint_attributes cannot be changed in place"
    )
    assert TOKEN not in message
    assert other_token not in message


def test_adopt_of_another_type_fails(chime: Any, user_arn: str) -> None:
    existing = chime.register_app_instance_user_endpoint(
        AppInstanceUserArn=user_arn, Type="GCM", ResourceArn=PINPOINT_APP, EndpointAttributes={"DeviceToken": TOKEN}
    )
    existing_id = f"{user_arn}|{existing['EndpointId']}"
    with pytest.raises(AdoptionError) as caught:
        make(user_arn, adopt_id=existing_id)
    assert str(caught.value) == (
        f"adopt_id {existing_id} has type='GCM', but the inputs say 'APNS'; type cannot be changed in place"
    )


def test_adopt_of_nothing_fails_clearly(user_arn: str) -> None:
    missing = f"{user_arn}|0123456789abcdef"
    # preview refuses it, naming adopt_id; where preview could not tell, the create does
    with pytest.raises(
        AssertionError,
        match=re.escape(f"adopt_id: {missing} names no existing AppInstanceUserEndpoint. Correct it, or remove it"),
    ):
        make(user_arn, adopt_id=missing)
    with pytest.raises(AdoptionError) as caught:
        provider.create(program(user_arn, adopt_id=missing))
    assert str(caught.value) == f"adopt_id {missing} names no existing AppInstanceUserEndpoint"

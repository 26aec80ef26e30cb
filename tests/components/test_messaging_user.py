"""MessagingUser: its children (types, names, parents, inputs), outputs, admin flag and input checks."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_chime_sdk_identity.components import EndpointArgs, MessagingUser, MessagingUserArgs
from tests.components.pulumi_mocks import DYNAMIC, Program, run
from tests.support import PINPOINT_APP

APP = "arn:aws:chime:us-east-1:123456789012:app-instance/11111111-2222-3333-4444-555555555555"
USER_ARN = f"{APP}/user/alice"


def _user(resource_name: str = "alice", opts: pulumi.ResourceOptions | None = None, **changes: Any) -> Program:
    fields: dict[str, Any] = {"app_instance_arn": APP, "user_id": "alice", "name": "Alice", **changes}

    def program() -> dict[str, Any]:
        user = MessagingUser(resource_name, MessagingUserArgs(**fields), opts)
        return {"arn": user.arn, "admin_id": user.admin_id, "endpoint_ids": user.endpoint_ids}

    return run(program)


PHONE = EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token="fcm-token")
TABLET = EndpointArgs(
    type="APNS",
    resource_arn=PINPOINT_APP,
    device_token="apns-token",
    voip_device_token="voip-token",
    name="iPad",
    allow_messages="NONE",
)


def test_children_have_derived_names_types_and_the_component_as_parent() -> None:
    program = _user(admin=True, endpoints={"phone": PHONE, "tablet": TABLET})

    component = program.named("alice")
    assert component.type == "chimesdkidentity:components:MessagingUser"
    assert not component.custom
    assert component.parent == "project-stack"
    children = {(r.type, r.name) for r in program.resources if r.parent == "alice"}
    assert children == {
        (f"{DYNAMIC}AppInstanceUser", "alice-user"),
        (f"{DYNAMIC}AppInstanceAdmin", "alice-admin"),
        (f"{DYNAMIC}AppInstanceUserEndpoint", "alice-endpoint-phone"),
        (f"{DYNAMIC}AppInstanceUserEndpoint", "alice-endpoint-tablet"),
    }
    assert len(program.resources) == 5
    assert program.registered_outputs["alice"] == ["admin_id,arn,endpoint_ids"]


def test_outputs_are_the_user_arn_admin_id_and_endpoint_ids_by_key() -> None:
    program = _user(admin=True, endpoints={"phone": PHONE, "tablet": TABLET})

    assert program.outputs["arn"] == USER_ARN
    assert program.outputs["admin_id"] == f"{APP}|{USER_ARN}"
    assert program.outputs["admin_id"] == program.named("alice-admin").id
    assert program.outputs["endpoint_ids"] == {
        "phone": program.named("alice-endpoint-phone").id.split("|")[1],  # type: ignore[union-attr]
        "tablet": program.named("alice-endpoint-tablet").id.split("|")[1],  # type: ignore[union-attr]
    }
    assert len(set(program.outputs["endpoint_ids"].values())) == 2


def test_user_inputs_reach_the_user_resource() -> None:
    program = _user(metadata='{"a": 1}', tags={"team": "core"}, expiration_days=30)

    assert program.named("alice-user").inputs == {
        "app_instance_arn": APP,
        "app_instance_user_id": "alice",
        "name": "Alice",
        "metadata": '{"a": 1}',
        "tags": {"team": "core"},
        "expiration_settings": {"expiration_days": 30.0},
    }


def test_endpoints_get_the_user_arn_and_secret_device_tokens() -> None:
    program = _user(endpoints={"phone": PHONE, "tablet": TABLET})

    phone = program.named("alice-endpoint-phone")
    assert phone.inputs == {
        "app_instance_user_arn": USER_ARN,
        "type": "GCM",
        "resource_arn": PINPOINT_APP,
        "endpoint_attributes": {"device_token": "fcm-token"},
    }
    tablet = program.named("alice-endpoint-tablet")
    assert tablet.inputs["endpoint_attributes"] == {"device_token": "apns-token", "voip_device_token": "voip-token"}
    assert (tablet.inputs["name"], tablet.inputs["allow_messages"], tablet.inputs["type"]) == ("iPad", "NONE", "APNS")
    assert phone.secret_inputs == tablet.secret_inputs == {"endpoint_attributes"}
    assert phone.dependencies == tablet.dependencies == {"alice-user"}


def test_without_admin_or_endpoints_only_the_user_exists() -> None:
    program = _user()

    assert program.names() == {"alice", "alice-user"}
    assert program.outputs == {"arn": USER_ARN, "admin_id": None, "endpoint_ids": {}}


def test_endpoint_keys_not_positions_name_the_endpoints() -> None:
    first = _user(endpoints={"phone": PHONE, "tablet": TABLET})
    swapped = _user(endpoints={"tablet": TABLET, "phone": PHONE})

    assert first.names() == swapped.names()
    for name in ("alice-endpoint-phone", "alice-endpoint-tablet"):
        assert first.named(name).inputs == swapped.named(name).inputs


def test_unknown_values_are_not_checked_at_construction() -> None:
    program = _user(user_id=pulumi.Output.from_input("not a valid id"), name=pulumi.Output.from_input(""))

    assert program.named("alice-user").inputs["app_instance_user_id"] == "not a valid id"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"user_id": "bad id"}, "user_id: must match the pattern"),
        ({"name": ""}, "name: must not be empty"),
        ({"expiration_days": 0}, "expiration_days: must be between 1 and 5475"),
        ({"tags": {"aws:x": "y"}}, "tags: tag key 'aws:x' uses the reserved prefix 'aws:'"),
        ({"admin": pulumi.Output.from_input(True)}, "admin: must be a plain bool"),
        (
            {"endpoints": {"phone": EndpointArgs(type="SMS", resource_arn=PINPOINT_APP, device_token="t")}},
            "endpoints.phone.type: must be one of APNS, APNS_SANDBOX, GCM",
        ),
        (
            {"endpoints": {"my phone": PHONE}},
            "endpoints.my phone: must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        ),
        (
            {"endpoints": {"phone": EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token="")}},
            "endpoints.phone.device_token: must not be empty",
        ),
    ],
)
def test_bad_inputs_raise_one_value_error_naming_the_input(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="MessagingUser 'alice': invalid inputs:") as error:
        _user(**changes)
    assert f"\n  {message}" in str(error.value)


def test_every_problem_is_listed_and_no_token_value_is_echoed() -> None:
    secret = "s" * 1601
    bad = EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token=secret)
    with pytest.raises(ValueError, match="MessagingUser") as error:
        _user(user_id="", expiration_days=9999, endpoints={"phone": bad})
    lines = str(error.value).splitlines()[1:]
    assert [line.split(":")[0].strip() for line in lines] == [
        "user_id",
        "expiration_days",
        "endpoints.phone.device_token",
    ]
    assert secret not in str(error.value)


def test_a_renamed_component_carries_its_alias_and_children_keep_its_prefix() -> None:
    program = _user(
        "alice-smith", opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="alice")]), endpoints={"phone": PHONE}
    )

    assert program.named("alice-smith").alias_names == ["alice"]
    # The engine derives each child's alias by swapping the parent's name prefix: "alice-user", ...
    children = [r for r in program.resources if r.parent == "alice-smith"]
    assert {r.name for r in children} == {"alice-smith-user", "alice-smith-endpoint-phone"}
    assert all(r.name.startswith("alice-smith-") for r in children)

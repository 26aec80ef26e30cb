"""What each operation does, through real boto3 clients over HTTP."""

from __future__ import annotations

import datetime
import time
from typing import Any

import botocore.exceptions
import pytest

from tests.support import LEX_ALIAS, PINPOINT_APP

LEX = {"Lex": {"LexBotAliasArn": LEX_ALIAS, "LocaleId": "en_US"}}


def code_of(call: Any, **params: Any) -> tuple[str, int, str]:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(**params)
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


# -- AppInstance -----------------------------------------------------------------------------------


def test_app_instance_lifecycle(chime: Any) -> None:
    created = chime.create_app_instance(Name="app", Metadata="m", Tags=[{"Key": "team", "Value": "chat"}])
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    arn = created["AppInstanceArn"]
    assert arn.startswith("arn:aws:chime:us-east-1:123456789012:app-instance/")
    described = chime.describe_app_instance(AppInstanceArn=arn)["AppInstance"]
    assert described["Name"] == "app"
    assert described["Metadata"] == "m"
    assert isinstance(described["CreatedTimestamp"], datetime.datetime)
    assert described["LastUpdatedTimestamp"] == described["CreatedTimestamp"]

    chime.update_app_instance(AppInstanceArn=arn, Name="renamed", Metadata="")
    updated = chime.describe_app_instance(AppInstanceArn=arn)["AppInstance"]
    assert (updated["Name"], updated["Metadata"]) == ("renamed", "")
    assert updated["LastUpdatedTimestamp"] > updated["CreatedTimestamp"]
    assert [s["Name"] for s in chime.list_app_instances()["AppInstances"]] == ["renamed"]

    assert chime.delete_app_instance(AppInstanceArn=arn)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert chime.list_app_instances()["AppInstances"] == []
    assert code_of(chime.describe_app_instance, AppInstanceArn=arn)[:2] == ("NotFoundException", 404)


def test_missing_app_instance_everywhere(chime: Any) -> None:
    missing = "arn:aws:chime:us-east-1:123456789012:app-instance/00000000-0000-0000-0000-000000000000"
    for call, params in [
        (chime.update_app_instance, {"Name": "n", "Metadata": ""}),
        (chime.delete_app_instance, {}),
        (chime.list_app_instance_users, {}),
        (chime.get_app_instance_retention_settings, {}),
    ]:
        assert code_of(call, AppInstanceArn=missing, **params)[0] == "NotFoundException"


# -- AppInstanceUser -------------------------------------------------------------------------------


def test_user_lifecycle(chime: Any, app_instance: str) -> None:
    expiration = {"ExpirationDays": 7, "ExpirationCriterion": "CREATED_TIMESTAMP"}
    arn = chime.create_app_instance_user(
        AppInstanceArn=app_instance,
        AppInstanceUserId="alice",
        Name="Alice",
        Metadata="m",
        ExpirationSettings=expiration,
    )["AppInstanceUserArn"]
    assert arn == f"{app_instance}/user/alice"
    user = chime.describe_app_instance_user(AppInstanceUserArn=arn)["AppInstanceUser"]
    assert (user["Name"], user["Metadata"], user["ExpirationSettings"]) == ("Alice", "m", expiration)

    chime.update_app_instance_user(AppInstanceUserArn=arn, Name="Alice B", Metadata="n")
    assert chime.describe_app_instance_user(AppInstanceUserArn=arn)["AppInstanceUser"]["Name"] == "Alice B"

    later = {"ExpirationDays": 30, "ExpirationCriterion": "CREATED_TIMESTAMP"}
    answer = chime.put_app_instance_user_expiration_settings(AppInstanceUserArn=arn, ExpirationSettings=later)
    assert answer["ExpirationSettings"] == later
    cleared = chime.put_app_instance_user_expiration_settings(AppInstanceUserArn=arn)
    assert "ExpirationSettings" not in cleared
    assert "ExpirationSettings" not in chime.describe_app_instance_user(AppInstanceUserArn=arn)["AppInstanceUser"]

    listed = chime.list_app_instance_users(AppInstanceArn=app_instance)
    assert listed["AppInstanceArn"] == app_instance
    assert [u["AppInstanceUserArn"] for u in listed["AppInstanceUsers"]] == [arn]

    chime.delete_app_instance_user(AppInstanceUserArn=arn)
    assert code_of(chime.describe_app_instance_user, AppInstanceUserArn=arn)[0] == "NotFoundException"
    assert code_of(chime.delete_app_instance_user, AppInstanceUserArn=arn)[0] == "NotFoundException"


def test_duplicate_user_id_conflicts(chime: Any, make_user: Any, app_instance: str) -> None:
    make_user("alice")
    code, status, message = code_of(
        chime.create_app_instance_user, AppInstanceArn=app_instance, AppInstanceUserId="alice", Name="x"
    )
    assert (code, status) == ("ConflictException", 409)
    assert "alice already exists" in message


def test_user_needs_existing_app_instance(chime: Any, app_instance: str) -> None:
    chime.delete_app_instance(AppInstanceArn=app_instance)
    params = {"AppInstanceArn": app_instance, "AppInstanceUserId": "bob", "Name": "Bob"}
    assert code_of(chime.create_app_instance_user, **params)[0] == "NotFoundException"


def test_missing_resources_answer_forbidden_in_forbidden_mode(emulator: Any, chime: Any, app_instance: str) -> None:
    emulator.configure(missing_error="ForbiddenException")
    code, status, _ = code_of(chime.describe_app_instance_user, AppInstanceUserArn=f"{app_instance}/user/ghost")
    assert (code, status) == ("ForbiddenException", 403)
    assert code_of(chime.describe_app_instance, AppInstanceArn=app_instance + "x")[0] == "ForbiddenException"


# -- AppInstanceBot --------------------------------------------------------------------------------


def test_bot_lifecycle(chime: Any, app_instance: str) -> None:
    arn = chime.create_app_instance_bot(
        AppInstanceArn=app_instance, Name="helper", Configuration=LEX, Tags=[{"Key": "k", "Value": "v"}]
    )["AppInstanceBotArn"]
    assert arn.startswith(f"{app_instance}/bot/")
    bot = chime.describe_app_instance_bot(AppInstanceBotArn=arn)["AppInstanceBot"]
    assert (bot["Name"], bot["Configuration"]) == ("helper", LEX)

    welcome = {"Lex": {**LEX["Lex"], "WelcomeIntent": "Hello"}}
    chime.update_app_instance_bot(AppInstanceBotArn=arn, Name="helper2", Metadata="x", Configuration=welcome)
    bot = chime.describe_app_instance_bot(AppInstanceBotArn=arn)["AppInstanceBot"]
    assert (bot["Name"], bot["Metadata"], bot["Configuration"]) == ("helper2", "x", welcome)
    assert [b["Name"] for b in chime.list_app_instance_bots(AppInstanceArn=app_instance)["AppInstanceBots"]] == [
        "helper2"
    ]

    chime.delete_app_instance_bot(AppInstanceBotArn=arn)
    assert code_of(chime.describe_app_instance_bot, AppInstanceBotArn=arn)[:2] == ("NotFoundException", 404)


# -- AppInstanceAdmin ------------------------------------------------------------------------------


def test_admin_lifecycle(chime: Any, app_instance: str, make_user: Any) -> None:
    user = make_user("alice")
    created = chime.create_app_instance_admin(AppInstanceArn=app_instance, AppInstanceAdminArn=user)
    assert created["AppInstanceAdmin"] == {"Arn": user, "Name": "alice"}
    admin = chime.describe_app_instance_admin(AppInstanceArn=app_instance, AppInstanceAdminArn=user)["AppInstanceAdmin"]
    assert admin["Admin"] == {"Arn": user, "Name": "alice"}
    assert admin["AppInstanceArn"] == app_instance
    assert "CreatedTimestamp" in admin
    listed = chime.list_app_instance_admins(AppInstanceArn=app_instance)["AppInstanceAdmins"]
    assert listed == [{"Admin": {"Arn": user, "Name": "alice"}}]

    again = code_of(chime.create_app_instance_admin, AppInstanceArn=app_instance, AppInstanceAdminArn=user)
    assert again[0] == "ConflictException"

    chime.delete_app_instance_admin(AppInstanceArn=app_instance, AppInstanceAdminArn=user)
    assert chime.list_app_instance_admins(AppInstanceArn=app_instance)["AppInstanceAdmins"] == []
    # Demoting leaves the user in place.
    assert chime.describe_app_instance_user(AppInstanceUserArn=user)["AppInstanceUser"]["Name"] == "alice"
    gone = code_of(chime.describe_app_instance_admin, AppInstanceArn=app_instance, AppInstanceAdminArn=user)
    assert gone[0] == "NotFoundException"


def test_bot_can_be_admin(chime: Any, app_instance: str) -> None:
    bot = chime.create_app_instance_bot(AppInstanceArn=app_instance, Configuration=LEX)["AppInstanceBotArn"]
    chime.create_app_instance_admin(AppInstanceArn=app_instance, AppInstanceAdminArn=bot)
    assert chime.list_app_instance_admins(AppInstanceArn=app_instance)["AppInstanceAdmins"][0]["Admin"]["Arn"] == bot


def test_admin_must_be_member_of_the_instance(chime: Any, app_instance: str, make_user: Any) -> None:
    other = chime.create_app_instance(Name="other")["AppInstanceArn"]
    stranger = chime.create_app_instance_user(AppInstanceArn=other, AppInstanceUserId="eve", Name="Eve")[
        "AppInstanceUserArn"
    ]
    code, _, message = code_of(
        chime.create_app_instance_admin, AppInstanceArn=app_instance, AppInstanceAdminArn=stranger
    )
    assert code == "BadRequestException"
    assert "is not an AppInstanceUser or AppInstanceBot" in message
    ghost = f"{app_instance}/user/ghost"
    assert (
        code_of(chime.create_app_instance_admin, AppInstanceArn=app_instance, AppInstanceAdminArn=ghost)[0]
        == "BadRequestException"
    )


# -- AppInstanceUserEndpoint -----------------------------------------------------------------------


def test_endpoint_lifecycle(chime: Any, make_user: Any) -> None:
    user = make_user()
    registered = chime.register_app_instance_user_endpoint(
        AppInstanceUserArn=user,
        Name="phone",
        Type="APNS",
        ResourceArn=PINPOINT_APP,
        EndpointAttributes={"DeviceToken": "device-1", "VoipDeviceToken": "voip-1"},
    )
    endpoint_id = registered["EndpointId"]
    assert registered["AppInstanceUserArn"] == user
    endpoint = chime.describe_app_instance_user_endpoint(AppInstanceUserArn=user, EndpointId=endpoint_id)[
        "AppInstanceUserEndpoint"
    ]
    assert endpoint["AllowMessages"] == "ALL"
    assert endpoint["EndpointState"] == {"Status": "ACTIVE"}
    assert endpoint["EndpointAttributes"] == {"DeviceToken": "device-1", "VoipDeviceToken": "voip-1"}
    assert (endpoint["Name"], endpoint["Type"], endpoint["ResourceArn"]) == ("phone", "APNS", PINPOINT_APP)

    chime.update_app_instance_user_endpoint(
        AppInstanceUserArn=user, EndpointId=endpoint_id, Name="tablet", AllowMessages="NONE"
    )
    summary = chime.list_app_instance_user_endpoints(AppInstanceUserArn=user)["AppInstanceUserEndpoints"]
    assert [(s["EndpointId"], s["Name"], s["AllowMessages"]) for s in summary] == [(endpoint_id, "tablet", "NONE")]
    assert "EndpointAttributes" not in summary[0]

    duplicate = code_of(
        chime.register_app_instance_user_endpoint,
        AppInstanceUserArn=user,
        Type="APNS",
        ResourceArn=PINPOINT_APP,
        EndpointAttributes={"DeviceToken": "device-1"},
    )
    assert duplicate[0] == "ConflictException"

    chime.deregister_app_instance_user_endpoint(AppInstanceUserArn=user, EndpointId=endpoint_id)
    missing = code_of(chime.describe_app_instance_user_endpoint, AppInstanceUserArn=user, EndpointId=endpoint_id)
    assert missing[0] == "NotFoundException"


# -- Retention -------------------------------------------------------------------------------------


def test_retention_put_get_and_disable(chime: Any, app_instance: str) -> None:
    assert chime.get_app_instance_retention_settings(AppInstanceArn=app_instance)["AppInstanceRetentionSettings"] == {}
    put = chime.put_app_instance_retention_settings(
        AppInstanceArn=app_instance, AppInstanceRetentionSettings={"ChannelRetentionSettings": {"RetentionDays": 30}}
    )
    assert put["AppInstanceRetentionSettings"] == {"ChannelRetentionSettings": {"RetentionDays": 30}}
    assert isinstance(put["InitiateDeletionTimestamp"], datetime.datetime)
    got = chime.get_app_instance_retention_settings(AppInstanceArn=app_instance)
    assert got["AppInstanceRetentionSettings"]["ChannelRetentionSettings"]["RetentionDays"] == 30

    chime.put_app_instance_retention_settings(
        AppInstanceArn=app_instance, AppInstanceRetentionSettings={"ChannelRetentionSettings": {}}
    )
    disabled = chime.get_app_instance_retention_settings(AppInstanceArn=app_instance)["AppInstanceRetentionSettings"]
    assert disabled == {"ChannelRetentionSettings": {}}


# -- Cascade ---------------------------------------------------------------------------------------


def test_deleting_an_app_instance_removes_everything_under_it(chime: Any, app_instance: str, make_user: Any) -> None:
    user = make_user("alice", Tags=[{"Key": "k", "Value": "v"}])
    bot = chime.create_app_instance_bot(AppInstanceArn=app_instance, Configuration=LEX)["AppInstanceBotArn"]
    chime.create_app_instance_admin(AppInstanceArn=app_instance, AppInstanceAdminArn=user)
    endpoint = chime.register_app_instance_user_endpoint(
        AppInstanceUserArn=user, Type="GCM", ResourceArn=PINPOINT_APP, EndpointAttributes={"DeviceToken": "t"}
    )["EndpointId"]
    chime.put_app_instance_retention_settings(
        AppInstanceArn=app_instance, AppInstanceRetentionSettings={"ChannelRetentionSettings": {"RetentionDays": 1}}
    )
    keep = chime.create_app_instance(Name="keep")["AppInstanceArn"]

    chime.delete_app_instance(AppInstanceArn=app_instance)

    assert code_of(chime.describe_app_instance_user, AppInstanceUserArn=user)[0] == "NotFoundException"
    assert code_of(chime.describe_app_instance_bot, AppInstanceBotArn=bot)[0] == "NotFoundException"
    assert (
        code_of(chime.describe_app_instance_user_endpoint, AppInstanceUserArn=user, EndpointId=endpoint)[0]
        == "NotFoundException"
    )
    assert code_of(chime.list_tags_for_resource, ResourceARN=user)[0] == "NotFoundException"
    assert [a["AppInstanceArn"] for a in chime.list_app_instances()["AppInstances"]] == [keep]


def test_deleting_a_user_removes_its_endpoints_and_admin_role(chime: Any, app_instance: str, make_user: Any) -> None:
    user = make_user("alice")
    chime.create_app_instance_admin(AppInstanceArn=app_instance, AppInstanceAdminArn=user)
    chime.register_app_instance_user_endpoint(
        AppInstanceUserArn=user, Type="GCM", ResourceArn=PINPOINT_APP, EndpointAttributes={"DeviceToken": "t"}
    )
    chime.delete_app_instance_user(AppInstanceUserArn=user)
    assert chime.list_app_instance_admins(AppInstanceArn=app_instance)["AppInstanceAdmins"] == []
    make_user("alice")  # the ID is free again, and the new user starts clean
    assert chime.list_app_instance_user_endpoints(AppInstanceUserArn=user)["AppInstanceUserEndpoints"] == []


# -- Pagination ------------------------------------------------------------------------------------


def test_pagination_walks_every_page_once(chime: Any, app_instance: str, make_user: Any) -> None:
    expected = sorted(make_user(f"user{i:02d}") for i in range(23))
    seen: list[str] = []
    pages = 0
    kwargs: dict[str, Any] = {"AppInstanceArn": app_instance, "MaxResults": 5}
    while True:
        page = chime.list_app_instance_users(**kwargs)
        pages += 1
        seen += [u["AppInstanceUserArn"] for u in page["AppInstanceUsers"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert pages == 5
    assert seen == expected


def test_next_token_is_bound_to_its_request(chime: Any, app_instance: str, make_user: Any) -> None:
    for i in range(3):
        make_user(f"u{i}")
    token = chime.list_app_instance_users(AppInstanceArn=app_instance, MaxResults=1)["NextToken"]
    other = chime.create_app_instance(Name="other")["AppInstanceArn"]
    code, _, message = code_of(chime.list_app_instance_users, AppInstanceArn=other, NextToken=token)
    assert code == "BadRequestException"
    assert "different request" in message
    assert (
        code_of(chime.list_app_instance_bots, AppInstanceArn=app_instance, NextToken=token)[0] == "BadRequestException"
    )
    assert (
        code_of(chime.list_app_instance_users, AppInstanceArn=app_instance, NextToken=token[:-2] + "xx")[0]
        == "BadRequestException"
    )


def test_list_defaults_to_fifty(chime: Any, app_instance: str, make_user: Any) -> None:
    for i in range(51):
        make_user(f"u{i:02d}")
    page = chime.list_app_instance_users(AppInstanceArn=app_instance)
    assert len(page["AppInstanceUsers"]) == 50
    assert "NextToken" in page


# -- Tags ------------------------------------------------------------------------------------------


def test_tags_on_instances_users_and_bots(chime: Any, app_instance: str, make_user: Any) -> None:
    bot = chime.create_app_instance_bot(AppInstanceArn=app_instance, Configuration=LEX)["AppInstanceBotArn"]
    for arn in (app_instance, make_user(), bot):
        chime.tag_resource(ResourceARN=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
        chime.tag_resource(ResourceARN=arn, Tags=[{"Key": "a", "Value": "3"}])
        chime.untag_resource(ResourceARN=arn, TagKeys=["b", "never-there"])
        assert chime.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "a", "Value": "3"}]


def test_tag_limits(chime: Any, app_instance: str) -> None:
    chime.tag_resource(ResourceARN=app_instance, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    code, _, message = code_of(chime.tag_resource, ResourceARN=app_instance, Tags=[{"Key": "one-more", "Value": "v"}])
    assert code == "ResourceLimitExceededException"
    assert "at most 50 tags" in message
    reserved = code_of(chime.create_app_instance, Name="x", Tags=[{"Key": "aws:owner", "Value": "v"}])
    assert reserved[0] == "BadRequestException"
    duplicate = code_of(
        chime.create_app_instance, Name="x", Tags=[{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]
    )
    assert duplicate[0] == "BadRequestException"
    assert len(chime.list_app_instances()["AppInstances"]) == 1, "a refused create creates nothing"


def test_untaggable_or_missing_resource(chime: Any) -> None:
    missing = "arn:aws:chime:us-east-1:123456789012:app-instance/nope"
    assert code_of(chime.list_tags_for_resource, ResourceARN=missing)[0] == "NotFoundException"
    assert code_of(chime.tag_resource, ResourceARN=missing, Tags=[{"Key": "k", "Value": "v"}])[0] == "NotFoundException"


# -- Idempotency -----------------------------------------------------------------------------------


def test_client_request_token_returns_the_first_result(chime: Any, app_instance: str) -> None:
    first = chime.create_app_instance(Name="app2", ClientRequestToken="token-123")["AppInstanceArn"]
    again = chime.create_app_instance(Name="app2", ClientRequestToken="token-123")["AppInstanceArn"]
    assert first == again
    assert len(chime.list_app_instances()["AppInstances"]) == 2
    code, _, message = code_of(chime.create_app_instance, Name="other", ClientRequestToken="token-123")
    assert code == "ConflictException"
    assert "ClientRequestToken" in message

    params = {"AppInstanceArn": app_instance, "AppInstanceUserId": "u", "Name": "U", "ClientRequestToken": "tok-user"}
    first_user = chime.create_app_instance_user(**params)["AppInstanceUserArn"]
    assert chime.create_app_instance_user(**params)["AppInstanceUserArn"] == first_user, (
        "no ConflictException on replay"
    )
    assert len(chime.list_app_instance_users(AppInstanceArn=app_instance)["AppInstanceUsers"]) == 1


# -- Accounts and regions --------------------------------------------------------------------------


def test_state_is_scoped_per_account_and_region(emulator: Any, chime: Any, app_instance: str) -> None:
    frankfurt = emulator.client(region="eu-central-1")
    assert frankfurt.list_app_instances()["AppInstances"] == []
    arn = frankfurt.create_app_instance(Name="eu")["AppInstanceArn"]
    assert arn.startswith("arn:aws:chime:eu-central-1:123456789012:app-instance/")
    assert code_of(chime.describe_app_instance, AppInstanceArn=arn)[0] == "NotFoundException"

    other_account = emulator.client(access_key="210987654321")
    assert other_account.list_app_instances()["AppInstances"] == []
    theirs = other_account.create_app_instance(Name="theirs")["AppInstanceArn"]
    assert ":210987654321:" in theirs
    assert [a["AppInstanceArn"] for a in chime.list_app_instances()["AppInstances"]] == [app_instance]


# -- Consistency delay -----------------------------------------------------------------------------


def test_consistency_delay_hides_new_resources(emulator: Any, chime: Any) -> None:
    emulator.configure(consistency_delay_ms=400)
    arn = chime.create_app_instance(Name="slow")["AppInstanceArn"]
    assert code_of(chime.describe_app_instance, AppInstanceArn=arn)[0] == "NotFoundException"
    assert chime.list_app_instances()["AppInstances"] == []
    chime.update_app_instance(AppInstanceArn=arn, Name="slow2", Metadata="")  # writes see it at once
    time.sleep(0.45)
    assert chime.describe_app_instance(AppInstanceArn=arn)["AppInstance"]["Name"] == "slow2"

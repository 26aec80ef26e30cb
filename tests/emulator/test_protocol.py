"""The model-driven protocol layer: routing, validation and error serialization, seen by boto3 over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import botocore.exceptions
import pytest

from pulumi_chime_sdk_identity.emulator import Protocol, service_model
from pulumi_chime_sdk_identity.emulator._backend import HANDLERS
from tests.support import LEX_ALIAS, PINPOINT_APP


def error_of(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(**params)
    response = caught.value.response
    return {
        "code": response["Error"]["Code"],
        "message": response["Error"]["Message"],
        "status": response["ResponseMetadata"]["HTTPStatusCode"],
        "body_code": response.get("Code"),
    }


def test_every_model_operation_has_a_handler() -> None:
    operations = set(service_model().operation_names)
    assert len(operations) == 30
    assert operations == set(HANDLERS)


def test_routes_resolve_every_operation_uri() -> None:
    protocol = Protocol()
    op, labels = protocol.route(
        "DELETE", "/app-instances/arn%3Aaws%3Achime%3Aus-east-1%3A1%3Aapp-instance%2Fx/admins/a%2Fb", {}
    )
    assert op.name == "DeleteAppInstanceAdmin"
    assert labels == {"appInstanceArn": "arn:aws:chime:us-east-1:1:app-instance/x", "appInstanceAdminArn": "a/b"}
    assert protocol.route("POST", "/tags", {"operation": ["tag-resource"]})[0].name == "TagResource"
    assert protocol.route("POST", "/tags", {"operation": ["untag-resource"]})[0].name == "UntagResource"


def test_unknown_route_is_not_found(emulator: Any) -> None:
    request = urllib.request.Request(emulator.url + "/no-such-thing", headers={"Authorization": "x"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert caught.value.code == 404
    assert caught.value.headers["X-Amzn-ErrorType"] == "NotFoundException"


def test_missing_required_member(raw_chime: Any) -> None:
    error = error_of(raw_chime.create_app_instance, ClientRequestToken="token-1")
    assert (error["code"], error["status"], error["body_code"]) == ("BadRequestException", 400, "BadRequest")
    assert error["message"] == (
        "1 validation error detected: Value null at 'Name' failed to satisfy constraint: Member must not be null"
    )


def test_string_too_short_and_too_long(raw_chime: Any) -> None:
    short = error_of(raw_chime.create_app_instance, Name="")
    assert (
        "Value at 'Name' failed to satisfy constraint: Member must have length greater than or equal to 1"
        in short["message"]
    )
    long = error_of(raw_chime.create_app_instance, Name="n" * 257)
    assert (
        "Value at 'Name' failed to satisfy constraint: Member must have length less than or equal to 256"
        in long["message"]
    )


def test_pattern(raw_chime: Any, app_instance: str) -> None:
    error = error_of(
        raw_chime.create_app_instance_user, AppInstanceArn=app_instance, AppInstanceUserId="bad id!", Name="n"
    )
    assert error["code"] == "BadRequestException"
    assert (
        "Value at 'AppInstanceUserId' failed to satisfy constraint: Member must satisfy regular expression pattern"
        in error["message"]
    )
    assert "bad id!" not in error["message"], "sensitive values are never echoed"


def test_enum(raw_chime: Any, make_user: Any) -> None:
    error = error_of(
        raw_chime.register_app_instance_user_endpoint,
        AppInstanceUserArn=make_user(),
        Type="SMS",
        ResourceArn=PINPOINT_APP,
        EndpointAttributes={"DeviceToken": "device"},
    )
    assert (
        "Value at 'Type' failed to satisfy constraint: Member must satisfy enum value set: [APNS, APNS_SANDBOX, GCM]"
        in error["message"]
    )


def test_integer_range_in_query_and_body(raw_chime: Any, app_instance: str) -> None:
    for bad in (0, 51):
        error = error_of(raw_chime.list_app_instances, MaxResults=bad)
        assert "Value at 'MaxResults' failed to satisfy constraint: Member must have value" in error["message"]
    error = error_of(
        raw_chime.put_app_instance_retention_settings,
        AppInstanceArn=app_instance,
        AppInstanceRetentionSettings={"ChannelRetentionSettings": {"RetentionDays": 5476}},
    )
    assert (
        "Value at 'AppInstanceRetentionSettings.ChannelRetentionSettings.RetentionDays' failed to satisfy constraint: "
        "Member must have value less than or equal to 5475"
    ) in error["message"]


def test_wrong_type(raw_chime: Any) -> None:
    error = error_of(raw_chime.list_app_instances, MaxResults="many")
    assert "Value at 'MaxResults' failed to satisfy constraint: Member must be of type integer" in error["message"]
    error = error_of(raw_chime.create_app_instance, Name=5)
    assert "Value at 'Name' failed to satisfy constraint: Member must be of type string" in error["message"]


def test_list_length_and_nested_members(raw_chime: Any, app_instance: str) -> None:
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    error = error_of(raw_chime.create_app_instance, Name="app", Tags=tags)
    assert (
        "Value at 'Tags' failed to satisfy constraint: Member must have length less than or equal to 50"
        in error["message"]
    )
    error = error_of(raw_chime.create_app_instance, Name="app", Tags=[{"Key": "", "Value": "v"}])
    assert (
        "Value at 'Tags[0].Key' failed to satisfy constraint: Member must have length greater than or equal to 1"
        in error["message"]
    )
    error = error_of(
        raw_chime.create_app_instance_bot, AppInstanceArn=app_instance, Configuration={"Lex": {"LocaleId": "en_US"}}
    )
    assert "Value null at 'Configuration.Lex.LexBotAliasArn' failed to satisfy constraint" in error["message"]


def test_all_violations_are_reported_together(raw_chime: Any) -> None:
    error = error_of(raw_chime.create_app_instance, Name="", Metadata="m" * 1025, ClientRequestToken="!")
    assert error["message"].startswith("4 validation errors detected: ")
    for member in ("'Name'", "'Metadata'", "'ClientRequestToken'"):
        assert member in error["message"]


def test_metadata_limit_counts_utf8_bytes(raw_chime: Any) -> None:
    error = error_of(raw_chime.create_app_instance, Name="app", Metadata="é" * 513)  # 513 characters, 1026 bytes
    assert (
        "Value at 'Metadata' failed to satisfy constraint: Member must have length less than or equal to 1024"
        in error["message"]
    )
    assert raw_chime.create_app_instance(Name="app", Metadata="é" * 512)["AppInstanceArn"]


def test_names_accept_astral_characters(chime: Any) -> None:
    arn = chime.create_app_instance(Name="team \U0001f680 chat")["AppInstanceArn"]
    assert chime.describe_app_instance(AppInstanceArn=arn)["AppInstance"]["Name"] == "team \U0001f680 chat"


def test_lex_alias_pattern(raw_chime: Any, app_instance: str) -> None:
    config = {"Lex": {"LexBotAliasArn": "arn:aws:lex:us-east-1:123456789012:bot-alias/short", "LocaleId": "en_US"}}
    error = error_of(raw_chime.create_app_instance_bot, AppInstanceArn=app_instance, Configuration=config)
    assert "Value at 'Configuration.Lex.LexBotAliasArn' failed to satisfy constraint" in error["message"]
    good = {"Lex": {"LexBotAliasArn": LEX_ALIAS, "LocaleId": "en_US"}}
    assert raw_chime.create_app_instance_bot(AppInstanceArn=app_instance, Configuration=good)["AppInstanceBotArn"]


def test_invalid_json_body(emulator: Any) -> None:
    headers = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/chime/aws4_request, Signature=x"}
    request = urllib.request.Request(emulator.url + "/app-instances", data=b"{not json", headers=headers, method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert caught.value.code == 400
    assert json.load(caught.value) == {"Code": "BadRequest", "Message": "The request body is not valid JSON"}

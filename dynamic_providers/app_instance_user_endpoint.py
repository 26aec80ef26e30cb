"""AppInstanceUserEndpoint: a push-notification endpoint (a device) of a user.

ID: ``<app_instance_user_arn>|<endpoint_id>``. The device tokens are secret in state and never
appear in IDs, errors or logs. Only ``name`` and ``allow_messages`` change in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, NotRequired, TypedDict

import pulumi

from ._aws import Api, iso, now
from ._errors import ApiError
from ._provider import ChimeProvider, Props
from ._resource import TYPE_MODULE, ChimeResource
from ._schema import Inputs
from .rules import SENSITIVE, api_rule, arn_rule, endpoint_id_rule


class EndpointAttributesInputs(Inputs):
    device_token: Annotated[str, api_rule("NonEmptySensitiveString1600")]
    voip_device_token: Annotated[str, api_rule("NonEmptySensitiveString1600")] | None = None


class AppInstanceUserEndpointInputs(Inputs):
    app_instance_user_arn: Annotated[str, api_rule("SensitiveChimeArn"), arn_rule("AppInstanceUser")]
    type: Annotated[str, api_rule("AppInstanceUserEndpointType")]
    resource_arn: Annotated[str, api_rule("ChimeArn"), arn_rule("Amazon Pinpoint app")]
    endpoint_attributes: EndpointAttributesInputs
    name: Annotated[str, api_rule("SensitiveString1600")] = ""
    allow_messages: Annotated[str, api_rule("AllowMessages")] = "ALL"
    adopt_id: Annotated[str, endpoint_id_rule, SENSITIVE] | None = None


def _split(resource_id: str) -> tuple[str, str]:
    user_arn, _, endpoint_id = resource_id.partition("|")
    return user_arn, endpoint_id


def _attributes(attributes: Props) -> Props:
    out = {"DeviceToken": attributes["device_token"]}
    if attributes.get("voip_device_token"):
        out["VoipDeviceToken"] = attributes["voip_device_token"]
    return out


class AppInstanceUserEndpointProvider(ChimeProvider):
    """CRUD for AppInstanceUserEndpoint."""

    kind = "AppInstanceUserEndpoint"
    inputs = AppInstanceUserEndpointInputs
    replace_on = ("app_instance_user_arn", "type", "resource_arn", "endpoint_attributes")
    delete_before_replace = True
    parent_key = "app_instance_user_arn"
    secret_inputs = ("endpoint_attributes",)

    def existing_id(self, api: Api, inputs: Props) -> str | None:
        user_arn = inputs["app_instance_user_arn"]
        wanted = _attributes(inputs["endpoint_attributes"])["DeviceToken"]
        for summary in api.pages(
            "ListAppInstanceUserEndpoints", user_arn, "AppInstanceUserEndpoints", AppInstanceUserArn=user_arn
        ):
            resource_id = f"{user_arn}|{summary['EndpointId']}"
            live = self.read_resource(api, resource_id)
            if live["endpoint_attributes"]["device_token"] == wanted and live["resource_arn"] == inputs["resource_arn"]:
                return resource_id
        return None

    def create_resource(self, api: Api, inputs: Props, token: str) -> tuple[str, Props]:
        user_arn = inputs["app_instance_user_arn"]
        response = api.call(
            "RegisterAppInstanceUserEndpoint",
            user_arn,
            AppInstanceUserArn=user_arn,
            Name=inputs.get("name", ""),
            Type=inputs["type"],
            ResourceArn=inputs["resource_arn"],
            EndpointAttributes=_attributes(inputs["endpoint_attributes"]),
            AllowMessages=inputs.get("allow_messages", "ALL"),
            ClientRequestToken=token,
        )
        return f"{user_arn}|{response['EndpointId']}", response

    def created_outputs(self, resource_id: str, inputs: Props, response: Props) -> Props:
        stamp = now()
        return {
            "endpoint_id": response["EndpointId"],
            "endpoint_state": {"status": "ACTIVE"},
            "created_timestamp": stamp,
            "last_updated_timestamp": stamp,
        }

    def read_resource(self, api: Api, resource_id: str) -> Props:
        user_arn, endpoint_id = _split(resource_id)
        live = api.call(
            "DescribeAppInstanceUserEndpoint", user_arn, AppInstanceUserArn=user_arn, EndpointId=endpoint_id
        )["AppInstanceUserEndpoint"]
        attributes = live.get("EndpointAttributes", {})
        state = live.get("EndpointState", {})
        return {
            "app_instance_user_arn": user_arn,
            "type": live["Type"],
            "resource_arn": live["ResourceArn"],
            "endpoint_attributes": {
                key: value
                for key, value in (
                    ("device_token", attributes.get("DeviceToken")),
                    ("voip_device_token", attributes.get("VoipDeviceToken")),
                )
                if value is not None
            },
            "name": live.get("Name", ""),
            "allow_messages": live.get("AllowMessages", "ALL"),
            "endpoint_id": endpoint_id,
            "endpoint_state": {
                key: value
                for key, value in (("status", state.get("Status")), ("status_reason", state.get("StatusReason")))
                if value is not None
            },
            "created_timestamp": iso(live.get("CreatedTimestamp")),
            "last_updated_timestamp": iso(live.get("LastUpdatedTimestamp")),
        }

    def update_resource(self, api: Api, resource_id: str, olds: Props, news: Props) -> Props | None:
        new = (news.get("name", ""), news.get("allow_messages", "ALL"))
        if (olds.get("name", ""), olds.get("allow_messages", "ALL")) == new:
            return None
        user_arn, endpoint_id = _split(resource_id)
        api.call(
            "UpdateAppInstanceUserEndpoint",
            user_arn,
            AppInstanceUserArn=user_arn,
            EndpointId=endpoint_id,
            Name=new[0],
            AllowMessages=new[1],
        )
        return {}

    def delete_resource(self, api: Api, resource_id: str) -> None:
        user_arn, endpoint_id = _split(resource_id)
        api.call("DeregisterAppInstanceUserEndpoint", user_arn, AppInstanceUserArn=user_arn, EndpointId=endpoint_id)

    def listed(self, api: Api, resource_id: str) -> bool:
        user_arn, endpoint_id = _split(resource_id)
        try:
            endpoints = api.pages(
                "ListAppInstanceUserEndpoints", user_arn, "AppInstanceUserEndpoints", AppInstanceUserArn=user_arn
            )
            return any(endpoint["EndpointId"] == endpoint_id for endpoint in endpoints)
        except ApiError as error:
            if not error.is_forbidden:
                raise
        # The user's endpoints are Forbidden: gone if the user is gone (AWS's answer for missing users).
        instance_arn = user_arn.partition("/user/")[0]
        users = api.pages("ListAppInstanceUsers", instance_arn, "AppInstanceUsers", AppInstanceArn=instance_arn)
        if any(user["AppInstanceUserArn"] == user_arn for user in users):
            raise ApiError("ListAppInstanceUserEndpoints", user_arn, "ForbiddenException", "access denied")
        return False


class EndpointAttributesArgs(TypedDict):
    """The device's push tokens. Secret: kept encrypted in state."""

    device_token: pulumi.Input[str]
    """The device token from APNs or FCM."""
    voip_device_token: NotRequired[pulumi.Input[str]]
    """The VoIP device token (APNs only)."""


@dataclass(frozen=True)
class AppInstanceUserEndpointArgs:
    """Arguments of an AppInstanceUserEndpoint."""

    app_instance_user_arn: pulumi.Input[str]
    """ARN of the user (``arn:aws:chime:REGION:ACCOUNT:app-instance/ID/user/USER_ID``). Changing it replaces the
    endpoint."""
    type: pulumi.Input[str]
    """APNS, APNS_SANDBOX or GCM. Changing it replaces the endpoint."""
    resource_arn: pulumi.Input[str]
    """ARN of the Amazon Pinpoint app that sends the pushes (``arn:aws:mobiletargeting:REGION:ACCOUNT:apps/ID``).
    Changing it replaces the endpoint."""
    endpoint_attributes: pulumi.Input[EndpointAttributesArgs]
    """Device tokens (secret). Changing them replaces the endpoint."""
    name: pulumi.Input[str] | None = None
    """Display name of the endpoint."""
    allow_messages: pulumi.Input[str] | None = None
    """ALL (the default) or NONE: whether the endpoint receives messages."""
    adopt_id: pulumi.Input[str] | None = None
    """ID (``<user_arn>|<endpoint_id>``) of an existing endpoint to manage. Ignored after creation."""


class AppInstanceUserEndpoint(ChimeResource, module=TYPE_MODULE, name="AppInstanceUserEndpoint"):
    """A user's push endpoint. Type ``pulumi-python:dynamic/chimesdkidentity:AppInstanceUserEndpoint``."""

    _provider_class = AppInstanceUserEndpointProvider
    _outputs = ("endpoint_id", "endpoint_state", "created_timestamp", "last_updated_timestamp")

    app_instance_user_arn: pulumi.Output[str]
    type: pulumi.Output[str]
    resource_arn: pulumi.Output[str]
    endpoint_attributes: pulumi.Output[dict[str, str]]
    name: pulumi.Output[str]
    allow_messages: pulumi.Output[str]
    adopt_id: pulumi.Output[str | None]
    endpoint_id: pulumi.Output[str]
    """The endpoint ID AWS assigned."""
    endpoint_state: pulumi.Output[dict[str, str]]
    """``{"status": "ACTIVE"|"INACTIVE", "status_reason": ...}``."""
    created_timestamp: pulumi.Output[str]
    last_updated_timestamp: pulumi.Output[str]

    def _derive_identity(self) -> None:
        self.endpoint_id = self.id.apply(lambda resource_id: _split(resource_id)[1])

    def __init__(
        self,
        resource_name: str,
        args: AppInstanceUserEndpointArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        app_instance_user_arn: pulumi.Input[str] | None = None,
        type: pulumi.Input[str] | None = None,  # noqa: A002 - the API's name
        resource_arn: pulumi.Input[str] | None = None,
        endpoint_attributes: pulumi.Input[EndpointAttributesArgs] | None = None,
        name: pulumi.Input[str] | None = None,
        allow_messages: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
    ) -> None:
        """Register an endpoint from ``args`` or keyword arguments (see :class:`AppInstanceUserEndpointArgs`)."""
        kwargs: dict[str, Any] = {
            "app_instance_user_arn": app_instance_user_arn,
            "type": type,
            "resource_arn": resource_arn,
            "endpoint_attributes": endpoint_attributes,
            "name": name,
            "allow_messages": allow_messages,
            "adopt_id": adopt_id,
        }
        self._from_args(resource_name, args, opts, AppInstanceUserEndpointArgs, **kwargs)

"""AppInstanceRetentionSettings: how long channel messages are kept. ID: the AppInstance ARN.

Deleting it disables retention (``ChannelRetentionSettings={}``); messages are then kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import pulumi

from ._aws import Api, iso
from ._errors import ApiError
from ._provider import ChimeProvider, Props
from ._resource import TYPE_MODULE, ChimeResource
from ._schema import Inputs
from .rules import api_rule, arn_rule, whole_number


class AppInstanceRetentionSettingsInputs(Inputs):
    app_instance_arn: Annotated[str, api_rule("ChimeArn"), arn_rule("AppInstance")]
    channel_retention_days: Annotated[int, whole_number, api_rule("RetentionDays")]
    adopt_id: Annotated[str, arn_rule("AppInstance")] | None = None


class AppInstanceRetentionSettingsProvider(ChimeProvider):
    """CRUD for AppInstanceRetentionSettings."""

    kind = "AppInstanceRetentionSettings"
    inputs = AppInstanceRetentionSettingsInputs
    replace_on = ("app_instance_arn",)
    parent_key = "app_instance_arn"
    create_upserts = True
    adopt_creates_missing = True

    def natural_id(self, inputs: Props) -> str | None:
        return str(inputs["app_instance_arn"])

    def _put(self, api: Api, arn: str, days: int | None) -> Props:
        settings = {"ChannelRetentionSettings": {"RetentionDays": int(days)} if days else {}}
        return api.call(
            "PutAppInstanceRetentionSettings", arn, AppInstanceArn=arn, AppInstanceRetentionSettings=settings
        )

    def create_resource(self, api: Api, inputs: Props, token: str) -> tuple[str, Props]:
        arn = inputs["app_instance_arn"]
        return arn, self._put(api, arn, inputs["channel_retention_days"])

    def created_outputs(self, resource_id: str, inputs: Props, response: Props) -> Props:
        return {"initiate_deletion_timestamp": iso(response.get("InitiateDeletionTimestamp"))}

    def read_resource(self, api: Api, resource_id: str) -> Props:
        live = api.call("GetAppInstanceRetentionSettings", resource_id, AppInstanceArn=resource_id)
        days = live.get("AppInstanceRetentionSettings", {}).get("ChannelRetentionSettings", {}).get("RetentionDays")
        if days is None:
            raise ApiError("GetAppInstanceRetentionSettings", resource_id, "NotFoundException", "retention is disabled")
        return {
            "app_instance_arn": resource_id,
            "channel_retention_days": days,
            "initiate_deletion_timestamp": iso(live.get("InitiateDeletionTimestamp")),
        }

    def update_resource(self, api: Api, resource_id: str, olds: Props, news: Props) -> Props | None:
        if olds.get("channel_retention_days") == news["channel_retention_days"]:
            return None
        response = self._put(api, resource_id, news["channel_retention_days"])
        return self.created_outputs(resource_id, news, response)

    def delete_resource(self, api: Api, resource_id: str) -> None:
        self._put(api, resource_id, None)

    def listed(self, api: Api, resource_id: str) -> bool:
        # Retention has no list of its own: a Forbidden Get means gone only if the AppInstance is gone.
        instances = api.pages("ListAppInstances", resource_id, "AppInstances")
        return any(item["AppInstanceArn"] == resource_id for item in instances)


@dataclass(frozen=True)
class AppInstanceRetentionSettingsArgs:
    """Arguments of AppInstanceRetentionSettings."""

    app_instance_arn: pulumi.Input[str]
    """ARN of the AppInstance (``arn:aws:chime:REGION:ACCOUNT:app-instance/ID``). Changing it replaces the settings."""
    channel_retention_days: pulumi.Input[int]
    """Days to keep channel messages (1-5475): a whole number, not a bool or a string."""
    adopt_id: pulumi.Input[str] | None = None
    """The AppInstance ARN whose existing retention to manage. Ignored after creation."""


class AppInstanceRetentionSettings(ChimeResource, module=TYPE_MODULE, name="AppInstanceRetentionSettings"):
    """Message retention of an AppInstance (type ``...dynamic/chimesdkidentity:AppInstanceRetentionSettings``)."""

    _provider_class = AppInstanceRetentionSettingsProvider
    _outputs = ("initiate_deletion_timestamp",)

    app_instance_arn: pulumi.Output[str]
    channel_retention_days: pulumi.Output[int]
    adopt_id: pulumi.Output[str | None]
    initiate_deletion_timestamp: pulumi.Output[str]
    """When AWS started applying the current retention."""

    def __init__(
        self,
        resource_name: str,
        args: AppInstanceRetentionSettingsArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        app_instance_arn: pulumi.Input[str] | None = None,
        channel_retention_days: pulumi.Input[int] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
    ) -> None:
        """Set retention from ``args`` or keyword arguments (see :class:`AppInstanceRetentionSettingsArgs`)."""
        kwargs: dict[str, Any] = {
            "app_instance_arn": app_instance_arn,
            "channel_retention_days": channel_retention_days,
            "adopt_id": adopt_id,
        }
        self._from_args(resource_name, args, opts, AppInstanceRetentionSettingsArgs, **kwargs)

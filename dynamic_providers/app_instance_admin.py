"""AppInstanceAdmin: promotes a user or bot to administrator of an AppInstance.

ID: ``<app_instance_arn>|<admin_arn>``. Deleting it only demotes; the user or bot stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import pulumi
from pydantic import ValidationInfo, field_validator

from ._aws import Api, iso, now
from ._provider import ChimeProvider, Props
from ._resource import TYPE_MODULE, ChimeResource
from ._schema import Inputs, is_unknown
from .rules import SENSITIVE, admin_id_rule, api_rule, arn_rule


class AppInstanceAdminInputs(Inputs):
    app_instance_arn: Annotated[str, api_rule("ChimeArn"), arn_rule("AppInstance")]
    admin_arn: Annotated[str, api_rule("ChimeArn"), arn_rule("AppInstanceUser", "AppInstanceBot"), SENSITIVE]
    adopt_id: Annotated[str, admin_id_rule, SENSITIVE] | None = None

    @field_validator("admin_arn")
    @classmethod
    def _of_the_app_instance(cls, admin_arn: str, info: ValidationInfo) -> str:
        instance_arn = info.data.get("app_instance_arn")
        known = isinstance(instance_arn, str) and not is_unknown(instance_arn) and not is_unknown(admin_arn)
        if known and not admin_arn.startswith(f"{instance_arn}/"):
            raise ValueError("must be the ARN of a user or bot of app_instance_arn, not of another AppInstance")
        return admin_arn


def _split(resource_id: str) -> tuple[str, str]:
    instance_arn, _, admin_arn = resource_id.partition("|")
    return instance_arn, admin_arn


class AppInstanceAdminProvider(ChimeProvider):
    """CRUD for AppInstanceAdmin (everything replaces; there is no update)."""

    kind = "AppInstanceAdmin"
    inputs = AppInstanceAdminInputs
    replace_on = ("app_instance_arn", "admin_arn")
    delete_before_replace = True
    parent_key = "app_instance_arn"
    create_has_token = False
    identity_input = "admin_arn"
    adopt_creates_missing = True

    def component_adopt_hint(self, resource_id: str) -> str:
        return " (in a MessagingApp or MessagingUser: adopt the user or bot it promotes, which adopts its admin role)"

    def natural_id(self, inputs: Props) -> str | None:
        return f"{inputs['app_instance_arn']}|{inputs['admin_arn']}"

    def create_resource(self, api: Api, inputs: Props, token: str) -> tuple[str, Props]:
        response = api.call(
            "CreateAppInstanceAdmin",
            inputs["admin_arn"],
            AppInstanceArn=inputs["app_instance_arn"],
            AppInstanceAdminArn=inputs["admin_arn"],
        )
        return f"{inputs['app_instance_arn']}|{inputs['admin_arn']}", response

    def created_outputs(self, resource_id: str, inputs: Props, response: Props) -> Props:
        return {"created_timestamp": now()}

    def read_resource(self, api: Api, resource_id: str) -> Props:
        instance_arn, admin_arn = _split(resource_id)
        live = api.call(
            "DescribeAppInstanceAdmin", admin_arn, AppInstanceArn=instance_arn, AppInstanceAdminArn=admin_arn
        )["AppInstanceAdmin"]
        return {
            "app_instance_arn": instance_arn,
            "admin_arn": admin_arn,
            "created_timestamp": iso(live.get("CreatedTimestamp")),
        }

    def update_resource(self, api: Api, resource_id: str, olds: Props, news: Props) -> Props | None:
        return None  # both inputs replace; adopt_id changes need no call

    def delete_resource(self, api: Api, resource_id: str) -> None:
        instance_arn, admin_arn = _split(resource_id)
        api.call("DeleteAppInstanceAdmin", admin_arn, AppInstanceArn=instance_arn, AppInstanceAdminArn=admin_arn)

    def listed(self, api: Api, resource_id: str) -> bool:
        instance_arn, admin_arn = _split(resource_id)
        admins = api.pages("ListAppInstanceAdmins", instance_arn, "AppInstanceAdmins", AppInstanceArn=instance_arn)
        return any(admin["Admin"]["Arn"] == admin_arn for admin in admins)


@dataclass(frozen=True)
class AppInstanceAdminArgs:
    """Arguments of an AppInstanceAdmin."""

    app_instance_arn: pulumi.Input[str]
    """ARN of the AppInstance (``arn:aws:chime:REGION:ACCOUNT:app-instance/ID``). Changing it replaces the admin."""
    admin_arn: pulumi.Input[str]
    """ARN of the AppInstanceUser or AppInstanceBot to promote, one of ``app_instance_arn``'s (``.../user/USER_ID``
    or ``.../bot/BOT_ID``); an AppInstance ARN is refused. Changing it replaces the admin."""
    adopt_id: pulumi.Input[str] | None = None
    """ID (``<app_instance_arn>|<admin_arn>``) of an existing admin to manage. Ignored after creation."""


class AppInstanceAdmin(ChimeResource, module=TYPE_MODULE, name="AppInstanceAdmin"):
    """An AppInstance administrator. Type token ``pulumi-python:dynamic/chimesdkidentity:AppInstanceAdmin``."""

    _provider_class = AppInstanceAdminProvider
    _outputs = ("created_timestamp",)

    app_instance_arn: pulumi.Output[str]
    admin_arn: pulumi.Output[str]
    adopt_id: pulumi.Output[str | None]
    created_timestamp: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: AppInstanceAdminArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        app_instance_arn: pulumi.Input[str] | None = None,
        admin_arn: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
    ) -> None:
        """Promote a user or bot, from ``args`` or keyword arguments (see :class:`AppInstanceAdminArgs`)."""
        kwargs: dict[str, Any] = {"app_instance_arn": app_instance_arn, "admin_arn": admin_arn, "adopt_id": adopt_id}
        self._from_args(resource_name, args, opts, AppInstanceAdminArgs, **kwargs)

"""AppInstanceUser: a user of an AppInstance, with optional expiration. ID: its ARN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, NotRequired, TypedDict

import pulumi
from pydantic import Field

from ._aws import Api
from ._provider import ChimeProvider, Props, arn_outputs, create_params, named_live, update_named, update_tags
from ._resource import TYPE_MODULE, ChimeResource
from ._schema import Inputs
from .rules import SENSITIVE, api_rule, arn_rule, tags_rule, whole_number


class ExpirationSettingsInputs(Inputs):
    expiration_days: Annotated[int, whole_number, api_rule("ExpirationDays")]
    expiration_criterion: Annotated[str, api_rule("ExpirationCriterion")] = "CREATED_TIMESTAMP"


class AppInstanceUserInputs(Inputs):
    app_instance_arn: Annotated[str, api_rule("ChimeArn"), arn_rule("AppInstance")]
    app_instance_user_id: Annotated[str, api_rule("UserId")]
    name: Annotated[str, api_rule("UserName")]
    metadata: Annotated[str, api_rule("Metadata")] = ""
    tags: Annotated[dict[str, str], tags_rule] = Field(default_factory=dict)
    expiration_settings: ExpirationSettingsInputs | None = None
    adopt_id: Annotated[str, arn_rule("AppInstanceUser"), SENSITIVE] | None = None


def _expiration(settings: Props | None) -> Props | None:
    if not settings:
        return None
    return {"ExpirationDays": int(settings["expiration_days"]), "ExpirationCriterion": settings["expiration_criterion"]}


def user_arn(app_instance_arn: str, user_id: str) -> str:
    """The ARN the API gives a user: its AppInstance ARN, ``/user/`` and its ID."""
    return f"{app_instance_arn}/user/{user_id}"


class AppInstanceUserProvider(ChimeProvider):
    """CRUD for AppInstanceUser."""

    kind = "AppInstanceUser"
    inputs = AppInstanceUserInputs
    replace_on = ("app_instance_arn", "app_instance_user_id")
    delete_before_replace = True
    parent_key = "app_instance_arn"
    identity_input = "app_instance_user_id"

    def natural_id(self, inputs: Props) -> str | None:
        return user_arn(inputs["app_instance_arn"], inputs["app_instance_user_id"])

    def component_adopt_hint(self, resource_id: str) -> str:
        user_id = resource_id.partition("/user/")[2]
        return (
            f" (in a MessagingApp: users.{user_id}.adopt: true, with the app's adopt_id set to its AppInstance ARN; "
            "in a MessagingUser: adopt=True)"
        )

    def create_resource(self, api: Api, inputs: Props, token: str) -> tuple[str, Props]:
        params = create_params(inputs, token)
        if inputs.get("expiration_settings"):
            params["ExpirationSettings"] = _expiration(inputs["expiration_settings"])
        response = api.call(
            "CreateAppInstanceUser",
            inputs["app_instance_user_id"],
            AppInstanceArn=inputs["app_instance_arn"],
            AppInstanceUserId=inputs["app_instance_user_id"],
            Name=inputs["name"],
            **params,
        )
        return response["AppInstanceUserArn"], response

    def created_outputs(self, resource_id: str, inputs: Props, response: Props) -> Props:
        return arn_outputs(resource_id)

    def read_resource(self, api: Api, resource_id: str) -> Props:
        live = api.call("DescribeAppInstanceUser", resource_id, AppInstanceUserArn=resource_id)["AppInstanceUser"]
        expiration = live.get("ExpirationSettings")
        instance_arn, _, user_id = resource_id.partition("/user/")
        return {
            "app_instance_arn": instance_arn,
            "app_instance_user_id": user_id,
            "expiration_settings": {
                "expiration_days": expiration["ExpirationDays"],
                "expiration_criterion": expiration["ExpirationCriterion"],
            }
            if expiration
            else None,
            **named_live(api, resource_id, live),
        }

    def update_resource(self, api: Api, resource_id: str, olds: Props, news: Props) -> Props | None:
        touched = update_named(api, "UpdateAppInstanceUser", "AppInstanceUserArn", resource_id, olds, news)
        expiration = _expiration(news.get("expiration_settings"))
        if _expiration(olds.get("expiration_settings")) != expiration:
            api.call(
                "PutAppInstanceUserExpirationSettings",
                resource_id,
                AppInstanceUserArn=resource_id,
                **({"ExpirationSettings": expiration} if expiration else {}),
            )
            touched = True
        touched = update_tags(api, resource_id, olds.get("tags"), news.get("tags")) or touched
        return {} if touched else None

    def delete_resource(self, api: Api, resource_id: str) -> None:
        api.call("DeleteAppInstanceUser", resource_id, AppInstanceUserArn=resource_id)

    def listed(self, api: Api, resource_id: str) -> bool:
        instance_arn = resource_id.partition("/user/")[0]
        users = api.pages("ListAppInstanceUsers", instance_arn, "AppInstanceUsers", AppInstanceArn=instance_arn)
        return any(user["AppInstanceUserArn"] == resource_id for user in users)


class ExpirationSettingsArgs(TypedDict):
    """When AWS deletes the user on its own."""

    expiration_days: pulumi.Input[int]
    """Days after the criterion (1-5475): a whole number, not a bool or a string."""
    expiration_criterion: NotRequired[pulumi.Input[str]]
    """What the days count from; only ``CREATED_TIMESTAMP`` (the default)."""


@dataclass(frozen=True)
class AppInstanceUserArgs:
    """Arguments of an AppInstanceUser."""

    app_instance_arn: pulumi.Input[str]
    """ARN of the AppInstance the user belongs to (``arn:aws:chime:REGION:ACCOUNT:app-instance/ID``). Changing it
    replaces the user."""
    app_instance_user_id: pulumi.Input[str]
    """The user's ID inside the AppInstance (1-64 characters). Changing it replaces the user."""
    name: pulumi.Input[str]
    """Display name (1-100 characters, not all blank)."""
    metadata: pulumi.Input[str] | None = None
    """Free-form metadata, at most 1 KB of UTF-8."""
    tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None
    """Tags: at most 50; keys 1-128 characters, values 1-256, no ``aws:`` prefix."""
    expiration_settings: pulumi.Input[ExpirationSettingsArgs] | None = None
    """Delete the user automatically after this many days; AWS does it within 6 hours of expiry."""
    adopt_id: pulumi.Input[str] | None = None
    """ARN of an existing user to manage instead of creating one. Ignored after creation."""


class AppInstanceUser(ChimeResource, module=TYPE_MODULE, name="AppInstanceUser"):
    """A user of an AppInstance. Type token ``pulumi-python:dynamic/chimesdkidentity:AppInstanceUser``."""

    _provider_class = AppInstanceUserProvider
    _outputs = ("arn", "created_timestamp", "last_updated_timestamp")

    app_instance_arn: pulumi.Output[str]
    app_instance_user_id: pulumi.Output[str]
    name: pulumi.Output[str]
    metadata: pulumi.Output[str]
    tags: pulumi.Output[dict[str, str]]
    expiration_settings: pulumi.Output[dict[str, Any] | None]
    adopt_id: pulumi.Output[str | None]
    arn: pulumi.Output[str]
    """The user's ARN (also the resource ID)."""
    created_timestamp: pulumi.Output[str]
    last_updated_timestamp: pulumi.Output[str]

    def _derive_identity(self) -> None:
        # Known whenever the AppInstance ARN and user ID are: in every preview but one of a new AppInstance.
        self.arn = pulumi.Output.all(self.app_instance_arn, self.app_instance_user_id).apply(lambda v: user_arn(*v))

    def __init__(
        self,
        resource_name: str,
        args: AppInstanceUserArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        app_instance_arn: pulumi.Input[str] | None = None,
        app_instance_user_id: pulumi.Input[str] | None = None,
        name: pulumi.Input[str] | None = None,
        metadata: pulumi.Input[str] | None = None,
        tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None,
        expiration_settings: pulumi.Input[ExpirationSettingsArgs] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
    ) -> None:
        """Create a user from ``args`` or keyword arguments (see :class:`AppInstanceUserArgs`)."""
        kwargs: dict[str, Any] = {
            "app_instance_arn": app_instance_arn,
            "app_instance_user_id": app_instance_user_id,
            "name": name,
            "metadata": metadata,
            "tags": tags,
            "expiration_settings": expiration_settings,
            "adopt_id": adopt_id,
        }
        self._from_args(resource_name, args, opts, AppInstanceUserArgs, **kwargs)

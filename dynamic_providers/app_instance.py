"""AppInstance: the container of a Chime SDK messaging application. ID: its ARN.

Deleting one deletes everything in it, also the users, bots, channels and messages the application made at
run time. So unless ``force_destroy`` is set, a delete is refused while it still holds users or bots (the
stack's own are deleted before it), and a change that replaces it (``region``) is refused at preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import pulumi
from pydantic import Field, StrictBool

from . import _config, _provider
from ._aws import Api
from ._errors import AdoptionError, DataLossError
from ._provider import (
    ChimeProvider,
    Props,
    arn_outputs,
    create_params,
    named_live,
    read_tags,
    update_named,
    update_tags,
)
from ._resource import TYPE_MODULE, ChimeResource
from ._schema import Inputs
from .rules import api_rule, arn_rule, region_rule, tags_rule


class AppInstanceInputs(Inputs):
    name: Annotated[str, api_rule("NonEmptyResourceName")]
    metadata: Annotated[str, api_rule("Metadata")] = ""
    tags: Annotated[dict[str, str], tags_rule] = Field(default_factory=dict)
    region: Annotated[str, region_rule] | None = None
    adopt_id: Annotated[str, arn_rule("AppInstance")] | None = None
    force_destroy: StrictBool | None = None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class AppInstanceProvider(ChimeProvider):
    """CRUD for AppInstance."""

    kind = "AppInstance"
    inputs = AppInstanceInputs
    replace_on = ("region",)

    def create_resource(self, api: Api, inputs: Props, token: str) -> tuple[str, Props]:
        response = api.call("CreateAppInstance", inputs["name"], Name=inputs["name"], **create_params(inputs, token))
        return response["AppInstanceArn"], response

    def created_outputs(self, resource_id: str, inputs: Props, response: Props) -> Props:
        return arn_outputs(resource_id)

    def interrupted_id(self, api: Api, inputs: Props) -> str | None:
        """The AppInstance a killed create left: same name, metadata and tags, and no user or bot yet."""
        found = []
        for item in api.pages("ListAppInstances", inputs["name"], "AppInstances"):
            arn = item["AppInstanceArn"]
            if (item.get("Name"), item.get("Metadata") or "") != (inputs["name"], inputs.get("metadata", "")):
                continue
            if read_tags(api, arn) != (inputs.get("tags") or {}):
                continue
            users = api.call("ListAppInstanceUsers", arn, AppInstanceArn=arn, MaxResults=1).get("AppInstanceUsers")
            bots = api.call("ListAppInstanceBots", arn, AppInstanceArn=arn, MaxResults=1).get("AppInstanceBots")
            if not users and not bots:
                found.append(arn)
        if len(found) > 1:
            raise AdoptionError(f"empty AppInstances {' '.join(found)} all match these inputs; set adopt_id")
        return found[0] if found else None

    def read_resource(self, api: Api, resource_id: str) -> Props:
        live = api.call("DescribeAppInstance", resource_id, AppInstanceArn=resource_id)["AppInstance"]
        return named_live(api, resource_id, live)

    def update_resource(self, api: Api, resource_id: str, olds: Props, news: Props) -> Props | None:
        touched = update_named(api, "UpdateAppInstance", "AppInstanceArn", resource_id, olds, news)
        touched = update_tags(api, resource_id, olds.get("tags"), news.get("tags")) or touched
        return {} if touched else None

    def delete_resource(self, api: Api, resource_id: str) -> None:
        api.call("DeleteAppInstance", resource_id, AppInstanceArn=resource_id)

    def refuse_replace(self, resource_id: str, olds: Props, news: Props) -> None:
        if news.get("force_destroy"):
            _provider.seen.forced.add(resource_id)
            return
        raise DataLossError(
            f"region: changing it to {news.get('region')!r} replaces AppInstance {resource_id} (now in "
            f"{_config.region_for(arn=resource_id)}), and deleting the old one deletes every user, bot, channel "
            "and message in it. Nothing was changed. To accept that, set force_destroy=True on the AppInstance; "
            "otherwise leave region as it was."
        )

    def refuse_delete(self, api: Api, resource_id: str, props: Props) -> None:
        if props.get("force_destroy"):
            return
        users = sum(
            1 for _ in api.pages("ListAppInstanceUsers", resource_id, "AppInstanceUsers", AppInstanceArn=resource_id)
        )
        bots = sum(
            1 for _ in api.pages("ListAppInstanceBots", resource_id, "AppInstanceBots", AppInstanceArn=resource_id)
        )
        if users or bots:
            raise DataLossError(
                f"AppInstance {resource_id} still holds {_count(users, 'user')} and {_count(bots, 'bot')} that this "
                "stack does not manage; deleting it would delete them with their channels and messages, so nothing "
                "was deleted. To delete them too, set force_destroy=True on the AppInstance and run `pulumi up` "
                "first; to keep the AppInstance, protect it (protect=True) or stop managing it (`pulumi state "
                "delete <urn>`)."
            )

    def listed(self, api: Api, resource_id: str) -> bool:
        return any(
            item["AppInstanceArn"] == resource_id for item in api.pages("ListAppInstances", resource_id, "AppInstances")
        )


@dataclass(frozen=True)
class AppInstanceArgs:
    """Arguments of an AppInstance."""

    name: pulumi.Input[str]
    """Name of the AppInstance (1-256 characters)."""
    metadata: pulumi.Input[str] | None = None
    """Free-form metadata, at most 1 KB of UTF-8. Absent and empty are the same."""
    tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None
    """Tags: at most 50; keys 1-128 characters, values 1-256, no ``aws:`` prefix."""
    region: pulumi.Input[str] | None = None
    """Region to create it in (us-east-1 or eu-central-1); defaults to configuration. Changing it replaces."""
    adopt_id: pulumi.Input[str] | None = None
    """ARN of an existing AppInstance to manage instead of creating one. Ignored after creation."""
    force_destroy: pulumi.Input[bool] | None = None
    """Allow deleting or replacing it while it holds users or bots this stack does not manage (the
    application's own, with their channels and messages). Default false: such a delete is refused, and a
    ``region`` change is refused at preview. Takes effect like any input: set it, ``pulumi up``, then destroy."""


class AppInstance(ChimeResource, module=TYPE_MODULE, name="AppInstance"):
    """An Amazon Chime SDK AppInstance. Type token ``pulumi-python:dynamic/chimesdkidentity:AppInstance``."""

    _provider_class = AppInstanceProvider
    _outputs = ("arn", "created_timestamp", "last_updated_timestamp")

    name: pulumi.Output[str]
    metadata: pulumi.Output[str]
    tags: pulumi.Output[dict[str, str]]
    region: pulumi.Output[str | None]
    adopt_id: pulumi.Output[str | None]
    force_destroy: pulumi.Output[bool | None]
    arn: pulumi.Output[str]
    """The AppInstance ARN (also the resource ID)."""
    created_timestamp: pulumi.Output[str]
    last_updated_timestamp: pulumi.Output[str]

    def _derive_identity(self) -> None:
        self.arn = self.id  # the ID is the ARN, and stays known in the preview of an in-place update

    def __init__(
        self,
        resource_name: str,
        args: AppInstanceArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        metadata: pulumi.Input[str] | None = None,
        tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None,
        region: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        force_destroy: pulumi.Input[bool] | None = None,
    ) -> None:
        """Create an AppInstance from ``args`` or keyword arguments (see :class:`AppInstanceArgs`)."""
        kwargs: dict[str, Any] = {
            "name": name,
            "metadata": metadata,
            "tags": tags,
            "region": region,
            "adopt_id": adopt_id,
            "force_destroy": force_destroy,
        }
        self._from_args(resource_name, args, opts, AppInstanceArgs, **kwargs)

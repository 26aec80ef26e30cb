"""AppInstanceBot: an Amazon Lex bot inside an AppInstance. ID: its ARN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, NotRequired, TypedDict

import pulumi
from pydantic import Field

from ._aws import Api
from ._provider import ChimeProvider, Props, arn_outputs, create_params, named_live, update_named, update_tags
from ._resource import TYPE_MODULE, ChimeResource
from ._schema import Inputs
from .rules import api_rule, arn_rule, non_empty_rule, tags_rule


class InvokedByInputs(Inputs):
    standard_messages: Annotated[str, api_rule("StandardMessages")]
    targeted_messages: Annotated[str, api_rule("TargetedMessages")]


class LexInputs(Inputs):
    lex_bot_alias_arn: Annotated[str, api_rule("LexBotAliasArn")]
    locale_id: Annotated[str, non_empty_rule]
    welcome_intent: Annotated[str, api_rule("LexIntentName")] | None = None
    invoked_by: InvokedByInputs | None = None


class ConfigurationInputs(Inputs):
    lex: LexInputs


class AppInstanceBotInputs(Inputs):
    app_instance_arn: Annotated[str, api_rule("ChimeArn"), arn_rule("AppInstance")]
    configuration: ConfigurationInputs
    name: Annotated[str, api_rule("ResourceName")] = ""
    metadata: Annotated[str, api_rule("Metadata")] = ""
    tags: Annotated[dict[str, str], tags_rule] = Field(default_factory=dict)
    adopt_id: Annotated[str, arn_rule("AppInstanceBot")] | None = None


_LEX = (("lex_bot_alias_arn", "LexBotAliasArn"), ("locale_id", "LocaleId"), ("welcome_intent", "WelcomeIntent"))
_INVOKED_BY = (("standard_messages", "StandardMessages"), ("targeted_messages", "TargetedMessages"))


def _to_api(configuration: Props) -> Props:
    lex = configuration["lex"]
    out: Props = {api: lex[key] for key, api in _LEX if lex.get(key) is not None}
    if lex.get("invoked_by"):
        out["InvokedBy"] = {api: lex["invoked_by"][key] for key, api in _INVOKED_BY}
    return {"Lex": out}


def _from_api(configuration: Props) -> Props:
    lex = configuration["Lex"]
    out: Props = {key: lex[api] for key, api in _LEX if lex.get(api) is not None}
    if lex.get("InvokedBy"):
        out["invoked_by"] = {key: lex["InvokedBy"][api] for key, api in _INVOKED_BY}
    return {"lex": out}


class AppInstanceBotProvider(ChimeProvider):
    """CRUD for AppInstanceBot."""

    kind = "AppInstanceBot"
    inputs = AppInstanceBotInputs
    replace_on = ("app_instance_arn",)
    parent_key = "app_instance_arn"

    def create_resource(self, api: Api, inputs: Props, token: str) -> tuple[str, Props]:
        response = api.call(
            "CreateAppInstanceBot",
            inputs.get("name") or "bot",
            AppInstanceArn=inputs["app_instance_arn"],
            Configuration=_to_api(inputs["configuration"]),
            **({"Name": inputs["name"]} if inputs.get("name") else {}),
            **create_params(inputs, token),
        )
        return response["AppInstanceBotArn"], response

    def created_outputs(self, resource_id: str, inputs: Props, response: Props) -> Props:
        return arn_outputs(resource_id)

    def read_resource(self, api: Api, resource_id: str) -> Props:
        live = api.call("DescribeAppInstanceBot", resource_id, AppInstanceBotArn=resource_id)["AppInstanceBot"]
        return {
            "app_instance_arn": resource_id.partition("/bot/")[0],
            "configuration": _from_api(live["Configuration"]),
            **named_live(api, resource_id, live),
        }

    def update_resource(self, api: Api, resource_id: str, olds: Props, news: Props) -> Props | None:
        configuration = news["configuration"]
        extra = {"Configuration": _to_api(configuration)} if olds.get("configuration") != configuration else {}
        touched = update_named(api, "UpdateAppInstanceBot", "AppInstanceBotArn", resource_id, olds, news, **extra)
        touched = update_tags(api, resource_id, olds.get("tags"), news.get("tags")) or touched
        return {} if touched else None

    def delete_resource(self, api: Api, resource_id: str) -> None:
        api.call("DeleteAppInstanceBot", resource_id, AppInstanceBotArn=resource_id)

    def listed(self, api: Api, resource_id: str) -> bool:
        instance_arn = resource_id.partition("/bot/")[0]
        bots = api.pages("ListAppInstanceBots", instance_arn, "AppInstanceBots", AppInstanceArn=instance_arn)
        return any(bot["AppInstanceBotArn"] == resource_id for bot in bots)


# The Args types carry the same rules as the Inputs above: components validate their bots' Lex settings
# with them (pulumi_chime_sdk_identity.components), before anything is declared.


class InvokedByArgs(TypedDict):
    """Which messages invoke the bot."""

    standard_messages: Annotated[pulumi.Input[str], api_rule("StandardMessages")]
    """AUTO, ALL, MENTIONS or NONE."""
    targeted_messages: Annotated[pulumi.Input[str], api_rule("TargetedMessages")]
    """ALL or NONE."""


class LexConfigurationArgs(TypedDict):
    """The Amazon Lex V2 bot behind the AppInstanceBot."""

    lex_bot_alias_arn: Annotated[pulumi.Input[str], api_rule("LexBotAliasArn")]
    """ARN of the Lex bot alias (``arn:aws:lex:REGION:ACCOUNT:bot-alias/BOTID/ALIASID``)."""
    locale_id: Annotated[pulumi.Input[str], non_empty_rule]
    """Lex locale, e.g. ``en_US`` (not empty)."""
    welcome_intent: NotRequired[Annotated[pulumi.Input[str], api_rule("LexIntentName")]]
    """Intent invoked when the bot joins a channel."""
    invoked_by: NotRequired[pulumi.Input[InvokedByArgs]]
    """Which messages invoke the bot."""


class ConfigurationArgs(TypedDict):
    """The bot's configuration."""

    lex: pulumi.Input[LexConfigurationArgs]
    """The Amazon Lex configuration."""


@dataclass(frozen=True)
class AppInstanceBotArgs:
    """Arguments of an AppInstanceBot."""

    app_instance_arn: pulumi.Input[str]
    """ARN of the AppInstance (``arn:aws:chime:REGION:ACCOUNT:app-instance/ID``). Changing it replaces the bot."""
    configuration: pulumi.Input[ConfigurationArgs]
    """The Lex configuration; updated in place."""
    name: pulumi.Input[str] | None = None
    """Display name (0-256 characters)."""
    metadata: pulumi.Input[str] | None = None
    """Free-form metadata, at most 1 KB of UTF-8."""
    tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None
    """Tags: at most 50; keys 1-128 characters, values 1-256, no ``aws:`` prefix."""
    adopt_id: pulumi.Input[str] | None = None
    """ARN of an existing bot to manage instead of creating one. Ignored after creation."""


class AppInstanceBot(ChimeResource, module=TYPE_MODULE, name="AppInstanceBot"):
    """A Lex bot in an AppInstance. Type token ``pulumi-python:dynamic/chimesdkidentity:AppInstanceBot``."""

    _provider_class = AppInstanceBotProvider
    _outputs = ("arn", "created_timestamp", "last_updated_timestamp")

    app_instance_arn: pulumi.Output[str]
    configuration: pulumi.Output[dict[str, Any]]
    name: pulumi.Output[str]
    metadata: pulumi.Output[str]
    tags: pulumi.Output[dict[str, str]]
    adopt_id: pulumi.Output[str | None]
    arn: pulumi.Output[str]
    """The bot's ARN (also the resource ID)."""
    created_timestamp: pulumi.Output[str]
    last_updated_timestamp: pulumi.Output[str]

    def _derive_identity(self) -> None:
        self.arn = self.id  # the ID is the ARN, and stays known in the preview of an in-place update

    def __init__(
        self,
        resource_name: str,
        args: AppInstanceBotArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        app_instance_arn: pulumi.Input[str] | None = None,
        configuration: pulumi.Input[ConfigurationArgs] | None = None,
        name: pulumi.Input[str] | None = None,
        metadata: pulumi.Input[str] | None = None,
        tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
    ) -> None:
        """Create a bot from ``args`` or keyword arguments (see :class:`AppInstanceBotArgs`)."""
        kwargs: dict[str, Any] = {
            "app_instance_arn": app_instance_arn,
            "configuration": configuration,
            "name": name,
            "metadata": metadata,
            "tags": tags,
            "adopt_id": adopt_id,
        }
        self._from_args(resource_name, args, opts, AppInstanceBotArgs, **kwargs)

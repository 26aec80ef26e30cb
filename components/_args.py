"""The components' argument types, which are also their schema.

Each field's annotation is its rule: ``Annotated[pulumi.Input[str], api_rule("UserName")]`` holds the
API's limits as botocore's model gives them (:mod:`pulumi_chime_sdk_identity.dynamic_providers.rules`,
the rules the providers' ``Inputs`` use). :mod:`._schema` derives the validation from these annotations
alone, for the arguments a program passes and for a spec file (:meth:`MessagingApp.from_spec`), which
is validated into these same types. A bot's Lex settings are the provider's own
:class:`~pulumi_chime_sdk_identity.dynamic_providers.LexConfigurationArgs`, whose fields carry their rules too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, cast

import pulumi
from pydantic import AfterValidator, BeforeValidator

from pulumi_chime_sdk_identity.dynamic_providers import InvokedByArgs, LexConfigurationArgs
from pulumi_chime_sdk_identity.dynamic_providers.rules import (
    SECRET,
    api_rule,
    arn_rule,
    is_unknown,
    region_rule,
    tags_rule,
)

KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""Stable keys (bots, endpoints) become part of resource names: short, no spaces, no ``::``."""
LOCAL_ID_PATTERN = re.compile(r"[^/|:\s]{1,64}")
"""A bot's or endpoint's ID inside its parent (a UUID or hex string from the API)."""
KEY_RULE = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"


def _check_key(key: str) -> str:
    if not key:
        raise ValueError("must be a non-empty string")
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError(KEY_RULE)
    return key


def _check_local_id(value: object) -> object:
    """A bot ID or endpoint ID as its ``adopt_id``: the last part of the resource's ID, not the whole."""
    if not isinstance(value, str) or is_unknown(value):
        return value
    if value.startswith("arn:") or "|" in value:
        raise ValueError("must be the ID alone (the part after '/bot/' in a bot's ARN, after '|' in an endpoint's ID)")
    if not LOCAL_ID_PATTERN.fullmatch(value):
        raise ValueError("must be 1-64 characters without '/', '|', ':' or spaces")
    return value


def _check_plain(value: object) -> object:
    if is_unknown(value):
        raise ValueError("must be a plain bool (not an Output): it decides which resources exist")
    return value


StableKey = Annotated[str, AfterValidator(_check_key)]
"""A bot or endpoint key: part of resource names."""
UserId = Annotated[str, api_rule("UserId")]
"""A user id (the API's ``UserId``): part of resource names."""
Flag = Annotated[bool, BeforeValidator(_check_plain)]
"""A plain bool that decides whether a resource exists, so it cannot wait for an Output."""
Tags = Annotated[pulumi.Input[dict[str, pulumi.Input[str]]], tags_rule]
Metadata = Annotated[pulumi.Input[str], api_rule("Metadata")]
LocalId = Annotated[pulumi.Input[str], AfterValidator(_check_local_id)]
"""The ID of an existing bot (``.../bot/<ID>``) or endpoint (``<user ARN>|<ID>``), to adopt it."""
AppInstanceArn = Annotated[pulumi.Input[str], api_rule("ChimeArn"), arn_rule("AppInstance")]


@dataclass(frozen=True)
class EndpointArgs:
    """One push-notification endpoint (a device) of a user."""

    type: Annotated[pulumi.Input[str], api_rule("AppInstanceUserEndpointType")]
    """``APNS``, ``APNS_SANDBOX`` or ``GCM``. Changing it replaces the endpoint."""
    resource_arn: Annotated[pulumi.Input[str], api_rule("ChimeArn"), arn_rule("Amazon Pinpoint app")]
    """ARN of the Amazon Pinpoint app that sends the pushes (``arn:aws:mobiletargeting:REGION:ACCOUNT:apps/ID``).
    Changing it replaces the endpoint."""
    device_token: Annotated[pulumi.Input[str], api_rule("NonEmptySensitiveString1600"), SECRET]
    """The device token from APNs or FCM. Kept secret in state (the endpoint resource wraps it)."""
    voip_device_token: Annotated[pulumi.Input[str], api_rule("NonEmptySensitiveString1600"), SECRET] | None = None
    """The VoIP device token (APNs only). Secret, like ``device_token``."""
    name: Annotated[pulumi.Input[str], api_rule("SensitiveString1600")] | None = None
    """Display name of the endpoint; changes in place."""
    allow_messages: Annotated[pulumi.Input[str], api_rule("AllowMessages")] | None = None
    """``ALL`` (the default) or ``NONE``: whether the endpoint receives messages; changes in place."""
    adopt_id: LocalId | None = None
    """The endpoint ID of an existing endpoint of this user, to take it under management instead of registering
    one (its user must be adopted too). The device tokens must be the live ones. Ignored after creation."""


@dataclass(frozen=True)
class UserArgs:
    """A user of a :class:`MessagingApp`; its user id is its key in ``MessagingAppArgs.users``."""

    name: Annotated[pulumi.Input[str], api_rule("UserName")]
    """Display name (1-100 characters, not all blank)."""
    metadata: Metadata | None = None
    """Free-form metadata, at most 1 KB of UTF-8."""
    tags: Tags | None = None
    """The user's tags: at most 50; keys 1-128 characters, values 1-256, no ``aws:`` prefix. In a
    :class:`MessagingApp`, merged over the app's ``tags`` (the user's win)."""
    expiration_days: Annotated[pulumi.Input[int], api_rule("ExpirationDays")] | None = None
    """Let AWS delete the user this many days (1-5475) after creation; None keeps it."""
    admin: Flag = False
    """Promote the user to AppInstance administrator. A plain bool: it decides whether the admin resource exists."""
    endpoints: Mapping[StableKey, EndpointArgs] | None = None
    """Push endpoints by stable key (used in resource names). A plain mapping: its keys decide which resources exist."""
    adopt: Flag = False
    """The user exists already (made outside this stack): take it under management instead of creating it, and its
    admin role with it when ``admin`` is set (a user that is not admin yet is promoted). In a :class:`MessagingApp`
    it needs the app's ``adopt_id``. Its ID follows from the AppInstance ARN and the user id. Ignored after creation."""
    inherit_tags: bool = True
    """In a :class:`MessagingApp`: merge the app's ``tags`` under the user's own (the default). False gives the user
    exactly its own ``tags``, as for a user made without the app's tags."""


@dataclass(frozen=True)
class _InAppInstance:
    app_instance_arn: Annotated[pulumi.Input[str], api_rule("ChimeArn"), arn_rule("AppInstance")]
    """ARN of the AppInstance the user belongs to (``arn:aws:chime:REGION:ACCOUNT:app-instance/ID``, in us-east-1 or
    eu-central-1); its region is where every child lives."""
    user_id: Annotated[pulumi.Input[str], api_rule("UserId")]
    """The user's ID inside the AppInstance (1-64 characters, the API's ``UserId`` pattern). Changing it replaces."""


@dataclass(frozen=True)
class MessagingUserArgs(UserArgs, _InAppInstance):
    """Arguments of a :class:`MessagingUser`: a :class:`UserArgs` plus where the user lives.

    Fields, in order (a dataclass takes its bases' fields from the last base on): ``app_instance_arn``,
    ``user_id``, then those of :class:`UserArgs`.
    """


@dataclass(frozen=True, init=False)
class BotArgs:
    """An Amazon Lex bot of a :class:`MessagingApp`; its stable key is its key in ``MessagingAppArgs.bots``.

    Keyword arguments only. The Lex settings are the provider's own shape
    (:class:`~pulumi_chime_sdk_identity.dynamic_providers.LexConfigurationArgs`), as in a spec file::

        BotArgs(lex={"lex_bot_alias_arn": alias_arn, "locale_id": "en_US"}, admin=True)

    The form of 0.1, the same four fields given inline, is accepted too, and problems are then named
    as written (``bots.<key>.locale_id``)::

        BotArgs(lex_bot_alias_arn=alias_arn, locale_id="en_US", admin=True)
    """

    lex: pulumi.Input[LexConfigurationArgs]
    """``lex_bot_alias_arn`` (``arn:aws:lex:REGION:ACCOUNT:bot-alias/BOTID/ALIASID``), ``locale_id`` (e.g.
    ``en_US``), optional ``welcome_intent`` and ``invoked_by`` {``standard_messages`` AUTO/ALL/MENTIONS/NONE,
    ``targeted_messages`` ALL/NONE}."""
    name: Annotated[pulumi.Input[str], api_rule("ResourceName")] | None = None
    """Display name (0-256 characters)."""
    metadata: Metadata | None = None
    """Free-form metadata, at most 1 KB of UTF-8."""
    tags: Tags | None = None
    """The bot's own tags, merged over the app's ``tags`` (the bot's win)."""
    admin: Flag = False
    """Promote the bot to AppInstance administrator. A plain bool: it decides whether the admin resource exists."""
    adopt_id: LocalId | None = None
    """The bot ID (the part after ``/bot/`` in its ARN) of an existing bot of the app, to take it under management
    instead of creating one, with its admin role when ``admin`` is set. Needs the app's ``adopt_id``. Ignored after
    creation."""
    inherit_tags: bool = True
    """Merge the app's ``tags`` under the bot's own (the default); False gives the bot exactly its own ``tags``."""

    def __init__(
        self,
        *,
        lex: pulumi.Input[LexConfigurationArgs] | None = None,
        name: pulumi.Input[str] | None = None,
        metadata: pulumi.Input[str] | None = None,
        tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None,
        admin: bool = False,
        adopt_id: pulumi.Input[str] | None = None,
        inherit_tags: bool = True,
        lex_bot_alias_arn: pulumi.Input[str] | None = None,
        locale_id: pulumi.Input[str] | None = None,
        welcome_intent: pulumi.Input[str] | None = None,
        invoked_by: pulumi.Input[InvokedByArgs] | None = None,
    ) -> None:
        """Take the Lex settings as ``lex``, or as the four fields of 0.1 given inline (not both)."""
        inline: dict[str, Any] = {
            key: value
            for key, value in (
                ("lex_bot_alias_arn", lex_bot_alias_arn),
                ("locale_id", locale_id),
                ("welcome_intent", welcome_intent),
                ("invoked_by", invoked_by),
            )
            if value is not None
        }
        if inline and lex is not None:
            raise TypeError("BotArgs takes lex or its fields (lex_bot_alias_arn, locale_id, ...) inline, not both")
        if lex is None and not inline:
            raise TypeError("BotArgs needs lex={'lex_bot_alias_arn': ..., 'locale_id': ...}")
        for key, value in (
            ("lex", cast(LexConfigurationArgs, inline) if lex is None else lex),
            ("name", name),
            ("metadata", metadata),
            ("tags", tags),
            ("admin", admin),
            ("adopt_id", adopt_id),
            ("inherit_tags", inherit_tags),
        ):
            object.__setattr__(self, key, value)
        # Which fields were written inline in their parent, so problems are named as written.
        object.__setattr__(self, "_inlined", ("lex",) if inline else ())


@dataclass(frozen=True)
class MessagingAppArgs:
    """Arguments of a :class:`MessagingApp`."""

    name: Annotated[pulumi.Input[str], api_rule("NonEmptyResourceName")]
    """Name of the AppInstance (1-256 characters)."""
    metadata: Metadata | None = None
    """Free-form metadata of the AppInstance, at most 1 KB of UTF-8."""
    tags: Tags | None = None
    """Tags of the AppInstance, and default tags of every user and bot (their own tags win)."""
    region: Annotated[pulumi.Input[str], region_rule] | None = None
    """Region of the AppInstance (us-east-1 or eu-central-1), passed to its ``region`` input; users, bots,
    admins and endpoints follow the AppInstance ARN's region. None uses ``chimesdkidentity:region``, then
    ``aws:region``, then the AWS environment. An explicit ``pulumi_aws.Provider`` in ``opts.providers`` does
    not reach these resources: they are dynamic resources, not pulumi-aws ones. Changing it replaces the app."""
    retention_days: Annotated[pulumi.Input[int], api_rule("RetentionDays")] | None = None
    """Keep channel messages this many days (1-5475); None leaves retention off (no retention resource)."""
    force_destroy: pulumi.Input[bool] | None = None
    """Allow deleting or replacing the AppInstance while it holds users or bots this stack does not manage
    (the application's own, with their channels and messages); passed to the AppInstance's ``force_destroy``.
    Default false: such a destroy is refused and a ``region`` change is refused at preview."""
    users: Mapping[UserId, UserArgs] = field(default_factory=dict)
    """Users by user id (the API's ``UserId``: 1-64 characters, letters, digits and ``:-_.@`` inside)."""
    bots: Mapping[StableKey, BotArgs] = field(default_factory=dict)
    """Lex bots by stable key (used in resource names: letters, digits, ``.``, ``_``, ``-``)."""
    adopt_id: AppInstanceArn | None = None
    """ARN of an existing AppInstance to take under management instead of creating one, with its retention
    settings when ``retention_days`` is set. Its users and bots are adopted only where an entry says so
    (``adopt: true`` on a user, ``adopt_id`` on a bot); a user that exists but is not marked is refused at
    ``pulumi preview``. ``chime-identity-import`` writes such a spec from what exists. Ignored after creation."""

"""MessagingUser: one AppInstanceUser with its admin flag and push endpoints, as one component.

Children, all with ``parent=self`` and named from the component's name ``<name>``:

- ``<name>-user``: the :class:`AppInstanceUser`;
- ``<name>-admin``: an :class:`AppInstanceAdmin` promoting the user, when ``admin=True``;
- ``<name>-endpoint-<key>``: one :class:`AppInstanceUserEndpoint` per entry of ``endpoints``.

Endpoints are keyed by a stable key you choose (``"phone"``, ``"ipad"``), never by position, so adding,
removing or reordering entries touches only the entries concerned. Children reach the API in the
region of ``app_instance_arn``; there is no region input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pulumi

from pulumi_chime_sdk_identity.dynamic_providers import (
    AppInstanceAdmin,
    AppInstanceUser,
    AppInstanceUserEndpoint,
    EndpointAttributesArgs,
    ExpirationSettingsArgs,
)

from ._validation import Problems

if TYPE_CHECKING:
    from .messaging_app import UserArgs

TYPE_TOKEN = "chimesdkidentity:components:MessagingUser"


@dataclass(frozen=True)
class EndpointArgs:
    """One push-notification endpoint (a device) of a user."""

    type: pulumi.Input[str]
    """``APNS``, ``APNS_SANDBOX`` or ``GCM``. Changing it replaces the endpoint."""
    resource_arn: pulumi.Input[str]
    """ARN of the Amazon Pinpoint app that sends the pushes. Changing it replaces the endpoint."""
    device_token: pulumi.Input[str]
    """The device token from APNs or FCM. Kept secret in state (the endpoint resource wraps it)."""
    voip_device_token: pulumi.Input[str] | None = None
    """The VoIP device token (APNs only). Secret, like ``device_token``."""
    name: pulumi.Input[str] | None = None
    """Display name of the endpoint; changes in place."""
    allow_messages: pulumi.Input[str] | None = None
    """``ALL`` (the default) or ``NONE``: whether the endpoint receives messages; changes in place."""


@dataclass(frozen=True)
class MessagingUserArgs:
    """Arguments of a :class:`MessagingUser`."""

    app_instance_arn: pulumi.Input[str]
    """ARN of the AppInstance the user belongs to; its region is where every child lives."""
    user_id: pulumi.Input[str]
    """The user's ID inside the AppInstance (1-64 characters, the API's ``UserId`` pattern). Changing it replaces."""
    name: pulumi.Input[str]
    """Display name (1-100 characters, not all blank)."""
    metadata: pulumi.Input[str] | None = None
    """Free-form metadata, at most 1 KB of UTF-8."""
    tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None
    """Tags of the user: at most 50; keys 1-128 characters, values 1-256, no ``aws:`` prefix."""
    expiration_days: pulumi.Input[int] | None = None
    """Let AWS delete the user this many days (1-5475) after creation; None keeps it."""
    admin: bool = False
    """Promote the user to AppInstance administrator. A plain bool: it decides whether the admin resource exists."""
    endpoints: Mapping[str, EndpointArgs] | None = None
    """Push endpoints by stable key (used in resource names). A plain mapping: its keys decide which resources exist."""


def check_user(problems: Problems, prefix: str, user: UserArgs | MessagingUserArgs) -> None:
    """Check a user's inputs (shared with :class:`MessagingApp`, which reports them under ``users.<id>``)."""
    problems.string(f"{prefix}name", "UserName", user.name)
    problems.string(f"{prefix}metadata", "Metadata", user.metadata)
    problems.tags(f"{prefix}tags", user.tags)
    problems.integer(f"{prefix}expiration_days", "ExpirationDays", user.expiration_days)
    problems.boolean(f"{prefix}admin", user.admin)
    endpoints = user.endpoints
    if endpoints is None:
        return
    if not isinstance(endpoints, Mapping):
        problems.add(f"{prefix}endpoints", "must be a mapping of endpoint keys to EndpointArgs")
        return
    for key, endpoint in endpoints.items():
        path = f"{prefix}endpoints.{key}"
        problems.key(path, key)
        if not isinstance(endpoint, EndpointArgs):
            problems.add(path, "must be an EndpointArgs")
            continue
        problems.string(f"{path}.type", "AppInstanceUserEndpointType", endpoint.type)
        problems.string(f"{path}.resource_arn", "ChimeArn", endpoint.resource_arn)
        problems.string(f"{path}.device_token", "NonEmptySensitiveString1600", endpoint.device_token)
        problems.string(f"{path}.voip_device_token", "NonEmptySensitiveString1600", endpoint.voip_device_token)
        problems.string(f"{path}.name", "SensitiveString1600", endpoint.name)
        problems.string(f"{path}.allow_messages", "AllowMessages", endpoint.allow_messages)


def string_dict(outputs: Mapping[str, pulumi.Output[str]]) -> pulumi.Output[dict[str, str]]:
    """One Output of a dict from a dict of Outputs (``Output.all()`` of nothing would be a list)."""
    if not outputs:
        empty: dict[str, str] = {}
        return pulumi.Output.from_input(empty)
    return pulumi.Output.all(**outputs).apply(lambda values: {key: str(value) for key, value in values.items()})


@dataclass(frozen=True)
class DeclaredUser:
    """What :func:`declare_user` declared: the user's ARN, its admin ID (None if not admin), endpoint IDs by key."""

    arn: pulumi.Output[str]
    admin_id: pulumi.Output[str | None]
    endpoint_ids: dict[str, pulumi.Output[str]]


def declare_user(resource_name: str, args: MessagingUserArgs, opts: pulumi.ResourceOptions) -> DeclaredUser:
    """Declare ``<resource_name>-user``, ``-admin`` and ``-endpoint-<key>`` with ``opts`` (the caller checked ``args``).

    :class:`MessagingUser` declares them under itself; :class:`MessagingApp` directly under the app.
    """
    expiration: pulumi.Input[ExpirationSettingsArgs] | None = None
    if args.expiration_days is not None:
        expiration = {"expiration_days": args.expiration_days}
    user = AppInstanceUser(
        f"{resource_name}-user",
        app_instance_arn=args.app_instance_arn,
        app_instance_user_id=args.user_id,
        name=args.name,
        metadata=args.metadata,
        tags=args.tags,
        expiration_settings=expiration,
        opts=opts,
    )
    admin_id: pulumi.Output[str | None] = pulumi.Output.from_input(None)
    if args.admin:
        admin_id = AppInstanceAdmin(
            f"{resource_name}-admin", app_instance_arn=args.app_instance_arn, admin_arn=user.arn, opts=opts
        ).id
    endpoint_ids: dict[str, pulumi.Output[str]] = {}
    for key, endpoint in (args.endpoints or {}).items():
        attributes: EndpointAttributesArgs = {"device_token": endpoint.device_token}
        if endpoint.voip_device_token is not None:
            attributes["voip_device_token"] = endpoint.voip_device_token
        endpoint_ids[key] = AppInstanceUserEndpoint(
            f"{resource_name}-endpoint-{key}",
            app_instance_user_arn=user.arn,
            type=endpoint.type,
            resource_arn=endpoint.resource_arn,
            endpoint_attributes=attributes,
            name=endpoint.name,
            allow_messages=endpoint.allow_messages,
            opts=opts,
        ).endpoint_id
    return DeclaredUser(user.arn, admin_id, endpoint_ids)


class MessagingUser(pulumi.ComponentResource):
    """A Chime SDK user with its admin flag and push endpoints (type ``chimesdkidentity:components:MessagingUser``).

    Rename the component without replacing its children by aliasing the old name; children follow
    because their names start with the component's::

        MessagingUser("alice-smith", args, opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="alice")]))
    """

    arn: pulumi.Output[str]
    """The user's ARN."""
    admin_id: pulumi.Output[str | None]
    """ID of the AppInstanceAdmin resource (``<app_instance_arn>|<user_arn>``), or None when not admin."""
    endpoint_ids: pulumi.Output[dict[str, str]]
    """The endpoint IDs AWS assigned, by endpoint key."""

    def __init__(self, resource_name: str, args: MessagingUserArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        """Create the user, its admin (if ``args.admin``) and its endpoints; ValueError names any bad input."""
        problems = Problems()
        problems.string("app_instance_arn", "ChimeArn", args.app_instance_arn)
        problems.string("user_id", "UserId", args.user_id)
        check_user(problems, "", args)
        problems.raise_if_any("MessagingUser", resource_name)
        super().__init__(TYPE_TOKEN, resource_name, None, opts)
        declared = declare_user(resource_name, args, pulumi.ResourceOptions(parent=self))
        self.arn = declared.arn
        self.admin_id = declared.admin_id
        self.endpoint_ids = string_dict(declared.endpoint_ids)

        self.register_outputs({"arn": self.arn, "admin_id": self.admin_id, "endpoint_ids": self.endpoint_ids})

"""Declaring a user's and a bot's resources, the same way for both: the resource, then its admin if flagged.

:class:`MessagingUser` declares a user under itself; :class:`MessagingApp` declares users and bots directly
under the app. Arguments arrive checked (:func:`._schema.check_args`, :func:`._adopt.problems`). ``adopt_in``
is the ARN of the existing AppInstance the entry lives in, when the app is adopted: an entry marked for
adoption passes its resources the IDs to adopt (:mod:`._adopt`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi

from pulumi_chime_sdk_identity.dynamic_providers import (
    AppInstanceAdmin,
    AppInstanceBot,
    AppInstanceUser,
    AppInstanceUserEndpoint,
    EndpointAttributesArgs,
    ExpirationSettingsArgs,
)

from ._adopt import join
from ._args import BotArgs, Tags, UserArgs


@dataclass(frozen=True)
class Declared:
    """What was declared for one user or bot: its ARN, its admin ID (None if not admin), endpoint IDs by key."""

    arn: pulumi.Output[str]
    admin_id: pulumi.Output[str] | None
    endpoint_ids: dict[str, pulumi.Output[str]] = field(default_factory=dict)


def _admin(
    name: str,
    app_instance_arn: pulumi.Input[str],
    arn: pulumi.Output[str],
    admin: bool,
    opts: pulumi.ResourceOptions,
    adopt_in: pulumi.Input[str] | None,
    adopted_arn: pulumi.Input[str] | None,
) -> pulumi.Output[str] | None:
    if not admin:
        return None
    adopt_id = join(adopt_in, "|", adopted_arn)  # an adopted user's or bot's admin role: taken over, or made
    return AppInstanceAdmin(name, app_instance_arn=app_instance_arn, admin_arn=arn, adopt_id=adopt_id, opts=opts).id


def declare_user(
    prefix: str,
    app_instance_arn: pulumi.Input[str],
    user_id: pulumi.Input[str],
    user: UserArgs,
    opts: pulumi.ResourceOptions,
    adopt_in: pulumi.Input[str] | None = None,
) -> Declared:
    """``<prefix>-user``, ``<prefix>-admin`` if ``user.admin``, and ``<prefix>-endpoint-<key>`` per endpoint."""
    adopted_arn = join(adopt_in, "/user/", user_id) if user.adopt else None
    expiration: ExpirationSettingsArgs | None = None
    if user.expiration_days is not None:
        expiration = {"expiration_days": user.expiration_days}
    resource = AppInstanceUser(
        f"{prefix}-user",
        app_instance_arn=app_instance_arn,
        app_instance_user_id=user_id,
        name=user.name,
        metadata=user.metadata,
        tags=user.tags,
        expiration_settings=expiration,
        adopt_id=adopted_arn,
        opts=opts,
    )
    admin_id = _admin(f"{prefix}-admin", app_instance_arn, resource.arn, user.admin, opts, adopt_in, adopted_arn)
    endpoint_ids: dict[str, pulumi.Output[str]] = {}
    for key, endpoint in (user.endpoints or {}).items():
        attributes: EndpointAttributesArgs = {"device_token": endpoint.device_token}
        if endpoint.voip_device_token is not None:
            attributes["voip_device_token"] = endpoint.voip_device_token
        endpoint_ids[key] = AppInstanceUserEndpoint(
            f"{prefix}-endpoint-{key}",
            app_instance_user_arn=resource.arn,
            type=endpoint.type,
            resource_arn=endpoint.resource_arn,
            endpoint_attributes=attributes,
            name=endpoint.name,
            allow_messages=endpoint.allow_messages,
            adopt_id=join(adopted_arn, "|", endpoint.adopt_id),
            opts=opts,
        ).endpoint_id
    return Declared(resource.arn, admin_id, endpoint_ids)


def declare_bot(
    prefix: str,
    app_instance_arn: pulumi.Input[str],
    bot: BotArgs,
    opts: pulumi.ResourceOptions,
    adopt_in: pulumi.Input[str] | None = None,
) -> Declared:
    """``<prefix>`` (the bot) and ``<prefix>-admin`` if ``bot.admin``."""
    adopted_arn = join(adopt_in, "/bot/", bot.adopt_id)
    resource = AppInstanceBot(
        prefix,
        app_instance_arn=app_instance_arn,
        configuration={"lex": bot.lex},
        name=bot.name,
        metadata=bot.metadata,
        tags=bot.tags,
        adopt_id=adopted_arn,
        opts=opts,
    )
    admin_id = _admin(f"{prefix}-admin", app_instance_arn, resource.arn, bot.admin, opts, adopt_in, adopted_arn)
    return Declared(resource.arn, admin_id)


def merge_tags(defaults: Tags | None, own: Tags | None, inherit: bool = True) -> Tags | None:
    """The app's tags with a user's or bot's own on top (only its own without ``inherit``); a plain dict unless
    either map is an Output."""
    if defaults is None or not inherit:
        return own
    if own is None:
        return defaults
    if isinstance(defaults, Mapping) and isinstance(own, Mapping):
        return {**defaults, **own}
    return pulumi.Output.all(pulumi.Output.from_input(defaults), pulumi.Output.from_input(own)).apply(
        lambda both: {**(both[0] or {}), **(both[1] or {})}
    )


def string_dict(outputs: Mapping[str, pulumi.Output[str]]) -> pulumi.Output[dict[str, str]]:
    """One Output of a dict from a dict of Outputs (``Output.all()`` of nothing would be a list)."""
    if not outputs:
        empty: dict[str, str] = {}
        return pulumi.Output.from_input(empty)
    return pulumi.Output.all(**outputs).apply(lambda values: {key: str(value) for key, value in values.items()})

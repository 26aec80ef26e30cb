"""MessagingApp: an AppInstance with retention, users, bots, admins and endpoints, as one component.

Children, all with ``parent=self`` and named from the component's name ``<name>``:

- ``<name>-app``: the :class:`AppInstance`;
- ``<name>-retention``: its :class:`AppInstanceRetentionSettings`, when ``retention_days`` is set;
- per user, the resources a :class:`MessagingUser` would hold, but directly under the app (no component
  per user, which would double the stack's state entries): ``<name>-<user_id>-user``, ``<name>-<user_id>-admin``
  and ``<name>-<user_id>-endpoint-<key>``;
- ``<name>-bot-<key>``: an :class:`AppInstanceBot` per bot, and ``<name>-bot-<key>-admin`` when it is admin.

Names come from user ids and stable keys, never from positions: reordering entries changes nothing,
and renaming a key replaces only that entry's resources.

Spec files (:meth:`MessagingApp.from_spec`), YAML (``.yaml``/``.yml``) or JSON (``.json``)::

    name: team-chat                  # AppInstance name (required)
    metadata: '{"tier": "prod"}'     # optional
    tags: {project: chat}            # optional; defaults for every user and bot too
    region: us-east-1                # optional: us-east-1 or eu-central-1
    retention_days: 90               # optional: 1-5475
    users:                           # optional; keyed by user id (the API's UserId pattern)
      alice:
        name: Alice                  # required
        metadata: ...                # optional
        tags: {team: core}           # optional; merged over the app's tags
        expiration_days: 365         # optional: 1-5475
        admin: true                  # optional, default false
        endpoints:                   # optional; keyed by a stable endpoint key
          phone:
            type: GCM                # APNS, APNS_SANDBOX or GCM (required)
            resource_arn: arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef
            device_token_config: aliceDeviceToken   # or device_token: <literal>; exactly one
            voip_device_token_config: ...           # or voip_device_token: <literal>; optional
            name: Alice's phone      # optional
            allow_messages: ALL      # optional: ALL or NONE
    bots:                            # optional; keyed by a stable bot key
      helper:
        name: Helper                 # optional
        metadata: ...                # optional
        tags: {kind: bot}            # optional; merged over the app's tags
        admin: false                 # optional, default false
        lex:                         # required
          bot_alias_arn: arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST
          locale_id: en_US
          welcome_intent: Welcome    # optional
          invoked_by: {standard_messages: AUTO, targeted_messages: ALL}   # optional

``device_token_config: some-key`` reads ``pulumi.Config().require_secret("some-key")`` (``ns:key`` reads
another namespace), so device tokens stay in encrypted stack config, not in a committed file.
Unknown keys, repeated keys, wrong types and values the API would refuse are all reported at once in
one :class:`SpecError`, a line each: ``team.yaml: users.alice.endpoints.phone.type: must be one of
APNS, APNS_SANDBOX, GCM``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

import pulumi

from pulumi_chime_sdk_identity.dynamic_providers import (
    AppInstance,
    AppInstanceAdmin,
    AppInstanceBot,
    AppInstanceRetentionSettings,
    InvokedByArgs,
    LexConfigurationArgs,
)

from . import _spec
from ._spec import SpecError
from ._validation import Problems, is_known
from .messaging_user import TYPE_TOKEN as USER_TYPE_TOKEN
from .messaging_user import EndpointArgs, MessagingUserArgs, check_user, declare_user, string_dict

TYPE_TOKEN = "chimesdkidentity:components:MessagingApp"

Tags = pulumi.Input[dict[str, pulumi.Input[str]]]


@dataclass(frozen=True)
class UserArgs:
    """A user of a :class:`MessagingApp`; its user id is its key in ``MessagingAppArgs.users``."""

    name: pulumi.Input[str]
    """Display name (1-100 characters, not all blank)."""
    metadata: pulumi.Input[str] | None = None
    """Free-form metadata, at most 1 KB of UTF-8."""
    tags: Tags | None = None
    """The user's own tags, merged over the app's ``tags`` (the user's win)."""
    expiration_days: pulumi.Input[int] | None = None
    """Let AWS delete the user this many days (1-5475) after creation; None keeps it."""
    admin: bool = False
    """Promote the user to AppInstance administrator. A plain bool: it decides whether the admin resource exists."""
    endpoints: Mapping[str, EndpointArgs] | None = None
    """Push endpoints by stable key (used in resource names)."""


@dataclass(frozen=True)
class BotArgs:
    """An Amazon Lex bot of a :class:`MessagingApp`; its stable key is its key in ``MessagingAppArgs.bots``."""

    lex_bot_alias_arn: pulumi.Input[str]
    """ARN of the Lex V2 bot alias (``arn:aws:lex:REGION:ACCOUNT:bot-alias/BOTID/ALIASID``)."""
    locale_id: pulumi.Input[str]
    """Lex locale, e.g. ``en_US``."""
    name: pulumi.Input[str] | None = None
    """Display name (0-256 characters)."""
    metadata: pulumi.Input[str] | None = None
    """Free-form metadata, at most 1 KB of UTF-8."""
    tags: Tags | None = None
    """The bot's own tags, merged over the app's ``tags`` (the bot's win)."""
    welcome_intent: pulumi.Input[str] | None = None
    """Lex intent invoked when the bot joins a channel."""
    invoked_by: pulumi.Input[InvokedByArgs] | None = None
    """Which messages invoke the bot: ``standard_messages`` AUTO/ALL/MENTIONS/NONE, ``targeted_messages`` ALL/NONE."""
    admin: bool = False
    """Promote the bot to AppInstance administrator. A plain bool: it decides whether the admin resource exists."""


@dataclass(frozen=True)
class MessagingAppArgs:
    """Arguments of a :class:`MessagingApp`."""

    name: pulumi.Input[str]
    """Name of the AppInstance (1-256 characters)."""
    metadata: pulumi.Input[str] | None = None
    """Free-form metadata of the AppInstance, at most 1 KB of UTF-8."""
    tags: Tags | None = None
    """Tags of the AppInstance, and default tags of every user and bot (their own tags win)."""
    region: pulumi.Input[str] | None = None
    """Region of the AppInstance (us-east-1 or eu-central-1), passed to its ``region`` input; users, bots,
    admins and endpoints follow the AppInstance ARN's region. None uses ``chimesdkidentity:region``, then
    ``aws:region``, then the AWS environment. An explicit ``pulumi_aws.Provider`` in ``opts.providers`` does
    not reach these resources: they are dynamic resources, not pulumi-aws ones. Changing it replaces the app."""
    retention_days: pulumi.Input[int] | None = None
    """Keep channel messages this many days (1-5475); None leaves retention off (no retention resource)."""
    users: Mapping[str, UserArgs] = field(default_factory=dict)
    """Users by user id (the API's ``UserId``: 1-64 characters, letters, digits and ``:-_.@`` inside)."""
    bots: Mapping[str, BotArgs] = field(default_factory=dict)
    """Lex bots by stable key (used in resource names: letters, digits, ``.``, ``_``, ``-``)."""


def _merge_tags(defaults: Tags | None, own: Tags | None) -> Tags | None:
    """The app's tags with the user's or bot's own on top; a plain dict unless either map is an Output."""
    if defaults is None:
        return own
    if own is None:
        return defaults
    if isinstance(defaults, Mapping) and isinstance(own, Mapping):
        return {**defaults, **own}
    return pulumi.Output.all(pulumi.Output.from_input(defaults), pulumi.Output.from_input(own)).apply(
        lambda both: {**(both[0] or {}), **(both[1] or {})}
    )


def _check(resource_name: str, args: MessagingAppArgs) -> None:
    problems = Problems()
    problems.string("name", "NonEmptyResourceName", args.name)
    problems.string("metadata", "Metadata", args.metadata)
    problems.tags("tags", args.tags)
    problems.region("region", args.region)
    problems.integer("retention_days", "RetentionDays", args.retention_days)
    for user_id, user in args.users.items():
        prefix = f"users.{user_id}"
        problems.string(prefix, "UserId", user_id)
        if not isinstance(user, UserArgs):
            problems.add(prefix, "must be a UserArgs")
            continue
        check_user(problems, f"{prefix}.", user)
    for key, bot in args.bots.items():
        prefix = f"bots.{key}"
        problems.key(prefix, key)
        if not isinstance(bot, BotArgs):
            problems.add(prefix, "must be a BotArgs")
            continue
        problems.string(f"{prefix}.lex_bot_alias_arn", "LexBotAliasArn", bot.lex_bot_alias_arn)
        if is_known(bot.locale_id) and (not isinstance(bot.locale_id, str) or not bot.locale_id):
            problems.add(f"{prefix}.locale_id", "must be a non-empty string")
        problems.string(f"{prefix}.name", "ResourceName", bot.name)
        problems.string(f"{prefix}.metadata", "Metadata", bot.metadata)
        problems.tags(f"{prefix}.tags", bot.tags)
        problems.string(f"{prefix}.welcome_intent", "LexIntentName", bot.welcome_intent)
        problems.boolean(f"{prefix}.admin", bot.admin)
        invoked_by: Any = bot.invoked_by
        if isinstance(invoked_by, Mapping):
            for part, shape in (("standard_messages", "StandardMessages"), ("targeted_messages", "TargetedMessages")):
                if part not in invoked_by:
                    problems.add(f"{prefix}.invoked_by.{part}", "missing required key")
                problems.string(f"{prefix}.invoked_by.{part}", shape, invoked_by.get(part))
    problems.raise_if_any("MessagingApp", resource_name)


class MessagingApp(pulumi.ComponentResource):
    """A Chime SDK messaging app: AppInstance, retention, users, bots, admins and endpoints.

    Type token ``chimesdkidentity:components:MessagingApp``. Build it from :class:`MessagingAppArgs` or,
    with :meth:`from_spec`, from a YAML/JSON file (format in the module docstring).

    To rename the component without replacing anything, alias its old name; every child follows
    because every child's name starts with the component's::

        MessagingApp("chat", args, opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="team")]))

    Region: see ``MessagingAppArgs.region``; explicit pulumi-aws providers in ``opts`` do not apply.
    """

    app_instance_arn: pulumi.Output[str]
    """The AppInstance ARN."""
    user_arns: pulumi.Output[dict[str, str]]
    """User ARNs by user id."""
    bot_arns: pulumi.Output[dict[str, str]]
    """Bot ARNs by bot key."""
    admin_ids: pulumi.Output[list[str]]
    """IDs of the AppInstanceAdmin resources (``<app_instance_arn>|<admin_arn>``): admin users, then admin bots."""
    endpoint_ids: pulumi.Output[dict[str, str]]
    """Endpoint IDs AWS assigned, by ``"<user_id>/<endpoint_key>"``."""

    def __init__(self, resource_name: str, args: MessagingAppArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        """Create the app and everything in ``args``; ValueError lists every bad input by its path first."""
        _check(resource_name, args)
        super().__init__(TYPE_TOKEN, resource_name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        app = AppInstance(
            f"{resource_name}-app",
            name=args.name,
            metadata=args.metadata,
            tags=args.tags,
            region=args.region,
            opts=child,
        )
        self.app_instance_arn = app.arn
        if args.retention_days is not None:
            AppInstanceRetentionSettings(
                f"{resource_name}-retention",
                app_instance_arn=app.arn,
                channel_retention_days=args.retention_days,
                opts=child,
            )

        user_arns: dict[str, pulumi.Output[str]] = {}
        endpoint_ids: dict[str, pulumi.Output[str]] = {}
        admin_ids: list[pulumi.Output[str | None]] = []
        for user_id, user in args.users.items():
            prefix = f"{resource_name}-{user_id}"
            # Up to 0.1 a MessagingUser component per user was the parent of these: the alias keeps
            # stacks made then in place. Declared flat, the stack has half the entries, and the engine
            # rewrites its whole state after every step (docs/benchmarks.md).
            moved = pulumi.Alias(parent=pulumi.create_urn(prefix, USER_TYPE_TOKEN, parent=self))
            declared = declare_user(
                prefix,
                MessagingUserArgs(
                    app_instance_arn=app.arn,
                    user_id=user_id,
                    name=user.name,
                    metadata=user.metadata,
                    tags=_merge_tags(args.tags, user.tags),
                    expiration_days=user.expiration_days,
                    admin=user.admin,
                    endpoints=user.endpoints,
                ),
                pulumi.ResourceOptions(parent=self, aliases=[moved]),
            )
            user_arns[user_id] = declared.arn
            if user.admin:
                admin_ids.append(declared.admin_id)
            for key, endpoint_id in declared.endpoint_ids.items():
                endpoint_ids[f"{user_id}/{key}"] = endpoint_id

        bot_arns: dict[str, pulumi.Output[str]] = {}
        for key, bot in args.bots.items():
            lex: LexConfigurationArgs = {"lex_bot_alias_arn": bot.lex_bot_alias_arn, "locale_id": bot.locale_id}
            if bot.welcome_intent is not None:
                lex["welcome_intent"] = bot.welcome_intent
            if bot.invoked_by is not None:
                lex["invoked_by"] = bot.invoked_by
            resource = AppInstanceBot(
                f"{resource_name}-bot-{key}",
                app_instance_arn=app.arn,
                configuration={"lex": lex},
                name=bot.name,
                metadata=bot.metadata,
                tags=_merge_tags(args.tags, bot.tags),
                opts=child,
            )
            bot_arns[key] = resource.arn
            if bot.admin:
                admin = AppInstanceAdmin(
                    f"{resource_name}-bot-{key}-admin", app_instance_arn=app.arn, admin_arn=resource.arn, opts=child
                )
                admin_ids.append(admin.id)

        self.user_arns = string_dict(user_arns)
        self.bot_arns = string_dict(bot_arns)
        self.endpoint_ids = string_dict(endpoint_ids)
        self.admin_ids = (
            pulumi.Output.all(*admin_ids).apply(lambda ids: [str(i) for i in ids if i is not None])
            if admin_ids
            else pulumi.Output.from_input([])
        )
        self.register_outputs(
            {
                "app_instance_arn": self.app_instance_arn,
                "user_arns": self.user_arns,
                "bot_arns": self.bot_arns,
                "admin_ids": self.admin_ids,
                "endpoint_ids": self.endpoint_ids,
            }
        )

    @classmethod
    def from_spec(
        cls,
        name: str,
        path_or_dict: str | os.PathLike[str] | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> Self:
        """Build a MessagingApp named ``name`` from a YAML/JSON spec file or an equivalent dict.

        The format is in this module's docstring. Raises :class:`SpecError` listing every problem as
        ``<file>: <dotted path>: <reason>`` (``<spec>`` for a dict), including ``*_config`` keys not set.
        """
        spec, label = _spec.load(path_or_dict)
        return cls(name, args_from_spec(spec, label), opts)


def _secret_config(key: str) -> pulumi.Output[str]:
    namespace, _, bare = key.rpartition(":")
    return pulumi.Config(namespace or None).require_secret(bare)


def args_from_spec(spec: _spec.AppSpec, label: str) -> MessagingAppArgs:
    """MessagingAppArgs from a validated spec, reading ``*_config`` keys from secret stack configuration."""
    problems: list[str] = []

    def token(path: str, literal: str | None, config_key: str | None) -> pulumi.Input[str] | None:
        if config_key is None:
            return literal
        try:
            return _secret_config(config_key)
        except pulumi.ConfigMissingError as error:
            reason = f"configuration {error.key!r} is not set (pulumi config set --secret ...)"
            problems.append(_spec.problem(label, path, reason))
            return None

    users: dict[str, UserArgs] = {}
    for user_id, user in spec.users.items():
        endpoints: dict[str, EndpointArgs] = {}
        for key, endpoint in user.endpoints.items():
            path = f"users.{user_id}.endpoints.{key}"
            device_token = token(f"{path}.device_token_config", endpoint.device_token, endpoint.device_token_config)
            voip_device_token = token(
                f"{path}.voip_device_token_config", endpoint.voip_device_token, endpoint.voip_device_token_config
            )
            endpoints[key] = EndpointArgs(
                type=endpoint.type,
                resource_arn=endpoint.resource_arn,
                device_token=device_token or "",
                voip_device_token=voip_device_token,
                name=endpoint.name,
                allow_messages=endpoint.allow_messages,
            )
        users[user_id] = UserArgs(
            name=user.name,
            metadata=user.metadata,
            tags=dict(user.tags) if user.tags is not None else None,
            expiration_days=user.expiration_days,
            admin=user.admin,
            endpoints=endpoints or None,
        )
    if problems:
        raise SpecError(problems)

    bots: dict[str, BotArgs] = {}
    for key, bot in spec.bots.items():
        invoked_by: InvokedByArgs | None = None
        if bot.lex.invoked_by is not None:
            invoked_by = {
                "standard_messages": bot.lex.invoked_by.standard_messages,
                "targeted_messages": bot.lex.invoked_by.targeted_messages,
            }
        bots[key] = BotArgs(
            lex_bot_alias_arn=bot.lex.bot_alias_arn,
            locale_id=bot.lex.locale_id,
            name=bot.name,
            metadata=bot.metadata,
            tags=dict(bot.tags) if bot.tags is not None else None,
            welcome_intent=bot.lex.welcome_intent,
            invoked_by=invoked_by,
            admin=bot.admin,
        )
    return MessagingAppArgs(
        name=spec.name,
        metadata=spec.metadata,
        tags=dict(spec.tags) if spec.tags is not None else None,
        region=spec.region,
        retention_days=spec.retention_days,
        users=users,
        bots=bots,
    )

"""MessagingApp: an AppInstance with retention, users, bots, admins and endpoints, as one component.

Children, all with ``parent=self`` and named from the component's name ``<name>``:

- ``<name>-app``: the :class:`AppInstance`;
- ``<name>-retention``: its :class:`AppInstanceRetentionSettings`, when ``retention_days`` is set;
- per user, the resources a :class:`MessagingUser` would hold, but directly under the app (no component
  per user, which would double the stack's state entries): ``<name>-<user_id>-user``, ``<name>-<user_id>-admin``
  and ``<name>-<user_id>-endpoint-<key>``;
- ``<name>-bot-<key>``: an :class:`AppInstanceBot` per bot, and ``<name>-bot-<key>-admin`` when it is admin.

Users and bots are declared alike (:mod:`._declare`): the resource, then its admin when flagged.

Names come from user ids and stable keys, never from positions: reordering entries changes nothing,
and renaming a key replaces only that entry's resources. Two entries whose resources would share a name
(user ``bot-helper`` and bot ``helper``, both admins: ``<name>-bot-helper-admin``) are refused with the rest
of the input problems, naming both entries.

Spec files (:meth:`MessagingApp.from_spec`), YAML (``.yaml``/``.yml``) or JSON (``.json``)::

    name: team-chat                  # AppInstance name (required)
    metadata: '{"tier": "prod"}'     # optional
    tags: {project: chat}            # optional; defaults for every user and bot too
    region: us-east-1                # optional: us-east-1 or eu-central-1
    retention_days: 90               # optional: 1-5475
    force_destroy: false             # optional: let destroy delete users and bots the stack does not manage
    adopt_id: arn:aws:chime:...      # optional: adopt this existing AppInstance (and its retention)
    users:                           # optional; keyed by user id (the API's UserId pattern)
      alice:
        name: Alice                  # required
        adopt: true                  # optional, default false: the user exists; adopt it (needs adopt_id)
        inherit_tags: true           # optional, default true: false gives the user only its own tags
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
            adopt_id: 651bcc8c...    # optional: the EndpointId of an existing endpoint (needs adopt: true)
    bots:                            # optional; keyed by a stable bot key
      helper:
        name: Helper                 # optional
        metadata: ...                # optional
        tags: {kind: bot}            # optional; merged over the app's tags
        admin: false                 # optional, default false
        adopt_id: 56d42bcf-...       # optional: the ID of an existing bot (after /bot/ in its ARN; needs adopt_id)
        inherit_tags: true           # optional, default true
        lex:                         # required: the provider's LexConfigurationArgs
          # required; bot_alias_arn, the spelling of 0.1, works too
          lex_bot_alias_arn: arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST
          locale_id: en_US           # not empty
          welcome_intent: Welcome    # optional
          invoked_by: {standard_messages: AUTO, targeted_messages: ALL}   # optional

The file's keys are the fields of :class:`MessagingAppArgs`, :class:`UserArgs`, :class:`EndpointArgs` and
:class:`BotArgs` (whose ``lex`` is the provider's ``LexConfigurationArgs``): a spec is validated into those
same types, by the schema their annotations make, with the API's limits from botocore's model.
Adoption keys (``adopt_id``, ``adopt``) take what exists under management instead of creating it (see
:mod:`._adopt`); ``chime-identity-import`` writes such a spec from a live AppInstance.
``device_token_config: some-key`` reads ``pulumi.Config().require_secret("some-key")`` (``ns:key`` reads
another namespace), so device tokens stay in encrypted stack config, not in a committed file.
Unknown keys, repeated keys, wrong types and values the API would refuse are all reported at once in
one :class:`SpecError`, a line each: ``team.yaml: users.alice.endpoints.phone.type: must be one of
APNS, APNS_SANDBOX, GCM``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar, Self

import pulumi

from pulumi_chime_sdk_identity.dynamic_providers import AppInstance, AppInstanceRetentionSettings

from . import _adopt, _spec
from ._args import BotArgs, MessagingAppArgs, UserArgs
from ._declare import declare_bot, declare_user, merge_tags, string_dict
from ._schema import check_args
from .messaging_user import TYPE_TOKEN as USER_TYPE_TOKEN

__all__ = ["TYPE_TOKEN", "BotArgs", "MessagingApp", "MessagingAppArgs", "UserArgs"]

TYPE_TOKEN = "chimesdkidentity:components:MessagingApp"
_BOT_ADMIN_PREFIX = "bots/"
"""Prefix of an admin bot's key in ``admin_ids``: ``bots/<key>``. A user id never contains ``/``, so an
admin bot's key never collides with an admin user's."""


class MessagingApp(pulumi.ComponentResource):
    """A Chime SDK messaging app: AppInstance, retention, users, bots, admins and endpoints.

    Type token ``chimesdkidentity:components:MessagingApp``. Build it from :class:`MessagingAppArgs` or,
    with :meth:`from_spec`, from a YAML/JSON file (format in the module docstring).

    To rename the component without replacing anything, alias its old name; every child follows
    because every child's name starts with the component's::

        MessagingApp("chat", args, opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="team")]))

    Region: see ``MessagingAppArgs.region``; explicit pulumi-aws providers in ``opts`` do not apply.
    """

    type_token: ClassVar[str] = TYPE_TOKEN
    """The component's type; from other languages it is the package's, ``chime-sdk-identity:index:MessagingApp``."""
    app_instance_arn: pulumi.Output[str]
    """The AppInstance ARN."""
    user_arns: pulumi.Output[dict[str, str]]
    """User ARNs by user id."""
    bot_arns: pulumi.Output[dict[str, str]]
    """Bot ARNs by bot key."""
    admin_ids: pulumi.Output[dict[str, str]]
    """IDs of the AppInstanceAdmin resources (``<app_instance_arn>|<admin_arn>``), keyed like the other outputs:
    an admin user by its user id, an admin bot by ``bots/<key>`` (a user id never contains ``/``, so the two never
    collide). Removing one admin leaves the others' keys as they were."""
    endpoint_ids: pulumi.Output[dict[str, str]]
    """Endpoint IDs AWS assigned, by ``"<user_id>/<endpoint_key>"``."""

    def __init__(self, resource_name: str, args: MessagingAppArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        """Create the app and everything in ``args``; ValueError lists every bad input by its path first."""
        users, bots = getattr(args, "users", None), getattr(args, "bots", None)
        found = _adopt.entry_problems(resource_name, getattr(args, "adopt_id", None), users, bots)
        args = check_args(MessagingAppArgs, "MessagingApp", resource_name, args, found)
        super().__init__(self.type_token, resource_name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        app = AppInstance(
            f"{resource_name}-app",
            name=args.name,
            metadata=args.metadata,
            tags=args.tags,
            region=args.region,
            force_destroy=args.force_destroy,
            adopt_id=args.adopt_id,
            opts=child,
        )
        if args.retention_days is not None:
            AppInstanceRetentionSettings(
                f"{resource_name}-retention",
                app_instance_arn=app.arn,
                channel_retention_days=args.retention_days,
                adopt_id=args.adopt_id,  # the adopted AppInstance's retention: taken over, or set
                opts=child,
            )

        users = {
            user_id: declare_user(
                f"{resource_name}-{user_id}",
                app.arn,
                user_id,
                replace(user, tags=merge_tags(args.tags, user.tags, user.inherit_tags)),
                self._moved_user_options(f"{resource_name}-{user_id}", opts),
                args.adopt_id,
            )
            for user_id, user in args.users.items()
        }
        bots = {
            key: declare_bot(
                f"{resource_name}-bot-{key}",
                app.arn,
                replace(bot, tags=merge_tags(args.tags, bot.tags, bot.inherit_tags)),
                child,
                args.adopt_id,
            )
            for key, bot in args.bots.items()
        }

        self.app_instance_arn = app.arn
        self.user_arns = string_dict({user_id: user.arn for user_id, user in users.items()})
        self.bot_arns = string_dict({key: bot.arn for key, bot in bots.items()})
        admins = {**users, **{f"{_BOT_ADMIN_PREFIX}{key}": bot for key, bot in bots.items()}}
        self.admin_ids = string_dict({key: item.admin_id for key, item in admins.items() if item.admin_id is not None})
        self.endpoint_ids = string_dict(
            {
                f"{user_id}/{key}": endpoint_id
                for user_id, user in users.items()
                for key, endpoint_id in user.endpoint_ids.items()
            }
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

    def _moved_user_options(self, prefix: str, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
        # Up to 0.1 a MessagingUser component per user was the parent of these: the alias keeps stacks
        # made then in place. Declared flat, the stack has half the entries, and the engine rewrites its
        # whole state after every step (docs/benchmarks.md).
        old_parent: pulumi.Input[str]
        if opts is None or opts.parent is None:
            # A child of the stack: its URN, and so the old parent's, is known now. A plain string costs the
            # SDK no Output to resolve per user (an Output here made a no-op preview of 1,000 users 0.5 s slower).
            old_parent = (
                f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::"
                f"{self.type_token}${USER_TYPE_TOKEN}::{prefix}"
            )
        else:
            old_parent = pulumi.create_urn(prefix, USER_TYPE_TOKEN, parent=self)
        return pulumi.ResourceOptions(parent=self, aliases=[pulumi.Alias(parent=old_parent)])

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
        return cls(name, _spec.load(path_or_dict, name), opts)

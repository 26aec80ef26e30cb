"""Least-privilege IAM for the roles that preview and deploy this library's resources.

``CHIME_ACTIONS`` is every ``chime:`` action the dynamic providers call (one per API operation):
what ``pulumi up``, ``refresh`` and ``destroy`` need. ``PREVIEWER_ACTIONS`` is the part of it that
``pulumi preview``, ``pulumi preview --refresh`` and ``pulumi refresh --preview-only`` call: reads
only. Tests keep both in step with the providers: one parses their source, and an end-to-end test
derives both lists from the emulator's request log of those commands through the real CLI.
``deployer_policy_document`` / ``previewer_policy_document`` turn them into IAM policy documents,
and ``DeployerPolicy`` / ``PreviewerPolicy`` create those as an ``aws.iam.Policy``.

Which actions take which resources comes from the Service Authorization Reference, "Actions,
resources, and condition keys for Amazon Chime" (service prefix ``chime``), Resource types column:

- no resource type, so ``"*"`` only: CreateAppInstance, CreateAppInstanceUser, CreateAppInstanceBot;
- ``app-instance*``: Describe/Update/DeleteAppInstance, Get/PutAppInstanceRetentionSettings, and
  ListAppInstances (which lists the whole account, so it gets the account's AppInstance pattern);
- ``app-instance-user*`` or ``app-instance-bot*`` (ARNs under ``<app instance arn>/user/`` and
  ``/bot/``): the user, bot, endpoint and expiration actions and ListAppInstanceUsers/Bots;
- ``app-instance*`` plus ``app-instance-user*``/``app-instance-bot*``: the AppInstanceAdmin actions;
- optional ``app-instance``/``app-instance-user``/``app-instance-bot``: TagResource, UntagResource,
  ListTagsForResource.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import pulumi
import pulumi_aws as aws

# Actions the reference lists without any resource type: they can only be granted on "*".
# (They create the resource, so no ARN exists to authorize against yet.)
UNSCOPED_ACTIONS: tuple[str, ...] = (
    "chime:CreateAppInstance",
    "chime:CreateAppInstanceBot",
    "chime:CreateAppInstanceUser",
)

# Lists every AppInstance of the account; the reference gives it the app-instance resource type,
# but no single AppInstance ARN names the request, so it is granted on the account's pattern.
ACCOUNT_LIST_ACTIONS: tuple[str, ...] = ("chime:ListAppInstances",)

# Actions on the AppInstance itself (resource type app-instance*): its ARN.
APP_INSTANCE_ACTIONS: tuple[str, ...] = (
    "chime:DeleteAppInstance",
    "chime:DescribeAppInstance",
    "chime:GetAppInstanceRetentionSettings",
    "chime:PutAppInstanceRetentionSettings",
    "chime:UpdateAppInstance",
)

# Actions on the AppInstance's users and bots (app-instance-user*, app-instance-bot*): `<arn>/*`.
MEMBER_ACTIONS: tuple[str, ...] = (
    "chime:DeleteAppInstanceBot",
    "chime:DeleteAppInstanceUser",
    "chime:DeregisterAppInstanceUserEndpoint",
    "chime:DescribeAppInstanceBot",
    "chime:DescribeAppInstanceUser",
    "chime:DescribeAppInstanceUserEndpoint",
    "chime:ListAppInstanceBots",
    "chime:ListAppInstanceUserEndpoints",
    "chime:ListAppInstanceUsers",
    "chime:PutAppInstanceUserExpirationSettings",
    "chime:RegisterAppInstanceUserEndpoint",
    "chime:UpdateAppInstanceBot",
    "chime:UpdateAppInstanceUser",
    "chime:UpdateAppInstanceUserEndpoint",
)

# Actions that name the AppInstance and a user or bot (admins), or any of the three (tags):
# both the ARN and `<arn>/*`.
INSTANCE_AND_MEMBER_ACTIONS: tuple[str, ...] = (
    "chime:CreateAppInstanceAdmin",
    "chime:DeleteAppInstanceAdmin",
    "chime:DescribeAppInstanceAdmin",
    "chime:ListAppInstanceAdmins",
    "chime:ListTagsForResource",
    "chime:TagResource",
    "chime:UntagResource",
)

CHIME_ACTIONS: tuple[str, ...] = tuple(
    sorted(
        UNSCOPED_ACTIONS + ACCOUNT_LIST_ACTIONS + APP_INSTANCE_ACTIONS + MEMBER_ACTIONS + INSTANCE_AND_MEMBER_ACTIONS
    )
)
"""Every IAM action the dynamic providers need, sorted: one ``chime:<Operation>`` per API call they make."""

PREVIEWER_ACTIONS: tuple[str, ...] = (
    "chime:DescribeAppInstance",
    "chime:DescribeAppInstanceAdmin",
    "chime:DescribeAppInstanceBot",
    "chime:DescribeAppInstanceUser",
    "chime:DescribeAppInstanceUserEndpoint",
    "chime:GetAppInstanceRetentionSettings",
    "chime:ListAppInstanceAdmins",
    "chime:ListAppInstanceBots",
    "chime:ListAppInstanceUserEndpoints",
    "chime:ListAppInstanceUsers",
    "chime:ListAppInstances",
    "chime:ListTagsForResource",
)
"""The actions previews call, sorted; no write among them. Check reads the one ID a new user or admin in an
existing AppInstance would take, and what an ``adopt_id`` names; ``--refresh`` and ``refresh --preview-only``
read every resource, and a List* (down to ListAppInstances) tells a resource AWS answers Forbidden for from one
that is gone."""


def _statement(sid: str, actions: Sequence[str], resources: Sequence[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": list(resources)}


def _document(app_instance_arns: Sequence[str], region: str, account_id: str, actions: Sequence[str], verb: str) -> str:
    """The policy of ``actions`` (a part of CHIME_ACTIONS), each on the resources its kind takes; ``verb`` names
    the statements (Manage for the deployer, Read for the previewer)."""
    account_pattern = f"arn:aws:chime:{region}:{account_id}:app-instance/*"
    # Without given AppInstances the one account pattern covers instances, users and bots alike
    # ("*" in an IAM resource also matches "/").
    instances = list(dict.fromkeys(app_instance_arns)) or [account_pattern]
    members = [arn if arn == account_pattern else f"{arn}/*" for arn in instances]
    groups = [
        # Creating an AppInstance, user or bot: no resource-level permissions exist for these.
        ("CreateWithoutResourceLevelPermissions", UNSCOPED_ACTIONS, ["*"]),
        # Listing the account's AppInstances (adoption checks, telling "gone" from "forbidden").
        ("ListAccountAppInstances", ACCOUNT_LIST_ACTIONS, [account_pattern]),
        # Read, update, delete and retention settings of the AppInstances themselves.
        (f"{verb}AppInstances", APP_INSTANCE_ACTIONS, instances),
        # Users, bots, user endpoints and expiration settings inside those AppInstances.
        (f"{verb}UsersAndBots", MEMBER_ACTIONS, list(dict.fromkeys(members))),
        # Admins (AppInstance plus user or bot) and tags (on any of the three).
        (f"{verb}AdminsAndTags", INSTANCE_AND_MEMBER_ACTIONS, list(dict.fromkeys(instances + members))),
    ]
    wanted = set(actions)
    statements = [
        _statement(sid, [action for action in group if action in wanted], resources)
        for sid, group, resources in groups
        if wanted.intersection(group)
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


def _policy_document(
    app_instance_arns: Sequence[pulumi.Input[str]] | None,
    region: pulumi.Input[str],
    account_id: pulumi.Input[str],
    actions: Sequence[str],
    verb: str,
) -> pulumi.Output[str]:
    # Built with json.dumps rather than aws.iam.get_policy_document_output: that is an invoke of
    # the AWS provider, so `pulumi preview` would need the provider plugin (and, for a real run,
    # credentials) just to render a string, and unit tests would need Mocks.call to fake it. A
    # plain Output of JSON works offline, under mocks, and keeps statement order stable.
    arns: Sequence[pulumi.Input[str]] = app_instance_arns or []
    return pulumi.Output.all(
        pulumi.Output.from_input(region),
        pulumi.Output.from_input(account_id),
        *[pulumi.Output.from_input(arn) for arn in arns],
    ).apply(lambda values: _document([str(arn) for arn in values[2:]], str(values[0]), str(values[1]), actions, verb))


def deployer_policy_document(
    app_instance_arns: Sequence[pulumi.Input[str]] | None = None,
    *,
    region: pulumi.Input[str] = "*",
    account_id: pulumi.Input[str] = "*",
) -> pulumi.Output[str]:
    """The IAM policy document (JSON) that lets a role deploy this library's resources, and no more.

    Scoped actions are limited to ``app_instance_arns`` (each ARN and ``<arn>/*`` for its users and
    bots), or, if none are given, to ``arn:aws:chime:<region>:<account_id>:app-instance/*``; the
    create actions, which AWS cannot scope, get ``"*"``.
    """
    return _policy_document(app_instance_arns, region, account_id, CHIME_ACTIONS, "Manage")


def previewer_policy_document(
    app_instance_arns: Sequence[pulumi.Input[str]] | None = None,
    *,
    region: pulumi.Input[str] = "*",
    account_id: pulumi.Input[str] = "*",
) -> pulumi.Output[str]:
    """The IAM policy document (JSON) for a role that previews and refresh-previews this library's resources:
    :data:`PREVIEWER_ACTIONS` only, no write, scoped as :func:`deployer_policy_document` scopes them."""
    return _policy_document(app_instance_arns, region, account_id, PREVIEWER_ACTIONS, "Read")


@dataclass
class PolicyArgs:
    """What a policy covers: specific AppInstances, or every AppInstance in region/account."""

    app_instance_arns: Sequence[pulumi.Input[str]] | None = None
    region: pulumi.Input[str] = "*"
    account_id: pulumi.Input[str] = "*"
    name: pulumi.Input[str] | None = None
    """The IAM policy's name; Pulumi auto-names it from the component name when unset."""
    description: pulumi.Input[str] | None = None


@dataclass
class DeployerPolicyArgs(PolicyArgs):
    """What the deployer policy covers: specific AppInstances, or every AppInstance in region/account."""


@dataclass
class PreviewerPolicyArgs(PolicyArgs):
    """What the previewer policy covers: specific AppInstances, or every AppInstance in region/account."""


class _ChimePolicy(pulumi.ComponentResource):
    """An ``aws.iam.Policy`` holding one of the documents above, as a component."""

    policy_arn: pulumi.Output[str]
    document: pulumi.Output[str]
    _type_token: ClassVar[str]
    _description: ClassVar[str]

    def _make_document(self, args: PolicyArgs) -> pulumi.Output[str]:
        raise NotImplementedError

    def __init__(
        self,
        resource_name: str,
        args: PolicyArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(self._type_token, resource_name, None, opts)
        args = args or PolicyArgs()
        self.document = self._make_document(args)
        policy = aws.iam.Policy(
            f"{resource_name}-policy",
            policy=self.document,
            name=args.name,
            description=args.description if args.description is not None else self._description,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.policy_arn = policy.arn
        self.register_outputs({"policy_arn": self.policy_arn, "document": self.document})


class DeployerPolicy(_ChimePolicy):
    """An ``aws.iam.Policy`` holding :func:`deployer_policy_document`, to attach to the deploying role."""

    _type_token = "chimesdkidentity:components:DeployerPolicy"
    _description = "Deploys Amazon Chime SDK Identity resources (pulumi-chime-sdk-identity)"

    def _make_document(self, args: PolicyArgs) -> pulumi.Output[str]:
        return deployer_policy_document(args.app_instance_arns, region=args.region, account_id=args.account_id)


class PreviewerPolicy(_ChimePolicy):
    """An ``aws.iam.Policy`` holding :func:`previewer_policy_document`, to attach to the role of preview jobs."""

    _type_token = "chimesdkidentity:components:PreviewerPolicy"
    _description = "Previews Amazon Chime SDK Identity resources, read-only (pulumi-chime-sdk-identity)"

    def _make_document(self, args: PolicyArgs) -> pulumi.Output[str]:
        return previewer_policy_document(args.app_instance_arns, region=args.region, account_id=args.account_id)

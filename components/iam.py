"""Least-privilege IAM for the role that deploys this library's resources.

``CHIME_ACTIONS`` is every ``chime:`` action the dynamic providers call (one per API operation;
a test keeps it in step with the providers' source). ``deployer_policy_document`` turns it into
an IAM policy document, and ``DeployerPolicy`` creates that document as an ``aws.iam.Policy``.

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
from typing import Any

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


def _statement(sid: str, actions: Sequence[str], resources: Sequence[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": list(resources)}


def _document(app_instance_arns: Sequence[str], region: str, account_id: str) -> str:
    account_pattern = f"arn:aws:chime:{region}:{account_id}:app-instance/*"
    # Without given AppInstances the one account pattern covers instances, users and bots alike
    # ("*" in an IAM resource also matches "/").
    instances = list(dict.fromkeys(app_instance_arns)) or [account_pattern]
    members = [arn if arn == account_pattern else f"{arn}/*" for arn in instances]
    statements = [
        # Creating an AppInstance, user or bot: no resource-level permissions exist for these.
        _statement("CreateWithoutResourceLevelPermissions", UNSCOPED_ACTIONS, ["*"]),
        # Listing the account's AppInstances (adoption checks, telling "gone" from "forbidden").
        _statement("ListAccountAppInstances", ACCOUNT_LIST_ACTIONS, [account_pattern]),
        # Read, update, delete and retention settings of the AppInstances themselves.
        _statement("ManageAppInstances", APP_INSTANCE_ACTIONS, instances),
        # Users, bots, user endpoints and expiration settings inside those AppInstances.
        _statement("ManageUsersAndBots", MEMBER_ACTIONS, list(dict.fromkeys(members))),
        # Admins (AppInstance plus user or bot) and tags (on any of the three).
        _statement("ManageAdminsAndTags", INSTANCE_AND_MEMBER_ACTIONS, list(dict.fromkeys(instances + members))),
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


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
    # Built with json.dumps rather than aws.iam.get_policy_document_output: that is an invoke of
    # the AWS provider, so `pulumi preview` would need the provider plugin (and, for a real run,
    # credentials) just to render a string, and unit tests would need Mocks.call to fake it. A
    # plain Output of JSON works offline, under mocks, and keeps statement order stable.
    arns: Sequence[pulumi.Input[str]] = app_instance_arns or []
    return pulumi.Output.all(
        pulumi.Output.from_input(region),
        pulumi.Output.from_input(account_id),
        *[pulumi.Output.from_input(arn) for arn in arns],
    ).apply(lambda values: _document([str(arn) for arn in values[2:]], str(values[0]), str(values[1])))


@dataclass
class DeployerPolicyArgs:
    """What the deployer policy covers: specific AppInstances, or every AppInstance in region/account."""

    app_instance_arns: Sequence[pulumi.Input[str]] | None = None
    region: pulumi.Input[str] = "*"
    account_id: pulumi.Input[str] = "*"
    name: pulumi.Input[str] | None = None
    """The IAM policy's name; Pulumi auto-names it from the component name when unset."""
    description: pulumi.Input[str] | None = None


class DeployerPolicy(pulumi.ComponentResource):
    """An ``aws.iam.Policy`` holding :func:`deployer_policy_document`, to attach to the deploying role."""

    policy_arn: pulumi.Output[str]
    document: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: DeployerPolicyArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("chimesdkidentity:components:DeployerPolicy", resource_name, None, opts)
        args = args or DeployerPolicyArgs()
        self.document = deployer_policy_document(args.app_instance_arns, region=args.region, account_id=args.account_id)
        policy = aws.iam.Policy(
            f"{resource_name}-policy",
            policy=self.document,
            name=args.name,
            description=args.description
            if args.description is not None
            else "Deploys Amazon Chime SDK Identity resources (pulumi-chime-sdk-identity)",
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.policy_arn = policy.arn
        self.register_outputs({"policy_arn": self.policy_arn, "document": self.document})

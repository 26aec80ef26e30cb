"""The scale benchmark's workload: one MessagingApp with ``scale:users`` users (bench/scale sets it).

Every user has tags of its own (merged over the app's); the first ``scale:admins`` users are admins
and the first ``scale:endpoints`` users have one GCM push endpoint each; the app has retention. The
defaults, names and tags are in workload.py beside this file. ``scale:shape`` picks how they are declared:

- ``app`` (default): ``MessagingApp``, which declares every user's resources directly under it;
- ``per-user``: what ``MessagingApp`` did up to 0.1 (tests/e2e/test_messaging_app_upgrade.py upgrades from it):
  a component of the same type holding a ``MessagingUser`` component per user, with the same resource names;
- ``bare``: the same dynamic resources with no component at all (the lower bound of what components cost),
  declared by the function MessagingApp uses, ``components._declare.declare_user``;
- ``null``: as many resources under one component, but of a provider that makes no call and with the smallest
  state entries the engine keeps (null_provider.py beside this file): what the SDK and the engine alone cost.
"""

import pulumi
import workload

from pulumi_chime_sdk_identity.components import (
    EndpointArgs,
    MessagingApp,
    MessagingAppArgs,
    MessagingUser,
    MessagingUserArgs,
    UserArgs,
)
from pulumi_chime_sdk_identity.components._declare import declare_user
from pulumi_chime_sdk_identity.components.messaging_app import TYPE_TOKEN
from pulumi_chime_sdk_identity.dynamic_providers import AppInstance, AppInstanceRetentionSettings

config = pulumi.Config("scale")
users = config.require_int("users")
admins = config.get_int("admins") or workload.ADMINS
endpoints = config.get_int("endpoints") or workload.ENDPOINTS
shape = config.get("shape") or "app"
app_tags = workload.app_tags(users)


def endpoint(i: int) -> EndpointArgs:
    return EndpointArgs(type="GCM", resource_arn=workload.PINPOINT_APP, device_token=workload.device_token(i))


if shape == "null":
    import null_provider

    null_provider.declare(users, workload.EXTRA_RESOURCES, pulumi.ComponentResource(TYPE_TOKEN, "scale"))
elif shape in ("bare", "per-user"):
    # The same resources and names as MessagingApp declares. per-user: under a component of its type,
    # a MessagingUser per user, as up to 0.1; bare: declare_user with no parent, no component at all.
    component = pulumi.ComponentResource(TYPE_TOKEN, "scale") if shape == "per-user" else None
    child = pulumi.ResourceOptions(parent=component)
    app = AppInstance("scale-app", name=f"scale-{users}", tags=app_tags, opts=child)
    AppInstanceRetentionSettings(
        "scale-retention", app_instance_arn=app.arn, channel_retention_days=workload.RETENTION_DAYS, opts=child
    )
    user_arns = {}
    for i in range(users):
        user_id = workload.user_id(i)
        args = MessagingUserArgs(
            app_instance_arn=app.arn,
            user_id=user_id,
            name=workload.user_name(i),
            tags={**app_tags, **workload.user_tags(i)},
            admin=i < admins,
            endpoints={"phone": endpoint(i)} if i < endpoints else None,
        )
        if component is None:
            declare_user(f"scale-{user_id}", app.arn, user_id, args, child)
        else:
            user_arns[user_id] = MessagingUser(f"scale-{user_id}", args, opts=child).arn
    if component is not None:
        # As MessagingApp registered them (admin and endpoint IDs left out: a few entries, not one per user).
        component.register_outputs({"app_instance_arn": app.arn, "user_arns": user_arns})
    pulumi.export("app_instance_arn", app.arn)
else:
    messaging_app = MessagingApp(
        "scale",
        MessagingAppArgs(
            name=f"scale-{users}",
            tags=app_tags,
            retention_days=workload.RETENTION_DAYS,
            users={
                workload.user_id(i): UserArgs(
                    name=workload.user_name(i),
                    tags=workload.user_tags(i),
                    admin=i < admins,
                    endpoints={"phone": endpoint(i)} if i < endpoints else None,
                )
                for i in range(users)
            },
        ),
    )
    pulumi.export("app_instance_arn", messaging_app.app_instance_arn)

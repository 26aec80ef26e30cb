"""Soak workload: one MessagingApp with N tagged users, 5 of them admins, 20 endpoints, and retention.

Stack config: `soak:users` (N, default 300), `soak:admins` (default 5), `soak:endpoints` (default 20).
Endpoints go one per user to the first users; admins are the first users. Every device token is distinct.
"""

import pulumi

from pulumi_chime_sdk_identity.components import EndpointArgs, MessagingApp, MessagingAppArgs, UserArgs

PINPOINT_APP = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef"

config = pulumi.Config("soak")
users = config.get_int("users") or 300
admins = config.get_int("admins") if config.get_int("admins") is not None else 5
endpoints = config.get_int("endpoints") if config.get_int("endpoints") is not None else 20


def user(index: int) -> UserArgs:
    return UserArgs(
        name=f"User {index}",
        tags={"team": f"t{index % 7}", "index": str(index)},
        admin=index < admins,
        endpoints={"phone": EndpointArgs(type="GCM", resource_arn=PINPOINT_APP, device_token=f"device-{index:05d}")}
        if index < endpoints
        else None,
    )


app = MessagingApp(
    "soak",
    MessagingAppArgs(
        name="soak-chat",
        tags={"project": "soak", "managed-by": "pulumi"},
        retention_days=30,
        users={f"u{index:05d}": user(index) for index in range(users)},
    ),
)

pulumi.export("app_instance_arn", app.app_instance_arn)
pulumi.export("counts", {"users": users, "admins": min(admins, users), "endpoints": min(endpoints, users)})

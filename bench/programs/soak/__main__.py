"""Soak workload: one MessagingApp with N tagged users, 5 of them admins, 20 endpoints, and retention.

Stack config: `soak:users` (N), `soak:admins`, `soak:endpoints`; the defaults, names and tags are in
workload.py beside this file. Endpoints go one per user to the first users; admins are the first users.
"""

import pulumi
import workload

from pulumi_chime_sdk_identity.components import EndpointArgs, MessagingApp, MessagingAppArgs, UserArgs

config = pulumi.Config("soak")
users = config.get_int("users") or workload.USERS
admins = config.get_int("admins") if config.get_int("admins") is not None else workload.ADMINS
endpoints = config.get_int("endpoints") if config.get_int("endpoints") is not None else workload.ENDPOINTS


def user(index: int) -> UserArgs:
    phone = EndpointArgs(type="GCM", resource_arn=workload.PINPOINT_APP, device_token=workload.device_token(index))
    return UserArgs(
        name=f"User {index}",
        tags=workload.user_tags(index),
        admin=index < admins,
        endpoints={"phone": phone} if index < endpoints else None,
    )


app = MessagingApp(
    "soak",
    MessagingAppArgs(
        name=workload.APP_NAME,
        tags=workload.APP_TAGS,
        retention_days=workload.RETENTION_DAYS,
        users={workload.user_id(index): user(index) for index in range(users)},
    ),
)

pulumi.export("app_instance_arn", app.app_instance_arn)
pulumi.export("counts", {"users": users, "admins": min(admins, users), "endpoints": min(endpoints, users)})

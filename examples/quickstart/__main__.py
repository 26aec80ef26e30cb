"""Quickstart: an AppInstance with message retention, two users, one of them admin, all tagged."""

import pulumi

from pulumi_chime_sdk_identity.dynamic_providers import (
    AppInstance,
    AppInstanceAdmin,
    AppInstanceRetentionSettings,
    AppInstanceUser,
)

tags = {"project": "quickstart", "managed-by": "pulumi"}

app = AppInstance("chat", name="quickstart-chat", metadata='{"tier": "demo"}', tags=tags)
AppInstanceRetentionSettings("chat-retention", app_instance_arn=app.arn, channel_retention_days=30)
alice = AppInstanceUser("alice", app_instance_arn=app.arn, app_instance_user_id="alice", name="Alice", tags=tags)
bob = AppInstanceUser("bob", app_instance_arn=app.arn, app_instance_user_id="bob", name="Bob", tags=tags)
AppInstanceAdmin("alice-admin", app_instance_arn=app.arn, admin_arn=alice.arn)

pulumi.export("app_instance_arn", app.arn)
pulumi.export("user_arns", {"alice": alice.arn, "bob": bob.arn})

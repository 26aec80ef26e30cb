"""Adopt existing resources: an AppInstance and a user made outside Pulumi, now managed by this program.

Create them any way you like (the AWS CLI, the console, another tool), put their ARNs in stack
config, and `pulumi up`: with `adopt_id` the providers read the existing resources and update
them to match the arguments below (name, metadata, tags) instead of creating new ones. From then
on they are ordinary stack resources: `pulumi destroy` deletes them. See README.md here.
"""

import pulumi

from pulumi_chime_sdk_identity.dynamic_providers import AppInstance, AppInstanceUser

config = pulumi.Config()
app_instance_arn = config.require("appInstanceArn")  # arn:aws:chime:<region>:<account>:app-instance/<id>
user_arn = config.require("appInstanceUserArn")  # <app instance arn>/user/<user id>

parent_arn, separator, user_id = user_arn.partition("/user/")
if not separator or parent_arn != app_instance_arn:
    raise ValueError(f"appInstanceUserArn {user_arn} is not a user of appInstanceArn {app_instance_arn}")

tags = {"project": "adopt-existing", "managed-by": "pulumi"}

# The desired state; on the first `pulumi up` the existing resources are updated to it.
app = AppInstance("chat", name="adopted-chat", metadata='{"tier": "demo"}', tags=tags, adopt_id=app_instance_arn)
alice = AppInstanceUser(
    "alice",
    app_instance_arn=app.arn,  # from the adopted AppInstance, so the user is adopted after it and deleted before it
    app_instance_user_id=user_id,
    name="Alice",
    tags=tags,
    adopt_id=user_arn,
)

pulumi.export("app_instance_arn", app.arn)
pulumi.export("user_arn", alice.arn)

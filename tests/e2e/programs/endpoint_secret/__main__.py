"""An endpoint whose device token is a plain string in code: state must still hold it only encrypted."""

import pulumi

from pulumi_chime_sdk_identity.dynamic_providers import AppInstance, AppInstanceUser, AppInstanceUserEndpoint

TOKEN = "device-token-4f9c1e"  # deliberately not a pulumi secret

app = AppInstance("app", name="app")
user = AppInstanceUser("alice", app_instance_arn=app.arn, app_instance_user_id="alice", name="Alice")
endpoint = AppInstanceUserEndpoint(
    "phone",
    app_instance_user_arn=user.arn,
    type="GCM",
    resource_arn="arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef",
    endpoint_attributes={"device_token": TOKEN},
    name="phone",
)
pulumi.export("endpoint_id", endpoint.endpoint_id)
pulumi.export("endpoint_attributes", endpoint.endpoint_attributes)

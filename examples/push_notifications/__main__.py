"""Push notifications: an Amazon Pinpoint app with FCM (GCM) and APNs channels, and a MessagingApp whose
users' endpoints send through it.

It needs pulumi-aws, the package's optional ``aws`` extra (``make install`` has it)::

    pip install '/path/to/pulumi-chime-sdk-identity[aws]'

This targets real AWS (Pinpoint has no local emulator here). Set the secrets first::

    pulumi config set aws:region us-east-1
    pulumi config set --secret fcmServerKey <FCM server key>
    pulumi config set --secret apnsCertificate "$(cat apns-cert.pem)"
    pulumi config set --secret apnsPrivateKey "$(cat apns-key.pem)"
    pulumi config set --secret aliceAndroidToken <FCM registration token of Alice's phone>
    pulumi config set --secret aliceIphoneToken <APNs device token of Alice's iPhone>
    pulumi config set --secret bobIphoneToken <APNs device token of Bob's iPhone>

The Chime resources are dynamic resources: they take their region from ``region`` below (or
``chimesdkidentity:region`` / ``aws:region``), never from an explicit pulumi-aws provider.
"""

import pulumi
import pulumi_aws as aws

from pulumi_chime_sdk_identity.components import EndpointArgs, MessagingApp, MessagingAppArgs, UserArgs

REGION = "us-east-1"
config = pulumi.Config()

pinpoint = aws.pinpoint.App("push", name="chat-push", region=REGION)
fcm = aws.pinpoint.GcmChannel(
    "push-fcm",
    application_id=pinpoint.application_id,
    api_key=config.require_secret("fcmServerKey"),
    region=REGION,
)
apns = aws.pinpoint.ApnsChannel(
    "push-apns",
    application_id=pinpoint.application_id,
    default_authentication_method="CERTIFICATE",
    certificate=config.require_secret("apnsCertificate"),
    private_key=config.require_secret("apnsPrivateKey"),
    region=REGION,
)

# The app's ARN, available once both channels are set up: endpoints registered before a channel
# exists would have nothing to deliver through.
pinpoint_arn = pulumi.Output.all(pinpoint.arn, fcm.id, apns.id).apply(lambda values: str(values[0]))

alice_android_token = config.require_secret("aliceAndroidToken")
alice_iphone_token = config.require_secret("aliceIphoneToken")
bob_iphone_token = config.require_secret("bobIphoneToken")

chat = MessagingApp(
    "chat",
    MessagingAppArgs(
        name="chat",
        region=REGION,
        tags={"project": "push-notifications", "managed-by": "pulumi"},
        users={
            "alice": UserArgs(
                name="Alice",
                admin=True,
                endpoints={
                    "android": EndpointArgs(
                        type="GCM", resource_arn=pinpoint_arn, device_token=alice_android_token, name="Pixel"
                    ),
                    "iphone": EndpointArgs(
                        type="APNS", resource_arn=pinpoint_arn, device_token=alice_iphone_token, name="iPhone"
                    ),
                },
            ),
            "bob": UserArgs(
                name="Bob",
                endpoints={
                    "iphone": EndpointArgs(type="APNS", resource_arn=pinpoint_arn, device_token=bob_iphone_token),
                },
            ),
        },
    ),
)

pulumi.export("pinpoint_application_id", pinpoint.application_id)
pulumi.export("app_instance_arn", chat.app_instance_arn)
pulumi.export("user_arns", chat.user_arns)
pulumi.export("endpoint_ids", chat.endpoint_ids)

"""An existing app under management: the MessagingApp of the spec `chime-identity-import` wrote (chat.yaml).

The spec adopts the AppInstance, its retention, its bot and the users it lists, with their live values,
so the first `pulumi up` reads them and changes nothing. From then on, edit chat.yaml like any spec. See
README.md here for the steps, from an app built with the AWS CLI to a quiet `pulumi refresh`.
"""

from pathlib import Path

import pulumi

from pulumi_chime_sdk_identity.components import MessagingApp

chat = MessagingApp.from_spec("chat", Path(__file__).parent / "chat.yaml")

pulumi.export("app_instance_arn", chat.app_instance_arn)
pulumi.export("user_arns", chat.user_arns)
pulumi.export("bot_arns", chat.bot_arns)
pulumi.export("admin_ids", chat.admin_ids)
pulumi.export("endpoint_ids", chat.endpoint_ids)

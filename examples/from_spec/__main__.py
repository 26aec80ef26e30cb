"""A MessagingApp built from team.yaml: the whole app, its users and its bot, declared in one file."""

from pathlib import Path

import pulumi

from pulumi_chime_sdk_identity.components import MessagingApp

team = MessagingApp.from_spec("team", Path(__file__).parent / "team.yaml")

pulumi.export("app_instance_arn", team.app_instance_arn)
pulumi.export("user_arns", team.user_arns)
pulumi.export("bot_arns", team.bot_arns)
pulumi.export("admin_ids", team.admin_ids)
pulumi.export("endpoint_ids", team.endpoint_ids)

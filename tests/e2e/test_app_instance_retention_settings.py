"""AppInstanceRetentionSettings through the real engine."""

from __future__ import annotations

from typing import Any

from tests.e2e.acceptance import Case, acceptance_tests

APP = {"type": "AppInstance", "name": "app", "args": {"name": "app"}}
OTHER_APP = {"type": "AppInstance", "name": "other", "args": {"name": "other"}}


def count(chime: Any) -> int:
    enabled = 0
    for app in chime.list_app_instances()["AppInstances"]:
        settings = chime.get_app_instance_retention_settings(AppInstanceArn=app["AppInstanceArn"])
        enabled += "RetentionDays" in settings["AppInstanceRetentionSettings"].get("ChannelRetentionSettings", {})
    return enabled


def put(chime: Any, arn: str, settings: dict[str, Any]) -> None:
    chime.put_app_instance_retention_settings(AppInstanceArn=arn, AppInstanceRetentionSettings=settings)


CASE = Case(
    type="AppInstanceRetentionSettings",
    parents=[APP],
    args={"app_instance_arn": "${app.arn}", "channel_retention_days": 30},
    count=count,
    update={"channel_retention_days": 60},
    replace={"app_instance_arn": "${other.arn}"},
    extra_resources=[OTHER_APP],
    drift=lambda chime, arn: put(chime, arn, {"ChannelRetentionSettings": {"RetentionDays": 90}}),
    vanish=lambda chime, arn: put(chime, arn, {"ChannelRetentionSettings": {}}),
    calls={
        "create": ["PutAppInstanceRetentionSettings"],
        "refresh": ["GetAppInstanceRetentionSettings"],
        "update": ["PutAppInstanceRetentionSettings"],
        "replace": ["CreateAppInstance", "PutAppInstanceRetentionSettings", "PutAppInstanceRetentionSettings"],
        "delete": ["PutAppInstanceRetentionSettings"],
    },
)


test_lifecycle, test_out_of_band_change_and_deletion, test_get_and_adopt = acceptance_tests(CASE)

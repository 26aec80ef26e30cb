"""AppInstanceUser through the real engine."""

from __future__ import annotations

from typing import Any

from tests.e2e.acceptance import Case, acceptance_tests

APP = {"type": "AppInstance", "name": "app", "args": {"name": "app"}}


def count(chime: Any) -> int:
    return sum(
        len(chime.list_app_instance_users(AppInstanceArn=app["AppInstanceArn"])["AppInstanceUsers"])
        for app in chime.list_app_instances()["AppInstances"]
    )


CASE = Case(
    type="AppInstanceUser",
    parents=[APP],
    args={
        "app_instance_arn": "${app.arn}",
        "app_instance_user_id": "alice",
        "name": "Alice",
        "tags": {"team": "chat"},
        "expiration_settings": {"expiration_days": 30},
    },
    count=count,
    update={"name": "Alice B", "expiration_settings": {"expiration_days": 60}},
    replace={"app_instance_user_id": "alice2"},
    drift=lambda chime, arn: chime.update_app_instance_user(AppInstanceUserArn=arn, Name="by hand", Metadata=""),
    vanish=lambda chime, arn: chime.delete_app_instance_user(AppInstanceUserArn=arn),
    calls={
        # check reads the one ID a new user takes in an AppInstance that already exists
        "create": ["DescribeAppInstanceUser", "CreateAppInstanceUser"],
        "refresh": ["DescribeAppInstanceUser", "ListTagsForResource"],
        "update": ["UpdateAppInstanceUser", "PutAppInstanceUserExpirationSettings"],
        "replace": ["DescribeAppInstanceUser", "DeleteAppInstanceUser", "CreateAppInstanceUser"],
        "delete": ["DeleteAppInstanceUser"],
    },
    tags=True,
)


test_lifecycle, test_out_of_band_change_and_deletion, test_get_and_adopt = acceptance_tests(CASE)

"""AppInstanceAdmin through the real engine."""

from __future__ import annotations

from typing import Any

from tests.e2e.acceptance import Case, acceptance_tests

APP = {"type": "AppInstance", "name": "app", "args": {"name": "app"}}
USERS = [
    {
        "type": "AppInstanceUser",
        "name": who,
        "args": {"app_instance_arn": "${app.arn}", "app_instance_user_id": who, "name": who},
    }
    for who in ("alice", "bob")
]


def count(chime: Any) -> int:
    return sum(
        len(chime.list_app_instance_admins(AppInstanceArn=app["AppInstanceArn"])["AppInstanceAdmins"])
        for app in chime.list_app_instances()["AppInstances"]
    )


def vanish(chime: Any, resource_id: str) -> None:
    instance, _, admin = resource_id.partition("|")
    chime.delete_app_instance_admin(AppInstanceArn=instance, AppInstanceAdminArn=admin)


CASE = Case(
    type="AppInstanceAdmin",
    parents=[APP, *USERS],
    args={"app_instance_arn": "${app.arn}", "admin_arn": "${alice.arn}"},
    count=count,
    update=None,
    replace={"admin_arn": "${bob.arn}"},
    drift=None,
    vanish=vanish,
    calls={
        # check reads the one ID a new admin takes in an AppInstance that already exists
        "create": ["DescribeAppInstanceAdmin", "CreateAppInstanceAdmin"],
        "refresh": ["DescribeAppInstanceAdmin"],
        "replace": ["DescribeAppInstanceAdmin", "DeleteAppInstanceAdmin", "CreateAppInstanceAdmin"],
        "delete": ["DeleteAppInstanceAdmin"],
    },
)


test_lifecycle, test_out_of_band_change_and_deletion, test_get_and_adopt = acceptance_tests(CASE)

"""AppInstanceUserEndpoint through the real engine, with its device tokens kept secret."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.e2e.acceptance import Case, acceptance_tests
from tests.support import PINPOINT_APP
from tools.harness.engine import Stack

APP = {"type": "AppInstance", "name": "app", "args": {"name": "app"}}
USER = {
    "type": "AppInstanceUser",
    "name": "alice",
    "args": {"app_instance_arn": "${app.arn}", "app_instance_user_id": "alice", "name": "A"},
}
TOKEN = "device-token-4f9c1e"
NEW_TOKEN = "device-token-77ab20"
# How Pulumi state marks an encrypted value.
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270"


def count(chime: Any) -> int:
    total = 0
    for app in chime.list_app_instances()["AppInstances"]:
        for user in chime.list_app_instance_users(AppInstanceArn=app["AppInstanceArn"])["AppInstanceUsers"]:
            endpoints = chime.list_app_instance_user_endpoints(AppInstanceUserArn=user["AppInstanceUserArn"])
            total += len(endpoints["AppInstanceUserEndpoints"])
    return total


def split(resource_id: str) -> dict[str, str]:
    user, _, endpoint = resource_id.partition("|")
    return {"AppInstanceUserArn": user, "EndpointId": endpoint}


CASE = Case(
    type="AppInstanceUserEndpoint",
    parents=[APP, USER],
    args={
        "app_instance_user_arn": "${alice.arn}",
        "type": "GCM",
        "resource_arn": PINPOINT_APP,
        "endpoint_attributes": {"device_token": TOKEN},
        "name": "phone",
    },
    count=count,
    update={"name": "tablet", "allow_messages": "NONE"},
    replace={"endpoint_attributes": {"device_token": NEW_TOKEN}},
    drift=lambda chime, rid: chime.update_app_instance_user_endpoint(**split(rid), Name="by hand"),
    vanish=lambda chime, rid: chime.deregister_app_instance_user_endpoint(**split(rid)),
    calls={
        "create": ["RegisterAppInstanceUserEndpoint"],
        "refresh": ["DescribeAppInstanceUserEndpoint"],
        "update": ["UpdateAppInstanceUserEndpoint"],
        "replace": ["DeregisterAppInstanceUserEndpoint", "RegisterAppInstanceUserEndpoint"],
        "delete": ["DeregisterAppInstanceUserEndpoint"],
    },
)


test_lifecycle, test_out_of_band_change_and_deletion, test_get_and_adopt = acceptance_tests(CASE)


def test_device_token_is_never_plain_text_in_state(stack_factory: Callable[[str], Stack]) -> None:
    stack = stack_factory("endpoint_secret")
    stack.up()
    stack.refresh()
    exported = json.dumps(stack.export())
    assert TOKEN not in exported, "no plain-text token in inputs, outputs, IDs or stack outputs"
    (endpoint,) = stack.resources("AppInstanceUserEndpoint")
    for section in ("inputs", "outputs"):
        assert endpoint[section]["endpoint_attributes"][SECRET_SIG] == SECRET_SIG_VALUE, section
    assert endpoint["outputs"]["endpoint_id"] in endpoint["id"]
    shown = stack.run("stack", "output", "endpoint_attributes").stdout
    assert TOKEN not in shown
    assert "[secret]" in shown

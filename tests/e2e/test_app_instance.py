"""AppInstance through the real engine."""

from __future__ import annotations

from typing import Any

import boto3

from tests.e2e.acceptance import Case, walk_get_and_adopt, walk_lifecycle, walk_out_of_band
from tests.e2e.harness import Stack
from tests.support import Emulator


def count_everywhere(chime: Any) -> int:
    """AppInstances in both regions the service has (a region replacement moves it)."""
    frankfurt = boto3.client(
        "chime-sdk-identity",
        region_name="eu-central-1",
        endpoint_url=chime.meta.endpoint_url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )
    return sum(len(client.list_app_instances()["AppInstances"]) for client in (chime, frankfurt))


CASE = Case(
    type="AppInstance",
    parents=[],
    args={"name": "app", "metadata": "m", "tags": {"team": "chat"}},
    count=count_everywhere,
    update={"name": "app renamed"},
    replace={"region": "eu-central-1"},
    drift=lambda chime, arn: chime.update_app_instance(AppInstanceArn=arn, Name="changed by hand", Metadata="m"),
    vanish=lambda chime, arn: chime.delete_app_instance(AppInstanceArn=arn),
    calls={
        "create": ["CreateAppInstance"],
        "refresh": ["DescribeAppInstance", "ListTagsForResource"],
        "update": ["UpdateAppInstance"],
        "replace": ["CreateAppInstance", "DeleteAppInstance"],
        "delete": ["DeleteAppInstance"],
    },
    tags=True,
)


def test_lifecycle(stack: Stack, emulator: Emulator, chime: Any) -> None:
    walk_lifecycle(CASE, stack, emulator, chime)


def test_out_of_band_change_and_deletion(stack: Stack, chime: Any) -> None:
    walk_out_of_band(CASE, stack, chime)


def test_get_and_adopt(stack: Stack, chime: Any) -> None:
    walk_get_and_adopt(CASE, stack, chime)

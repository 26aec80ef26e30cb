"""AppInstance through the real engine."""

from __future__ import annotations

from typing import Any

import boto3

from tests.e2e.acceptance import Case, acceptance_tests


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
    # A replacement deletes everything in the old AppInstance: refused unless force_destroy (test_data_safety).
    replace={"region": "eu-central-1", "force_destroy": True},
    drift=lambda chime, arn: chime.update_app_instance(AppInstanceArn=arn, Name="changed by hand", Metadata="m"),
    vanish=lambda chime, arn: chime.delete_app_instance(AppInstanceArn=arn),
    calls={
        "create": ["CreateAppInstance"],
        "refresh": ["DescribeAppInstance", "ListTagsForResource"],
        "update": ["UpdateAppInstance"],
        "replace": ["CreateAppInstance", "DeleteAppInstance"],
        "delete": ["DeleteAppInstance"],  # force_destroy is set by the replacement: no check of what is left
    },
    tags=True,
)


test_lifecycle, test_out_of_band_change_and_deletion, test_get_and_adopt = acceptance_tests(CASE)

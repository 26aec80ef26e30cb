"""AppInstanceBot through the real engine."""

from __future__ import annotations

from typing import Any

from tests.e2e.acceptance import Case, acceptance_tests
from tests.support import LEX_ALIAS

APP = {"type": "AppInstance", "name": "app", "args": {"name": "app"}}
OTHER_APP = {"type": "AppInstance", "name": "other", "args": {"name": "other"}}
LEX = {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}


def count(chime: Any) -> int:
    return sum(
        len(chime.list_app_instance_bots(AppInstanceArn=app["AppInstanceArn"])["AppInstanceBots"])
        for app in chime.list_app_instances()["AppInstances"]
    )


CASE = Case(
    type="AppInstanceBot",
    parents=[APP],
    args={"app_instance_arn": "${app.arn}", "name": "helper", "configuration": {"lex": LEX}, "tags": {"k": "v"}},
    count=count,
    update={
        "configuration": {
            "lex": {
                **LEX,
                "welcome_intent": "Hello",
                "invoked_by": {"standard_messages": "MENTIONS", "targeted_messages": "ALL"},
            }
        }
    },
    replace={"app_instance_arn": "${other.arn}"},
    extra_resources=[OTHER_APP],
    drift=lambda chime, arn: chime.update_app_instance_bot(AppInstanceBotArn=arn, Name="by hand", Metadata=""),
    vanish=lambda chime, arn: chime.delete_app_instance_bot(AppInstanceBotArn=arn),
    calls={
        "create": ["CreateAppInstanceBot"],
        "refresh": ["DescribeAppInstanceBot", "ListTagsForResource"],
        "update": ["UpdateAppInstanceBot"],
        "replace": ["CreateAppInstance", "CreateAppInstanceBot", "DeleteAppInstanceBot"],
        "delete": ["DeleteAppInstanceBot"],
    },
    tags=True,
)


test_lifecycle, test_out_of_band_change_and_deletion, test_get_and_adopt = acceptance_tests(CASE)

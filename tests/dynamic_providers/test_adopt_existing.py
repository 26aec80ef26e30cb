"""chimesdkidentity:adoptExisting (CHIMESDKIDENTITY_ADOPT_EXISTING): recovery after an interrupted `pulumi up`."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_chime_sdk_identity.dynamic_providers import (
    AdoptionError,
    AppInstanceAdminProvider,
    AppInstanceProvider,
    AppInstanceUserProvider,
    _config,
)
from tests.dynamic_providers.support import checked
from tests.support import Emulator

TAGS = {"project": "chat"}


@pytest.fixture
def adopting(emulator: Emulator) -> None:
    _config.configure(
        {
            "chimesdkidentity:endpoint": emulator.url,
            "chimesdkidentity:region": "us-east-1",
            "chimesdkidentity:adoptExisting": "true",
        }
    )


def test_off_by_default_and_on_from_config_or_environment() -> None:
    assert not _config.settings_from({}, {}).adopt_existing
    assert _config.settings_from({"chimesdkidentity:adoptExisting": "true"}, {}).adopt_existing
    assert _config.settings_from({}, {"CHIMESDKIDENTITY_ADOPT_EXISTING": "1"}).adopt_existing


def test_a_user_and_admin_the_inputs_name_are_adopted(chime: Any, adopting: None) -> None:
    app = chime.create_app_instance(Name="chat")["AppInstanceArn"]
    user = chime.create_app_instance_user(AppInstanceArn=app, AppInstanceUserId="alice", Name="Alice")
    arn = user["AppInstanceUserArn"]
    chime.create_app_instance_admin(AppInstanceArn=app, AppInstanceAdminArn=arn)
    users = AppInstanceUserProvider()
    news = {"app_instance_arn": app, "app_instance_user_id": "alice", "name": "Alice", "tags": TAGS}
    assert users.create(checked(users, news)).id == arn
    assert chime.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "project", "Value": "chat"}]
    admins = AppInstanceAdminProvider()
    assert admins.create(checked(admins, {"app_instance_arn": app, "admin_arn": arn})).id == f"{app}|{arn}"


def test_the_one_empty_matching_app_instance_is_adopted(chime: Any, adopting: None) -> None:
    provider = AppInstanceProvider()
    left = chime.create_app_instance(Name="chat", Tags=[{"Key": "project", "Value": "chat"}])["AppInstanceArn"]
    busy = chime.create_app_instance(Name="chat", Tags=[{"Key": "project", "Value": "chat"}])["AppInstanceArn"]
    chime.create_app_instance_user(AppInstanceArn=busy, AppInstanceUserId="u", Name="U")
    chime.create_app_instance(Name="chat")  # other tags
    assert provider.create(checked(provider, {"name": "chat", "tags": TAGS})).id == left
    chime.delete_app_instance_user(AppInstanceUserArn=f"{busy}/user/u")
    with pytest.raises(AdoptionError, match="all match these inputs"):
        provider.create(checked(provider, {"name": "chat", "tags": TAGS}))

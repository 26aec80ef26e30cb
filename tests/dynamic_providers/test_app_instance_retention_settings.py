"""AppInstanceRetentionSettingsProvider against the emulator: Put-only lifecycle, disabling on delete, adoption."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_chime_sdk_identity.dynamic_providers import (
    AdoptionError,
    AppInstanceProvider,
    AppInstanceRetentionSettingsProvider,
)
from pulumi_chime_sdk_identity.dynamic_providers._aws import iso
from pulumi_chime_sdk_identity.dynamic_providers._schema import service_model
from tests.dynamic_providers.support import (
    as_engine_sends,
    by_path,
    calls,
    checked,
    log_position,
    new_command,
    rechecked,
)
from tests.dynamic_providers.wire import sent
from tests.support import Emulator

provider = AppInstanceRetentionSettingsProvider()
ARN_PATTERN = service_model().shape_for("ChimeArn").metadata["pattern"]


def make(instance_arn: str, days: int = 30, **news: Any) -> tuple[str, dict[str, Any]]:
    inputs = checked(provider, {"app_instance_arn": instance_arn, "channel_retention_days": days, **news})
    created = provider.create(inputs)
    return created.id, dict(created.outs or {})


def live_settings(chime: Any, instance_arn: str) -> dict[str, Any]:
    return dict(chime.get_app_instance_retention_settings(AppInstanceArn=instance_arn)["AppInstanceRetentionSettings"])


def test_its_app_instance_shares_its_id_and_is_no_duplicate(instance_arn: str) -> None:
    """The retention's ID is its AppInstance's ARN: the two are two kinds, not two declarations of one."""
    app = AppInstanceProvider()
    checked(app, {"name": "parent", "adopt_id": instance_arn})  # adopted in this command
    checked(provider, {"app_instance_arn": instance_arn, "channel_retention_days": 30, "adopt_id": instance_arn})
    new_command()
    checked(app, {"name": "parent", "adopt_id": instance_arn}, {"name": "parent", "adopt_id": instance_arn})  # in stack
    checked(provider, {"app_instance_arn": instance_arn, "channel_retention_days": 30, "adopt_id": instance_arn})


def test_check_makes_float_days_whole(instance_arn: str) -> None:
    inputs = checked(provider, {"app_instance_arn": instance_arn, "channel_retention_days": 30.0})
    assert inputs == {"app_instance_arn": instance_arn, "channel_retention_days": 30}
    assert type(inputs["channel_retention_days"]) is int


def test_check_reports_each_bad_property_in_one_line() -> None:
    result = provider.check({}, {"app_instance_arn": "arn:aws", "channel_retention_days": 5476})
    reasons = by_path(result)
    assert reasons == {
        "app_instance_arn": f"app_instance_arn: must match the pattern {ARN_PATTERN}",
        "channel_retention_days": "channel_retention_days: must be between 1 and 5475",
    }
    assert [
        f.reason
        for f in provider.check(
            {}, {"app_instance_arn": "arn:aws:chime:us-east-1:123456789012:app-instance/x", "channel_retention_days": 0}
        ).failures
    ] == ["channel_retention_days: must be between 1 and 5475"]
    assert [f.reason for f in provider.check({}, {}).failures] == [
        "app_instance_arn: Field required",
        "channel_retention_days: Field required",
    ]
    assert provider.check({}, {"app_instance_arn": Unknown(), "channel_retention_days": Unknown()}).failures == []


def test_create_is_one_put(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    start = log_position(emulator)
    with sent() as requests:
        resource_id, outs = make(instance_arn, 30)
    assert calls(emulator, start) == ["PutAppInstanceRetentionSettings"]
    assert requests == [
        (
            "PutAppInstanceRetentionSettings",
            {
                "AppInstanceArn": instance_arn,
                "AppInstanceRetentionSettings": {"ChannelRetentionSettings": {"RetentionDays": 30}},
            },
        )
    ]
    assert resource_id == instance_arn
    live = chime.get_app_instance_retention_settings(AppInstanceArn=instance_arn)
    assert live["AppInstanceRetentionSettings"] == {"ChannelRetentionSettings": {"RetentionDays": 30}}
    assert outs == {
        "app_instance_arn": instance_arn,
        "channel_retention_days": 30,
        "initiate_deletion_timestamp": iso(live["InitiateDeletionTimestamp"]),
    }


def test_read_matches_create_and_costs_one_call(emulator: Emulator, instance_arn: str) -> None:
    resource_id, outs = make(instance_arn, 30)
    start = log_position(emulator)
    result = provider.read(resource_id, as_engine_sends(outs))
    assert calls(emulator, start) == ["GetAppInstanceRetentionSettings"]
    assert result.id == resource_id
    assert result.outs == outs
    assert result.inputs == {"app_instance_arn": instance_arn, "channel_retention_days": 30}


def test_diff_is_quiet_for_floats_and_exact_for_changes(emulator: Emulator, instance_arn: str) -> None:
    resource_id, outs = make(instance_arn, 30)
    start = log_position(emulator)
    same = rechecked(provider, outs, {"app_instance_arn": instance_arn, "channel_retention_days": 30.0})
    assert provider.diff(resource_id, as_engine_sends(outs), same).changes is False
    assert provider.diff(resource_id, as_engine_sends(outs), as_engine_sends(same)).changes is False
    longer = provider.diff(resource_id, outs, {**same, "channel_retention_days": 60})
    assert (longer.changes, longer.replaces, longer.delete_before_replace) == (None, [], None)
    moved = provider.diff(resource_id, outs, {**same, "app_instance_arn": instance_arn + "x"})
    assert (moved.changes, moved.replaces, moved.delete_before_replace) == (None, ["app_instance_arn"], None)
    adopted = provider.diff(resource_id, outs, {**same, "adopt_id": "anything"})
    assert (adopted.changes, adopted.replaces) == (None, []), "recorded by an update without API calls"
    assert provider.diff(resource_id, outs, {**same, "channel_retention_days": Unknown()}).changes is None
    assert calls(emulator, start) == [], "diff makes no API calls"


def test_update_is_one_put_with_the_new_timestamp(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    resource_id, outs = make(instance_arn, 30)
    start = log_position(emulator)
    with sent() as requests:
        updated = provider.update(
            resource_id,
            as_engine_sends(outs),
            rechecked(provider, outs, {"app_instance_arn": instance_arn, "channel_retention_days": 90}),
        ).outs
    assert calls(emulator, start) == ["PutAppInstanceRetentionSettings"]
    assert requests == [
        (
            "PutAppInstanceRetentionSettings",
            {
                "AppInstanceArn": instance_arn,
                "AppInstanceRetentionSettings": {"ChannelRetentionSettings": {"RetentionDays": 90}},
            },
        )
    ]
    live = chime.get_app_instance_retention_settings(AppInstanceArn=instance_arn)
    assert updated == {
        "app_instance_arn": instance_arn,
        "channel_retention_days": 90,
        "initiate_deletion_timestamp": iso(live["InitiateDeletionTimestamp"]),
    }
    assert live["AppInstanceRetentionSettings"] == {"ChannelRetentionSettings": {"RetentionDays": 90}}

    start = log_position(emulator)
    same = provider.update(
        resource_id,
        as_engine_sends(updated),
        rechecked(provider, updated, {"app_instance_arn": instance_arn, "channel_retention_days": 90}),
    )
    assert calls(emulator, start) == [], "30.0 == 30: nothing to put"
    assert same.outs == updated


def test_refresh_finds_drift_and_resets_inputs(chime: Any, instance_arn: str) -> None:
    resource_id, outs = make(instance_arn, 30)
    chime.put_app_instance_retention_settings(
        AppInstanceArn=instance_arn, AppInstanceRetentionSettings={"ChannelRetentionSettings": {"RetentionDays": 7}}
    )
    result = provider.read(resource_id, as_engine_sends(outs))
    assert result.inputs == {"app_instance_arn": instance_arn, "channel_retention_days": 7}
    live = chime.get_app_instance_retention_settings(AppInstanceArn=instance_arn)
    assert result.outs == {**result.inputs, "initiate_deletion_timestamp": iso(live["InitiateDeletionTimestamp"])}
    program = rechecked(provider, result.outs, {"app_instance_arn": instance_arn, "channel_retention_days": 30})
    assert provider.diff(resource_id, result.outs, program).changes is None


def test_disabled_retention_reads_as_gone(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    resource_id, outs = make(instance_arn, 30)
    chime.put_app_instance_retention_settings(
        AppInstanceArn=instance_arn, AppInstanceRetentionSettings={"ChannelRetentionSettings": {}}
    )
    start = log_position(emulator)
    gone = provider.read(resource_id, outs)
    assert (gone.id, gone.outs) == (None, {})
    assert calls(emulator, start) == ["GetAppInstanceRetentionSettings"], "no waiting, no listing"


def test_delete_disables_retention_and_is_idempotent(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    resource_id, outs = make(instance_arn, 30)
    new_command()
    start = log_position(emulator)
    with sent() as requests:
        provider.delete(resource_id, outs)
    assert calls(emulator, start) == ["PutAppInstanceRetentionSettings"]
    assert requests == [
        (
            "PutAppInstanceRetentionSettings",
            {"AppInstanceArn": instance_arn, "AppInstanceRetentionSettings": {"ChannelRetentionSettings": {}}},
        )
    ]
    assert live_settings(chime, instance_arn) == {"ChannelRetentionSettings": {}}
    provider.delete(resource_id, outs)
    assert live_settings(chime, instance_arn) == {"ChannelRetentionSettings": {}}


@pytest.mark.parametrize("missing_error", ["NotFoundException", "ForbiddenException"])
def test_app_instance_deleted_first(
    emulator: Emulator, chime: Any, instance_arn: str, settled: None, missing_error: str
) -> None:
    resource_id, outs = make(instance_arn, 30)
    new_command()
    emulator.configure(missing_error=missing_error)
    chime.delete_app_instance(AppInstanceArn=instance_arn)
    start = log_position(emulator)
    assert provider.read(resource_id, outs).outs == {}
    provider.delete(resource_id, outs)
    if missing_error == "NotFoundException":
        assert calls(emulator, start) == ["GetAppInstanceRetentionSettings", "PutAppInstanceRetentionSettings"]
    else:  # Forbidden is gone only once the AppInstance list confirms it
        assert calls(emulator, start) == [
            "GetAppInstanceRetentionSettings",
            "ListAppInstances",
            "PutAppInstanceRetentionSettings",
            "ListAppInstances",
        ]


def test_adopt_takes_over_and_converges(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    chime.put_app_instance_retention_settings(
        AppInstanceArn=instance_arn, AppInstanceRetentionSettings={"ChannelRetentionSettings": {"RetentionDays": 7}}
    )
    start = log_position(emulator)
    created = provider.create(
        checked(provider, {"app_instance_arn": instance_arn, "channel_retention_days": 30, "adopt_id": instance_arn})
    )
    assert calls(emulator, start) == ["GetAppInstanceRetentionSettings", "PutAppInstanceRetentionSettings"]
    assert created.id == instance_arn
    live = chime.get_app_instance_retention_settings(AppInstanceArn=instance_arn)
    assert live["AppInstanceRetentionSettings"] == {"ChannelRetentionSettings": {"RetentionDays": 30}}
    assert created.outs == {
        "app_instance_arn": instance_arn,
        "channel_retention_days": 30,
        "adopt_id": instance_arn,
        "initiate_deletion_timestamp": iso(live["InitiateDeletionTimestamp"]),
    }


def test_adopt_id_must_be_the_app_instance(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    other = chime.create_app_instance(Name="other")["AppInstanceArn"]
    start = log_position(emulator)
    news = {"app_instance_arn": instance_arn, "channel_retention_days": 30, "adopt_id": other}
    result = provider.check({}, news)
    assert [f.reason for f in result.failures] == [
        f"adopt_id: {other} does not match the inputs, which describe {instance_arn}"
    ]
    with pytest.raises(AdoptionError) as caught:
        provider.create(result.inputs)
    assert str(caught.value) == f"adopt_id {other} does not match the inputs, which describe {instance_arn}"
    assert calls(emulator, start) == []


def test_the_old_half_leaves_the_settings_to_a_new_owner_in_the_same_command(
    emulator: Emulator, chime: Any, instance_arn: str
) -> None:
    # A retention resource renamed without an alias, or replaced create-before-delete: the engine creates
    # the new one, then deletes the old one, both with the AppInstance ARN as ID.
    old_id, old_outs = make(instance_arn, 30)
    new_command()
    new_id, _ = make(instance_arn, 14)
    start = log_position(emulator)
    provider.delete(old_id, old_outs)
    assert new_id == old_id
    assert calls(emulator, start) == [], "the settings are the new resource's now"
    assert live_settings(chime, instance_arn) == {"ChannelRetentionSettings": {"RetentionDays": 14}}


def test_adopt_of_disabled_retention_sets_it(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    # Retention has no identity beyond its AppInstance: adopting an AppInstance without retention sets it.
    start = log_position(emulator)
    assert make(instance_arn, 30, adopt_id=instance_arn)[0] == instance_arn
    assert calls(emulator, start) == ["GetAppInstanceRetentionSettings", "PutAppInstanceRetentionSettings"]
    assert live_settings(chime, instance_arn) == {"ChannelRetentionSettings": {"RetentionDays": 30}}


def test_adopt_of_matching_retention_writes_nothing(emulator: Emulator, instance_arn: str) -> None:
    make(instance_arn, 30)
    new_command()
    start = log_position(emulator)
    assert make(instance_arn, 30, adopt_id=instance_arn)[0] == instance_arn
    assert calls(emulator, start) == ["GetAppInstanceRetentionSettings"]

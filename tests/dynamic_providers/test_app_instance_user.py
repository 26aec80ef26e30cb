"""AppInstanceUserProvider against the emulator: every method, expiration, drift, disappearance and adoption."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_chime_sdk_identity.dynamic_providers import AdoptionError, AppInstanceUserProvider, _config, _provider
from pulumi_chime_sdk_identity.dynamic_providers._schema import UNKNOWN, service_model
from tests.dynamic_providers.support import (
    as_engine_sends,
    by_path,
    calls,
    checked,
    log_position,
    new_command,
    rechecked,
)
from tests.dynamic_providers.wire import sent, stored
from tests.support import Emulator

provider = AppInstanceUserProvider()
ARN_PATTERN = service_model().shape_for("ChimeArn").metadata["pattern"]
USER_ID_PATTERN = service_model().shape_for("UserId").metadata["pattern"]
THIRTY_DAYS = {"expiration_days": 30, "expiration_criterion": "CREATED_TIMESTAMP"}


def make(instance_arn: str, **news: Any) -> tuple[str, dict[str, Any]]:
    base = {"app_instance_arn": instance_arn, "app_instance_user_id": "alice", "name": "Alice"}
    created = provider.create(checked(provider, {**base, **news}))
    return created.id, dict(created.outs or {})


def test_check_normalizes_defaults_and_float_integers(instance_arn: str) -> None:
    inputs = checked(
        provider,
        {
            "app_instance_arn": instance_arn,
            "app_instance_user_id": "alice",
            "name": "Alice",
            "tags": {"b": "2", "a": "1"},
            "expiration_settings": {"expiration_days": 30.0},
        },
    )
    assert inputs == {
        "app_instance_arn": instance_arn,
        "app_instance_user_id": "alice",
        "name": "Alice",
        "metadata": "",
        "tags": {"a": "1", "b": "2"},
        "expiration_settings": THIRTY_DAYS,
    }
    assert type(inputs["expiration_settings"]["expiration_days"]) is int


def test_check_reports_each_bad_property_in_one_line() -> None:
    result = provider.check(
        {},
        {
            "app_instance_arn": "not-an-arn",
            "app_instance_user_id": "no spaces",
            "name": "   ",
            "metadata": "é" * 513,
            "expiration_settings": {"expiration_days": 0, "expiration_criterion": "LAST_ACTIVE"},
        },
    )
    reasons = by_path(result)
    assert reasons == {
        "app_instance_arn": f"app_instance_arn: must match the pattern {ARN_PATTERN}",
        "app_instance_user_id": f"app_instance_user_id: must match the pattern {USER_ID_PATTERN}",
        "name": "name: must match the pattern .*\\S.*",
        "metadata": "metadata: must be at most 1024 bytes of UTF-8",
        "expiration_settings.expiration_days": "expiration_settings.expiration_days: must be between 1 and 5475",
        "expiration_settings.expiration_criterion": (
            "expiration_settings.expiration_criterion: must be one of CREATED_TIMESTAMP"
        ),
    }
    assert all("\n" not in reason for reason in reasons.values())


def test_check_requires_fields_and_whole_days() -> None:
    assert [f.reason for f in provider.check({}, {}).failures] == [
        "app_instance_arn: Field required",
        "app_instance_user_id: Field required",
        "name: Field required",
    ]
    half = provider.check(
        {},
        {
            "app_instance_arn": "arn:aws:chime:us-east-1:123456789012:app-instance/x",
            "app_instance_user_id": "u",
            "name": "n",
            "expiration_settings": {"expiration_days": 1.5},
        },
    )
    assert [f.reason for f in half.failures] == [
        "expiration_settings.expiration_days: Input should be a valid integer, got a number with a fractional part"
    ]


def test_check_lets_unknown_values_through() -> None:
    result = provider.check(
        {}, {"app_instance_arn": Unknown(), "app_instance_user_id": "alice", "name": UNKNOWN, "tags": {"t": UNKNOWN}}
    )
    assert result.failures == []
    assert isinstance(result.inputs["app_instance_arn"], Unknown)


def test_create_is_one_call_with_tags_and_expiration_inside(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    start = log_position(emulator)
    with sent() as requests:
        arn, outs = make(instance_arn, metadata="m", tags={"team": "chat"}, expiration_settings={"expiration_days": 30})
    # check reads the one ID a new user takes (so preview refuses a clash); the create is one call
    assert calls(emulator, start) == ["DescribeAppInstanceUser", "CreateAppInstanceUser"]
    (operation, params) = requests[-1]
    assert operation == "CreateAppInstanceUser"
    assert params["ExpirationSettings"] == {"ExpirationDays": 30, "ExpirationCriterion": "CREATED_TIMESTAMP"}
    assert params["Tags"] == [{"Key": "team", "Value": "chat"}]
    assert arn == f"{instance_arn}/user/alice"
    assert outs == {
        "app_instance_arn": instance_arn,
        "app_instance_user_id": "alice",
        "name": "Alice",
        "metadata": "m",
        "tags": {"team": "chat"},
        "expiration_settings": THIRTY_DAYS,
        "arn": arn,
        "created_timestamp": outs["created_timestamp"],
        "last_updated_timestamp": outs["created_timestamp"],
    }
    assert outs["created_timestamp"].endswith("+00:00")
    live = chime.describe_app_instance_user(AppInstanceUserArn=arn)["AppInstanceUser"]
    assert live["ExpirationSettings"] == {"ExpirationDays": 30, "ExpirationCriterion": "CREATED_TIMESTAMP"}
    assert chime.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "chat"}]


def test_read_matches_create_and_costs_two_calls(emulator: Emulator, instance_arn: str) -> None:
    arn, outs = make(instance_arn, tags={"a": "1"}, expiration_settings={"expiration_days": 30})
    start = log_position(emulator)
    result = provider.read(arn, as_engine_sends(outs))
    assert calls(emulator, start) == ["DescribeAppInstanceUser", "ListTagsForResource"]
    assert result.id == arn
    assert stored(result.outs) == outs
    assert result.inputs == {
        "app_instance_arn": instance_arn,
        "app_instance_user_id": "alice",
        "name": "Alice",
        "metadata": "",
        "tags": {"a": "1"},
        "expiration_settings": THIRTY_DAYS,
    }


def test_read_without_expiration_matches_create(instance_arn: str) -> None:
    arn, outs = make(instance_arn)
    result = provider.read(arn, outs)
    assert stored(result.outs) == outs
    assert result.inputs is not None
    assert "expiration_settings" not in result.inputs


def test_diff_is_quiet_for_floats_and_exact_for_changes(emulator: Emulator, instance_arn: str) -> None:
    arn, outs = make(instance_arn, tags={"a": "1"}, expiration_settings={"expiration_days": 30})
    start = log_position(emulator)
    same = rechecked(
        provider,
        outs,
        as_engine_sends(
            {
                "app_instance_arn": instance_arn,
                "app_instance_user_id": "alice",
                "name": "Alice",
                "tags": {"a": "1"},
                "expiration_settings": {"expiration_days": 30},
            }
        ),
    )
    assert provider.diff(arn, as_engine_sends(outs), same).changes is False
    assert provider.diff(arn, as_engine_sends(outs), as_engine_sends(same)).changes is False, "30.0 == 30"
    renamed = provider.diff(arn, outs, {**same, "name": "Alicia"})
    # delete_before_replace rides on every change: replaceOnChanges may force a replacement.
    assert (renamed.changes, renamed.replaces, renamed.delete_before_replace) == (None, [], True)
    longer = provider.diff(arn, outs, {**same, "expiration_settings": {**THIRTY_DAYS, "expiration_days": 60}})
    assert (longer.changes, longer.replaces, longer.delete_before_replace) == (None, [], True)
    new_id = provider.diff(arn, outs, {**same, "app_instance_user_id": "bob"})
    assert (new_id.changes, new_id.replaces, new_id.delete_before_replace) == (None, ["app_instance_user_id"], True)
    moved = provider.diff(arn, outs, {**same, "app_instance_arn": instance_arn + "x"})
    assert (moved.replaces, moved.delete_before_replace) == (["app_instance_arn"], True)
    adopted = provider.diff(arn, outs, {**same, "adopt_id": "anything"})
    assert (adopted.changes, adopted.replaces) == (None, []), "recorded by an update without API calls"
    assert provider.diff(arn, outs, {**same, "app_instance_user_id": Unknown()}).replaces == ["app_instance_user_id"]
    assert calls(emulator, start) == [], "diff makes no API calls"


def test_update_of_expiration_is_one_put(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    arn, outs = make(instance_arn, expiration_settings={"expiration_days": 30})
    news = rechecked(
        provider,
        outs,
        {
            "app_instance_arn": instance_arn,
            "app_instance_user_id": "alice",
            "name": "Alice",
            "expiration_settings": {"expiration_days": 60.0},
        },
    )
    start = log_position(emulator)
    with sent() as requests:
        updated = provider.update(arn, as_engine_sends(outs), news).outs
    assert calls(emulator, start) == ["PutAppInstanceUserExpirationSettings"]
    assert requests == [
        (
            "PutAppInstanceUserExpirationSettings",
            {
                "AppInstanceUserArn": arn,
                "ExpirationSettings": {"ExpirationDays": 60, "ExpirationCriterion": "CREATED_TIMESTAMP"},
            },
        )
    ]
    live = chime.describe_app_instance_user(AppInstanceUserArn=arn)["AppInstanceUser"]
    assert live["ExpirationSettings"] == {"ExpirationDays": 60, "ExpirationCriterion": "CREATED_TIMESTAMP"}
    assert updated is not None
    assert updated["expiration_settings"] == {**THIRTY_DAYS, "expiration_days": 60}
    assert updated["arn"] == arn
    assert updated["created_timestamp"] == outs["created_timestamp"]
    assert updated["last_updated_timestamp"] >= outs["last_updated_timestamp"]


def test_update_removes_expiration(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    arn, outs = make(instance_arn, expiration_settings={"expiration_days": 30})
    news = rechecked(
        provider, outs, {"app_instance_arn": instance_arn, "app_instance_user_id": "alice", "name": "Alice"}
    )
    start = log_position(emulator)
    with sent() as requests:
        updated = provider.update(arn, outs, news).outs
    assert calls(emulator, start) == ["PutAppInstanceUserExpirationSettings"]
    assert requests == [("PutAppInstanceUserExpirationSettings", {"AppInstanceUserArn": arn})]
    assert "ExpirationSettings" not in chime.describe_app_instance_user(AppInstanceUserArn=arn)["AppInstanceUser"]
    assert updated is not None
    assert "expiration_settings" not in updated


def test_update_makes_only_the_calls_needed(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    arn, outs = make(instance_arn, tags={"keep": "1", "drop": "2"}, expiration_settings={"expiration_days": 30})
    base = {"app_instance_arn": instance_arn, "app_instance_user_id": "alice", "expiration_settings": THIRTY_DAYS}

    start = log_position(emulator)
    with sent() as requests:
        untagged = provider.update(
            arn, as_engine_sends(outs), rechecked(provider, outs, {**base, "name": "Alice", "tags": {"keep": "1"}})
        )
    assert calls(emulator, start) == ["UntagResource"], "only the tag delta: expiration 30.0 == 30 is no change"
    assert requests == [("UntagResource", {"ResourceARN": arn, "TagKeys": ["drop"]})]
    assert untagged.outs is not None
    assert untagged.outs["tags"] == {"keep": "1"}

    start = log_position(emulator)
    with sent() as requests:
        renamed = provider.update(
            arn, untagged.outs, rechecked(provider, outs, {**base, "name": "Alicia", "tags": {"keep": "1"}})
        ).outs
    assert calls(emulator, start) == ["UpdateAppInstanceUser"]
    assert requests == [("UpdateAppInstanceUser", {"AppInstanceUserArn": arn, "Name": "Alicia", "Metadata": ""})]
    assert renamed is not None
    assert renamed["name"] == "Alicia"
    assert chime.describe_app_instance_user(AppInstanceUserArn=arn)["AppInstanceUser"]["Name"] == "Alicia"
    assert chime.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "keep", "Value": "1"}]


def test_refresh_finds_drift_and_resets_inputs(chime: Any, instance_arn: str) -> None:
    arn, outs = make(instance_arn, expiration_settings={"expiration_days": 30})
    chime.update_app_instance_user(AppInstanceUserArn=arn, Name="by hand", Metadata="hand")
    chime.put_app_instance_user_expiration_settings(
        AppInstanceUserArn=arn, ExpirationSettings={"ExpirationDays": 7, "ExpirationCriterion": "CREATED_TIMESTAMP"}
    )
    chime.tag_resource(ResourceARN=arn, Tags=[{"Key": "hand", "Value": "made"}])
    result = provider.read(arn, as_engine_sends(outs))
    assert result.inputs == {
        "app_instance_arn": instance_arn,
        "app_instance_user_id": "alice",
        "name": "by hand",
        "metadata": "hand",
        "tags": {"hand": "made"},
        "expiration_settings": {**THIRTY_DAYS, "expiration_days": 7},
    }
    assert result.outs is not None
    assert result.outs["last_updated_timestamp"] != outs["last_updated_timestamp"], "drift takes AWS's timestamps"
    program = rechecked(
        provider,
        outs,
        {
            "app_instance_arn": instance_arn,
            "app_instance_user_id": "alice",
            "name": "Alice",
            "expiration_settings": THIRTY_DAYS,
        },
    )
    assert provider.diff(arn, result.outs, program).changes is None


def test_refresh_notices_expiration_removed_by_hand(chime: Any, instance_arn: str) -> None:
    arn, outs = make(instance_arn, expiration_settings={"expiration_days": 30})
    chime.put_app_instance_user_expiration_settings(AppInstanceUserArn=arn)
    result = provider.read(arn, outs)
    assert result.inputs is not None
    assert "expiration_settings" not in result.inputs
    assert "expiration_settings" not in stored(result.outs)


def test_vanished_user_is_dropped_and_delete_is_idempotent(
    emulator: Emulator, chime: Any, instance_arn: str, settled: None
) -> None:
    arn, outs = make(instance_arn)
    chime.delete_app_instance_user(AppInstanceUserArn=arn)
    gone = provider.read(arn, outs)
    assert (gone.id, gone.outs) == (None, {})
    start = log_position(emulator)
    provider.delete(arn, outs)  # already gone: success
    assert calls(emulator, start) == ["DeleteAppInstanceUser"]


def test_refresh_waits_for_vanished_new_users_no_longer_than_the_delay_it_saw(
    emulator: Emulator, chime: Any, instance_arn: str
) -> None:
    # consistencyWaitSeconds at its default (15). Nine users deleted out of band right after their create: the
    # first read of a live new user shows them visible at once, so the vanished ones are gone without a wait.
    made = [make(instance_arn, app_instance_user_id=f"u{i}") for i in range(10)]
    new_command()
    for arn, _ in made[1:]:
        chime.delete_app_instance_user(AppInstanceUserArn=arn)
    assert provider.read(*made[0]).id == made[0][0]
    start, started = log_position(emulator), time.monotonic()
    assert all(provider.read(arn, outs).id is None for arn, outs in made[1:])
    assert time.monotonic() - started < 2.0
    looks = calls(emulator, start)
    assert set(looks) == {"DescribeAppInstanceUser"}
    # A user younger than the one seen (made after it) is looked at until it is as old: at most once more.
    assert len(looks) <= 2 * 9, looks


def test_refresh_waits_for_a_vanished_new_user_as_long_as_one_was_seen_hidden(
    emulator: Emulator, chime: Any, instance_arn: str
) -> None:
    emulator.configure(consistency_delay_ms=1000)
    (hidden, hidden_outs), (gone, gone_outs) = (make(instance_arn, app_instance_user_id=f"u{i}") for i in range(2))
    new_command()
    chime.delete_app_instance_user(AppInstanceUserArn=gone)
    assert provider.read(hidden, hidden_outs).id == hidden, "looked again until the delay was over"
    seen_hidden = _provider.seen.hidden_for
    assert seen_hidden is not None
    assert 0.9 <= seen_hidden < 3.0
    started = time.monotonic()
    assert provider.read(gone, gone_outs).id is None
    # Looked for until as old as the longest hidden (plus one poll), not for consistencyWaitSeconds (15 s).
    assert time.monotonic() - started < 1.5


def test_with_nothing_seen_a_vanished_new_user_is_awaited_until_the_configured_age(
    emulator: Emulator, chime: Any, instance_arn: str
) -> None:
    _config.configure(
        {
            "chimesdkidentity:endpoint": emulator.url,
            "chimesdkidentity:region": "us-east-1",
            "chimesdkidentity:consistencyWaitSeconds": "2",
        }
    )
    arn, outs = make(instance_arn)
    new_command()
    chime.delete_app_instance_user(AppInstanceUserArn=arn)
    time.sleep(1.0)
    started = time.monotonic()
    assert provider.read(arn, outs).id is None
    waited = time.monotonic() - started
    assert 0.4 < waited < 1.6, "until 2 s after its creation, not 2 s from now"


def test_user_of_a_deleted_app_instance_is_gone(chime: Any, instance_arn: str, settled: None) -> None:
    arn, outs = make(instance_arn)
    chime.delete_app_instance(AppInstanceArn=instance_arn)
    assert provider.read(arn, outs).outs == {}
    provider.delete(arn, outs)


def test_forbidden_means_gone_only_when_the_list_agrees(
    emulator: Emulator, chime: Any, instance_arn: str, settled: None
) -> None:
    arn, outs = make(instance_arn)
    emulator.configure(missing_error="ForbiddenException")
    assert provider.read(arn, outs).id == arn
    chime.delete_app_instance_user(AppInstanceUserArn=arn)
    start = log_position(emulator)
    gone = provider.read(arn, outs)
    assert (gone.id, gone.outs) == (None, {})
    assert calls(emulator, start) == ["DescribeAppInstanceUser", "ListAppInstanceUsers"]
    start = log_position(emulator)
    provider.delete(arn, outs)
    assert calls(emulator, start) == ["DeleteAppInstanceUser", "ListAppInstanceUsers"]


def test_duplicate_user_id_is_refused_at_check_naming_aliases_and_adopt_id(
    emulator: Emulator, chime: Any, instance_arn: str
) -> None:
    existing = chime.create_app_instance_user(AppInstanceArn=instance_arn, AppInstanceUserId="alice", Name="hand")
    arn = existing["AppInstanceUserArn"]
    news = {"app_instance_arn": instance_arn, "app_instance_user_id": "alice", "name": "Alice"}
    start = log_position(emulator)
    result = provider.check({}, {**news, "__provider": "serialized"})
    [failure] = result.failures
    assert failure.property == ""  # a user id is sensitive in the service model: named in the reason only
    assert failure.reason.startswith("app_instance_user_id: ")
    assert f"AppInstanceUser {arn} already exists. If you renamed this resource in your program, add" in failure.reason
    assert "aliases=[pulumi.Alias(" in failure.reason
    assert f'set adopt_id="{arn}"' in failure.reason
    # the field that adopts it in the components, exactly
    assert "(in a MessagingApp: users.alice.adopt: true, with the app's adopt_id set to its AppInstance ARN; " in (
        failure.reason
    )
    assert "in a MessagingUser: adopt=True)" in failure.reason
    assert calls(emulator, start) == ["DescribeAppInstanceUser", "ListTagsForResource"], "one read, no write"

    # Where check could not tell (no credentials at preview), the create meets the same answer.
    with pytest.raises(AdoptionError) as caught:
        provider.create(result.inputs)
    assert str(caught.value) == failure.reason.removeprefix("app_instance_user_id: ")
    assert caught.value.__suppress_context__
    assert chime.describe_app_instance_user(AppInstanceUserArn=arn)["AppInstanceUser"]["Name"] == "hand", "untouched"


def test_a_replacement_of_an_existing_user_reads_nothing_at_check(emulator: Emulator, instance_arn: str) -> None:
    _, outs = make(instance_arn)
    news = {"app_instance_arn": instance_arn, "app_instance_user_id": "alice", "name": "Alice"}
    renamed = {**news, "name": "Alicia"}
    start = log_position(emulator)
    rechecked(provider, outs, renamed)  # the engine checks the update with the old inputs first ...
    assert provider.diff(outs["arn"], outs, renamed).changes is None  # ... diffs (replace_on_changes: name) ...
    checked(provider, renamed)  # ... then checks the create half of the forced replacement without them
    assert calls(emulator, start) == [], "a resource in the stack is never looked up at check"

    # A second create half of the same user is another resource declaring it.
    [failure] = provider.check({}, {**renamed, "__provider": "serialized"}).failures
    assert "another AppInstanceUser resource of this stack declares the same AppInstanceUser" in failure.reason


DUPLICATE = (
    "app_instance_user_id: another AppInstanceUser resource of this stack declares the same AppInstanceUser (the "
    "same app_instance_arn and app_instance_user_id). One AppInstanceUser can be managed by one resource only: "
    "remove one of the two declarations."
)


def test_two_new_users_with_one_id_are_refused_at_check(emulator: Emulator, instance_arn: str) -> None:
    news = {"app_instance_arn": instance_arn, "app_instance_user_id": "alice", "name": "Alice"}
    start = log_position(emulator)
    checked(provider, news)
    result = provider.check({}, {**news, "name": "Alice again", "__provider": "serialized"})
    assert [(f.property, f.reason) for f in result.failures] == [("", DUPLICATE)]  # a user id is sensitive
    assert calls(emulator, start) == ["DescribeAppInstanceUser"], "the first check's read only"


def test_a_new_user_with_the_id_of_one_in_the_stack_is_refused_at_check(emulator: Emulator, instance_arn: str) -> None:
    _, outs = make(instance_arn)
    news = {k: outs[k] for k in ("app_instance_arn", "app_instance_user_id", "name")}
    new_command()
    assert provider.diff(outs["arn"], outs, rechecked(provider, outs, news)).changes is False
    start = log_position(emulator)
    [failure] = provider.check({}, {**news, "__provider": "serialized"}).failures
    assert failure.reason == DUPLICATE
    assert calls(emulator, start) == []

    # The other order: the new one is checked first and meets the user in AWS; the one in the stack then says why.
    new_command()
    [exists] = provider.check({}, {**news, "__provider": "serialized"}).failures
    assert "already exists" in exists.reason
    [failure] = provider.check(outs, {**news, "__provider": "serialized"}).failures
    assert failure.reason == DUPLICATE


@pytest.mark.parametrize("adopt_existing", [False, True], ids=["plain", "adopt-existing"])
def test_a_second_create_of_one_user_says_another_resource_declares_it(
    emulator: Emulator, chime: Any, instance_arn: str, adopt_existing: bool
) -> None:
    # Check could not tell (the AppInstance ARN was unknown at preview): the second create meets the first.
    _config.configure(
        {
            "chimesdkidentity:endpoint": emulator.url,
            "chimesdkidentity:region": "us-east-1",
            "chimesdkidentity:adoptExisting": str(adopt_existing).lower(),
        }
    )
    arn, outs = make(instance_arn)
    with pytest.raises(AdoptionError) as caught:
        provider.create({k: outs[k] for k in ("app_instance_arn", "app_instance_user_id")} | {"name": "Other"})
    assert str(caught.value) == (
        f"AppInstanceUser {arn} is made or managed by another resource of this stack, which declares the same "
        "app_instance_arn and app_instance_user_id. One AppInstanceUser can be managed by one resource only: "
        "remove one of the two declarations."
    )
    assert chime.describe_app_instance_user(AppInstanceUserArn=arn)["AppInstanceUser"]["Name"] == "Alice", "untouched"


def test_adopt_takes_over_and_converges(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    arn = chime.create_app_instance_user(
        AppInstanceArn=instance_arn, AppInstanceUserId="alice", Name="hand", Tags=[{"Key": "old", "Value": "1"}]
    )["AppInstanceUserArn"]
    start = log_position(emulator)
    created = provider.create(
        checked(
            provider,
            {
                "app_instance_arn": instance_arn,
                "app_instance_user_id": "alice",
                "name": "Alice",
                "tags": {"new": "2"},
                "expiration_settings": {"expiration_days": 30.0},
                "adopt_id": arn,
            },
        )
    )
    assert created.id == arn
    assert calls(emulator, start) == [
        # check found what adopt_id names (preview refuses an adopt_id of nothing), then create
        "DescribeAppInstanceUser",
        "ListTagsForResource",
        "DescribeAppInstanceUser",
        "ListTagsForResource",
        "UpdateAppInstanceUser",
        "PutAppInstanceUserExpirationSettings",
        "UntagResource",
        "TagResource",
    ]
    outs = created.outs or {}
    assert (outs["arn"], outs["name"], outs["tags"], outs["expiration_settings"]) == (
        arn,
        "Alice",
        {"new": "2"},
        THIRTY_DAYS,
    )
    live = chime.describe_app_instance_user(AppInstanceUserArn=arn)["AppInstanceUser"]
    assert (live["Name"], live["ExpirationSettings"]["ExpirationDays"]) == ("Alice", 30)
    assert len(chime.list_app_instance_users(AppInstanceArn=instance_arn)["AppInstanceUsers"]) == 1


def test_adopt_id_must_match_the_inputs(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    bob = chime.create_app_instance_user(AppInstanceArn=instance_arn, AppInstanceUserId="bob", Name="Bob")
    news = {"app_instance_arn": instance_arn, "app_instance_user_id": "alice", "name": "Alice"}
    start = log_position(emulator)
    result = provider.check({}, {**news, "adopt_id": bob["AppInstanceUserArn"]})
    assert [(f.property, f.reason) for f in result.failures] == [
        (
            "",  # a user ARN holds a user id, sensitive in the service model: named in the reason only
            f"adopt_id: {bob['AppInstanceUserArn']} does not match the inputs, which describe "
            f"{instance_arn}/user/alice",
        )
    ]
    with pytest.raises(AdoptionError) as caught:
        provider.create(result.inputs)
    assert str(caught.value) == (
        f"adopt_id {bob['AppInstanceUserArn']} does not match the inputs, which describe {instance_arn}/user/alice"
    )
    assert calls(emulator, start) == []


def test_adopt_id_through_a_replacement_is_refused(emulator: Emulator, instance_arn: str) -> None:
    arn, outs = make(instance_arn)
    adopted = {**{k: outs[k] for k in ("app_instance_arn", "app_instance_user_id", "name")}, "adopt_id": arn}
    start = log_position(emulator)
    rechecked(provider, outs, adopted)
    result = provider.check({}, {**adopted, "__provider": "serialized"})  # the create half of a replacement
    [failure] = result.failures
    assert (failure.property, failure.reason.split(":")[0]) == ("", "adopt_id")
    assert "deletes the resource adopt_id names before the new one could adopt it. Remove adopt_id" in failure.reason
    assert calls(emulator, start) == []


def test_adopt_of_nothing_fails_clearly(instance_arn: str) -> None:
    missing = f"{instance_arn}/user/alice"
    # preview refuses it, naming adopt_id; where preview could not tell, the create does
    with pytest.raises(
        AssertionError,
        match=re.escape(f"adopt_id: {missing} names no existing AppInstanceUser. Correct it, or remove it"),
    ):
        make(instance_arn, adopt_id=missing)
    with pytest.raises(AdoptionError) as caught:
        provider.create(
            {"app_instance_arn": instance_arn, "app_instance_user_id": "alice", "name": "A", "adopt_id": missing}
        )
    assert str(caught.value) == f"adopt_id {missing} names no existing AppInstanceUser"


def test_user_of_a_deleted_app_instance_is_gone_even_when_aws_answers_forbidden(
    emulator: Emulator, chime: Any, instance_arn: str, settled: None
) -> None:
    arn, outs = make(instance_arn)
    emulator.configure(missing_error="ForbiddenException")
    chime.delete_app_instance(AppInstanceArn=instance_arn)
    start = log_position(emulator)
    assert provider.read(arn, outs).outs == {}
    # Describe is Forbidden, so is the parent's list; the AppInstance is not listed: gone.
    assert calls(emulator, start) == ["DescribeAppInstanceUser", "ListAppInstanceUsers", "ListAppInstances"]
    provider.delete(arn, outs)

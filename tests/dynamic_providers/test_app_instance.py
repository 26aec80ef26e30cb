"""AppInstanceProvider against the emulator: every method, drift, disappearance, adoption and faults."""

from __future__ import annotations

import base64
import re
import traceback
from typing import Any

import dill
import pytest
from pulumi.output import Unknown

from pulumi_chime_sdk_identity.dynamic_providers import (
    AdoptionError,
    ApiError,
    AppInstanceProvider,
    DataLossError,
    _aws,
    _config,
    _errors,
)
from pulumi_chime_sdk_identity.dynamic_providers._schema import UNKNOWN
from tests.dynamic_providers.support import as_engine_sends, by_path, calls, checked, log_position, new_command
from tests.support import Emulator

provider = AppInstanceProvider()


def make(**news: Any) -> tuple[str, dict[str, Any]]:
    created = provider.create(checked(provider, {"name": "app", **news}))
    return created.id, dict(created.outs or {})


def test_check_normalizes_and_defaults() -> None:
    inputs = checked(provider, {"name": "app", "tags": {"b": "2", "a": "1"}})
    assert inputs == {"name": "app", "metadata": "", "tags": {"a": "1", "b": "2"}}


def test_check_reports_each_bad_property_in_one_line() -> None:
    result = provider.check({}, {"name": "", "metadata": "é" * 513, "tags": {"aws:team": "x"}, "region": "us-west-2"})
    reasons = by_path(result)
    assert reasons == {
        "name": "name: must not be empty",
        "metadata": "metadata: must be at most 1024 bytes of UTF-8",
        "tags": "tags: tag key 'aws:team' uses the reserved prefix 'aws:'",
        "region": "region: Chime SDK Identity is only in us-east-1, eu-central-1, not 'us-west-2'",
    }
    assert all("\n" not in reason for reason in reasons.values())


def test_check_requires_name_and_limits_tags() -> None:
    assert [f.reason for f in provider.check({}, {}).failures] == ["name: Field required"]
    many = {f"k{i}": "v" for i in range(51)}
    assert (
        provider.check({}, {"name": "a", "tags": many}).failures[0].reason
        == "tags: at most 50 tags are allowed, got 51"
    )
    assert (
        provider.check({}, {"name": "a", "tags": {"k": ""}}).failures[0].reason
        == "tags: tag value of 'k' must not be empty"
    )


def test_check_lets_unknown_values_through() -> None:
    result = provider.check({}, {"name": Unknown(), "tags": {"team": UNKNOWN}})
    assert result.failures == []
    assert isinstance(result.inputs["name"], Unknown)


def test_create_is_one_call_with_tags_inside(emulator: Emulator, chime: Any) -> None:
    start = log_position(emulator)
    arn, outs = make(metadata="m", tags={"team": "chat"})
    assert calls(emulator, start) == ["CreateAppInstance"]
    assert outs["arn"] == arn
    assert outs["created_timestamp"].endswith("+00:00")
    assert chime.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "chat"}]


def test_read_matches_create_and_costs_two_calls(emulator: Emulator) -> None:
    arn, outs = make(tags={"a": "1"})
    start = log_position(emulator)
    result = provider.read(arn, as_engine_sends(outs))
    assert calls(emulator, start) == ["DescribeAppInstance", "ListTagsForResource"]
    assert result.id == arn
    assert result.outs == outs
    assert result.inputs == {"name": "app", "metadata": "", "tags": {"a": "1"}}


def test_diff_is_quiet_without_changes_and_exact_with_them(emulator: Emulator) -> None:
    arn, outs = make(tags={"a": "1", "b": "2"})
    start = log_position(emulator)
    same = checked(provider, {"name": "app", "tags": {"b": "2", "a": "1"}})
    assert provider.diff(arn, as_engine_sends(outs), same).changes is False
    renamed = provider.diff(arn, outs, {**same, "name": "new"})
    assert (renamed.changes, renamed.replaces, renamed.delete_before_replace) == (None, [], None)
    moved = provider.diff(arn, outs, {**same, "region": "eu-central-1", "force_destroy": True})
    assert moved.replaces == ["region"]
    written_out = provider.diff(arn, outs, {**same, "region": "us-east-1"})  # the region its ARN is in
    assert (written_out.changes, written_out.replaces) == (None, []), "recorded, nothing replaced"
    assert provider.diff(arn, {**outs, "region": "us-east-1"}, {**same, "region": "us-east-1"}).changes is False
    adopted = provider.diff(arn, outs, {**same, "adopt_id": "anything"})
    assert (adopted.changes, adopted.replaces) == (None, []), "recorded by an update without API calls"
    assert provider.diff(arn, outs, {**same, "name": Unknown()}).changes is None
    assert calls(emulator, start) == [], "diff makes no API calls"


def test_update_makes_only_the_calls_needed(emulator: Emulator, chime: Any) -> None:
    arn, outs = make(tags={"keep": "1", "drop": "2", "change": "3"})
    start = log_position(emulator)
    news = checked(provider, {"name": "app", "tags": {"keep": "1", "change": "4", "add": "5"}})
    updated = provider.update(arn, outs, news).outs
    assert calls(emulator, start) == ["UntagResource", "TagResource"]
    assert updated is not None
    assert updated["tags"] == {"add": "5", "change": "4", "keep": "1"}
    assert updated["arn"] == arn
    assert updated["last_updated_timestamp"] >= outs["last_updated_timestamp"]

    start = log_position(emulator)
    renamed = provider.update(arn, updated, {**news, "metadata": "m"}).outs
    assert calls(emulator, start) == ["UpdateAppInstance"]
    live = chime.describe_app_instance(AppInstanceArn=arn)["AppInstance"]
    assert (live["Name"], live["Metadata"]) == ("app", "m")
    assert renamed is not None
    assert renamed["metadata"] == "m"


def test_refresh_finds_drift_and_resets_inputs(chime: Any) -> None:
    arn, outs = make(metadata="m")
    chime.update_app_instance(AppInstanceArn=arn, Name="changed by hand", Metadata="m")
    chime.tag_resource(ResourceARN=arn, Tags=[{"Key": "hand", "Value": "made"}])
    result = provider.read(arn, outs)
    assert result.inputs == {"name": "changed by hand", "metadata": "m", "tags": {"hand": "made"}}
    assert result.outs is not None
    assert result.outs["last_updated_timestamp"] != outs["last_updated_timestamp"], "drift takes AWS's timestamps"
    # The next preview compares the program's inputs with the refreshed ones: a real, exact diff.
    program = checked(provider, {"name": "app", "metadata": "m"})
    assert provider.diff(arn, result.outs, program).changes is None


def test_vanished_resource_is_dropped_and_delete_is_idempotent(chime: Any, settled: None) -> None:
    arn, outs = make()
    chime.delete_app_instance(AppInstanceArn=arn)
    gone = provider.read(arn, outs)
    assert (gone.id, gone.outs) == (None, {})
    provider.delete(arn, outs)  # already gone: success


def test_forbidden_means_gone_only_when_the_list_agrees(emulator: Emulator, chime: Any, settled: None) -> None:
    arn, outs = make()
    emulator.configure(missing_error="ForbiddenException")
    assert provider.read(arn, outs).id == arn, "Forbidden on an existing resource is not taken as gone"
    chime.delete_app_instance(AppInstanceArn=arn)
    assert provider.read(arn, outs).id is None
    provider.delete(arn, outs)


def test_adopt_takes_over_and_converges(emulator: Emulator, chime: Any) -> None:
    existing = chime.create_app_instance(Name="by hand", Tags=[{"Key": "old", "Value": "1"}])["AppInstanceArn"]
    start = log_position(emulator)
    created = provider.create(checked(provider, {"name": "managed", "tags": {"new": "2"}, "adopt_id": existing}))
    assert created.id == existing
    assert calls(emulator, start) == [
        # check found what adopt_id names (preview refuses an adopt_id of nothing), then create
        "DescribeAppInstance",
        "ListTagsForResource",
        "DescribeAppInstance",
        "ListTagsForResource",
        "UpdateAppInstance",
        "UntagResource",
        "TagResource",
    ]
    assert chime.describe_app_instance(AppInstanceArn=existing)["AppInstance"]["Name"] == "managed"
    assert len(chime.list_app_instances()["AppInstances"]) == 1, "adoption creates nothing"


def test_adopt_of_nothing_fails_clearly() -> None:
    missing = "arn:aws:chime:us-east-1:123456789012:app-instance/nope"
    # preview refuses it, naming adopt_id; where preview could not tell, the create does
    with pytest.raises(
        AssertionError, match=re.escape(f"adopt_id: {missing} names no existing AppInstance. Correct it, or remove it")
    ):
        checked(provider, {"name": "x", "adopt_id": missing})
    with pytest.raises(AdoptionError, match=f"adopt_id {missing} names no existing AppInstance"):
        provider.create({"name": "x", "adopt_id": missing})


def test_failure_after_create_undoes_it(chime: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> dict[str, Any]:
        raise RuntimeError("output conversion failed")

    monkeypatch.setattr(AppInstanceProvider, "created_outputs", broken)
    with pytest.raises(RuntimeError):
        provider.create(checked(provider, {"name": "app"}))
    assert chime.list_app_instances()["AppInstances"] == [], "nothing is left orphaned"


def test_api_errors_are_one_short_line(emulator: Emulator) -> None:
    arn, outs = make()
    _config.configure({"chimesdkidentity:endpoint": emulator.url, "chimesdkidentity:maxAttempts": "2"})
    emulator.configure(error_rate=1.0)
    with pytest.raises(ApiError) as caught:
        provider.update(arn, outs, {**checked(provider, {"name": "new"})})
    message = str(caught.value)
    assert message.startswith(f"UpdateAppInstance failed for {arn}: ServiceUnavailableException:")
    assert "\n" not in message
    assert caught.value.__suppress_context__
    frames = [frame.name for frame in traceback.extract_tb(caught.value.__traceback__)]
    assert frames[-1] == "wrapper", "re-raised at the provider's surface: the CLI shows no internal frames"
    assert "call" not in frames


@pytest.mark.parametrize(
    "faults",
    [
        {"throttle_rate": 0.3},
        {"error_rate": 0.3},
        {"lost_response_rate": 0.5},
    ],
    ids=["throttling", "5xx", "lost-responses"],
)
def test_operations_succeed_once_under_faults(
    emulator: Emulator, chime: Any, faults: dict[str, float], monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.configure(seed=5, **faults)
    created = [make(tags={"n": str(i)}) for i in range(6)]
    for arn, outs in created:
        provider.update(arn, outs, checked(provider, {"name": "renamed", "tags": outs["tags"]}))
        assert provider.read(arn, outs).id == arn
    for arn, outs in created:
        provider.delete(arn, outs)
    injected = [r["fault"] for r in emulator.requests() if r["fault"]]
    emulator.configure(throttle_rate=0, error_rate=0, lost_response_rate=0)
    assert injected, "the faults really happened"
    assert chime.list_app_instances()["AppInstances"] == [], "no duplicates, nothing left behind"


def test_refresh_waits_for_a_new_resource_to_become_visible(emulator: Emulator) -> None:
    emulator.configure(consistency_delay_ms=1000)
    arn, outs = make()
    assert provider.read(arn, outs).id == arn


def test_provider_pickles_by_reference_with_no_state() -> None:
    pickled = dill.dumps(provider)
    assert len(pickled) < 200
    assert b"pulumi_chime_sdk_identity.dynamic_providers.app_instance" in pickled
    assert vars(provider) == {}
    assert base64.b64encode(pickled)


# -- data safety: an AppInstance holds the application's own users, bots, channels and messages ----------


LEX_ALIAS = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST"


def runtime_members(chime: Any, arn: str, users: int, bots: int = 0) -> None:
    """What the application makes at run time, outside the stack."""
    for index in range(users):
        chime.create_app_instance_user(AppInstanceArn=arn, AppInstanceUserId=f"end-user-{index}", Name="u")
    for index in range(bots):
        lex = {
            "LexBotAliasArn": "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST",
            "LocaleId": "en_US",
        }
        lex["RespondsTo"] = "STANDARD_MESSAGES"
        chime.create_app_instance_bot(AppInstanceArn=arn, Name=f"bot{index}", Configuration={"Lex": lex})


def test_force_destroy_is_a_strict_bool() -> None:
    assert checked(provider, {"name": "app", "force_destroy": True})["force_destroy"] is True
    for bad in ("true", 1, "yes"):
        assert by_path(provider.check({}, {"name": "app", "force_destroy": bad})) == {
            "force_destroy": "force_destroy: must be true or false"
        }


def test_delete_refuses_while_users_or_bots_the_stack_does_not_own_remain(emulator: Emulator, chime: Any) -> None:
    arn, outs = make()
    runtime_members(chime, arn, users=3, bots=1)
    start = log_position(emulator)
    with pytest.raises(DataLossError) as caught:
        provider.delete(arn, as_engine_sends(outs))
    message = str(caught.value)
    assert "still holds 3 users and 1 bot that this stack does not manage" in message
    assert "force_destroy=True" in message
    assert "nothing was deleted" in message
    assert calls(emulator, start) == ["ListAppInstanceUsers", "ListAppInstanceBots"], "reads only"
    assert len(chime.list_app_instance_users(AppInstanceArn=arn)["AppInstanceUsers"]) == 3


def test_delete_counts_every_page(emulator: Emulator, chime: Any) -> None:
    arn, outs = make()
    runtime_members(chime, arn, users=_aws.PAGE_SIZE + 2)
    with pytest.raises(DataLossError, match=f"holds {_aws.PAGE_SIZE + 2} users and 0 bots"):
        provider.delete(arn, outs)


def test_delete_with_force_destroy_deletes_everything(emulator: Emulator, chime: Any) -> None:
    arn, outs = make(force_destroy=True)
    runtime_members(chime, arn, users=2, bots=1)
    start = log_position(emulator)
    provider.delete(arn, as_engine_sends(outs))
    assert calls(emulator, start) == ["DeleteAppInstance"]
    assert chime.list_app_instances()["AppInstances"] == []


def test_an_empty_app_instance_is_deleted_without_the_setting(emulator: Emulator, chime: Any) -> None:
    arn, outs = make()
    provider.delete(arn, outs)
    assert chime.list_app_instances()["AppInstances"] == []


def test_setting_force_destroy_is_an_update_without_api_calls(emulator: Emulator) -> None:
    arn, outs = make()
    news = checked(provider, {"name": "app", "force_destroy": True}, outs)
    diff = provider.diff(arn, outs, news)
    assert (diff.changes, diff.replaces) == (None, [])
    start = log_position(emulator)
    updated = provider.update(arn, outs, news)
    assert calls(emulator, start) == []
    assert updated.outs is not None
    assert updated.outs["force_destroy"] is True


def test_a_region_change_is_refused_at_diff_unless_force_destroy(emulator: Emulator, chime: Any) -> None:
    arn, outs = make()
    start = log_position(emulator)
    with pytest.raises(DataLossError) as caught:
        provider.diff(arn, outs, {**checked(provider, {"name": "app", "region": "eu-central-1"}, outs)})
    message = str(caught.value)
    assert message.startswith("region: changing it to 'eu-central-1' replaces AppInstance")
    assert "force_destroy=True" in message
    assert "\n" not in message
    assert calls(emulator, start) == [], "refused before any API call"


def test_a_forced_replacement_deletes_the_old_app_instance_with_its_data(emulator: Emulator, chime: Any) -> None:
    arn, outs = make()
    runtime_members(chime, arn, users=2)
    news = checked(provider, {"name": "app", "region": "eu-central-1", "force_destroy": True}, outs)
    assert provider.diff(arn, outs, news).replaces == ["region"]
    provider.delete(arn, outs)  # the old half: its state does not set force_destroy, the new inputs do
    assert chime.list_app_instances()["AppInstances"] == []
    new_command()
    again = make()[0]
    runtime_members(chime, again, users=1)
    with pytest.raises(DataLossError):
        provider.delete(again, outs | {"arn": again})  # another command: that allowance does not carry over


def test_our_errors_reach_the_host_as_one_line() -> None:
    import sys
    import traceback as real
    import types

    host = types.ModuleType("fake_dynamic_host")
    host.DynamicResourceProviderServicer = object  # type: ignore[attr-defined]
    host._abort_with_traceback = None  # type: ignore[attr-defined]
    host.traceback = real  # type: ignore[attr-defined]
    sys.modules[host.__name__] = host
    try:
        _errors.one_line_in_host()
        _errors.one_line_in_host()  # idempotent
        try:
            raise DataLossError("refused, and why")
        except DataLossError:
            assert host.traceback.format_exc() == "refused, and why"  # type: ignore[attr-defined]
        try:
            raise KeyError("a bug")
        except KeyError:
            assert host.traceback.format_exc().startswith("Traceback")  # type: ignore[attr-defined]
    finally:
        del sys.modules[host.__name__]

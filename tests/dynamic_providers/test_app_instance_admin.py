"""AppInstanceAdminProvider against the emulator: composite IDs, replace-only inputs, demotion and adoption."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_chime_sdk_identity.dynamic_providers import AdoptionError, ApiError, AppInstanceAdminProvider, _aws
from pulumi_chime_sdk_identity.dynamic_providers._schema import service_model
from tests.dynamic_providers.support import as_engine_sends, by_path, calls, checked, log_position, rechecked
from tests.support import LEX_ALIAS, Emulator

provider = AppInstanceAdminProvider()
ARN_PATTERN = service_model().shape_for("ChimeArn").metadata["pattern"]


@pytest.fixture
def user_arn(chime: Any, instance_arn: str) -> str:
    return str(
        chime.create_app_instance_user(AppInstanceArn=instance_arn, AppInstanceUserId="alice", Name="Alice")[
            "AppInstanceUserArn"
        ]
    )


def make(instance_arn: str, admin_arn: str, **news: Any) -> tuple[str, dict[str, Any]]:
    created = provider.create(checked(provider, {"app_instance_arn": instance_arn, "admin_arn": admin_arn, **news}))
    return created.id, dict(created.outs or {})


def test_check_keeps_inputs_as_given(instance_arn: str, user_arn: str) -> None:
    assert checked(provider, {"app_instance_arn": instance_arn, "admin_arn": user_arn}) == {
        "app_instance_arn": instance_arn,
        "admin_arn": user_arn,
    }
    # 0.1's output admin_name is no input: a key no model declares is refused, not silently dropped
    result = provider.check({}, {"app_instance_arn": instance_arn, "admin_arn": user_arn, "admin_name": "x"})
    assert [(f.property, f.reason) for f in result.failures] == [
        ("", "admin_name: unknown key; did you mean admin_arn?")
    ]


def test_check_reports_each_bad_property_in_one_line() -> None:
    result = provider.check({}, {"app_instance_arn": "app", "admin_arn": "arn:aws:chime:us-east-1:1:/user"})
    reasons = by_path(result)
    assert reasons == {
        "app_instance_arn": "app_instance_arn: must be at least 5 characters",
        "admin_arn": f"admin_arn: must match the pattern {ARN_PATTERN}",
    }
    assert [f.reason for f in provider.check({}, {}).failures] == [
        "app_instance_arn: Field required",
        "admin_arn: Field required",
    ]
    assert provider.check({}, {"app_instance_arn": Unknown(), "admin_arn": Unknown()}).failures == []


def test_create_is_one_call_and_the_id_is_instance_bar_admin(
    emulator: Emulator, chime: Any, instance_arn: str, user_arn: str
) -> None:
    start = log_position(emulator)
    admin_id, outs = make(instance_arn, user_arn)
    # check reads the one ID a new admin takes (so preview refuses a clash); the create is one call
    assert calls(emulator, start) == ["DescribeAppInstanceAdmin", "CreateAppInstanceAdmin"]
    assert admin_id == f"{instance_arn}|{user_arn}"
    # No copy of the user's name: it would go stale when the user is renamed.
    assert outs == {
        "app_instance_arn": instance_arn,
        "admin_arn": user_arn,
        "created_timestamp": outs["created_timestamp"],
    }
    assert outs["created_timestamp"].endswith("+00:00")
    admins = chime.list_app_instance_admins(AppInstanceArn=instance_arn)["AppInstanceAdmins"]
    assert admins == [{"Admin": {"Arn": user_arn, "Name": "Alice"}}]


def test_a_bot_can_be_admin(chime: Any, instance_arn: str) -> None:
    bot_arn = chime.create_app_instance_bot(
        AppInstanceArn=instance_arn,
        Name="helper",
        Configuration={"Lex": {"LexBotAliasArn": LEX_ALIAS, "LocaleId": "x"}},
    )["AppInstanceBotArn"]
    admin_id, _ = make(instance_arn, bot_arn)
    assert admin_id == f"{instance_arn}|{bot_arn}"
    assert chime.list_app_instance_admins(AppInstanceArn=instance_arn)["AppInstanceAdmins"] == [
        {"Admin": {"Arn": bot_arn, "Name": "helper"}}
    ]


def test_read_matches_create_and_costs_one_call(emulator: Emulator, instance_arn: str, user_arn: str) -> None:
    admin_id, outs = make(instance_arn, user_arn)
    start = log_position(emulator)
    result = provider.read(admin_id, as_engine_sends(outs))
    assert calls(emulator, start) == ["DescribeAppInstanceAdmin"]
    assert result.id == admin_id
    assert result.outs == outs
    assert result.inputs == {"app_instance_arn": instance_arn, "admin_arn": user_arn}


def test_diff_replaces_everything_and_makes_no_calls(
    emulator: Emulator, chime: Any, instance_arn: str, user_arn: str
) -> None:
    admin_id, outs = make(instance_arn, user_arn)
    bob = chime.create_app_instance_user(AppInstanceArn=instance_arn, AppInstanceUserId="bob", Name="Bob")
    start = log_position(emulator)
    same = rechecked(provider, outs, {"app_instance_arn": instance_arn, "admin_arn": user_arn})
    assert provider.diff(admin_id, as_engine_sends(outs), same).changes is False
    other = provider.diff(admin_id, outs, {**same, "admin_arn": bob["AppInstanceUserArn"]})
    assert (other.changes, other.replaces, other.delete_before_replace) == (None, ["admin_arn"], True)
    moved = provider.diff(admin_id, outs, {**same, "app_instance_arn": instance_arn + "x"})
    assert (moved.changes, moved.replaces, moved.delete_before_replace) == (None, ["app_instance_arn"], True)
    adopted = provider.diff(admin_id, outs, {**same, "adopt_id": "anything"})
    assert (adopted.changes, adopted.replaces) == (None, []), "recorded by an update without API calls"
    assert provider.diff(admin_id, outs, {**same, "admin_arn": Unknown()}).replaces == ["admin_arn"]
    assert calls(emulator, start) == [], "diff makes no API calls"


def test_update_has_nothing_to_call(emulator: Emulator, instance_arn: str, user_arn: str) -> None:
    admin_id, outs = make(instance_arn, user_arn)
    start = log_position(emulator)
    news = rechecked(provider, outs, {"app_instance_arn": instance_arn, "admin_arn": user_arn, "adopt_id": admin_id})
    updated = provider.update(admin_id, outs, news).outs
    assert calls(emulator, start) == []
    assert updated == {**outs, "adopt_id": admin_id}


def test_refresh_is_quiet_when_the_user_is_renamed(chime: Any, instance_arn: str, user_arn: str) -> None:
    admin_id, outs = make(instance_arn, user_arn)
    chime.update_app_instance_user(AppInstanceUserArn=user_arn, Name="Alicia", Metadata="")
    result = provider.read(admin_id, outs)
    assert result.outs == outs
    assert result.inputs == {"app_instance_arn": instance_arn, "admin_arn": user_arn}


def test_demoted_admin_is_dropped_and_delete_is_idempotent(
    emulator: Emulator, chime: Any, instance_arn: str, user_arn: str, settled: None
) -> None:
    admin_id, outs = make(instance_arn, user_arn)
    chime.delete_app_instance_admin(AppInstanceArn=instance_arn, AppInstanceAdminArn=user_arn)
    gone = provider.read(admin_id, outs)
    assert (gone.id, gone.outs) == (None, {})
    start = log_position(emulator)
    provider.delete(admin_id, outs)
    assert calls(emulator, start) == ["DeleteAppInstanceAdmin"]


def test_forbidden_means_gone_only_when_the_list_agrees(
    emulator: Emulator, chime: Any, instance_arn: str, user_arn: str, settled: None
) -> None:
    admin_id, outs = make(instance_arn, user_arn)
    emulator.configure(missing_error="ForbiddenException")
    assert provider.read(admin_id, outs).id == admin_id
    chime.delete_app_instance_admin(AppInstanceArn=instance_arn, AppInstanceAdminArn=user_arn)
    start = log_position(emulator)
    assert provider.read(admin_id, outs).outs == {}
    provider.delete(admin_id, outs)
    assert calls(emulator, start) == [
        "DescribeAppInstanceAdmin",
        "ListAppInstanceAdmins",
        "DeleteAppInstanceAdmin",
        "ListAppInstanceAdmins",
    ]


def test_delete_only_demotes(emulator: Emulator, chime: Any, instance_arn: str, user_arn: str) -> None:
    admin_id, outs = make(instance_arn, user_arn)
    start = log_position(emulator)
    provider.delete(admin_id, outs)
    assert calls(emulator, start) == ["DeleteAppInstanceAdmin"]
    assert chime.list_app_instance_admins(AppInstanceArn=instance_arn)["AppInstanceAdmins"] == []
    assert chime.describe_app_instance_user(AppInstanceUserArn=user_arn)["AppInstanceUser"]["Name"] == "Alice"


def test_delete_after_the_app_instance_was_deleted_succeeds(
    chime: Any, instance_arn: str, user_arn: str, settled: None
) -> None:
    admin_id, outs = make(instance_arn, user_arn)
    chime.delete_app_instance(AppInstanceArn=instance_arn)
    assert provider.read(admin_id, outs).outs == {}
    provider.delete(admin_id, outs)


def test_existing_admin_asks_for_adoption_with_the_exact_id(
    emulator: Emulator, chime: Any, instance_arn: str, user_arn: str
) -> None:
    chime.create_app_instance_admin(AppInstanceArn=instance_arn, AppInstanceAdminArn=user_arn)
    start = log_position(emulator)
    result = provider.check({}, {"app_instance_arn": instance_arn, "admin_arn": user_arn})
    admin_id = f"{instance_arn}|{user_arn}"
    [failure] = result.failures
    assert failure.property == ""  # admin_arn can hold a user id (sensitive): named in the reason only
    assert failure.reason.startswith(f"admin_arn: AppInstanceAdmin {admin_id} already exists. If you renamed")
    assert f'set adopt_id="{admin_id}"' in failure.reason
    assert calls(emulator, start) == ["DescribeAppInstanceAdmin"]
    with pytest.raises(AdoptionError) as caught:
        provider.create(result.inputs)
    assert str(caught.value) == failure.reason.removeprefix("admin_arn: ")


def test_promoting_a_stranger_is_an_api_error(chime: Any, instance_arn: str) -> None:
    other = chime.create_app_instance(Name="other")["AppInstanceArn"]
    stranger = chime.create_app_instance_user(AppInstanceArn=other, AppInstanceUserId="eve", Name="Eve")
    # Refused at check (test_a_user_of_another_app_instance_is_refused_at_check); the API refuses it too.
    with pytest.raises(ApiError) as caught:
        provider.create({"app_instance_arn": instance_arn, "admin_arn": stranger["AppInstanceUserArn"]})
    assert (caught.value.operation, caught.value.code) == ("CreateAppInstanceAdmin", "BadRequestException")


def test_adopt_takes_over_without_changes(emulator: Emulator, chime: Any, instance_arn: str, user_arn: str) -> None:
    chime.create_app_instance_admin(AppInstanceArn=instance_arn, AppInstanceAdminArn=user_arn)
    admin_id = f"{instance_arn}|{user_arn}"
    start = log_position(emulator)
    created = provider.create(
        checked(provider, {"app_instance_arn": instance_arn, "admin_arn": user_arn, "adopt_id": admin_id})
    )
    assert calls(emulator, start) == ["DescribeAppInstanceAdmin"]
    assert created.id == admin_id
    outs = created.outs or {}
    assert outs["adopt_id"] == admin_id
    assert outs["created_timestamp"].endswith("+00:00")


def test_adopt_id_must_match_the_inputs(emulator: Emulator, chime: Any, instance_arn: str, user_arn: str) -> None:
    bob = chime.create_app_instance_user(AppInstanceArn=instance_arn, AppInstanceUserId="bob", Name="Bob")
    chime.create_app_instance_admin(AppInstanceArn=instance_arn, AppInstanceAdminArn=bob["AppInstanceUserArn"])
    bob_id = f"{instance_arn}|{bob['AppInstanceUserArn']}"
    start = log_position(emulator)
    result = provider.check({}, {"app_instance_arn": instance_arn, "admin_arn": user_arn, "adopt_id": bob_id})
    assert [f.reason for f in result.failures] == [
        f"adopt_id: {bob_id} does not match the inputs, which describe {instance_arn}|{user_arn}"
    ]
    with pytest.raises(AdoptionError) as caught:
        provider.create(result.inputs)
    assert str(caught.value) == (
        f"adopt_id {bob_id} does not match the inputs, which describe {instance_arn}|{user_arn}"
    )
    assert calls(emulator, start) == []


def test_adopt_of_an_admin_role_not_there_promotes(
    emulator: Emulator, chime: Any, instance_arn: str, user_arn: str
) -> None:
    # An admin role has no identity beyond its inputs: the one to adopt is the one to create (an adopted
    # user's admin flag in a MessagingApp, whether the user was admin yet or not).
    admin_id = f"{instance_arn}|{user_arn}"
    start = log_position(emulator)
    assert make(instance_arn, user_arn, adopt_id=admin_id)[0] == admin_id
    assert calls(emulator, start) == ["DescribeAppInstanceAdmin", "CreateAppInstanceAdmin"]
    admins = chime.list_app_instance_admins(AppInstanceArn=instance_arn)["AppInstanceAdmins"]
    assert [admin["Admin"]["Arn"] for admin in admins] == [user_arn]


def test_create_survives_a_lost_response_without_a_token(emulator: Emulator, chime: Any, instance_arn: str) -> None:
    # CreateAppInstanceAdmin takes no ClientRequestToken: after a lost response botocore's retry meets
    # the admin the first attempt made (ConflictException). That is our own create, read back.
    users = [
        chime.create_app_instance_user(AppInstanceArn=instance_arn, AppInstanceUserId=f"u{i}", Name="U")[
            "AppInstanceUserArn"
        ]
        for i in range(8)
    ]
    emulator.configure(lost_response_rate=0.5, seed=4)
    created = [provider.create(checked(provider, {"app_instance_arn": instance_arn, "admin_arn": u})) for u in users]
    emulator.configure(lost_response_rate=0)
    assert [c.id for c in created] == [f"{instance_arn}|{u}" for u in users]
    assert any(r["fault"] == "LostResponse" and r["operation"] == "CreateAppInstanceAdmin" for r in emulator.requests())
    assert len(chime.list_app_instance_admins(AppInstanceArn=instance_arn)["AppInstanceAdmins"]) == 8
    assert all(c.outs and c.outs["admin_arn"] in users for c in created)


def test_a_conflict_on_the_first_attempt_still_asks_for_adoption(chime: Any, instance_arn: str) -> None:
    user = chime.create_app_instance_user(AppInstanceArn=instance_arn, AppInstanceUserId="u", Name="U")
    chime.create_app_instance_admin(AppInstanceArn=instance_arn, AppInstanceAdminArn=user["AppInstanceUserArn"])
    inputs = {"app_instance_arn": instance_arn, "admin_arn": user["AppInstanceUserArn"]}
    with pytest.raises(AdoptionError, match="To manage one made outside this stack, set adopt_id="):
        provider.create(inputs)  # as when check could not tell (no credentials at preview)


def test_create_survives_a_lost_response_then_throttling(
    emulator: Emulator, chime: Any, instance_arn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # botocore's retry of the lost response is throttled (a 429 it does not retry); Api.call's own retry is
    # a new botocore call whose ConflictException has RetryAttempts 0. It still meets our own first attempt.
    monkeypatch.setattr(_aws, "_clients", {})  # a fresh client: botocore's retry quota is per client
    users = [
        chime.create_app_instance_user(AppInstanceArn=instance_arn, AppInstanceUserId=f"u{i}", Name="U")[
            "AppInstanceUserArn"
        ]
        for i in range(8)
    ]
    emulator.configure(lost_response_rate=0.4, throttle_rate=0.3, seed=1)
    created = [provider.create(checked(provider, {"app_instance_arn": instance_arn, "admin_arn": u})) for u in users]
    emulator.configure(lost_response_rate=0, throttle_rate=0)
    faults = [r["fault"] for r in emulator.requests() if r["operation"] == "CreateAppInstanceAdmin"]
    assert ("LostResponse", "ThrottledClientException") in itertools.pairwise(faults)
    assert [c.id for c in created] == [f"{instance_arn}|{u}" for u in users]

"""A create whose answers are lost until its retries run out, for every resource kind, against the emulator.

The emulator applies each create and then loses its answer (a 500); with ``maxAttempts`` 2 botocore's one retry
is lost too, so the create fails although AWS has the resource. The provider must settle it: send the same
request again (same ClientRequestToken) and keep what the first attempt made, recorded as created, without a
duplicate and without anything left outside the state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from pulumi_chime_sdk_identity import dynamic_providers as providers
from pulumi_chime_sdk_identity.dynamic_providers import _aws, _config, _provider
from pulumi_chime_sdk_identity.dynamic_providers._errors import ApiError, UnsettledCreateError
from pulumi_chime_sdk_identity.dynamic_providers._provider import ChimeProvider
from tests.dynamic_providers.support import checked, log_position
from tests.support import LEX_ALIAS, PINPOINT_APP, Emulator, faulted, retries_run_out
from tools.harness.soak import inventory

LOST = "lost_response_rate"
FAILED = "error_rate"


@dataclass(frozen=True)
class Kind:
    provider: ChimeProvider
    operation: str
    table: str
    inputs: Callable[[str, str], dict[str, Any]]  # (AppInstance ARN, user ARN) -> the resource's inputs

    @property
    def exhausted(self) -> list[str]:
        return retries_run_out(self.operation)

    @property
    def retry_fault(self) -> str:
        return self.exhausted[1]


KINDS = [
    Kind(
        providers.AppInstanceProvider(),
        "CreateAppInstance",
        "app_instances",
        lambda app, user: {"name": "new", "tags": {"a": "1"}},
    ),
    Kind(
        providers.AppInstanceUserProvider(),
        "CreateAppInstanceUser",
        "users",
        lambda app, user: {"app_instance_arn": app, "app_instance_user_id": "bob", "name": "Bob"},
    ),
    Kind(
        providers.AppInstanceBotProvider(),
        "CreateAppInstanceBot",
        "bots",
        lambda app, user: {
            "app_instance_arn": app,
            "name": "helper",
            "configuration": {"lex": {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}},
        },
    ),
    Kind(
        providers.AppInstanceAdminProvider(),
        "CreateAppInstanceAdmin",
        "admins",
        lambda app, user: {"app_instance_arn": app, "admin_arn": user},
    ),
    Kind(
        providers.AppInstanceUserEndpointProvider(),
        "RegisterAppInstanceUserEndpoint",
        "endpoints",
        lambda app, user: {
            "app_instance_user_arn": user,
            "type": "GCM",
            "resource_arn": PINPOINT_APP,
            "endpoint_attributes": {"device_token": "device-token-0123456789"},
        },
    ),
    Kind(
        providers.AppInstanceRetentionSettingsProvider(),
        "PutAppInstanceRetentionSettings",
        "retention",
        lambda app, user: {"app_instance_arn": app, "channel_retention_days": 30},
    ),
]
IDS = [kind.operation for kind in KINDS]


def stack_config(emulator: Emulator) -> dict[str, str]:
    return {
        "chimesdkidentity:endpoint": emulator.url,
        "chimesdkidentity:region": "us-east-1",
        "chimesdkidentity:maxAttempts": "2",
    }


@pytest.fixture(autouse=True)
def two_attempts(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """maxAttempts 2, the setting under which a lost answer and a lost retry exhaust the retries."""
    _config.configure(stack_config(emulator))
    monkeypatch.setattr(_provider, "CREATE_SETTLE_DELAY_SECONDS", 0.0)
    monkeypatch.setattr(_aws, "_clients", {})  # a fresh client: botocore's retry quota is per client


@pytest.fixture
def parents(chime: Any) -> tuple[str, str]:
    app = chime.create_app_instance(Name="parent")["AppInstanceArn"]
    user = chime.create_app_instance_user(AppInstanceArn=app, AppInstanceUserId="alice", Name="Alice")
    return str(app), str(user["AppInstanceUserArn"])


def live(emulator: Emulator, table: str) -> list[str]:
    return inventory(emulator.server)[table]


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_a_create_whose_retries_ran_out_is_settled_and_kept(
    kind: Kind, emulator: Emulator, parents: tuple[str, str]
) -> None:
    inputs = checked(kind.provider, kind.inputs(*parents))
    before = set(live(emulator, kind.table))
    start = log_position(emulator)
    with faulted(emulator, kind.operation, kind.exhausted):
        created = kind.provider.create(inputs)
    log = [(r["operation"], r["fault"] or r["error"]) for r in emulator.requests(start)]
    # The first attempt took effect, botocore's one retry failed too: retries ran out. Then the same request
    # again answered with what the first attempt made (a ConflictException for the admin, read back).
    retry = "LostResponse" if kind.retry_fault == LOST else "ServiceUnavailableException"
    assert log[:2] == [(kind.operation, "LostResponse"), (kind.operation, retry)], log
    assert log[2][0] == kind.operation, log
    new = set(live(emulator, kind.table)) - before
    if kind.table == "retention":
        assert live(emulator, kind.table) == [created.id]  # set, once: it has no second copy to make
    else:
        assert new == {created.id}, "exactly one, and it is the one recorded"
    assert created.outs is not None
    assert {key: created.outs[key] for key in inputs} == inputs
    read = kind.provider.read(created.id, created.outs)
    assert read.id == created.id
    assert read.inputs is not None
    assert {key: read.inputs.get(key) for key in inputs} == inputs, "what was kept is what the inputs declare"


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_a_create_that_cannot_be_settled_says_it_may_have_taken_effect(
    kind: Kind, emulator: Emulator, parents: tuple[str, str]
) -> None:
    inputs = checked(kind.provider, kind.inputs(*parents))
    start = log_position(emulator)
    attempts = 2 + _provider.CREATE_SETTLE_ATTEMPTS * 2  # 2, then each settling try makes 2
    faults = [LOST, *[kind.retry_fault] * (attempts - 1)]
    with faulted(emulator, kind.operation, faults), pytest.raises(UnsettledCreateError) as caught:
        kind.provider.create(inputs)
    message = str(caught.value)
    assert message.startswith(f"{kind.operation} for ")
    assert "may have taken effect" in message
    assert "README, Troubleshooting" in message
    assert "\n" not in message
    assert [r["operation"] for r in emulator.requests(start)] == [kind.operation] * attempts


def test_throttling_without_progress_fails_after_the_stall_time_with_nothing_made(
    emulator: Emulator, parents: tuple[str, str]
) -> None:
    # Throttling (429) is answered before anything happens: once no call of the operation has got through for
    # throttleStallSeconds, the create fails as throttled, nothing to settle, nothing made.
    _config.configure({**stack_config(emulator), "chimesdkidentity:throttleStallSeconds": "1"})
    provider = providers.AppInstanceUserProvider()
    inputs = checked(provider, KINDS[1].inputs(*parents))
    emulator.configure(throttle_rate=1.0)
    start = log_position(emulator)
    with pytest.raises(ApiError) as caught:
        provider.create(inputs)
    emulator.configure(throttle_rate=0.0)
    assert caught.value.code == "ThrottledClientException"
    assert not caught.value.may_have_applied
    sent = [r["operation"] for r in emulator.requests(start)]
    assert len(sent) > 2, "retried past maxAttempts (2) while the stall time lasted"
    assert set(sent) == {"CreateAppInstanceUser"}
    assert live(emulator, "users") == [parents[1]]


def test_throttled_calls_do_not_count_against_max_attempts(emulator: Emulator, parents: tuple[str, str]) -> None:
    # maxAttempts 1 and a third of the calls throttled: every create goes through, each exactly once.
    _config.configure({**stack_config(emulator), "chimesdkidentity:maxAttempts": "1"})
    provider = providers.AppInstanceUserProvider()
    app = parents[0]
    emulator.configure(throttle_rate=0.35, seed=4)
    start = log_position(emulator)
    for i in range(12):
        provider.create(checked(provider, {"app_instance_arn": app, "app_instance_user_id": f"t{i}", "name": "T"}))
    emulator.configure(throttle_rate=0.0)
    faults = [r["fault"] for r in emulator.requests(start)]
    assert "ThrottledClientException" in faults
    assert sorted(live(emulator, "users")) == sorted([parents[1], *(f"{app}/user/t{i}" for i in range(12))])


def test_a_5xx_that_was_not_applied_is_settled_by_creating_once(emulator: Emulator, parents: tuple[str, str]) -> None:
    # A 503 tells nothing of whether the request landed: the settling request creates the user, once.
    provider = providers.AppInstanceUserProvider()
    inputs = checked(provider, KINDS[1].inputs(*parents))
    start = log_position(emulator)
    with faulted(emulator, "CreateAppInstanceUser", [FAILED, FAILED]):
        created = provider.create(inputs)
    assert [r["fault"] or r["status"] for r in emulator.requests(start)] == [
        "ServiceUnavailableException",
        "ServiceUnavailableException",
        201,
    ]
    assert sorted(live(emulator, "users")) == sorted([parents[1], created.id])

"""Each injected fault, observed by a boto3 client; determinism under a seed."""

from __future__ import annotations

import time
from typing import Any

import botocore.exceptions
import pytest

from pulumi_chime_sdk_identity.emulator import FaultConfig, FaultInjector


def test_throttling_answers_429(emulator: Any, raw_chime: Any) -> None:
    emulator.configure(throttle_rate=1.0)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        raw_chime.list_app_instances()
    assert caught.value.response["Error"]["Code"] == "ThrottledClientException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert emulator.requests()[-1]["fault"] == "ThrottledClientException"


def test_error_rate_answers_503(emulator: Any, raw_chime: Any) -> None:
    emulator.configure(error_rate=1.0)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        raw_chime.list_app_instances()
    assert caught.value.response["Error"]["Code"] == "ServiceUnavailableException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_lost_response_takes_effect_then_answers_500(emulator: Any, raw_chime: Any) -> None:
    emulator.configure(lost_response_rate=1.0)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        raw_chime.create_app_instance(Name="lost", ClientRequestToken="tok-lost")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert caught.value.response["Error"]["Code"] == "ServiceFailureException"
    emulator.configure(lost_response_rate=0.0)
    assert [a["Name"] for a in raw_chime.list_app_instances()["AppInstances"]] == ["lost"]


def test_retried_create_after_lost_response_creates_once(emulator: Any) -> None:
    # botocore fills ClientRequestToken once and reuses it on its retries, so the replay is idempotent.
    client = emulator.client(retries={"max_attempts": 10, "mode": "standard"})
    emulator.configure(lost_response_rate=0.5, seed=7)
    arns = [client.create_app_instance(Name=f"app{i}")["AppInstanceArn"] for i in range(10)]
    emulator.configure(lost_response_rate=0.0)
    assert sorted(a["AppInstanceArn"] for a in client.list_app_instances()["AppInstances"]) == sorted(arns)
    lost = [r for r in emulator.requests() if r["fault"] == "LostResponse"]
    assert lost, "the seed must have produced at least one lost response"


def test_retries_survive_throttling_and_errors(emulator: Any) -> None:
    # Legacy mode retries any 429; standard/adaptive skip the modeled, non-retryable ThrottledClientException.
    client = emulator.client(retries={"max_attempts": 20, "mode": "legacy"})
    emulator.configure(throttle_rate=0.3, error_rate=0.2, seed=3)
    for i in range(10):
        client.create_app_instance(Name=f"app{i}")
    faults = [r["fault"] for r in emulator.requests() if r["fault"]]
    assert "ThrottledClientException" in faults
    assert "ServiceUnavailableException" in faults
    emulator.configure(throttle_rate=0.0, error_rate=0.0)
    assert len(client.list_app_instances()["AppInstances"]) == 10


def test_latency_is_added(emulator: Any, chime: Any) -> None:
    emulator.configure(latency_ms=60)
    started = time.perf_counter()
    chime.list_app_instances()
    assert time.perf_counter() - started >= 0.06


def test_same_seed_gives_same_faults() -> None:
    def draw(seed: int) -> list[str | None]:
        injector = FaultInjector(FaultConfig(throttle_rate=0.3, error_rate=0.3, seed=seed))
        return [None if (e := injector.before()) is None else e.shape_name for _ in range(50)]

    assert draw(11) == draw(11)
    assert draw(11) != draw(12)


def test_fault_options_are_checked(emulator: Any) -> None:
    with pytest.raises(ValueError, match="throttle_rate must be between 0 and 1"):
        FaultConfig(throttle_rate=1.5)
    with pytest.raises(ValueError, match="unknown fault options: bogus"):
        FaultInjector().update({"bogus": 1})
    with pytest.raises(Exception, match="400"):
        emulator.configure(missing_error="Teapot")

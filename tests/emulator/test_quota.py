"""Quota mode: the token buckets on a clock the test moves, then the 429 as boto3 sees it over HTTP."""

from __future__ import annotations

import threading
from typing import Any

import botocore.exceptions
import pytest

from pulumi_chime_sdk_identity.emulator import (
    DEFAULT_QUOTA_BURST,
    DEFAULT_QUOTA_RATE,
    DEFAULT_QUOTA_RATES,
    QuotaConfig,
    QuotaLimiter,
    service_model,
)
from pulumi_chime_sdk_identity.emulator._cli import build_parser, quota_config
from tests.support import Emulator
from tools.harness.emulator_process import EmulatorProcess, chime_client

ACCOUNT, OTHER_ACCOUNT = "123456789012", "111111111111"
REGION, OTHER_REGION = "us-east-1", "eu-central-1"
CREATE_USER = "CreateAppInstanceUser"


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def limiter(rate: float = 0.5, burst: float = 2, **rates: float) -> tuple[QuotaLimiter, Clock]:
    clock = Clock()
    config = QuotaConfig(quota=True, quota_default_rate=rate, quota_burst=burst, quota_rates=rates)
    return QuotaLimiter(config, clock=clock), clock


def admitted(quota: QuotaLimiter, calls: int, operation: str = CREATE_USER, **where: str) -> list[bool]:
    account, region = where.get("account", ACCOUNT), where.get("region", REGION)
    return [quota.admit(account, region, operation) for _ in range(calls)]


# -- the buckets --------------------------------------------------------------------------------


def test_burst_then_continuous_refill() -> None:
    quota, clock = limiter(rate=0.5, burst=2)
    assert admitted(quota, 3) == [True, True, False]
    clock.now += 1.0  # half a token
    assert admitted(quota, 1) == [False]
    clock.now += 1.0  # the second half: one token
    assert admitted(quota, 2) == [True, False]
    clock.now += 1000.0  # a long pause fills the bucket to its capacity, no more
    assert admitted(quota, 3) == [True, True, False]
    assert quota.throttled() == {CREATE_USER: 4}


def test_accounts_regions_and_operations_have_buckets_of_their_own() -> None:
    quota, _ = limiter(rate=0.5, burst=2)
    assert admitted(quota, 3) == [True, True, False]
    assert admitted(quota, 3, account=OTHER_ACCOUNT) == [True, True, False]
    assert admitted(quota, 3, region=OTHER_REGION) == [True, True, False]
    assert admitted(quota, 3, "ListAppInstanceUsers") == [True, True, False]
    assert quota.throttled() == {CREATE_USER: 3, "ListAppInstanceUsers": 1}


def test_an_operations_own_rate_overrides_the_default() -> None:
    quota, clock = limiter(rate=0.5, burst=2, CreateAppInstanceUser=4)
    admitted(quota, 2)
    admitted(quota, 2, "DeleteAppInstanceUser")
    clock.now += 0.5
    assert admitted(quota, 3) == [True, True, False]  # 4/s for 0.5 s: two tokens
    assert admitted(quota, 1, "DeleteAppInstanceUser") == [False]  # 0.5/s for 0.5 s: a quarter
    assert quota.config.rate(CREATE_USER) == 4.0
    assert quota.config.rate("DeleteAppInstanceUser") == 0.5


def test_concurrent_callers_share_one_bucket_exactly() -> None:
    quota, _ = limiter(rate=1.0, burst=50)  # the clock stands still: exactly 50 tokens, whoever asks
    results: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        mine = admitted(quota, 25)
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 50
    assert quota.throttled() == {CREATE_USER: 8 * 25 - 50}


def test_off_admits_everything_and_configure_refills() -> None:
    quota, _ = limiter(rate=0.5, burst=2)
    admitted(quota, 3)
    quota.configure(quota.config)
    assert quota.throttled() == {}
    assert admitted(quota, 2) == [True, True]
    quota.configure(QuotaConfig())
    assert all(admitted(quota, 100))
    assert quota.throttled() == {}


def test_the_default_table_covers_every_operation_of_the_model() -> None:
    assert set(DEFAULT_QUOTA_RATES) == set(service_model().operation_names)
    assert set(DEFAULT_QUOTA_RATES.values()) == {DEFAULT_QUOTA_RATE} == {10.0}
    config = QuotaConfig(quota=True)
    assert config.quota_burst == DEFAULT_QUOTA_BURST == 10.0
    assert {config.rate(name) for name in DEFAULT_QUOTA_RATES} == {10.0}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"quota_rates": {"CreateAppInstanceUsr": 1}},
            "'CreateAppInstanceUsr' is not an operation.*CreateAppInstanceUser",
        ),
        ({"quota_rates": {CREATE_USER: 0}}, r"quota_rates\[CreateAppInstanceUser\] must be a positive number"),
        ({"quota_default_rate": -1}, "quota_default_rate must be a positive number of requests per second"),
        ({"quota_burst": 0.5}, "quota_burst must be a number of requests, at least 1"),
        ({"quota": "yes"}, "quota must be true or false"),
        ({"quota_rates": [CREATE_USER]}, "quota_rates must be a map of operation name to rate"),
    ],
)
def test_bad_options_are_refused_naming_the_option(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        QuotaConfig(**options)


# -- over HTTP, as boto3 sees it ------------------------------------------------------------------


@pytest.fixture
def quota(emulator: Emulator) -> Emulator:
    """The emulator in quota mode: burst 2, one call per 2 s after it (refill cannot hide a throttle)."""
    emulator.configure(quota=True, quota_default_rate=0.5, quota_burst=2)
    return emulator


def test_over_rate_create_is_answered_429_and_takes_no_effect(quota: Emulator) -> None:
    chime = quota.client(retries={"max_attempts": 1, "mode": "standard"})
    app = chime.create_app_instance(Name="app")["AppInstanceArn"]
    for user_id in ("u1", "u2"):
        chime.create_app_instance_user(AppInstanceArn=app, AppInstanceUserId=user_id, Name=user_id)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        chime.create_app_instance_user(AppInstanceArn=app, AppInstanceUserId="u3", Name="u3")

    response = caught.value.response
    assert response["Error"] == {"Code": "ThrottledClientException", "Message": "Rate exceeded"}
    assert response["Code"] == "Throttled"  # the body's Code member: the model's ErrorCode enum
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == "ThrottledClientException"
    assert sorted(quota.server.snapshot()["users"]) == [f"{app}/user/u1", f"{app}/user/u2"]
    last = quota.requests()[-1]
    assert (last["operation"], last["status"], last["error"], last["fault"]) == (
        CREATE_USER,
        429,
        "ThrottledClientException",
        None,  # not injected: the service itself would have answered so
    )
    assert quota.quota()["throttled"] == {CREATE_USER: 1}


def test_another_account_or_region_is_not_throttled(quota: Emulator) -> None:
    def list_three(**where: str) -> list[int]:
        chime = quota.client(retries={"max_attempts": 1, "mode": "standard"}, **where)
        statuses = []
        for _ in range(3):
            try:
                statuses.append(chime.list_app_instances()["ResponseMetadata"]["HTTPStatusCode"])
            except botocore.exceptions.ClientError as error:
                statuses.append(error.response["ResponseMetadata"]["HTTPStatusCode"])
        return statuses

    assert list_three() == [200, 200, 429]
    assert list_three(access_key=OTHER_ACCOUNT) == [200, 200, 429]
    assert list_three(region=OTHER_REGION) == [200, 200, 429]
    assert quota.quota()["throttled"] == {"ListAppInstances": 3}


def test_quota_route_config_and_reset(quota: Emulator) -> None:
    status = quota.quota()
    assert (status["quota"], status["burst"], status["throttled"]) == (True, 2.0, {})
    assert set(status["rates"].values()) == {0.5}
    assert set(status["rates"]) == set(DEFAULT_QUOTA_RATES)
    config = quota.configure(quota_rates={CREATE_USER: 20})
    assert (config["quota"], config["quota_default_rate"], config["quota_rates"]) == (True, 0.5, {CREATE_USER: 20})
    assert quota.quota()["rates"][CREATE_USER] == 20

    chime = quota.client(retries={"max_attempts": 1, "mode": "standard"})
    chime.list_app_instances()
    chime.list_app_instances()
    with pytest.raises(botocore.exceptions.ClientError, match="ThrottledClientException"):
        chime.list_app_instances()
    assert quota.quota()["throttled"] == {"ListAppInstances": 1}
    quota.reset()  # refills the buckets, zeroes the counters, keeps the options
    assert quota.quota()["throttled"] == {}
    assert quota.config()["quota"] is True
    chime.list_app_instances()


def test_refused_options_change_nothing(quota: Emulator) -> None:
    before = quota.config()
    with pytest.raises(ValueError, match="'Nope' is not an operation of chime-sdk-identity"):
        quota.configure(quota_rates={"Nope": 1}, throttle_rate=0.5)
    with pytest.raises(ValueError, match="quota_burst must be a number of requests, at least 1"):
        quota.configure(quota_burst=0)
    with pytest.raises(ValueError, match="unknown fault options: quota_rate"):
        quota.configure(quota_rate={CREATE_USER: 1})
    assert quota.config() == before


# -- the command line ---------------------------------------------------------------------------


def test_console_script_enforces_the_quota_it_is_given() -> None:
    args = ("--quota-default-rate", "0.5", "--quota-burst", "2", "--quota-rate", "ListAppInstances=0.25")
    with EmulatorProcess(*args) as process:  # any --quota-* option implies --quota
        status = process.quota()
        assert (status["quota"], status["burst"]) == (True, 2.0)
        assert status["rates"]["ListAppInstances"] == 0.25
        assert {rate for name, rate in status["rates"].items() if name != "ListAppInstances"} == {0.5}
        chime = chime_client(process.url, retries={"max_attempts": 1, "mode": "standard"})
        chime.list_app_instances()
        chime.list_app_instances()
        with pytest.raises(botocore.exceptions.ClientError) as caught:
            chime.list_app_instances()
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
        assert process.quota()["throttled"] == {"ListAppInstances": 1}


def test_console_script_quota_defaults_and_off() -> None:
    parser = build_parser()
    assert quota_config(parser.parse_args([])) == QuotaConfig(quota=False)
    on = quota_config(parser.parse_args(["--quota"]))
    assert on == QuotaConfig(quota=True)
    assert (on.quota_burst, {on.rate(name) for name in DEFAULT_QUOTA_RATES}) == (10.0, {10.0})
    both = parser.parse_args(["--quota-rate", "CreateAppInstanceUser=20", "--quota-rate", "DeleteAppInstanceUser=5"])
    assert quota_config(both).quota_rates == {CREATE_USER: 20.0, "DeleteAppInstanceUser": 5.0}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--quota-rate", "CreateAppInstanceUsr=3"],
            "'CreateAppInstanceUsr' is not an operation of chime-sdk-identity",
        ),
        (["--quota-rate", "CreateAppInstanceUser"], "is not OPERATION=RATE"),
        (["--quota-rate", "CreateAppInstanceUser=fast"], "the rate in 'CreateAppInstanceUser=fast' is not a number"),
        (["--quota-default-rate", "0"], "argument --quota-default-rate: 0 is not a positive number of requests"),
        (["--quota-burst", "0.5"], "argument --quota-burst: 0.5 is not a number of requests of at least 1"),
    ],
)
def test_console_script_refuses_bad_quota_options(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err

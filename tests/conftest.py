"""Fixtures shared by every test package: a real emulator over HTTP and boto3 clients for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pulumi_chime_sdk_identity.emulator import EmulatorServer
from tests.support import Emulator


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    server = EmulatorServer(port=0).start()
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server: EmulatorServer) -> Emulator:
    """The session's emulator, reset to empty state and default options for this test."""
    handle = Emulator(emulator_server)
    handle.reset()
    handle.configure(
        latency_ms=0,
        throttle_rate=0,
        error_rate=0,
        lost_response_rate=0,
        seed=None,
        consistency_delay_ms=0,
        missing_error="NotFoundException",
        quota=False,
        quota_default_rate=None,
        quota_burst=10,
        quota_rates={},
    )
    return handle


@pytest.fixture
def chime(emulator: Emulator) -> Any:
    """A boto3 chime-sdk-identity client on the emulator, with client-side validation."""
    return emulator.client()


@pytest.fixture
def raw_chime(emulator: Emulator) -> Any:
    """A client with parameter validation off, so the server's own checks are what is tested."""
    return emulator.client(validate=False, retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture
def app_instance(chime: Any) -> str:
    return str(chime.create_app_instance(Name="app")["AppInstanceArn"])


@pytest.fixture
def make_user(chime: Any, app_instance: str) -> Callable[..., str]:
    def make(user_id: str = "alice", **extra: Any) -> str:
        arn = chime.create_app_instance_user(
            AppInstanceArn=app_instance, AppInstanceUserId=user_id, Name=user_id, **extra
        )
        return str(arn["AppInstanceUserArn"])

    return make

"""Provider tests call the providers directly, as the engine's provider process would, against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_chime_sdk_identity.dynamic_providers import _aws, _config, _provider
from tests.support import Emulator


@pytest.fixture(autouse=True)
def configured(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """Point the providers at the emulator through stack-style config, as `configure()` receives it."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    _config.configure({"chimesdkidentity:endpoint": emulator.url, "chimesdkidentity:region": "us-east-1"})
    monkeypatch.setattr(_provider, "seen", _provider.Seen())  # each test is one `pulumi` command
    monkeypatch.setattr(_aws, "_paces", {})  # ... in a provider process of its own
    yield emulator
    _config.configure({})


@pytest.fixture
def instance_arn(chime: Any) -> str:
    return str(chime.create_app_instance(Name="parent")["AppInstanceArn"])


@pytest.fixture
def settled(configured: Emulator) -> None:
    """No wait for eventual consistency when a test deletes a resource out of band."""
    _config.configure(
        {
            "chimesdkidentity:endpoint": configured.url,
            "chimesdkidentity:region": "us-east-1",
            "chimesdkidentity:consistencyWaitSeconds": "0",
        }
    )

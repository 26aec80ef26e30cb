"""Every package exports exactly the names it promises, and each resolves."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

PACKAGES = [
    "pulumi_chime_sdk_identity.components",
    "pulumi_chime_sdk_identity.dynamic_providers",
    "pulumi_chime_sdk_identity.emulator",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    assert isinstance(module.__all__, list)
    missing = [attr for attr in module.__all__ if not hasattr(module, attr)]
    assert missing == []


@pytest.mark.parametrize("name", PACKAGES)
def test_package_is_typed(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert (Path(module.__file__).parent / "py.typed").is_file()


def test_emulator_exports() -> None:
    emulator = importlib.import_module("pulumi_chime_sdk_identity.emulator")
    for name in (
        "EmulatorServer",
        "EmulatorClient",
        "RequestLog",
        "Snapshot",
        "FaultConfig",
        "Protocol",
        "ChimeError",
        "NotFoundException",
        "main",
    ):
        assert name in emulator.__all__
    server = emulator.EmulatorServer
    assert callable(server.snapshot)
    assert callable(server.restore)
    assert callable(emulator.RequestLog.subscribe)

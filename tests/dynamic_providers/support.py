"""A lifecycle walker shared by the provider tests: what every resource must do, checked the same way."""

from __future__ import annotations

from typing import Any

from pulumi_chime_sdk_identity.dynamic_providers import _provider
from pulumi_chime_sdk_identity.dynamic_providers._provider import ChimeProvider
from tests.support import Emulator


def checked(provider: ChimeProvider, news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
    """Inputs as the engine hands them on after check: normalized, and with __provider.

    ``olds``: the inputs in state, which the engine sends when the resource exists (an update); without
    them the resource is new, and check may read the one ID it would take.
    """
    result = provider.check(olds or {}, {**news, "__provider": "serialized"})
    assert result.failures == [], [f.reason for f in result.failures]
    return {key: value for key, value in result.inputs.items() if key != "__provider"}


def rechecked(provider: ChimeProvider, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """New inputs of a resource that exists, checked as the engine checks an update: with its old inputs, in a
    command after the one that created it (that one checked it without them)."""
    if _provider.seen.declared:
        new_command()
    return checked(provider, news, olds)


def new_command() -> None:
    """Start another `pulumi` command: its provider process has seen nothing yet."""
    _provider.seen = _provider.Seen()


def as_engine_sends(props: dict[str, Any]) -> dict[str, Any]:
    """What props look like after a trip through the engine: integers become floats."""
    if isinstance(props, dict):
        return {k: as_engine_sends(v) for k, v in props.items()}
    if isinstance(props, bool):
        return props
    if isinstance(props, int):
        return float(props)  # type: ignore[return-value]
    return props


def calls(emulator: Emulator, since: int) -> list[str]:
    """API operations the emulator handled since a log position."""
    return emulator.operations(since)


def log_position(emulator: Emulator) -> int:
    return len(emulator.requests())


def by_path(result: Any) -> dict[str, str]:
    """A check's failure reasons by the property path each starts with; also asserts each names its property
    for the engine unless its value is sensitive (then the engine would print it) or the key is unknown."""
    reasons: dict[str, str] = {}
    for failure in result.failures:
        path = failure.reason.partition(":")[0]
        assert failure.property in (path, ""), (failure.property, failure.reason)
        reasons[path] = failure.reason
    return reasons


def named(result: Any) -> dict[str, str]:
    """Failure reasons by the property they name for the engine ('' when it must not print the value)."""
    return {failure.reason.partition(":")[0]: failure.property for failure in result.failures}

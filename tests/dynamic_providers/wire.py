"""What crosses the wire: the parameters the providers hand to boto3, and outputs as the engine stores them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pulumi_chime_sdk_identity.dynamic_providers import _aws
from tests.support import REGION


@contextmanager
def sent(region: str = REGION) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Record (operation, parameters) of every call the providers make in region, via botocore's event hooks.

    The emulator's request log names operations only; this observes the requests themselves without
    replacing anything (the calls still go to the emulator).
    """
    client = _aws.client_for(region)
    recorded: list[tuple[str, dict[str, Any]]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        recorded.append((model.name, dict(params)))

    event = "provide-client-params.chime-sdk-identity"
    client.meta.events.register(event, record)
    try:
        yield recorded
    finally:
        client.meta.events.unregister(event, record)


def stored(outs: dict[str, Any] | None) -> dict[str, Any]:
    """Outputs as the engine keeps them: the Python host drops properties whose value is None."""
    return {key: value for key, value in (outs or {}).items() if value is not None}

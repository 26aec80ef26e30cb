"""Helpers shared by the tests: constants and a handle on the session's emulator."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from pulumi_chime_sdk_identity.emulator import EmulatorClient, EmulatorServer
from tools.harness.emulator_process import chime_client

REGION = "us-east-1"
LEX_ALIAS = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST"
PINPOINT_APP = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef"


class Emulator(EmulatorClient):
    """The session's emulator: its public introspection client, the server itself, and boto3 clients on it."""

    def __init__(self, server: EmulatorServer) -> None:
        super().__init__(server.url)
        self.server = server

    def client(
        self, *, validate: bool = True, region: str = REGION, access_key: str = "AKIDEXAMPLE", **config: Any
    ) -> Any:
        return chime_client(self.url, region=region, access_key=access_key, parameter_validation=validate, **config)


@contextlib.contextmanager
def faulted(emulator: Emulator, operation: str, faults: Sequence[str]) -> Iterator[None]:
    """Requests meet ``faults[0]`` (at rate 1) until one of ``operation`` has; then ``faults[1]``, and so on; then none.

    ``lost_response_rate``: the request takes effect and loses its answer (a 500); ``error_rate``: a 503 before
    anything happens. With ``chimesdkidentity:maxAttempts`` at 2, ``["lost_response_rate"] * 2`` is a create
    whose retries ran out although its first attempt took effect: what the providers must settle.
    """
    pending = list(faults)

    def watch(entry: dict[str, Any]) -> None:
        if entry["operation"] == operation and entry["fault"] and pending:
            emulator.server.configure({pending.pop(0): 0.0})
            if pending:
                emulator.server.configure({pending[0]: 1.0})

    unsubscribe = emulator.server.requests.subscribe(watch)
    emulator.server.configure({pending[0]: 1.0})
    try:
        yield
    finally:
        unsubscribe()
        emulator.server.configure({"lost_response_rate": 0.0, "error_rate": 0.0})


def retries_run_out(operation: str) -> list[str]:
    """:func:`faulted` faults of a create that takes effect and then fails both its attempts (maxAttempts 2).

    The retry of a lost create is answered with what the first attempt made: a repeated ClientRequestToken
    returns it, so that answer is lost too. CreateAppInstanceAdmin takes no token: its retry would meet the admin
    (ConflictException, read back as ours), so the retry that runs out is one that fails with a 503 instead.
    """
    return ["lost_response_rate", "error_rate" if operation == "CreateAppInstanceAdmin" else "lost_response_rate"]

"""A client for a running emulator's introspection routes (``/_emulator/...``), from any process.

The routes are the ones the README documents; this is the one piece of code that speaks them::

    from pulumi_chime_sdk_identity.emulator import EmulatorClient

    emulator = EmulatorClient("http://127.0.0.1:4580")
    emulator.reset()                                   # forget all state and the request log
    emulator.configure(throttle_rate=0.3, seed=1)      # change faults at run time
    emulator.configure(quota=True, quota_burst=2)      # enforce request rates (quota mode)
    emulator.quota()["throttled"]                      # e.g. {"CreateAppInstanceUser": 3}
    emulator.operations()                              # e.g. ["CreateAppInstance", ...]
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

DEFAULT_TIMEOUT_SECONDS = 30.0


class EmulatorClient:
    """The ``/_emulator/`` routes of the emulator at ``url``: requests, reset, config and health."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, route: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}/_emulator/{route}", data=data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 400:  # a refused option: the emulator says which and why
                reason = json.load(error).get("error", "bad request")
                raise ValueError(f"the emulator refused {method} {route} (400): {reason}") from None
            raise

    def health(self) -> bool:
        """Whether the emulator answers at ``url``."""
        try:
            return bool(self._call("GET", "health").get("ok"))
        except OSError:
            return False

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        """The log of API requests from index ``since`` on: operation, status, error, fault, client_request_token
        (of a create that takes one, as sent), time, duration_ms.

        Every throttled answer has status 429 and error ``ThrottledClientException``; ``fault`` names what the
        emulator injected (here ``ThrottledClientException`` from ``throttle_rate``) and is None when quota mode
        throttled the call, as the service would have.
        """
        return list(self._call("GET", f"requests?since={since}")["requests"])

    def operations(self, since: int = 0) -> list[str]:
        """The operation names of :meth:`requests`, in order."""
        return [entry["operation"] for entry in self.requests(since)]

    def faults_injected(self) -> dict[str, int]:
        """How many faults of each kind were injected since the last reset or configuration change."""
        everything_skipped = 2**62  # the route answers the counters with every page; ask for an empty page
        return dict(self._call("GET", f"requests?since={everything_skipped}")["faults_injected"])

    def quota(self) -> dict[str, Any]:
        """Quota mode as in force: ``quota`` (on/off), ``burst``, ``rates`` (requests per second of every
        operation) and ``throttled`` (429 answers per operation, those with any, since the last reset or quota
        configuration, summed over accounts and regions)."""
        return dict(self._call("GET", "quota"))

    def reset(self) -> None:
        """Forget all state (every account and region) and the request log, refill the quota buckets; fault and
        quota options stay as set."""
        self._call("POST", "reset", {})

    def config(self) -> dict[str, Any]:
        """The fault, quota and behaviour options in force."""
        return dict(self._call("GET", "config"))

    def configure(self, **options: Any) -> dict[str, Any]:
        """Change fault, quota and behaviour options (e.g. ``throttle_rate=0.3``); the options now in force.

        Quota mode: ``quota`` (on/off), ``quota_default_rate`` (requests per second of every operation not in
        ``quota_rates``; None: the default table), ``quota_burst``, ``quota_rates`` (``{operation: rate}``, replacing
        the overrides set before). Changing any of them refills every bucket and zeroes the throttled counters.
        Raises ValueError, with the emulator's reason, for an unknown option or a bad value.
        """
        return dict(self._call("POST", "config", options))

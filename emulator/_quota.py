"""Quota mode: per-operation request rates per (account, region), enforced as the service does, with a burst.

Each (account, region, operation) has a token bucket of capacity ``quota_burst`` that starts full and refills
continuously at the operation's rate (requests per second). A request that finds less than one token is
answered 429 ``ThrottledClientException`` ("Rate exceeded") and takes no effect.

The default rates are one table, :data:`DEFAULT_QUOTA_RATES`, keyed by every operation of the service model.
The documented figures (AWS General Reference, "Amazon Chime SDK endpoints and quotas",
https://docs.aws.amazon.com/general/latest/gr/chime-sdk.html) could not be read where this was written, so
every operation assumes :data:`DEFAULT_QUOTA_RATE` requests per second with a burst of
:data:`DEFAULT_QUOTA_BURST`; ``--quota-rate OP=RATE`` overrides one.
"""

from __future__ import annotations

import difflib
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from ._protocol import service_model

DEFAULT_QUOTA_RATE = 10.0
DEFAULT_QUOTA_BURST = 10.0
# One row per operation of the model, so a new operation in botocore is covered the day it appears.
DEFAULT_QUOTA_RATES: dict[str, float] = dict.fromkeys(service_model().operation_names, DEFAULT_QUOTA_RATE)

Clock = Callable[[], float]


def _number(name: str, value: Any, least: float, what: str) -> float:
    number = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not number or value < least or value <= 0:
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return float(value)


def _rate(name: str, value: Any) -> float:
    return _number(name, value, 0.0, "a positive number of requests per second")


def check_operation(name: str) -> str:
    """``name`` if it is an operation of the service; else ValueError, with the closest name if there is one."""
    if name in DEFAULT_QUOTA_RATES:
        return name
    close = difflib.get_close_matches(name, DEFAULT_QUOTA_RATES, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise ValueError(f"{name!r} is not an operation of chime-sdk-identity{hint}")


@dataclass
class QuotaConfig:
    """Whether quota mode is on, and its rates.

    An operation's rate is its entry in ``quota_rates``, else ``quota_default_rate``, else (None) its row of
    :data:`DEFAULT_QUOTA_RATES`.
    """

    quota: bool = False
    quota_default_rate: float | None = None
    quota_burst: float = DEFAULT_QUOTA_BURST
    quota_rates: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.quota, bool):
            raise ValueError(f"quota must be true or false, got {self.quota!r}")
        if self.quota_default_rate is not None:
            self.quota_default_rate = _rate("quota_default_rate", self.quota_default_rate)
        self.quota_burst = _number("quota_burst", self.quota_burst, 1.0, "a number of requests, at least 1")
        if not isinstance(self.quota_rates, dict):
            raise ValueError(f"quota_rates must be a map of operation name to rate, got {self.quota_rates!r}")
        rates: dict[str, float] = {}
        for name, rate in self.quota_rates.items():
            try:
                check_operation(name)
            except ValueError as error:
                raise ValueError(f"quota_rates: {error}") from None
            rates[name] = _rate(f"quota_rates[{name}]", rate)
        self.quota_rates = rates

    def rate(self, operation: str) -> float:
        """Requests per second allowed for ``operation`` in one account and region."""
        if operation in self.quota_rates:
            return self.quota_rates[operation]
        if self.quota_default_rate is not None:
            return self.quota_default_rate
        return DEFAULT_QUOTA_RATES.get(operation, DEFAULT_QUOTA_RATE)

    def to_dict(self) -> dict[str, Any]:
        """The configuration as JSON-ready values (the keys of ``/_emulator/config``)."""
        return asdict(self)


class QuotaLimiter:
    """Token buckets per (account, region, operation), thread-safe, on a monotonic clock."""

    def __init__(self, config: QuotaConfig | None = None, *, clock: Clock = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self.configure(config or QuotaConfig())

    def configure(self, config: QuotaConfig) -> None:
        """Replace the configuration, refill every bucket and zero the counters."""
        with self._lock:
            self.config = config
            self._buckets: dict[tuple[str, str, str], list[float]] = {}  # key -> [tokens, last refill]
            self._throttled: Counter[str] = Counter()

    def admit(self, account: str, region: str, operation: str) -> bool:
        """Take one token from the caller's bucket for ``operation``; False (and counted) if there is none."""
        if not self.config.quota:  # the common case, without the lock
            return True
        with self._lock:
            config = self.config
            if not config.quota:
                return True
            now = self._clock()
            bucket = self._buckets.setdefault((account, region, operation), [config.quota_burst, now])
            tokens = min(config.quota_burst, bucket[0] + (now - bucket[1]) * config.rate(operation))
            bucket[1] = now
            if tokens >= 1.0:
                bucket[0] = tokens - 1.0
                return True
            bucket[0] = tokens
            self._throttled[operation] += 1
            return False

    def throttled(self) -> dict[str, int]:
        """Throttled answers per operation (only those with any) since the last reset or configuration."""
        with self._lock:
            return dict(sorted(self._throttled.items()))

    def status(self) -> dict[str, Any]:
        """What ``GET /_emulator/quota`` answers: the switch, the burst, every operation's rate, the counters."""
        config = self.config
        return {
            "quota": config.quota,
            "burst": config.quota_burst,
            "rates": {name: config.rate(name) for name in DEFAULT_QUOTA_RATES},
            "throttled": self.throttled(),
        }

"""Deterministic fault injection: latency, throttling, 5xx and lost responses, drawn from one seeded RNG."""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

from ._exceptions import ChimeError, ServiceUnavailableException, ThrottledClientException


@dataclass
class FaultConfig:
    """Fault rates (0..1) and delays; all zero means a well-behaved service."""

    latency_ms: float = 0.0
    throttle_rate: float = 0.0
    error_rate: float = 0.0
    lost_response_rate: float = 0.0
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("throttle_rate", "error_rate", "lost_response_rate"):
            rate = getattr(self, name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {rate}")
        if self.latency_ms < 0:
            raise ValueError(f"latency_ms must not be negative, got {self.latency_ms}")

    def to_dict(self) -> dict[str, Any]:
        """The configuration as JSON-ready values."""
        return asdict(self)


class FaultInjector:
    """Draws fault decisions in request order from a RNG seeded by the configuration."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        """Replace the configuration, restart the RNG from its seed and zero the counters."""
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)
            self.injected: dict[str, int] = {"throttle": 0, "error": 0, "lost_response": 0}

    def update(self, changes: dict[str, Any]) -> FaultConfig:
        """Change some fields of the configuration; unknown names are refused."""
        known = {f.name for f in fields(FaultConfig)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown fault options: {', '.join(unknown)}")
        self.configure(FaultConfig(**{**self.config.to_dict(), **changes}))
        return self.config

    def _draw(self, rate: float, kind: str) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            hit = self._rng.random() < rate
            if hit:
                self.injected[kind] += 1
        return hit

    def before(self) -> ChimeError | None:
        """The error to answer instead of handling the request, if one is drawn."""
        if self._draw(self.config.throttle_rate, "throttle"):
            return ThrottledClientException("Rate exceeded (injected by the emulator)")
        if self._draw(self.config.error_rate, "error"):
            return ServiceUnavailableException("Service unavailable (injected by the emulator)")
        return None

    def lose_response(self) -> bool:
        """Whether the response of a request that has already taken effect is to be lost."""
        return self._draw(self.config.lost_response_rate, "lost_response")

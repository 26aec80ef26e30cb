"""Provider configuration, read once per provider process in ``ResourceProvider.configure``.

Never pickled and never written to state: the values live in this module, not on the provider.
Order, first match wins: ``chimesdkidentity:*`` stack config, then ``aws:region`` / ``aws:profile``,
then the standard AWS environment (``AWS_REGION``, ``AWS_PROFILE``,
``AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY``, the credential chain).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from ._errors import ConfigurationError

SUPPORTED_REGIONS = ("us-east-1", "eu-central-1")
DEFAULT_MAX_ATTEMPTS = 10
# How long refresh keeps looking for a resource created moments ago that Describe cannot see yet.
DEFAULT_CONSISTENCY_WAIT_SECONDS = 15.0
# How long a throttled operation may go without one success of its kind, process-wide, before a call fails.
DEFAULT_THROTTLE_STALL_SECONDS = 120.0


@dataclass(frozen=True)
class Settings:
    """Where and how the providers talk to the API."""

    region: str | None = None
    region_source: str | None = None
    """Where ``region`` came from: ``chimesdkidentity:region``, ``aws:region`` or the AWS environment."""
    profile: str | None = None
    endpoint: str | None = None
    assume_role_arn: str | None = None
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    consistency_wait_seconds: float = DEFAULT_CONSISTENCY_WAIT_SECONDS
    requests_per_second: float | None = None
    """The most calls per second of any one operation this process sends (None: as fast as the API lets it)."""
    throttle_stall_seconds: float = DEFAULT_THROTTLE_STALL_SECONDS
    # Recovery after an interrupted `pulumi up`: a create adopts what its inputs name instead of failing.
    adopt_existing: bool = False


_lock = threading.Lock()
_settings: Settings | None = None


def _first(*values: Any) -> str | None:
    return next((str(v) for v in values if v not in (None, "")), None)


def _number(config: dict[str, Any], key: str, minimum: float, above: bool = False) -> float | None:
    """A numeric setting, at least (or, with above, more than) minimum; None when unset."""
    text = _first(config.get(key))
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ConfigurationError(f"{key} must be a number, got {text!r}") from None
    if not value >= minimum or (above and value == minimum):  # NaN fails the first test
        raise ConfigurationError(f"{key} must be {'more than' if above else 'at least'} {minimum:g}, got {text!r}")
    return value


def settings_from(config: dict[str, Any], environ: dict[str, str] | None = None) -> Settings:
    """Resolve Settings from namespaced stack config (``{"aws:region": ...}``) and the environment."""
    env = os.environ if environ is None else environ
    max_attempts = _first(config.get("chimesdkidentity:maxAttempts"), env.get("AWS_MAX_ATTEMPTS"))
    try:
        attempts = int(max_attempts) if max_attempts is not None else DEFAULT_MAX_ATTEMPTS
    except ValueError:
        raise ConfigurationError(f"chimesdkidentity:maxAttempts must be a whole number, got {max_attempts!r}") from None
    if attempts < 1:
        raise ConfigurationError("chimesdkidentity:maxAttempts must be at least 1")
    wait = _number(config, "chimesdkidentity:consistencyWaitSeconds", 0.0)
    stall = _number(config, "chimesdkidentity:throttleStallSeconds", 0.0)
    region_sources = (
        ("chimesdkidentity:region", config.get("chimesdkidentity:region")),
        ("aws:region", config.get("aws:region")),
        ("AWS_REGION", env.get("AWS_REGION")),
        ("AWS_DEFAULT_REGION", env.get("AWS_DEFAULT_REGION")),
    )
    region_source = next((source for source, value in region_sources if value not in (None, "")), None)
    return Settings(
        region=_first(*(value for _, value in region_sources)),
        region_source=region_source,
        profile=_first(config.get("chimesdkidentity:profile"), config.get("aws:profile"), env.get("AWS_PROFILE")),
        endpoint=_first(config.get("chimesdkidentity:endpoint"), env.get("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY")),
        assume_role_arn=_first(config.get("chimesdkidentity:assumeRoleArn")),
        max_attempts=attempts,
        consistency_wait_seconds=DEFAULT_CONSISTENCY_WAIT_SECONDS if wait is None else wait,
        requests_per_second=_number(config, "chimesdkidentity:requestsPerSecond", 0.0, above=True),
        throttle_stall_seconds=DEFAULT_THROTTLE_STALL_SECONDS if stall is None else stall,
        adopt_existing=(
            _first(config.get("chimesdkidentity:adoptExisting"), env.get("CHIMESDKIDENTITY_ADOPT_EXISTING")) or ""
        ).lower()
        in ("1", "true", "yes"),
    )


def configure(config: dict[str, Any]) -> None:
    """Install the settings for this process (called from ``ResourceProvider.configure``)."""
    global _settings
    resolved = settings_from(config)
    with _lock:
        _settings = resolved


def current() -> Settings:
    """The settings in force; from the environment alone if configure() was never called."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = settings_from({})
        return _settings


def region_for(explicit: str | None = None, arn: str | None = None) -> str:
    """The region to call: the one inside an ARN, else the explicit input, else configuration."""
    region = arn.split(":")[3] if arn and arn.count(":") >= 5 else None
    region = region or explicit or current().region
    if not region:
        raise ConfigurationError(
            "no region: set the resource's region input, `pulumi config set chimesdkidentity:region us-east-1`, "
            "`aws:region`, or AWS_REGION"
        )
    return region

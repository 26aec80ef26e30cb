"""Calling chime-sdk-identity: one boto3 client per region per process, bounded retries, short errors.

botocore's standard retry mode covers 5xx, lost connections and the ClientRequestToken of
create calls. It does not retry ``ThrottledClientException``: the model declares that 429 error
without a retryable trait, and standard/adaptive modes only retry modeled errors that have one.
:func:`Api.call` therefore retries throttling itself, paced by a :class:`Pace` per operation and
region that every thread of the provider process shares: the API's quotas are per operation and
account, so what one call learns of the rate holds for all. A throttled call is retried for as
long as its operation makes progress somewhere in the process (a success within
``throttleStallSeconds``), whatever ``maxAttempts`` is: a 429 is the service saying "later", not "no".
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, Final

import boto3
import botocore.exceptions
from botocore.config import Config
from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials

from . import _config
from ._errors import ApiError

SERVICE: Final = "chime-sdk-identity"
CONNECT_TIMEOUT_SECONDS = 10
READ_TIMEOUT_SECONDS = 30
PAGE_SIZE = 50

_clients: dict[tuple[str, _config.Settings], Any] = {}
_clients_lock = threading.Lock()


def _session(settings: _config.Settings) -> boto3.Session:
    session = boto3.Session(profile_name=settings.profile)
    if settings.assume_role_arn:
        fetcher = AssumeRoleCredentialFetcher(
            client_creator=session._session.create_client,
            source_credentials=session.get_credentials(),
            role_arn=settings.assume_role_arn,
            extra_args={"RoleSessionName": "pulumi-chime-sdk-identity"},
        )
        credentials = DeferredRefreshableCredentials(method="assume-role", refresh_using=fetcher.fetch_credentials)
        # botocore's documented-by-practice hook for refreshable credentials; there is no public setter.
        session._session._credentials = credentials  # type: ignore[attr-defined]
    return session


def client_for(region: str) -> Any:
    """The process's boto3 client for region, created on first use (clients are thread-safe)."""
    settings = _config.current()
    key = (region, settings)
    with _clients_lock:
        if key not in _clients:
            config = Config(
                retries={"mode": "standard", "total_max_attempts": settings.max_attempts},  # the first attempt included
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                read_timeout=READ_TIMEOUT_SECONDS,
                user_agent_extra="pulumi-chime-sdk-identity",
            )
            _clients[key] = _session(settings).client(
                SERVICE, region_name=region, endpoint_url=settings.endpoint, config=config
            )
        return _clients[key]


class Pace:
    """One operation's request rate in one region, as this process has learned it; shared by its threads.

    The rate is unknown at first: calls go at once (or at most ``ceiling`` per second). When most of
    the last ``WINDOW`` seconds' answers were 429s (at least ``EVIDENCE`` of them), the rate becomes
    that of the successes among them, what the service let through, and every call, retries included,
    then takes the next free slot at that rate: the threads neither race each other into the quota
    nor sit idle in backoff while it refills. A 429 now and then (a fault, or a rate a little high)
    lowers a learned rate by ``EASE``; before any rate is learned, it makes its caller alone step back
    ``STEP_BACK`` seconds (jittered). Either way the call is retried in its next slot. Each success
    ``PROBE_AFTER`` seconds after the last 429 raises the rate by ``PROBE_STEP``, and ``FORGET_AFTER``
    quiet seconds drop it, so a quota that was raised, or shared with a caller that stopped, is found
    again.
    """

    WINDOW = 2.0
    EVIDENCE = 5
    PROBE_AFTER = 1.0
    PROBE_STEP = 0.01
    EASE = 0.05
    STEP_BACK = 0.05
    FORGET_AFTER = 10.0
    SLOWEST = 0.2  # calls per second: the rate never falls below it, so a slot is at most 5 s away

    def __init__(self, ceiling: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self.ceiling = ceiling
        self.rate = ceiling
        self.last_success = float("-inf")
        self._next = 0.0
        self._first: float | None = None
        self._last_throttle = float("-inf")
        self._answers: deque[tuple[float, bool]] = deque()  # (when, throttled) of the last WINDOW seconds

    def delay(self) -> float:
        """Seconds to wait before sending: the caller's slot, reserved now."""
        with self._lock:
            now = self._clock()
            if self._first is None:
                self._first = now
            if self.rate is None:
                return 0.0
            at = max(now, self._next)
            self._next = at + 1.0 / self.rate
            return at - now

    def succeeded(self) -> None:
        """A call of this operation was answered."""
        with self._lock:
            now = self._note(throttled=False)
            self.last_success = now
            quiet = now - self._last_throttle
            if self.rate is not None and quiet > self.FORGET_AFTER:
                self.rate = self.ceiling
            elif self.rate is not None and quiet > self.PROBE_AFTER:
                self.rate = min(self.rate * (1 + self.PROBE_STEP), self.ceiling or float("inf"))

    def throttled(self) -> float:
        """A call of this operation was answered 429: the seconds its caller waits before taking a slot again."""
        with self._lock:
            now = self._note(throttled=True)
            self._last_throttle = now
            throttles = sum(1 for _, throttled in self._answers if throttled)
            successes = len(self._answers) - throttles
            if throttles >= self.EVIDENCE and throttles > successes:
                span = max(min(self.WINDOW, now - (self._first if self._first is not None else now)), self.WINDOW / 4)
                # What got through; if nothing did, half the rate that was tried.
                seen = successes / span if successes else len(self._answers) / span / 2
                self.rate = max(self.SLOWEST, min(seen, self.ceiling or seen))
            elif self.rate is not None:  # a little over: ease off
                self.rate = max(self.SLOWEST, self.rate * (1 - self.EASE))
            else:  # no rate yet: this caller alone steps back, the others are not held up
                return self.STEP_BACK * random.uniform(0.5, 1.5)
            return 0.0

    def _note(self, throttled: bool) -> float:
        now = self._clock()
        self._answers.append((now, throttled))
        while self._answers[0][0] < now - self.WINDOW:
            self._answers.popleft()
        return now


_paces: dict[tuple[str, str, float | None], Pace] = {}


def pace_of(region: str, operation: str) -> Pace:
    """The process's Pace of operation in region (under the configured ceiling), created on first use."""
    ceiling = _config.current().requests_per_second
    with _clients_lock:
        key = (region, operation, ceiling)
        if key not in _paces:
            _paces[key] = Pace(ceiling)
        return _paces[key]


def new_token() -> str:
    """A fresh ClientRequestToken: one per logical create, reused only by its own retries."""
    return uuid.uuid4().hex


def iso(value: datetime | None) -> str | None:
    """A boto3 timestamp as an ISO-8601 UTC string, the only form outputs may hold."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds") if value is not None else None


def now() -> str:
    """This moment as the ISO-8601 UTC string the outputs use."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Api:
    """The chime-sdk-identity calls of one region, with retries and short errors."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.client = client_for(region)

    def call(self, operation: str, resource: str, **params: Any) -> dict[str, Any]:
        """Call operation (``"CreateAppInstance"``) about resource (for messages); raise ApiError on failure."""
        method = getattr(self.client, botocore.xform_name(operation))
        pace = pace_of(self.region, operation)
        started = time.monotonic()
        stall = _config.current().throttle_stall_seconds
        retried = False  # an earlier attempt, botocore's or this loop's, may have taken effect unseen
        while True:
            time.sleep(pace.delay())
            try:
                response: dict[str, Any] = method(**params)
                pace.succeeded()
                return response
            except botocore.exceptions.ClientError as error:
                details = error.response.get("Error", {})
                code = str(details.get("Code", "Unknown"))
                retried = retried or bool(error.response.get("ResponseMetadata", {}).get("RetryAttempts"))
                if code == "ThrottledClientException":
                    time.sleep(pace.throttled())
                    if time.monotonic() - max(started, pace.last_success) < stall:
                        continue
                status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
                raise ApiError(
                    operation,
                    resource,
                    code,
                    str(details.get("Message", "")),
                    retried=retried,
                    unanswered=status >= 500,
                ) from None
            except (botocore.exceptions.BotoCoreError, ValueError) as error:
                # A connection dropped or a read timed out after the request was sent may have landed.
                unanswered = isinstance(error, botocore.exceptions.HTTPClientError)
                raise ApiError(
                    operation, resource, type(error).__name__, str(error), retried=retried, unanswered=unanswered
                ) from None

    def pages(self, operation: str, resource: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a List* operation (botocore has no paginators for this service)."""
        token: str | None = None
        while True:
            page = self.call(
                operation, resource, MaxResults=PAGE_SIZE, **params, **({"NextToken": token} if token else {})
            )
            yield from page.get(key, [])
            token = page.get("NextToken")
            if not token:
                return

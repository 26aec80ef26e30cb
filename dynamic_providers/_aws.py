"""Calling chime-sdk-identity: one boto3 client per region per process, bounded retries, short errors.

botocore's standard retry mode covers 5xx, lost connections and the ClientRequestToken of
create calls. It does not retry ``ThrottledClientException``: the model declares that 429 error
without a retryable trait, and standard/adaptive modes only retry modeled errors that have one.
:func:`Api.call` therefore retries throttling itself, with capped exponential backoff and full
jitter, bounded in attempts and time (the Python host ignores ``customTimeouts``).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Iterator
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
THROTTLE_BASE_DELAY_SECONDS = 0.2
THROTTLE_MAX_DELAY_SECONDS = 5.0
THROTTLE_BUDGET_SECONDS = 120.0
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
        deadline = time.monotonic() + THROTTLE_BUDGET_SECONDS
        attempts = _config.current().max_attempts
        retried = False  # an earlier attempt, botocore's or this loop's, may have taken effect unseen
        for attempt in range(attempts):
            try:
                response: dict[str, Any] = method(**params)
                return response
            except botocore.exceptions.ClientError as error:
                details = error.response.get("Error", {})
                code = str(details.get("Code", "Unknown"))
                retried = retried or bool(error.response.get("ResponseMetadata", {}).get("RetryAttempts"))
                throttled = code == "ThrottledClientException"
                if throttled and attempt + 1 < attempts and time.monotonic() < deadline:
                    cap = min(THROTTLE_MAX_DELAY_SECONDS, THROTTLE_BASE_DELAY_SECONDS * 2**attempt)
                    time.sleep(random.uniform(0, cap))
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
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns or raises

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

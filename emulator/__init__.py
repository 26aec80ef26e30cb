"""A local Amazon Chime SDK Identity endpoint for tests, demos and ``make up``.

Speaks the real REST-JSON protocol of ``chime-sdk-identity`` (2021-04-20), driven by botocore's
service model, so boto3, the AWS CLI and the AWS JavaScript SDKs work against it unchanged::

    from pulumi_chime_sdk_identity.emulator import EmulatorServer

    with EmulatorServer() as server:
        client = boto3.client("chime-sdk-identity", endpoint_url=server.url, region_name="us-east-1")

and its introspection routes answer :class:`EmulatorClient` (from any process) while the server's own
``snapshot()``, ``restore()`` and ``requests.subscribe()`` serve tests that run it in-process.
"""

from ._backend import DEFAULT_ACCOUNT_ID, Backend, Behaviour, Context
from ._cli import main
from ._client import EmulatorClient
from ._exceptions import (
    BadRequestException,
    ChimeError,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    ResourceLimitExceededException,
    ServiceFailureException,
    ServiceUnavailableException,
    ThrottledClientException,
    UnauthorizedClientException,
)
from ._faults import FaultConfig, FaultInjector
from ._protocol import SERVICE_NAME, Protocol, service_model
from ._quota import DEFAULT_QUOTA_BURST, DEFAULT_QUOTA_RATE, DEFAULT_QUOTA_RATES, QuotaConfig, QuotaLimiter
from ._server import EmulatorServer, RequestLog
from ._store import Snapshot, Store

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_QUOTA_BURST",
    "DEFAULT_QUOTA_RATE",
    "DEFAULT_QUOTA_RATES",
    "SERVICE_NAME",
    "Backend",
    "BadRequestException",
    "Behaviour",
    "ChimeError",
    "ConflictException",
    "Context",
    "EmulatorClient",
    "EmulatorServer",
    "FaultConfig",
    "FaultInjector",
    "ForbiddenException",
    "NotFoundException",
    "Protocol",
    "QuotaConfig",
    "QuotaLimiter",
    "RequestLog",
    "ResourceLimitExceededException",
    "ServiceFailureException",
    "ServiceUnavailableException",
    "Snapshot",
    "Store",
    "ThrottledClientException",
    "UnauthorizedClientException",
    "main",
    "service_model",
]

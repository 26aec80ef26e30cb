"""Errors the providers raise. Each becomes one short line in the Pulumi CLI.

Exception tree::

    ChimeSdkIdentityError          base of everything the providers raise on purpose
     ├── ApiError                  an AWS call failed: operation, resource, AWS error code and message
     ├── UnsettledCreateError      a create may have taken effect, and sending it again could not tell
     ├── ConfigurationError        region, endpoint or credentials cannot be worked out
     ├── AdoptionError             adopt_id names nothing, or something other than the inputs describe
     └── DataLossError             a delete or replacement would lose data the stack does not own
"""

from __future__ import annotations

import sys
import types
from typing import Any


class ChimeSdkIdentityError(Exception):
    """Raised for any failure the providers report on purpose."""


class ApiError(ChimeSdkIdentityError):
    """Raised when a chime-sdk-identity call fails after retries."""

    def __init__(
        self, operation: str, resource: str, code: str, message: str, *, retried: bool = False, unanswered: bool = False
    ) -> None:
        self.operation = operation
        self.resource = resource
        self.code = code
        self.aws_message = message
        self.retried = retried
        """The error answered a retry, so an earlier attempt may have taken effect unseen."""
        self.unanswered = unanswered
        """The last attempt got no real answer (a 5xx, a dropped connection, a read timeout): it may have landed."""
        super().__init__(f"{operation} failed for {resource}: {code}: {message}")

    @property
    def may_have_applied(self) -> bool:
        """Some attempt of the call may have taken effect although the caller never saw it succeed."""
        return self.retried or self.unanswered

    @property
    def is_not_found(self) -> bool:
        """The API said plainly that the resource does not exist."""
        return self.code == "NotFoundException"

    @property
    def is_forbidden(self) -> bool:
        """Forbidden: for a missing user AWS has been seen to answer this instead of NotFound."""
        return self.code == "ForbiddenException"


class UnsettledCreateError(ChimeSdkIdentityError):
    """Raised when a create may have taken effect and sending the same request again could not tell."""


class ConfigurationError(ChimeSdkIdentityError):
    """Raised when the region, endpoint or credentials cannot be worked out."""


class AdoptionError(ChimeSdkIdentityError):
    """Raised when adopt_id names no resource, or one the inputs do not describe."""


class DataLossError(ChimeSdkIdentityError):
    """Raised instead of deleting what the stack does not own (an AppInstance's other users and bots)."""


class _OneLineTracebacks:
    """Stands in for the ``traceback`` module of Pulumi's dynamic provider host: the host reports every
    failure with ``traceback.format_exc()``, and the CLI prints that text as the resource's error. Ours
    become their own one-line message; anything else keeps its full traceback (it is a bug to report)."""

    def __init__(self, module: types.ModuleType) -> None:
        self._module = module

    def format_exc(self, *args: Any, **kwargs: Any) -> str:
        error = sys.exc_info()[1]
        if isinstance(error, ChimeSdkIdentityError):
            return str(error)
        return str(self._module.format_exc(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


def one_line_in_host() -> None:
    """Make the dynamic provider host this process runs report our errors as one line (idempotent).

    The host (``python -m pulumi.dynamic``) wraps each RPC in ``_abort_with_traceback``, which aborts
    with ``traceback.format_exc()``: a three-frame traceback around the message. Outside the host (tests,
    programs) nothing changes.
    """
    for module in list(sys.modules.values()):
        names = getattr(module, "__dict__", {})  # not hasattr: that would load lazy modules' attributes
        if "DynamicResourceProviderServicer" in names and "_abort_with_traceback" in names:
            current = names.get("traceback")
            if isinstance(current, types.ModuleType):
                module.traceback = _OneLineTracebacks(current)  # type: ignore[attr-defined]

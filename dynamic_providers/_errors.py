"""Errors the providers raise. Each becomes one short line in the Pulumi CLI.

Exception tree::

    ChimeSdkIdentityError          base of everything the providers raise on purpose
     ├── ApiError                  an AWS call failed: operation, resource, AWS error code and message
     ├── ConfigurationError        region, endpoint or credentials cannot be worked out
     └── AdoptionError             adopt_id names nothing, or something other than the inputs describe
"""

from __future__ import annotations


class ChimeSdkIdentityError(Exception):
    """Raised for any failure the providers report on purpose."""


class ApiError(ChimeSdkIdentityError):
    """Raised when a chime-sdk-identity call fails after retries."""

    def __init__(self, operation: str, resource: str, code: str, message: str, *, retried: bool = False) -> None:
        self.operation = operation
        self.resource = resource
        self.code = code
        self.aws_message = message
        self.retried = retried
        """The error answered a retry, so an earlier attempt may have taken effect unseen."""
        super().__init__(f"{operation} failed for {resource}: {code}: {message}")

    @property
    def is_not_found(self) -> bool:
        """The API said plainly that the resource does not exist."""
        return self.code == "NotFoundException"

    @property
    def is_forbidden(self) -> bool:
        """Forbidden: for a missing user AWS has been seen to answer this instead of NotFound."""
        return self.code == "ForbiddenException"


class ConfigurationError(ChimeSdkIdentityError):
    """Raised when the region, endpoint or credentials cannot be worked out."""


class AdoptionError(ChimeSdkIdentityError):
    """Raised when adopt_id names no resource, or one the inputs do not describe."""

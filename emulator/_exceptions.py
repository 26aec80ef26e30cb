"""Errors the emulator answers with, named after the service model's error shapes.

Exception tree::

    ChimeError                         an API error; HTTP status and Code come from the model
     ├── BadRequestException           the request breaks a model constraint or a service rule
     ├── ConflictException             the resource exists already, or a token was reused
     ├── ForbiddenException            refused (also: a missing resource, in "forbidden" mode)
     ├── NotFoundException             the resource does not exist
     ├── ResourceLimitExceededException  a limit (tags per resource) would be exceeded
     ├── ThrottledClientException      over quota mode's rate, or injected throttling
     ├── UnauthorizedClientException   the request carries no SigV4 Authorization header
     ├── ServiceUnavailableException   injected 5xx
     └── ServiceFailureException       an injected lost response, or an emulator bug
"""

from __future__ import annotations

# The model's ErrorCode enum value carried in each error body's "Code" member.
_CODES = {
    "BadRequestException": "BadRequest",
    "ConflictException": "Conflict",
    "ForbiddenException": "Forbidden",
    "NotFoundException": "NotFound",
    "ResourceLimitExceededException": "ResourceLimitExceeded",
    "ThrottledClientException": "Throttled",
    "UnauthorizedClientException": "Unauthorized",
    "ServiceUnavailableException": "ServiceUnavailable",
    "ServiceFailureException": "ServiceFailure",
}


class ChimeError(Exception):
    """Raised by any handler to answer with one of the model's error shapes."""

    shape_name = "ServiceFailureException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def code(self) -> str:
        """The ErrorCode enum value for the body's ``Code`` member."""
        return _CODES[self.shape_name]


class BadRequestException(ChimeError):
    """Raised when input breaks a model constraint or a service rule."""

    shape_name = "BadRequestException"


class ConflictException(ChimeError):
    """Raised when a resource already exists or a ClientRequestToken is reused."""

    shape_name = "ConflictException"


class ForbiddenException(ChimeError):
    """Raised for a missing resource when the emulator runs in "forbidden" mode."""

    shape_name = "ForbiddenException"


class NotFoundException(ChimeError):
    """Raised when the resource named by the request does not exist."""

    shape_name = "NotFoundException"


class ResourceLimitExceededException(ChimeError):
    """Raised when a per-resource limit (50 tags) would be exceeded."""

    shape_name = "ResourceLimitExceededException"


class ThrottledClientException(ChimeError):
    """Raised when a call exceeds quota mode's rate ("Rate exceeded"), or by injected throttling."""

    shape_name = "ThrottledClientException"


class UnauthorizedClientException(ChimeError):
    """Raised when a request has no SigV4 Authorization header."""

    shape_name = "UnauthorizedClientException"


class ServiceUnavailableException(ChimeError):
    """Raised by injected server errors."""

    shape_name = "ServiceUnavailableException"


class ServiceFailureException(ChimeError):
    """Raised by an injected lost response, or by an unexpected emulator failure."""

    shape_name = "ServiceFailureException"

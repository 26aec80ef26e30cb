"""The providers' ``Inputs`` base: pydantic models whose field rules come from :mod:`.rules` (botocore's model).

Values still unknown during ``pulumi preview`` pass through untouched.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidatorFunctionWrapHandler, field_validator

from .rules import UNKNOWN, is_unknown, service_model

__all__ = ["UNKNOWN", "Inputs", "field_names", "is_unknown", "service_model", "validate"]


class Inputs(BaseModel):
    """Base of every resource's inputs: unknown values pass, other keys are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    @field_validator("*", mode="wrap")
    @classmethod
    def _unknown_passes(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        return value if is_unknown(value) else handler(value)


def validate(model: type[Inputs], news: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Normalized inputs (defaults filled, integers made int, None dropped) and (property, reason) failures."""
    try:
        checked = model.model_validate(news)
    except ValidationError as error:
        failures = []
        for problem in error.errors(include_input=False, include_url=False):
            path = ".".join(str(part) for part in problem["loc"])
            reason = str(problem["msg"]).removeprefix("Value error, ")
            failures.append((path, f"{path}: {reason}"))
        return {k: v for k, v in news.items() if k in model.model_fields}, failures
    return checked.model_dump(exclude_none=True, warnings=False), []


def field_names(model: type[Inputs]) -> tuple[str, ...]:
    """The input property names of a resource, in declaration order."""
    return tuple(model.model_fields)

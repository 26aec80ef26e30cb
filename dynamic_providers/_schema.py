"""Input validation whose limits come from botocore's service model: the rules the API itself enforces.

``Annotated[str, api_rule("UserId")]`` checks a value against the model shape ``UserId``
(lengths, pattern, enum, range), with one short message per problem. Values still unknown
during ``pulumi preview`` pass through untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import botocore.session
from botocore.model import ServiceModel, StringShape
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
)

from ._config import SUPPORTED_REGIONS

# Chime documents Metadata as "limited to a 1KB string in UTF-8": its limit is in bytes.
_BYTE_LIMITED = frozenset({"Metadata"})
MAX_TAGS = 50


@cache
def service_model() -> ServiceModel:
    """The botocore model of chime-sdk-identity, the file boto3 loads."""
    return botocore.session.get_session().get_service_model("chime-sdk-identity")


def _compile(pattern: str) -> re.Pattern[str]:
    # The model writes astral code points Java-style (\u10000); Python needs \U00010000.
    return re.compile(re.sub(r"\\u([0-9A-Fa-f]{5,6})", lambda m: "\\U" + m.group(1).zfill(8), pattern))


def shape_problem(shape_name: str, value: Any) -> str | None:
    """Why value breaks the model shape's constraints, or None."""
    shape = service_model().shape_for(shape_name)
    meta = shape.metadata
    if isinstance(shape, StringShape):
        unit = "bytes of UTF-8" if shape_name in _BYTE_LIMITED else "characters"
        size = len(value.encode()) if shape_name in _BYTE_LIMITED else len(value)
        if shape.enum and value not in shape.enum:
            return f"must be one of {', '.join(shape.enum)}"
        if "min" in meta and size < meta["min"]:
            return f"must be at least {meta['min']} {unit}" if meta["min"] > 1 else "must not be empty"
        if "max" in meta and size > meta["max"]:
            return f"must be at most {meta['max']} {unit}"
        if "pattern" in meta and not _compile(meta["pattern"]).fullmatch(value):
            return f"must match the pattern {meta['pattern']}"
    elif shape.type_name in ("integer", "long") and not meta.get("min", value) <= value <= meta.get("max", value):
        return f"must be between {meta['min']} and {meta['max']}"
    return None


def api_rule(shape_name: str) -> AfterValidator:
    """A pydantic validator enforcing the model shape ``shape_name``."""

    def check(value: Any) -> Any:
        problem = shape_problem(shape_name, value)
        if problem is not None:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


def _check_tags(tags: dict[str, str]) -> dict[str, str]:
    if len(tags) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags are allowed, got {len(tags)}")
    for key, value in tags.items():
        if key.lower().startswith("aws:"):
            raise ValueError(f"tag key {key!r} uses the reserved prefix 'aws:'")
        for shape, item, what in (("TagKey", key, "key"), ("TagValue", value, f"value of {key!r}")):
            problem = shape_problem(shape, item)
            if problem is not None:
                raise ValueError(f"tag {what} {problem}")
    return dict(sorted(tags.items()))


tags_rule = AfterValidator(_check_tags)


def _check_region(region: str) -> str:
    if region not in SUPPORTED_REGIONS:
        raise ValueError(f"Chime SDK Identity is only in {', '.join(SUPPORTED_REGIONS)}, not {region!r}")
    return region


region_rule = AfterValidator(_check_region)


def is_unknown(value: Any) -> bool:
    """Whether value, or anything inside it, is still unknown (``pulumi preview``).

    The host deserializes unknowns as ``pulumi.output.Unknown``; raw wire values carry the sentinel string.
    """
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(is_unknown(v) for v in value)
    return bool(value == UNKNOWN)


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


Normalizer = Callable[[dict[str, Any]], dict[str, Any]]

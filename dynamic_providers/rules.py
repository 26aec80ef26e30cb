"""Validation rules whose limits come from botocore's service model: the rules the API itself enforces.

Public, so that the components check their arguments with the very rules the providers' ``Inputs``
use: ``Annotated[str, api_rule("UserId")]`` checks a value against the model shape ``UserId``
(lengths, pattern, enum, range), with one short message per problem and never the value itself.
:func:`is_unknown` tells the values that cannot be checked yet: an ``Output`` or awaitable in a
program, the engine's unknown during ``pulumi preview``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import botocore.session
import pulumi
from botocore.model import ServiceModel, StringShape
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN
from pydantic import AfterValidator

from ._config import SUPPORTED_REGIONS

__all__ = [
    "MAX_TAGS",
    "UNKNOWN",
    "api_rule",
    "is_unknown",
    "non_empty_rule",
    "region_rule",
    "service_model",
    "shape_problem",
    "tags_rule",
]

# Chime documents Metadata as "limited to a 1KB string in UTF-8": its limit is in bytes.
_BYTE_LIMITED = frozenset({"Metadata"})
MAX_TAGS = 50
"""The most tags one resource can have."""


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
        if is_unknown(key) or is_unknown(value):  # a program's tag whose value is an Output
            continue
        if key.lower().startswith("aws:"):
            raise ValueError(f"tag key {key!r} uses the reserved prefix 'aws:'")
        for shape, item, what in (("TagKey", key, "key"), ("TagValue", value, f"value of {key!r}")):
            problem = shape_problem(shape, item)
            if problem is not None:
                raise ValueError(f"tag {what} {problem}")
    return dict(sorted(tags.items()))


tags_rule = AfterValidator(_check_tags)
"""Tags: at most 50, keys and values within the model's TagKey/TagValue, no ``aws:`` prefix (sorted by key)."""


def _check_region(region: str) -> str:
    if region not in SUPPORTED_REGIONS:
        raise ValueError(f"Chime SDK Identity is only in {', '.join(SUPPORTED_REGIONS)}, not {region!r}")
    return region


region_rule = AfterValidator(_check_region)
"""A region where the Chime SDK Identity API exists."""


def _check_non_empty(value: str) -> str:
    if not value:
        raise ValueError("must be a non-empty string")
    return value


non_empty_rule = AfterValidator(_check_non_empty)
"""A string that must not be empty where the model sets no limit (a Lex ``LocaleId`` such as ``en_US``)."""


def is_unknown(value: Any) -> bool:
    """Whether value, or anything inside it, cannot be checked yet.

    In a program: a ``pulumi.Output`` or another awaitable. In a provider during ``pulumi preview``:
    the host deserializes unknowns as ``pulumi.output.Unknown``; raw wire values carry the sentinel string.
    """
    if isinstance(value, Unknown | pulumi.Output) or inspect.isawaitable(value):
        return True
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(is_unknown(v) for v in value)
    return bool(value == UNKNOWN)

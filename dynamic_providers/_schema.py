"""The providers' ``Inputs`` base: pydantic models whose field rules come from :mod:`.rules` (botocore's model).

Values still unknown during ``pulumi preview`` pass through untouched; a nested block that holds one is
still checked around it (its keys, its other values). A key no model declares is refused at every depth,
with the closest declared key as a suggestion.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Annotated, Any, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
)

from .rules import UNKNOWN, is_sensitive, is_unknown, service_model

__all__ = ["UNKNOWN", "Inputs", "field_names", "is_unknown", "sensitive_fields", "service_model", "validate"]

PROVIDER_KEY = "__provider"
"""The engine's input holding the pickled provider: in every check, never one of ours."""


def _model_in(annotation: Any) -> type[Inputs] | None:
    """The Inputs model an annotation holds (``X``, ``X | None``, ``Annotated[X, ...]``), if any."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return next((m for m in map(_model_in, typing.get_args(annotation)) if m is not None), None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, Inputs) else None


class Inputs(BaseModel):
    """Base of every resource's inputs: unknown values pass, keys no model declares are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="wrap")
    @classmethod
    def _unknown_passes(cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, dict) and field is not None and _model_in(field.annotation) is not None:
            return handler(value)  # a nested block: its own fields let their unknowns through
        return value if is_unknown(value) else handler(value)


def _fields_at(model: type[Inputs], loc: tuple[int | str, ...]) -> list[str]:
    """The keys declared for the block at loc (empty when loc is no block)."""
    current: type[Inputs] | None = model
    for part in loc:
        field = current.model_fields.get(str(part)) if current is not None else None
        current = _model_in(field.annotation) if field is not None else None
    return list(current.model_fields) if current is not None else []


def _unknown_key(model: type[Inputs], loc: tuple[int | str, ...]) -> tuple[str, str | None]:
    """The reason for a key no model declares, and the declared key it is probably a misspelling of."""
    allowed = _fields_at(model, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if close:
        return f"unknown key; did you mean {close[0]}?", close[0]
    return (f"unknown key; expected one of {', '.join(allowed)}" if allowed else "unknown key"), None


def validate(model: type[Inputs], news: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Normalized inputs (defaults filled, integers made int, None dropped) and (property, reason) failures.

    Every problem is reported, each once: a misspelt key as unknown (with the key it resembles), not also
    as that key missing.
    """
    given = {key: value for key, value in news.items() if key != PROVIDER_KEY and value is not None}
    try:
        checked = model.model_validate(given)
    except ValidationError as error:
        problems = error.errors(include_input=False, include_url=False)
        failures: list[tuple[str, str]] = []
        misspelt: set[tuple[int | str, ...]] = set()
        for problem in problems:
            if problem["type"] == "extra_forbidden":
                _, close = _unknown_key(model, problem["loc"])
                if close is not None:
                    misspelt.add((*problem["loc"][:-1], close))
        for problem in problems:
            loc = problem["loc"]
            if problem["type"] == "missing" and loc in misspelt:
                continue
            path = ".".join(str(part) for part in loc)
            if problem["type"] == "extra_forbidden":
                reason = _unknown_key(model, loc)[0]
            elif problem["type"] == "bool_type":
                reason = "must be true or false"  # as the components say it, not pydantic's "valid boolean"
            else:
                reason = str(problem["msg"]).removeprefix("Value error, ")
            failures.append((path, f"{path}: {reason}"))
        return {k: v for k, v in given.items() if k in model.model_fields}, failures
    return checked.model_dump(exclude_none=True, warnings=False), []


def field_names(model: type[Inputs]) -> tuple[str, ...]:
    """The input property names of a resource, in declaration order."""
    return tuple(model.model_fields)


def sensitive_fields(model: type[Inputs]) -> frozenset[str]:
    """Top-level inputs whose values must not be quoted in check output: the engine prints the value of the
    property a failure names, so failures of these name none and say the property in their reason alone.

    A field is sensitive when its rule is a shape the service model marks sensitive (names, metadata, user
    ids, tags, tokens), when it is marked ``SENSITIVE``, or when a block under it holds such a field.
    """
    found = set()
    for name, field in model.model_fields.items():
        nested = _model_in(field.annotation)
        if (
            is_sensitive(field.metadata)
            or _metadata_sensitive(field.annotation)
            or (nested is not None and sensitive_fields(nested))
        ):
            found.add(name)
    return frozenset(found)


def _metadata_sensitive(annotation: Any) -> bool:
    """Whether an ``Annotated[...]`` inside an annotation (``Annotated[str, rule] | None``) is sensitive."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return is_sensitive(annotation.__metadata__)
    if origin in (Union, types.UnionType):
        return any(_metadata_sensitive(arg) for arg in typing.get_args(annotation))
    return False

"""One schema per component input, derived from the argument types' own annotations.

:func:`model` turns an argument dataclass (or a TypedDict such as the provider's ``LexConfigurationArgs``)
into a pydantic model with the same fields and rules: the ``Output``/awaitable members of
``pulumi.Input[...]`` are dropped and such values pass unchecked (they are checked again by the resource's
provider at ``pulumi preview``); unknown keys and wrong types are errors (strict: a YAML ``"90"`` is not a
number). The same models check a program's arguments (:func:`check_args`) and a spec file
(:func:`validate_spec`); only the wording of key problems differs, as each audience reads them.
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import types
import typing
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from functools import cache
from typing import Annotated, Any, ClassVar, NotRequired, Required, TypeVar, Union

import pulumi
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    create_model,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from pulumi_chime_sdk_identity.dynamic_providers import LexConfigurationArgs

A = TypeVar("A", bound=Hashable)

# pulumi.Input[T] is Union[T, Awaitable[T], "Output[T]"]: its forward reference needs these names.
_PULUMI_NAMES = {"Output": pulumi.Output, "T": Any}
# The spelling of 0.1 spec files: `lex: {bot_alias_arn: ...}`.
_ALIASES: dict[tuple[type, str], str] = {(LexConfigurationArgs, "lex_bot_alias_arn"): "bot_alias_arn"}
_ARGS = {"from": "args"}
"""Validation context of a program's arguments: argument dataclasses must be instances, not mappings."""


def _pass_unknown(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Let a value that is not known yet (an Output, an awaitable) through unchecked."""
    return value if isinstance(value, pulumi.Output) or inspect.isawaitable(value) else handler(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    source: ClassVar[type]
    """The argument type this model was derived from."""

    @model_validator(mode="before")
    @classmethod
    def _fields_of_instance(cls, value: Any, info: ValidationInfo) -> Any:
        if dataclasses.is_dataclass(cls.source):
            if isinstance(value, cls.source):
                return {f.name: getattr(value, f.name) for f in dataclasses.fields(cls.source)}
            if info.context is _ARGS:
                raise PydanticCustomError("args_type", "must be a {name}", {"name": cls.source.__name__})
        return value


def _is_deferred(member: Any) -> bool:
    return (typing.get_origin(member) or member) in (pulumi.Output, Awaitable)


def _strip(annotation: Any) -> tuple[Any, bool]:
    """The pydantic type for an argument annotation, and whether it was a ``pulumi.Input``."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (NotRequired, Required):
        return _strip(args[0])
    if origin is Annotated:
        inner, deferred = _strip(args[0])
        return Annotated[(inner, *args[1:])], deferred
    if origin in (Union, types.UnionType):
        kept = [_strip(member) for member in args if not _is_deferred(member)]
        deferred = len(kept) < len(args) or any(d for _, d in kept)
        plain = [member for member, _ in kept]
        return (Union[tuple(plain)] if len(plain) > 1 else plain[0]), deferred  # noqa: UP007 - built at run time
    if origin in (dict, Mapping):
        return dict[_convert(args[0]), _convert(args[1])], False  # type: ignore[misc]
    if dataclasses.is_dataclass(annotation) or typing.is_typeddict(annotation):
        return model(annotation), False
    return annotation, False


def _convert(annotation: Any) -> Any:
    plain, deferred = _strip(annotation)
    return Annotated[plain, WrapValidator(_pass_unknown)] if deferred else plain


@cache
def model(source: type) -> type[_Model]:
    """The pydantic model of an argument dataclass or TypedDict: its fields, rules, defaults and required keys."""
    hints = typing.get_type_hints(source, localns=_PULUMI_NAMES, include_extras=True)
    fields: dict[str, Any] = {}
    if dataclasses.is_dataclass(source):
        for item in dataclasses.fields(source):
            default: Any = ...
            if item.default is not dataclasses.MISSING:
                default = item.default
            elif item.default_factory is not dataclasses.MISSING:
                default = Field(default_factory=item.default_factory)
            fields[item.name] = (_convert(hints[item.name]), default)
    else:
        # With postponed annotations Python 3.11 counts a NotRequired key as required: ask the hint itself.
        required = {name for name, hint in hints.items() if typing.get_origin(hint) is not NotRequired}
        required &= set(getattr(source, "__required_keys__", hints))
        for name, annotation in hints.items():
            alias = _ALIASES.get((source, name))
            fields[name] = (
                _convert(annotation),
                Field(
                    default=... if name in required else None,
                    validation_alias=AliasChoices(name, alias) if alias else None,
                ),
            )
    derived: type[_Model] = create_model(source.__name__, __base__=_Model, **fields)
    derived.source = source
    return derived


def _rebuild(value: Any) -> Any:
    """Argument objects again from a validated model: dataclasses, TypedDicts without absent keys, dicts."""
    if isinstance(value, _Model):
        values = {name: _rebuild(getattr(value, name)) for name in type(value).model_fields}
        source = type(value).source
        if dataclasses.is_dataclass(source):
            return source(**values)
        return {
            name: item
            for name, item in values.items()
            if item is not None or type(value).model_fields[name].is_required()
        }
    if isinstance(value, dict):
        return {key: _rebuild(item) for key, item in value.items()}
    return value


# What a mapping key is called in a spec file's messages, by the key of the mapping that holds it.
_KEY_NAMES = {"users": "user id", "bots": "bot key", "endpoints": "endpoint key", "tags": "tag key"}
_TYPE_REASONS = {
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "int_from_float": "must be an integer",
    "bool_type": "must be true or false",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "missing": "missing required key",
}


def _unwrap(annotation: Any) -> Any:
    """The model or dict type inside an annotation (``X | None``, ``Annotated[X, ...]``)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return _unwrap(next(arg for arg in typing.get_args(annotation) if arg is not type(None)))
    return annotation


def _fields_at(root: type[_Model], loc: tuple[int | str, ...]) -> list[str]:
    """The keys allowed in the mapping at loc (empty when loc is not a model)."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, _Model):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return []
    current = _unwrap(current)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, _Model) else []


def _same(name: str) -> str:
    return name


def _reason(root: type[_Model], error: ErrorDetails, *, spec: bool, spell: Callable[[str], str] = _same) -> str:
    loc = error["loc"]
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = [spell(name) for name in _fields_at(root, loc[:-1])]
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            return f"unknown key; did you mean {close[0]}?"
        return f"unknown key; expected one of {', '.join(allowed)}" if allowed else "unknown key"
    reason = _TYPE_REASONS.get(kind, str(error["msg"]).removeprefix("Value error, "))
    if not loc and spec:
        return "the spec must be a mapping" if kind in ("model_type", "model_attributes_type") else reason
    if spec and loc[-1] == "[key]":
        holder = str(loc[-3]) if len(loc) >= 3 else ""
        return f"invalid {_KEY_NAMES.get(holder, 'key')}: {reason}"
    return reason


def _path(
    loc: tuple[int | str, ...],
    written: Any = None,
    root: type[_Model] | None = None,
    spell: Callable[[str], str] = _same,
) -> str:
    """Dotted path of loc. Given the arguments as written, a field given inline loses its level
    (``BotArgs(locale_id="")`` is ``bots.<key>.locale_id``, not ``bots.<key>.lex.locale_id``). Given ``root``, the
    parts that are field names (not mapping keys) are spelled by ``spell``."""
    parts: list[str] = []
    for index, part in enumerate(loc):
        if part == "[key]":
            continue
        if str(part) not in getattr(written, "_inlined", ()):
            field = root is not None and str(part) in _fields_at(root, loc[:index])
            parts.append(spell(str(part)) if field else str(part))
        written = written.get(part) if isinstance(written, Mapping) else getattr(written, str(part), None)
    return ".".join(parts)


def _errors(root: type[_Model], error: ValidationError, spell: Callable[[str], str] = _same) -> list[ErrorDetails]:
    """The errors to report: a key misspelt is reported once, as unknown, not also as the key it misses."""
    details = error.errors(include_input=False, include_url=False)
    misspelt: set[tuple[int | str, ...]] = set()
    for detail in details:
        if detail["type"] == "extra_forbidden":
            names = {spell(name): name for name in _fields_at(root, detail["loc"][:-1])}
            close = difflib.get_close_matches(str(detail["loc"][-1]), list(names), n=1)
            misspelt.update((*detail["loc"][:-1], names[name]) for name in close)
    return [detail for detail in details if not (detail["type"] == "missing" and detail["loc"] in misspelt)]


def validate_spec(
    source: type[A], data: Any, spell: Callable[[str], str] = _same
) -> tuple[A | None, list[tuple[str, str]]]:
    """Parsed spec data validated into ``source`` (None if anything is wrong), and every (path, reason) problem.

    ``spell``: how the data's author spells field names (the wire's camelCase): paths and suggestions use it.
    """
    root = model(source)
    try:
        validated = root.model_validate(data)
    except ValidationError as error:
        return None, [
            (_path(detail["loc"], root=root, spell=spell), _reason(root, detail, spec=True, spell=spell))
            for detail in _errors(root, error, spell)
        ]
    return _rebuild(validated), []


def check_args(
    source: type[A], component: str, resource_name: str, args: A, extra: Sequence[tuple[str, str]] = ()
) -> A:
    """A program's arguments, checked by their annotations (and normalized); ValueError lists every problem.

    ``extra``: (path, reason) problems the component found itself (clashing resource names), reported with the rest.
    """
    root = model(source)
    lines = []
    try:
        validated = root.model_validate(args, context=_ARGS)
    except ValidationError as error:
        for detail in _errors(root, error):
            path = _path(detail["loc"], args)
            reason = _reason(root, detail, spec=False)
            lines.append(f"  {path}: {reason}" if path else f"  {reason}")
    lines += [f"  {path}: {reason}" for path, reason in extra]
    if lines:
        raise ValueError(f"{component} {resource_name!r}: invalid inputs:\n" + "\n".join(lines)) from None
    rebuilt: A = _rebuild(validated)
    return rebuilt

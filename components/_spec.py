"""The MessagingApp spec file: loading (YAML or JSON), pydantic models, and error reporting.

The models mirror :class:`MessagingAppArgs` key for key; their enum, length, pattern and range rules
are the providers' own (``api_rule``, from botocore's model of the API). Every problem found is
reported at once, one line each: ``<file>: <dotted path inside the file>: <reason>``.
"""

from __future__ import annotations

import difflib
import json
import os
import types
import typing
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Annotated, Any, Self, Union

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from pulumi_chime_sdk_identity.dynamic_providers._schema import api_rule, region_rule, tags_rule

from ._validation import KEY_PATTERN, KEY_RULE

DICT_LABEL = "<spec>"
"""How problems name a spec given as a dict rather than a file."""


class SpecError(ValueError):
    """A MessagingApp spec that cannot be used; ``problems`` holds one ``<file>: <path>: <reason>`` per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(problems))


def problem(label: str, path: str, reason: str) -> str:
    """One problem line: ``<file>: <path>: <reason>`` (no path for the spec as a whole)."""
    return f"{label}: {path}: {reason}" if path else f"{label}: {reason}"


def _check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError(KEY_RULE)
    return key


Tags = Annotated[dict[str, str], tags_rule]
StableKey = Annotated[str, AfterValidator(_check_key)]


class _Model(BaseModel):
    # strict: a YAML string is not a number, a number is not a string; unknown keys are errors.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class InvokedBySpec(_Model):
    standard_messages: Annotated[str, api_rule("StandardMessages")]
    targeted_messages: Annotated[str, api_rule("TargetedMessages")]


class LexSpec(_Model):
    bot_alias_arn: Annotated[str, api_rule("LexBotAliasArn")]
    locale_id: Annotated[str, Field(min_length=1)]
    welcome_intent: Annotated[str, api_rule("LexIntentName")] | None = None
    invoked_by: InvokedBySpec | None = None


class BotSpec(_Model):
    lex: LexSpec
    name: Annotated[str, api_rule("ResourceName")] | None = None
    metadata: Annotated[str, api_rule("Metadata")] | None = None
    tags: Tags | None = None
    admin: bool = False


class EndpointSpec(_Model):
    type: Annotated[str, api_rule("AppInstanceUserEndpointType")]
    resource_arn: Annotated[str, api_rule("ChimeArn")]
    device_token: Annotated[str, api_rule("NonEmptySensitiveString1600")] | None = None
    device_token_config: Annotated[str, Field(min_length=1)] | None = None
    voip_device_token: Annotated[str, api_rule("NonEmptySensitiveString1600")] | None = None
    voip_device_token_config: Annotated[str, Field(min_length=1)] | None = None
    name: Annotated[str, api_rule("SensitiveString1600")] | None = None
    allow_messages: Annotated[str, api_rule("AllowMessages")] | None = None

    @model_validator(mode="after")
    def _one_source_per_token(self) -> Self:
        if (self.device_token is None) == (self.device_token_config is None):
            raise ValueError("set exactly one of device_token and device_token_config")
        if self.voip_device_token is not None and self.voip_device_token_config is not None:
            raise ValueError("set at most one of voip_device_token and voip_device_token_config")
        return self


class UserSpec(_Model):
    name: Annotated[str, api_rule("UserName")]
    metadata: Annotated[str, api_rule("Metadata")] | None = None
    tags: Tags | None = None
    expiration_days: Annotated[int, api_rule("ExpirationDays")] | None = None
    admin: bool = False
    endpoints: dict[StableKey, EndpointSpec] = Field(default_factory=dict)


class AppSpec(_Model):
    name: Annotated[str, api_rule("NonEmptyResourceName")]
    metadata: Annotated[str, api_rule("Metadata")] | None = None
    tags: Tags | None = None
    region: Annotated[str, region_rule] | None = None
    retention_days: Annotated[int, api_rule("RetentionDays")] | None = None
    users: dict[Annotated[str, api_rule("UserId")], UserSpec] = Field(default_factory=dict)
    bots: dict[StableKey, BotSpec] = Field(default_factory=dict)


# What a mapping key is called in messages, by the key of the mapping that holds it.
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


def _field_model(annotation: Any) -> Any:
    """The model or dict type inside an annotation (``X | None``, ``Annotated[X, ...]``)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _field_model(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return next(_field_model(arg) for arg in typing.get_args(annotation) if arg is not type(None))
    return annotation


def _fields_at(loc: tuple[int | str, ...]) -> list[str]:
    """The keys allowed in the mapping at loc (empty when loc is not a model)."""
    current: Any = AppSpec
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = _field_model(field.annotation)
        elif typing.get_origin(current) is dict:
            current = _field_model(typing.get_args(current)[1])
        else:
            return []
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _reason(error: ErrorDetails) -> str:
    loc = error["loc"]
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _fields_at(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            return f"unknown key; did you mean {close[0]}?"
        return f"unknown key; expected one of {', '.join(allowed)}" if allowed else "unknown key"
    reason = _TYPE_REASONS.get(kind, str(error["msg"]).removeprefix("Value error, "))
    if not loc:
        return "the spec must be a mapping" if kind in ("model_type", "model_attributes_type") else reason
    if loc[-1] == "[key]":
        holder = str(loc[-3]) if len(loc) >= 3 else ""
        return f"invalid {_KEY_NAMES.get(holder, 'key')}: {reason}"
    return reason


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc if part != "[key]")


def _duplicate_paths(data: Any, path: tuple[str, ...] = ()) -> list[str]:
    """Dotted paths of keys repeated in one mapping of a parsed file (see ``_Pairs``)."""
    found: list[str] = []
    if isinstance(data, dict):
        found += [".".join((*path, key)) for key in getattr(data, "duplicates", ())]
        for key, value in data.items():
            found += _duplicate_paths(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _duplicate_paths(value, (*path, str(index)))
    return found


class _Pairs(dict[Any, Any]):
    """A parsed mapping that remembers the keys it saw twice (the parsers keep the last silently)."""

    duplicates: tuple[str, ...] = ()


def _json_pairs(pairs: list[tuple[str, Any]]) -> _Pairs:
    mapping = _Pairs()
    repeated: list[str] = []
    for key, value in pairs:
        if key in mapping:
            repeated.append(key)
        mapping[key] = value
    mapping.duplicates = tuple(repeated)
    return mapping


class _DuplicateAwareLoader(yaml.SafeLoader):
    """PyYAML's safe loader, recording repeated mapping keys instead of silently keeping the last."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Pairs:
    loader.flatten_mapping(node)
    mapping = _Pairs()
    repeated: list[str] = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found an unhashable key", key_node.start_mark
            )
        if key in mapping:
            repeated.append(str(key))
        mapping[key] = loader.construct_object(value_node, deep=True)
    mapping.duplicates = tuple(repeated)
    return mapping


_DuplicateAwareLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse(path: Path, label: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError([problem(label, "", f"cannot read the file: {error.strerror or error}")]) from None
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            return yaml.load(text, Loader=_DuplicateAwareLoader)  # a SafeLoader subclass: safe
        if suffix == ".json":
            return json.loads(text, object_pairs_hook=_json_pairs)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "syntax"
        raise SpecError([problem(label, where, f"invalid YAML: {error.problem}")]) from None
    except yaml.YAMLError as error:
        raise SpecError([problem(label, "", f"invalid YAML: {error}")]) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise SpecError([problem(label, where, f"invalid JSON: {error.msg}")]) from None
    raise SpecError([problem(label, "", f"unsupported file type {suffix or '(none)'!r}; use .yaml, .yml or .json")])


def load(path_or_dict: str | os.PathLike[str] | Mapping[str, Any]) -> tuple[AppSpec, str]:
    """The validated spec and the label its problems are reported under (the path as given, or ``<spec>``).

    Raises SpecError listing every problem found.
    """
    if isinstance(path_or_dict, Mapping):
        label, data = DICT_LABEL, dict(path_or_dict)
    else:
        label = os.fspath(path_or_dict)
        data = _parse(Path(label), label)
    problems = [problem(label, path, "duplicate key") for path in _duplicate_paths(data)]
    try:
        spec = AppSpec.model_validate(data)
    except ValidationError as error:
        problems += [
            problem(label, _path(detail["loc"]), _reason(detail))
            for detail in error.errors(include_input=False, include_url=False)
        ]
        raise SpecError(problems) from None
    if problems:
        raise SpecError(problems)
    return spec, label
